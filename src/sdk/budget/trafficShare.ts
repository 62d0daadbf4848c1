/**
 * F13: a group's share of the environment's traffic, m_group / sum of m over all groups,
 * and exact threshold checks on it (the policy's 0.01 % and 0.1 % lines).
 */
import { dec, toNumber } from './exactDecimal';
import { exactProduct } from './exactRatio';

/** Shares per key; every share is null when no key has measurements. */
export function trafficShares(measurements: ReadonlyMap<string, number>): Map<string, number | null> {
  let total = 0;
  for (const m of measurements.values()) total += Math.max(0, m);
  const shares = new Map<string, number | null>();
  for (const [key, m] of measurements) {
    const mine = Math.max(0, m);
    // Safe integers are exact doubles: one division rounds the exact share once.
    const exact = Number.isSafeInteger(mine) && Number.isSafeInteger(total);
    shares.set(key, total > 0 ? (exact ? mine / total : toNumber(dec(mine).div(dec(total)))) : null);
  }
  return shares;
}

/**
 * m / total > percent / 100, decided on exact decimals so a share of exactly 0.01 % is not
 * "more than 0.01 %" (with doubles, 1/10000 vs 0.0001 is a coin toss of roundings).
 */
export function shareExceedsPercent(measurements: number, totalMeasurements: number, percent: string): boolean {
  if (!(totalMeasurements > 0) || !(measurements > 0)) return false;
  // Integer path: '0.01' = 1/100 percent, so m / total > 1 / (100 * 100)  <=>  m * 10000 > 1 * total.
  const p = percentParts(percent);
  const lhs = p === null ? null : exactProduct(measurements, 100 * p.den);
  const rhs = p === null ? null : exactProduct(p.num, totalMeasurements);
  if (lhs !== null && rhs !== null) return lhs > rhs;
  return dec(measurements).times(100).gt(dec(percent).times(dec(totalMeasurements)));
}

const percentCache = new Map<string, { num: number; den: number } | null>();

/** '0.01' -> { num: 1, den: 100 }; null when not a plain decimal or not a safe integer. */
function percentParts(percent: string): { num: number; den: number } | null {
  let parts = percentCache.get(percent);
  if (parts === undefined) {
    const match = /^(\d+)(?:\.(\d+))?$/.exec(percent);
    const den = 10 ** (match?.[2]?.length ?? 0);
    const num = match === null ? Number.NaN : Number((match[1] ?? '') + (match[2] ?? ''));
    parts = Number.isSafeInteger(num) && Number.isSafeInteger(den) ? { num, den } : null;
    if (percentCache.size > 100) percentCache.clear();
    percentCache.set(percent, parts);
  }
  return parts;
}
