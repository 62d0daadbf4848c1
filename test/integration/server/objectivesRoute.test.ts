/**
 * `GET /api/v1/objectives` and `/api/v1/objectives/{name}` over HTTP against a real Prometheus
 * (Debian's 2.42, backfilled; the series and their hand numbers in
 * test/integration/objectives/objectiveSeries.ts), through the one opener the CLI and the editor
 * use (openNetworkBackend), a real BudgetServer and BudgetApiClient: answers validated against
 * the schema the served OpenAPI document publishes, the burn-down counted by hand, 404 with
 * "did you mean", one failing objective beside the others.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020';
import { openNetworkBackend } from '../../../src/sdk/backend/openBackend';
import { BudgetApiClient } from '../../../src/sdk/client/budgetApiClient';
import { NotFoundError } from '../../../src/sdk/client/clientErrors';
import type { ApiResult, MonthlyReport } from '../../../src/sdk/contract/apiTypes';
import { renderReportMarkdown } from '../../../src/sdk/report/reportMarkdown';
import type { ObjectiveBudget, ObjectiveDetail } from '../../../src/sdk/contract/objectiveTypes';
import type { ObjectiveSpec } from '../../../src/sdk/objectives/spec';
import { BudgetServer } from '../../../src/sdk/server/budgetServer';
import { scenarioCatalog } from '../../support/builders';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import { API_SLICES, AT, STARTS, objectiveSeries, startupUnder } from '../objectives/objectiveSeries';

const ROOT = '/work/project';
const at = (spec: ObjectiveSpec, line: number): ObjectiveSpec => ({ ...spec, location: { file: `${ROOT}/slo/objectives.yaml`, line, column: 3 } });
const OBJECTIVES = [at(STARTS, 4), at(startupUnder('128'), 20), at(startupUnder('120'), 40), at(API_SLICES, 60)];

const near = (a: number | null | undefined, b: number): void => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

describe('GET /api/v1/objectives on a real Prometheus', () => {
  let prom: MetricsServer;
  let server: BudgetServer;
  let base: string;
  let client: BudgetApiClient;
  const get = async (path: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(base + path);
    return { status: res.status, body: await res.json() };
  };
  before(async () => {
    prom = await startPrometheus(objectiveSeries());
    const opened = openNetworkBackend({ kind: 'prometheus', url: prom.url }, { catalog: await scenarioCatalog(), objectives: () => OBJECTIVES, workspaceRoot: ROOT });
    server = new BudgetServer({ api: opened.api, sourceKind: 'prometheus', log: () => {}, onClose: () => opened.close() });
    base = await server.listen(0);
    client = new BudgetApiClient({ baseUrl: base, retries: 0 });
  });
  after(async () => {
    await server?.close();
    await prom?.stop();
  });

  test('every objective, validated against the OpenAPI document served; one refused beside the others', async () => {
    const r = await get(`/api/v1/objectives?at=${AT}`);
    assert.equal(r.status, 200);
    const doc = (await get('/api/v1/openapi.json')).body as {
      paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> } }>;
      components: { schemas: Record<string, object> };
    };
    const ref = doc.paths['/api/v1/objectives']?.get.responses['200']?.content?.['application/json']?.schema.$ref;
    assert.equal(ref, '#/components/schemas/ObjectiveList');
    assert.ok(doc.paths['/api/v1/objectives/{name}']?.get.responses['404'], 'the one-objective route documents its 404');
    const validate = new Ajv2020({ allowUnionTypes: true, strictTypes: false }).compile(doc.components.schemas['ObjectiveList']!);
    assert.ok(validate(r.body), JSON.stringify(validate.errors));

    const body = r.body as ApiResult<ObjectiveBudget[]>;
    assert.deepEqual(
      body.data.map((o) => o.name),
      ['workspace-starts', 'workspace-start-under-128s', 'workspace-start-under-120s', 'api-latency-share'],
    );
    const [starts, under128, under120, slices] = body.data;
    // 15 failures of 10,000 starts at 99.8 %: budget 20, 5 left (objectiveSeries.ts 1).
    assert.deepEqual(starts!.figures && [starts!.figures.method, starts!.figures.sli, starts!.figures.remainingFraction, starts!.figures.status], ['Occurrences', 0.9985, 0.25, 'healthy']);
    assert.deepEqual(starts!.definedAt, { file: 'slo/objectives.yaml', line: 4 });
    assert.equal(starts!.sli, 'ratio bad/total');
    assert.equal(starts!.burnRate1h, 15);
    assert.deepEqual(starts!.range, { start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z', minutes: 40320 });
    // 188 of 200 under 128 s at 95 %: budget 10, 12 bad, -2 left: (10 - 12) / 10 = -0.2.
    near(under128!.figures?.remainingFraction, -0.2);
    // 120 s is no bucket bound: refused, the others unaffected.
    assert.equal(under120!.figures, null);
    assert.equal(under120!.range, null);
    assert.deepEqual(under120!.error, { code: 'not_a_bucket_bound', message: '120 s is not a bucket bound of gitpod_ws_manager_workspace_startup_seconds; nearest: 64, 128' });
    // 3 bad of 278 counted 5-minute slices at 99 %: 2.78 slices of budget, 1 - 3 / 2.78.
    assert.equal(slices!.figures?.method, 'Timeslices');
    near(slices!.figures?.remainingFraction, 1 - 3 / 2.78);
    assert.equal(slices!.sliceMinutes, 5);

    assert.equal(body.meta.asOf, '2026-03-01T00:00:00.000Z');
    assert.deepEqual(body.meta.window, { label: '28d, 1d', minutes: 40320, start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z' });
    assert.deepEqual([body.meta.provenance.kind, body.meta.provenance.source], ['promql', prom.url]);
    assert.ok(body.meta.provenance.queries.includes('sum(increase(gitpod_ws_manager_workspace_starts_failure_total[28d]))'));
  });

  test('names= narrows and orders; an unknown name is a 404 with "did you mean"', async () => {
    const two = await client.objectives({ names: ['api-latency-share', 'workspace-starts'], at: new Date(AT) });
    assert.deepEqual(two.data.map((o) => o.name), ['api-latency-share', 'workspace-starts']);
    const r = await get(`/api/v1/objectives?names=workspace-starts,workspace-start&at=${AT}`);
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, { error: { code: 'unknown_objective', message: "unknown objective 'workspace-start'; did you mean 'workspace-starts'?", field: 'name' } });
    const empty = await get('/api/v1/objectives?names=a,,b');
    assert.equal(empty.status, 400);
    await assert.rejects(client.objective('workspace-strats', { at: new Date(AT) }), (e) => e instanceof NotFoundError && e.status === 404 && /did you mean 'workspace-starts'/.test(e.message));
  });

  test('/objectives/{name}: the burn-down of whole UTC days from one 1-day range query per part', async () => {
    const d = await client.objective('workspace-starts', { at: new Date(AT) });
    const o: ObjectiveDetail = d.data;
    // Feb 1 .. Feb 28: 28 whole days, the window [Feb 1, Mar 1) exactly.
    assert.equal(o.burnDown.length, 28);
    assert.deepEqual([o.burnDown[0]!.day, o.burnDown[0]!.end, o.burnDown[27]!.day, o.burnDown[27]!.end], ['2026-02-01', '2026-02-02T00:00:00.000Z', '2026-02-28', '2026-03-01T00:00:00.000Z']);
    // Day 1: starts hour 0 +520, hours 1..23 +14 -> 842; failures hour 10 +12.
    // Budget so far 0.002 x 842 = 1.684, left 1.684 - 12 = -10.316 -> -10.316 / 1.684.
    assert.equal(o.burnDown[0]!.spent, 12);
    near(o.burnDown[0]!.remainingFraction, -10.316 / 1.684);
    // After Feb 27: 842 + 26 x 336 = 9,578 starts, 12 bad: budget 19.156, 7.156 left.
    near(o.burnDown[26]!.remainingFraction, 7.156 / 19.156);
    assert.deepEqual(o.burnDown.slice(1, 27).map((p) => p.spent), Array(26).fill(0));
    // Feb 28: 23 x 14 + 100 = 422 starts, 3 bad -> 10,000 and 15: 5 of 20 left, as the figures say.
    assert.equal(o.burnDown[27]!.spent, 3);
    assert.equal(o.burnDown[27]!.remainingFraction, 0.25);
    assert.equal(o.burnDown[27]!.remainingFraction, o.figures?.remainingFraction);
    const daily = o.queries.filter((q) => q.window === '1d');
    assert.deepEqual(
      daily.map((q) => [q.role, q.kind, q.stepSeconds, q.query]),
      [
        ['bad', 'range', 86400, 'sum(increase(gitpod_ws_manager_workspace_starts_failure_total[1d]))'],
        ['total', 'range', 86400, 'sum(increase(gitpod_ws_manager_workspace_starts_total[1d]))'],
      ],
    );
  });

  test('a window that is not whole UTC days: partial first and last days by one instant query each', async () => {
    // at Feb 28 22:00: [Jan 31 22:00, Feb 28 22:00). Jan 31: no sample before Feb 1 00:00, no events.
    // Feb 1 .. Feb 27 whole (842, then 336 a day); Feb 28 00:00-22:00: 22 x 14 = 308 starts, no failure.
    const d = await client.objective('workspace-starts', { at: new Date('2026-02-28T22:00:00Z') });
    const p = d.data.burnDown;
    assert.equal(p.length, 29);
    assert.deepEqual([p[0]!.day, p[0]!.end, p[0]!.remainingFraction, p[0]!.spent], ['2026-01-31', '2026-02-01T00:00:00.000Z', null, 0]);
    assert.deepEqual([p[28]!.day, p[28]!.end, p[28]!.spent], ['2026-02-28', '2026-02-28T22:00:00.000Z', 0]);
    // 9,578 + 308 = 9,886 starts, 12 bad: budget 19.772, 7.772 left.
    near(p[28]!.remainingFraction, 7.772 / 19.772);
    const burnDownQueries = d.data.queries.filter((q) => q.window === '1d' || q.window === '2h' || q.window === '22h');
    // Each request carries both parts (joined with `or`), each explained alone: the 1-day range
    // query, then one instant query per partial day (Jan 31 22:00-24:00, Feb 28 00:00-22:00).
    assert.deepEqual(
      burnDownQueries.map((q) => [q.role, q.kind, q.window]),
      [
        ['bad', 'range', '1d'],
        ['total', 'range', '1d'],
        ['bad', 'instant', '2h'],
        ['total', 'instant', '2h'],
        ['bad', 'instant', '22h'],
        ['total', 'instant', '22h'],
      ],
    );
  });

  test('a Timeslices burn-down: the figures\' range queries, the day\'s bad slices', async () => {
    const d = await client.objective('api-latency-share', { at: new Date(AT) });
    // The 1-day window is Feb 28 exactly: one point, 3 bad slices, as the figures.
    assert.deepEqual(d.data.burnDown.map((p) => [p.day, p.spent]), [['2026-02-28', 3]]);
    near(d.data.burnDown[0]!.remainingFraction, 1 - 3 / 2.78);
  });

  test('the monthly report of February 2026 reads each objective over the month, in its Objectives section', async () => {
    // February 2026 is [Feb 1, Mar 1): the 28 days of the objective's window at AT, so the same
    // 15 bad of 10,000 starts (budget 20, 5 left); 188 of 200 under 128 s (-2 of 10 left).
    const r = await get('/api/v1/report?month=2026-02');
    assert.equal(r.status, 200);
    const doc = (await get('/api/v1/openapi.json')).body as { components: { schemas: Record<string, object> } };
    const validate = new Ajv2020({ allowUnionTypes: true, strictTypes: false }).compile(doc.components.schemas['MonthlyReport']!);
    assert.ok(validate(r.body), JSON.stringify(validate.errors));
    const report = (r.body as ApiResult<MonthlyReport>).data;
    assert.deepEqual(report.objectives?.map((o) => [o.name, o.error?.code]), [
      ['workspace-starts', undefined],
      ['workspace-start-under-128s', undefined],
      ['workspace-start-under-120s', 'not_a_bucket_bound'],
      ['api-latency-share', undefined],
    ]);
    const [starts, under128, under120, slices] = report.objectives!;
    assert.equal(starts!.figures?.remainingFraction, 0.25);
    near(under128!.figures?.remainingFraction, -0.2);
    assert.equal(under120!.figures, null);
    // Its own window is 1 day of 5-minute slices; over the month, slices without a point are empty
    // (the series spans Feb 28 only), so 278 are counted: budget 0.01 x 278 = 2.78, 3 bad.
    near(slices!.figures?.remainingFraction, (2.78 - 3) / 2.78);
    assert.deepEqual(report.objectives?.[0]?.range, { start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z', minutes: 40320 });
    const md = renderReportMarkdown(report);
    assert.match(md, /\| `workspace-starts` \| 99\.8 % \(Occurrences, own window 28d\) \| 99\.85 % \(9,985 good of 10,000 events\) \| 5 of 20 events \(25\.00 %\) \| healthy \|/);
  });
});

