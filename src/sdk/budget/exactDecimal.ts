/**
 * Exact decimal arithmetic for the few final quantities of the engine (domain.md section 2,
 * "Precision"). In IEEE doubles `(1 - 0.9995) * 40320` is 20.15999999999778; here it is 20.16.
 *
 * Counts are summed as plain numbers (fast); only budget, spent, remaining, fractions and costs go
 * through Decimal, so a whole report costs a few thousand Decimal operations. A private clone keeps
 * the global Decimal configuration of other modules untouched.
 */
import Decimal from 'decimal.js';

/** 40 significant digits: far beyond a double, so the one final rounding is the only rounding. */
export const ExactDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type ExactDecimal = InstanceType<typeof ExactDecimal>;

export const ZERO = new ExactDecimal(0);
export const ONE = new ExactDecimal(1);
export const HUNDRED = new ExactDecimal(100);

/**
 * A count as a decimal. `new Decimal(0.1)` reads the shortest round-trip string of the double
 * ("0.1"), so Prometheus rates like 0.1 stay 0.1 rather than 0.1000000000000000055...
 */
export function dec(value: number | string): ExactDecimal {
  return new ExactDecimal(value);
}

/** The one rounding to a double: the nearest double to the exact value, so 20.16 === 20.16. */
export function toNumber(value: ExactDecimal): number {
  return value.toNumber();
}
