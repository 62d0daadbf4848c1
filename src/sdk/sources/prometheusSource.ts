/**
 * BudgetSource over the Prometheus HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics).
 * Builds PromQL with prometheusQueries, sends it with prometheusClient, folds the answers with
 * prometheusCounts. Every result's meta lists the exact PromQL sent and any warnings.
 */
import type { Catalog } from '../catalog/types';
import type { CatalogHistory } from '../catalog/catalogHistory';
import type { BackendConfig } from '../config/types';
import type { Component } from '../contract/budgetTypes';
import type {
  BudgetSource,
  CategoryCounts,
  DailyCounts,
  EndpointCounts,
  EvalOptions,
  GroupCounts,
  ResultMeta,
  Scope,
  Sourced,
} from '../contract/budgetSource';
import { PrometheusClient } from './prometheusClient';
import { CountTable, failuresOf } from './prometheusCounts';
import {
  COUNTER_KINDS,
  countExpr,
  ignoredComponentsExpr,
  promDuration,
  resolveMetricNames,
  type CountLevel,
  type CountQuerySpec,
  type CounterKind,
  type MetricNameOverrides,
  type PrometheusMetricNames,
  type SourceMode,
} from './prometheusQueries';
import { daySegments, fullDayRun, windowBounds, windowMeta, type DaySegment, type WindowBounds } from './prometheusWindow';

export interface PrometheusSourceOptions {
  /** Base URL, e.g. `http://prometheus:9090` or a VictoriaMetrics `…/select/0/prometheus`. */
  url: string;
  /** Default `recording_rules`. */
  mode?: SourceMode;
  /** Exact-match labels added to every SLI selector, e.g. `{ environment: 'gprd', stage: 'main' }`. */
  selectors?: Record<string, string>;
  metricNames?: MetricNameOverrides;
  /** Prepended to every metric name, overrides included (`.budgetlens.yml` `metricPrefix`). */
  metricPrefix?: string;
  /** Per HTTP request; default 30 s. */
  timeoutMs?: number;
  /** How often the recording rules are evaluated; the count factor in recording mode. Default 60. */
  evaluationIntervalSeconds?: number;
  /**
   * Category -> group. Used to narrow a group to its categories for endpoint queries and, in raw
   * mode, to roll categories up to groups. Without it the source uses the recorded mapping series.
   */
  catalog?: Catalog;
  /**
   * The catalog in force over time (issue 15 item 1): a group's counts are summed per epoch
   * (`increase(x[d] offset o)` for each part of the window, with that part's catalog) in raw mode.
   * Recorded group series carry the stage_group GitLab's rules recorded then, so recording_rules
   * mode keeps them for group counts and days; a group's endpoint rows are split per epoch in both
   * modes (the endpoint series carry feature_category only).
   */
  history?: CatalogHistory;
  headers?: Record<string, string>;
  /** The most bytes one Prometheus answer may have; default 8 MiB (PrometheusClientOptions). */
  maxResponseBytes?: number;
}

const SEP = '\u0000';

interface Run {
  queries: string[];
  warnings: string[];
}

export function createPrometheusSource(opts: PrometheusSourceOptions): BudgetSource {
  return new PrometheusSource(opts);
}

/**
 * The Prometheus source at `url` as a workspace configures it: mode, selectors and metric prefix
 * from `.budgetlens.yml` when its backend is `prometheus` (defaults otherwise), the token as a
 * Bearer header. The CLI's `--prometheus` and the editor's `budgetLens.prometheus.url` both
 * open it this way.
 */
