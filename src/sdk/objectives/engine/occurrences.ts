/**
 * Occurrences (OpenSLO budgetingMethod `Occurrences`): every event of the window counts the same.
 *
 *   SLI                = good / total
 *   error budget       = (1 - T) * total            (events the window may lose)
 *   events left        = budget - bad               (may go below zero, never clamped)
 *   remaining fraction = 1 - bad / budget = events left / budget
 *
 * 99.8 % of 10,000 workspace starts with 15 failures: SLI 0.9985, budget 0.002 * 10,000 = 20,
 * 5 left, fraction 0.25, healthy. All of it in exact decimals, rounded once to a double: 99.9 %
 * of 1,000,000 events is a budget of exactly 1000 (a float would say 1000.0000000000009).
 *
 * No data (total = 0) is never 100 % nor 0 %: SLI, budget, events left and fraction are null,
 * status `no_data`. The statuses are the GitLab engine's (contract BudgetStatus), with its
 * precedence: no_data > low_traffic ((1 - T) * total < 1, a single bad event already breaks the
 * target; F12) > over_budget (bad > budget) > healthy (bad <= budget).
 */
import { ONE, toNumber } from '../../budget/exactDecimal';
import { readEvents } from './counts';
import type { EventCounts } from './counts';
import { objectiveTarget } from './target';
import type { OccurrenceFigures } from '../../contract/objectiveTypes';
export type { OccurrenceFigures } from '../../contract/objectiveTypes';


/** Occurrences figures for one window's events against target T (a ratio string, "0.998"). */
export function occurrenceFigures(counts: EventCounts, target: string): OccurrenceFigures {
  const { allowed } = objectiveTarget(target);
  const ev = readEvents(counts);
  const base = { method: 'Occurrences' as const, target, good: ev.good, bad: ev.bad, total: ev.total, warnings: ev.warnings };
  if (!ev.totalExact.gt(0)) {
    return { ...base, sli: null, budgetEvents: null, eventsLeft: null, remainingFraction: null, status: 'no_data', lowTraffic: false };
  }
  const budget = allowed.times(ev.totalExact);
  const left = budget.minus(ev.badExact);
  const lowTraffic = budget.lt(ONE);
  const over = left.isNegative() && !left.isZero();
  return {
    ...base,
    sli: toNumber(ONE.minus(ev.badExact.div(ev.totalExact))),
    budgetEvents: toNumber(budget),
    eventsLeft: toNumber(left),
    remainingFraction: toNumber(left.div(budget)),
    status: lowTraffic ? 'low_traffic' : over ? 'over_budget' : 'healthy',
    lowTraffic,
    warnings: ev.warnings,
  };
}
