/**
 * The data set every Prometheus-compatible backend is loaded with: 35 days of GitLab-style recorded
 * 1h rates for three real groups (catalog/gitlab/stages.yml), built from a per-endpoint model so
 * the endpoint, feature_category and stage_group levels agree, plus raw gitlab_sli_* counters.
 *
 * Time: AT = 2026-06-01T00:00Z. Recorded gauges are sampled every STEP = 1800 s at AT-35d+30s+k*STEP
 * (never on a window edge, where Prometheus 2.x ranges are closed and VictoriaMetrics' are
 * half-open), so a 28 d window holds 1344 samples: 1008 of phase A (older than AT-7d) and 336 of
 * phase B (the last 7 days, an incident). Counts = sum_over_time(rate) * 1800, i.e. rate * seconds:
 * 21 d of phase A = 1814400 s, 7 d of phase B = 604800 s, 28 d = 2419200 s.
 * Raw counters are sampled every RAW_STEP = 900 s on the grid itself (edges included) from AT-36d, so `increase()`
 * is exact (no extrapolation) and equals domain.md F14.
 */
import { counterSeries, infoSeries, sampledSeries, unix, type Series } from '../../support/seriesBuilders';

export const AT = unix('2026-06-01T00:00:00Z');
export const DAY = 86_400;
export const STEP = 1800;
export const RAW_STEP = 900;
export const PHASE_B_FROM = AT - 7 * DAY;
export const SELECTORS = { environment: 'gprd', stage: 'main', monitor: 'global' };

/** Per-second rates of one endpoint; `e: undefined` means the endpoint has no error series at all. */
export interface Rates {
  w: number;
  s: number;
  o: number;
  e?: number;
}

export interface EndpointModel {
  id: string;
  component: 'rails_request' | 'graphql_query' | 'sidekiq_execution';
  category: string;
  urgency: string;
  a: Rates;
  b: Rates;
}

export const GROUP_OF: Record<string, { group: string; stage: string }> = {
  team_planning: { group: 'project_management', stage: 'plan' },
  service_desk: { group: 'project_management', stage: 'plan' },
  source_code_management: { group: 'source_code', stage: 'create' },
  continuous_integration: { group: 'pipeline_execution', stage: 'verify' },
};

export const GROUPS = ['pipeline_execution', 'project_management', 'source_code'];

// Failure rates f = (w - s) + e per second, phase A / phase B, for the ranking in project_management:
//   P1 0.015 / 0.15, P2 0.002 / 0.002, P3 0.02 / 0.02, P4 1.5 / 1.5 (graphql, ignored by the group).
// Failures over 28 d at AT (1814400 s of A, 604800 s of B):
//   P4 1.5*2419200 = 3628800; P1 0.015*1814400 + 0.15*604800 = 27216 + 90720 = 117936;
//   P3 0.02*2419200 = 48384; P2 0.002*2419200 = 4838.4   -> P4, P1, P3, P2
// At AT-7d (all phase A): P4 3628800, P3 48384, P1 0.015*2419200 = 36288, P2 4838.4 -> P4, P3, P1, P2
export const ENDPOINTS: EndpointModel[] = [
  {
    id: 'Projects::IssuesController#index',
    component: 'rails_request',
    category: 'team_planning',
    urgency: 'low',
    a: { w: 10, s: 9.99, o: 10, e: 0.005 },
    b: { w: 10, s: 9.9, o: 10, e: 0.05 },
  },
  {
    id: 'GET /api/:version/projects/:id/issues',
    component: 'rails_request',
    category: 'team_planning',
    urgency: 'default',
    a: { w: 20, s: 19.999, o: 20, e: 0.001 },
    b: { w: 20, s: 19.999, o: 20, e: 0.001 },
  },
  {
    id: 'WorkItems::CopyTimelogsWorker',
    component: 'sidekiq_execution',
    category: 'team_planning',
    urgency: 'high',
    a: { w: 1, s: 0.985, o: 1, e: 0.005 },
    b: { w: 1, s: 0.985, o: 1, e: 0.005 },
  },
  {
    id: 'graphql:getIssues',
    component: 'graphql_query',
    category: 'service_desk',
    urgency: 'default',
    a: { w: 5, s: 4, o: 5, e: 0.5 },
    b: { w: 5, s: 4, o: 5, e: 0.5 },
  },
  {
    id: 'Projects::BlobController#show',
    component: 'rails_request',
    category: 'source_code_management',
    urgency: 'default',
    a: { w: 50, s: 49.99, o: 50, e: 0.002 },
    b: { w: 50, s: 49.99, o: 50, e: 0.002 },
  },
  {
    id: 'Repositories::GitHttpController#info_refs',
    component: 'rails_request',
    category: 'source_code_management',
    urgency: 'medium',
    a: { w: 30, s: 29.97, o: 30, e: 0.003 },
    b: { w: 30, s: 29.5, o: 30, e: 0.3 },
  },
  {
    // No error series at all: sidekiq_execution has no error SLI in source_code.
    id: 'PostReceive',
    component: 'sidekiq_execution',
    category: 'source_code_management',
    urgency: 'high',
    a: { w: 8, s: 7.9, o: 8 },
    b: { w: 8, s: 7.9, o: 8 },
  },
  {
    id: 'Projects::PipelinesController#index',
    component: 'rails_request',
    category: 'continuous_integration',
    urgency: 'default',
    a: { w: 15, s: 14.9, o: 15, e: 0.01 },
    b: { w: 15, s: 14.9, o: 15, e: 0.01 },
  },
  {
    id: 'Ci::BuildFinishedWorker',
    component: 'sidekiq_execution',
    category: 'continuous_integration',
    urgency: 'low',
    a: { w: 12, s: 11.999, o: 12, e: 0.02 },
    b: { w: 12, s: 11.999, o: 12, e: 0.02 },
  },
];