export function configuredPrometheusSource(opts: {
  url: string;
  catalog: Catalog;
  history?: CatalogHistory;
  backend?: BackendConfig;
  token?: string;
  timeoutMs?: number;
  maxResponseBytes?: number;
}): BudgetSource {
  const prom = opts.backend?.kind === 'prometheus' ? opts.backend : undefined;
  return createPrometheusSource({
    url: opts.url,
    mode: prom?.mode ?? 'recording_rules',
    selectors: prom?.selectors ?? {},
    ...(prom?.metricPrefix ? { metricPrefix: prom.metricPrefix } : {}),
    catalog: opts.catalog,
    ...(opts.history ? { history: opts.history } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.maxResponseBytes !== undefined ? { maxResponseBytes: opts.maxResponseBytes } : {}),
    ...(opts.token ? { headers: { Authorization: `Bearer ${opts.token}` } } : {}),
  });
}

export class PrometheusSource implements BudgetSource {
  readonly kind = 'prometheus' as const;
  private readonly client: PrometheusClient;
  private readonly mode: SourceMode;
  private readonly names: PrometheusMetricNames;
  private readonly selectors: Record<string, string>;
  private readonly interval: number;
  private readonly catalog: Catalog | undefined;
  private readonly history: CatalogHistory | undefined;

  constructor(opts: PrometheusSourceOptions) {
    this.client = new PrometheusClient({ url: opts.url, timeoutMs: opts.timeoutMs, headers: opts.headers, maxResponseBytes: opts.maxResponseBytes });
    this.mode = opts.mode ?? 'recording_rules';
    this.names = resolveMetricNames(opts.metricNames, opts.metricPrefix ?? '');
    this.selectors = opts.selectors ?? {};
    this.interval = opts.evaluationIntervalSeconds ?? 60;
    if (!(this.interval > 0)) throw new RangeError(`evaluationIntervalSeconds must be > 0, got ${this.interval}`);
    this.catalog = opts.catalog;
    this.history = opts.history;
  }

  async groupCounts(opts: EvalOptions & { groups?: string[] }): Promise<Sourced<GroupCounts[]>> {
    const b = windowBounds(opts.window, opts.at);
    const run: Run = { queries: [], warnings: [] };
    const table = new CountTable();
    if (this.mode === 'recording_rules') {
      const level: CountLevel = { level: 'stage_group', groups: opts.groups };
      await this.countInto(run, table, level, b, opts.signal, (l) => l['stage_group']);
    } else if (this.history) {
      // Raw counters with a catalog history: each part of the window where one catalog was in force
      // is counted on its own (`[d] offset o`) and rolled up with that catalog (domain.md "Catalog history").
      const parts = this.history.segments(b.start.getTime(), b.end.getTime());
      await Promise.all(
        parts.map((part) => {
          const level = this.categoryLevelForGroups(opts.groups, part.catalog);
          const range = { start: new Date(part.start), end: new Date(part.end) };
          return level ? this.countInto(run, table, level, range, opts.signal, (l) => part.catalog.groupOf(l['feature_category'] ?? '').key, this.shift(b, part.end)) : undefined;
        }),
      );
    } else {
      // Raw counters carry feature_category only: count per category, then roll up to groups.
      const groupOf = await this.categoryToGroup(run, b.end, opts.signal);
      const level = this.categoryLevelForGroups(opts.groups);
      if (level) await this.countInto(run, table, level, b, opts.signal, (l) => groupOf(l['feature_category'] ?? ''));
    }
    const wanted = opts.groups ?? [...table.rows.keys()].sort();
    const data = wanted.map((group) => ({ group, components: table.components(group) }));
    return { meta: this.meta(opts, b, run), data };
  }

  async categoryCounts(opts: EvalOptions & { categories?: string[] }): Promise<Sourced<CategoryCounts[]>> {
    const b = windowBounds(opts.window, opts.at);
    const run: Run = { queries: [], warnings: [] };
    const table = new CountTable();
    if (!opts.categories || opts.categories.length > 0) {
      const level: CountLevel = { level: 'feature_category', categories: opts.categories };
      await this.countInto(run, table, level, b, opts.signal, (l) => l['feature_category']);
    }
    const wanted = opts.categories ?? [...table.rows.keys()].sort();
    return { meta: this.meta(opts, b, run), data: wanted.map((category) => ({ category, components: table.components(category) })) };
  }

