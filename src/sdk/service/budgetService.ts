/**
 * BudgetService: the Budget API computed locally from any BudgetSource (raw counts) + the
 * catalog (ownership, targets, ignored components) + the engine in src/sdk/budget (the math).
 * The HTTP server serves one; the CLI and the extension use one directly or a BudgetApiClient.
 * Every result carries the source's meta (window, asOf, provenance).
 */
import type { ObjectiveBudget, ObjectiveDetail, ObjectiveMethodFigures } from '../contract/objectiveTypes';
import type { ObjectiveEvaluation, ObjectiveEvaluator } from '../objectives/evaluator';
import type { ObjectiveSpec } from '../objectives/spec';
import { objectiveSliText } from '../objectives/describe';
import { isAbsolute, relative, sep } from 'node:path';
import { budgetMinutes, computeBudget } from '../budget/budgetMath';
import { buildBurnRateRows, DEFAULT_BURN_POLICIES } from '../budget/burnRate';
import { BURN_ALERT_WINDOWS, evaluateBurnAlert } from '../budget/burnAlert';
import { failuresOf, measurementsOf, sumComponents } from '../budget/counts';
import { endpointBudgets, endpointSpentMinutes, rankEndpoints, type EndpointCategoryContext } from '../budget/endpointRanking';
import { customTargetState } from '../budget/policy';
import { trafficShares } from '../budget/trafficShare';
import type { BudgetWindow, Component, ComponentCounts } from '../contract/budgetTypes';
import { parseWindow, WINDOW_28D } from '../budget/window';
import { instantRejection } from '../budget/saneTime';
import type { Catalog, GroupInfo } from '../catalog/types';
import { closestCategory } from '../catalog/closestCategory';
import { NOT_OWNED_GROUP, UNKNOWN_CATEGORY } from '../catalog/types';
import type { BudgetSource, CategoryCounts, EndpointCounts, GroupCounts, ResultMeta, Scope } from '../contract/budgetSource';
import type {
  ApiResult,
  BudgetApi,
  BurnRatesResult,
  CategoryBudget,
  DailyRow,
  DailySeries,
  EndpointBudgets,
  GroupBudget,
  MonthlyReport,
  QueryOptions,
  ReportObjectiveRow,
  TopEndpoints,
} from '../contract/apiTypes';
import { buildMonthlyReport, defaultTargetOf } from '../report/monthlyReport';
import { checkWindowStart, parseLimitParam, parseMonthParam, parseWindowParam } from './queryParams';
import { BackendError, BackendTimeoutError, InvalidQueryError, UnknownScopeError, backendFaultOf } from '../contract/serviceErrors';
import { apiErrorAnswer } from './apiErrors';
import { componentsInScope, countedRange, subtractComponents } from '../budget/adjustments';
import type { CountedRange } from '../budget/adjustments';
import { adjustmentScopeErrors } from '../catalog/adjustmentScopes';
import type { CatalogHistory } from '../catalog/catalogHistory';
import type { ConfiguredAdjustment } from '../config/types';
import type { Adjustment, BudgetFigures } from '../contract/budgetTypes';
import type { AdjustedFigures, AppliedAdjustment, ScopeAdjustment } from '../contract/apiTypes';

export interface BudgetServiceOptions {
  /** Extra ignored components per group (from .budgetlens.yml), on top of the catalog's. */
  ignoredComponents?: Readonly<Record<string, readonly Component[]>>;
  /** How long the source's own ignored-component list is reused. Default 60 s. */
  ignoredComponentsTtlMs?: number;
  /** The clock: "now" for queries without `at`. */
  now?: () => Date;
  /** How many months back the report looks for "months over budget in a row". Default 12. */
  reportLookbackMonths?: number;
  /**
   * The project's objectives (issue 13): a list, or a function read on every request (the
   * editor's index re-reads them when a file changes). None: `/objectives` answers an empty list.
   */
  objectives?: readonly ObjectiveSpec[] | (() => readonly ObjectiveSpec[]);
  /** The workspace root: each objective's `definedAt.file` is relative to it (absolute without it). */
  workspaceRoot?: string;
  /**
   * Evaluates objectives on this backend (the Prometheus source's, the store's). Absent: every
   * objective answers `figures: null` with error `objectives_unsupported` (objectivesUnsupported says why).
   */
  objectiveEvaluator?: ObjectiveEvaluator;
  /** The message of `objectives_unsupported` when there is no evaluator. */
  objectivesUnsupported?: string;
  /** Objectives evaluated at the same time. Default 8. */
  objectiveConcurrency?: number;
  /**
   * Manual adjustments (`.budgetlens.yml` `adjustments:`, issue 15 item 3): groups and categories
   * they apply to answer `adjusted` figures beside the measured ones. Checked against the catalog
   * when the service is made: an unknown group or category, or overlapping ones, throw an
   * InputError at the adjustment's file:line.
   */
  adjustments?: readonly ConfiguredAdjustment[];
  /**
   * The catalog in force over time (issue 15 item 1): group and category answers whose window spans
   * a change say what moved in `meta.catalogChanges`. The source attributes the counts (the store and
   * raw Prometheus take the same history; recorded series carry the group recorded then).
   */
  catalogHistory?: CatalogHistory;
}

/** One adjustment over one window: the part the source counts, and the source's window for it. */
interface AdjustmentInWindow {
  adjustment: Adjustment;
  range: CountedRange;
  applied: AppliedAdjustment;
}

/** What the adjustments remove from one group or category: per adjustment, its removed components. */
type Removals = Map<string, Array<{ inWindow: AdjustmentInWindow; components: ComponentCounts[] }>>;

/** The code an objective answers when the backend has no objective evaluator. */
export const OBJECTIVES_UNSUPPORTED = 'objectives_unsupported';

/** The most objective names one `objectives` request may ask for. */
export const MAX_OBJECTIVE_NAMES = 500;

const MINUTE_MS = 60_000;

