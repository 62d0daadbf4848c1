/**
 * The budget engine's main entry (domain.md F1-F7, F12): summed counts -> BudgetFigures.
 *
 * Exactness: counts are plain numbers; budget, spent, remaining, the remaining fraction and the
 * cost of one failure are exact ratios of f, m, the target string and the window minutes, rounded
 * once to the nearest double: by one division of safe integers when the counts are integers
 * (exactRatio.ts, the fast path), by 40-digit decimals otherwise (fractional Prometheus counts,
 * products beyond 2^53). So 99.95 % over 28 d gives budget 20.16,
 * and s=9990 w=10000 o=10000 e=5 gives spent 30.24, remaining -10.08, fraction -0.5, cost 2.016,
 * each `===` its literal.
 *
 * Bad instrumentation (s > w, e > o, f > m) never yields a negative or >100 % availability:
 * the failures used for the figures are clamped to [0, m], i.e. availability to [0, 1]
 * (GitLab's dashboard clamps only the top, with clamp_max(..., 1)), and `warnings` says the
 * figure cannot be trusted. `failures` keeps the raw f so the bad number stays visible.
 *
 * Status precedence: `no_data` (m = 0) > `low_traffic` (F12: one failure would already break the
 * target, so "over budget" would be noise) > `over_budget` (spent > budget) > `healthy`
 * (spent <= budget, "understand your spend"). isOverBudget() answers the spend question whatever
 * the status.
 */
import { BudgetInputError } from './budgetInputError';
import { dataQualityWarnings, failuresOf, measurementsOf, sumComponents } from './counts';
import { ONE, dec, toNumber } from './exactDecimal';
import type { ExactDecimal } from './exactDecimal';
import { allowedRatioParts, exactDifference, exactProduct } from './exactRatio';
import type { RatioParts } from './exactRatio';
import { allowedFailureRatio } from './target';
import type { BudgetFigures, BudgetStatus, BudgetWindow, Component, ComponentCounts, SliCounts, TargetPercent } from '../contract/budgetTypes';

export interface BudgetOptions {
  /** Decimal string, "99.95". */
  target: TargetPercent;
  window: BudgetWindow;
  /** Components that do not count toward this budget (per group, domain.md section 1). */
  ignoredComponents?: readonly Component[];
}

interface TargetInfo {
  /** 1 - T as an exact decimal (fallback path). */
  ratio: ExactDecimal;
  /** 1 - T as safe integers (fast path), or null. */
  parts: RatioParts | null;
}

// A report evaluates hundreds of figures against a handful of targets: parse each string once.
const targetCache = new Map<string, TargetInfo>();

function targetInfo(target: TargetPercent): TargetInfo {
  let info = targetCache.get(target);
  if (info === undefined) {
    const ratio = allowedFailureRatio(target); // validates, throws BudgetInputError
    info = { ratio, parts: allowedRatioParts(target) };
    if (targetCache.size > 1000) targetCache.clear();
    targetCache.set(target, info);
  }
  return info;
}

/** F3: (1 - T) * window_minutes, exact. 99.95 % over 28 d -> 20.16; over 7 d -> 5.04. */
export function budgetMinutes(target: TargetPercent, window: BudgetWindow): number {
  const { ratio, parts } = targetInfo(target);
  const num = parts === null ? null : exactProduct(parts.num, window.minutes);
  return num !== null && parts !== null ? num / parts.den : toNumber(ratio.times(window.minutes));
}

/** F12: fewer than one failure would already break the target: (1 - T) * m < 1, exact. */
export function isLowTraffic(measurements: number, target: TargetPercent): boolean {
  if (!(measurements > 0)) return false;
  const { ratio, parts } = targetInfo(target);
  const rm = parts === null ? null : exactProduct(parts.num, measurements);
  return rm !== null && parts !== null ? rm < parts.den : ratio.times(dec(measurements)).lt(ONE);
}

/** F1, F4-F7, F12 for f clamped to [0, m] and m > 0. */
interface ExactFigures {
  availability: number;
  spentMinutes: number;
  remainingMinutes: number;
  remainingFraction: number;
  costOfOneFailureMinutes: number;
  lowTraffic: boolean;
  overBudget: boolean;
}

/**
 * Integer path (see exactRatio.ts): each figure is one division of exact integers.
 * availability = (m - f) / m; spent = f W / m; remaining = W (rn m - f rd) / (rd m);
 * fraction = (rn m - f rd) / (rn m); cost = W / m; low traffic: rn m < rd.
 */
