/**
 * JSON Schema (draft-07) of `.budgetlens.yml`. The SDK validates with it (ajv), and the extension
 * can contribute the same object to `yamlValidation` so editors complete and check the file.
 * Keep docs/config.md in step with it.
 */
import { DNS_LABEL_DESCRIPTION, DNS_LABEL_PATTERN } from '../objectives/opensloSchema';

const TARGET_PATTERN = '^[0-9]{1,2}(\\.[0-9]+)?$';
const TARGET_DESCRIPTION = 'a percentage below 100 written as a decimal, e.g. "99.95"';
const CATEGORY_PATTERN = '^[a-z][a-z0-9_-]*$';
const CATEGORY_DESCRIPTION = 'a feature category name: lower case letters, digits, "_" and "-"';
const URL_PATTERN = '^https?://[^\\s/@]+(/\\S*)?$';
const URL_DESCRIPTION = 'an http(s) URL without credentials (tokens go in the editor\'s secret storage or BUDGET_LENS_TOKEN)';

const nonEmptyString = { type: 'string', minLength: 1 } as const;
/** An objective's name (metadata.name), or `<slo>/<objective>` for one objective of a multi-objective SLO. */
const OBJECTIVE_REF_PATTERN = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(/[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)?$';
const OBJECTIVE_REF_DESCRIPTION = 'an objective name: lower case letters, digits and "-" (as metadata.name), or "<slo>/<objective>"';

/** One manual adjustment (docs/config.md "Adjustments"); scope, overlap and time rules are checked after the schema. */
export const adjustmentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'reason'],
  properties: {
    from: { type: 'string', description: 'an ISO instant with a zone, inclusive, e.g. 2026-03-10T10:00:00Z' },
    to: { type: 'string', description: 'an ISO instant with a zone, exclusive, after from' },
    scope: { const: 'all', description: '"all": every group (or give groups or categories)' },
    groups: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: CATEGORY_PATTERN, description: 'a group key' } },
    categories: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: CATEGORY_PATTERN, description: CATEGORY_DESCRIPTION } },
    components: {
      description: 'only these SLI components (rails_request, graphql_query, sidekiq_execution); all when absent',
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', description: 'a component name such as rails_request' },
    },
    reason: { ...nonEmptyString, description: 'Why the spend is removed (shown in the report).' },
    link: { type: 'string', pattern: URL_PATTERN, description: 'an http(s) URL: the incident or the discussion' },
  },
} as const;

/** A file of adjustments (`adjustments: { file: path }`): the same list at its top level. */
export const adjustmentsFileSchema = { type: 'array', items: adjustmentSchema } as const;

/** `groups:` at the top level (today's settings) and in a catalog.history entry (the settings in force from it on). */
const GROUPS_SCHEMA = {
  description: 'Per-group settings, keyed by group key (e.g. project_management).',
  type: 'object',
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ignoredComponents: {
        description: 'SLI components that do not count toward this group\'s budget.',
        type: 'array',
        uniqueItems: true,
        items: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', description: 'a component name such as graphql_query' },
      },
      customTarget: {
        description: 'A temporary exception to the default target.',
        type: 'object',
        additionalProperties: false,
        required: ['target', 'reason', 'reviewDate'],
        properties: {
          target: { description: TARGET_DESCRIPTION, type: ['string', 'number'], pattern: TARGET_PATTERN },
          reason: { ...nonEmptyString, description: 'Why the exception exists.' },
          reviewDate: {
            description: 'an ISO date YYYY-MM-DD after which the exception is flagged',
            type: 'string',
            pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
          },
          expiresWhen: {
            description: 'A second condition that ends the exception before its review date.',
            type: 'object',
            additionalProperties: false,
            required: ['trafficShareAbove'],
            properties: {
              trafficShareAbove: {
                description: `the group's share of all measurements, in percent, above which the exception is flagged as expired: ${TARGET_DESCRIPTION.replace('e.g. "99.95"', 'e.g. "5"')}`,
                type: ['string', 'number'],
                pattern: TARGET_PATTERN,
              },
            },
          },
        },
      },
    },
  },
};

