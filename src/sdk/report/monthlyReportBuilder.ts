/**
 * The monthly error-budget report as a pure function of counts (GitLab handbook, domain.md
 * section 3): figures per group for the month, traffic share, whether the contract applies
 * (share > 0.01 %), the action, months over budget in a row, the "more than 5 significant groups
 * over budget -> investigate a shared cause" flag, custom targets and expired exceptions.
 *
 * No I/O: the caller fetches the month's and earlier months' GroupCounts from any BudgetSource.
 * Each month is judged against the target in force at its end and its own window length: with a
 * catalog history (issue 15, docs/domain.md section 1 "Catalog history" and section 3), the custom
 * target of the catalog in force then; without one, the group's target of today. With a history
 * the report also lists the groups that were in the catalog for part of the month (`inCatalog`)
 * and the month's catalog changes. The category rule: categories over their own allocation three
 * months in a row (categoriesOverAllocation below), each month with its owner then.
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
import type { CatalogHistory } from '../catalog/catalogHistory';
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
  /**
   * The catalog in force over time (issue 15): each month's groups, custom targets and category
   * owners are those in force at the month's end; groups in the catalog for part of the month get
   * a row with `inCatalog`; the month's changes are listed. Without it, today's `groups` throughout.
   */
  catalogHistory?: CatalogHistory;
}

/** A group as the history knows it in a range: its settings at the last moment it was in the catalog. */
interface GroupPresence {
  info: GroupInfo;
  /** Epoch ms it came into the catalog inside the range, or undefined (there from the start). */
  from?: number;
  /** Epoch ms it left inside the range, or undefined (there to the end). */
  until?: number;
}

/** The groups of every catalog in force during [start, end), with when they came and went. */
function presenceIn(history: CatalogHistory, start: number, end: number): Map<string, GroupPresence> {
  const out = new Map<string, { info: GroupInfo; first: number; last: number }>();
  for (const seg of history.segments(start, end)) {
    for (const g of seg.catalog.groups.values()) {
      const p = out.get(g.key);
      if (p === undefined) out.set(g.key, { info: g, first: seg.start, last: seg.end });
      else Object.assign(p, { info: g, last: seg.end });
    }
  }
  return new Map(
    [...out].map(([key, p]) => [key, { info: p.info, ...(p.first > start ? { from: p.first } : {}), ...(p.last < end ? { until: p.last } : {}) }]),
  );
}