/** One objective's evaluation, or the error that stood in its way. */
type Evaluated = { spec: ObjectiveSpec; evaluation: ObjectiveEvaluation } | { spec: ObjectiveSpec; error: { code: string; message: string }; cause: unknown };

/** Runs `fn` over `items`, at most `limit` at a time, answers in order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** The most endpoint ids one `endpoints` request may ask for (a screen holds far fewer). */
export const MAX_ENDPOINT_IDS = 500;

interface ScopeCounts {
  components: ComponentCounts[];
  meta: ResultMeta;
}

interface Evaluation {
  window: BudgetWindow;
  at: Date;
  signal: AbortSignal | undefined;
}

/** Provenance of a result computed from several source queries: all of them, in order. */
export function mergeMeta(primary: ResultMeta, ...others: ResultMeta[]): ResultMeta {
  const queries = [...primary.provenance.queries, ...others.flatMap((m) => m.provenance.queries)];
  const warnings = [...(primary.warnings ?? []), ...others.flatMap((m) => m.warnings ?? [])];
  return {
    ...primary,
    provenance: { ...primary.provenance, queries },
    ...(warnings.length ? { warnings: [...new Set(warnings)] } : {}),
  };
}

export class BudgetService implements BudgetApi {
  private readonly now: () => Date;
  private sourceIgnored: { at: number; byGroup: Map<string, Component[]> } | undefined;

  constructor(
    readonly source: BudgetSource,
    readonly catalog: Catalog,
    private readonly opts: BudgetServiceOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    const bad = adjustmentScopeErrors(opts.adjustments ?? [], catalog);
    if (bad[0]) throw bad[0];
  }

  async groups(q: QueryOptions = {}): Promise<ApiResult<GroupBudget[]>> {
    return this.groupsFor(this.evaluation(q));
  }

  private async groupsFor(ev: Evaluation): Promise<ApiResult<GroupBudget[]>> {
    const [counts, ignored, removals] = await Promise.all([
      this.call(ev.signal, () => this.source.groupCounts({ window: ev.window, at: ev.at, signal: ev.signal })),
      this.ignoredByGroup(ev),
      this.removals('group', ev),
    ]);
    const byGroup = new Map(counts.data.map((g) => [g.group, g.components]));
    // F13 over every group the backend reports (also ones the catalog lacks): the environment's traffic.
    const measurements = new Map<string, number>();
    const figures = new Map<string, ReturnType<typeof computeBudget>>();
    for (const key of new Set([...this.catalog.groups.keys(), ...byGroup.keys()])) {
      const f = computeBudget(byGroup.get(key) ?? [], {
        target: this.targetAt(key, ev.at),
        window: ev.window,
        ignoredComponents: ignored.get(key) ?? [],
      });
      figures.set(key, f);
      measurements.set(key, f.measurements);
    }
    const shares = trafficShares(measurements);
    let totalMeasurements = 0;
    for (const m of measurements.values()) totalMeasurements += Math.max(0, m);
    const data: GroupBudget[] = [];
    for (const info of this.catalog.groups.values()) {
      const f = figures.get(info.key);
      if (!f) continue;
      const g = this.groupBudget(info, f, shares.get(info.key) ?? null, ignored.get(info.key) ?? [], ev.at, totalMeasurements);
      const adjusted = adjustedFigures(byGroup.get(info.key) ?? [], removals.byScope.get(info.key), { target: f.target, window: ev.window, ignoredComponents: ignored.get(info.key) ?? [] });
      data.push(adjusted ? { ...g, adjusted } : g);
    }
    return { meta: this.withCatalogChanges(mergeMeta(counts.meta, ...removals.metas)), data };
  }

  /** `meta.catalogChanges`: the changes of the catalog in force inside the answer's window, if any. */
  private withCatalogChanges(meta: ResultMeta): ResultMeta {
    const changes = this.opts.catalogHistory?.changesWithin(Date.parse(meta.window.start), Date.parse(meta.window.end)) ?? [];
    return changes.length > 0 ? { ...meta, catalogChanges: changes } : meta;
  }

  async group(key: string, q: QueryOptions = {}): Promise<ApiResult<GroupBudget>> {
    this.groupInfo(key);
    const all = await this.groups(q);
    const data = all.data.find((g) => g.group === key);
    if (!data) throw new UnknownScopeError('group', key);
    return { meta: all.meta, data };
  }

  async categories(names: string[], q: QueryOptions = {}): Promise<ApiResult<CategoryBudget[]>> {
    const ev = this.evaluation(q);
    const wanted = names.length ? [...new Set(names)] : [...this.catalog.categories.keys()];
    for (const name of wanted) this.assertCategory(name);
    const [counts, ignored, removals] = await Promise.all([
      this.call(ev.signal, () => this.source.categoryCounts({ window: ev.window, at: ev.at, signal: ev.signal, categories: wanted })),
      this.ignoredByGroup(ev),
      this.removals('category', ev, wanted),
    ]);
    const byCategory = new Map(counts.data.map((c) => [c.category, c.components]));
    const data = wanted.map((category): CategoryBudget => {
      const group = this.catalog.groupOf(category);
      const opts = { target: this.targetAt(group.key, ev.at), window: ev.window, ignoredComponents: ignored.get(group.key) ?? [] };
      const f = computeBudget(byCategory.get(category) ?? [], opts);
      const adjusted = adjustedFigures(byCategory.get(category) ?? [], removals.byScope.get(category), opts);
      return { ...f, category, group: group.key, stage: this.catalog.stageOf(category), ...(adjusted ? { adjusted } : {}) };
    });
    return { meta: this.withCatalogChanges(mergeMeta(counts.meta, ...removals.metas)), data };
  }

