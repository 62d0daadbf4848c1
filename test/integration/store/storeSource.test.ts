import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ComponentCounts, SliCounts } from '../../../src/sdk/contract/budgetTypes';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import type { StoreSource } from '../../../src/sdk/store/storeSource';
import { openStoreSource } from '../../../src/sdk/store/storeSource';
import { StoreError } from '../../../src/sdk/store/storeSchema';
import { fakeCatalog } from '../../unit/store/fakeCatalog';
import { loadCatalog } from '../../../src/sdk/catalog/catalogParser';
import { BudgetService } from '../../../src/sdk/service/budgetService';

const catalog = fakeCatalog({ project_management: ['team_planning', 'wiki'], source_code: ['source_code_management'] });

function req(time: string, id: string, category: string | undefined, status: number, duration: number, urgency?: string): string {
  const line: Record<string, unknown> = { time, status, duration_s: duration, 'meta.caller_id': id };
  if (category) line['meta.feature_category'] = category;
  if (urgency) line['request_urgency'] = urgency;
  return JSON.stringify(line);
}

function job(time: string, cls: string, category: string, status: string, duration: number): string {
  return JSON.stringify({ time, class: cls, job_status: status, duration_s: duration, 'meta.feature_category': category, urgency: 'low' });
}

// Numbered as in the comments of the expectations below.
const FILE_A = [
  req('2024-03-03T10:00:00Z', 'A#x', 'team_planning', 200, 0.1), // 1: hour 03-03 10:00
  req('2024-03-03T11:00:00Z', 'A#x', 'team_planning', 200, 0.1), // 2: success
  req('2024-03-04T05:00:00Z', 'A#x', 'team_planning', 500, 0.1), // 3: error
  req('2024-03-04T23:59:59Z', 'B#y', 'team_planning', 200, 0.3, 'high'), // 4: 0.3 >= 0.25, not a success
  req('2024-03-05T10:00:00Z', 'A#x', 'team_planning', 200, 2), // 5: 2 >= 1, not a success
  req('2024-03-05T11:00:00Z', 'A#x', 'team_planning', 500, 0.1), // 6: hour 03-05 11:00
];
const FILE_B = [
  job('2024-03-04T12:00:00Z', 'W', 'team_planning', 'done', 5), // 7: 5 < 300, success
  job('2024-03-05T01:00:00Z', 'W', 'team_planning', 'fail', 1), // 8: error
  req('2024-03-04T01:00:00Z', 'graphql:getWiki', 'wiki', 200, 0.1, 'high'), // 9: success
  req('2024-03-03T20:00:00Z', 'GET /api/:version/projects/:id/repository/tags', 'source_code_management', 500, 0.1), // 10
  req('2024-03-04T02:00:00Z', 'M#m', 'mystery', 200, 0.1), // 11: unlisted category -> not_owned
  req('2024-03-04T03:00:00Z', 'U#u', undefined, 500, 0.1), // 12: no category -> unknown -> not_owned
];

// 2-day window ending 2024-03-05T10:30Z: hour buckets 03-03 11:00 .. 03-05 10:00, so line 1 and
// line 6 are outside; it reads 03-03 11:00-24:00 hourly, 03-04 from the daily rollup, 03-05 hourly.
const WINDOW = { label: '2d', minutes: 2880 };
const AT = new Date('2024-03-05T10:30:00Z');

function c(s: number, w: number, o: number, e: number): SliCounts {
  return { apdexSuccess: s, apdexWeight: w, ops: o, errors: e };
}

function byComponent(components: ComponentCounts[]): Record<string, SliCounts> {
  for (const cc of components) assert.equal(cc.hasErrorSli, true);
  return Object.fromEntries(components.map((cc) => [cc.component, cc.counts]));
}

