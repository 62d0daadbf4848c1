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

/** A change of the catalog in force inside the window (contract/budgetSource.ts CatalogChange). */
const catalogChangeSchema = object(
  { at: str, kind: { enum: ['category_moved', 'group_renamed', 'category_added', 'category_removed'] }, category: str, from: str, to: str },
  ['category', 'from', 'to'],
);

export const resultMetaSchema = object(
  {
    window: object({ label: str, minutes: num, start: str, end: str }),
    asOf: str,
    provenance: object({ kind: { enum: ['promql', 'store'] }, source: str, queries: strArray }),
    warnings: strArray,
    // Optional (issue 15 item 1): the window spans a catalog change; what moved.
    catalogChanges: { type: 'array', items: catalogChangeSchema },
  },
  ['warnings', 'catalogChanges'],
);

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

const adjustmentScopeSchema = object({ all: { const: true }, groups: strArray, categories: strArray, components: strArray }, ['all', 'groups', 'categories', 'components']);

const appliedAdjustmentProperties: Record<string, JsonSchema> = {
  from: str,
  to: str,
  scope: adjustmentScopeSchema,
  reason: str,
  link: str,
  counted: object({ start: str, end: str, minutes: num }),
};

/** A manual adjustment as it met an answer's window (AppliedAdjustment). */
export const appliedAdjustmentSchema = object(appliedAdjustmentProperties, ['link']);

/** The figures without the adjustments' spend, each adjustment with what it removed (AdjustedFigures). */
export const adjustedFiguresSchema = object({
  ...budgetFiguresProperties,
  adjustments: { type: 'array', items: object({ ...appliedAdjustmentProperties, removedFailures: num, removedMeasurements: num }, ['link']) },
});

const groupBudgetProperties: Record<string, JsonSchema> = {
  ...budgetFiguresProperties,
  group: str,
  name: str,
  stage: str,
  categories: strArray,
  ignoredComponents: strArray,
  trafficShare: nullableNum,
  customTarget: customTargetSchema,
  adjusted: adjustedFiguresSchema,
};

export const groupBudgetSchema = object(groupBudgetProperties, ['customTarget', 'adjusted']);

export const categoryBudgetSchema = object({ ...budgetFiguresProperties, category: str, group: str, stage: str, adjusted: adjustedFiguresSchema }, ['adjusted']);

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

// ---- objectives (issue 13; contract/objectiveTypes.ts) --------------------------------------

const statusEnum = { enum: ['healthy', 'over_budget', 'no_data', 'low_traffic'] } as const;
const objectiveWarningsSchema = { type: 'array', items: object({ code: str, message: str }) } as const;

/** What every method's figures end with: the share left, the status and the warnings. */
const figuresEnd = { remainingFraction: nullableNum, status: statusEnum, lowTraffic: bool, warnings: objectiveWarningsSchema };
/** The slice methods' window, in slices, and what is left of their budget. */
const sliceWindow = { sliceMinutes: num, windowSlices: num };
const sliceCounts = { emptySlices: num, unreportedSlices: num, countedSlices: num, sli: nullableNum };
const slicesLeft = { slicesLeft: nullableNum, minutesLeft: nullableNum, ...figuresEnd };

const occurrenceFiguresSchema = object({
  method: { const: 'Occurrences' },
  target: str,
  good: num,
  bad: num,
  total: num,
  sli: nullableNum,
  budgetEvents: nullableNum,
  eventsLeft: nullableNum,
  ...figuresEnd,
});

const timesliceFiguresSchema = object({
  method: { const: 'Timeslices' },
  target: str,
  timeSliceTarget: nullableStr,
  ...sliceWindow,
  goodSlices: num,
  badSlices: num,
  ...sliceCounts,
  budgetSlices: num,
  allowedBadSlices: num,
  budgetMinutes: num,
  badMinutes: num,
  ...slicesLeft,
});

const ratioTimesliceFiguresSchema = object({
  method: { const: 'RatioTimeslices' },
  target: str,
  ...sliceWindow,
  judgedSlices: num,
  ...sliceCounts,
  budgetSlices: num,
  budgetMinutes: num,
  spentSlices: num,
  spentMinutes: num,
  ...slicesLeft,
});

