/**
 * The check "the store gives the same split from logs over the same days" (issue 15 item 1),
 * as one comparison: the same requests written as GitLab request logs (ingested into a real SQLite
 * store) and as what GitLab's exporters and rules would have in Prometheus (the raw
 * gitlab_sli_rails_request_* counters, and the recorded stage_group rate_1h series labelled with the
 * group that owned the category at each hour), with the catalog history of
 * test/fixtures/catalog/history (from 2026-11-15T00:00Z team_planning moves from project_management
 * to knowledge, and code_review is renamed code_review_ui).
 *
 * Every hour of 2026-11-01 .. 2026-11-28, per category, 10 requests at hh:10..hh:19 (default
 * urgency, 1 s threshold; a 5xx is an error and no apdex measurement, a 2 s request a slow one):
 *   team_planning         before the 15th: 1 x 500, 1 slow (f 2, m 19); from the 15th: 2 x 500, 1 slow (f 3, m 18)
 *   portfolio_management  all fine (f 0, m 20)
 *   wiki                  1 slow (f 1, m 20)
 *   code_review_workflow  1 x 500 (f 1, m 19)
 * 28 d ending 2026-11-29T00:00Z, 336 hours each side of the change:
 *   project_management  336 x (2, 19) + 672 x (0, 20)            = f 672,   m 19,824
 *   knowledge           672 x (1, 20) + 336 x (3, 18)            = f 1,680, m 19,488
 *   code_review         336 x (1, 19)                            = f 336,   m 6,384 (the old key, days before)
 *   code_review_ui      336 x (1, 19)                            = f 336,   m 6,384
 * The store, raw-mode Prometheus split per epoch, and GitLab's dashboard query over the recorded
 * series all give these; the test compares the three.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { openStoreSource } from '../../../src/sdk/store/storeSource';
import { createPrometheusSource } from '../../../src/sdk/sources/prometheusSource';
import { PrometheusClient } from '../../../src/sdk/sources/prometheusClient';
import { parseWindow } from '../../../src/sdk/budget/window';
import type { CatalogHistory } from '../../../src/sdk/catalog/catalogHistory';
import type { Catalog } from '../../../src/sdk/catalog/types';
import type { ComponentCounts } from '../../../src/sdk/contract/budgetTypes';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import { sampledSeries, unix, type Series } from '../../support/seriesBuilders';
import { dashboardQuery, fixtureHistory, KINDS, RAW, RECORDED, SEL } from '../../support/catalogHistoryFixtures';

const HOUR = 3600;
const START = unix('2026-11-01T00:00:00Z');
const AT = unix('2026-11-29T00:00:00Z');
const CHANGE = unix('2026-11-15T00:00:00Z');
const CATEGORIES = ['team_planning', 'portfolio_management', 'wiki', 'code_review_workflow'] as const;
type Category = (typeof CATEGORIES)[number];

/** The hour's 10 requests of a category: [status, duration_s] each. */
function hourRequests(category: Category, hourStart: number): Array<[number, number]> {
  const errors = category === 'team_planning' ? (hourStart < CHANGE ? 1 : 2) : category === 'code_review_workflow' ? 1 : 0;
  const slow = category === 'team_planning' || category === 'wiki' ? 1 : 0;
  return Array.from({ length: 10 }, (_, i): [number, number] => [i < errors ? 500 : 200, i >= errors && i < errors + slow ? 2 : 0.1]);
}

/** The hour's counts as GitLab's SLI counters count them. */
function hourCounts(category: Category, hourStart: number): { ops: number; errors: number; apdexWeight: number; apdexSuccess: number } {
  const reqs = hourRequests(category, hourStart);
  const errors = reqs.filter(([s]) => s >= 500).length;
  const measured = reqs.filter(([s]) => s < 500);
  return { ops: reqs.length, errors, apdexWeight: measured.length, apdexSuccess: measured.filter(([, d]) => d < 1).length };
}

function logs(): string {
  let out = '';
  for (let h = START; h < AT; h += HOUR) {
    for (const category of CATEGORIES) {
      hourRequests(category, h).forEach(([status, duration], i) => {
        out +=
          JSON.stringify({
            time: new Date((h + 600 + i * 60) * 1000).toISOString(),
            method: 'GET',
            path: `/x/${category}`,
            controller: 'XController',
            action: category,
            status,
            duration_s: duration,
            'meta.caller_id': `XController#${category}`,
            'meta.feature_category': category,
            request_urgency: 'default',
            target_duration_s: 1,
          }) + '\n';
      });
    }
  }
  return out;
}

