/**
 * Objectives that are not GitLab's (issue 13) as the Budget API speaks them: the engine's figures
 * (objectives/engine computes them; their types live here so the API, the server's schemas, the
 * client and the editor share one definition) and an objective's status as `/objectives` answers.
 * Types only; docs/objectives.md says what each figure means.
 */
import type { BudgetStatus } from './budgetTypes';

export type ObjectiveWarningCode = 'good_exceeds_total' | 'bad_exceeds_total' | 'slices_exceed_window' | 'ratio_out_of_range';

/** Broken instrumentation: the figure is computed from clamped counts and cannot be trusted. */
export interface ObjectiveWarning {
  code: ObjectiveWarningCode;
  message: string;
}

export interface OccurrenceFigures {
  method: 'Occurrences';
  /** T as written ("0.998"). */
  target: string;
  good: number;
  bad: number;
  total: number;
  /** good / total, in [0, 1]; null when there are no events. */
  sli: number | null;
  /** (1 - T) * total, exact; null when there are no events. */
  budgetEvents: number | null;
  /** budget - bad (bad clamped to [0, total]); negative when over budget; null without events. */
  eventsLeft: number | null;
  /** events left / budget: 1 untouched, 0 spent, below 0 over; null without events. */
  remainingFraction: number | null;
  status: BudgetStatus;
  /** (1 - T) * total < 1: one bad event would already break the target. */
  lowTraffic: boolean;
  warnings: ObjectiveWarning[];
}

export interface TimesliceFigures {
  method: 'Timeslices';
  target: string;
  timeSliceTarget: string | null;
  sliceMinutes: number;
  /** N: window minutes / slice minutes. */
  windowSlices: number;
  goodSlices: number;
  badSlices: number;
  /** Left out of N (no events in the slice). */
  emptySlices: number;
  /** N - good - bad - empty: still to come, or not reported; they stay in N. */
  unreportedSlices: number;
  /** N - empty: the slices the budget is taken from. */
  countedSlices: number;
  /** good / (good + bad); null when no slice was judged. */
  sli: number | null;
  /** (1 - T) * counted, exact (20.16). */
  budgetSlices: number;
  /** floor(budgetSlices) (20): this many bad slices still meet the target, one more does not. */
  allowedBadSlices: number;
  /** budgetSlices * slice minutes (20.16). */
  budgetMinutes: number;
  badMinutes: number;
  /** allowed - bad; negative when over; null without data. */
  slicesLeft: number | null;
  /** budget minutes - bad minutes (20.16 - 20 = 0.16); null without data. */
  minutesLeft: number | null;
  /** 1 - bad / budgetSlices; null without data. */
  remainingFraction: number | null;
  status: BudgetStatus;
  /** budgetSlices < 1: a single bad slice breaks the target. */
  lowTraffic: boolean;
  warnings: ObjectiveWarning[];
}

export interface RatioTimesliceFigures {
  method: 'RatioTimeslices';
  target: string;
  sliceMinutes: number;
  /** N: window minutes / slice minutes. */
  windowSlices: number;
  /** Slices with data (a ratio). */
  judgedSlices: number;
  emptySlices: number;
  unreportedSlices: number;
  /** N - empty. */
  countedSlices: number;
  /** The mean slice ratio; null when no slice has data. */
  sli: number | null;
  /** (1 - T) * counted, in slices. */
  budgetSlices: number;
  budgetMinutes: number;
  /** Sum of (1 - r_i). */
  spentSlices: number;
  spentMinutes: number;
  /** budget - spent; null without data. */
  slicesLeft: number | null;
  minutesLeft: number | null;
  remainingFraction: number | null;
  status: BudgetStatus;
  /** budgetSlices < 1: one fully bad slice breaks the target. */
  lowTraffic: boolean;
  warnings: ObjectiveWarning[];
}

export type BurnAlertOp = 'gt' | 'gte' | 'lt' | 'lte';

/** One alert tier: fire when `burn rate op factor` holds in its long and its short window (op `gt` by default). */
export interface BurnAlertTier {
  longWindowMinutes: number;
  /** Omitted: a single-window condition (an OpenSLO AlertCondition's lookbackWindow alone). */
  shortWindowMinutes?: number;
  /** Burn-rate threshold, a decimal string ("14.4") or number. */
  factor: string | number;
  /** Fire when `burn rate op factor` holds in every window of the tier; default `gt`. */
  op?: BurnAlertOp;
  /** A label for messages ("page", "ticket"); defaults to "1h/5m above 14.4x". */
  name?: string;
}

