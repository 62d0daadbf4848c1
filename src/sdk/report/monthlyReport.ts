/**
 * Gathers the counts the monthly report needs and hands them to the engine's pure builder
 * (src/sdk/report/monthlyReportBuilder.ts): the month's group counts, then earlier months one at
 * a time, only while some group's run of months over budget reaches back to the oldest month
 * fetched so far (usually zero to three extra queries).
 */
import type { Catalog, GroupInfo } from '../catalog/types';
import { buildMonthlyReportFromCounts } from './monthlyReportBuilder';
import type { MonthCounts } from './monthlyReportBuilder';
import { monthWindow, previousMonthOf } from './reportWindow';
import { MIN_YEAR } from '../budget/saneTime';
import type { GroupCounts, Sourced } from '../contract/budgetSource';
import type { ApiResult, MonthlyReport } from '../contract/apiTypes';

export type MonthCountsFetcher = (window: { month: string; start: Date; end: Date; minutes: number; label: string }) => Promise<Sourced<GroupCounts[]>>;

export interface ReportInputs {
  month: string;
  /** Catalog groups with every ignored component already merged in (catalog, config, backend). */
  groups: readonly GroupInfo[];
  defaultTarget: string;
  lookbackMonths: number;
  fetch: MonthCountsFetcher;
}

function fetchMonth(fetch: MonthCountsFetcher, month: string): Promise<Sourced<GroupCounts[]>> {
  const w = monthWindow(month);
  return fetch({ month, start: new Date(w.start), end: new Date(w.end), minutes: w.minutes, label: w.window.label });
}

/** The default target of a catalog: GitLabCatalog carries it; otherwise what an unknown group gets. */
export function defaultTargetOf(catalog: Catalog): string {
  const own = (catalog as { defaultTarget?: unknown }).defaultTarget;
  return typeof own === 'string' ? own : catalog.targetOf('');
}

export async function buildMonthlyReport(inputs: ReportInputs): Promise<ApiResult<MonthlyReport>> {
  const current = await fetchMonth(inputs.fetch, inputs.month);
  const history: MonthCounts[] = [];
  const build = (): MonthlyReport =>
    buildMonthlyReportFromCounts({
      month: inputs.month,
      groups: inputs.groups,
      counts: current.data,
      history,
      defaultTarget: inputs.defaultTarget,
    });
  let report = build();
  for (let back = 1; back <= inputs.lookbackMonths; back++) {
    // A run that covers every month fetched so far might go on further back.
    if (!report.groups.some((g) => g.monthsOverBudgetInRow === back)) break;
    const month = previousMonthOf(inputs.month, back);
    // No month before 1970 holds data (saneTime.ts): the run stops there.
    if (month < `${MIN_YEAR}-01`) break;
    const earlier = await fetchMonth(inputs.fetch, month);
    history.push({ month, counts: earlier.data });
    report = build();
  }
  return { meta: current.meta, data: report };
}
