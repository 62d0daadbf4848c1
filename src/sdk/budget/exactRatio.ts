/**
 * The fast exact path: integer arithmetic with one final division.
 *
 * Every figure of the engine is a ratio of integers when the counts are integers (the store's
 * counts, ceil'd Prometheus failure counts): budget = rn * W / rd for a target ratio rn / rd
 * (99.95 -> 5 / 10000), spent = f * W / m, and so on. When numerator and denominator are safe
 * integers (< 2^53) they are exact doubles, and IEEE division rounds the exact quotient once, to
 * the nearest double: 201600 / 10000 is the same double as the literal 20.16. That costs a few
 * multiplications instead of decimal.js objects, which is what keeps a full report under 20 ms.
 * When an input is fractional or a product would leave the safe range, callers fall back to
 * exact decimals (exactDecimal.ts).
 */
import { BudgetInputError } from './budgetInputError';
import type { TargetPercent } from '../contract/budgetTypes';

/** 1 - T as integers: allowed = num / den. */
export interface RatioParts {
  num: number;
  den: number;
}

/** 1 - T for a decimal target string as integers, or null when they would not be safe integers. */
export function allowedRatioParts(target: TargetPercent): RatioParts | null {
  const [whole = '', frac = ''] = target.split('.');
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(frac)) throw new BudgetInputError(`target "${target}" is not a decimal percentage like "99.95"`);
  const den = 100 * 10 ** frac.length;
  const t = Number(whole + frac);
  const num = den - t;
  return Number.isSafeInteger(den) && Number.isSafeInteger(t) && Number.isSafeInteger(num) ? { num, den } : null;
}

/** a * b when both are integers and the product is a safe integer (so exact), else null. */
export function exactProduct(a: number, b: number): number | null {
  const p = a * b;
  return Number.isSafeInteger(p) && Number.isInteger(a) && Number.isInteger(b) ? p : null;
}

/** a - b when both are safe integers and so is the result, else null. */
export function exactDifference(a: number, b: number): number | null {
  const d = a - b;
  return Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger(d) ? d : null;
}