  async endpointCounts(opts: EvalOptions & { scope: Scope; limit?: number }): Promise<Sourced<EndpointCounts[]>> {
    // The endpoint series carry feature_category only (raw counters and GitLab's recorded
    // application_sli_aggregation alike), so with a catalog history a group's endpoints are, in each
    // part of the window, those of the categories it owned then (`[d] offset o` per part).
    const parts = this.groupParts(opts);
    if (parts) {
      const levels = parts.map((p) => {
        const scoped = this.scopeLevel(opts.scope, p.catalog);
        return scoped ? { level: { ...scoped, level: 'endpoint' as const }, part: p } : undefined;
      });
      return this.endpointRows(opts, levels.filter((l) => l !== undefined), opts.limit);
    }
    const scoped = this.scopeLevel(opts.scope);
    return this.endpointRows(opts, scoped ? { ...scoped, level: 'endpoint' } : undefined, opts.limit);
  }

  /**
   * A group scope's parts of the window, one per catalog in force (catalog history), when the history
   * cuts the window or puts another catalog than today's in force; undefined otherwise.
   */
  private groupParts(opts: EvalOptions & { scope: Scope }): Array<{ start: number; end: number; catalog: Catalog }> | undefined {
    if (!this.history || 'category' in opts.scope) return undefined;
    const b = windowBounds(opts.window, opts.at);
    const parts = this.history.segments(b.start.getTime(), b.end.getTime());
    return parts.length === 1 && parts[0]!.catalog === this.catalog ? undefined : parts;
  }

  async endpointCountsById(opts: EvalOptions & { endpointIds: string[] }): Promise<Sourced<EndpointCounts[]>> {
    const ids = [...new Set(opts.endpointIds)];
    return this.endpointRows(opts, ids.length ? { level: 'endpoint_ids', endpointIds: ids } : undefined, undefined);
  }

  /** The per-endpoint series (application_sli_aggregation, or raw counters) at `level`, one row per endpoint and component. */
  private async endpointRows(
    opts: EvalOptions,
    level: CountLevel | undefined | Array<{ level: CountLevel; part: { start: number; end: number } }>,
    limit: number | undefined,
  ): Promise<Sourced<EndpointCounts[]>> {
    const b = windowBounds(opts.window, opts.at);
    const run: Run = { queries: [], warnings: [] };
    const table = new CountTable();
    const rowOf = (l: Record<string, string>): string =>
      [l['endpoint_id'] ?? l['worker'] ?? '', l['feature_category'] ?? '', l['request_urgency'] ?? l['urgency'] ?? ''].join(SEP);
    if (Array.isArray(level)) {
      // Per part of the window (catalog history): `[d] offset o`, the rows of every part summed.
      await Promise.all(level.map(({ level: l, part }) => this.countInto(run, table, l, { start: new Date(part.start), end: new Date(part.end) }, opts.signal, rowOf, this.shift(b, part.end))));
    } else if (level) {
      await this.countInto(run, table, level, b, opts.signal, rowOf);
    }
    const withErrorSli = table.componentsWithErrorSli();
    const rows: EndpointCounts[] = [];
    for (const key of table.rows.keys()) {
      const [endpointId = '', category = '', urgency = ''] = key.split(SEP);
      for (const c of table.components(key)) {
        rows.push({ endpointId, component: c.component, category, urgency, counts: c.counts, hasErrorSli: withErrorSli.has(c.component) });
      }
    }
    rows.sort((a, b2) => failuresOf(b2.counts, b2.hasErrorSli) - failuresOf(a.counts, a.hasErrorSli) || a.endpointId.localeCompare(b2.endpointId));
    const data = limit !== undefined ? rows.slice(0, Math.max(0, limit)) : rows;
    return { meta: this.meta(opts, b, run), data };
  }

