/**
 * Timeslices (OpenSLO budgetingMethod `Timeslices`): the window is cut into slices of
 * timeSliceWindow; a slice is good when its own ratio of good events is at least timeSliceTarget
 * (OpenSLO: "when the ratio is below given timeSliceTarget we count it as bad"), bad otherwise.
 *
 *   N                  = window minutes / slice minutes   (28 d of 1-minute slices: 40,320)
 *   counted slices     = N - empty slices                 (empty slices are left out, below)
 *   budget (slices)    = (1 - T) * counted                (99.95 %: 0.0005 * 40,320 = 20.16)
 *   allowed bad slices = floor(budget)                    (20: 20 bad slices pass, 21 fail)
 *   budget (minutes)   = budget * slice minutes           (20.16 bad minutes)
 *   SLI                = good / (good + bad)
 *   slices left        = allowed - bad; minutes left = budget minutes - bad minutes
 *   remaining fraction = 1 - bad / budget
 *
 * Empty slices (no events, or no value) are neither good nor bad: they leave N, so they neither
 * spend the budget nor earn any. Counting them good would make an idle service read 100 %, which
 * the engine never says without data; counting them bad would make a quiet night an outage. With
 * them left out, "SLI >= T" and "bad <= allowed" are the same statement. A window whose slices
 * are all empty is no data.
 *
 * Unreported slices (N minus the good, bad and empty ones: the rest of a calendar month still to
 * come, or slices a source did not report) stay in N: the budget is the whole window's, as the
 * GitLab engine's 20.16 minutes are, and shrinks only when a slice turns out empty.
 *
 * Status as in Occurrences: no_data (no good or bad slice) > low_traffic (budget < 1 slice: a
 * single bad slice breaks the target, e.g. 99.95 % over 1 d of 1-minute slices, 0.72) >
 * over_budget (bad > allowed) > healthy.
 */
import { BudgetInputError } from '../../budget/budgetInputError';
import { ExactDecimal, ONE, dec, toNumber } from '../../budget/exactDecimal';
import { readEvents } from './counts';
import type { ObjectiveWarning, SliceOutcomes, SliceSample } from './counts';
import { objectiveTarget, timeSliceTargetOf } from './target';
import type { TimesliceFigures } from '../../contract/objectiveTypes';
export type { TimesliceFigures } from '../../contract/objectiveTypes';

/** The window and slice lengths a slice-based objective is evaluated over. */
export interface SliceWindow {
  /** The window's length in minutes (rolling: spec.window.minutes; calendar: windowRange(...).minutes). */
  windowMinutes: number;
  /** spec.timeSliceWindowMinutes. */
  sliceMinutes: number;
}

function assertPositive(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new BudgetInputError(`${name} is ${String(value)}; it must be a positive number of minutes`);
  }
}

/**
 * N, the slices of a window: floor(window minutes / slice minutes), exact. A trailing part shorter
 * than a slice is not a slice. 28 d / 1 min -> 40,320; February 2026 -> 40,320; March -> 44,640.
 */
export function windowSliceCount(win: SliceWindow): number {
  assertPositive(win.windowMinutes, 'the window');
  assertPositive(win.sliceMinutes, 'the time slice');
  return toNumber(dec(win.windowMinutes).div(dec(win.sliceMinutes)).floor());
}

function assertSliceCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new BudgetInputError(`${name} is ${String(value)}; slice counts are whole numbers >= 0`);
}

/** A slice sample's ratio of good events, clamped to [0, 1], or null for an empty slice. */
export function sliceRatio(sample: SliceSample, index: number, warnings: ObjectiveWarning[]): ExactDecimal | null {
  if (sample === null) return null;
  if (typeof sample === 'number') {
    if (Number.isNaN(sample)) return null;
    if (!Number.isFinite(sample) || sample < 0 || sample > 1) {
      warnings.push({ code: 'ratio_out_of_range', message: `slice ${index}: ratio ${sample} is outside [0, 1]; clamped` });
    }
    if (!Number.isFinite(sample)) return sample > 0 ? ONE : dec(0);
    return ExactDecimal.min(ExactDecimal.max(dec(sample), 0), ONE);
  }
  const ev = readEvents(sample, `slice ${index}`);
  warnings.push(...ev.warnings);
  if (!ev.totalExact.gt(0)) return null;
  return ONE.minus(ev.badExact.div(ev.totalExact));
}

