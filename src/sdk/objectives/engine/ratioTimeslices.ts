/**
 * RatioTimeslices (OpenSLO budgetingMethod `RatioTimeslices`): "an average of all time slices'
 * success ratios in a budgeting period" (OpenSLO v1, SLO notes; the glossary: "average of good
 * events to total events in all slices"). So the SLI is the mean of the slice ratios, not good
 * slices / all slices (that is Timeslices) and not all good events / all events (Occurrences):
 * a slice with 10 events weighs as much as one with 10,000.
 *
 *   SLI                = mean of r_i over the slices with data        (r_i = good_i / total_i)
 *   spent (slices)     = sum of (1 - r_i)                             (a slice at 0.9 spends 0.1)
 *   budget (slices)    = (1 - T) * counted slices                     (counted = N - empty, as Timeslices)
 *   left               = budget - spent; minutes = slices * slice minutes
 *   remaining fraction = 1 - spent / budget
 *
 * Over a complete window with no empty slice, SLI >= T exactly when spent <= budget. Empty
 * slices (no events: no ratio to average) are left out of the mean and of N, as in Timeslices.
 * Ratios of integer counts such as 1/3 have no finite decimal: they are summed at 40 significant
 * digits (budget/exactDecimal.ts) and rounded once to a double at the end.
 */
import { ONE, ZERO, dec, toNumber } from '../../budget/exactDecimal';
import type { ObjectiveWarning, SliceSample } from './counts';
import { objectiveTarget } from './target';
import { countedSlices, sliceRatio, windowSliceCount } from './timeslices';
import type { SliceWindow } from './timeslices';
import type { RatioTimesliceFigures } from '../../contract/objectiveTypes';
export type { RatioTimesliceFigures } from '../../contract/objectiveTypes';


export interface RatioTimesliceOptions extends SliceWindow {
  /** T as a ratio string ("0.99"). */
  target: string;
}

/** RatioTimeslices figures from one sample per reported slice (events or a ratio; null = empty). */
export function ratioTimesliceFigures(samples: readonly SliceSample[], opts: RatioTimesliceOptions): RatioTimesliceFigures {
  const { allowed } = objectiveTarget(opts.target);
  const windowSlices = windowSliceCount(opts);
  const warnings: ObjectiveWarning[] = [];
  let judged = 0;
  let empty = 0;
  let spent = ZERO;
  samples.forEach((sample, i) => {
    const r = sliceRatio(sample, i, warnings);
    if (r === null) {
      empty++;
      return;
    }
    judged++;
    spent = spent.plus(ONE.minus(r));
  });
  const { counted, unreported } = countedSlices(windowSlices, empty, judged, warnings);
  const budget = allowed.times(counted);
  const slice = dec(opts.sliceMinutes);
  const base = {
    method: 'RatioTimeslices' as const,
    target: opts.target,
    sliceMinutes: opts.sliceMinutes,
    windowSlices,
    judgedSlices: judged,
    emptySlices: empty,
    unreportedSlices: unreported,
    countedSlices: counted,
    budgetSlices: toNumber(budget),
    budgetMinutes: toNumber(budget.times(slice)),
    spentSlices: toNumber(spent),
    spentMinutes: toNumber(spent.times(slice)),
    lowTraffic: judged > 0 && budget.lt(ONE),
    warnings,
  };
  if (judged === 0) {
    return { ...base, sli: null, slicesLeft: null, minutesLeft: null, remainingFraction: null, status: 'no_data' };
  }
  const left = budget.minus(spent);
  const over = left.isNegative() && !left.isZero();
  return {
    ...base,
    sli: toNumber(ONE.minus(spent.div(judged))),
    slicesLeft: toNumber(left),
    minutesLeft: toNumber(left.times(slice)),
    remainingFraction: toNumber(left.div(budget)),
    status: base.lowTraffic ? 'low_traffic' : over ? 'over_budget' : 'healthy',
  };
}
