/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of every Budget API response. Written once:
 * the server's OpenAPI document embeds them under `components.schemas`, and BudgetApiClient
 * validates every response body against them before use. Keep in step with apiTypes.ts.
 */

export type JsonSchema = Readonly<Record<string, unknown>>;

const num = { type: 'number' } as const;
const nullableNum = { type: ['number', 'null'] } as const;
const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const strArray = { type: 'array', items: str } as const;

function object(properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
  };
}

const windowSchema = object({ label: str, minutes: num });

export const resultMetaSchema = object({
  window: object({ label: str, minutes: num, start: str, end: str }),
  asOf: str,
  provenance: object({ kind: { enum: ['promql', 'store'] }, source: str, queries: strArray }),
});

const countsSchema = object({ apdexSuccess: num, apdexWeight: num, ops: num, errors: num });

const budgetFiguresProperties: Record<string, JsonSchema> = {
  target: str,
  window: windowSchema,
  counts: countsSchema,
  failures: num,
  measurements: num,
  availability: nullableNum,
  budgetMinutes: num,
  spentMinutes: nullableNum,
  remainingMinutes: nullableNum,
  remainingFraction: nullableNum,
  costOfOneFailureMinutes: nullableNum,
  status: { enum: ['healthy', 'over_budget', 'no_data', 'low_traffic'] },
  lowTraffic: bool,
  warnings: { type: 'array', items: object({ code: str, message: str }) },
};

export const budgetFiguresSchema = object(budgetFiguresProperties);

const customTargetSchema = object(
  { target: str, reason: str, reviewDate: str, expiresWhen: object({ trafficShareAbove: str }), expired: bool, expiredBecause: { enum: ['review_date', 'traffic_share'] } },
  ['expiresWhen', 'expiredBecause'],
);

const groupBudgetProperties: Record<string, JsonSchema> = {
  ...budgetFiguresProperties,
  group: str,
  name: str,
  stage: str,
  categories: strArray,
  ignoredComponents: strArray,
  trafficShare: nullableNum,
  customTarget: customTargetSchema,
};

export const groupBudgetSchema = object(groupBudgetProperties, ['customTarget']);

export const categoryBudgetSchema = object({ ...budgetFiguresProperties, category: str, group: str, stage: str });

const scopeSchema: JsonSchema = {
  oneOf: [
    { type: 'object', properties: { group: str }, required: ['group'], additionalProperties: false },
    { type: 'object', properties: { category: str }, required: ['category'], additionalProperties: false },
  ],
};

export const endpointRowSchema = object({
  endpointId: str,
  component: str,
  category: str,
  urgency: str,
  apdexFailures: num,
  errors: num,
  failures: num,
  measurements: num,
  shareOfSpend: num,
  spentMinutes: num,
  ownAvailability: nullableNum,
});

const nullableStr = { type: ['string', 'null'] } as const;

export const endpointBudgetSchema = object({
  endpointId: str,
  category: nullableStr,
  group: nullableStr,
  components: strArray,
  urgency: nullableStr,
  counts: countsSchema,
  apdexFailures: num,
  errors: num,
  failures: num,
  measurements: num,
  ownAvailability: nullableNum,
  target: str,
  belowTarget: bool,
  spentMinutes: num,
  shareOfSpend: num,
  categoryFailures: num,
  categoryMeasurements: num,
  rank: { type: ['integer', 'null'], minimum: 1 },
  offenders: { type: 'integer', minimum: 0 },
});

export const endpointBudgetsSchema = object({ endpoints: { type: 'array', items: endpointBudgetSchema } });

export const topEndpointsSchema = object({
  scope: scopeSchema,
  total: budgetFiguresSchema,
  endpoints: { type: 'array', items: endpointRowSchema },
});

export const dailySeriesSchema = object({
  scope: scopeSchema,
  budgetMinutes: num,
  days: {
    type: 'array',
    items: object({
      date: str,
      apdexFailures: num,
      errorFailures: num,
      measurements: num,
      spentMinutes: num,
      cumulativeSpentMinutes: num,
    }),
  },
});

export const burnRateRowSchema = object({
  window: str,
  burnRate: nullableNum,
  threshold: num,
  exceeded: bool,
  daysToExhaustion: nullableNum,
});

const burnWindowReadingSchema = object({ window: str, burnRate: nullableNum, failures: num, measurements: num });

export const burnAlertSchema = object({
  tier: { enum: ['page', 'ticket', null] },
  tiers: {
    type: 'array',
    items: object({
      tier: { enum: ['page', 'ticket'] },
      threshold: num,
      long: burnWindowReadingSchema,
      short: burnWindowReadingSchema,
      minShortMeasurements: num,
      lowTraffic: bool,
      fires: bool,
    }),
  },
});

/**
 * The burn-rates answer: `{ meta, data }` plus `alert`, the two-window evaluation (BurnRatesResult).
 * `alert` is optional so a client reads a server from before it.
 */
const burnRatesSchema: JsonSchema = object(
  { meta: resultMetaSchema, data: { type: 'array', items: burnRateRowSchema }, alert: burnAlertSchema },
  ['alert'],
);

const reportGroupRowSchema = object(
  {
    ...groupBudgetProperties,
    contractApplies: bool,
    action: { enum: ['understand_spend', 'reliability_first', 'escalate', 'not_applicable', 'no_data'] },
    monthsOverBudgetInRow: num,
  },
  ['customTarget'],
);

export const monthlyReportSchema = object({
  month: str,
  start: str,
  end: str,
  groups: { type: 'array', items: reportGroupRowSchema },
  investigateSharedCause: bool,
  significantOverBudget: strArray,
  expiredExceptions: strArray,
  categoriesOverAllocation: {
    type: 'array',
    items: object({
      category: str,
      group: str,
      stage: str,
      months: { type: 'array', items: object({ month: str, spentMinutes: num, budgetMinutes: num, availability: nullableNum }) },
    }),
  },
});

export const errorBodySchema = object({
  error: object({ code: str, message: str, field: str }, ['field']),
});

export const healthSchema = object({ status: { const: 'ok' }, source: str });

/** `{ meta, data }` around a data schema: the shape of every data route (ApiResult<T>). */
export function apiResultSchema(data: JsonSchema): JsonSchema {
  return object({ meta: resultMetaSchema, data });
}

/** Response schemas by name, as they appear in the OpenAPI document's components. */
export const responseSchemas = {
  GroupList: apiResultSchema({ type: 'array', items: groupBudgetSchema }),
  Group: apiResultSchema(groupBudgetSchema),
  CategoryList: apiResultSchema({ type: 'array', items: categoryBudgetSchema }),
  TopEndpoints: apiResultSchema(topEndpointsSchema),
  EndpointBudgets: apiResultSchema(endpointBudgetsSchema),
  DailySeries: apiResultSchema(dailySeriesSchema),
  BurnRates: burnRatesSchema,
  MonthlyReport: apiResultSchema(monthlyReportSchema),
  Health: healthSchema,
  Error: errorBodySchema,
} as const satisfies Record<string, JsonSchema>;

export type ResponseSchemaName = keyof typeof responseSchemas;
