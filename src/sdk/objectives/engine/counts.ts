/**
 * What the objective engine is given: counts for a window, never queries. A source (Prometheus,
 * the store, a test) turns an ObjectiveSpec's `sli` into these shapes; the engine only divides.
 *
 * - Occurrences: the events of the window, good/total or bad/total (an OpenSLO ratioMetric's
 *   `good` or `bad` form), summed first, divided once.
 * - Timeslices: the window's slices as outcomes (good / bad / empty slice counts) or as one sample
 *   per slice (its events, or its ratio) that the engine classifies against timeSliceTarget.
 * - RatioTimeslices: one sample per slice; the SLI is the mean of their ratios.
 *
 * Counts may be fractional (sums of Prometheus rates); they must be finite and not negative.
 * Parts above their whole (good > total, bad > total) are broken instrumentation: clamped, and
 * the figures carry a warning, as in the GitLab engine (budget/budgetMath.ts).
 */
import { BudgetInputError } from '../../budget/budgetInputError';
import { ExactDecimal, dec } from '../../budget/exactDecimal';
import type { ObjectiveWarning } from '../../contract/objectiveTypes';
export type { ObjectiveWarningCode, ObjectiveWarning } from '../../contract/objectiveTypes';

/** The events of one window: good of total, or bad of total. */
export type EventCounts = { good: number; total: number; bad?: undefined } | { bad: number; total: number; good?: undefined };

/**
 * One time slice: its events ({ good, total } or { bad, total }; total 0 is an empty slice), or
 * its ratio of good events as a number in [0, 1], or null for a slice without data.
 */
export type SliceSample = EventCounts | number | null;

/** A window's slices already classified (Timeslices). Slices of the window not counted here are unreported. */
export interface SliceOutcomes {
  good: number;
  bad: number;
  /** Slices without events: neither good nor bad, left out of the window's slices (docs/objectives.md). */
  empty: number;
}



/** A count the engine can use: finite and >= 0. */
export function assertCount(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new BudgetInputError(`count ${name} is ${String(value)}; counts must be finite numbers >= 0`);
  }
}

/** Events of a window, read exactly: bad and total as decimals, bad clamped to [0, total]. */
export interface ExactEvents {
  /** The raw numbers as given, good derived as total - bad when only bad was given (and vice versa). */
  good: number;
  bad: number;
  total: number;
  /** bad clamped to [0, total], exact. */
  badExact: ExactDecimal;
  totalExact: ExactDecimal;
  warnings: ObjectiveWarning[];
}

/** Reads EventCounts: checks the numbers, derives the missing part, clamps a part above its whole. */
export function readEvents(counts: EventCounts, what = 'events'): ExactEvents {
  assertCount(counts.total, `${what}.total`);
  const totalExact = dec(counts.total);
  const warnings: ObjectiveWarning[] = [];
  let badRaw: ExactDecimal;
  if (counts.good !== undefined) {
    assertCount(counts.good, `${what}.good`);
    const good = dec(counts.good);
    if (good.gt(totalExact)) {
      warnings.push({ code: 'good_exceeds_total', message: `${what}: ${counts.good} good events of ${counts.total}; the SLI is capped at 1` });
    }
    badRaw = totalExact.minus(good);
  } else if (counts.bad !== undefined) {
    assertCount(counts.bad, `${what}.bad`);
    badRaw = dec(counts.bad);
    if (badRaw.gt(totalExact)) {
      warnings.push({ code: 'bad_exceeds_total', message: `${what}: ${counts.bad} bad events of ${counts.total}; the SLI is floored at 0` });
    }
  } else {
    throw new BudgetInputError(`${what} need good or bad next to total`);
  }
  const badExact = ExactDecimal.min(ExactDecimal.max(badRaw, 0), totalExact);
  const good = counts.good ?? totalExact.minus(badRaw).toNumber();
  const bad = counts.bad ?? badRaw.toNumber();
  return { good, bad, total: counts.total, badExact, totalExact, warnings };
}

/** OpenSLO thresholdMetric / native threshold comparison: a value is good when `value op threshold`. */
export type ThresholdOp = 'lt' | 'lte' | 'gt' | 'gte';

/** `value op threshold`, compared exactly (the threshold is the decimal string as written). */
export function meetsThreshold(value: number, op: ThresholdOp, threshold: string | ExactDecimal): boolean {
  const t = typeof threshold === 'string' ? new ExactDecimal(threshold) : threshold;
  const c = dec(value).cmp(t);
  switch (op) {
    case 'lt':
      return c < 0;
    case 'lte':
      return c <= 0;
    case 'gt':
      return c > 0;
    case 'gte':
      return c >= 0;
  }
}

/**
 * A threshold SLI's values (one per data point: a request's duration, a p95 per minute) as
 * events: good when `value op threshold` holds. Non-finite values (NaN gaps) are not events.
 * "95 % of starts under 2 min": durations [30, 119, 125] seconds, lt 120 -> { good: 2, total: 3 }.
 */
export function countThresholdValues(values: readonly number[], op: ThresholdOp, threshold: string): { good: number; total: number } {
  const t = new ExactDecimal(threshold);
  let good = 0;
  let total = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    total++;
    if (meetsThreshold(v, op, t)) good++;
  }
  return { good, total };
}
