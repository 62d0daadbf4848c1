/**
 * Catalog history on a real Prometheus (issue 15 item 1c): a category moves between two groups
 * mid-window, and a group is renamed, on 2026-11-15T00:00Z (the fixture catalogs of 11-01 and 11-15,
 * test/fixtures/catalog/history). One TSDB holds both what GitLab's application exports (the raw
 * gitlab_sli_rails_request_* counters, by feature_category) and what its recording rules record (the
 * stage_group 1h rates, labelled with the group that owned the category when they were recorded),
 * backfilled with promtool (docs/testing.md).
 *
 * Per-second rates, constant per category (so a recorded rate_1h equals the counters' rate):
 *               ops     errors   apdex weight (= ops - errors)   apdex success
 *  team_planning        0.1     0.005    0.095                           55/600
 *  portfolio_management 0.05    0        0.05                            0.05
 *  wiki                 0.2     1/600    119/600                         119/600
 *  code_review_workflow 0.1     2/600    58/600                          57/600
 * Counters step every 600 s on the 10-minute marks (each step adds rate x 600, whole numbers);
 * recorded gauges are sampled at hh:m5:00 (never on a window edge: Prometheus 2.x ranges are
 * closed), so the 28d window ending 2026-11-29T00:00Z holds 4,032 of them, 2,016 per side.
 *
 * Raw mode, split at the change: increase(x[14d] offset 14d) with the catalog of 11-01 plus
 * increase(x[14d]) with the catalog of 11-15 (samples sit on both edges: no extrapolation).
 * project_management = team_planning + portfolio for 14 d, then portfolio alone:
 *   per 600 s: before f = (57 - 55) + 3 = 5, m = 57 + 60 + 30 + 30 = 177; after f = 0, m = 60
 *   28 d: f = 2,016 x 5 = 10,080, m = 2,016 x (177 + 60) = 477,792; A = 1 - 10,080 / 477,792
 * knowledge = wiki throughout + team_planning from the 15th:
 *   per 600 s wiki f = 1, m = 239; team_planning f = 5, m = 117
 *   28 d: f = 4,032 + 2,016 x 5 = 14,112, m = 4,032 x 239 + 2,016 x 117 = 1,199,520
 * code_review (before) f = 2,016 x 3 = 6,048, m = 2,016 x 118; code_review_ui (after) the same.
 * GitLab's dashboard query (domain.md section 4) over the recorded series gives the same ratios;
 * the test compares the two to 1e-9, and recorded mode (which keeps using stage_group) to both.
 *
 * GitLab's recorded endpoint series (application_sli_aggregation:rails_request:*:rate_1h, one endpoint
 * E#<category> per category, labelled feature_category and no stage_group) are sampled with the
 * group gauges, each sample the category's rate above. Recorded mode counts sum_over_time x 60, so
 * per sample (600 s apart): f = (weight - success + errors) / 10, m = (weight + ops) / 10:
 *   E#team_planning f 0.5, m 11.7; E#wiki f 0.1, m 23.9; E#portfolio_management f 0, m 6;
 *   E#code_review_workflow f 0.3, m 11.8.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrometheusSource } from '../../../src/sdk/sources/prometheusSource';
import { PrometheusClient } from '../../../src/sdk/sources/prometheusClient';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import { parseWindow } from '../../../src/sdk/budget/window';
import type { CatalogHistory } from '../../../src/sdk/catalog/catalogHistory';
import type { Catalog } from '../../../src/sdk/catalog/types';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import { sampledSeries, unix, type Series } from '../../support/seriesBuilders';
import { dashboardQuery, fixtureHistory, KINDS, RAW, RECORDED, RECORDED_ENDPOINT, SEL, type Kind } from '../../support/catalogHistoryFixtures';

const AT = unix('2026-11-29T00:00:00Z');
const FROM = unix('2026-10-31T22:00:00Z');
const STEP = 600;

/** Per 600 s. */
const PER_STEP: Record<string, Record<Kind, number>> = {
  team_planning: { ops: 60, errors: 3, apdexWeight: 57, apdexSuccess: 55 },
  portfolio_management: { ops: 30, errors: 0, apdexWeight: 30, apdexSuccess: 30 },
  wiki: { ops: 120, errors: 1, apdexWeight: 119, apdexSuccess: 119 },
  code_review_workflow: { ops: 60, errors: 2, apdexWeight: 58, apdexSuccess: 57 },
};