/**
 * Classifies one sample per slice against timeSliceTarget: good when the slice's ratio is at least
 * the target (compared exactly: 995 good of 1000 meets "0.995"), empty when it has no events.
 */
export function classifySlices(samples: readonly SliceSample[], timeSliceTarget: string): SliceOutcomes & { warnings: ObjectiveWarning[] } {
  const tst = timeSliceTargetOf(timeSliceTarget);
  const warnings: ObjectiveWarning[] = [];
  let good = 0;
  let bad = 0;
  let empty = 0;
  samples.forEach((sample, i) => {
    const r = sliceRatio(sample, i, warnings);
    if (r === null) empty++;
    else if (r.gte(tst)) good++;
    else bad++;
  });
  return { good, bad, empty, warnings };
}

/** The slices of N the budget is taken from: N - empty, never fewer than the judged ones. */
export function countedSlices(windowSlices: number, empty: number, judged: number, warnings: ObjectiveWarning[]): { counted: number; unreported: number } {
  const reported = judged + empty;
  if (reported > windowSlices) {
    warnings.push({
      code: 'slices_exceed_window',
      message: `${reported} slices reported for a window of ${windowSlices}; the window's slices are taken as ${Math.max(windowSlices - empty, judged)}`,
    });
  }
  return { counted: Math.max(windowSlices - empty, judged), unreported: Math.max(windowSlices - reported, 0) };
}


export interface TimesliceOptions extends SliceWindow {
  /** T as a ratio string ("0.9995"). */
  target: string;
  /** Needed when the input is samples (the outcomes are then the engine's classification). */
  timeSliceTarget?: string;
}

/**
 * Timeslices figures from slice outcomes (a source that classified its slices) or from one sample
 * per slice (classified here against opts.timeSliceTarget). Samples cover the reported slices;
 * the rest of N is unreported.
 */
export function timesliceFigures(input: SliceOutcomes | readonly SliceSample[], opts: TimesliceOptions): TimesliceFigures {
  const { allowed } = objectiveTarget(opts.target);
  const windowSlices = windowSliceCount(opts);
  let outcomes: SliceOutcomes;
  const warnings: ObjectiveWarning[] = [];
  if (Array.isArray(input)) {
    if (opts.timeSliceTarget === undefined) throw new BudgetInputError('classifying slice samples needs a timeSliceTarget');
    const c = classifySlices(input as readonly SliceSample[], opts.timeSliceTarget);
    warnings.push(...c.warnings);
    outcomes = { good: c.good, bad: c.bad, empty: c.empty };
  } else {
    outcomes = input as SliceOutcomes;
  }
  const { good, bad, empty } = outcomes;
  assertSliceCount(good, 'good slices');
  assertSliceCount(bad, 'bad slices');
  assertSliceCount(empty, 'empty slices');
  const judged = good + bad;
  const { counted, unreported } = countedSlices(windowSlices, empty, judged, warnings);
  const budget = allowed.times(counted);
  const slice = dec(opts.sliceMinutes);
  const allowedBad = budget.floor();
  const base = {
    method: 'Timeslices' as const,
    target: opts.target,
    timeSliceTarget: opts.timeSliceTarget ?? null,
    sliceMinutes: opts.sliceMinutes,
    windowSlices,
    goodSlices: good,
    badSlices: bad,
    emptySlices: empty,
    unreportedSlices: unreported,
    countedSlices: counted,
    budgetSlices: toNumber(budget),
    allowedBadSlices: toNumber(allowedBad),
    budgetMinutes: toNumber(budget.times(slice)),
    badMinutes: toNumber(dec(bad).times(slice)),
    lowTraffic: judged > 0 && budget.lt(ONE),
    warnings,
  };
  if (judged === 0) {
    return { ...base, sli: null, slicesLeft: null, minutesLeft: null, remainingFraction: null, status: 'no_data' };
  }
  const over = dec(bad).gt(budget);
  return {
    ...base,
    sli: toNumber(dec(good).div(judged)),
    slicesLeft: toNumber(allowedBad.minus(bad)),
    minutesLeft: toNumber(budget.minus(bad).times(slice)),
    remainingFraction: toNumber(ONE.minus(dec(bad).div(budget))),
    status: base.lowTraffic ? 'low_traffic' : over ? 'over_budget' : 'healthy',
  };
}
