/**
 * PromQL builders for the Prometheus source (domain.md section 4). Pure strings, no I/O, so the
 * exact expressions are unit-tested and shown to users as provenance.
 *
 * Two modes:
 * - `recording_rules` (default) reads GitLab's recorded per-second 1h rates. A count over a window
 *   is `sum_over_time(rate_1h[W]) * evaluationIntervalSeconds`: each sample stands for one
 *   evaluation interval of traffic at that rate (60 s in GitLab's rules).
 * - `raw` reads the application counters `gitlab_sli_<component>_*_total` with `increase()`, for
 *   teams without recording rules. `increase()` handles counter resets (F14) and extrapolates to
 *   the window edges when no sample sits exactly on them (Prometheus semantics).
 *
 * One refresh is one query per counter kind (4), each returning every group/category/endpoint at
 * once via `by (...)` and `=~` alternations, never one query per file or per group.
 */

export type CounterKind = 'apdexSuccess' | 'apdexWeight' | 'ops' | 'errors';
export const COUNTER_KINDS: readonly CounterKind[] = ['apdexSuccess', 'apdexWeight', 'ops', 'errors'];

export type SourceMode = 'recording_rules' | 'raw';

export interface PrometheusMetricNames {
  /** Per component and stage group, e.g. `gitlab:component:stage_group:execution:ops:rate_1h`. */
  stageGroup: Record<CounterKind, string>;
  /** Per component and feature category. */
  featureCategory: Record<CounterKind, string>;
  /** Per endpoint; `{component}` is replaced by each of `endpointComponents`. */
  endpoint: Record<CounterKind, string>;
  /** Raw counters; `{component}` is replaced by each of `rawComponents`. */
  raw: Record<CounterKind, string>;
  /** `gitlab:feature_category:stage_group:mapping{feature_category, stage_group, product_stage} 1` */
  mapping: string;
  /** `gitlab:ignored_component:stage_group{stage_group, component} 1` */
  ignoredComponent: string;
  endpointComponents: string[];
  rawComponents: string[];
}

export const DEFAULT_METRIC_NAMES: PrometheusMetricNames = {
  stageGroup: {
    apdexSuccess: 'gitlab:component:stage_group:execution:apdex:success:rate_1h',
    apdexWeight: 'gitlab:component:stage_group:execution:apdex:weight:score_1h',
    ops: 'gitlab:component:stage_group:execution:ops:rate_1h',
    errors: 'gitlab:component:stage_group:execution:error:rate_1h',
  },
  featureCategory: {
    apdexSuccess: 'gitlab:component:feature_category:execution:apdex:success:rate_1h',
    apdexWeight: 'gitlab:component:feature_category:execution:apdex:weight:score_1h',
    ops: 'gitlab:component:feature_category:execution:ops:rate_1h',
    errors: 'gitlab:component:feature_category:execution:error:rate_1h',
  },
  endpoint: {
    apdexSuccess: 'application_sli_aggregation:{component}:apdex:success:rate_1h',
    apdexWeight: 'application_sli_aggregation:{component}:apdex:weight:rate_1h',
    ops: 'application_sli_aggregation:{component}:ops:rate_1h',
    errors: 'application_sli_aggregation:{component}:error:rate_1h',
  },
  raw: {
    apdexSuccess: 'gitlab_sli_{component}_apdex_success_total',
    apdexWeight: 'gitlab_sli_{component}_apdex_total',
    ops: 'gitlab_sli_{component}_total',
    errors: 'gitlab_sli_{component}_error_total',
  },
  mapping: 'gitlab:feature_category:stage_group:mapping',
  ignoredComponent: 'gitlab:ignored_component:stage_group',
  endpointComponents: ['rails_request', 'graphql_query', 'sidekiq_execution'],
  rawComponents: ['rails_request', 'graphql_query', 'sidekiq_execution'],
};

/** Partial overrides, merged per field onto the defaults. */
export type MetricNameOverrides = {
  [K in keyof PrometheusMetricNames]?: PrometheusMetricNames[K] extends Record<CounterKind, string>
    ? Partial<Record<CounterKind, string>>
    : PrometheusMetricNames[K];
};

/**
 * Defaults, then overrides, then `prefix` prepended to every metric name (for metrics re-namespaced
 * on the way into a shared Prometheus; `.budgetlens.yml` `metricPrefix`).
 */
export function resolveMetricNames(o: MetricNameOverrides = {}, prefix = ''): PrometheusMetricNames {
  const d = DEFAULT_METRIC_NAMES;
  const p = (r: Record<CounterKind, string>): Record<CounterKind, string> => ({
    apdexSuccess: prefix + r.apdexSuccess,
    apdexWeight: prefix + r.apdexWeight,
    ops: prefix + r.ops,
    errors: prefix + r.errors,
  });
  return {
    stageGroup: p({ ...d.stageGroup, ...o.stageGroup }),
    featureCategory: p({ ...d.featureCategory, ...o.featureCategory }),
    endpoint: p({ ...d.endpoint, ...o.endpoint }),
    raw: p({ ...d.raw, ...o.raw }),
    mapping: prefix + (o.mapping ?? d.mapping),
    ignoredComponent: prefix + (o.ignoredComponent ?? d.ignoredComponent),
    endpointComponents: o.endpointComponents ?? d.endpointComponents,
    rawComponents: o.rawComponents ?? d.rawComponents,
  };
}

