/**
 * BudgetService: the Budget API computed locally from any BudgetSource (raw counts) + the
 * catalog (ownership, targets, ignored components) + the engine in src/sdk/budget (the math).
 * The HTTP server serves one; the CLI and the extension use one directly or a BudgetApiClient.
 * Every result carries the source's meta (window, asOf, provenance).
 */
import type { ObjectiveBudget, ObjectiveDetail } from '../contract/objectiveTypes';
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
import type { BudgetSource, ResultMeta, Scope } from '../contract/budgetSource';
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
  TopEndpoints,
} from '../contract/apiTypes';
import { buildMonthlyReport, defaultTargetOf } from '../report/monthlyReport';
import { checkWindowStart, parseLimitParam, parseMonthParam, parseWindowParam } from './queryParams';
import { BackendError, BackendTimeoutError, InvalidQueryError, UnknownScopeError } from '../contract/serviceErrors';

export interface BudgetServiceOptions {
  /** Extra ignored components per group (from .budgetlens.yml), on top of the catalog's. */
  ignoredComponents?: Readonly<Record<string, readonly Component[]>>;
  /** How long the source's own ignored-component list is reused. Default 60 s. */
  ignoredComponentsTtlMs?: number;
  /** The clock: "now" for queries without `at`. */
  now?: () => Date;
  /** How many months back the report looks for "months over budget in a row". Default 12. */
  reportLookbackMonths?: number;
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
  }

  async groups(q: QueryOptions = {}): Promise<ApiResult<GroupBudget[]>> {
    return this.groupsFor(this.evaluation(q));
  }

  private async groupsFor(ev: Evaluation): Promise<ApiResult<GroupBudget[]>> {
    const [counts, ignored] = await Promise.all([
      this.call(ev.signal, () => this.source.groupCounts({ window: ev.window, at: ev.at, signal: ev.signal })),
      this.ignoredByGroup(ev),
    ]);
    const byGroup = new Map(counts.data.map((g) => [g.group, g.components]));
    // F13 over every group the backend reports (also ones the catalog lacks): the environment's traffic.
    const measurements = new Map<string, number>();
    const figures = new Map<string, ReturnType<typeof computeBudget>>();
    for (const key of new Set([...this.catalog.groups.keys(), ...byGroup.keys()])) {
      const f = computeBudget(byGroup.get(key) ?? [], {
        target: this.catalog.targetOf(key),
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
      if (f) data.push(this.groupBudget(info, f, shares.get(info.key) ?? null, ignored.get(info.key) ?? [], ev.at, totalMeasurements));
    }
    return { meta: counts.meta, data };
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
    const [counts, ignored] = await Promise.all([
      this.call(ev.signal, () => this.source.categoryCounts({ window: ev.window, at: ev.at, signal: ev.signal, categories: wanted })),
      this.ignoredByGroup(ev),
    ]);
    const byCategory = new Map(counts.data.map((c) => [c.category, c.components]));
    const data = wanted.map((category): CategoryBudget => {
      const group = this.catalog.groupOf(category);
      const f = computeBudget(byCategory.get(category) ?? [], {
        target: this.catalog.targetOf(group.key),
        window: ev.window,
        ignoredComponents: ignored.get(group.key) ?? [],
      });
      return { ...f, category, group: group.key, stage: this.catalog.stageOf(category) };
    });
    return { meta: counts.meta, data };
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
    const figures = computeBudget(total.components, { target: this.catalog.targetOf(group.key), window: ev.window, ignoredComponents: ignored });
    const rows = rankEndpoints(endpoints.data, { failures: figures.failures, measurements: figures.measurements, window: ev.window }, { limit, ignoredComponents: ignored });
    return { meta: mergeMeta(total.meta, endpoints.meta), data: { scope, total: figures, endpoints: rows } };
  }

  /**
   * F15 for each id: its own counts (one source read by id), then its categories' totals and
   * endpoints (for the share, the minutes and the offenders' rank), the categories read together.
   */
  async endpoints(ids: string[], q: QueryOptions = {}): Promise<ApiResult<EndpointBudgets>> {
    const ev = this.evaluation(q);
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) throw new InvalidQueryError('ids', 'at least one endpoint id is required');
    if (wanted.length > MAX_ENDPOINT_IDS) throw new InvalidQueryError('ids', `at most ${MAX_ENDPOINT_IDS} endpoint ids, got ${wanted.length}`);
    const base = { window: ev.window, at: ev.at, signal: ev.signal };
    const [own, ignored] = await Promise.all([
      this.call(ev.signal, () => this.source.endpointCountsById({ ...base, endpointIds: wanted })),
      this.ignoredByGroup(ev),
    ]);
    const categories = [...new Set(own.data.map((r) => r.category))].sort();
    const [totals, ...perCategory] = categories.length
      ? await Promise.all([
          this.call(ev.signal, () => this.source.categoryCounts({ ...base, categories })),
          ...categories.map((category) => this.call(ev.signal, () => this.source.endpointCounts({ ...base, scope: { category } }))),
        ])
      : [undefined];
    const contexts = new Map<string, EndpointCategoryContext>();
    categories.forEach((category, i) => {
      const group = this.catalog.groupOf(category);
      const ignoredComponents = ignored.get(group.key) ?? [];
      const target = this.catalog.targetOf(group.key);
      const f = computeBudget(totals?.data.find((c) => c.category === category)?.components ?? [], { target, window: ev.window, ignoredComponents });
      contexts.set(category, { failures: f.failures, measurements: f.measurements, group: group.key, target, ignoredComponents, endpoints: perCategory[i]?.data ?? [] });
    });
    const data = endpointBudgets(wanted, own.data, ev.window, (c) => contexts.get(c)!, defaultTargetOf(this.catalog));
    const meta = totals ? mergeMeta(own.meta, totals.meta, ...perCategory.map((p) => p.meta)) : own.meta;
    return { meta, data: { endpoints: data } };
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
      data: { scope, budgetMinutes: budgetMinutes(this.catalog.targetOf(group.key), ev.window), days },
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
    const target = this.catalog.targetOf(group.key);
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

  // Issue 13: filled in by the objectives service work (placeholder until it lands on main).
  objectives(): Promise<ApiResult<ObjectiveBudget[]>> {
    return Promise.reject(new Error('objectives are not served yet'));
  }

  objective(): Promise<ApiResult<ObjectiveDetail>> {
    return Promise.reject(new Error('objectives are not served yet'));
  }

  async report(month: string, q: Omit<QueryOptions, 'window' | 'at'> = {}): Promise<ApiResult<MonthlyReport>> {
    const range = parseMonthParam(month);
    const ev: Evaluation = { window: range.window, at: range.end, signal: q.signal };
    const ignored = await this.ignoredByGroup(ev);
    const groups = [...this.catalog.groups.values(), this.catalog.groupOf(NOT_OWNED_GROUP)].map((g) => ({
      ...g,
      ignoredComponents: ignored.get(g.key) ?? g.ignoredComponents,
    }));
    return buildMonthlyReport({
      month: range.month,
      groups,
      defaultTarget: defaultTargetOf(this.catalog),
      lookbackMonths: this.opts.reportLookbackMonths ?? 12,
      fetch: (w) =>
        this.call(q.signal, () => this.source.groupCounts({ window: { label: w.label, minutes: w.minutes }, at: w.end, signal: q.signal })),
      fetchCategories: (w) =>
        this.call(q.signal, () => this.source.categoryCounts({ window: { label: w.label, minutes: w.minutes }, at: w.end, signal: q.signal })),
    });
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
    if (info.customTarget) g.customTarget = customTargetState(info.customTarget, at, { measurements: Math.max(0, f.measurements), totalMeasurements });
    return g;
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

