/**
 * Display formatting: the only place figures are rounded. Rounding goes through the number's
 * shortest decimal string (decimal.js), so 1.005 rounds to 1.01 rather than toFixed's 1.00.
 */
import { ExactDecimal, dec } from './exactDecimal';
import type { CustomTarget, ExceptionExpiry } from '../contract/budgetTypes';

/** What every formatter shows for a figure that does not exist (no data). */
export const NO_DATA_TEXT = 'no data';

function fixed(value: ExactDecimal, digits: number): string {
  const s = value.toFixed(digits, ExactDecimal.ROUND_HALF_UP);
  // "-0.00" says nothing a reader can use.
  return /^-0(?:\.0+)?$/.test(s) ? s.slice(1) : s;
}

/** 20.16 -> "20.16 min", -10.08 -> "-10.08 min", null -> "no data". */
export function formatMinutes(minutes: number | null, digits = 2): string {
  if (minutes === null) return NO_DATA_TEXT;
  return `${fixed(dec(minutes), digits)} min`;
}

/**
 * An availability as a percentage with 3 decimals: 0.99925 -> "99.925 %". Never rounds up to
 * 100 % or a met target: a shown figure is at most the real one (rounded toward zero).
 */
export function formatAvailability(availability: number | null, digits = 3): string {
  if (availability === null) return NO_DATA_TEXT;
  return `${dec(availability).times(100).toFixed(digits, ExactDecimal.ROUND_DOWN)} %`;
}

/** A fraction as a percentage: 0.0001 -> "0.01 %", -0.5 -> "-50.00 %". */
export function formatPercent(fraction: number | null, digits = 2): string {
  if (fraction === null) return NO_DATA_TEXT;
  return `${fixed(dec(fraction).times(100), digits)} %`;
}

/** A burn rate or factor: 14.4 -> "14.40x", 0.9333 -> "0.93x". */
export function formatFactor(factor: number | null, digits = 2): string {
  if (factor === null) return NO_DATA_TEXT;
  return `${fixed(dec(factor), digits)}x`;
}

/** A count as an integer with thousands separators when whole; 20000 -> "20,000". */
export function formatCount(count: number): string {
  return Number.isInteger(count)
    ? count.toLocaleString('en-US')
    : count.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Until when an exception holds, as written: "2025-01-31" or "2025-01-31 or traffic share above 5 %". */
export function exceptionUntilText(ct: Pick<CustomTarget, 'reviewDate' | 'expiresWhen'>): string {
  const share = ct.expiresWhen?.trafficShareAbove;
  return share === undefined ? ct.reviewDate : `${ct.reviewDate} or traffic share above ${share} %`;
}

/** Why an expired exception ended: "review date 2025-01-31 has passed" / "traffic share is above 5 %". */
export function exceptionExpiryText(ct: Pick<CustomTarget, 'reviewDate' | 'expiresWhen'> & { expiredBecause?: ExceptionExpiry }): string {
  return ct.expiredBecause === 'traffic_share'
    ? `traffic share is above ${ct.expiresWhen?.trafficShareAbove ?? '?'} %`
    : `review date ${ct.reviewDate} has passed`;
}
