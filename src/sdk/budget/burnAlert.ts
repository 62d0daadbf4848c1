/**
 * The multiwindow burn-rate alert (domain.md F16; Google SRE workbook, "Alerting on SLOs",
 * multiwindow multi-burn-rate alerts): a tier fires when its long AND its short window both burn
 * strictly above its factor, so it starts as soon as the long window shows a real spend and
 * stops soon after the burn does (the short window recovers first).
 *
 *   page:   1 h and 5 m both above 14.4
 *   ticket: 6 h and 30 m both above 6
 *
 * Pure: given f and m per window and the target, which tier fires. The low-traffic guard: a tier
 * fires only when its short window holds at least `minShortMeasurements`, the measurements at
 * which crossing the factor takes MIN_FAILURES_TO_FIRE failures (at 99.95 %: 695 for the page
 * tier, 1,667 for the ticket tier), so a handful of events (one failure in 20 requests is a
 * 100x burn) never alerts.
 */
import { burnRateOf } from './burnRate';
import { ExactDecimal, dec, toNumber } from './exactDecimal';
import { allowedFailureRatio } from './target';
import type { TargetPercent } from '../contract/budgetTypes';
import type { BurnAlert, BurnAlertTier, BurnTierEvaluation } from '../contract/apiTypes';

/** One tier of the condition: its two windows and the factor both must exceed. */
export interface BurnAlertPolicy {
  tier: BurnAlertTier;
  longWindow: string;
  shortWindow: string;
  /** The SRE workbook's factors: 14.4 (2 % of a 30 d budget in 1 h), 6 (5 % in 6 h). */
  threshold: number;
}

/** Page first: the order of BurnAlert.tiers and of severity. */
export const BURN_ALERT_POLICIES: readonly BurnAlertPolicy[] = Object.freeze([
  { tier: 'page', longWindow: '1h', shortWindow: '5m', threshold: 14.4 },
  { tier: 'ticket', longWindow: '6h', shortWindow: '30m', threshold: 6 },
]);

/** Every window the condition reads: 1h, 5m, 6h, 30m. */
export const BURN_ALERT_WINDOWS: readonly string[] = Object.freeze(BURN_ALERT_POLICIES.flatMap((p) => [p.longWindow, p.shortWindow]));

/**
 * The low-traffic guard, in failures: a short window must be large enough that crossing the
 * factor takes at least this many failures. Five: one to four failures in a quiet window are what
 * one user retrying a broken page or one failing job and its retries produce, and say little
 * about the rate; at five the alert is about traffic, not about one caller.
 */
export const MIN_FAILURES_TO_FIRE = 5;

/** f and m of one window. */
export interface WindowFailures {
  failures: number;
  measurements: number;
}

/**
 * The guard in measurements: ceil(MIN_FAILURES_TO_FIRE / (threshold * (1 - T))).
 * 99.95 %: page 5 / (14.4 * 0.0005) = 5 / 0.0072 = 694.4 -> 695; ticket 5 / (6 * 0.0005) = 1666.7 -> 1667.
 */
export function minShortMeasurements(threshold: number, target: TargetPercent): number {
  const perMeasurement = dec(threshold).times(allowedFailureRatio(target));
  return toNumber(dec(MIN_FAILURES_TO_FIRE).div(perMeasurement).ceil());
}

/**
 * Which tier fires, from f and m per window label (a missing window counts as no data: it cannot
 * fire). Both burn rates strictly above the factor (the workbook's `> 14.4 * (1 - T)`), and the
 * short window at least minShortMeasurements.
 */
export function evaluateBurnAlert(windows: Readonly<Record<string, WindowFailures>>, target: TargetPercent): BurnAlert {
  const reading = (window: string): BurnTierEvaluation['long'] => {
    const counts = windows[window] ?? { failures: 0, measurements: 0 };
    return { window, burnRate: burnRateOf(counts.failures, counts.measurements, target), failures: counts.failures, measurements: counts.measurements };
  };
  const above = (rate: number | null, threshold: number): boolean => rate !== null && new ExactDecimal(rate).gt(threshold);
  const tiers = BURN_ALERT_POLICIES.map((p): BurnTierEvaluation => {
    const long = reading(p.longWindow);
    const short = reading(p.shortWindow);
    const min = minShortMeasurements(p.threshold, target);
    const lowTraffic = short.measurements < min;
    return {
      tier: p.tier,
      threshold: p.threshold,
      long,
      short,
      minShortMeasurements: min,
      lowTraffic,
      fires: !lowTraffic && above(long.burnRate, p.threshold) && above(short.burnRate, p.threshold),
    };
  });
  return { tier: tiers.find((t) => t.fires)?.tier ?? null, tiers };
}
