/**
 * The monthly error-budget report (GitLab handbook, domain.md section 3): each group's figures for
 * a calendar month, whether the contract applies (share > 0.01 %), the action it implies, how many
 * months running it has been over budget (looking back month by month only while some group is
 * still in a run), the shared-cause rule and expired exceptions. The policy decisions themselves
 * are the engine's (src/sdk/budget/policy.ts); this file only gathers the months.
 */
import { isOverBudget } from '../budget/budgetMath';
import { contractAction, contractApplies, isSignificantTraffic, needsSharedCauseInvestigation } from '../budget/policy';
import type { ApiResult, GroupBudget, MonthlyReport, ReportGroupRow } from './apiTypes';
import type { MonthRange } from './queryParams';
import { previousMonth } from './queryParams';

export type MonthFetcher = (range: MonthRange) => Promise<ApiResult<GroupBudget[]>>;

function totalMeasurements(groups: readonly GroupBudget[]): number {
  return groups.reduce((acc, g) => acc + Math.max(0, g.measurements), 0);
}

/**
 * Consecutive months over budget ending with `range`, per group. Fetches earlier months only
 * while at least one group's run is unbroken, at most `lookbackMonths` before `range`.
 */
async function monthsOverBudgetInRow(
  current: readonly GroupBudget[],
  range: MonthRange,
  lookbackMonths: number,
  fetch: MonthFetcher,
): Promise<Map<string, number>> {
  const runs = new Map<string, number>();
  const open = new Set<string>();
  for (const g of current) {
    const over = isOverBudget(g);
    runs.set(g.group, over ? 1 : 0);
    if (over) open.add(g.group);
  }
  for (let back = 1; back <= lookbackMonths && open.size > 0; back++) {
    const earlier = await fetch(previousMonth(range, back));
    const byGroup = new Map(earlier.data.map((g) => [g.group, g]));
    for (const key of [...open]) {
      const g = byGroup.get(key);
      if (g && isOverBudget(g)) runs.set(key, (runs.get(key) ?? 0) + 1);
      else open.delete(key);
    }
  }
  return runs;
}

export async function buildMonthlyReport(range: MonthRange, lookbackMonths: number, fetch: MonthFetcher): Promise<ApiResult<MonthlyReport>> {
  const current = await fetch(range);
  const total = totalMeasurements(current.data);
  const runs = await monthsOverBudgetInRow(current.data, range, lookbackMonths, fetch);
  const groups = current.data.map((g): ReportGroupRow => {
    const applies = contractApplies(g.measurements, total);
    const inRow = runs.get(g.group) ?? 0;
    return {
      ...g,
      contractApplies: applies,
      action: contractAction({ figures: g, contractApplies: applies, monthsOverBudgetInRow: inRow }),
      monthsOverBudgetInRow: inRow,
    };
  });
  const significantOverBudget = groups
    .filter((g) => isOverBudget(g) && isSignificantTraffic(g.measurements, total))
    .map((g) => g.group);
  return {
    meta: current.meta,
    data: {
      month: range.month,
      start: range.start.toISOString(),
      end: range.end.toISOString(),
      groups,
      investigateSharedCause: needsSharedCauseInvestigation(significantOverBudget.length),
      significantOverBudget,
      expiredExceptions: groups.filter((g) => g.customTarget?.expired).map((g) => g.group),
    },
  };
}