  async topEndpoints(scope: Scope, q: QueryOptions & { limit?: number } = {}): Promise<ApiResult<TopEndpoints>> {
    const ev = this.evaluation(q);
    const limit = q.limit === undefined ? parseLimitParam(undefined) : parseLimitParam(String(q.limit));
    const group = this.scopeGroup(scope);
    const ignored = (await this.ignoredByGroup(ev)).get(group.key) ?? [];
    const [total, endpoints] = await Promise.all([
      this.scopeCounts(scope, ev),
      // With ignored components the source's own limit could cut rows we need; rank them all here.
      this.call(ev.signal, () =>
        this.source.endpointCounts({ window: ev.window, at: ev.at, signal: ev.signal, scope, ...(ignored.length ? {} : { limit }) }),
      ),
    ]);
    const figures = computeBudget(total.components, { target: this.targetAt(group.key, ev.at), window: ev.window, ignoredComponents: ignored });
    const rows = rankEndpoints(endpoints.data, { failures: figures.failures, measurements: figures.measurements, window: ev.window }, { limit, ignoredComponents: ignored });
    return { meta: mergeMeta(total.meta, endpoints.meta), data: { scope, total: figures, endpoints: rows } };
  }

  /**
   * F15 for each id: its own counts, its categories' totals and every endpoint of them (for the
   * share, the minutes and the offenders' rank); see endpointsWithCategories for the reads.
   */
  async endpoints(ids: string[], q: QueryOptions = {}): Promise<ApiResult<EndpointBudgets>> {
    const ev = this.evaluation(q);
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) throw new InvalidQueryError('ids', 'at least one endpoint id is required');
    if (wanted.length > MAX_ENDPOINT_IDS) throw new InvalidQueryError('ids', `at most ${MAX_ENDPOINT_IDS} endpoint ids, got ${wanted.length}`);
    const base = { window: ev.window, at: ev.at, signal: ev.signal };
    const [read, ignored] = await Promise.all([this.endpointsWithCategories(wanted, base), this.ignoredByGroup(ev)]);
    const { own, categories, totals, endpointsOf } = read;
    const contexts = new Map<string, EndpointCategoryContext>();
    for (const category of categories) {
      const group = this.catalog.groupOf(category);
      const ignoredComponents = ignored.get(group.key) ?? [];
      const target = this.targetAt(group.key, ev.at);
      const f = computeBudget(totals.find((c) => c.category === category)?.components ?? [], { target, window: ev.window, ignoredComponents });
      contexts.set(category, { failures: f.failures, measurements: f.measurements, group: group.key, target, ignoredComponents, endpoints: endpointsOf(category) });
    }
    const data = endpointBudgets(wanted, own, ev.window, (c) => contexts.get(c)!, defaultTargetOf(this.catalog));
    return { meta: read.meta, data: { endpoints: data } };
  }

  /**
   * Runs the endpoint figures once before the first request (`budget-lens serve` over a store
   * calls it before it listens), so the first client does not pay the first use of the
   * statements, of SQLite's page cache for the window's rows and of V8's compiled F15 path: every
   * category with data in the default window (its top failing endpoint, which reads the whole
   * category), then F15 for those endpoints (at most MAX_ENDPOINT_IDS). The answers are
   * discarded. Returns what it read (the ids and the time, for the server's own warm-up request).
   */
  async warmUp(): Promise<{ categories: number; endpoints: number; ids: string[]; at: Date }> {
    const ev = this.evaluation({});
    const base = { window: ev.window, at: ev.at, signal: ev.signal };
    const totals = await this.source.categoryCounts(base);
    const categories = totals.data.filter((c) => c.components.length > 0).map((c) => c.category).sort();
    const ids: string[] = [];
    for (const category of categories) {
      const top = await this.source.endpointCounts({ ...base, scope: { category }, limit: 1 });
      const id = top.data[0]?.endpointId;
      if (id !== undefined && ids.length < MAX_ENDPOINT_IDS) ids.push(id);
    }
    if (ids.length > 0) await this.endpoints(ids, { at: ev.at });
    return { categories: categories.length, endpoints: ids.length, ids, at: ev.at };
  }

  /**
   * The asked ids' own rows, their categories (those the rows are in, sorted), the categories'
   * totals and every endpoint row of each: one endpoint read where the source has
   * endpointCountsWithPeers (the store), else by id and then per category, the categories read
   * together with their totals.
   */
  private async endpointsWithCategories(
    ids: string[],
    base: { window: BudgetWindow; at: Date; signal: AbortSignal | undefined },
  ): Promise<{ own: EndpointCounts[]; categories: string[]; totals: CategoryCounts[]; endpointsOf: (category: string) => EndpointCounts[]; meta: ResultMeta }> {
    const withPeers = this.source.endpointCountsWithPeers?.bind(this.source);
    if (withPeers) {
      const peers = await this.call(base.signal, () => withPeers({ ...base, endpointIds: ids }));
      const asked = new Set(ids);
      const own = peers.data.filter((r) => asked.has(r.endpointId));
      const categories = [...new Set(own.map((r) => r.category))].sort();
      const byCategory = new Map<string, EndpointCounts[]>();
      for (const r of peers.data) {
        const list = byCategory.get(r.category);
        if (list) list.push(r);
        else byCategory.set(r.category, [r]);
      }
      if (categories.length === 0) return { own, categories, totals: [], endpointsOf: () => [], meta: peers.meta };
      const totals = await this.call(base.signal, () => this.source.categoryCounts({ ...base, categories }));
      return { own, categories, totals: totals.data, endpointsOf: (c) => byCategory.get(c) ?? [], meta: mergeMeta(peers.meta, totals.meta) };
    }
    const own = await this.call(base.signal, () => this.source.endpointCountsById({ ...base, endpointIds: ids }));
    const categories = [...new Set(own.data.map((r) => r.category))].sort();
    if (categories.length === 0) return { own: own.data, categories, totals: [], endpointsOf: () => [], meta: own.meta };
    const [totals, ...perCategory] = await Promise.all([
      this.call(base.signal, () => this.source.categoryCounts({ ...base, categories })),
      ...categories.map((category) => this.call(base.signal, () => this.source.endpointCounts({ ...base, scope: { category } }))),
    ]);
    const byCategory = new Map(categories.map((c, i) => [c, perCategory[i]?.data ?? []]));
    return { own: own.data, categories, totals: totals.data, endpointsOf: (c) => byCategory.get(c) ?? [], meta: mergeMeta(own.meta, totals.meta, ...perCategory.map((p) => p.meta)) };
  }

  async daily(scope: Scope, q: QueryOptions = {}): Promise<ApiResult<DailySeries>> {
    const ev = this.evaluation(q);
    const group = this.scopeGroup(scope);
    const [series, ignoredMap] = await Promise.all([
      this.call(ev.signal, () => this.source.dailyCounts({ window: ev.window, at: ev.at, signal: ev.signal, scope })),
      this.ignoredByGroup(ev),
    ]);
    const ignored = ignoredMap.get(group.key) ?? [];
    const perDay = series.data.map((d) => ({ date: d.date, counts: sumComponents(d.components, ignored) }));
    // Each day's spend is measured against the whole window's m, so the days add up to F4.
    const windowMeasurements = perDay.reduce((acc, d) => acc + d.counts.apdexWeight + d.counts.ops, 0);
    let cumulativeFailures = 0;
    const days = perDay.map(({ date, counts }): DailyRow => {
      const apdexFailures = counts.apdexWeight - counts.apdexSuccess;
      const failures = apdexFailures + counts.errors;
      cumulativeFailures += failures;
      return {
        date,
        apdexFailures,
        errorFailures: counts.errors,
        measurements: counts.apdexWeight + counts.ops,
        spentMinutes: endpointSpentMinutes(failures, windowMeasurements, ev.window),
        cumulativeSpentMinutes: endpointSpentMinutes(cumulativeFailures, windowMeasurements, ev.window),
      };
    });
    return {
      meta: series.meta,
      data: { scope, budgetMinutes: budgetMinutes(this.targetAt(group.key, ev.at), ev.window), days },
    };
  }

  /**
   * The 1 h / 6 h / 3 d rows against the 28 d policy (F9-F11) and the two-window alert (F16) over
   * 1 h + 5 m and 6 h + 30 m. A source answers each window as it can: Prometheus queries the
   * ranges as they are, the store answers windows under an hour from its hour buckets.
   */
  async burnRates(scope: Scope, q: Omit<QueryOptions, 'window'> = {}): Promise<BurnRatesResult> {
    const period = WINDOW_28D;
    const ev = this.evaluation({ ...q, window: period.label });
    const group = this.scopeGroup(scope);
    const target = this.targetAt(group.key, ev.at);
    const ignored = (await this.ignoredByGroup(ev)).get(group.key) ?? [];
    // One query per distinct window: the policy's 1h and 6h are also the alert's long windows.
    const labels = [...new Set([...DEFAULT_BURN_POLICIES.map((p) => p.window), ...BURN_ALERT_WINDOWS])];
    const [periodCounts, ...windowCounts] = await Promise.all([
      this.scopeCounts(scope, ev),
      ...labels.map((label) => this.scopeCounts(scope, { ...ev, window: parseWindow(label) })),
    ]);
    if (!periodCounts) throw new Error('unreachable: the period query is always first');
    const summed = new Map(labels.map((label, i) => [label, sumComponents(windowCounts[i]?.components ?? [], ignored)]));
    const figures = computeBudget(periodCounts.components, { target, window: period, ignoredComponents: ignored });
    const rows = buildBurnRateRows(
      DEFAULT_BURN_POLICIES.map((policy) => ({ policy, counts: summed.get(policy.window) ?? sumComponents([]) })),
      { target, period, remainingFraction: figures.remainingFraction },
    );
    const alert = evaluateBurnAlert(
      Object.fromEntries([...summed].map(([label, c]) => [label, { failures: failuresOf(c), measurements: measurementsOf(c) }])),
      target,
    );
    return { meta: mergeMeta(periodCounts.meta, ...windowCounts.map((w) => w.meta)), data: rows, alert };
  }

  /**
   * The project's objectives (issue 13), each over its own window at `at` (floored to the
   * minute), evaluated a few at a time. One objective that cannot be evaluated answers
   * `figures: null` and its `error`; the others are unaffected. Only a backend that is down for
   * every objective asked (unreachable, 5xx) fails the request, as on the other routes.
   */
  async objectives(q: Omit<QueryOptions, 'window'> & { names?: string[] } = {}): Promise<ApiResult<ObjectiveBudget[]>> {
    const at = this.objectiveInstant(q.at);
    const specs = this.objectiveSpecs(q.names);
    const evaluated = await this.evaluateObjectives(specs, at, q.signal);
    return { meta: this.objectiveMeta(specs, evaluated, at), data: evaluated.map((e) => this.objectiveBudget(e)) };
  }

  /** One objective with its burn-down day by day; UnknownScopeError (404) for a name the project lacks. */
  async objective(name: string, q: Omit<QueryOptions, 'window'> = {}): Promise<ApiResult<ObjectiveDetail>> {
    const at = this.objectiveInstant(q.at);
    const [spec] = this.objectiveSpecs([name]);
    if (spec === undefined) throw new UnknownScopeError('objective', name);
    const [[evaluated], burnDown] = await Promise.all([
      this.evaluateObjectives([spec], at, q.signal),
      this.objectiveBurnDown(spec, at, q.signal),
    ]);
    const budget = this.objectiveBudget(evaluated!);
    const warnings = 'error' in burnDown ? [...budget.warnings, `burn-down: ${burnDown.error.message}`] : budget.warnings;
    const points = 'error' in burnDown ? [] : burnDown.points;
    const queries = 'error' in burnDown ? [] : burnDown.queries;
    const meta = this.objectiveMeta([spec], [evaluated!], at);
    meta.provenance = { ...meta.provenance, queries: [...new Set([...meta.provenance.queries, ...queries.map((x) => x.query)])] };
    return { meta, data: { ...budget, queries: [...budget.queries, ...queries.filter((x) => !budget.queries.some((b) => b.query === x.query && b.kind === x.kind))], warnings, burnDown: points } };
  }

  async report(month: string, q: Omit<QueryOptions, 'window' | 'at'> = {}): Promise<ApiResult<MonthlyReport>> {
    const range = parseMonthParam(month);
    const ev: Evaluation = { window: range.window, at: range.end, signal: q.signal };
    const ignored = await this.ignoredByGroup(ev);
    const groups = [...this.catalog.groups.values(), this.catalog.groupOf(NOT_OWNED_GROUP)].map((g) => ({
      ...g,
      ignoredComponents: ignored.get(g.key) ?? g.ignoredComponents,
    }));
    let monthCounts: GroupCounts[] = [];
    const built = buildMonthlyReport({
      month: range.month,
      groups,
      defaultTarget: defaultTargetOf(this.catalog),
      lookbackMonths: this.opts.reportLookbackMonths ?? 12,
      ...(this.opts.catalogHistory ? { catalogHistory: this.opts.catalogHistory } : {}),
      fetch: async (w) => {
        const r = await this.call(q.signal, () => this.source.groupCounts({ window: { label: w.label, minutes: w.minutes }, at: w.end, signal: q.signal }));
        if (w.month === range.month) monthCounts = r.data;
        return r;
      },
      fetchCategories: (w) =>
        this.call(q.signal, () => this.source.categoryCounts({ window: { label: w.label, minutes: w.minutes }, at: w.end, signal: q.signal })),
    });
    const report = this.adjustReport(built, () => monthCounts, ev, ignored);
    const specs = this.objectiveList();
    if (specs.length === 0) return report;
    // The project's objectives over the month, beside the groups (issue 13): unchanged without any.
    const [base, objectives] = await Promise.all([report, this.monthObjectives(specs, range.start, range.end, q.signal)]);
    const meta = { ...base.meta, provenance: { ...base.meta.provenance, queries: [...base.meta.provenance.queries, ...objectives.queries] } };
    return { meta, data: { ...base.data, objectives: objectives.rows } };
  }

  /**
   * The month's manual adjustments (issue 15 item 3): every one whose range meets the month is
   * listed, and each group it touched gets `adjusted` figures (its row's target and window). The
   * rows' action, runs and the shared-cause flag stay as measured: the report discusses the
   * adjustment, it does not decide by it.
   */
  private async adjustReport(built: Promise<ApiResult<MonthlyReport>>, monthCounts: () => GroupCounts[], ev: Evaluation, ignored: Map<string, Component[]>): Promise<ApiResult<MonthlyReport>> {
    const [report, removals] = await Promise.all([built, this.removals('group', ev)]);
    const applied = this.adjustmentsIn(ev).map((a) => a.applied);
    if (applied.length === 0) return report;
    const byGroup = new Map<string, ComponentCounts[]>();
    for (const g of monthCounts()) byGroup.set(g.group, [...(byGroup.get(g.group) ?? []), ...g.components]);
    const groups = report.data.groups.map((row) => {
      const adjusted = adjustedFigures(byGroup.get(row.group) ?? [], removals.byScope.get(row.group), { target: row.target, window: row.window, ignoredComponents: ignored.get(row.group) ?? row.ignoredComponents });
      return adjusted ? { ...row, adjusted } : row;
    });
    return { meta: mergeMeta(report.meta, ...removals.metas), data: { ...report.data, groups, adjustments: applied } };
  }

  /**
   * Each objective over the report's month: its window replaced by the month (rolling, ending at
   * the month's end, or now while the month is in progress), so every objective is read over the
   * same calendar month as the groups.
   */
  private async monthObjectives(specs: readonly ObjectiveSpec[], start: Date, end: Date, signal: AbortSignal | undefined): Promise<{ rows: ReportObjectiveRow[]; queries: string[] }> {
    const at = new Date(Math.min(end.getTime(), Math.floor(this.now().getTime() / MINUTE_MS) * MINUTE_MS));
    const minutes = Math.floor((at.getTime() - start.getTime()) / MINUTE_MS);
    const row = (spec: ObjectiveSpec): Omit<ReportObjectiveRow, 'figures' | 'range'> => ({
      name: spec.name,
      ...(spec.displayName !== undefined ? { displayName: spec.displayName } : {}),
      ...(spec.category !== undefined ? { category: spec.category } : {}),
      ...(spec.group !== undefined ? { group: spec.group } : {}),
      target: spec.target,
      method: spec.budgetingMethod,
      window: spec.window.label,
      sli: objectiveSliText(spec),
    });
    if (minutes <= 0) {
      const error = { code: 'month_not_started', message: `the month starting ${start.toISOString()} has not started` };
      return { rows: specs.map((spec) => ({ ...row(spec), figures: null, range: null, error })), queries: [] };
    }
    const label = minutes % 1440 === 0 ? `${minutes / 1440}d` : `${minutes}m`;
    const monthSpecs = specs.map((spec): ObjectiveSpec => ({ ...spec, window: { kind: 'rolling', minutes, label } }));
    const evaluated = await this.evaluateObjectives(monthSpecs, at, signal);
    const rows = evaluated.map((e, i): ReportObjectiveRow => {
      const base = row(specs[i]!);
      if ('error' in e) return { ...base, figures: null, range: null, error: e.error };
      const { objective: _objective, windowMinutes: _windowMinutes, ...figures } = e.evaluation.figures;
      return { ...base, figures: figures as ObjectiveMethodFigures, range: e.evaluation.range };
    });
    const queries = [...new Set(evaluated.flatMap((e) => ('evaluation' in e ? e.evaluation.queries.filter((x) => x.window === label).map((x) => x.query) : [])))];
    return { rows, queries };
  }

  // ---- objectives ----------------------------------------------------------------------------

  private objectiveList(): readonly ObjectiveSpec[] {
    const o = this.opts.objectives;
    return typeof o === 'function' ? o() : (o ?? []);
  }

  /** The asked objectives in the asked order (all, in the project's order, without names); 404 for an unknown name. */
  private objectiveSpecs(names: readonly string[] | undefined): ObjectiveSpec[] {
    const all = this.objectiveList();
    if (names === undefined || names.length === 0) return [...all];
    const wanted = [...new Set(names)];
    if (wanted.length > MAX_OBJECTIVE_NAMES) throw new InvalidQueryError('names', `at most ${MAX_OBJECTIVE_NAMES} objective names, got ${wanted.length}`);
    const byName = new Map(all.map((o) => [o.name, o]));
    return wanted.map((name) => {
      const spec = byName.get(name);
      if (spec === undefined) throw new UnknownScopeError('objective', name, closestCategory(name, byName.keys()));
      return spec;
    });
  }

  private objectiveInstant(at: Date | undefined): Date {
    const t = at ?? this.now();
    if (!(t instanceof Date) || Number.isNaN(t.getTime())) throw new InvalidQueryError('at', 'not a valid time');
    const out = instantRejection(t.getTime());
    if (out) throw new InvalidQueryError('at', `${t.toISOString()}: ${out.message}`);
    return new Date(Math.floor(t.getTime() / MINUTE_MS) * MINUTE_MS);
  }

  private async evaluateObjectives(specs: readonly ObjectiveSpec[], at: Date, signal: AbortSignal | undefined): Promise<Evaluated[]> {
    const evaluator = this.opts.objectiveEvaluator;
    if (evaluator === undefined) {
      const message = this.opts.objectivesUnsupported ?? `the ${this.source.kind} backend does not evaluate objectives`;
      return specs.map((spec) => ({ spec, error: { code: OBJECTIVES_UNSUPPORTED, message }, cause: undefined }));
    }
    const out = await mapBounded(specs, this.opts.objectiveConcurrency ?? 8, async (spec): Promise<Evaluated> => {
      try {
        return { spec, evaluation: await evaluator.evaluate(spec, { at, signal }) };
      } catch (e) {
        this.rethrowAbort(signal, e);
        return { spec, error: objectiveError(e), cause: e };
      }
    });
    // The backend down for every objective is the request's failure (503), as on the other routes.
    const failed = out.filter((e): e is Extract<Evaluated, { error: unknown }> => 'error' in e);
    const down = failed.find((e) => backendFaultOf(e.cause)?.unavailable === true);
    if (specs.length > 0 && failed.length === specs.length && down !== undefined) throw new BackendError(down.cause);
    return out;
  }

  private async objectiveBurnDown(spec: ObjectiveSpec, at: Date, signal: AbortSignal | undefined): Promise<Awaited<ReturnType<ObjectiveEvaluator['burnDown']>> | { error: { code: string; message: string } }> {
    const evaluator = this.opts.objectiveEvaluator;
    if (evaluator === undefined) return { points: [], queries: [] };
    try {
      return await evaluator.burnDown(spec, { at, signal });
    } catch (e) {
      this.rethrowAbort(signal, e);
      return { error: objectiveError(e) };
    }
  }

  private rethrowAbort(signal: AbortSignal | undefined, e: unknown): void {
    if (signal?.aborted) {
      if (BackendTimeoutError.is(signal.reason)) throw signal.reason;
      throw e;
    }
  }

  private objectiveBudget(e: Evaluated): ObjectiveBudget {
    const spec = e.spec;
    const base: ObjectiveBudget = {
      name: spec.name,
      ...(spec.displayName !== undefined ? { displayName: spec.displayName } : {}),
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      ...(spec.service !== undefined ? { service: spec.service } : {}),
      ...(spec.category !== undefined ? { category: spec.category } : {}),
      ...(spec.group !== undefined ? { group: spec.group } : {}),
      definedAt: { file: this.workspacePath(spec.location.file), line: spec.location.line },
      target: spec.target,
      method: spec.budgetingMethod,
      window: spec.window.label,
      ...(spec.timeSliceWindowMinutes !== undefined ? { sliceMinutes: spec.timeSliceWindowMinutes } : {}),
      sli: objectiveSliText(spec),
      figures: null,
      range: null,
      burnRate1h: null,
      burnAlerts: [],
      queries: [],
      warnings: [],
    };
    if ('error' in e) return { ...base, error: e.error };
    const { objective: _objective, windowMinutes: _windowMinutes, ...figures } = e.evaluation.figures;
    const ev = e.evaluation;
    return { ...base, figures: figures as ObjectiveMethodFigures, range: ev.range, burnRate1h: ev.burnRate1h, burnAlerts: ev.burnAlerts, queries: ev.queries, warnings: [...new Set(ev.warnings)] };
  }

  /** Workspace-relative with `/` (as findings are), the file as given when it lies outside the root. */
  private workspacePath(file: string): string {
    const root = this.opts.workspaceRoot;
    if (root === undefined || !isAbsolute(file)) return file;
    const rel = relative(root, file);
    return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
  }

  /**
   * The answer's meta: the window spans the objectives' measured ranges (from the earliest start
   * to `at`; the label lists their windows), the provenance every query evaluated.
   */
  private objectiveMeta(specs: readonly ObjectiveSpec[], evaluated: readonly Evaluated[], at: Date): ResultMeta {
    const evaluator = this.opts.objectiveEvaluator;
    const starts = evaluated.flatMap((e) => ('evaluation' in e ? [Date.parse(e.evaluation.range.start)] : []));
    const start = starts.length > 0 ? Math.min(...starts) : at.getTime();
    const labels = [...new Set(specs.map((s) => s.window.label))];
    const queries = [...new Set(evaluated.flatMap((e) => ('evaluation' in e ? e.evaluation.queries.map((x) => x.query) : [])))];
    const warnings = [...new Set(evaluated.flatMap((e) => ('evaluation' in e ? e.evaluation.warnings : [])))];
    const kind = (evaluator?.kind ?? this.source.kind) === 'store' ? 'store' : 'promql';
    return {
      window: { label: labels.join(', ') || 'none', minutes: Math.round((at.getTime() - start) / MINUTE_MS), start: new Date(start).toISOString(), end: at.toISOString() },
      asOf: at.toISOString(),
      provenance: { kind, source: evaluator?.source ?? evaluator?.kind ?? this.source.kind, queries },
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }

  // ---- helpers -------------------------------------------------------------------------------

  private evaluation(q: QueryOptions): Evaluation {
    const window = parseWindowParam(q.window);
    const at = q.at ?? this.now();
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new InvalidQueryError('at', 'not a valid time');
    const out = instantRejection(at.getTime());
    if (out) throw new InvalidQueryError('at', `${at.toISOString()}: ${out.message}`);
    checkWindowStart(window, at);
    return { window, at, signal: q.signal };
  }

  /**
   * The adjustments whose range meets the window [at - window, at), each with the part the source
   * counts (whole buckets for the store, exact for Prometheus, whose windows end on whole seconds).
   */
  private adjustmentsIn(ev: Pick<Evaluation, 'window' | 'at'>): AdjustmentInWindow[] {
    const list = this.opts.adjustments ?? [];
    if (list.length === 0) return [];
    const bucket = this.source.bucketMinutes;
    const endMs = bucket === undefined ? Math.floor(ev.at.getTime() / 1000) * 1000 : ev.at.getTime();
    const startMs = endMs - ev.window.minutes * MINUTE_MS;
    const out: AdjustmentInWindow[] = [];
    for (const { location: _location, ...adjustment } of list) {
      const range = countedRange(adjustment, startMs, endMs, bucket === undefined ? undefined : bucket * MINUTE_MS);
      if (!range) continue;
      const minutes = (range.endMs - range.startMs) / MINUTE_MS;
      out.push({ adjustment, range, applied: { ...adjustment, counted: { start: new Date(range.startMs).toISOString(), end: new Date(range.endMs).toISOString(), minutes } } });
    }
    return out.sort((a, b) => a.range.startMs - b.range.startMs);
  }

  /**
   * What the adjustments meeting the window remove, per group (`level` group) or per asked
   * category: one source read per adjustment over its counted range (a window ending at the range's
   * end: Prometheus `increase(x[2h])` / `sum_over_time(x[2h])` at that instant, the same as an
   * `offset` from the window's end; the store the hour buckets in it). Every scope the adjustment
   * covers is listed, with nothing removed where the source has no data.
   */
  private async removals(level: 'group' | 'category', ev: Evaluation, categories: readonly string[] = []): Promise<{ byScope: Removals; metas: ResultMeta[] }> {
    const byScope: Removals = new Map();
    const metas: ResultMeta[] = [];
    const note = (scope: string, inWindow: AdjustmentInWindow, components: ComponentCounts[]): void => {
      const list = byScope.get(scope) ?? [];
      const same = list.find((r) => r.inWindow === inWindow);
      if (same) same.components.push(...components);
      else byScope.set(scope, [...list, { inWindow, components: [...components] }]);
    };
    await Promise.all(
      this.adjustmentsIn(ev).map(async (inWindow) => {
        const { scope } = inWindow.adjustment;
        const minutes = (inWindow.range.endMs - inWindow.range.startMs) / MINUTE_MS;
        // The store counts whole minutes (its windows are whole buckets anyway); Prometheus any second.
        const window = { label: `${minutes}m`, minutes: this.source.bucketMinutes === undefined ? minutes : Math.ceil(minutes) };
        const sub = { window, at: new Date(inWindow.range.endMs), signal: ev.signal };
        if (level === 'group' && !scope.categories) {
          const r = await this.call(ev.signal, () => this.source.groupCounts({ ...sub, ...(scope.groups ? { groups: scope.groups } : {}) }));
          metas.push(r.meta);
          const keys = scope.groups ?? [...new Set([...this.catalog.groups.keys(), ...r.data.map((g) => g.group)])];
          for (const key of keys) note(key, inWindow, []);
          for (const g of r.data) if (keys.includes(g.group)) note(g.group, inWindow, componentsInScope(g.components, scope));
          return;
        }
        const asked =
          level === 'group'
            ? (scope.categories ?? [])
            : categories.filter((c) => scope.all || scope.categories?.includes(c) || scope.groups?.includes(this.catalog.groupOf(c).key));
        if (asked.length === 0) return;
        const r = await this.call(ev.signal, () => this.source.categoryCounts({ ...sub, categories: [...asked] }));
        metas.push(r.meta);
        const scopeOf = (category: string): string => (level === 'group' ? this.catalog.groupOf(category).key : category);
        for (const c of asked) note(scopeOf(c), inWindow, []);
        for (const c of r.data) if (asked.includes(c.category)) note(scopeOf(c.category), inWindow, componentsInScope(c.components, scope));
      }),
    );
    return { byScope, metas };
  }

  private groupInfo(key: string): GroupInfo {
    const info = this.catalog.groups.get(key);
    if (!info) throw new UnknownScopeError('group', key, closestCategory(key, this.catalog.groups.keys()));
    return info;
  }

  private assertCategory(name: string): void {
    const pseudo = name === NOT_OWNED_GROUP || name === UNKNOWN_CATEGORY;
    if (!pseudo && !this.catalog.categories.has(name) && !this.catalog.knownCategories.has(name)) {
      throw new UnknownScopeError('category', name, closestCategory(name, this.catalog.knownCategories));
    }
  }

  /** The group whose target and ignored components apply to a scope; 404 for unknown scopes. */
  private scopeGroup(scope: Scope): GroupInfo {
    if ('group' in scope) return this.groupInfo(scope.group);
    this.assertCategory(scope.category);
    return this.catalog.groupOf(scope.category);
  }

  private async scopeCounts(scope: Scope, ev: Evaluation): Promise<ScopeCounts> {
    const base = { window: ev.window, at: ev.at, signal: ev.signal };
    if ('group' in scope) {
      const r = await this.call(ev.signal, () => this.source.groupCounts({ ...base, groups: [scope.group] }));
      return { components: r.data.find((g) => g.group === scope.group)?.components ?? [], meta: r.meta };
    }
    const r = await this.call(ev.signal, () => this.source.categoryCounts({ ...base, categories: [scope.category] }));
    return { components: r.data.find((c) => c.category === scope.category)?.components ?? [], meta: r.meta };
  }

  private groupBudget(info: GroupInfo, f: ReturnType<typeof computeBudget>, share: number | null, ignored: Component[], at: Date, totalMeasurements: number): GroupBudget {
    const g: GroupBudget = {
      ...f,
      group: info.key,
      name: info.name,
      stage: info.stage,
      categories: info.categories,
      ignoredComponents: ignored,
      trafficShare: share,
    };
    const customTarget = this.groupThen(info.key, at)?.customTarget ?? (this.opts.catalogHistory ? undefined : info.customTarget);
    if (customTarget) g.customTarget = customTargetState(customTarget, at, { measurements: Math.max(0, f.measurements), totalMeasurements });
    return g;
  }

  /**
   * The group as the catalog in force at the window's end has it (catalog history: its custom target
   * then, issue 15 item 2); undefined without a history or when that catalog lacks the group.
   */
  private groupThen(key: string, at: Date): GroupInfo | undefined {
    return this.opts.catalogHistory?.catalogAt(at.getTime() - 1).groups.get(key);
  }

  /** The target a window ending at `at` is judged against: the one in force at its end (today's without a history). */
  private targetAt(key: string, at: Date): string {
    const then = this.opts.catalogHistory?.catalogAt(at.getTime() - 1);
    return then !== undefined && then.groups.has(key) ? then.targetOf(key) : this.catalog.targetOf(key);
  }

  /** Catalog + config + the source's own list (Prometheus: gitlab:ignored_component:stage_group). */
  private async ignoredByGroup(ev: Evaluation): Promise<Map<string, Component[]>> {
    const fromSource = await this.sourceIgnoredComponents(ev);
    const result = new Map<string, Component[]>();
    const add = (group: string, components: readonly Component[]): void => {
      const list = result.get(group) ?? [];
      for (const c of components) if (!list.includes(c)) list.push(c);
      result.set(group, list);
    };
    for (const g of this.catalog.groups.values()) add(g.key, g.ignoredComponents);
    add(NOT_OWNED_GROUP, this.catalog.groupOf(NOT_OWNED_GROUP).ignoredComponents);
    for (const [g, list] of Object.entries(this.opts.ignoredComponents ?? {})) add(g, list);
    for (const [g, list] of fromSource) add(g, list);
    return result;
  }

  private async sourceIgnoredComponents(ev: Evaluation): Promise<Map<string, Component[]>> {
    const fetch = this.source.ignoredComponents?.bind(this.source);
    if (!fetch) return new Map();
    const ttl = this.opts.ignoredComponentsTtlMs ?? 60_000;
    const cached = this.sourceIgnored;
    if (cached && Date.now() - cached.at < ttl) return cached.byGroup;
    const rows = await this.call(ev.signal, () => fetch({ signal: ev.signal, at: ev.at }));
    const byGroup = new Map<string, Component[]>();
    for (const { group, component } of rows) byGroup.set(group, [...(byGroup.get(group) ?? []), component]);
    this.sourceIgnored = { at: Date.now(), byGroup };
    return byGroup;
  }

  /**
   * Runs a source call; its failures become BackendError (502/503 at the server), except when
   * the request's deadline aborted it, where the deadline's reason is the truth.
   */
  private async call<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (signal?.aborted && BackendTimeoutError.is(signal.reason)) throw signal.reason;
      if (InvalidQueryError.is(e) || UnknownScopeError.is(e)) throw e;
      throw new BackendError(e);
    }
  }
}


