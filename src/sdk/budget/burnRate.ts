/**
 * Burn rates (domain.md F9-F11): how fast a window's failures spend the budget, the alerting
 * factors a policy implies, and the time left at a given burn rate.
 */
import { failuresOf, measurementsOf } from './counts';
import { ExactDecimal, dec, toNumber } from './exactDecimal';
import { parseWindow } from './window';
import { allowedFailureRatio } from './target';
import type { BudgetWindow, SliCounts, TargetPercent } from '../contract/budgetTypes';
import type { BurnRateRow } from '../contract/apiTypes';

/** "Spend `budgetPercent` % of the period's budget within `window`" (Google SRE workbook style). */
export interface BurnPolicy {
  /** Alert window label: '1h', '6h', '3d'. */
  window: string;
  /** Percent of the whole period's budget, as a decimal string ('2') or number. */
  budgetPercent: string | number;
}

/** The three windows of the multiwindow policy; with a 28 d period: 13.44, 5.6, 0.933... */
export const DEFAULT_BURN_POLICIES: readonly BurnPolicy[] = Object.freeze([
  { window: '1h', budgetPercent: '2' },
  { window: '6h', budgetPercent: '5' },
  { window: '3d', budgetPercent: '10' },
]);

/**
 * F9: (f_x / m_x) / (1 - T). 72 failures in 10000 measurements over 1 h at 99.95 % -> 14.4.
 * Null when the window has no measurements. Failures are clamped to [0, m] as in computeBudget.
 */
export function burnRate(counts: SliCounts, target: TargetPercent): number | null {
  return burnRateOf(failuresOf(counts), measurementsOf(counts), target);
}

/** F9 from f and m directly. */
export function burnRateOf(failures: number, measurements: number, target: TargetPercent): number | null {
  if (!(measurements > 0)) return null;
  const m = dec(measurements);
  const f = ExactDecimal.min(ExactDecimal.max(dec(failures), 0), m);
  return toNumber(f.div(m).div(allowedFailureRatio(target)));
}

/**
 * F10: k = pct_of_budget * period_hours / window_hours, exact.
 * 28 d: 2 % in 1 h -> 13.44; 5 % in 6 h -> 5.6; 10 % in 3 d -> 0.9333...
 */
export function burnFactor(budgetPercent: string | number, alertWindow: BudgetWindow, period: BudgetWindow): number {
  return toNumber(dec(budgetPercent).div(100).times(period.minutes).div(alertWindow.minutes));
}

/**
 * F11: remaining_fraction * period / burn_rate, in days. R = 0.6, BR = 2, 28 d -> 8.4.
 * Null when nothing burns (no data, or burn rate <= 0); 0 when the budget is already gone.
 */
export function daysToExhaustion(remainingFraction: number | null, rate: number | null, period: BudgetWindow): number | null {
  if (remainingFraction === null || rate === null || !(rate > 0)) return null;
  if (remainingFraction <= 0) return 0;
  return toNumber(dec(remainingFraction).times(period.minutes).div(1440).div(dec(rate)));
}

export interface BurnWindowCounts {
  policy: BurnPolicy;
  /** Summed counts of the non-ignored components over the policy's window. */
  counts: SliCounts;
}

/**
 * One BurnRateRow per policy window. `exceeded` when the burn rate reaches the policy's factor
 * (>=, as in the SRE workbook's "burn rate >= 14.4" alerts).
 */
export function buildBurnRateRows(
  windows: readonly BurnWindowCounts[],
  opts: { target: TargetPercent; period: BudgetWindow; remainingFraction: number | null },
): BurnRateRow[] {
  return windows.map(({ policy, counts }) => {
    const threshold = burnFactor(policy.budgetPercent, parseWindow(policy.window), opts.period);
    const rate = burnRate(counts, opts.target);
    return {
      window: policy.window,
      burnRate: rate,
      threshold,
      exceeded: rate !== null && rate >= threshold,
      daysToExhaustion: daysToExhaustion(opts.remainingFraction, rate, opts.period),
    };
  });
}