export const projectConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://budget-lens.dev/schemas/budgetlens.schema.json',
  title: 'Budget Lens project config (.budgetlens.yml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    catalog: {
      description: 'Where the ownership catalog is; paths are relative to this file.',
      type: 'object',
      additionalProperties: false,
      properties: {
        stages: { ...nonEmptyString, description: 'Path of stages.yml (stages.<stage>.groups.<group>.{name, categories}).' },
        featureCategories: { ...nonEmptyString, description: 'Path of feature_categories.yml (a flat list of category names).' },
        history: {
          description:
            'The catalogs in force over time (events are attributed to the group that owned their category then): "git" for the git history of stages and featureCategories, or a list of { from, stages, featureCategories }, oldest first.',
          // Not oneOf: `pattern` is checked only for a string and `items` only for a list, so each form gets its own errors.
          type: ['string', 'array'],
          pattern: '^git$',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['from', 'stages'],
            properties: {
              from: { type: 'string', description: 'the date (YYYY-MM-DD, midnight UTC) or ISO instant with a zone this catalog came in force' },
              stages: { ...nonEmptyString, description: 'Path of the stages.yml in force from then on.' },
              featureCategories: { ...nonEmptyString, description: 'Path of the feature_categories.yml in force from then on.' },
              groups: { ...GROUPS_SCHEMA, description: 'The per-group settings (custom targets, ignored components) in force from then on; without it, the top-level groups.' },
            },
          },
        },
      },
    },
    defaultTarget: {
      description: TARGET_DESCRIPTION,
      type: ['string', 'number'],
      pattern: TARGET_PATTERN,
      default: '99.95',
    },
    window: {
      description: 'a window length: a positive whole number followed by m, h, d or w, e.g. "28d"',
      type: 'string',
      pattern: '^[1-9][0-9]{0,5}[mhdw]$',
      default: '28d',
    },
    groups: GROUPS_SCHEMA,
    mapping: {
      type: 'object',
      additionalProperties: false,
      properties: {
        pathRules: {
          description: 'Ordered CODEOWNERS-style rules; the last matching rule wins.',
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['pattern', 'category'],
            properties: {
              pattern: { ...nonEmptyString, description: 'A glob; no "/" = any depth, leading "/" = root, trailing "/" = directory contents.' },
              category: { type: 'string', pattern: CATEGORY_PATTERN, description: CATEGORY_DESCRIPTION },
            },
          },
        },
        grapeMountPrefix: {
          description: 'a route prefix starting with "/", e.g. "/api/:version"',
          type: 'string',
          pattern: '^/\\S*$',
          default: '/api/:version',
        },
        exclude: { description: 'Globs of files never indexed.', type: 'array', items: nonEmptyString },
        graphqlOperations: { ...nonEmptyString, description: 'Path of graphql_known_operations.yml.' },
      },
    },
    objectives: {
      description: 'Objectives that are not GitLab\'s (docs/objectives.md): OpenSLO v1 files and the native list.',
      type: 'object',
      additionalProperties: false,
      properties: {
        files: {
          description: 'Globs of OpenSLO v1 YAML files, relative to this file (e.g. slo/*.yaml).',
          type: 'array',
          items: nonEmptyString,
        },
        list: {
          description: 'Native objectives: a ratio of good (or bad) over total events over a rolling window.',
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'target', 'total'],
            properties: {
              name: { type: 'string', pattern: DNS_LABEL_PATTERN, description: DNS_LABEL_DESCRIPTION },
              displayName: nonEmptyString,
              description: nonEmptyString,
              service: nonEmptyString,
              category: { type: 'string', pattern: CATEGORY_PATTERN, description: CATEGORY_DESCRIPTION },
              group: { type: 'string', pattern: CATEGORY_PATTERN, description: 'a group key: lower case letters, digits, "_" and "-"' },
              target: { description: TARGET_DESCRIPTION, type: ['string', 'number'], pattern: TARGET_PATTERN },
              window: { description: 'a rolling window: a positive whole number followed by m, h, d or w, e.g. "28d" (default: window)', type: 'string', pattern: '^[1-9][0-9]{0,5}[mhdw]$' },
              good: { ...nonEmptyString, description: 'the query of good events (or give bad)' },
              bad: { ...nonEmptyString, description: 'the query of bad events (or give good)' },
              total: { ...nonEmptyString, description: 'the query of all events' },
              counter: { type: 'boolean', description: 'the queries are monotonic counters (default true)', default: true },
              source: { ...nonEmptyString, description: 'the data source type the queries are for (default prometheus)', default: 'prometheus' },
            },
          },
        },
        pathRules: {
          description: 'CODEOWNERS-style globs attaching files to objectives (last match wins, like mapping.pathRules).',
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['pattern', 'objective'],
            properties: {
              pattern: { ...nonEmptyString, description: 'CODEOWNERS-style glob, relative to this file (e.g. components/ws-manager/**).' },
              objective: {
                description: 'an objective name, or a list of them',
                type: ['string', 'array'],
                pattern: OBJECTIVE_REF_PATTERN,
                minItems: 1,
                items: { type: 'string', pattern: OBJECTIVE_REF_PATTERN, description: OBJECTIVE_REF_DESCRIPTION },
              },
            },
          },
        },
      },
    },
    adjustments: {
      description: 'Manual adjustments: spend in a time range and scope left out of the adjusted figures. A list, or { file: path } naming a YAML file holding the list.',
      // Not oneOf: `items` applies only to a list and the object keywords only to a mapping, so each form gets its own errors.
      type: ['array', 'object'],
      items: adjustmentSchema,
      additionalProperties: false,
      required: ['file'],
      properties: { file: { ...nonEmptyString, description: 'Path of a YAML file holding the list, relative to this file.' } },
    },
    backend: {
      description: 'Where the numbers come from. Never put tokens here.',
      type: 'object',
      required: ['kind'],
      properties: { kind: { type: 'string', enum: ['store', 'prometheus', 'api'] } },
      discriminator: { propertyName: 'kind' },
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'path'],
          properties: {
            kind: { const: 'store' },
            path: { ...nonEmptyString, description: 'Path of the embedded store database.' },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'url'],
          properties: {
            kind: { const: 'prometheus' },
            url: { type: 'string', pattern: URL_PATTERN, description: URL_DESCRIPTION },
            mode: { type: 'string', enum: ['recording_rules', 'raw'], default: 'recording_rules' },
            selectors: {
              description: 'Label matchers added to every query.',
              type: 'object',
              propertyNames: { pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', description: 'a Prometheus label name: letters, digits and "_", not starting with a digit' },
              additionalProperties: { type: 'string' },
            },
            metricPrefix: {
              type: 'string',
              pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$',
              description: 'a Prometheus metric name prefix',
            },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'url'],
          properties: {
            kind: { const: 'api' },
            url: { type: 'string', pattern: URL_PATTERN, description: URL_DESCRIPTION },
          },
        },
      ],
    },
  },
} as const;
