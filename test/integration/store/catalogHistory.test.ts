/**
 * Catalog history on the embedded store (issue 15 item 1b): hand-written GitLab request logs ->
 * ingest -> a real SQLite store -> StoreSource with the history of test/fixtures/catalog/history
 * (the catalog of 2026-11-01, then from 2026-11-15T00:00Z: team_planning moves from
 * project_management to knowledge, and the group code_review is renamed code_review_ui).
 * Attribution at query time: each hour goes to the group that owned its category then.
 *
 * Every day 2026-11-01 .. 2026-11-28, 10 requests at 12:00 per category, 0.1 s (under every
 * threshold), low urgency; a 5xx is an error and no apdex measurement (f = e, m = w + o = 2o - e):
 *  team_planning:        1 x 500 a day before the 15th (f 1, m 19), 2 from the 15th (f 2, m 18)
 *  portfolio_management: all 200 (m 20 a day)          (project_management throughout)
 *  wiki:                 all 200 (m 20 a day)          (knowledge throughout)
 *  code_review_workflow: all 200 before the 15th (m 20), 1 x 500 a day from the 15th (f 1, m 19)
 *
 * Window 28d ending 2026-11-29T00:00Z = [11-01, 11-29): 14 days before the change, 14 after.
 * Target 99.95 %, budget 0.0005 x 40,320 = 20.16 min; spent = f x 40,320 / m (F7).
 *  project_management: team_planning 11-01..11-14 (f 14, m 266) + portfolio (m 560): f 14, m 826
 *    spent 14 x 40,320 / 826 = 683.3898305...
 *  knowledge: team_planning 11-15..11-28 (f 28, m 252) + wiki (m 560): f 28, m 812
 *    spent 28 x 40,320 / 812 = 1,390.3448275... (28/812 = 1/29)
 *  code_review (the old name, days before): f 0, m 280; code_review_ui (days after): f 14, m 266,
 *    spent 14 x 40,320 / 266 = 2,122.1052631...
 * With today's catalog for every day (retroactive, no history) knowledge would have f 42, m 1,078.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { openStoreSource } from '../../../src/sdk/store/storeSource';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import { parseWindow } from '../../../src/sdk/budget/window';
import { failuresOf, measurementsOf } from '../../../src/sdk/budget/counts';
import type { CatalogHistory } from '../../../src/sdk/catalog/catalogHistory';
import type { Catalog } from '../../../src/sdk/catalog/types';
import type { ComponentCounts } from '../../../src/sdk/contract/budgetTypes';
import { HISTORY_FIXTURES, fixtureHistory } from '../../support/catalogHistoryFixtures';
import { captureIo } from '../../support/cliIo';
import { main } from '../../../src/cli/main';
import { renderReportMarkdown } from '../../../src/sdk/report/reportMarkdown';

const AT = new Date('2026-11-29T00:00:00Z');
const CHANGE = Date.parse('2026-11-15T00:00:00Z');
const DAY_MS = 86_400_000;

function days(errorsOn: (dayStart: number) => number, fields: Record<string, unknown>): string {
  let out = '';
  for (let d = Date.parse('2026-11-01T12:00:00Z'); d < AT.getTime(); d += DAY_MS) {
    const errors = errorsOn(d);
    for (let i = 0; i < 10; i++) {
      out += JSON.stringify({ time: new Date(d + i * 30_000).toISOString(), method: 'GET', status: i < errors ? 500 : 200, duration_s: 0.1, request_urgency: 'low', target_duration_s: 5, ...fields }) + '\n';
    }
  }
  return out;
}

const rails = (controller: string, action: string, category: string): Record<string, unknown> => ({
  path: `/x/${category}`,
  controller,
  action,
  'meta.caller_id': `${controller}#${action}`,
  'meta.feature_category': category,
});

const fm = (components: ComponentCounts[]): [number, number] => [
  components.reduce((a, c) => a + failuresOf(c.counts), 0),
  components.reduce((a, c) => a + measurementsOf(c.counts), 0),
];

describe('catalog history: the store attributes each hour to the group that owned the category then', () => {
  let dir: string;
  let store: string;
  let history: CatalogHistory;
  let today: Catalog;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-catalog-history-'));
    store = join(dir, 'store.db');
    writeFileSync(
      join(dir, 'production_json.log'),
      days((d) => (d < CHANGE ? 1 : 2), rails('Projects::IssuesController', 'index', 'team_planning')) +
        days(() => 0, rails('Groups::EpicsController', 'index', 'portfolio_management')) +
        days(() => 0, rails('Projects::WikisController', 'show', 'wiki')) +
        days((d) => (d < CHANGE ? 0 : 1), rails('Projects::MergeRequestsController', 'show', 'code_review_workflow')),
    );
    const ingested = await ingestFiles(store, [join(dir, 'production_json.log')]);
    assert.equal(ingested.totals.accepted, 4 * 28 * 10);
    const h = await fixtureHistory([0, 1]);
    history = h.history;
    today = h.catalogs[1]!;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('groupCounts over 28 days: the days before the move count for the old group, the days after for the new', async () => {
    const source = openStoreSource({ path: store, catalog: today, history, readonly: true });
    try {
      const { data, meta } = await source.groupCounts({ window: parseWindow('28d'), at: AT });
      const by = new Map(data.map((g) => [g.group, fm(g.components)]));
      assert.deepEqual(Object.fromEntries(by), {
        code_review: [0, 280],
        code_review_ui: [14, 266],
        knowledge: [28, 812],
        project_management: [14, 826],
      });
      // Two parts, each with its own buckets: epoch days 20758 (11-01) .. 20772 (11-15) .. 20786 (11-29).
      assert.match(meta.provenance.queries[0]!, /"firstDay":20758,"endDay":20772[\s\S]*"firstDay":20772,"endDay":20786/);
      // Asked for groups: filtered with each part's catalog.
      const asked = await source.groupCounts({ window: parseWindow('28d'), at: AT, groups: ['knowledge', 'code_review'] });
      assert.deepEqual(asked.data.map((g) => [g.group, fm(g.components)]), [
        ['knowledge', [28, 812]],
        ['code_review', [0, 280]],
      ]);
    } finally {
      await source.close();
    }
  });

  test('a group\'s daily series and top endpoints take each part\'s categories (issue 15 item 1: no retroactive attribution)', async () => {
    const source = openStoreSource({ path: store, catalog: today, history, readonly: true });
    try {
      // knowledge by day: 11-01..11-14 wiki alone (f 0, m 20); 11-15..11-28 wiki + team_planning
      // (f 2, m 20 + 18 = 38). Today's catalog for every day would add team_planning's f 1, m 19 before.
      const daily = await source.dailyCounts({ window: parseWindow('28d'), at: AT, scope: { group: 'knowledge' } });
      assert.equal(daily.data.length, 28);
      assert.deepEqual(daily.data.map((d) => fm(d.components)), [...Array(14).fill([0, 20]), ...Array(14).fill([2, 38])]);
      // project_management: team_planning + portfolio before (f 1, m 39), portfolio alone after (m 20).
      const pmDaily = await source.dailyCounts({ window: parseWindow('28d'), at: AT, scope: { group: 'project_management' } });
      assert.deepEqual(pmDaily.data.map((d) => fm(d.components)), [...Array(14).fill([1, 39]), ...Array(14).fill([0, 20])]);
      // The renamed group: code_review_ui's days before the 15th are empty (they count for code_review).
      const crDaily = await source.dailyCounts({ window: parseWindow('28d'), at: AT, scope: { group: 'code_review_ui' } });
      assert.deepEqual(crDaily.data.map((d) => fm(d.components)), [...Array(14).fill([0, 0]), ...Array(14).fill([1, 19])]);
      // The days add up to the group's 28-day counts (f 28, m 812).
      assert.deepEqual(daily.data.reduce<[number, number]>(([f, m], d) => [f + fm(d.components)[0], m + fm(d.components)[1]], [0, 0]), [28, 812]);
      // A category's series is the category's, whoever owned it: team_planning f 1 then 2 a day.
      const tp = await source.dailyCounts({ window: parseWindow('28d'), at: AT, scope: { category: 'team_planning' } });
      assert.deepEqual(tp.data.map((d) => fm(d.components)[0]), [...Array(14).fill(1), ...Array(14).fill(2)]);

      // knowledge's endpoints over 28 d: the issues page only from the 15th (14 days x f 2, m 18 =
      // f 28, m 252), the wiki throughout (f 0, m 560); ranked by failures.
      const eps = await source.endpointCounts({ window: parseWindow('28d'), at: AT, scope: { group: 'knowledge' } });
      assert.deepEqual(eps.data.map((r) => [r.endpointId, r.category, failuresOf(r.counts), measurementsOf(r.counts)]), [
        ['Projects::IssuesController#index', 'team_planning', 28, 252],
        ['Projects::WikisController#show', 'wiki', 0, 560],
      ]);
      assert.match(eps.meta.provenance.queries[0]!, /"firstDay":20758,"endDay":20772[\s\S]*"firstDay":20772,"endDay":20786/);
      // The limit applies after the parts are summed.
      const top1 = await source.endpointCounts({ window: parseWindow('28d'), at: AT, scope: { group: 'knowledge' }, limit: 1 });
      assert.deepEqual(top1.data.map((r) => r.endpointId), ['Projects::IssuesController#index']);
      // project_management: the issues page for its first 14 days (14 x f 1, m 19 = f 14, m 266).
      const pm = await source.endpointCounts({ window: parseWindow('28d'), at: AT, scope: { group: 'project_management' } });
      assert.deepEqual(pm.data.map((r) => [r.endpointId, failuresOf(r.counts), measurementsOf(r.counts)]), [
        ['Projects::IssuesController#index', 14, 266],
        ['Groups::EpicsController#index', 0, 560],
      ]);

      // BudgetService's top endpoints: ranked against knowledge's f 28, m 812: the issues page spent
      // 28 x 40,320 / 812 = 1,390.34 min, 100 % of the group's spend (F7, F8).
      const service = new BudgetService(source, today, { catalogHistory: history });
      const top = await service.topEndpoints({ group: 'knowledge' }, { window: '28d', at: AT });
      assert.deepEqual([top.data.total.failures, top.data.total.measurements], [28, 812]);
      const first = top.data.endpoints[0]!;
      assert.equal(first.endpointId, 'Projects::IssuesController#index');
      assert.ok(Math.abs(first.spentMinutes - 40_320 / 29) < 1e-9, String(first.spentMinutes));
    } finally {
      await source.close();
    }
    // Without the history (today's catalog for every day): the issues page's whole 28 days in knowledge.
    const retro = openStoreSource({ path: store, catalog: today, readonly: true });
    try {
      const eps = await retro.endpointCounts({ window: parseWindow('28d'), at: AT, scope: { group: 'knowledge' } });
      assert.deepEqual(eps.data.map((r) => [r.endpointId, failuresOf(r.counts), measurementsOf(r.counts)])[0], ['Projects::IssuesController#index', 42, 518]);
    } finally {
      await retro.close();
    }
  });

  test('without a history, today\'s catalog for every day (the retroactive figures the history avoids)', async () => {
    const source = openStoreSource({ path: store, catalog: today, readonly: true });
    try {
      const { data } = await source.groupCounts({ window: parseWindow('28d'), at: AT });
      assert.deepEqual(Object.fromEntries(data.map((g) => [g.group, fm(g.components)])), {
        code_review_ui: [14, 546],
        knowledge: [42, 1078],
        project_management: [0, 560],
      });
    } finally {
      await source.close();
    }
  });

  test('BudgetService: 28-day figures by hand, meta says what moved; a window before the change uses the catalog of then', async () => {
    const source = openStoreSource({ path: store, catalog: today, history, readonly: true });
    try {
      const service = new BudgetService(source, today, { catalogHistory: history });
      const { data, meta } = await service.groups({ window: '28d', at: AT });
      const g = new Map(data.map((x) => [x.group, x]));
      const close = (a: number | null, b: number): boolean => a !== null && Math.abs(a - b) <= 1e-9;
      assert.equal(g.get('project_management')!.failures, 14);
      assert.equal(g.get('project_management')!.measurements, 826);
      assert.ok(close(g.get('project_management')!.spentMinutes, (14 * 40_320) / 826), String(g.get('project_management')!.spentMinutes));
      assert.equal(g.get('knowledge')!.failures, 28);
      assert.equal(g.get('knowledge')!.measurements, 812);
      assert.ok(close(g.get('knowledge')!.spentMinutes, 40_320 / 29));
      assert.ok(close(g.get('code_review_ui')!.spentMinutes, (14 * 40_320) / 266));
      assert.deepEqual(meta.catalogChanges, [
        { at: '2026-11-15T00:00:00.000Z', kind: 'group_renamed', from: 'code_review', to: 'code_review_ui' },
        { at: '2026-11-15T00:00:00.000Z', kind: 'category_moved', category: 'team_planning', from: 'project_management', to: 'knowledge' },
      ]);
      // 7 days ending 11-08: all before the change: team_planning with project_management, no change in meta.
      const early = await service.groups({ window: '7d', at: new Date('2026-11-08T00:00:00Z') });
      const pm = early.data.find((x) => x.group === 'project_management')!;
      // team_planning 7 x (f 1, m 19) + portfolio 7 x m 20: f 7, m 273
      assert.deepEqual([pm.failures, pm.measurements], [7, 273]);
      assert.equal(early.data.find((x) => x.group === 'knowledge')!.measurements, 140);
      assert.equal(early.meta.catalogChanges, undefined);
      // Categories are what they are: team_planning's own figures span both groups' days.
      const cats = await service.categories(['team_planning'], { window: '28d', at: AT });
      assert.deepEqual([cats.data[0]!.failures, cats.data[0]!.measurements], [42, 518]);
      assert.equal(cats.meta.catalogChanges?.length, 2);
    } finally {
      await source.close();
    }
  });

  test('the monthly report of November: a group in the catalog for part of the month gets its row, the changes are listed', async () => {
    const source = openStoreSource({ path: store, catalog: today, history, readonly: true });
    try {
      const service = new BudgetService(source, today, { catalogHistory: history });
      const { data: report } = await service.report('2026-11');
      const row = (key: string) => report.groups.find((g) => g.group === key)!;
      // The calendar month: 30 days = 43,200 min, budget 0.0005 x 43,200 = 21.6 min. The logs end on
      // the 28th, so the counts are the 28-day ones above.
      // knowledge: f 28, m 812: spent 28 x 43,200 / 812 = 1,489.66 min (43,200 / 29), over budget.
      assert.deepEqual([row('knowledge').failures, row('knowledge').measurements], [28, 812]);
      assert.ok(Math.abs(row('knowledge').spentMinutes! - 43_200 / 29) < 1e-9);
      assert.equal(row('knowledge').action, 'reliability_first');
      assert.equal(row('knowledge').inCatalog, undefined);
      // project_management: f 14, m 826 (team_planning's first 14 days), spent 14 x 43,200 / 826 = 732.20.
      assert.deepEqual([row('project_management').failures, row('project_management').measurements], [14, 826]);
      // The renamed group: code_review until the 15th (f 0, m 280, within budget), code_review_ui from it
      // (f 14, m 266); code_review is no longer in today's catalog but has its row in its stage, not "not in catalog".
      assert.deepEqual([row('code_review').failures, row('code_review').measurements, row('code_review').stage], [0, 280, 'create']);
      assert.deepEqual(row('code_review').inCatalog, { until: '2026-11-15T00:00:00.000Z' });
      assert.equal(row('code_review').action, 'understand_spend');
      assert.deepEqual([row('code_review_ui').failures, row('code_review_ui').measurements], [14, 266]);
      assert.deepEqual(row('code_review_ui').inCatalog, { from: '2026-11-15T00:00:00.000Z' });
      assert.deepEqual(report.catalogChanges, [
        { at: '2026-11-15T00:00:00.000Z', kind: 'group_renamed', from: 'code_review', to: 'code_review_ui' },
        { at: '2026-11-15T00:00:00.000Z', kind: 'category_moved', category: 'team_planning', from: 'project_management', to: 'knowledge' },
      ]);
      const md = renderReportMarkdown(report);
      const lines = md.split('\n');
      assert.ok(lines.includes('## Catalog changes in the month'), md);
      assert.ok(lines.includes('- 2026-11-15T00:00:00.000Z: team_planning moved from project_management to knowledge'), md);
      assert.ok(lines.includes('- 2026-11-15T00:00:00.000Z: group code_review renamed to code_review_ui'), md);
      assert.ok(lines.some((l) => l.startsWith('| Code Review (`code_review`) (in the catalog until 2026-11-15 00:00 UTC) |')), md);
      assert.ok(lines.some((l) => l.startsWith('| Code Review UI (`code_review_ui`) (in the catalog from 2026-11-15 00:00 UTC) |')), md);
      // October (before any change, no data): no changes, no partial groups but today's code_review_ui,
      // which the catalog had only from November 15.
      const { data: october } = await service.report('2026-10');
      assert.equal(october.catalogChanges, undefined);
      assert.deepEqual(october.groups.find((g) => g.group === 'code_review_ui')!.inCatalog, { from: '2026-11-15T00:00:00.000Z' });
      assert.equal(october.groups.find((g) => g.group === 'code_review')!.inCatalog, undefined);
    } finally {
      await source.close();
    }
  });

  test('budget-lens status with catalog.history in .budgetlens.yml: the figures of then and what moved', async () => {
    for (const f of ['stages-2026-11-01.yml', 'stages-2026-11-15.yml', 'feature_categories.yml']) copyFileSync(join(HISTORY_FIXTURES, f), join(dir, f));
    writeFileSync(
      join(dir, '.budgetlens.yml'),
      [
        'catalog:',
        '  stages: stages-2026-11-15.yml',
        '  featureCategories: feature_categories.yml',
        '  history:',
        '    - { from: 2026-11-01, stages: stages-2026-11-01.yml, featureCategories: feature_categories.yml }',
        '    - { from: 2026-11-15, stages: stages-2026-11-15.yml, featureCategories: feature_categories.yml }',
        '',
      ].join('\n'),
    );
    const c = captureIo(dir, {});
    const code = await main(['status', '--group', 'knowledge', '--window', '28d', '--at', '2026-11-29T00:00:00Z', '--store', store], c.io);
    assert.equal(code, 0, c.err());
    const lines = c.out().split('\n');
    // knowledge: f 28, m 812: spent 40,320 / 29 = 1,390.34 min
    assert.ok(lines.some((l) => /^ {2}spent {9}1,?390\.34 min/.test(l)), c.out());
    assert.ok(lines.includes('Catalog changes in the window (each hour counts for the group that owned its category then)'), c.out());
    assert.ok(lines.includes('  2026-11-15T00:00:00.000Z: group code_review renamed to code_review_ui'), c.out());
    assert.ok(lines.includes('  2026-11-15T00:00:00.000Z: team_planning moved from project_management to knowledge'), c.out());
    // A broken history is refused at its file:line before anything is read.
    writeFileSync(join(dir, '.budgetlens.yml'), 'catalog:\n  history:\n    - { from: 2026-11-15, stages: stages-2026-11-15.yml }\n    - { from: 2026-11-01, stages: stages-2026-11-01.yml }\n');
    const bad = captureIo(dir, {});
    assert.notEqual(await main(['status', '--group', 'knowledge', '--store', store], bad.io), 0);
    assert.match(bad.err(), /\.budgetlens\.yml:4:15: catalog\.history\[1\]\.from: 2026-11-01 is before the entry at line 3/);
  });
});
