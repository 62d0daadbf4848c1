/**
 * The monthly error-budget report as a pure function of counts (GitLab handbook, domain.md
 * section 3): figures per group for the month, traffic share, whether the contract applies
 * (share > 0.01 %), the action, months over budget in a row, the "more than 5 significant groups
 * over budget -> investigate a shared cause" flag, custom targets and expired exceptions.
 *
 * No I/O: the caller fetches the month's and earlier months' GroupCounts from any BudgetSource.
 * Earlier months are judged against the group's target of today (targets are configuration, and
 * the history of configuration is not known here) and their own window length. The category rule:
 * categories over their own allocation three months in a row (categoriesOverAllocation below).
 */
import { computeBudget, isOverBudget } from '../budget/budgetMath';
import { contractAction, contractApplies, customTargetState, effectiveTarget, isSignificantTraffic, needsSharedCauseInvestigation } from '../budget/policy';
import { trafficShares } from '../budget/trafficShare';
import { DEFAULT_TARGET } from '../budget/target';
import { reportWindow, previousMonthOf } from './reportWindow';
import type { ReportWindow, ReportWindowMode } from './reportWindow';
import type { BudgetFigures, ComponentCounts, TargetPercent } from '../contract/budgetTypes';
import { NOT_OWNED_GROUP } from '../catalog/types';
import type { GroupInfo } from '../catalog/types';
import type { CategoryCounts, GroupCounts } from '../contract/budgetSource';
import type { CategoryOverAllocation, MonthlyReport, ReportGroupRow } from '../contract/apiTypes';

/** How many months in a row over its allocation put a category on the agenda (handbook). */
export const CATEGORY_MONTHS_IN_ROW = 3;

/** Counts per category of one month: the report month or one of the two before. */
export interface CategoryMonthCounts {
  /** 'YYYY-MM' */
  month: string;
  counts: readonly CategoryCounts[];
  /** Window length those counts cover; default: the month's window in the report's mode. */
  minutes?: number;
}

/** Counts of one earlier month. */
export interface MonthCounts {
  /** 'YYYY-MM' */
  month: string;
  counts: readonly GroupCounts[];
  /** Window length those counts cover; default: the month's window in the report's mode. */
  minutes?: number;
}

export interface MonthlyReportInput {
  /** 'YYYY-MM' */
  month: string;
  /** The catalog's groups; every one gets a row, with or without data. */
  groups: readonly GroupInfo[];
  /** The month's counts per group. Groups unknown to the catalog still count toward traffic. */
  counts: readonly GroupCounts[];
  /** Earlier months, any order; a missing month ends a run of months over budget. */
  history?: readonly MonthCounts[];
  /** Default: calendar month (see reportWindow.ts for the rolling-28-days alternative). */
  window?: ReportWindow;
  mode?: ReportWindowMode;
  defaultTarget?: TargetPercent;
  /** When custom-target exceptions are judged expired. Default: the window's end. */
  asOf?: Date;
  /**
   * Counts per category of the report month and the two before (any order), for the category rule;
   * a month left out ends every run, so without them no category is listed.
   */
  categoryMonths?: readonly CategoryMonthCounts[];
}

function countsByGroup(counts: readonly GroupCounts[]): Map<string, ComponentCounts[]> {
  const out = new Map<string, ComponentCounts[]>();
  for (const g of counts) {
    const list = out.get(g.group);
    if (list === undefined) out.set(g.group, [...g.components]);
    else list.push(...g.components);
  }
  return out;
}

function figuresFor(group: GroupInfo, components: readonly ComponentCounts[], minutes: number, label: string, defaultTarget: TargetPercent): BudgetFigures {
  return computeBudget(components, {
    target: effectiveTarget(group, defaultTarget),
    window: { label, minutes },
    ignoredComponents: group.ignoredComponents,
  });
}

/**
 * Consecutive months over budget ending with the report month, for one group. The current month
 * must be over budget to start a run; each earlier month extends it only if present and over.
 */
function monthsInRow(
  group: GroupInfo,
  currentOver: boolean,
  month: string,
  history: ReadonlyMap<string, { byGroup: Map<string, ComponentCounts[]>; minutes: number }>,
  defaultTarget: TargetPercent,
): number {
  if (!currentOver) return 0;
  let run = 1;
  for (let back = 1; ; back++) {
    const earlier = history.get(previousMonthOf(month, back));
    if (earlier === undefined) break;
    const figures = figuresFor(group, earlier.byGroup.get(group.key) ?? [], earlier.minutes, `${earlier.minutes / 1440}d`, defaultTarget);
    if (!isOverBudget(figures)) break;
    run++;
  }
  return run;
}

/**
 * The category rule: categories whose own figures (their group's target and ignored components,
 * over the category's own counts) were over budget in the report month and each of the two months
 * before it. Pseudo-groups (not_owned) have no allocation; categories no group lists are skipped.
 */