/** `g` with the custom target in force then (`then`, the history's view of the group), today's ignored components kept. */
function withTargetOfThen(g: GroupInfo, then: GroupInfo | undefined): GroupInfo {
  if (then === undefined) return g;
  const { customTarget: _today, ...rest } = g;
  return then.customTarget !== undefined ? { ...rest, customTarget: then.customTarget } : rest;
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
  groupThen: (group: GroupInfo, month: string) => GroupInfo,
): number {
  if (!currentOver) return 0;
  let run = 1;
  for (let back = 1; ; back++) {
    const m = previousMonthOf(month, back);
    const earlier = history.get(m);
    if (earlier === undefined) break;
    const figures = figuresFor(groupThen(group, m), earlier.byGroup.get(group.key) ?? [], earlier.minutes, `${earlier.minutes / 1440}d`, defaultTarget);
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
  // With a catalog history, each month's owner is the group that owned the category at the month's
  // end, with its target then (today's ignored components when it is one of today's groups).
  const ownerIn = (category: string, month: string): GroupInfo | undefined => {
    const history = input.catalogHistory;
    if (history === undefined) return owner.get(category);
    const end = Date.parse(reportWindow(month, mode).end) - 1;
    const then = history.catalogAt(end);
    if (!then.categories.has(category)) return undefined;
    const g = then.groupOf(category);
    if (g.key === NOT_OWNED_GROUP) return undefined;
    const today = input.groups.find((x) => x.key === g.key);
    return today ? withTargetOfThen(today, g) : g;
  };
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
    const group = ownerIn(category, input.month);
    if (group === undefined) continue;
    const figures = months.map((m) => {
      const month = byMonth.get(m)!;
      const g = ownerIn(category, m);
      return { month: m, f: g === undefined ? undefined : figuresFor(g, month.byCategory.get(category) ?? [], month.minutes, `${month.minutes / 1440}d`, defaultTarget) };
    });
    if (!figures.every(({ f }) => f !== undefined && isOverBudget(f))) continue;
    out.push({
      category,
      group: group.key,
      stage: group.stage,
      months: figures.map(({ month, f }) => ({ month, spentMinutes: f!.spentMinutes ?? 0, budgetMinutes: f!.budgetMinutes, availability: f!.availability })),
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

  // The groups in force in each month (catalog history), computed once per month asked.
  const presence = new Map<string, Map<string, GroupPresence>>();
  const presenceOf = (month: string): Map<string, GroupPresence> | undefined => {
    if (input.catalogHistory === undefined) return undefined;
    let p = presence.get(month);
    if (p === undefined) {
      const w = month === input.month ? window : reportWindow(month, mode);
      presence.set(month, (p = presenceIn(input.catalogHistory, Date.parse(w.start), Date.parse(w.end))));
    }
    return p;
  };
  /** A group as judged in `month`: the custom target in force at its end. */
  const groupThen = (g: GroupInfo, month: string): GroupInfo => withTargetOfThen(g, presenceOf(month)?.get(g.key)?.info);

  const catalogued = new Set(input.groups.map((g) => g.key));
  const monthPresence = presenceOf(input.month);
  // Groups of the month's catalogs that today's does not have (renamed, removed): rows of their own.
  const earlierGroups = [...(monthPresence?.values() ?? [])].filter((p) => !catalogued.has(p.info.key)).map((p) => p.info);
  const known = new Set([...catalogued, ...earlierGroups.map((g) => g.key)]);
  const groups = [
    ...input.groups.map((g) => groupThen(g, input.month)),
    ...earlierGroups,
    ...[...current.keys()].filter((k) => !known.has(k)).map(uncataloguedGroup),
  ];
  const iso = (ms: number): string => new Date(ms).toISOString();
  /** When a group was in the catalog for part of the month only (or, one of today's, not at all). */
  const inCatalogOf = (key: string): ReportGroupRow['inCatalog'] => {
    if (monthPresence === undefined || input.catalogHistory === undefined) return undefined;
    const p = monthPresence.get(key);
    if (p !== undefined) {
      return p.from === undefined && p.until === undefined ? undefined : { ...(p.from !== undefined ? { from: iso(p.from) } : {}), ...(p.until !== undefined ? { until: iso(p.until) } : {}) };
    }
    if (!catalogued.has(key)) return undefined;
    const later = input.catalogHistory.epochs.find((e) => e.from >= Date.parse(window.end) && e.catalog.groups.has(key));
    return later ? { from: iso(later.from) } : undefined;
  };

  const figures = groups.map((g) => figuresFor(g, current.get(g.key) ?? [], window.minutes, window.window.label, defaultTarget));
  // F13 over every group with counts: the environment's traffic, catalogued or not.
  const shares = trafficShares(new Map(groups.map((g, i) => [g.key, Math.max(0, figures[i]?.measurements ?? 0)])));
  let total = 0;
  for (const f of figures) total += Math.max(0, f.measurements);

  const rows: ReportGroupRow[] = groups.map((g, i) => {
    const f = figures[i] as BudgetFigures;
    const applies = contractApplies(f.measurements, total);
    const inRow = monthsInRow(g, isOverBudget(f), input.month, history, defaultTarget, groupThen);
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
    const inCatalog = inCatalogOf(g.key);
    if (inCatalog !== undefined) row.inCatalog = inCatalog;
    return row;
  });
  rows.sort((a, b) => compareStageKeys(a.stage, b.stage) || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));

  // Changes inside [start, end): one at the end instant is the next month's.
  const changes = input.catalogHistory?.changesWithin(Date.parse(window.start), Date.parse(window.end) - 1) ?? [];
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
    ...(changes.length > 0 ? { catalogChanges: changes } : {}),
  };
}
