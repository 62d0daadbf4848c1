/**
 * Availability targets as decimal strings (domain.md F3, section 3). "99.95" is parsed digit by
 * digit, never through a float, so `1 - T` is exactly 0.0005.
 */
import { BudgetInputError } from './budgetInputError';
import { ExactDecimal, HUNDRED, ONE } from './exactDecimal';
import type { TargetPercent } from '../contract/budgetTypes';

/** GitLab's default: 99.95 % over a rolling 28 days = 20.16 budget minutes. */
export const DEFAULT_TARGET: TargetPercent = '99.95';

const DECIMAL_PERCENT = /^\d{1,3}(?:\.\d+)?$/;

/** Why a target string is unusable, or null when it is fine. For config validators. */
export function targetProblem(target: string): string | null {
  if (!DECIMAL_PERCENT.test(target)) {
    return `target "${target}" is not a decimal percentage like "99.95"`;
  }
  const t = new ExactDecimal(target);
  // 100 % leaves no budget (every fraction of it divides by zero); 0 % is not a target.
  if (t.lte(0) || t.gte(100)) {
    return `target "${target}" must be greater than 0 and less than 100 (percent)`;
  }
  return null;
}

/** The target as an exact fraction of 1 (99.95 -> 0.9995). Throws BudgetInputError when invalid. */
export function parseTarget(target: TargetPercent): ExactDecimal {
  const problem = targetProblem(target);
  if (problem !== null) throw new BudgetInputError(problem);
  return new ExactDecimal(target).div(HUNDRED);
}

/** `1 - T` exactly: the allowed failure ratio (0.0005 for 99.95). */
export function allowedFailureRatio(target: TargetPercent): ExactDecimal {
  return ONE.minus(parseTarget(target));
}