function categoriesOverAllocation(
  input: MonthlyReportInput,
  mode: ReportWindowMode,
  defaultTarget: TargetPercent,
): CategoryOverAllocation[] {
  const owner = new Map<string, GroupInfo>();
  for (const g of input.groups) {
    if (g.key === NOT_OWNED_GROUP) continue;
    for (const c of g.categories) if (!owner.has(c)) owner.set(c, g);
  }
  const byMonth = new Map<string, { byCategory: Map<string, ComponentCounts[]>; minutes: number }>();
  for (const m of input.categoryMonths ?? []) {
    const byCategory = new Map<string, ComponentCounts[]>();
    for (const c of m.counts) byCategory.set(c.category, [...(byCategory.get(c.category) ?? []), ...c.components]);
    byMonth.set(m.month, { byCategory, minutes: m.minutes ?? reportWindow(m.month, mode).minutes });
  }
  const months = Array.from({ length: CATEGORY_MONTHS_IN_ROW }, (_, i) => previousMonthOf(input.month, CATEGORY_MONTHS_IN_ROW - 1 - i));
  const current = byMonth.get(input.month);
  if (current === undefined || months.some((m) => !byMonth.has(m))) return [];
  const out: CategoryOverAllocation[] = [];
  for (const category of [...current.byCategory.keys()].sort()) {
    const group = owner.get(category);
    if (group === undefined) continue;
    const figures = months.map((m) => {
      const month = byMonth.get(m)!;
      return { month: m, f: figuresFor(group, month.byCategory.get(category) ?? [], month.minutes, `${month.minutes / 1440}d`, defaultTarget) };
    });
    if (!figures.every(({ f }) => isOverBudget(f))) continue;
    out.push({
      category,
      group: group.key,
      stage: group.stage,
      months: figures.map(({ month, f }) => ({ month, spentMinutes: f.spentMinutes ?? 0, budgetMinutes: f.budgetMinutes, availability: f.availability })),
    });
  }
  return out;
}

/** Pseudo-stage of groups the counts mention but the catalog does not. */
export const NOT_IN_CATALOG_STAGE = 'not_in_catalog';

// Pseudo-stages go last; real stages alphabetically.
const LAST_STAGES = [NOT_OWNED_GROUP, NOT_IN_CATALOG_STAGE];

/** Stage order of the report: real stages by key, then not_owned, then not_in_catalog. */
export function compareStageKeys(a: string, b: string): number {
  const la = LAST_STAGES.indexOf(a);
  const lb = LAST_STAGES.indexOf(b);
  if (la !== lb) return la - lb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups the counts mention that the catalog does not: reported, not hidden. */
function uncataloguedGroup(key: string): GroupInfo {
  return { key, name: key, stage: NOT_IN_CATALOG_STAGE, stageDisplayName: 'Not in catalog', categories: [], ignoredComponents: [] };
}

export function buildMonthlyReportFromCounts(input: MonthlyReportInput): MonthlyReport {
  const mode = input.mode ?? input.window?.mode ?? 'calendar';
  const window = input.window ?? reportWindow(input.month, mode);
  const defaultTarget = input.defaultTarget ?? DEFAULT_TARGET;
  const asOf = input.asOf ?? new Date(window.end);
  const current = countsByGroup(input.counts);

  const history = new Map<string, { byGroup: Map<string, ComponentCounts[]>; minutes: number }>();
  for (const h of input.history ?? []) {
    history.set(h.month, { byGroup: countsByGroup(h.counts), minutes: h.minutes ?? reportWindow(h.month, mode).minutes });
  }

  const catalogued = new Set(input.groups.map((g) => g.key));
  const groups = [...input.groups, ...[...current.keys()].filter((k) => !catalogued.has(k)).map(uncataloguedGroup)];

  const figures = groups.map((g) => figuresFor(g, current.get(g.key) ?? [], window.minutes, window.window.label, defaultTarget));
  // F13 over every group with counts: the environment's traffic, catalogued or not.
  const shares = trafficShares(new Map(groups.map((g, i) => [g.key, Math.max(0, figures[i]?.measurements ?? 0)])));
  let total = 0;
  for (const f of figures) total += Math.max(0, f.measurements);

  const rows: ReportGroupRow[] = groups.map((g, i) => {
    const f = figures[i] as BudgetFigures;
    const applies = contractApplies(f.measurements, total);
    const inRow = monthsInRow(g, isOverBudget(f), input.month, history, defaultTarget);
    const row: ReportGroupRow = {
      ...f,
      group: g.key,
      name: g.name,
      stage: g.stage,
      categories: [...g.categories],
      ignoredComponents: [...g.ignoredComponents],
      trafficShare: shares.get(g.key) ?? null,
      contractApplies: applies,
      action: contractAction({ figures: f, contractApplies: applies, monthsOverBudgetInRow: inRow }),
      monthsOverBudgetInRow: inRow,
    };
    if (g.customTarget !== undefined) row.customTarget = customTargetState(g.customTarget, asOf, { measurements: Math.max(0, f.measurements), totalMeasurements: total });
    return row;
  });
  rows.sort((a, b) => compareStageKeys(a.stage, b.stage) || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));

  const significantOverBudget = rows.filter((r) => isOverBudget(r) && isSignificantTraffic(r.measurements, total)).map((r) => r.group);
  return {
    month: input.month,
    start: window.start,
    end: window.end,
    groups: rows,
    investigateSharedCause: needsSharedCauseInvestigation(significantOverBudget.length),
    significantOverBudget,
    expiredExceptions: rows.filter((r) => r.customTarget?.expired === true).map((r) => r.group),
    categoriesOverAllocation: categoriesOverAllocation(input, mode, defaultTarget),
  };
}