const KIND_SUFFIX = { s: 'apdex:success', w: 'apdex:weight', o: 'ops', e: 'error' } as const;
type RateKey = keyof typeof KIND_SUFFIX;
const TYPE_OF: Record<string, string> = { rails_request: 'web', graphql_query: 'api', sidekiq_execution: 'sidekiq' };

function rateAt(ep: EndpointModel, k: RateKey, t: number): number | undefined {
  return (t > PHASE_B_FROM ? ep.b : ep.a)[k];
}

function sumRates(eps: readonly EndpointModel[], k: RateKey, t: number): number {
  return eps.reduce((acc, ep) => acc + (rateAt(ep, k, t) ?? 0), 0);
}

function gauge(name: string, labels: Record<string, string>, value: (t: number) => number): Series {
  return sampledSeries(name, labels, AT - 35 * DAY + 30, AT, STEP, value);
}

function recordedSeries(env: string, errorFactor: number, levels: { endpoints: boolean; categories: boolean }): Series[] {
  const out: Series[] = [];
  const base = { ...SELECTORS, environment: env };
  for (const ep of levels.endpoints ? ENDPOINTS : []) {
    const idLabel: Record<string, string> = ep.component === 'sidekiq_execution' ? { worker: ep.id, urgency: ep.urgency } : { endpoint_id: ep.id, request_urgency: ep.urgency };
    for (const k of Object.keys(KIND_SUFFIX) as RateKey[]) {
      if (ep.a[k] === undefined) continue;
      const name = `application_sli_aggregation:${ep.component}:${KIND_SUFFIX[k]}:rate_1h`;
      const f = k === 'e' ? errorFactor : 1;
      out.push(gauge(name, { ...base, type: TYPE_OF[ep.component]!, feature_category: ep.category, ...idLabel }, (t) => f * rateAt(ep, k, t)!));
    }
  }
  // feature_category and stage_group levels: sums of their endpoints per component.
  const levelDefs = [
    { label: 'feature_category', keyOf: (ep: EndpointModel) => ep.category, extra: (_k: string) => ({}) },
    {
      label: 'stage_group',
      keyOf: (ep: EndpointModel) => GROUP_OF[ep.category]!.group,
      extra: (k: string) => ({ product_stage: Object.values(GROUP_OF).find((g) => g.group === k)!.stage }),
    },
  ];
  for (const level of levelDefs.filter((l) => levels.categories || l.label === 'stage_group')) {
    const buckets = new Map<string, EndpointModel[]>();
    for (const ep of ENDPOINTS) {
      const key = `${level.keyOf(ep)}|${ep.component}`;
      buckets.set(key, [...(buckets.get(key) ?? []), ep]);
    }
    for (const [key, eps] of buckets) {
      const [entity = '', component = ''] = key.split('|');
      for (const k of Object.keys(KIND_SUFFIX) as RateKey[]) {
        if (eps.every((ep) => ep.a[k] === undefined)) continue;
        const suffix = k === 'w' ? 'apdex:weight:score_1h' : `${KIND_SUFFIX[k]}:rate_1h`;
        const name = `gitlab:component:${level.label}:execution:${suffix}`;
        const f = k === 'e' ? errorFactor : 1;
        const labels = { ...base, type: TYPE_OF[component]!, component, [level.label]: entity, ...level.extra(entity) };
        out.push(gauge(name, labels, (t) => f * sumRates(eps, k, t)));
      }
    }
  }
  return out;
}