function integerFigures(f: number, m: number, minutes: number, parts: RatioParts | null): ExactFigures | null {
  if (parts === null) return null;
  const ok = exactDifference(m, f);
  const fW = exactProduct(f, minutes);
  const rnm = exactProduct(parts.num, m);
  const frd = exactProduct(f, parts.den);
  const diff = rnm === null || frd === null ? null : exactDifference(rnm, frd);
  const remNum = diff === null ? null : exactProduct(minutes, diff);
  const remDen = exactProduct(parts.den, m);
  if (ok === null || fW === null || rnm === null || diff === null || remNum === null || remDen === null) return null;
  return {
    availability: ok / m,
    spentMinutes: fW / m,
    remainingMinutes: remNum / remDen,
    remainingFraction: diff / rnm,
    costOfOneFailureMinutes: minutes / m,
    lowTraffic: rnm < parts.den,
    overBudget: diff < 0,
  };
}

/** Decimal path for fractional counts (Prometheus rates) or products beyond 2^53. */
function decimalFigures(f: number, m: number, minutes: number, ratio: ExactDecimal): ExactFigures {
  const md = dec(m);
  const failureRatio = dec(f).div(md);
  const spent = dec(f).times(minutes).div(md);
  const remaining = ratio.times(minutes).minus(spent);
  return {
    availability: toNumber(ONE.minus(failureRatio)),
    spentMinutes: toNumber(spent),
    remainingMinutes: toNumber(remaining),
    remainingFraction: toNumber(ONE.minus(failureRatio.div(ratio))),
    costOfOneFailureMinutes: toNumber(dec(minutes).div(md)),
    lowTraffic: ratio.times(md).lt(ONE),
    overBudget: remaining.isNegative() && !remaining.isZero(),
  };
}

/** Entry point: per-component counts of one group, category or endpoint over one window. */
export function computeBudget(components: readonly ComponentCounts[], opts: BudgetOptions): BudgetFigures {
  return computeBudgetFromCounts(sumComponents(components, opts.ignoredComponents ?? []), opts);
}

function assertFiniteCounts(c: SliCounts): void {
  // Checked field by field: this runs for every figure of a report, Object.entries would allocate.
  if (Number.isFinite(c.apdexSuccess) && Number.isFinite(c.apdexWeight) && Number.isFinite(c.ops) && Number.isFinite(c.errors)) return;
  for (const name of ['apdexSuccess', 'apdexWeight', 'ops', 'errors'] as const) {
    if (!Number.isFinite(c[name])) throw new BudgetInputError(`count ${name} is ${String(c[name])}; SLI counts must be finite numbers`);
  }
}

/** The same as computeBudget for counts already summed over the non-ignored components. */
export function computeBudgetFromCounts(counts: SliCounts, opts: Omit<BudgetOptions, 'ignoredComponents'>): BudgetFigures {
  assertFiniteCounts(counts);
  const { target, window } = opts;
  const { ratio, parts } = targetInfo(target);
  const failures = failuresOf(counts);
  const measurements = measurementsOf(counts);
  const warnings = dataQualityWarnings(counts);
  const copy = { apdexSuccess: counts.apdexSuccess, apdexWeight: counts.apdexWeight, ops: counts.ops, errors: counts.errors };
  const budget = budgetMinutes(target, window);

  if (measurements <= 0) {
    return {
      target,
      window,
      counts: copy,
      failures,
      measurements,
      budgetMinutes: budget,
      availability: null,
      spentMinutes: null,
      remainingMinutes: null,
      remainingFraction: null,
      costOfOneFailureMinutes: null,
      status: 'no_data',
      lowTraffic: false,
      warnings,
    };
  }

  const f = Math.min(Math.max(failures, 0), measurements);
  const x = integerFigures(f, measurements, window.minutes, parts) ?? decimalFigures(f, measurements, window.minutes, ratio);
  const status: BudgetStatus = x.lowTraffic ? 'low_traffic' : x.overBudget ? 'over_budget' : 'healthy';
  return {
    target,
    window,
    counts: copy,
    failures,
    measurements,
    budgetMinutes: budget,
    availability: x.availability,
    spentMinutes: x.spentMinutes,
    remainingMinutes: x.remainingMinutes,
    remainingFraction: x.remainingFraction,
    costOfOneFailureMinutes: x.costOfOneFailureMinutes,
    status,
    lowTraffic: x.lowTraffic,
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
