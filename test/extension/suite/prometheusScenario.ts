/**
 * The Prometheus scenario of the header of prometheus.test.ts (its sums are worked there): GitLab's
 * recorded per-second rates for four IssuesController actions of team_planning and two tags routes
 * of source_code_management (below), 64 samples one minute apart. Shared with the installed-.vsix suite (test/extension/installed), which reads the
 * same figures through the extension installed from the package.
 */
import { sampledSeries, type Series } from '../../support/seriesBuilders';

/** team_planning's and service_desk's lens titles with these series. */
export const PROMETHEUS_TP = 'team_planning · 7.38 of 20.16 budget-min (37 %) · 28 d';
export const PROMETHEUS_SD = 'service_desk · no data · 20.16 budget-min · 28 d';

/**
 * IssuesController's lenses with these series: each endpoint's own figures (F15), against
 * team_planning's f = 90, m = 491,520 (prometheus.test.ts's header):
 *   #index  f 45 of m 245,760: 45 * 40320 / 491520 = 3.69140625 -> "3.69", 45/90 = 50.00 %,
 *           own 1 - 45/245760 = 0.999816… -> "99.981 %" ≥ 99.95 %, #1 of 3
 *   #show   f 15 of m 61,440: 1.23046875 -> "1.23", 16.67 %, own 0.999755… -> "99.975 %", #3 of 3
 *   #new    no series -> no traffic
 *   #create f 30 of m 122,880: 2.4609375 -> "2.46", 33.33 %, own 0.999755… -> "99.975 %", #2 of 3
 *   #update f 0 of m 61,440: 0.00, 100.000 %
 *   #service_desk: no series -> no traffic
 */
export const PROMETHEUS_ISSUES_LENSES: Array<[number, string]> = [
  [16, "45 failures · 3.69 budget-min (50.00 % of team_planning's spend) · 99.981 % ≥ 99.95 % · #1 of 3 in team_planning"],
  [26, "15 failures · 1.23 budget-min (16.67 % of team_planning's spend) · 99.975 % ≥ 99.95 % · #3 of 3 in team_planning"],
  [36, 'team_planning · no traffic'],
  [40, "30 failures · 2.46 budget-min (33.33 % of team_planning's spend) · 99.975 % ≥ 99.95 % · #2 of 3 in team_planning"],
  [50, 'no failures · 100.000 % ≥ 99.95 %'],
  [55, 'service_desk · no traffic'],
];

/**
 * lib/api/tags.rb's lenses with these series: a category within its budget holding an endpoint
 * below the target (the handbook's Endpoint B). source_code_management (group source_code):
 *   GET .../repository/tags            w = o = 4 -> 15,360 each; s = 4 - 5/256 -> 15,285 (75 slow);
 *                                      e = 2/256 -> 30: f = 75 + 30 = 105, m = 30,720
 *   GET .../repository/tags/:tag_name  w = s = o = 64 -> 245,760 each, e = 0: f = 0, m = 491,520
 *   category: f = 105, m = 30,720 + 491,520 = 522,240
 *     spent (F4) 105 * 40320 / 522240 = 8.1066… -> "8.11"; of 20.16 that is 40.2 % -> "40 %"
 *   #tags (line 16): 8.1066… min, 105 / 105 = 100.00 % of the category's spend, own
 *     1 - 105/30720 = 0.99658203125 -> "99.658 %" < 99.95 %: below the target, $(warning); #1 of 1
 *   #tag_name (line 22): no failures, 100.000 %; POST (line 29): no series -> no traffic
 */
export const PROMETHEUS_TAGS_LENSES: Array<[number, string]> = [
  [4, 'source_code_management · 8.11 of 20.16 budget-min (40 %) · 28 d'],
  [16, "$(warning) 105 failures · 8.11 budget-min (100.00 % of source_code_management's spend) · 99.658 % < 99.95 % · #1 of 1 in source_code_management"],
  [22, 'no failures · 100.000 % ≥ 99.95 %'],
  [29, 'source_code_management · no traffic'],
];

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

/** lib/api/tags.rb's two GET routes (source_code_management), above. */
export const TAGS_ENDPOINTS: Rates[] = [
  { id: 'GET /api/:version/projects/:id/repository/tags', urgency: 'low', w: 4, s: 4 - 5 / 256, o: 4, e: 2 / 256 },
  { id: 'GET /api/:version/projects/:id/repository/tags/:tag_name', urgency: 'low', w: 64, s: 64, o: 64, e: 0 },
];

/** The recorded series of the header: endpoint, feature_category and stage_group levels. */
export function recordedSeries(endS: number): Series[] {
  const from = endS - 63 * 60;
  const gauge = (name: string, labels: Record<string, string>, value: number): Series => sampledSeries(name, labels, from, endS, 60, () => value);
  const out: Series[] = [];
  const endpointSuffix = { s: 'apdex:success:rate_1h', w: 'apdex:weight:rate_1h', o: 'ops:rate_1h', e: 'error:rate_1h' } as const;
  const levelSuffix = { s: 'apdex:success:rate_1h', w: 'apdex:weight:score_1h', o: 'ops:rate_1h', e: 'error:rate_1h' } as const;
  const levels = [
    { endpoints: ENDPOINTS, category: 'team_planning', group: 'project_management', stage: 'plan' },
    { endpoints: TAGS_ENDPOINTS, category: 'source_code_management', group: 'source_code', stage: 'create' },
  ];
  for (const { endpoints, category, group, stage } of levels) {
    const sum = (k: 'w' | 's' | 'o' | 'e'): number => endpoints.reduce((acc, ep) => acc + ep[k], 0);
    for (const k of ['s', 'w', 'o', 'e'] as const) {
      for (const ep of endpoints) {
        out.push(gauge(`application_sli_aggregation:rails_request:${endpointSuffix[k]}`, { type: 'web', endpoint_id: ep.id, feature_category: category, request_urgency: ep.urgency }, ep[k]));
      }
      out.push(gauge(`gitlab:component:feature_category:execution:${levelSuffix[k]}`, { type: 'web', component: 'rails_request', feature_category: category }, sum(k)));
      out.push(gauge(`gitlab:component:stage_group:execution:${levelSuffix[k]}`, { type: 'web', component: 'rails_request', stage_group: group, product_stage: stage }, sum(k)));
    }
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
