/**
 * The Prometheus scenario of the header of prometheus.test.ts (its sums are worked there): GitLab's
 * recorded per-second rates for four IssuesController actions of team_planning, 64 samples one
 * minute apart. Shared with the installed-.vsix suite (test/extension/installed), which reads the
 * same figures through the extension installed from the package.
 */
import { sampledSeries, type Series } from '../../support/seriesBuilders';

/** team_planning's and service_desk's lens titles with these series. */
export const PROMETHEUS_TP = 'team_planning · 7.38 of 20.16 budget-min (37 %) · 28 d';
export const PROMETHEUS_SD = 'service_desk · no data · 20.16 budget-min · 28 d';

/** Per-second rates of one endpoint (all multiples of 1/256). */
interface Rates {
  id: string;
  urgency: string;
  w: number;
  s: number;
  o: number;
  e: number;
}

export const ENDPOINTS: Rates[] = [
  { id: 'Projects::IssuesController#index', urgency: 'low', w: 32, s: 32 - 3 / 256, o: 32, e: 0 },
  { id: 'Projects::IssuesController#create', urgency: 'high', w: 16, s: 16, o: 16, e: 2 / 256 },
  { id: 'Projects::IssuesController#show', urgency: 'low', w: 8, s: 8 - 1 / 256, o: 8, e: 0 },
  { id: 'Projects::IssuesController#update', urgency: 'default', w: 8, s: 8, o: 8, e: 0 },
];

/** The recorded series of the header: endpoint, feature_category and stage_group levels. */
export function recordedSeries(endS: number): Series[] {
  const from = endS - 63 * 60;
  const gauge = (name: string, labels: Record<string, string>, value: number): Series => sampledSeries(name, labels, from, endS, 60, () => value);
  const sum = (k: 'w' | 's' | 'o' | 'e'): number => ENDPOINTS.reduce((acc, ep) => acc + ep[k], 0);
  const out: Series[] = [];
  const endpointSuffix = { s: 'apdex:success:rate_1h', w: 'apdex:weight:rate_1h', o: 'ops:rate_1h', e: 'error:rate_1h' } as const;
  const levelSuffix = { s: 'apdex:success:rate_1h', w: 'apdex:weight:score_1h', o: 'ops:rate_1h', e: 'error:rate_1h' } as const;
  for (const k of ['s', 'w', 'o', 'e'] as const) {
    for (const ep of ENDPOINTS) {
      out.push(gauge(`application_sli_aggregation:rails_request:${endpointSuffix[k]}`, { type: 'web', endpoint_id: ep.id, feature_category: 'team_planning', request_urgency: ep.urgency }, ep[k]));
    }
    out.push(gauge(`gitlab:component:feature_category:execution:${levelSuffix[k]}`, { type: 'web', component: 'rails_request', feature_category: 'team_planning' }, sum(k)));
    out.push(gauge(`gitlab:component:stage_group:execution:${levelSuffix[k]}`, { type: 'web', component: 'rails_request', stage_group: 'project_management', product_stage: 'plan' }, sum(k)));
  }
  return out;
}

/**
 * The last sample's time (unix seconds): 5 minutes ago, or a minute before this month began when
 * the 64 samples would otherwise straddle two months (the report reads one month).
 */
export function scenarioEnd(now = Date.now()): number {
  const monthOf = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 7);
  let endS = Math.floor(now / 60_000) * 60 - 300;
  if (monthOf(endS - 63 * 60) !== monthOf(endS)) {
    const [y, m] = monthOf(endS).split('-').map(Number) as [number, number];
    endS = Date.UTC(y, m - 1, 1) / 1000 - 60;
  }
  return endS;
}
