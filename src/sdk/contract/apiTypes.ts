/**
 * The high-level Budget API: what the extension, the CLI and the HTTP server speak.
 * Implemented locally by BudgetService (a BudgetSource + the catalog + the engine) and remotely
 * by BudgetApiClient (HTTP to `budget-lens serve`). JSON-serialisable throughout; the server's
 * OpenAPI document describes exactly these shapes.
 */
import type { Adjustment, BudgetFigures, Component, CustomTarget, ExceptionExpiry, SliCounts } from './budgetTypes';
import type { CatalogChange, ResultMeta, Scope } from './budgetSource';
import type { ObjectiveBudget, ObjectiveDetail, ObjectiveMethodFigures } from './objectiveTypes';

export interface ApiResult<T> {
  meta: ResultMeta;
  data: T;
}

export interface QueryOptions {
  /** '28d' (default), '7d', or a custom 'Nd' / 'Nh'. */
  window?: string;
  /** Evaluation time: the instant the window ends. Default now. */
  at?: Date;
  signal?: AbortSignal;
}

/** A manual adjustment as it applied to one answer's window (issue 15 item 3). */
export interface AppliedAdjustment extends Adjustment {
  /**
   * The part of the window it removed, as the source counts it: Prometheus exactly [from, to)
   * clipped to the window; the store whole hours (the buckets the range touches, inside the window).
   */
  counted: { start: string; end: string; minutes: number };
}

/** An adjustment's part of one scope's adjusted figures. */
export interface ScopeAdjustment extends AppliedAdjustment {
  /** f and m it removed from this scope (its ignored components left out). */
  removedFailures: number;
  removedMeasurements: number;
}

/**
 * The figures with the spend of the manual adjustments that apply left out (docs/config.md
 * "Adjustments", domain.md section 6), beside the figures as measured (the object it sits in).
 */
export interface AdjustedFigures extends BudgetFigures {
  /** Every adjustment whose scope and range meet this scope's window, oldest first. */
  adjustments: ScopeAdjustment[];
}

export interface GroupBudget extends BudgetFigures {
  group: string;
  name: string;
  stage: string;
  categories: string[];
  ignoredComponents: Component[];
  /** F13: this group's m / all groups' m; null when nobody has data. */
  trafficShare: number | null;
  /** `expiredBecause` is set when `expired` is true. */
  customTarget?: CustomTarget & { expired: boolean; expiredBecause?: ExceptionExpiry };
  /** Present when a manual adjustment applies in the window: the figures without its spend. The fields above stay as measured. */
  adjusted?: AdjustedFigures;
}

export interface CategoryBudget extends BudgetFigures {
  category: string;
  group: string;
  stage: string;
  /** As on GroupBudget: the figures without the spend of the adjustments that apply. */
  adjusted?: AdjustedFigures;
}

/** F8: one row of the top failing endpoints. */
export interface EndpointRow {
  endpointId: string;
  component: Component;
  category: string;
  urgency: string;
  apdexFailures: number;
  errors: number;
  /** f_i */
  failures: number;
  /** m_i */
  measurements: number;
  /** f_i / f of the scope */
  shareOfSpend: number;
  /** F7: f_i * window_minutes / m (m of the scope) */
  spentMinutes: number;
  /** 1 - f_i / m_i; null when m_i = 0 */
  ownAvailability: number | null;
}

export interface TopEndpoints {
  scope: Scope;
  total: BudgetFigures;
  endpoints: EndpointRow[];
}

/**
 * One endpoint's own figures over the window (`GET /api/v1/endpoints?ids=`), every share and
 * minute measured against its feature category (domain.md F15): the one definition the editor's
 * lenses, hovers, tree and panel show, labelled "of <category>'s spend".
 */
