/**
 * The shape of OpenSLO v1 documents as JSON Schema (draft-07, ajv): keys, types, enums and the
 * required fields of each kind, so an unknown or misspelt key is an error at its line ("unknown key
 * \"targetPercnt\" in spec.objectives[0] (expected one of: ...)"). The rules between fields
 * (target xor targetPercent, good xor bad, references, ranges) are checked in openslo.ts, where
 * the message can say why. Written from the OpenSLO v1 README and the go-sdk's pkg/openslo/v1
 * types (docs/objectives.md).
 */

export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
export const DNS_LABEL_DESCRIPTION = 'a name of up to 63 lower case letters, digits and "-", starting and ending with a letter or digit (RFC 1123 DNS label)';

const dnsLabel = { type: 'string', pattern: DNS_LABEL_PATTERN, description: DNS_LABEL_DESCRIPTION } as const;
const description = { type: 'string', maxLength: 1050 } as const;
const nonEmpty = { type: 'string', minLength: 1 } as const;
const operator = { type: 'string', enum: ['lt', 'lte', 'gt', 'gte'] } as const;

const LABEL_KEY = '^[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$';
const ANNOTATION_KEY = '^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*/)?[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$';

export const metadataSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: dnsLabel,
    displayName: { type: 'string', maxLength: 63 },
    labels: {
      type: 'object',
      propertyNames: { pattern: LABEL_KEY, description: 'a label key: up to 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit' },
      additionalProperties: { type: ['string', 'array'], items: { type: 'string' } },
    },
    annotations: {
      type: 'object',
      propertyNames: { pattern: ANNOTATION_KEY, description: 'an annotation key: an optional DNS subdomain and "/", then a name like a label key' },
      additionalProperties: { type: 'string' },
    },
  },
} as const;

const metricSpec = {
  type: 'object',
  additionalProperties: false,
  required: ['metricSource'],
  properties: {
    metricSource: {
      type: 'object',
      additionalProperties: false,
      required: ['spec'],
      properties: {
        metricSourceRef: dnsLabel,
        type: nonEmpty,
        spec: { type: 'object', minProperties: 1, description: 'the query, as the data source reads it (e.g. query: ...)' },
      },
    },
  },
} as const;

export const sliSpecSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    description,
    thresholdMetric: metricSpec,
    ratioMetric: {
      type: 'object',
      additionalProperties: false,
      properties: {
        counter: { type: 'boolean' },
        good: metricSpec,
        bad: metricSpec,
        total: metricSpec,
        rawType: { type: 'string', enum: ['success', 'failure'] },
        raw: metricSpec,
      },
    },
  },
} as const;

const inlineIndicator = {
  type: 'object',
  additionalProperties: false,
  required: ['metadata', 'spec'],
  properties: { metadata: metadataSchema, spec: sliSpecSchema },
} as const;

export const alertConditionSpecSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['severity', 'condition'],
  properties: {
    description,
    severity: nonEmpty,
    condition: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'op', 'threshold', 'lookbackWindow'],
      properties: {
        kind: { type: 'string', enum: ['burnrate'] },
        op: operator,
        threshold: { type: 'number' },
        lookbackWindow: { type: 'string' },
        alertAfter: { type: 'string' },
      },
    },
  },
} as const;

export const alertNotificationTargetSpecSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['target'],
  properties: { description, target: nonEmpty },
} as const;

/** An inline object of `kind` or a `<refKey>: name` reference (which one is checked in openslo.ts). */
function inlineOrRef(refKey: string, spec: object): object {
  return {
    type: 'object',
    additionalProperties: false,
    properties: { [refKey]: dnsLabel, kind: { type: 'string' }, metadata: metadataSchema, spec },
  };
}

export const alertPolicySpecSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['conditions', 'notificationTargets'],
  properties: {
    description,
    alertWhenNoData: { type: 'boolean' },
    alertWhenBreaching: { type: 'boolean' },
    alertWhenResolved: { type: 'boolean' },
    conditions: { type: 'array', minItems: 1, maxItems: 1, items: inlineOrRef('conditionRef', alertConditionSpecSchema), description: 'exactly one condition' },
    notificationTargets: { type: 'array', minItems: 1, items: inlineOrRef('targetRef', alertNotificationTargetSpecSchema) },
  },
} as const;

export const sloSpecSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['service', 'budgetingMethod', 'objectives'],
  properties: {
    description,
    service: nonEmpty,
    indicator: inlineIndicator,
    indicatorRef: dnsLabel,
    budgetingMethod: { type: 'string', enum: ['Occurrences', 'Timeslices', 'RatioTimeslices'] },
    timeWindow: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['duration'],
        properties: {
          duration: { type: 'string' },
          isRolling: { type: 'boolean' },
          calendar: {
            type: 'object',
            additionalProperties: false,
            required: ['startTime', 'timeZone'],
            properties: { startTime: { type: 'string' }, timeZone: { type: 'string' } },
          },
        },
      },
    },
    objectives: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          displayName: { type: 'string' },
          op: operator,
          value: { type: 'number' },
          target: { type: 'number' },
          targetPercent: { type: 'number' },
          timeSliceTarget: { type: 'number' },
          timeSliceWindow: { type: ['number', 'string'] },
          // Composite SLOs are refused in openslo.ts with their own message; any shape here.
          indicator: { type: 'object' },
          indicatorRef: { type: 'string' },
          compositeWeight: { type: 'number' },
        },
      },
    },
    alertPolicies: { type: 'array', items: inlineOrRef('alertPolicyRef', alertPolicySpecSchema) },
  },
} as const;

export const dataSourceSpecSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'connectionDetails'],
  properties: {
    description,
    type: nonEmpty,
    // Anything but empty: Budget Lens never reads it (the backend is configured in .budgetlens.yml).
    connectionDetails: { not: { type: 'null' } },
  },
} as const;

export const serviceSpecSchema = { type: 'object', additionalProperties: false, properties: { description } } as const;

export const OPENSLO_KINDS = ['SLO', 'SLI', 'DataSource', 'Service', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'] as const;
export type OpenSloKind = (typeof OPENSLO_KINDS)[number];

const SPEC_SCHEMAS: Record<OpenSloKind, object> = {
  SLO: sloSpecSchema,
  SLI: sliSpecSchema,
  DataSource: dataSourceSpecSchema,
  Service: serviceSpecSchema,
  AlertPolicy: alertPolicySpecSchema,
  AlertCondition: alertConditionSpecSchema,
  AlertNotificationTarget: alertNotificationTargetSpecSchema,
};

/** Kinds whose `spec` may be left out (the go-sdk requires none of its fields). */
const SPEC_OPTIONAL = new Set<OpenSloKind>(['Service']);

const documentSchemas = new Map<OpenSloKind, object>();

/** The schema of a whole document of `kind` (apiVersion and kind are checked before, by hand). */
export function documentSchema(kind: OpenSloKind): object {
  let s = documentSchemas.get(kind);
  if (!s) {
    s = {
      type: 'object',
      additionalProperties: false,
      required: SPEC_OPTIONAL.has(kind) ? ['apiVersion', 'kind', 'metadata'] : ['apiVersion', 'kind', 'metadata', 'spec'],
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: metadataSchema, spec: SPEC_SCHEMAS[kind] },
    };
    documentSchemas.set(kind, s);
  }
  return s;
}