/** Raw counters of two endpoints, incl. a process restart (F14). */
export const RAW_START = AT - 36 * DAY;
const RAW_STEPS = 36 * 96;

/** Increments per step: phase A before AT-7d, phase B after. */
function rawIncrements(a: number, b: number): number[] {
  return Array.from({ length: RAW_STEPS }, (_, i) => (RAW_START + (i + 1) * RAW_STEP > PHASE_B_FROM ? b : a));
}

export function rawCounterSeries(): Series[] {
  const rails = { ...SELECTORS, type: 'web', endpoint_id: 'Projects::IssuesController#index', feature_category: 'team_planning', request_urgency: 'low' };
  const worker = { ...SELECTORS, type: 'sidekiq', worker: 'Ci::BuildFinishedWorker', feature_category: 'continuous_integration', urgency: 'low' };
  // The sidekiq process restarts at sample 3000 (AT-4.75d, inside the 28 d window at AT): its counters drop back.
  const restart = { initial: 500, resetsAt: [3000] };
  return [
    counterSeries('gitlab_sli_rails_request_apdex_total', rails, RAW_START, RAW_STEP, rawIncrements(100, 100), { initial: 1000 }),
    counterSeries('gitlab_sli_rails_request_apdex_success_total', rails, RAW_START, RAW_STEP, rawIncrements(99, 90), { initial: 990 }),
    counterSeries('gitlab_sli_rails_request_total', rails, RAW_START, RAW_STEP, rawIncrements(100, 100), { initial: 1000 }),
    counterSeries('gitlab_sli_rails_request_error_total', rails, RAW_START, RAW_STEP, rawIncrements(1, 5), { initial: 10 }),
    counterSeries('gitlab_sli_sidekiq_execution_apdex_total', worker, RAW_START, RAW_STEP, rawIncrements(40, 40), restart),
    counterSeries('gitlab_sli_sidekiq_execution_apdex_success_total', worker, RAW_START, RAW_STEP, rawIncrements(39, 39), restart),
    counterSeries('gitlab_sli_sidekiq_execution_total', worker, RAW_START, RAW_STEP, rawIncrements(40, 40), restart),
    counterSeries('gitlab_sli_sidekiq_execution_error_total', worker, RAW_START, RAW_STEP, rawIncrements(2, 2), restart),
  ];
}

export function scenarioSeries(): Series[] {
  // Info series are read as instant vectors (5 min lookback): sample them on the grid itself so
  // there is a sample exactly at AT and at AT-7d, the evaluation times of the tests.
  const from = AT - 35 * DAY;
  const info: Series[] = [
    infoSeries('gitlab:ignored_component:stage_group', { stage_group: 'project_management', component: 'graphql_query' }, from, AT, STEP),
    ...Object.entries(GROUP_OF).map(([category, g]) =>
      infoSeries('gitlab:feature_category:stage_group:mapping', { feature_category: category, stage_group: g.group, product_stage: g.stage }, from, AT, STEP),
    ),
  ];
  // gstg carries 50x the errors at group level: a query that forgets the selectors gets other numbers.
  return [
    ...recordedSeries('gprd', 1, { endpoints: true, categories: true }),
    ...recordedSeries('gstg', 50, { endpoints: false, categories: false }),
    ...info,
    ...rawCounterSeries(),
  ];
}

/** GitLab's dashboard availability query (domain.md section 4), verbatim, SEL filled in. */
export function gitlabAvailabilityQuery(group: string): string {
  const SEL = `{environment="gprd",stage="main",monitor="global",stage_group="${group}"}`;
  return `
clamp_max(
  sum(
    sum by (stage_group, component) (
      label_replace(sum_over_time(gitlab:component:stage_group:execution:apdex:success:rate_1h${SEL}[28d]), "sli_kind", "apdex", "", "")
      or
      label_replace(sum_over_time(gitlab:component:stage_group:execution:ops:rate_1h${SEL}[28d])
                    - sum_over_time(gitlab:component:stage_group:execution:error:rate_1h${SEL}[28d]), "sli_kind", "error", "", "")
    ) unless on (stage_group, component) gitlab:ignored_component:stage_group
  )
  /
  sum(
    sum by (stage_group, component) (
      label_replace(sum_over_time(gitlab:component:stage_group:execution:apdex:weight:score_1h${SEL}[28d]), "sli_kind", "apdex", "", "")
      or
      label_replace(sum_over_time(gitlab:component:stage_group:execution:ops:rate_1h${SEL}[28d])
                    and sum_over_time(gitlab:component:stage_group:execution:error:rate_1h${SEL}[28d]), "sli_kind", "error", "", "")
    ) unless on (stage_group, component) gitlab:ignored_component:stage_group
  ),
1)`;
}