  async dailyCounts(opts: EvalOptions & { scope: Scope }): Promise<Sourced<DailyCounts[]>> {
    const b = windowBounds(opts.window, opts.at);
    const run: Run = { queries: [], warnings: [] };
    const segments = daySegments(b);
    const table = new CountTable();
    const byStageGroup = this.mode === 'recording_rules' && 'group' in opts.scope;
    const parts = byStageGroup ? undefined : this.groupParts(opts);
    if (parts) {
      // Raw counters with a catalog history: each part's days with the categories the group owned
      // then; a day cut by a change sums its two parts (the clipped days' instant queries).
      await allOrCancel(opts.signal, (sig) =>
        parts.flatMap((p) => {
          const level = this.scopeLevel(opts.scope, p.catalog);
          return level ? this.dailyJobs(level, daySegments({ start: new Date(p.start), end: new Date(p.end) }), table, run, sig) : [];
        }),
      );
    } else {
      const level: CountLevel | undefined = byStageGroup && 'group' in opts.scope ? { level: 'stage_group', groups: [opts.scope.group] } : this.scopeLevel(opts.scope);
      if (level) {
        await allOrCancel(opts.signal, (sig) => this.dailyJobs(level, segments, table, run, sig));
      }
    }
    const data = segments.map((s) => ({ date: s.date, components: table.components(s.date) }));
    return { meta: this.meta(opts, b, run), data };
  }

  /** Per kind: one range query over the full days, one instant query per clipped day. */
  private dailyJobs(level: CountLevel, segments: DaySegment[], table: CountTable, run: Run, signal: AbortSignal): Array<Promise<void>> {
    const jobs: Array<Promise<void>> = [];
    const run1d = fullDayRun(segments);
    for (const kind of COUNTER_KINDS) {
      if (run1d) {
        const expr = countExpr(this.spec(level), kind, '1d');
        run.queries.push(expr);
        jobs.push(
          this.client.queryRange(expr, run1d.first.end, run1d.last.end, 86_400, signal).then((ans) => {
            run.warnings.push(...ans.warnings);
            for (const series of ans.result) {
              for (const [t, v] of series.points) {
                // A point at midnight T sums the day that ends at T.
                const date = new Date(t * 1000 - 86_400_000).toISOString().slice(0, 10);
                table.add(date, series.labels['component'] ?? 'unknown', kind, v);
              }
            }
          }),
        );
      }
      for (const seg of segments.filter((s) => !s.full)) {
        const expr = countExpr(this.spec(level), kind, promDuration((seg.end.getTime() - seg.start.getTime()) / 1000));
        run.queries.push(expr);
        jobs.push(
          this.client.query(expr, seg.end, signal).then((ans) => {
            run.warnings.push(...ans.warnings);
            table.addSamples(kind, ans.result, () => seg.date);
          }),
        );
      }
    }
    return jobs;
  }

  async ignoredComponents(opts: { signal?: AbortSignal; at?: Date } = {}): Promise<Array<{ group: string; component: Component }>> {
    const ans = await this.client.query(ignoredComponentsExpr(this.names), opts.at ?? new Date(), opts.signal);
    const seen = new Set<string>();
    const out: Array<{ group: string; component: Component }> = [];
    for (const s of ans.result) {
      const group = s.labels['stage_group'];
      const component = s.labels['component'];
      if (!group || !component || seen.has(group + SEP + component)) continue;
      seen.add(group + SEP + component);
      out.push({ group, component });
    }
    return out.sort((a, b) => a.group.localeCompare(b.group) || a.component.localeCompare(b.component));
  }

  async close(): Promise<void> {
    // Stateless HTTP: nothing to release.
  }

  private spec(target: CountLevel): CountQuerySpec {
    return { mode: this.mode, names: this.names, selectors: this.selectors, evaluationIntervalSeconds: this.interval, target };
  }