export interface EndpointBudget {
  endpointId: string;
  /** The category its traffic was reported under (the one with most measurements); null with no traffic. */
  category: string | null;
  /** The category's group; null with no traffic. */
  group: string | null;
  /** Components it was measured in (usually one). */
  components: Component[];
  urgency: string | null;
  /** Its counts summed over its components (ignored components left out). */
  counts: SliCounts;
  apdexFailures: number;
  errors: number;
  /** f_i */
  failures: number;
  /** m_i */
  measurements: number;
  /** 1 - f_i / m_i; null when m_i = 0 (no traffic). */
  ownAvailability: number | null;
  /** The category's group's target ("99.95"). */
  target: string;
  /** ownAvailability < target (never with no traffic). */
  belowTarget: boolean;
  /** F15: f_i * window_minutes / m of its category; 0 with no traffic. */
  spentMinutes: number;
  /** F15: f_i / f of its category; 0 when the category has no failure. */
  shareOfSpend: number;
  /** The category's f and m (what the two figures above are measured against). */
  categoryFailures: number;
  categoryMeasurements: number;
  /** 1-based place among the category's offenders (endpoints with f > 0, F8 order); null when f_i = 0. */
  rank: number | null;
  /** How many endpoints of its category failed in the window (0 with no traffic). */
  offenders: number;
}

export interface EndpointBudgets {
  /** One per asked id, in the order asked (duplicates once). */
  endpoints: EndpointBudget[];
}

export interface DailyRow {
  date: string;
  apdexFailures: number;
  errorFailures: number;
  measurements: number;
  /** Minutes of the window's budget spent by this day's failures: f_day * window_minutes / m_window. */
  spentMinutes: number;
  cumulativeSpentMinutes: number;
}

export interface DailySeries {
  scope: Scope;
  budgetMinutes: number;
  days: DailyRow[];
}

export interface BurnRateRow {
  /** '1h', '6h', '3d' */
  window: string;
  /** F9; null when no data in that window. */
  burnRate: number | null;
  /** F10 factor of the policy for this window (13.44, 5.6, 0.933...). */
  threshold: number;
  exceeded: boolean;
  /** F11 in days at this burn rate; null when not burning or no data. */
  daysToExhaustion: number | null;
}

/** The two tiers of the multiwindow burn-rate alert (domain.md F16). */
export type BurnAlertTier = 'page' | 'ticket';

/** One window's reading in a tier's condition. */
export interface BurnWindowReading {
  /** '1h', '5m', '6h', '30m' */
  window: string;
  /** F9; null when the window has no measurements. */
  burnRate: number | null;
  /** f and m over the window (summed over the counted components). */
  failures: number;
  measurements: number;
}

/** One tier: fires when both windows burn above `threshold` and the short window has enough traffic. */
export interface BurnTierEvaluation {
  tier: BurnAlertTier;
  /** 14.4 (page) or 6 (ticket): both burn rates must be strictly above it. */
  threshold: number;
  /** The long window: '1h' (page) or '6h' (ticket). */
  long: BurnWindowReading;
  /** The short window: '5m' (page) or '30m' (ticket); it lets the alert stop soon after the burn does. */
  short: BurnWindowReading;
  /** The low-traffic guard: the short window needs this many measurements before the tier may fire. */
  minShortMeasurements: number;
  /** The short window has fewer than minShortMeasurements: the tier does not fire, whatever the rates. */
  lowTraffic: boolean;
  fires: boolean;
}

/** The multiwindow burn-rate condition (domain.md F16): which tier fires, if any. */
export interface BurnAlert {
  /** The most severe tier that fires ('page' before 'ticket'); null when none does. */
  tier: BurnAlertTier | null;
  /** Page first, then ticket. */
  tiers: BurnTierEvaluation[];
}

/**
 * The burn-rates answer: the rows of the 1 h / 6 h / 3 d policy windows in `data`, as before,
 * and, next to `meta` and `data`, the two-window alert evaluation. Optional for clients: a server
 * from before it answers without `alert`.
 */
export interface BurnRatesResult extends ApiResult<BurnRateRow[]> {
  alert?: BurnAlert;
}

export type ContractAction = 'understand_spend' | 'reliability_first' | 'escalate' | 'not_applicable' | 'no_data';

export interface ReportGroupRow extends GroupBudget {
  /** Contract applies at traffic share > 0.01 %. */
  contractApplies: boolean;
  action: ContractAction;
  /** Consecutive months over budget ending with this one. */
  monthsOverBudgetInRow: number;
  /**
   * The group was in the catalog for part of the month only (catalog history, issue 15 item 1):
   * `from` the instant it came in (absent: before the month), `until` the instant it left (absent:
   * after the month). Absent when it was there all month or no history is known.
   */
  inCatalog?: { from?: string; until?: string };
}