function series(history: CatalogHistory): Series[] {
  const out: Series[] = [];
  // Raw counters: sampled on the hour, each the total of the requests before it (hours before 11-01 had none).
  for (const category of CATEGORIES) {
    for (const k of KINDS) {
      out.push(
        sampledSeries(RAW[k], { ...SEL, feature_category: category, endpoint_id: `XController#${category}`, type: 'web' }, START - 2 * HOUR, AT + HOUR, HOUR, (t) => {
          let total = 0;
          for (let h = START; h < Math.min(t, AT); h += HOUR) total += hourCounts(category, h)[k];
          return total;
        }),
      );
    }
  }
  // Recorded: at hh:30 the rate of hour hh per second, per group that owned the category at that hour.
  const groups = new Set(history.epochs.flatMap((e) => [...e.catalog.groups.keys()]));
  for (const group of groups) {
    for (const k of KINDS) {
      const s = sampledSeries(RECORDED[k], { ...SEL, stage_group: group, component: 'rails_request', type: 'web' }, START + 1800, AT - 1800, HOUR, (t) => {
        const hour = t - 1800;
        const owned = CATEGORIES.filter((c) => history.groupOf(c, hour * 1000).key === group);
        return owned.length === 0 ? NaN : owned.reduce((a, c) => a + hourCounts(c, hour)[k], 0) / HOUR;
      });
      s.samples = s.samples.filter(([, v]) => !Number.isNaN(v));
      if (s.samples.length > 0) out.push(s);
    }
  }
  return out;
}

const fm = (components: ComponentCounts[]): [number, number] => [
  components.reduce((a, c) => a + (c.counts.apdexWeight - c.counts.apdexSuccess + c.counts.errors), 0),
  components.reduce((a, c) => a + c.counts.apdexWeight + c.counts.ops, 0),
];
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
const HAND: Record<string, [number, number]> = {
  project_management: [672, 19_824],
  knowledge: [1_680, 19_488],
  code_review: [336, 6_384],
  code_review_ui: [336, 6_384],
};

describe('catalog history: the store from logs and Prometheus from the same events give the same split', () => {
  let dir: string;
  let store: string;
  let server: MetricsServer;
  let history: CatalogHistory;
  let today: Catalog;

  before(async () => {
    const h = await fixtureHistory([0, 1]);
    history = h.history;
    today = h.catalogs[1]!;
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-history-compare-'));
    store = join(dir, 'store.db');
    writeFileSync(join(dir, 'production_json.log'), logs());
    const ingested = await ingestFiles(store, [join(dir, 'production_json.log')]);
    assert.equal(ingested.totals.accepted, 672 * 4 * 10);
    server = await startPrometheus(series(history));
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('group figures: store = raw Prometheus split = hand counts; availability = GitLab\'s dashboard query to 1e-9', async () => {
    const window = parseWindow('28d');
    const at = new Date(AT * 1000);
    const groups = Object.keys(HAND);
    const storeSource = openStoreSource({ path: store, catalog: today, history, readonly: true });
    const prom = createPrometheusSource({ url: server.url, mode: 'raw', selectors: SEL, catalog: today, history });
    const client = new PrometheusClient({ url: server.url });
    try {
      const fromStore = new Map((await storeSource.groupCounts({ window, at, groups })).data.map((g) => [g.group, fm(g.components)]));
      const fromProm = new Map((await prom.groupCounts({ window, at, groups })).data.map((g) => [g.group, fm(g.components)]));
      for (const g of groups) {
        const [f, m] = HAND[g]!;
        assert.deepEqual(fromStore.get(g), [f, m], `store ${g}`);
        const p = fromProm.get(g)!;
        assert.ok(close(p[0], f) && close(p[1], m), `prometheus ${g}: ${p.join(', ')} vs ${f}, ${m}`);
        const dashboard = await client.query(dashboardQuery(g), at);
        assert.equal(dashboard.result.length, 1, g);
        assert.ok(close(dashboard.result[0]!.value, 1 - f / m), `dashboard ${g}: ${dashboard.result[0]!.value} vs ${1 - f / m}`);
      }
      // The daily series agree too, day by day (knowledge: 24 x (1, 20) = (24, 480) before, + 24 x (3, 18) after = (96, 912)).
      const storeDays = (await storeSource.dailyCounts({ window, at, scope: { group: 'knowledge' } })).data.map((d) => fm(d.components));
      const promDays = (await prom.dailyCounts({ window, at, scope: { group: 'knowledge' } })).data.map((d) => fm(d.components));
      assert.deepEqual(storeDays, [...Array(14).fill([24, 480]), ...Array(14).fill([96, 912])]);
      promDays.forEach(([f, m], i) => assert.ok(close(f, storeDays[i]![0]) && close(m, storeDays[i]![1]), `day ${i}: ${f}, ${m}`));
    } finally {
      await storeSource.close();
      await prom.close();
    }
  });
});
