/**
 * The budget engine's main entry (domain.md F1-F7, F12): summed counts -> BudgetFigures.
 *
 * Exactness: counts are plain numbers; budget, spent, remaining, the remaining fraction and the
 * cost of one failure are computed as exact decimals from f, m, the target string and the window
 * minutes, then rounded once to the nearest double. So 99.95 % over 28 d gives budget 20.16,
 * and s=9990 w=10000 o=10000 e=5 gives spent 30.24, remaining -10.08, fraction -0.5, cost 2.016,
 * each `===` its literal.
 *
 * Bad instrumentation (s > w, e > o, f > m) never yields a negative or >100 % availability:
 * the failures used for the figures are clamped to [0, m], i.e. availability to [0, 1]
 * (GitLab's dashboard clamps only the top, with clamp_max(..., 1)), and `warnings` says the
 * figure cannot be trusted. `failures` keeps the raw f so the bad number stays visible.
 */
import { BudgetInputError } from './budgetInputError';
import { dataQualityWarnings, failuresOf, measurementsOf, sumComponents } from './counts';
import { ExactDecimal, ONE, dec, toNumber } from './exactDecimal';
import { allowedFailureRatio } from './target';
import type { BudgetFigures, BudgetStatus, BudgetWindow, Component, ComponentCounts, SliCounts, TargetPercent } from './types';

export interface BudgetOptions {
  /** Decimal string, "99.95". */
  target: TargetPercent;
  window: BudgetWindow;
  /** Components that do not count toward this budget (per group, domain.md section 1). */
  ignoredComponents?: readonly Component[];
}

// A report evaluates hundreds of figures against a handful of targets: parse each string once.
const ratioCache = new Map<string, ExactDecimal>();

function cachedAllowedFailureRatio(target: TargetPercent): ExactDecimal {
  let ratio = ratioCache.get(target);
  if (ratio === undefined) {
    ratio = allowedFailureRatio(target);
    if (ratioCache.size > 1000) ratioCache.clear();
    ratioCache.set(target, ratio);
  }
  return ratio;
}

/** F3: (1 - T) * window_minutes, exact. 99.95 % over 28 d -> 20.16; over 7 d -> 5.04. */
export function budgetMinutes(target: TargetPercent, window: BudgetWindow): number {
  return toNumber(cachedAllowedFailureRatio(target).times(window.minutes));
}

/** F12: fewer than one failure would already break the target: (1 - T) * m < 1, exact. */
export function isLowTraffic(measurements: number, target: TargetPercent): boolean {
  return measurements > 0 && cachedAllowedFailureRatio(target).times(dec(measurements)).lt(ONE);
}

/** Entry point: per-component counts of one group, category or endpoint over one window. */
export function computeBudget(components: readonly ComponentCounts[], opts: BudgetOptions): BudgetFigures {
  return computeBudgetFromCounts(sumComponents(components, opts.ignoredComponents ?? []), opts);
}

function assertFiniteCounts(c: SliCounts): void {
  for (const [name, v] of Object.entries(c)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new BudgetInputError(`count ${name} is ${String(v)}; SLI counts must be finite numbers`);
    }
  }
}

/** The same as computeBudget for counts already summed over the non-ignored components. */
export function computeBudgetFromCounts(counts: SliCounts, opts: Omit<BudgetOptions, 'ignoredComponents'>): BudgetFigures {
  assertFiniteCounts(counts);
  const { target, window } = opts;
  const ratio = cachedAllowedFailureRatio(target);
  const budget = ratio.times(window.minutes);
  const failures = failuresOf(counts);
  const measurements = measurementsOf(counts);
  const warnings = dataQualityWarnings(counts);
  const base = { target, window, counts: { ...counts }, failures, measurements, budgetMinutes: toNumber(budget), warnings };

  if (measurements <= 0) {
    return {
      ...base,
      availability: null,
      spentMinutes: null,
      remainingMinutes: null,
      remainingFraction: null,
      costOfOneFailureMinutes: null,
      status: 'no_data',
      lowTraffic: false,
    };
  }

  const m = dec(measurements);
  const f = ExactDecimal.min(ExactDecimal.max(dec(failures), 0), m);
  const failureRatio = f.div(m);
  const spent = f.times(window.minutes).div(m);
  const remaining = budget.minus(spent);
  const lowTraffic = ratio.times(m).lt(ONE);
  const overBudget = remaining.isNegative() && !remaining.isZero();
  const status: BudgetStatus = lowTraffic ? 'low_traffic' : overBudget ? 'over_budget' : 'healthy';

  return {
    ...base,
    availability: toNumber(ONE.minus(failureRatio)),
    spentMinutes: toNumber(spent),
    remainingMinutes: toNumber(remaining),
    remainingFraction: toNumber(ONE.minus(failureRatio.div(ratio))),
    costOfOneFailureMinutes: toNumber(dec(window.minutes).div(m)),
    status,
    lowTraffic,
    warnings,
  };
}

/**
 * Spend above budget, whatever the status says. A low-traffic group can be over budget with one
 * failure; its status says `low_traffic` (the figure is noise) but policy code may still ask.
 */
export function isOverBudget(figures: Pick<BudgetFigures, 'remainingMinutes'>): boolean {
  return figures.remainingMinutes !== null && figures.remainingMinutes < 0;
}