export const objectiveFiguresSchema: JsonSchema = { oneOf: [occurrenceFiguresSchema, timesliceFiguresSchema, ratioTimesliceFiguresSchema] };

const opEnum = { enum: ['gt', 'gte', 'lt', 'lte'] } as const;

const burnAlertResultSchema = object(
  {
    tier: object({ longWindowMinutes: num, shortWindowMinutes: num, factor: { type: ['string', 'number'] }, op: opEnum, name: str }, ['shortWindowMinutes', 'op', 'name']),
    name: str,
    factor: num,
    state: { enum: ['firing', 'quiet', 'no_data', 'low_traffic', 'unreachable'] },
    firing: bool,
    longBurnRate: nullableNum,
    shortBurnRate: nullableNum,
    guardedWindowEvents: nullableNum,
    minShortWindowEvents: num,
    reason: str,
  },
  ['reason'],
);

const objectiveQuerySchema = object(
  { role: { enum: ['good', 'bad', 'total', 'value', 'ratio', 'bounds'] }, query: str, kind: { enum: ['instant', 'range'] }, stepSeconds: num, window: str },
  ['stepSeconds'],
);

const objectiveBudgetProperties: Record<string, JsonSchema> = {
  name: str,
  displayName: str,
  description: str,
  service: str,
  category: str,
  group: str,
  definedAt: object({ file: str, line: num }),
  target: str,
  method: { enum: ['Occurrences', 'Timeslices', 'RatioTimeslices'] },
  window: str,
  sliceMinutes: num,
  sli: str,
  figures: { oneOf: [{ type: 'null' }, objectiveFiguresSchema] },
  range: { oneOf: [{ type: 'null' }, object({ start: str, end: str, minutes: num })] },
  burnRate1h: nullableNum,
  burnAlerts: { type: 'array', items: burnAlertResultSchema },
  queries: { type: 'array', items: objectiveQuerySchema },
  warnings: strArray,
  error: object({ code: str, message: str }),
};

const OBJECTIVE_OPTIONAL = ['displayName', 'description', 'service', 'category', 'group', 'sliceMinutes', 'error'];

export const objectiveBudgetSchema = object(objectiveBudgetProperties, OBJECTIVE_OPTIONAL);

export const objectiveDetailSchema = object(
  {
    ...objectiveBudgetProperties,
    burnDown: { type: 'array', items: object({ day: str, end: str, remainingFraction: nullableNum, spent: num }) },
  },
  OBJECTIVE_OPTIONAL,
);

/** An objective in the monthly report: its figures over the report's month (ReportObjectiveRow). */
const reportObjectiveRowSchema = object(
  {
    name: str,
    displayName: str,
    category: str,
    group: str,
    target: str,
    method: { enum: ['Occurrences', 'Timeslices', 'RatioTimeslices'] },
    window: str,
    sli: str,
    figures: { oneOf: [{ type: 'null' }, objectiveFiguresSchema] },
    range: { oneOf: [{ type: 'null' }, object({ start: str, end: str, minutes: num })] },
    error: object({ code: str, message: str }),
  },
  ['displayName', 'category', 'group', 'error'],
);

const reportGroupRowSchema = object(
  {
    ...groupBudgetProperties,
    contractApplies: bool,
    action: { enum: ['understand_spend', 'reliability_first', 'escalate', 'not_applicable', 'no_data'] },
    monthsOverBudgetInRow: num,
    inCatalog: object({ from: str, until: str }, ['from', 'until']),
  },
  ['customTarget', 'adjusted', 'inCatalog'],
);

export const monthlyReportSchema = object(
  {
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
    objectives: { type: 'array', items: reportObjectiveRowSchema },
    adjustments: { type: 'array', items: appliedAdjustmentSchema },
    catalogChanges: { type: 'array', items: catalogChangeSchema },
  },
  ['objectives', 'adjustments', 'catalogChanges'],
);

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
  ObjectiveList: apiResultSchema({ type: 'array', items: objectiveBudgetSchema }),
  Objective: apiResultSchema(objectiveDetailSchema),
  Health: healthSchema,
  Error: errorBodySchema,
} as const satisfies Record<string, JsonSchema>;

export type ResponseSchemaName = keyof typeof responseSchemas;