function series(history: CatalogHistory): Series[] {
  const out: Series[] = [];
  for (const [category, perStep] of Object.entries(PER_STEP)) {
    for (const k of KINDS) {
      out.push(sampledSeries(RAW[k], { ...SEL, feature_category: category, endpoint_id: `E#${category}`, type: 'web' }, FROM, AT + 1200, STEP, (t) => ((t - FROM) / STEP) * perStep[k]));
      // GitLab's recorded endpoint rates: feature_category, no stage_group, at the group gauges' instants.
      const labels = { ...SEL, type: 'web', endpoint_id: `E#${category}`, feature_category: category, request_urgency: 'default' };
      out.push(sampledSeries(RECORDED_ENDPOINT[k], labels, FROM + 300, AT + 1200, STEP, () => perStep[k] / STEP));
    }
  }
  // Recorded: per group, the sum of the rates of the categories it owned when the sample was recorded.
  const groups = new Set(history.epochs.flatMap((e) => [...e.catalog.groups.keys()]));
  for (const group of groups) {
    for (const k of KINDS) {
      const rateAt = (t: number): number | undefined => {
        const owned = Object.keys(PER_STEP).filter((c) => history.groupOf(c, t * 1000).key === group);
        return owned.length === 0 ? undefined : owned.reduce((a, c) => a + PER_STEP[c]![k], 0) / STEP;
      };
      const s = sampledSeries(RECORDED[k], { ...SEL, stage_group: group, component: 'rails_request', type: 'web' }, FROM + 300, AT + 1200, STEP, (t) => rateAt(t) ?? NaN);
      s.samples = s.samples.filter(([, v]) => !Number.isNaN(v));
      if (s.samples.length > 0) out.push(s);
    }
  }
  return out;
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('catalog history on a real Prometheus: a category moves mid-window', () => {
  let server: MetricsServer;
  let history: CatalogHistory;
  let today: Catalog;
  let dashboard: Map<string, number>;

  before(async () => {
    const h = await fixtureHistory([0, 1]);
    history = h.history;
    today = h.catalogs[1]!;
    server = await startPrometheus(series(history));
    const client = new PrometheusClient({ url: server.url });
    dashboard = new Map();
    for (const g of ['project_management', 'knowledge', 'code_review', 'code_review_ui']) {
      const ans = await client.query(dashboardQuery(g), new Date(AT * 1000));
      assert.equal(ans.result.length, 1, g);
      dashboard.set(g, ans.result[0]!.value);
    }
  });
  after(async () => {
    await server?.stop();
  });

  test('GitLab\'s dashboard query over the recorded series gives the hand-computed ratios', () => {
    assert.ok(close(dashboard.get('project_management')!, 1 - 10_080 / 477_792), String(dashboard.get('project_management')));
    assert.ok(close(dashboard.get('knowledge')!, 1 - 14_112 / 1_199_520), String(dashboard.get('knowledge')));
    assert.ok(close(dashboard.get('code_review')!, 1 - 6_048 / (2_016 * 118)));
    assert.ok(close(dashboard.get('code_review_ui')!, 1 - 6_048 / (2_016 * 118)));
  });

  test('raw mode split at the change equals the dashboard to 1e-9 (counts by hand; [d] offset o per epoch)', async () => {
    const source = createPrometheusSource({ url: server.url, mode: 'raw', selectors: SEL, catalog: today, history });
    const service = new BudgetService(source, today, { catalogHistory: history });
    const { data, meta } = await service.groups({ window: '28d', at: new Date(AT * 1000) });
    const g = new Map(data.map((x) => [x.group, x]));
    assert.ok(close(g.get('project_management')!.failures, 10_080) && close(g.get('project_management')!.measurements, 477_792), `${g.get('project_management')!.failures} ${g.get('project_management')!.measurements}`);
    assert.ok(close(g.get('knowledge')!.failures, 14_112) && close(g.get('knowledge')!.measurements, 1_199_520));
    for (const key of ['project_management', 'knowledge', 'code_review_ui']) {
      assert.ok(close(g.get(key)!.availability!, dashboard.get(key)!), `${key}: ${g.get(key)!.availability} vs ${dashboard.get(key)}`);
    }
    // The old group name (not in today's catalog) is in the source's counts for the days before.
    const counts = await source.groupCounts({ window: parseWindow('28d'), at: new Date(AT * 1000), groups: ['code_review'] });
    const c = counts.data[0]!.components[0]!.counts;
    assert.ok(close(1 - (c.apdexWeight - c.apdexSuccess + c.errors) / (c.apdexWeight + c.ops), dashboard.get('code_review')!));
    assert.ok(close(c.ops, 2_016 * 60), String(c.ops));
    const queries = meta.provenance.queries.join('\n');
    assert.match(queries, /increase\(gitlab_sli_rails_request_total\{[^}]*\}\[14d\] offset 14d\)/);
    assert.match(queries, /increase\(gitlab_sli_rails_request_total\{[^}]*\}\[14d\]\)/);
    assert.deepEqual(meta.catalogChanges?.map((x) => x.kind), ['group_renamed', 'category_moved']);
    // Without the history, today's catalog for all 28 days: knowledge takes team_planning's whole window.
    const retro = await new BudgetService(createPrometheusSource({ url: server.url, mode: 'raw', selectors: SEL, catalog: today }), today).groups({ window: '28d', at: new Date(AT * 1000) });
    assert.ok(close(retro.data.find((x) => x.group === 'knowledge')!.failures, 4_032 * 6));
  });

  test('raw mode: a group\'s daily series and top endpoints take each part\'s categories (hand counts)', async () => {
    const source = createPrometheusSource({ url: server.url, mode: 'raw', selectors: SEL, catalog: today, history });
    const at = new Date(AT * 1000);
    const fm = (c: { apdexSuccess: number; apdexWeight: number; ops: number; errors: number }): [number, number] => [c.apdexWeight - c.apdexSuccess + c.errors, c.apdexWeight + c.ops];
    const sum = (cs: Array<{ counts: { apdexSuccess: number; apdexWeight: number; ops: number; errors: number } }>): [number, number] =>
      cs.reduce<[number, number]>((a, c) => [a[0] + fm(c.counts)[0], a[1] + fm(c.counts)[1]], [0, 0]);
    // knowledge per day (144 steps of 600 s): wiki f 144, m 144 x 239 = 34,416; from the 15th
    // team_planning too: f 144 x 5 = 720, m 144 x 117 = 16,848 -> f 864, m 51,264.
    const daily = await source.dailyCounts({ window: parseWindow('28d'), at, scope: { group: 'knowledge' } });
    assert.equal(daily.data.length, 28);
    daily.data.forEach((d, i) => {
      const [f, m] = sum(d.components);
      const want = i < 14 ? [144, 34_416] : [864, 51_264];
      assert.ok(close(f, want[0]!) && close(m, want[1]!), `${d.date}: ${f} ${m}`);
    });
    // project_management: team_planning + portfolio before (f 720, m 144 x 177 = 25,488), portfolio after (f 0, m 8,640).
    const pm = await source.dailyCounts({ window: parseWindow('28d'), at, scope: { group: 'project_management' } });
    assert.ok(close(sum(pm.data[0]!.components)[1], 25_488) && close(sum(pm.data[27]!.components)[1], 8_640));
    assert.ok(close(sum(pm.data[13]!.components)[0], 720) && close(sum(pm.data[14]!.components)[0], 0));

    // Endpoints of knowledge over 28 d: E#team_planning only its last 14 days (f 14 x 720 = 10,080,
    // m 14 x 16,848 = 235,872), E#wiki all 28 (f 4,032, m 4,032 x 239 = 963,648); by failures.
    const eps = await source.endpointCounts({ window: parseWindow('28d'), at, scope: { group: 'knowledge' } });
    assert.deepEqual(eps.data.map((r) => r.endpointId), ['E#team_planning', 'E#wiki']);
    assert.ok(close(fm(eps.data[0]!.counts)[0], 10_080) && close(fm(eps.data[0]!.counts)[1], 235_872), JSON.stringify(eps.data[0]!.counts));
    assert.ok(close(fm(eps.data[1]!.counts)[0], 4_032) && close(fm(eps.data[1]!.counts)[1], 963_648));
    assert.match(eps.meta.provenance.queries.join('\n'), /\[14d\] offset 14d/);
    // Their sum is knowledge's group figure (f 14,112, m 1,199,520), as in the split group counts above.
    assert.ok(close(fm(eps.data[0]!.counts)[0] + fm(eps.data[1]!.counts)[0], 14_112));
    const pmEps = await source.endpointCounts({ window: parseWindow('28d'), at, scope: { group: 'project_management' }, limit: 1 });
    // project_management's top endpoint: E#team_planning's first 14 days (f 10,080, m 14 x 144 x 117 = 235,872).
    assert.deepEqual(pmEps.data.map((r) => r.endpointId), ['E#team_planning']);
    assert.ok(close(fm(pmEps.data[0]!.counts)[0], 10_080));
  });

  test('recording_rules mode keeps using the recorded stage_group: the same figures, no split queries', async () => {
    const source = createPrometheusSource({ url: server.url, selectors: SEL, catalog: today, history });
    const service = new BudgetService(source, today, { catalogHistory: history });
    const { data, meta } = await service.groups({ window: '28d', at: new Date(AT * 1000) });
    for (const key of ['project_management', 'knowledge', 'code_review_ui']) {
      const x = data.find((d) => d.group === key)!;
      assert.ok(close(x.availability!, dashboard.get(key)!), `${key}: ${x.availability} vs ${dashboard.get(key)}`);
    }
    // Counts are sum_over_time(rate_1h[28d]) x 60 (the 60 s evaluation interval the source assumes), and
    // these samples are 600 s apart: a tenth of the raw counts (2,016 x 5/600 x 60 = 1,008), the same ratios.
    assert.ok(close(data.find((d) => d.group === 'project_management')!.failures, 10_080 / 10));
    const queries = meta.provenance.queries.join('\n');
    assert.doesNotMatch(queries, /offset/);
    assert.match(queries, /sum_over_time\(gitlab:component:stage_group:execution:ops:rate_1h\{[^}]*\}\[28d\]\)/);
    assert.equal(meta.catalogChanges?.length, 2);
  });

  test('recording_rules mode: a group\'s top endpoints take, in each part, the categories it owned then (recorded application_sli_aggregation, hand counts)', async () => {
    const source = createPrometheusSource({ url: server.url, selectors: SEL, catalog: today, history });
    const at = new Date(AT * 1000);
    const window = parseWindow('28d');
    const fm = (c: { apdexSuccess: number; apdexWeight: number; ops: number; errors: number }): [number, number] => [c.apdexWeight - c.apdexSuccess + c.errors, c.apdexWeight + c.ops];
    const rows = (data: Array<{ endpointId: string; counts: { apdexSuccess: number; apdexWeight: number; ops: number; errors: number } }>): Array<[string, number, number]> =>
      data.map((r) => [r.endpointId, ...fm(r.counts)]);
    const same = (got: Array<[string, number, number]>, want: Array<[string, number, number]>, what: string): void => {
      assert.deepEqual(got.map((r) => r[0]), want.map((r) => r[0]), what);
      got.forEach((r, i) => assert.ok(close(r[1], want[i]![1]) && close(r[2], want[i]![2]), `${what} ${r.join(' ')} vs ${want[i]!.join(' ')}`));
    };

    // knowledge: wiki in both parts (14 d = 2,016 samples each), team_planning only in the second:
    //   E#team_planning 2,016 x (0.5, 11.7) = f 1,008, m 23,587.2
    //   E#wiki          4,032 x (0.1, 23.9) = f 403.2, m 96,364.8
    const knowledge = await source.endpointCounts({ window, at, scope: { group: 'knowledge' } });
    same(rows(knowledge.data), [['E#team_planning', 1_008, 23_587.2], ['E#wiki', 403.2, 96_364.8]], 'knowledge');
    // One query per part per kind, each with that part's categories: wiki alone [14d] offset 14d, then team_planning|wiki [14d].
    const q = knowledge.meta.provenance.queries.join('\n');
    assert.match(q, /sum_over_time\(application_sli_aggregation:rails_request:ops:rate_1h\{[^}]*feature_category=~"wiki"\}\[14d\] offset 14d\)/);
    assert.match(q, /sum_over_time\(application_sli_aggregation:rails_request:ops:rate_1h\{[^}]*feature_category=~"team_planning\|wiki"\}\[14d\]\)/);
    assert.doesNotMatch(q, /stage_group/);

    // project_management: team_planning only in the first part, portfolio_management in both:
    //   E#team_planning          2,016 x (0.5, 11.7) = f 1,008, m 23,587.2
    //   E#portfolio_management   4,032 x (0, 6)      = f 0,     m 24,192
    const pm = await source.endpointCounts({ window, at, scope: { group: 'project_management' } });
    same(rows(pm.data), [['E#team_planning', 1_008, 23_587.2], ['E#portfolio_management', 0, 24_192]], 'project_management');
    const pmTop = await source.endpointCounts({ window, at, scope: { group: 'project_management' }, limit: 1 });
    same(rows(pmTop.data), [['E#team_planning', 1_008, 23_587.2]], 'project_management, limit 1');

    // The rename: code_review_ui has code_review_workflow's second part, the old key its first
    // (2,016 x (0.3, 11.8) = f 604.8, m 23,788.8 each).
    const ui = await source.endpointCounts({ window, at, scope: { group: 'code_review_ui' } });
    same(rows(ui.data), [['E#code_review_workflow', 604.8, 23_788.8]], 'code_review_ui');
    const old = await source.endpointCounts({ window, at, scope: { group: 'code_review' } });
    same(rows(old.data), [['E#code_review_workflow', 604.8, 23_788.8]], 'code_review');

    // The service's top endpoints of knowledge: the total is the recorded stage_group series
    // (f 2,016 x 0.1 + 2,016 x 0.6 = 1,411.2, i.e. 14,112 / 10; m 2,016 x 23.9 + 2,016 x 35.6 = 119,952),
    // and the split endpoints add up to it: shares 1,008 / 1,411.2 = 5/7 and 403.2 / 1,411.2 = 2/7.
    const service = new BudgetService(source, today, { catalogHistory: history });
    const top = await service.topEndpoints({ group: 'knowledge' }, { window: '28d', at });
    assert.ok(close(top.data.total.failures, 1_411.2) && close(top.data.total.measurements, 119_952), `${top.data.total.failures} ${top.data.total.measurements}`);
    assert.deepEqual(top.data.endpoints.map((e) => e.endpointId), ['E#team_planning', 'E#wiki']);
    assert.ok(close(top.data.endpoints[0]!.shareOfSpend, 5 / 7) && close(top.data.endpoints[1]!.shareOfSpend, 2 / 7), top.data.endpoints.map((e) => e.shareOfSpend).join(' '));

    // An endpoint's own figures (by id, F15) are what its events say: the whole window, not split
    // (E#team_planning 4,032 x (0.5, 11.7) = f 2,016, m 47,174.4), and no offset query.
    const byId = await source.endpointCountsById({ window, at, endpointIds: ['E#team_planning'] });
    same(rows(byId.data), [['E#team_planning', 2_016, 47_174.4]], 'by id');
    assert.doesNotMatch(byId.meta.provenance.queries.join('\n'), /offset/);

    // Without the history, today's catalog for all 28 days: knowledge takes E#team_planning's whole window (f 2,016).
    const retro = await createPrometheusSource({ url: server.url, selectors: SEL, catalog: today }).endpointCounts({ window, at, scope: { group: 'knowledge' } });
    same(rows(retro.data), [['E#team_planning', 2_016, 47_174.4], ['E#wiki', 403.2, 96_364.8]], 'knowledge without history');
  });
});
