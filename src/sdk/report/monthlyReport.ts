/**
 * Gathers the counts the monthly report needs and hands them to the engine's pure builder
 * (src/sdk/report/monthlyReportBuilder.ts): the month's group counts, then earlier months one at
 * a time, only while some group's run of months over budget reaches back to the oldest month
 * fetched so far (usually zero to three extra queries).
 */
import type { Catalog, GroupInfo } from '../catalog/types';
import type { CatalogHistory } from '../catalog/catalogHistory';
import { buildMonthlyReportFromCounts } from './monthlyReportBuilder';
import type { MonthCounts } from './monthlyReportBuilder';
import { monthWindow, previousMonthOf } from './reportWindow';
import { MIN_YEAR } from '../budget/saneTime';
import type { CategoryCounts, GroupCounts, Sourced } from '../contract/budgetSource';
import { CATEGORY_MONTHS_IN_ROW } from './monthlyReportBuilder';
import type { ApiResult, MonthlyReport } from '../contract/apiTypes';

export type MonthCountsFetcher = (window: { month: string; start: Date; end: Date; minutes: number; label: string }) => Promise<Sourced<GroupCounts[]>>;
export type CategoryMonthCountsFetcher = (window: { month: string; start: Date; end: Date; minutes: number; label: string }) => Promise<Sourced<CategoryCounts[]>>;

export interface ReportInputs {
  month: string;
  /** Catalog groups with every ignored component already merged in (catalog, config, backend). */
  groups: readonly GroupInfo[];
  defaultTarget: string;
  lookbackMonths: number;
  fetch: MonthCountsFetcher;
  /** Counts per category of a month: the report month and the two before (the category rule). */
  fetchCategories: CategoryMonthCountsFetcher;
  /** The catalog in force over time: each month's targets, owners and groups (monthlyReportBuilder.ts). */
  catalogHistory?: CatalogHistory;
}

function fetchMonth<T>(fetch: (w: { month: string; start: Date; end: Date; minutes: number; label: string }) => Promise<T>, month: string): Promise<T> {
  const w = monthWindow(month);
  return fetch({ month, start: new Date(w.start), end: new Date(w.end), minutes: w.minutes, label: w.window.label });
}

/** The default target of a catalog: GitLabCatalog carries it; otherwise what an unknown group gets. */
export function defaultTargetOf(catalog: Catalog): string {
  const own = (catalog as { defaultTarget?: unknown }).defaultTarget;
  return typeof own === 'string' ? own : catalog.targetOf('');
}

export async function buildMonthlyReport(inputs: ReportInputs): Promise<ApiResult<MonthlyReport>> {
  // The category rule's three months, fetched beside the group counts.
  const categoryMonths = Promise.all(
    Array.from({ length: CATEGORY_MONTHS_IN_ROW }, (_, back) => previousMonthOf(inputs.month, back))
      .filter((month) => month >= `${MIN_YEAR}-01`)
      .map(async (month) => ({ month, counts: (await fetchMonth(inputs.fetchCategories, month)).data })),
  );
  categoryMonths.catch(() => undefined); // awaited below; a failure surfaces there, not as unhandled
  const current = await fetchMonth(inputs.fetch, inputs.month);
  const categories = await categoryMonths;
  const history: MonthCounts[] = [];
  const build = (): MonthlyReport =>
    buildMonthlyReportFromCounts({
      month: inputs.month,
      groups: inputs.groups,
      counts: current.data,
      history,
      defaultTarget: inputs.defaultTarget,
      categoryMonths: categories,
      ...(inputs.catalogHistory ? { catalogHistory: inputs.catalogHistory } : {}),
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
