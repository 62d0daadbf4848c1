/**
 * Vocabulary of the budget engine (docs/domain.md sections 1-2).
 * Pure data; no I/O anywhere under src/sdk/budget.
 */

/** SLI components GitLab measures; other names are allowed (custom SLIs). */
export type KnownComponent = 'rails_request' | 'graphql_query' | 'sidekiq_execution';
export type Component = KnownComponent | (string & {});

export type Urgency = 'high' | 'medium' | 'default' | 'low' | 'throttled';

/**
 * Raw counts over a window, per component (domain.md F1):
 * s apdex successes, w apdex measurements (weight), o operations, e errors.
 * Counts may be fractional when they come from Prometheus rates.
 */
export interface SliCounts {
  apdexSuccess: number;
  apdexWeight: number;
  ops: number;
  errors: number;
}

export interface ComponentCounts {
  component: Component;
  counts: SliCounts;
  /** Components without an error SLI contribute nothing to `o` (domain.md section 2). */
  hasErrorSli: boolean;
}

/** A window length. `minutes` is an integer; 28 d = 40320. */
export interface BudgetWindow {
  /** '28d', '7d', '1h', or a custom label like '30d'. */
  label: string;
  minutes: number;
}

export type BudgetStatus = 'healthy' | 'over_budget' | 'no_data' | 'low_traffic';

export type DataQualityCode = 'apdex_success_exceeds_weight' | 'errors_exceed_ops' | 'failures_exceed_measurements';

export interface DataQualityWarning {
  code: DataQualityCode;
  message: string;
}

/** A target: the decimal string as configured ("99.95"), never a float. */
export type TargetPercent = string;

/** A custom target for one group (GitLab handbook: temporary exception with reason and review date). */
/** Why an exception no longer holds: its review date passed, or its traffic-share condition (budget/policy.ts exceptionExpiry). */
export type ExceptionExpiry = 'review_date' | 'traffic_share';

export interface CustomTarget {
  target: TargetPercent;
  reason: string;
  /** ISO date `YYYY-MM-DD`; past it the exception is flagged as expired. */
  reviewDate: string;
  /**
   * A second condition that ends the exception before its review date (the handbook's "until
   * 2025-01-31 or if total traffic share exceeds 5 %"): a percent of the environment's traffic.
   */
  expiresWhen?: { trafficShareAbove: string };
}

/** The engine's answer for one group, category or endpoint over one window (F1-F6, F12). */
export interface BudgetFigures {
  target: TargetPercent;
  window: BudgetWindow;
  /** Summed counts of the non-ignored components. */
  counts: SliCounts;
  /** f = (w - s) + e */
  failures: number;
  /** m = w + o */
  measurements: number;
  /** F1, clamped to <= 1; null when m = 0 (no data is never 100 % nor 0 %). */
  availability: number | null;
  /** F3, exact decimal: 20.16 for 99.95 % over 28 d. */
  budgetMinutes: number;
  /** F4; null when no data. */
  spentMinutes: number | null;
  /** F5 = F3 - F4, may be negative; null when no data. */
  remainingMinutes: number | null;
  /** F6, unclamped; null when no data. */
  remainingFraction: number | null;
  /** F7 window_minutes / m; null when no data. */
  costOfOneFailureMinutes: number | null;
  status: BudgetStatus;
  /** F12 */
  lowTraffic: boolean;
  warnings: DataQualityWarning[];
}

/**
 * Which traffic a manual adjustment removes (issue 15 item 3, docs/config.md "Adjustments"): every
 * group (`all`), some groups, or some feature categories, optionally only some SLI components.
 * Exactly one of `all`, `groups`, `categories` is set. `components` narrows any of them: the SLI
 * component (rails_request, graphql_query, sidekiq_execution) is the only per-service label both
 * sources carry, so it stands for "some components or services".
 */
export interface AdjustmentScope {
  all?: true;
  /** Group keys. */
  groups?: string[];
  categories?: string[];
  /** Only these SLI components; all of them when absent. */
  components?: Component[];
}

/**
 * A manual adjustment to spend (GitLab handbook: a system-wide incident in a shared service "may
 * warrant a manual adjustment"): spend of its scope in [from, to) is left out of the *adjusted*
 * figures; the figures as measured are unchanged.
 */
export interface Adjustment {
  /** ISO instant, inclusive (normalised: `2026-03-10T10:00:00.000Z`). */
  from: string;
  /** ISO instant, exclusive; after `from`. */
  to: string;
  scope: AdjustmentScope;
  reason: string;
  link?: string;
}