  /** One instant query per counter kind over the whole window, in parallel. */
  private async countInto(
    run: Run,
    table: CountTable,
    level: CountLevel,
    b: WindowBounds,
    signal: AbortSignal | undefined,
    entityOf: (labels: Record<string, string>) => string | undefined,
    /** Count [b.start, b.end) as `[d] offset o` evaluated at `evalAt` (o = evalAt - b.end). */
    shifted?: { evalAt: Date; offset: string },
  ): Promise<void> {
    const range = promDuration((b.end.getTime() - b.start.getTime()) / 1000);
    const exprs = COUNTER_KINDS.map((kind) => [kind, countExpr(this.spec(level), kind, range, shifted?.offset)] as const);
    run.queries.push(...exprs.map(([, e]) => e));
    const answers = await allOrCancel(signal, (sig) => exprs.map(([, e]) => this.client.query(e, shifted?.evalAt ?? b.end, sig)));
    answers.forEach((ans, i) => {
      run.warnings.push(...ans.warnings);
      table.addSamples(exprs[i]![0] as CounterKind, ans.result, entityOf);
    });
  }

  /** Narrowing for a scope at category level: the category itself, or a group's categories. */
  private scopeLevel(scope: Scope, catalog: Catalog | undefined = this.catalog): { level: 'feature_category'; categories?: string[]; mappingGroups?: string[] } | undefined {
    if ('category' in scope) return { level: 'feature_category', categories: [scope.category] };
    return this.categoryLevelForGroups([scope.group], catalog);
  }

  /** `[d] offset o` for a part of the window ending at `partEnd` (o = the window's end - partEnd). */
  private shift(b: WindowBounds, partEnd: number): { evalAt: Date; offset: string } | undefined {
    const offsetMs = b.end.getTime() - partEnd;
    return offsetMs > 0 ? { evalAt: b.end, offset: promDuration(offsetMs / 1000) } : undefined;
  }

  /** undefined when the catalog says the groups own no categories (nothing to query). */
  private categoryLevelForGroups(groups: string[] | undefined, catalog: Catalog | undefined = this.catalog): { level: 'feature_category'; categories?: string[]; mappingGroups?: string[] } | undefined {
    if (!groups) return { level: 'feature_category' };
    if (groups.length === 0) return undefined;
    if (!catalog) return { level: 'feature_category', mappingGroups: groups };
    const categories = groups.flatMap((g) => catalog.categoriesOf(g));
    return categories.length > 0 ? { level: 'feature_category', categories } : undefined;
  }

  /** Category -> group from the catalog, else from the recorded mapping series (one query). */
  private async categoryToGroup(run: Run, at: Date, signal: AbortSignal | undefined): Promise<(category: string) => string | undefined> {
    const catalog = this.catalog;
    if (catalog) return (c) => catalog.groupOf(c).key;
    const expr = this.names.mapping;
    run.queries.push(expr);
    const ans = await this.client.query(expr, at, signal);
    run.warnings.push(...ans.warnings);
    const map = new Map<string, string>();
    for (const s of ans.result) {
      const c = s.labels['feature_category'];
      const g = s.labels['stage_group'];
      if (c && g && !map.has(c)) map.set(c, g);
    }
    if (map.size === 0) run.warnings.push(`no ${expr} series at ${at.toISOString()}: raw counters cannot be attributed to groups (pass a catalog)`);
    return (c) => map.get(c);
  }

  private meta(opts: EvalOptions, b: WindowBounds, run: Run): ResultMeta {
    const meta: ResultMeta = {
      ...windowMeta(opts.window, b),
      provenance: { kind: 'promql', source: this.client.baseUrl, queries: [...new Set(run.queries)] },
    };
    if (run.warnings.length > 0) meta.warnings = [...new Set(run.warnings)];
    return meta;
  }
}

/**
 * Runs a refresh's queries in parallel; the first failure cancels the others, so a broken backend
 * is not left answering requests nobody will read.
 */
async function allOrCancel<T>(signal: AbortSignal | undefined, start: (signal: AbortSignal) => Array<Promise<T>>): Promise<T[]> {
  const ctl = new AbortController();
  const combined = signal ? AbortSignal.any([signal, ctl.signal]) : ctl.signal;
  try {
    return await Promise.all(start(combined));
  } catch (e) {
    ctl.abort();
    throw e;
  }
}