/** Labels that identify an endpoint: Rails/Grape/GraphQL use endpoint_id, Sidekiq uses worker. */
export const ENDPOINT_LABELS = ['endpoint_id', 'worker', 'feature_category', 'request_urgency', 'urgency'] as const;

export interface Matcher {
  label: string;
  op: '=' | '=~';
  value: string;
}

/** A PromQL string literal (double-quoted, escaped). */
export function promString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** An anchored alternation matching exactly these names (RE2 metacharacters escaped). */
export function exactAlternation(names: readonly string[]): string {
  return [...new Set(names)]
    .sort()
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}

export function selectorsToMatchers(selectors: Record<string, string>): Matcher[] {
  return Object.entries(selectors).map(([label, value]) => ({ label, op: '=', value }));
}

export function vectorSelector(metric: string, matchers: readonly Matcher[]): string {
  if (matchers.length === 0) return metric;
  return `${metric}{${matchers.map((m) => `${m.label}${m.op}${promString(m.value)}`).join(',')}}`;
}

/** A PromQL duration for a whole number of seconds: 28d, 6h, 90m, 3725s. */
export function promDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s <= 0) throw new RangeError(`a PromQL range must be positive, got ${seconds} s`);
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** What a count query aggregates by, and how it is narrowed. */
export type CountLevel =
  | { level: 'stage_group'; groups?: string[] }
  | { level: 'feature_category'; categories?: string[]; mappingGroups?: string[] }
  | { level: 'endpoint'; categories?: string[]; mappingGroups?: string[] }
  /** Exactly these endpoint ids: `endpoint_id` for requests and operations, `worker` for jobs. */
  | { level: 'endpoint_ids'; endpointIds: string[] };

export interface CountQuerySpec {
  mode: SourceMode;
  names: PrometheusMetricNames;
  selectors: Record<string, string>;
  evaluationIntervalSeconds: number;
  target: CountLevel;
}

/**
 * The expression for one counter kind over a range (a PromQL duration such as `28d` or `1d`).
 * Result labels: the entity label(s) (`stage_group`, `feature_category`, or the endpoint labels)
 * and `component`.
 */
export function countExpr(spec: CountQuerySpec, kind: CounterKind, range: string, offset?: string): string {
  const { mode, names, target } = spec;
  const base = selectorsToMatchers(spec.selectors);
  const narrow: Matcher[] = [];
  let join: string | undefined;
  if (target.level === 'stage_group') {
    // Raw counters carry feature_category only; the source narrows groups to their categories.
    if (mode === 'raw') throw new Error('raw counters have no stage_group label: query by feature_category');
    if (target.groups) narrow.push({ label: 'stage_group', op: '=~', value: exactAlternation(target.groups) });
  } else if (target.level === 'endpoint_ids') {
    if (target.endpointIds.length === 0) throw new Error('endpoint_ids needs at least one id');
  } else {
    if (target.categories) narrow.push({ label: 'feature_category', op: '=~', value: exactAlternation(target.categories) });
    if (target.mappingGroups) {
      join = vectorSelector(names.mapping, [{ label: 'stage_group', op: '=~', value: exactAlternation(target.mappingGroups) }]);
    }
  }
  const matchers = [...base, ...narrow];
  const rangeFn = mode === 'raw' ? 'increase' : 'sum_over_time';
  const scale = mode === 'raw' ? '' : ` * ${spec.evaluationIntervalSeconds}`;
  // By id: a request's id is its endpoint_id, a job's its worker; `or` keeps each series once.
  const idLabels = target.level === 'endpoint_ids' ? (['endpoint_id', 'worker'] as const) : undefined;
  // `[d] offset o`: the part of a window that ends o before its end (a catalog epoch, prometheusSource.ts).
  const r = offset === undefined ? `[${range}]` : `[${range}] offset ${offset}`;
  const ranged = (metric: string): string => {
    if (!idLabels || target.level !== 'endpoint_ids') return `${rangeFn}(${vectorSelector(metric, matchers)}${r})`;
    const ids = exactAlternation(target.endpointIds);
    return `(${idLabels.map((label) => `${rangeFn}(${vectorSelector(metric, [...matchers, { label, op: '=~', value: ids }])}${r})`).join(' or ')})`;
  };
  const inner = (metric: string, by: readonly string[]): string => {
    let v = ranged(metric);
    if (join) v = `${v} and on (feature_category) ${join}`;
    return `sum by (${by.join(', ')}) (${v})`;
  };

  if (mode === 'recording_rules' && target.level !== 'endpoint' && target.level !== 'endpoint_ids') {
    const metric = target.level === 'stage_group' ? names.stageGroup[kind] : names.featureCategory[kind];
    return `${inner(metric, [target.level, 'component'])}${scale}`;
  }
  // Per-component metric names: tag each with its component and union them with `or`.
  const by: readonly string[] = target.level === 'endpoint' || target.level === 'endpoint_ids' ? ENDPOINT_LABELS : ['feature_category'];
  const components = mode === 'raw' ? names.rawComponents : names.endpointComponents;
  const template = mode === 'raw' ? names.raw[kind] : names.endpoint[kind];
  const parts = components.map(
    (c) => `label_replace(${inner(template.replace('{component}', c), by)}, "component", ${promString(c)}, "", "")`,
  );
  const union = parts.length === 1 ? parts[0]! : `(${parts.join(' or ')})`;
  return `${union}${scale}`;
}

/** `gitlab:ignored_component:stage_group` as recorded (GitLab's query applies no selectors to it). */
export function ignoredComponentsExpr(names: PrometheusMetricNames): string {
  return names.ignoredComponent;
}