export type BurnAlertState = 'firing' | 'quiet' | 'no_data' | 'low_traffic' | 'unreachable';

export interface BurnAlertResult {
  tier: BurnAlertTier;
  /** tier.name, or "1h/5m above 14.4x". */
  name: string;
  /** The factor as a number. */
  factor: number;
  /**
   * firing: `rate op factor` in both windows (above it, by default); quiet: not; no_data: a window without events;
   * low_traffic: the short window (the long one for a single-window tier) has fewer events than
   * minShortWindowEvents, so the tier does not fire whatever the rates; unreachable: see reason.
   */
  state: BurnAlertState;
  firing: boolean;
  /** Null when unreachable or the window has no events. */
  longBurnRate: number | null;
  shortBurnRate: number | null;
  /** Events in the guarded window (short, or long for a single-window tier); null when unreachable. */
  guardedWindowEvents: number | null;
  /** The low-traffic guard of this tier (0 for lt / lte tiers). */
  minShortWindowEvents: number;
  /** Only for unreachable tiers. */
  reason?: string;
}

/** The figures of one objective over its window: one of the three budgeting methods. */
export type ObjectiveMethodFigures = OccurrenceFigures | TimesliceFigures | RatioTimesliceFigures;

/** One expression a backend evaluated for an objective, and why ("explain the number"). */
export interface ObjectiveQuery {
  /** good, bad, total (events), value / ratio (per slice), bounds (a histogram's le values). */
  role: 'good' | 'bad' | 'total' | 'value' | 'ratio' | 'bounds';
  /** PromQL for Prometheus; the store's own description of what it summed for the store. */
  query: string;
  /** instant at the evaluation time, or a range with step (seconds). */
  kind: 'instant' | 'range';
  stepSeconds?: number;
  /** The window this query measures: the objective's ("28d") or a burn window ("1h"). */
  window: string;
}

/** What `/objectives` answers for one objective: its definition in brief, then its figures. */
export interface ObjectiveBudget {
  /** metadata.name: the id annotations (`@slo name`), path rules and `/objectives/{name}` use. */
  name: string;
  displayName?: string;
  description?: string;
  service?: string;
  /** Where it attaches in the catalog. */
  category?: string;
  group?: string;
  /** Where it is defined: workspace-relative file, 1-based line. */
  definedAt: { file: string; line: number };
  /** T as an exact ratio string ("0.998"). */
  target: string;
  method: 'Occurrences' | 'Timeslices' | 'RatioTimeslices';
  /** The window as written ("28d", "1M"). */
  window: string;
  sliceMinutes?: number;
  /** The SLI in words ("good / total", "p95 of x < 100 ms per 5m slice"). */
  sli: string;
  /**
   * The figures, or null when the objective could not be evaluated (then `error` says why;
   * one objective failing never fails the others).
   */
  figures: ObjectiveMethodFigures | null;
  /** The measured part of the window: [start, end), ISO; `end` is the evaluation time. */
  range: { start: string; end: string; minutes: number } | null;
  /** (bad / total) / (1 - T) over the last hour; null without events. */
  burnRate1h: number | null;
  burnAlerts: BurnAlertResult[];
  /** Every expression evaluated: the window's, then the burn windows'. */
  queries: ObjectiveQuery[];
  warnings: string[];
  error?: { code: string; message: string };
}

/** One day of an objective's burn-down: the budget left at the end of that day. */
export interface ObjectiveBurnDownPoint {
  /** YYYY-MM-DD (UTC): the day ending at `end`. */
  day: string;
  end: string;
  /** Budget left after this day (events or slices, as the method counts); null before any event. */
  remainingFraction: number | null;
  /** This day's bad events (Occurrences) or bad slices (Timeslices) or spent slices (RatioTimeslices). */
  spent: number;
}

/** `/objectives/{name}`: the status plus its burn-down over the window, day by day. */
export interface ObjectiveDetail extends ObjectiveBudget {
  burnDown: ObjectiveBurnDownPoint[];
}
