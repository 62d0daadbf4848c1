/**
 * BudgetService over the real GitLab catalog and an in-memory source (the source is not what
 * these tests are about). Scenario, evaluated at 2026-10-29T00:00Z (28 d window from 10-01):
 *  - project_management / team_planning: domain.md F1/F8 example.
 *      A `Projects::IssuesController#index` on 10-05: w=450 s=440 o=450 e=0 -> f=10, m=900
 *      B `GET /api/:version/projects/:id/issues` on 10-20: w=9550 s=9550 o=9550 e=5 -> f=5, m=19100
 *      total s=9990 w=10000 o=10000 e=5 -> A=0.99925, spent 30.24, remaining -10.08 (F1-F5)
 *  - source_code / source_code_management: w=3000 s=3000 o=3000 e=0 on 10-10 (m=6000, healthy)
 *      plus graphql_query failures (500 apdex failures) that the group ignores (config).
 *      Custom target 99.80 % reviewed 2026-09-30: budget 0.002 * 40320 = 80.64, expired.
 *  - knowledge / wiki: 10-02: w=40000 s=40000 o=40000 e=0; 10-28T23:xx: w=10000 s=9980 o=10000
 *      -> 28 d f=20 m=100000, f/m = 0.0002, remaining fraction 1 - 0.0002/0.0005 = 0.6;
 *      last hour f/m = 20/20000 = 0.001 -> burn rate 2 (F9); F11 0.6 * 28 / 2 = 8.4 d.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog } from '../../../src/sdk/catalog/types';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import { InvalidQueryError, UnknownScopeError } from '../../../src/sdk/contract/serviceErrors';
import { MemorySource, SCENARIO, SCENARIO_AT, gitlabCatalog, scenarioCatalog } from '../../support/builders';

const AT = SCENARIO_AT;

describe('BudgetService', () => {
  let catalog: Catalog;
  let source: MemorySource;
  let service: BudgetService;

  before(async () => {
    catalog = await scenarioCatalog();
    source = new MemorySource(catalog, SCENARIO, () => AT);
    service = new BudgetService(source, catalog, { now: () => AT });
  });

  test('groups: every catalog group, F1-F6 figures, F13 shares, no_data for silent groups', async () => {
    const r = await service.groups();
    assert.equal(r.data.length, catalog.groups.size);
    assert.equal(r.data.length, 81);
    const pm = r.data.find((g) => g.group === 'project_management');
    assert.ok(pm);
    assert.equal(pm.availability, 0.99925);
    assert.equal(pm.budgetMinutes, 20.16);
    assert.equal(pm.spentMinutes, 30.24);
    assert.equal(pm.remainingMinutes, -10.08);
    assert.equal(pm.remainingFraction, -0.5);
    assert.equal(pm.status, 'over_budget');
    // m: pm 20000, source_code 6000 (graphql ignored), knowledge 100000 -> total 126000
    assert.equal(pm.trafficShare, 20000 / 126000);
    const silent = r.data.find((g) => g.group === 'duo_chat');
    assert.equal(silent?.status, 'no_data');
    assert.equal(silent?.availability, null);
    assert.equal(silent?.trafficShare, 0);
    assert.equal(r.meta.window.start, '2026-10-01T00:00:00.000Z');
    assert.equal(r.meta.asOf, '2026-10-29T00:00:00.000Z');
    assert.deepEqual(r.meta.provenance.queries, ['memory:groupCounts(28d)']);
  });

  test('group: ignored components and an expired custom target', async () => {
    const r = await service.group('source_code', { at: AT });
    assert.deepEqual(r.data.ignoredComponents, ['graphql_query']);
    assert.equal(r.data.measurements, 6000);
    assert.equal(r.data.failures, 0);
    assert.equal(r.data.target, '99.80');
    assert.equal(r.data.budgetMinutes, 80.64);
    assert.deepEqual(r.data.customTarget, { target: '99.80', reason: 'Gitaly migration', reviewDate: '2026-09-30', expired: true, expiredBecause: 'review_date' });
    assert.equal(r.data.trafficShare, 6000 / 126000);
  });

  test('a custom target that ends by traffic share: knowledge has 100,000 of 126,000 measurements (79.4 %)', async () => {
    const ct = { target: '99.90', reason: 'search rewrite', reviewDate: '2026-12-31' };
    const withShare = async (trafficShareAbove: string) => {
      const cat = await gitlabCatalog({ defaultTarget: '99.95', groups: { source_code: { ignoredComponents: ['graphql_query'] }, knowledge: { ignoredComponents: [], customTarget: { ...ct, expiresWhen: { trafficShareAbove } } } } });
      const svc = new BudgetService(new MemorySource(cat, SCENARIO, () => AT), cat, { now: () => AT });
      return (await svc.group('knowledge', { at: AT })).data.customTarget;
    };
    // 100,000 / 126,000 = 79.37 %: above 79, not above 80 (the review date, 2026-12-31, is ahead).
    assert.deepEqual(await withShare('79'), { ...ct, expiresWhen: { trafficShareAbove: '79' }, expired: true, expiredBecause: 'traffic_share' });
    assert.deepEqual(await withShare('80'), { ...ct, expiresWhen: { trafficShareAbove: '80' }, expired: false });
  });

  test('a 7d window: budget 5.04 and only the last week counts', async () => {
    const r = await service.group('project_management', { window: '7d', at: AT });
    assert.equal(r.data.budgetMinutes, 5.04);
    assert.equal(r.data.status, 'no_data');
    const k = await service.group('knowledge', { window: '7d', at: AT });
    assert.equal(k.data.measurements, 20000);
    assert.equal(k.data.failures, 20);
  });

  test('categories by name, with their group and stage', async () => {
    const r = await service.categories(['team_planning', 'wiki'], { at: AT });
    assert.deepEqual(r.data.map((c) => [c.category, c.group, c.stage, c.failures, c.measurements]), [
      ['team_planning', 'project_management', 'plan', 15, 20000],
      ['wiki', 'knowledge', 'plan', 20, 100000],
    ]);
  });

  test('top endpoints: F8 order, share and F7 minutes', async () => {
    const r = await service.topEndpoints({ group: 'project_management' }, { at: AT, limit: 5 });
    assert.deepEqual(r.data.scope, { group: 'project_management' });
    assert.equal(r.data.total.failures, 15);
    const [a, b] = r.data.endpoints;
    assert.equal(a?.endpointId, 'Projects::IssuesController#index');
    assert.equal(a?.failures, 10);
    assert.equal(a?.measurements, 900);
    assert.equal(a?.spentMinutes, 20.16); // 10 * 40320 / 20000
    assert.equal(a?.shareOfSpend, 10 / 15);
    assert.equal(b?.endpointId, 'GET /api/:version/projects/:id/issues');
    assert.equal(b?.spentMinutes, 10.08); // 5 * 40320 / 20000
    assert.equal(b?.errors, 5);
    assert.equal(r.data.endpoints.length, 2);
    // Both the scope total and the endpoint query are in the provenance.
    assert.equal(r.meta.provenance.queries.length, 2);
  });

  test('top endpoints skip ignored components', async () => {
    const r = await service.topEndpoints({ category: 'source_code_management' }, { at: AT });
    assert.deepEqual(r.data.endpoints.map((e) => e.endpointId), ['Projects::TreeController#show']);
  });

  test('daily: 28 rows, per-day spend and cumulative spend reaching F4', async () => {
    const r = await service.daily({ group: 'project_management' }, { at: AT });
    assert.equal(r.data.budgetMinutes, 20.16);
    assert.equal(r.data.days.length, 28);
    assert.equal(r.data.days[0]?.date, '2026-10-01');
    const d5 = r.data.days.find((d) => d.date === '2026-10-05');
    assert.deepEqual(d5, { date: '2026-10-05', apdexFailures: 10, errorFailures: 0, measurements: 900, spentMinutes: 20.16, cumulativeSpentMinutes: 20.16 });
    const last = r.data.days.at(-1);
    assert.equal(last?.cumulativeSpentMinutes, 30.24);
  });

  test('burn rates: F9 2.0 in the last hour, F10 thresholds, F11 8.4 days', async () => {
    const r = await service.burnRates({ group: 'knowledge' }, { at: AT });
    assert.deepEqual(
      r.data.map((row) => [row.window, row.burnRate, row.threshold, row.exceeded, row.daysToExhaustion]),
      [
        ['1h', 2, 13.44, false, 8.4],
        ['6h', 2, 5.6, false, 8.4],
        // 3 d: 0.1 * 672 / 72 = 0.9333...
        ['3d', 2, 0.1 * 672 / 72, true, 8.4],
      ],
    );
    // The period, 1h, 6h, 3d, and the alert's short windows 5m and 30m (1h and 6h are shared).
    assert.equal(r.meta.provenance.queries.length, 6);
    // F16: the last hour burns at 2 (20 in 20000): neither tier fires.
    assert.equal(r.alert?.tier, null);
    assert.deepEqual(
      r.alert?.tiers.map((t) => [t.tier, t.long.window, t.long.burnRate, t.short.window, t.threshold, t.fires]),
      [
        ['page', '1h', 2, '5m', 14.4, false],
        ['ticket', '6h', 2, '30m', 6, false],
      ],
    );
  });

  test('monthly report: three months over budget running -> escalate', async () => {
    const r = await service.report('2026-10');
    assert.equal(r.data.month, '2026-10');
    assert.equal(r.data.start, '2026-10-01T00:00:00.000Z');
    assert.equal(r.data.end, '2026-11-01T00:00:00.000Z');
    const pm = r.data.groups.find((g) => g.group === 'project_management');
    // 31 d = 44640 min: budget 0.0005 * 44640 = 22.32, spent 0.00075 * 44640 = 33.48
    assert.equal(pm?.budgetMinutes, 22.32);
    assert.equal(pm?.spentMinutes, 33.48);
    assert.equal(pm?.monthsOverBudgetInRow, 3);
    assert.equal(pm?.action, 'escalate');
    const k = r.data.groups.find((g) => g.group === 'knowledge');
    assert.equal(k?.action, 'understand_spend');
    assert.equal(k?.monthsOverBudgetInRow, 0);
    assert.equal(r.data.groups.find((g) => g.group === 'duo_chat')?.action, 'no_data');
    assert.deepEqual(r.data.significantOverBudget, ['project_management']);
    assert.equal(r.data.investigateSharedCause, false);
    assert.deepEqual(r.data.expiredExceptions, ['source_code']);
  });

  test("a backend's own ignored components (Prometheus: gitlab:ignored_component:stage_group) apply too", async () => {
    // knowledge's only component is rails_request: ignoring it leaves the group without data.
    class IgnoringSource extends MemorySource {
      ignoredCalls = 0;
      async ignoredComponents(): Promise<Array<{ group: string; component: string }>> {
        this.ignoredCalls++;
        return [{ group: 'knowledge', component: 'rails_request' }];
      }
    }
    const ignoring = new IgnoringSource(catalog, SCENARIO, () => AT);
    const svc = new BudgetService(ignoring, catalog, { now: () => AT });
    const k = await svc.group('knowledge');
    assert.deepEqual(k.data.ignoredComponents, ['rails_request']);
    assert.equal(k.data.status, 'no_data');
    const pm = await svc.group('project_management');
    assert.equal(pm.data.measurements, 20000);
    // m: pm 20000 + source_code 6000 (knowledge's 100000 no longer counts) -> 26000
    assert.equal(pm.data.trafficShare, 20000 / 26000);
    assert.equal(ignoring.ignoredCalls, 1, 'the list is reused for a minute');
  });

  test('bad queries name the field; unknown scopes are UnknownScopeError', async () => {
    await assert.rejects(service.groups({ window: '28x' }), (e) => InvalidQueryError.is(e) && e.field === 'window');
    await assert.rejects(service.groups({ window: '0d' }), (e) => InvalidQueryError.is(e) && e.field === 'window');
    await assert.rejects(service.groups({ at: new Date('nope') }), (e) => InvalidQueryError.is(e) && e.field === 'at');
    await assert.rejects(service.topEndpoints({ group: 'project_management' }, { limit: 0 }), (e) => InvalidQueryError.is(e) && e.field === 'limit');
    await assert.rejects(service.report('2026-13'), (e) => InvalidQueryError.is(e) && e.field === 'month');
    await assert.rejects(service.group('nope'), (e) => UnknownScopeError.is(e) && e.kind === 'group');
    await assert.rejects(service.categories(['team_planing']), (e) => UnknownScopeError.is(e) && e.kind === 'category');
    // a near miss says what was probably meant (one edit away in the real catalog)
    await assert.rejects(service.categories(['team_planing']), { message: "unknown category 'team_planing'; did you mean 'team_planning'?" });
    await assert.rejects(service.group('pipeline_executon'), { message: "unknown group 'pipeline_executon'; did you mean 'pipeline_execution'?" });
    await assert.rejects(service.daily({ category: 'nope' }), UnknownScopeError);
  });
});