/**
 * The figures without the removed spend, or undefined when no adjustment applies to the scope:
 * measured counts minus every adjustment's removed counts (budget/adjustments.ts), through the same
 * engine and options as the measured figures; each adjustment with the f and m it removed.
 */
export function adjustedFigures(
  measured: readonly ComponentCounts[],
  removals: Array<{ inWindow: { applied: AppliedAdjustment }; components: ComponentCounts[] }> | undefined,
  opts: { target: string; window: BudgetWindow; ignoredComponents: readonly Component[] },
): AdjustedFigures | undefined {
  if (!removals || removals.length === 0) return undefined;
  const figures: BudgetFigures = computeBudget(subtractComponents(measured, removals.flatMap((r) => r.components)), { ...opts, ignoredComponents: [...opts.ignoredComponents] });
  const adjustments = removals.map(({ inWindow, components }): ScopeAdjustment => {
    const removed = sumComponents(components, [...opts.ignoredComponents]);
    return { ...inWindow.applied, removedFailures: failuresOf(removed), removedMeasurements: measurementsOf(removed) };
  });
  return { ...figures, adjustments };
}

/**
 * An objective's error as the API names it: the backend's trouble by the Budget API's codes
 * (backend_unavailable, backend_error, backend_too_large), an SLI the backend refuses by its own
 * code (unsupported_sli, unsupported_query), anything else evaluation_failed.
 */
export function objectiveError(e: unknown): { code: string; message: string } {
  const message = e instanceof Error ? e.message : String(e);
  if (backendFaultOf(e) !== undefined) {
    const a = apiErrorAnswer(new BackendError(e));
    return { code: a.code, message };
  }
  const code = (e as { code?: unknown } | null)?.code;
  return { code: typeof code === 'string' && /^[a-z][a-z0-9_]*$/.test(code) ? code : 'evaluation_failed', message };
}