/** One month of a category over its allocation (CategoryOverAllocation). */
export interface CategoryMonth {
  /** 'YYYY-MM' */
  month: string;
  spentMinutes: number;
  budgetMinutes: number;
  availability: number | null;
}

/**
 * A feature category whose spend was above its allocation (its group's target applied to the
 * category's own traffic: over budget by itself) in the report month and the two before: the
 * handbook puts such categories on the Engineering Allocation agenda (domain.md section 3).
 */
export interface CategoryOverAllocation {
  category: string;
  group: string;
  stage: string;
  /** The three months, oldest first. */
  months: CategoryMonth[];
}

/**
 * One objective of the project (issue 13) in the monthly report: its figures over the report's
 * month (the month in place of its own window, up to now while the month is in progress).
 */
export interface ReportObjectiveRow {
  name: string;
  displayName?: string;
  category?: string;
  group?: string;
  /** T as an exact ratio string ("0.998"). */
  target: string;
  method: 'Occurrences' | 'Timeslices' | 'RatioTimeslices';
  /** Its own window as written ("28d"); the report measures the month instead. */
  window: string;
  /** The SLI in words (objectives/describe.ts). */
  sli: string;
  /** Over the month; null when it could not be evaluated (then `error`). */
  figures: ObjectiveMethodFigures | null;
  /** The measured part of the month: [start, end), ISO. */
  range: { start: string; end: string; minutes: number } | null;
  error?: { code: string; message: string };
}

export interface MonthlyReport {
  /** 'YYYY-MM' */
  month: string;
  start: string;
  end: string;
  groups: ReportGroupRow[];
  /** More than 5 groups with share > 0.1 % over budget -> investigate a shared cause first. */
  investigateSharedCause: boolean;
  significantOverBudget: string[];
  expiredExceptions: string[];
  /** Categories over their allocation three months in a row, by category name. */
  categoriesOverAllocation: CategoryOverAllocation[];
  /** The project's objectives over the month; absent when it defines none (issue 13). */
  objectives?: ReportObjectiveRow[];
  /**
   * Every manual adjustment whose range meets the month, oldest first (absent when the project has
   * none); the groups it touched carry `adjusted` figures. The rows' action and runs stay as measured.
   */
  adjustments?: AppliedAdjustment[];
  /** The catalog changes inside the month, oldest first (absent when none or no history is known). */
  catalogChanges?: CatalogChange[];
}

export interface BudgetApi {
  groups(q?: QueryOptions): Promise<ApiResult<GroupBudget[]>>;
  group(key: string, q?: QueryOptions): Promise<ApiResult<GroupBudget>>;
  categories(names: string[], q?: QueryOptions): Promise<ApiResult<CategoryBudget[]>>;
  topEndpoints(scope: Scope, q?: QueryOptions & { limit?: number }): Promise<ApiResult<TopEndpoints>>;
  /** Each endpoint's own figures (F15), measured against its category; ids as the backend reports them. */
  endpoints(ids: string[], q?: QueryOptions): Promise<ApiResult<EndpointBudgets>>;
  daily(scope: Scope, q?: QueryOptions): Promise<ApiResult<DailySeries>>;
  burnRates(scope: Scope, q?: Omit<QueryOptions, 'window'>): Promise<BurnRatesResult>;
  report(month: string, q?: Omit<QueryOptions, 'window' | 'at'>): Promise<ApiResult<MonthlyReport>>;
  /** The project's objectives (issue 13), each evaluated over its own window at `at`; `names` narrows the list. Window is the objective's own: `q.window` is not used. */
  objectives(q?: Omit<QueryOptions, 'window'> & { names?: string[] }): Promise<ApiResult<ObjectiveBudget[]>>;
  /** One objective with its day-by-day burn-down; UnknownScopeError('objective', name) when the project has none of that name. */
  objective(name: string, q?: Omit<QueryOptions, 'window'>): Promise<ApiResult<ObjectiveDetail>>;
}
