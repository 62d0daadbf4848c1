/**
 * The Prometheus source against a real backend, parametrised by how the backend is started, so
 * the same tests run against Prometheus and VictoriaMetrics. One server per test file, loaded with
 * scenario.ts. Availability is checked against GitLab's own dashboard query run on the same server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { computeBudget } from '../../../src/sdk/budget/budgetMath';
import { WINDOW_28D, WINDOW_7D } from '../../../src/sdk/budget/window';
import { parseCatalog } from '../../../src/sdk/catalog/catalogParser';
import type { Catalog } from '../../../src/sdk/catalog/types';
import type { BudgetSource } from '../../../src/sdk/contract/budgetSource';
import type { ComponentCounts } from '../../../src/sdk/contract/budgetTypes';
import { PrometheusClient, PrometheusError } from '../../../src/sdk/sources/prometheusClient';
import { createPrometheusSource } from '../../../src/sdk/sources/prometheusSource';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import type { MetricsServer } from '../../support/prometheusServer';
import { AT, DAY, GROUPS, SELECTORS, STEP, gitlabAvailabilityQuery, scenarioSeries } from './scenario';
import type { Series } from '../../support/seriesBuilders';

const at = new Date(AT * 1000);
const past = new Date((AT - 7 * DAY) * 1000);

function loadRealCatalog(): Catalog {
  const stages = 'catalog/gitlab/stages.yml';
  return parseCatalog(readFileSync(stages, 'utf8'), stages);
}

function availability(components: ComponentCounts[], ignored: string[]): number | null {
  return computeBudget(components, { target: '99.95', window: WINDOW_28D, ignoredComponents: ignored }).availability;
}

function assertClose(actual: number | null | undefined, expected: number, tol: number, what: string): void {
  assert.ok(typeof actual === 'number', `${what}: expected a number, got ${String(actual)}`);
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} != ${expected} (tol ${tol})`);
}

export function defineSourceSuite(name: string, start: (series: readonly Series[]) => Promise<MetricsServer>): void {
  describe(`Prometheus source against a real ${name}`, () => {
    let server: MetricsServer;
    let source: BudgetSource;
    let client: PrometheusClient;
    const catalog = loadRealCatalog();

    before(async () => {
      server = await start(scenarioSeries());
      source = createPrometheusSource({ url: server.url, selectors: SELECTORS, evaluationIntervalSeconds: STEP, timeoutMs: 10_000 });
      client = new PrometheusClient({ url: server.url });
    });
    after(async () => {
      await source?.close();
      await server?.stop();
    });

    async function gitlabAvailability(group: string, when: Date): Promise<number> {
      const ans = await client.query(gitlabAvailabilityQuery(group), when);
      assert.equal(ans.result.length, 1, `GitLab's query returned ${ans.result.length} series for ${group}`);
      return ans.result[0]!.value;
    }

    test('each group availability equals GitLab dashboard query to 1e-9, now and 7 days ago', async () => {
      const ignored = await source.ignoredComponents!({ at });
      assert.deepEqual(ignored, [{ group: 'project_management', component: 'graphql_query' }]);
      for (const when of [at, past]) {
        const res = await source.groupCounts({ window: WINDOW_28D, at: when });
        assert.deepEqual(
          res.data.map((g) => g.group),
          GROUPS,
        );
        for (const g of res.data) {
          const own = availability(
            g.components,
            ignored.filter((i) => i.group === g.group).map((i) => i.component),
          );
          assertClose(own, await gitlabAvailability(g.group, when), 1e-9, `${g.group} at ${when.toISOString()}`);
        }
      }
    });

    test('an evaluation time in the past gives different numbers (the incident is after it)', async () => {
      const now = await source.groupCounts({ window: WINDOW_28D, at, groups: ['project_management'] });
      const before7d = await source.groupCounts({ window: WINDOW_28D, at: past, groups: ['project_management'] });
      const rails = (r: typeof now) => r.data[0]!.components.find((c) => c.component === 'rails_request')!.counts;
      // IssuesController#index errors 0.005/s in phase A, 0.05/s in phase B; the API endpoint 0.001/s always.
      // At AT: (0.005+0.001)*1814400 + (0.05+0.001)*604800 = 10886.4 + 30844.8 = 41731.2
      assertClose(rails(now).errors, 41731.2, 1e-9, 'rails errors now');
      // At AT-7d: (0.005+0.001)*2419200 = 14515.2
      assertClose(rails(before7d).errors, 14515.2, 1e-9, 'rails errors 7 days ago');
      // Without the selectors gstg's series (50x the errors) are summed in: 41731.2 * 51 = 2128291.2.
      const everywhere = createPrometheusSource({ url: server.url, evaluationIntervalSeconds: STEP });
      assertClose(rails(await everywhere.groupCounts({ window: WINDOW_28D, at, groups: ['project_management'] })).errors, 2_128_291.2, 1e-9, 'no selectors');
      assert.equal(now.meta.asOf, '2026-06-01T00:00:00.000Z');
      assert.equal(before7d.meta.window.start, '2026-04-27T00:00:00.000Z');
    });

    test('ignored component is excluded: GitLab agrees only when graphql_query is left out', async () => {
      const res = await source.groupCounts({ window: WINDOW_28D, at, groups: ['project_management'] });
      const comps = res.data[0]!.components;
      assert.ok(comps.some((c) => c.component === 'graphql_query'), 'the source still reports the raw graphql counts');
      const gitlab = await gitlabAvailability('project_management', at);
      assertClose(availability(comps, ['graphql_query']), gitlab, 1e-9, 'without graphql');
      const withGraphql = availability(comps, [])!;
      assert.ok(gitlab - withGraphql > 0.01, `graphql's 1.5/s failures would lower availability: ${withGraphql} vs ${gitlab}`);
    });

    test('a component without any error series has hasErrorSli false, others true', async () => {
      const res = await source.groupCounts({ window: WINDOW_28D, at, groups: ['source_code'] });
      const byComp = new Map(res.data[0]!.components.map((c) => [c.component, c]));
      assert.equal(byComp.get('sidekiq_execution')?.hasErrorSli, false);
      assert.equal(byComp.get('sidekiq_execution')?.counts.errors, 0);
      assert.equal(byComp.get('rails_request')?.hasErrorSli, true);
      // PostReceive ops 8/s: 8*2419200 = 19353600, reported though it has no error SLI.
      assertClose(byComp.get('sidekiq_execution')?.counts.ops, 19_353_600, 1e-9, 'sidekiq ops');
      const eps = await source.endpointCounts({ window: WINDOW_28D, at, scope: { group: 'source_code' } });
      const postReceive = eps.data.find((e) => e.endpointId === 'PostReceive');
      assert.equal(postReceive?.hasErrorSli, false);
      assert.equal(eps.data.find((e) => e.endpointId === 'Projects::BlobController#show')?.hasErrorSli, true);
    });

    test('top endpoints come back in failure order; the order changes with the evaluation time', async () => {
      const now = await source.endpointCounts({ window: WINDOW_28D, at, scope: { group: 'project_management' } });
      assert.deepEqual(
        now.data.map((e) => e.endpointId),
        ['graphql:getIssues', 'Projects::IssuesController#index', 'WorkItems::CopyTimelogsWorker', 'GET /api/:version/projects/:id/issues'],
      );
      const p1 = now.data[1]!;
      assert.equal(p1.component, 'rails_request');
      assert.equal(p1.category, 'team_planning');
      assert.equal(p1.urgency, 'low');
      // f = (w - s) + e = 117936 (scenario.ts)
      assertClose(p1.counts.apdexWeight - p1.counts.apdexSuccess + p1.counts.errors, 117_936, 1e-9, 'P1 failures');
      const worker = now.data[2]!;
      assert.equal(worker.component, 'sidekiq_execution');
      assert.equal(worker.urgency, 'high');

      const then = await source.endpointCounts({ window: WINDOW_28D, at: past, scope: { group: 'project_management' }, limit: 3 });
      assert.deepEqual(
        then.data.map((e) => e.endpointId),
        ['graphql:getIssues', 'WorkItems::CopyTimelogsWorker', 'Projects::IssuesController#index'],
      );
    });

    test('endpoints by id: endpoint_id or worker, the same counts as the scope read, one PromQL per counter kind', async () => {
      const ids = ['WorkItems::CopyTimelogsWorker', 'Projects::IssuesController#index', 'Nobody#calls'];
      const byId = await source.endpointCountsById({ window: WINDOW_28D, at, endpointIds: ids });
      const scoped = await source.endpointCounts({ window: WINDOW_28D, at, scope: { group: 'project_management' } });
      assert.deepEqual(byId.data.map((e) => e.endpointId).sort(), ['Projects::IssuesController#index', 'WorkItems::CopyTimelogsWorker']);
      for (const e of byId.data) assert.deepEqual(e, scoped.data.find((s) => s.endpointId === e.endpointId && s.component === e.component));
      assert.equal(byId.meta.provenance.queries.length, 4);
      assert.match(byId.meta.provenance.queries[0]!, /endpoint_id=~"Nobody#calls\|Projects::IssuesController#index\|WorkItems::CopyTimelogsWorker"/);
      assert.match(byId.meta.provenance.queries[0]!, / or sum_over_time\(application_sli_aggregation:rails_request:apdex:success:rate_1h\{[^}]*worker=~/);
      // The service's F15 on this source: #index's minutes and share are of team_planning's spend.
      const service = new BudgetService(source, catalog);
      const [index] = (await service.endpoints(['Projects::IssuesController#index'], { window: '28d', at })).data.endpoints;
      const tp = (await service.categories(['team_planning'], { window: '28d', at })).data[0]!;
      assert.equal(index?.category, 'team_planning');
      assert.equal(index?.categoryFailures, tp.failures);
      assertClose(index?.spentMinutes, (index!.failures * 40_320) / tp.measurements, 1e-12, '#index minutes');
      assert.equal(index?.rank, 1);
    });

    test('a group scope narrowed by the catalog equals the one joined on the mapping series', async () => {
      const withCatalog = createPrometheusSource({ url: server.url, selectors: SELECTORS, evaluationIntervalSeconds: STEP, catalog });
      const a = await withCatalog.endpointCounts({ window: WINDOW_28D, at, scope: { group: 'pipeline_execution' } });
      const b = await source.endpointCounts({ window: WINDOW_28D, at, scope: { group: 'pipeline_execution' } });
      assert.deepEqual(
        a.data.map((e) => e.endpointId),
        ['Projects::PipelinesController#index', 'Ci::BuildFinishedWorker'],
      );
      assert.deepEqual(a.data, b.data);
      assert.match(a.meta.provenance.queries[0]!, /feature_category=~"code_testing\|continuous_integration\|job_artifacts\|merge_trains\|pipeline_reports\|review_apps"/);
      assert.match(b.meta.provenance.queries[0]!, /and on \(feature_category\) gitlab:feature_category:stage_group:mapping\{stage_group=~"pipeline_execution"\}/);
    });

    test('category counts add up to their group, and provenance lists the 4 PromQL sent', async () => {
      const cats = await source.categoryCounts({ window: WINDOW_28D, at, categories: ['team_planning', 'service_desk'] });
      const group = await source.groupCounts({ window: WINDOW_28D, at, groups: ['project_management'] });
      const sum = (cs: ComponentCounts[]) => cs.reduce((acc, c) => acc + c.counts.apdexWeight + c.counts.ops, 0);
      const catTotal = cats.data.reduce((acc, c) => acc + sum(c.components), 0);
      assertClose(catTotal, sum(group.data[0]!.components), 1e-9, 'm of categories vs group');
      assert.equal(cats.meta.provenance.kind, 'promql');
      assert.equal(cats.meta.provenance.source, server.url);
      assert.equal(cats.meta.provenance.queries.length, 4);
      assert.equal(
        cats.meta.provenance.queries[0],
        'sum by (feature_category, component) (sum_over_time(gitlab:component:feature_category:execution:apdex:success:rate_1h{environment="gprd",stage="main",monitor="global",feature_category=~"service_desk|team_planning"}[28d])) * 1800',
      );
      const unknown = await source.categoryCounts({ window: WINDOW_28D, at, categories: ['no_such_category'] });
      assert.deepEqual(unknown.data, [{ category: 'no_such_category', components: [] }]);
    });

    test('daily counts: one row per UTC day, oldest first, adding up to the window', async () => {
      for (const when of [at, new Date(at.getTime() - 6 * 3600_000)]) {
        const daily = await source.dailyCounts({ window: WINDOW_28D, at: when, scope: { group: 'project_management' } });
        const total = await source.groupCounts({ window: WINDOW_28D, at: when, groups: ['project_management'] });
        const aligned = when === at;
        // Midnight-aligned: 28 whole days 2026-05-04..05-31; 6 h earlier: 29 days, clipped at both ends.
        assert.equal(daily.data.length, aligned ? 28 : 29);
        assert.equal(daily.data[0]!.date, aligned ? '2026-05-04' : '2026-05-03');
        assert.equal(daily.data.at(-1)!.date, '2026-05-31');
        for (const c of ['rails_request', 'sidekiq_execution', 'graphql_query']) {
          const want = total.data[0]!.components.find((x) => x.component === c)!.counts;
          const got = daily.data.flatMap((d) => d.components.filter((x) => x.component === c)).reduce((acc, x) => acc + x.counts.errors, 0);
          assertClose(got, want.errors, 1e-9, `${c} errors summed over days at ${when.toISOString()}`);
        }
      }
      const daily = await source.dailyCounts({ window: WINDOW_7D, at, scope: { category: 'team_planning' } });
      const rails = (d: (typeof daily.data)[number]) => d.components.find((c) => c.component === 'rails_request')!.counts.errors;
      // Phase B (last 7 days): (0.05 + 0.001) errors/s * 86400 s = 4406.4 per day
      assert.equal(daily.data.length, 7);
      for (const d of daily.data) assertClose(rails(d), 4406.4, 1e-9, `errors on ${d.date}`);
    });

    test('raw-counter mode: increase() over gitlab_sli_* counters, a reset included (F14)', async () => {
      const raw = createPrometheusSource({ url: server.url, mode: 'raw', selectors: SELECTORS, catalog });
      const cats = await raw.categoryCounts({ window: WINDOW_28D, at, categories: ['team_planning', 'continuous_integration'] });
      const byCat = new Map(cats.data.map((c) => [c.category, c.components]));
      // 900 s steps, 2688 in 28 d (2016 of phase A, 672 of phase B). Rails: w 100/step * 2688 = 268800; s 99*2016 + 90*672 = 260064; e 1*2016 + 5*672 = 5376.
      assert.deepEqual(byCat.get('team_planning'), [
        { component: 'rails_request', counts: { apdexSuccess: 260_064, apdexWeight: 268_800, ops: 268_800, errors: 5376 }, hasErrorSli: true },
      ]);
      // Sidekiq restarts inside the window; F14 counts the post-reset value: w 40*2688 = 107520, e 2*2688 = 5376.
      assert.deepEqual(byCat.get('continuous_integration'), [
        { component: 'sidekiq_execution', counts: { apdexSuccess: 104_832, apdexWeight: 107_520, ops: 107_520, errors: 5376 }, hasErrorSli: true },
      ]);
      const groups = await raw.groupCounts({ window: WINDOW_28D, at: past, groups: ['project_management'] });
      // 7 days earlier, all phase A: s 99*2688 = 266112, e 2688.
      assert.deepEqual(groups.data[0]!.components[0]!.counts, { apdexSuccess: 266_112, apdexWeight: 268_800, ops: 268_800, errors: 2688 });
      assert.match(groups.meta.provenance.queries[0]!, /^\(label_replace\(sum by \(feature_category\) \(increase\(gitlab_sli_rails_request_apdex_success_total\{/);
      const eps = await raw.endpointCounts({ window: WINDOW_28D, at, scope: { category: 'continuous_integration' } });
      assert.deepEqual(
        eps.data.map((e) => [e.endpointId, e.component, e.urgency]),
        [['Ci::BuildFinishedWorker', 'sidekiq_execution', 'low']],
      );
    });

    test('BudgetService on this source: group budgets agree with GitLab dashboard query', async () => {
      const service = new BudgetService(source, catalog);
      for (const group of GROUPS) {
        const res = await service.group(group, { window: '28d', at });
        assertClose(res.data.availability, await gitlabAvailability(group, at), 1e-9, `service ${group}`);
        assert.equal(res.data.budgetMinutes, 20.16);
      }
      const top = await service.topEndpoints({ group: 'project_management' }, { window: '28d', at });
      // graphql_query is ignored by the group: its endpoint does not rank first any more.
      assert.equal(top.data.endpoints[0]?.endpointId, 'Projects::IssuesController#index');
    });

    test('raw-counter daily counts add up to the raw window counts', async () => {
      const raw = createPrometheusSource({ url: server.url, mode: 'raw', selectors: SELECTORS, catalog });
      const daily = await raw.dailyCounts({ window: WINDOW_7D, at, scope: { category: 'team_planning' } });
      assert.equal(daily.data.length, 7);
      // Phase B: 5 errors per 900 s step, 96 steps a day = 480 errors per day.
      for (const d of daily.data) assert.equal(d.components[0]?.counts.errors, 480, d.date);
      assert.match(daily.meta.provenance.queries[0]!, /increase\(gitlab_sli_rails_request_apdex_success_total\{[^}]*\}\[1d\]\)/);
    });

    test('a query the server rejects surfaces as a typed error with errorType and URL', async () => {
      await assert.rejects(client.query('sum(', at), (e: unknown) => {
        assert.ok(PrometheusError.is(e));
        assert.equal(e.kind, 'query');
        // Prometheus: HTTP 400 bad_data; VictoriaMetrics: HTTP 422 with errorType "422".
        assert.ok(e.details.status === 400 || e.details.status === 422, `status ${e.details.status}`);
        assert.ok(e.details.errorType && e.details.errorType !== 'unknown', `errorType ${e.details.errorType}`);
        assert.match(e.message, /rejected the query/);
        assert.equal(e.url, `${server.url}/api/v1/query`);
        return true;
      });
      // A selector label that is not a valid label name makes every query of the source invalid.
      const bad = createPrometheusSource({ url: server.url, selectors: { 'not a label': 'x' } });
      await assert.rejects(bad.groupCounts({ window: WINDOW_28D, at }), (e: unknown) => PrometheusError.is(e) && e.kind === 'query');
    });
  });
}