let dir = '';
let storePath = '';
let source: StoreSource;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bl-store-'));
  storePath = join(dir, 'nested', 'store.db');
  writeFileSync(join(dir, 'a.log'), `${FILE_A.join('\n')}\n`);
  writeFileSync(join(dir, 'b.log.gz'), gzipSync(`${FILE_B.join('\n')}\n`));
  const report = await ingestFiles(storePath, [join(dir, 'a.log'), join(dir, 'b.log.gz')]);
  assert.equal(report.totals.ingested, 2);
  source = openStoreSource({ path: storePath, catalog, readonly: true });
});

after(async () => {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('StoreSource over a real SQLite store', () => {
  test('categoryCounts: lines 2-5 and 7-8 for team_planning (1 and 6 fall outside)', async () => {
    const r = await source.categoryCounts({ window: WINDOW, at: AT, categories: ['team_planning', 'wiki', 'nothing_here'] });
    const got = Object.fromEntries(r.data.map((d) => [d.category, byComponent(d.components)]));
    // rails: 2 (s1 w1 o1) + 3 (o1 e1) + 4 (w1 o1) + 5 (w1 o1) = s1 w3 o4 e1; sidekiq: 7 (s1 w1 o1) + 8 (o1 e1).
    assert.deepEqual(got['team_planning'], { rails_request: c(1, 3, 4, 1), sidekiq_execution: c(1, 1, 2, 1) });
    assert.deepEqual(got['wiki'], { graphql_query: c(1, 1, 1, 0) });
    assert.deepEqual(got['nothing_here'], {});
    assert.equal(r.meta.provenance.kind, 'store');
    assert.equal(r.meta.provenance.source, storePath);
    assert.equal(r.meta.window.start, '2024-03-03T10:30:00.000Z');
    assert.equal(r.meta.window.end, '2024-03-05T10:30:00.000Z');
    assert.equal(r.meta.asOf, '2024-03-05T10:30:00.000Z');
  });

  test('groupCounts: categories roll up to groups; unlisted and unknown go to not_owned', async () => {
    const r = await source.groupCounts({ window: WINDOW, at: AT });
    const got = Object.fromEntries(r.data.map((d) => [d.group, byComponent(d.components)]));
    assert.deepEqual(Object.keys(got).sort(), ['not_owned', 'project_management', 'source_code']);
    assert.deepEqual(got['project_management'], {
      rails_request: c(1, 3, 4, 1),
      sidekiq_execution: c(1, 1, 2, 1),
      graphql_query: c(1, 1, 1, 0),
    });
    assert.deepEqual(got['source_code'], { rails_request: c(0, 0, 1, 1) });
    // 11 (s1 w1 o1) + 12 (o1 e1).
    assert.deepEqual(got['not_owned'], { rails_request: c(1, 1, 2, 1) });
    // Group reads use the category rollups, never the per-endpoint tables.
    for (const q of r.meta.provenance.queries) assert.doesNotMatch(q, /_endpoint/);
  });

  test('coverage warnings when the window reaches past the ingested logs', async () => {
    // Files cover hours 03-03 10:00 .. 03-05 11:00; the 2-day window at 10:30 is inside them.
    const inside = await source.groupCounts({ window: WINDOW, at: AT });
    assert.equal(inside.meta.warnings, undefined);
    const wide = await source.groupCounts({ window: { label: '7d', minutes: 10080 }, at: AT });
    assert.deepEqual(wide.meta.warnings, ["the store's logs start at 2024-03-03T10:00:00.000Z, after the window starts: earlier hours have no data"]);
    const late = await source.groupCounts({ window: WINDOW, at: new Date('2024-03-05T14:00:00Z') });
    assert.deepEqual(late.meta.warnings, [
      "the store's newest logs are from the hour 2024-03-05T11:00:00.000Z, before the window ends: ingest newer logs",
    ]);
    // The last stored hour is 11:00; a window ending 12:30 ends in the 12:00 hour, still in
    // progress when logs rotate: one hour of grace, no warning. Ending 14:00, 12:00 is missing.
    const edge = await source.groupCounts({ window: WINDOW, at: new Date('2024-03-05T12:30:00Z') });
    assert.equal(edge.meta.warnings, undefined);
  });

  test('groupCounts for listed groups, including one without data', async () => {
    const r = await source.groupCounts({ window: WINDOW, at: AT, groups: ['not_owned', 'empty_group'] });
    assert.deepEqual(
      r.data.map((d) => [d.group, byComponent(d.components)]),
      [
        ['not_owned', { rails_request: c(1, 1, 2, 1) }],
        ['empty_group', {}],
      ],
    );
  });

  test('the evaluation time moves the window: at 10:00 takes line 1 and drops line 5', async () => {
    const r = await source.categoryCounts({ window: WINDOW, at: new Date('2024-03-05T10:00:00Z'), categories: ['team_planning'] });
    // rails: 1 (s1 w1 o1) + 2 (s1 w1 o1) + 3 (o1 e1) + 4 (w1 o1) = s2 w3 o4 e1.
    assert.deepEqual(byComponent(r.data[0]?.components ?? []).rails_request, c(2, 3, 4, 1));
  });

  test('endpointCounts: ranked by failures (w - s) + e, ties by id, limit', async () => {
    const r = await source.endpointCounts({ window: WINDOW, at: AT, scope: { group: 'project_management' } });
    // A#x: (2 - 1) + 1 = 2; B#y: (1 - 0) + 0 = 1; W: (1 - 1) + 1 = 1; graphql:getWiki: 0.
    assert.deepEqual(
      r.data.map((d) => d.endpointId),
      ['A#x', 'B#y', 'W', 'graphql:getWiki'],
    );
    const a = r.data[0];
    assert.deepEqual(a?.counts, c(1, 2, 3, 1));
    assert.equal(a?.category, 'team_planning');
    assert.equal(a?.component, 'rails_request');
    assert.equal(a?.urgency, 'default');
    assert.equal(r.data[1]?.urgency, 'high');
    assert.equal(r.data[2]?.component, 'sidekiq_execution');
    const limited = await source.endpointCounts({ window: WINDOW, at: AT, scope: { group: 'project_management' }, limit: 2 });
    assert.deepEqual(
      limited.data.map((d) => d.endpointId),
      ['A#x', 'B#y'],
    );
    const cat = await source.endpointCounts({ window: WINDOW, at: AT, scope: { category: 'wiki' } });
    assert.deepEqual(
      cat.data.map((d) => d.endpointId),
      ['graphql:getWiki'],
    );
    const notOwned = await source.endpointCounts({ window: WINDOW, at: AT, scope: { group: 'not_owned' } });
    assert.deepEqual(notOwned.data.map((d) => [d.endpointId, d.category]).sort(), [
      ['M#m', 'mystery'],
      ['U#u', 'unknown'],
    ]);
  });

  test('endpointCountsById: exactly the asked ids, any category and component; an unknown id has no row', async () => {
    const r = await source.endpointCountsById({ window: WINDOW, at: AT, endpointIds: ['W', 'A#x', 'Nobody#calls', 'graphql:getWiki', 'M#m'] });
    assert.deepEqual(
      r.data.map((d) => [d.endpointId, d.component, d.category]),
      [['A#x', 'rails_request', 'team_planning'], ['M#m', 'rails_request', 'mystery'], ['W', 'sidekiq_execution', 'team_planning'], ['graphql:getWiki', 'graphql_query', 'wiki']],
    );
    // The same counts as the scope's read.
    const scoped = await source.endpointCounts({ window: WINDOW, at: AT, scope: { group: 'project_management' } });
    assert.deepEqual(r.data[0], scoped.data.find((d) => d.endpointId === 'A#x'));
    assert.match(r.meta.provenance.queries[0]!, /endpoint_id IN \(SELECT value FROM json_each\(@endpointIds\)\)/);
    assert.match(r.meta.provenance.queries[0]!, /"endpointIds":"\[\\"W\\",\\"A#x\\"/);
  });

  test('endpointCountsWithPeers: every endpoint of the asked ids\' categories, by id, in one read', async () => {
    const r = await source.endpointCountsWithPeers({ window: WINDOW, at: AT, endpointIds: ['A#x', 'Nobody#calls', 'graphql:getWiki'] });
    // A#x is team_planning's (with B#y and W), graphql:getWiki wiki's only; no other category is read.
    assert.deepEqual(
      r.data.map((d) => [d.endpointId, d.component, d.category]),
      [['A#x', 'rails_request', 'team_planning'], ['B#y', 'rails_request', 'team_planning'], ['W', 'sidekiq_execution', 'team_planning'], ['graphql:getWiki', 'graphql_query', 'wiki']],
    );
    // The same counts as the category's own read and the read by id.
    const scoped = await source.endpointCounts({ window: WINDOW, at: AT, scope: { category: 'team_planning' } });
    for (const row of scoped.data) assert.deepEqual(r.data.find((d) => d.endpointId === row.endpointId), row);
    const byId = await source.endpointCountsById({ window: WINDOW, at: AT, endpointIds: ['A#x', 'graphql:getWiki'] });
    assert.deepEqual(r.data.filter((d) => d.endpointId === 'A#x' || d.endpointId === 'graphql:getWiki'), byId.data);
    assert.equal(r.meta.provenance.queries.length, 1);
    const none = await source.endpointCountsWithPeers({ window: WINDOW, at: AT, endpointIds: ['Nobody#calls'] });
    assert.deepEqual(none.data, []);
  });

  test('BudgetService.endpoints: the one read gives the figures of the read by id then per category', async () => {
    // The same store, once with endpointCountsWithPeers hidden: the service then reads by id and per category.
    const generic = new Proxy(source, { get: (t, p, r) => (p === 'endpointCountsWithPeers' ? undefined : (Reflect.get(t, p, r) as unknown)) });
    assert.equal((generic as Partial<StoreSource>).endpointCountsWithPeers, undefined);
    const ids = ['W', 'A#x', 'B#y', 'Nobody#calls', 'graphql:getWiki', 'M#m', 'U#u', 'GET /api/:version/projects/:id/repository/tags'];
    for (const at of [AT, new Date('2024-03-05T00:00:00Z'), new Date('2024-03-06T12:00:00Z')]) {
      const one = await new BudgetService(source, catalog).endpoints(ids, { at, window: '2d' });
      const two = await new BudgetService(generic, catalog).endpoints(ids, { at, window: '2d' });
      assert.deepEqual(one.data, two.data, at.toISOString());
      assert.deepEqual(one.meta.window, two.meta.window);
    }
    // By hand at AT (2d): A#x has lines 2, 3 and 5: apdex s=1 of w=2 (2 fast, 5 slow; 3's 500 is outside
    // apdex), ops o=3 with e=1 error (3).
    const a = (await new BudgetService(source, catalog).endpoints(['A#x'], { at: AT, window: '2d' })).data.endpoints[0];
    assert.equal(a?.category, 'team_planning');
    assert.deepEqual(a?.counts, c(1, 2, 3, 1));
  });

  test('BudgetService.warmUp (serve, before listening): every category with data in the 28 d window, its top endpoint', async () => {
    // 28 d ending AT holds every line but 6: categories team_planning, wiki, source_code_management,
    // mystery (line 11) and unknown (line 12), one top endpoint each; then F15 for those 5 ids.
    // Top endpoints: mystery M#m, source_code_management's tags route, team_planning A#x (f 2: lines 3 and 5;
    // B#y and W have 1 each; line 6 is after AT),
    // unknown U#u, wiki graphql:getWiki; in the categories' name order.
    const read = await new BudgetService(source, catalog, { now: () => AT }).warmUp();
    assert.deepEqual(read, { categories: 5, endpoints: 5, ids: ['M#m', 'GET /api/:version/projects/:id/repository/tags', 'A#x', 'U#u', 'graphql:getWiki'], at: AT });
    // Before any log: nothing to read, nothing asked.
    const early = new Date('2024-01-01T00:00:00Z');
    assert.deepEqual(await new BudgetService(source, catalog, { now: () => early }).warmUp(), { categories: 0, endpoints: 0, ids: [], at: early });
  });

  test('dailyCounts: one row per UTC day of the window, zero-filled', async () => {
    const r = await source.dailyCounts({ window: WINDOW, at: AT, scope: { category: 'team_planning' } });
    assert.deepEqual(
      r.data.map((d) => [d.date, byComponent(d.components)]),
      [
        // 03-03: line 2 only (line 1 is before the window); no job that day -> zeros.
        ['2024-03-03', { rails_request: c(1, 1, 1, 0), sidekiq_execution: c(0, 0, 0, 0) }],
        // 03-04: lines 3, 4 and 7.
        ['2024-03-04', { rails_request: c(0, 1, 2, 1), sidekiq_execution: c(1, 1, 1, 0) }],
        // 03-05: lines 5 and 8 (line 6 is after the window).
        ['2024-03-05', { rails_request: c(0, 1, 1, 0), sidekiq_execution: c(0, 0, 1, 1) }],
      ],
    );
    const empty = await source.dailyCounts({ window: WINDOW, at: AT, scope: { group: 'empty_group' } });
    assert.deepEqual(
      empty.data.map((d) => [d.date, d.components.length]),
      [
        ['2024-03-03', 0],
        ['2024-03-04', 0],
        ['2024-03-05', 0],
      ],
    );
  });

  test('an aborted signal rejects', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(source.groupCounts({ window: WINDOW, at: AT, signal: ac.signal }), /stop/);
  });

  test('read-only open of a missing store is a StoreError naming the path', () => {
    const missing = join(dir, 'missing.db');
    assert.throws(
      () => openStoreSource({ path: missing, catalog, readonly: true }),
      (e: unknown) => StoreError.is(e) && e.message.includes(missing),
    );
  });

  test('a file that is not a store is a StoreError, not a crash', () => {
    const bogus = join(dir, 'bogus.db');
    writeFileSync(bogus, 'this is not sqlite '.repeat(100));
    assert.throws(() => openStoreSource({ path: bogus, catalog }), (e: unknown) => StoreError.is(e) && e.message.includes(bogus));
  });
});

describe('StoreSource with the real GitLab catalog (catalog/gitlab)', () => {
  test('categories roll up to the real groups; unlisted and unknown to not_owned', async () => {
    const fixtures = join(__dirname, '../../../catalog/gitlab');
    const real = await loadCatalog({ stagesPath: join(fixtures, 'stages.yml'), featureCategoriesPath: join(fixtures, 'feature_categories.yml') });
    const src = openStoreSource({ path: storePath, catalog: real, readonly: true });
    try {
      const r = await src.groupCounts({ window: WINDOW, at: AT });
      const got = Object.fromEntries(r.data.map((d) => [d.group, byComponent(d.components)]));
      // team_planning -> project_management, wiki -> knowledge (separate groups in the real catalog).
      assert.deepEqual(got['project_management'], { rails_request: c(1, 3, 4, 1), sidekiq_execution: c(1, 1, 2, 1) });
      assert.deepEqual(got['knowledge'], { graphql_query: c(1, 1, 1, 0) });
      assert.deepEqual(got['source_code'], { rails_request: c(0, 0, 1, 1) });
      assert.deepEqual(got['not_owned'], { rails_request: c(1, 1, 2, 1) });
      const wiki = await src.endpointCounts({ window: WINDOW, at: AT, scope: { group: 'knowledge' } });
      assert.deepEqual(
        wiki.data.map((d) => d.endpointId),
        ['graphql:getWiki'],
      );
    } finally {
      await src.close();
    }
  });
});
