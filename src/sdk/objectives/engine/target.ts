/**
 * Objective targets as exact decimals. An ObjectiveSpec carries its target as a ratio string in
 * (0, 1) ("0.998" for targetPercent 99.8) and a Timeslices objective its timeSliceTarget in
 * (0, 1]; both are read digit by digit, never through a float, so 1 - 0.999 is exactly 0.001.
 */
import { BudgetInputError } from '../../budget/budgetInputError';
import { ExactDecimal, ONE } from '../../budget/exactDecimal';

const RATIO = /^(?:0|1)?(?:\.\d+)?$/;

export interface ObjectiveTarget {
  /** T, the target as written ("0.998"). */
  target: string;
  /** T as an exact decimal. */
  ratio: ExactDecimal;
  /** 1 - T exactly: the share of events (or slices) the budget allows to be bad. */
  allowed: ExactDecimal;
}

function parseRatio(value: string, what: string): ExactDecimal {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '' || text === '.' || !RATIO.test(text)) {
    throw new BudgetInputError(`${what} "${String(value)}" is not a decimal ratio like "0.999"`);
  }
  return new ExactDecimal(text);
}

const cache = new Map<string, ObjectiveTarget>();

/** T in (0, 1) -> T and 1 - T, exact. Throws BudgetInputError for "1", "0", "99.9", "abc". */
export function objectiveTarget(target: string): ObjectiveTarget {
  const hit = cache.get(target);
  if (hit !== undefined) return hit;
  const ratio = parseRatio(target, 'target');
  // 1 leaves no budget (every fraction of it divides by zero); 0 is not a target.
  if (ratio.lte(0) || ratio.gte(ONE)) throw new BudgetInputError(`target "${target}" must be a ratio greater than 0 and less than 1`);
  const parsed: ObjectiveTarget = { target, ratio, allowed: ONE.minus(ratio) };
  if (cache.size > 1000) cache.clear();
  cache.set(target, parsed);
  return parsed;
}

/** OpenSLO timeSliceTarget in (0, 1]: a slice is good when its own ratio is at least this. */
export function timeSliceTargetOf(value: string | undefined): ExactDecimal {
  if (value === undefined) throw new BudgetInputError('a Timeslices objective needs a timeSliceTarget');
  const ratio = parseRatio(value, 'timeSliceTarget');
  if (ratio.lte(0) || ratio.gt(ONE)) throw new BudgetInputError(`timeSliceTarget "${value}" must be a ratio greater than 0 and at most 1`);
  return ratio;
}
