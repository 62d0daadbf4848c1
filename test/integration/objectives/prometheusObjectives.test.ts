/**
 * Objectives evaluated against a real Prometheus (Debian's 2.42, backfilled with promtool):
 * evaluatePrometheusObjective's PromQL, the counts it reads and the engine's figures, with the
 * hand-computed numbers of objectiveSeries.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PrometheusClient } from '../../../src/sdk/sources/prometheusClient';
import { evaluatePrometheusObjective, prometheusObjectiveBurnDown } from '../../../src/sdk/sources/objectiveSource';
import { ObjectiveQueryError } from '../../../src/sdk/sources/objectiveQueries';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import { API_SLICES, AT, READY, STARTS, objectiveSeries, startupUnder } from './objectiveSeries';

describe('objectives from a real Prometheus', () => {
  let prom: MetricsServer;
  let client: PrometheusClient;
  const at = new Date(AT);
  before(async () => {
    prom = await startPrometheus(objectiveSeries());
    client = new PrometheusClient({ url: prom.url });
  });
  after(async () => {
    await prom?.stop();
  });

  test('Occurrences, bad/total counters: 15 failures of 10,000 starts at 99.8 % -> budget 20, 5 left; burn 1 h 15', async () => {
    const s = await evaluatePrometheusObjective(client, STARTS, { at });
    const f = s.figures;
    assert.equal(f.method, 'Occurrences');
    if (f.method !== 'Occurrences') return;
    assert.deepEqual([f.bad, f.total, f.sli, f.budgetEvents, f.eventsLeft, f.remainingFraction, f.status], [15, 10000, 0.9985, 20, 5, 0.25, 'healthy']);
    assert.equal(s.burnRate1h, 15);
    assert.deepEqual(s.range, { start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z', minutes: 40320 });
    const window = s.queries.filter((q) => q.window === '28d');
    assert.deepEqual(
      window.map((q) => [q.role, q.query]),
      [
        ['bad', 'sum(increase(gitpod_ws_manager_workspace_starts_failure_total[28d]))'],
        ['total', 'sum(increase(gitpod_ws_manager_workspace_starts_total[28d]))'],
      ],
    );
    assert.ok(s.queries.some((q) => q.window === '1h' && q.query === 'sum(increase(gitpod_ws_manager_workspace_starts_total[1h]))'));
    // Default tiers (1h/5m > 14.4, 6h/30m > 6, 3d/6h > 1). The 5- and 30-minute windows hold no two
    // hourly samples: no data. 6 h: 5 x 14 + 100 = 170 starts, 3 bad -> (3/170)/0.002 = 8.8235...;
    // 3 d: 71 x 14 + 100 = 1,094 starts, 3 bad -> 1.3711...; its 6-hour short window has 170 events,
    // under the guard's ceil(5 / (1 x 0.002)) = 2,500: low traffic.
    assert.deepEqual(
      s.burnAlerts.map((a) => [a.name, a.state]),
      [
        ['1h/5m above 14.4x', 'no_data'],
        ['6h/30m above 6x', 'no_data'],
        ['3d/6h above 1x', 'low_traffic'],
      ],
    );
    const near = (a: number | null, b: number): void => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
    near(s.burnAlerts[0]!.longBurnRate, 15);
    near(s.burnAlerts[1]!.longBurnRate, 3 / 170 / 0.002);
    near(s.burnAlerts[2]!.longBurnRate, 3 / 1094 / 0.002);
    near(s.burnAlerts[2]!.shortBurnRate, 3 / 170 / 0.002);
    assert.equal(s.burnAlerts[2]!.minShortWindowEvents, 2500);
  });

  test('a histogram threshold is a bucket ratio: 188 of 200 under 128 s at 95 % -> budget 10, -2 left, over budget', async () => {
    const s = await evaluatePrometheusObjective(client, startupUnder('128'), { at });
    const f = s.figures;
    if (f.method !== 'Occurrences') return assert.fail(f.method);
    assert.deepEqual([f.good, f.total, f.sli, f.budgetEvents, f.eventsLeft, f.status], [188, 200, 0.94, 10, -2, 'over_budget']);
    assert.deepEqual(
      s.queries.filter((q) => q.window === '28d').map((q) => [q.role, q.query]),
      [
        ['bounds', 'count by (le) (count_over_time(gitpod_ws_manager_workspace_startup_seconds_bucket[28d]))'],
        ['good', 'sum(increase(gitpod_ws_manager_workspace_startup_seconds_bucket{le="128"}[28d]))'],
        ['total', 'sum(increase(gitpod_ws_manager_workspace_startup_seconds_count[28d]))'],
      ],
    );
  });

  test('a threshold that is no bucket bound (2 min = 120 s) is refused naming the nearest bounds', async () => {
    await assert.rejects(
      evaluatePrometheusObjective(client, startupUnder('120'), { at }),
      (e: unknown) =>
        e instanceof ObjectiveQueryError && e.message === '120 s is not a bucket bound of gitpod_ws_manager_workspace_startup_seconds; nearest: 64, 128',
    );
  });

  test('le written "16" matches le="16" (Prometheus 2) and le="16.0" (Prometheus 3) alike: 194 of 200', async () => {
    const s = await evaluatePrometheusObjective(client, READY, { at });
    const f = s.figures;
    if (f.method !== 'Occurrences') return assert.fail(f.method);
    assert.deepEqual([f.good, f.total, f.sli, f.budgetEvents, f.eventsLeft, f.status], [194, 200, 0.97, 10, 4, 'healthy']);
    assert.ok(s.queries.some((q) => q.query === 'sum(increase(gitpod_ws_ready_seconds_bucket{le=~"16|16\\\\.0"}[28d]))'), JSON.stringify(s.queries));
    // Written "16.0" it is the same bound.
    const written = { ...READY, sli: { ...READY.sli, good: { sourceType: 'prometheus', spec: { query: 'gitpod_ws_ready_seconds_bucket{le="16.0"}' } } } } as typeof READY;
    const again = await evaluatePrometheusObjective(client, written, { at });
    assert.equal(again.figures.sli, 0.97);
  });

  test('Timeslices over 5-minute slices: range query step 5m, 275 good, 3 bad, 10 empty of 288 -> -1 slice, -1.1 minutes', async () => {
    const s = await evaluatePrometheusObjective(client, API_SLICES, { at });
    const f = s.figures;
    if (f.method !== 'Timeslices') return assert.fail(f.method);
    assert.deepEqual(
      [f.windowSlices, f.goodSlices, f.badSlices, f.emptySlices, f.unreportedSlices, f.countedSlices, f.budgetSlices, f.allowedBadSlices, f.budgetMinutes, f.slicesLeft, f.minutesLeft, f.status],
      [288, 275, 3, 10, 0, 278, 2.78, 2, 13.9, -1, -1.1, 'over_budget'],
    );
    assert.equal(f.sli, 275 / 278);
    assert.deepEqual(
      s.queries.filter((q) => q.role !== 'bounds').map((q) => [q.role, q.kind, q.stepSeconds, q.query]),
      [
        ['good', 'range', 300, 'sum(increase(api_request_duration_seconds_bucket{le="0.1"}[5m]))'],
        ['total', 'range', 300, 'sum(increase(api_request_duration_seconds_count[5m]))'],
      ],
    );
    // The last hour's 12 slices are all good: burn 0.
    assert.equal(s.burnRate1h, 0);
  });

  test('one request per window: the parts are joined in one expression, and each is still explained alone', async () => {
    // The real client, recording what it sends (the server is the real Prometheus).
    const sent: string[] = [];
    class Recording extends PrometheusClient {
      override query(expr: string, time: Date, signal?: AbortSignal) {
        sent.push(`instant ${expr}`);
        return super.query(expr, time, signal);
      }
      override queryRange(expr: string, start: Date, end: Date, step: number, signal?: AbortSignal) {
        sent.push(`range ${expr}`);
        return super.queryRange(expr, start, end, step, signal);
      }
    }
    const recording = new Recording({ url: prom.url });
    const s = await evaluatePrometheusObjective(recording, STARTS, { at });
    // The same figures as the first test: 15 of 10,000 (the parts were told apart right).
    assert.deepEqual([s.figures.method === 'Occurrences' && s.figures.bad, s.figures.method === 'Occurrences' && s.figures.total], [15, 10000]);
    // Windows: 28d plus the default tiers' 5m, 30m, 1h, 6h, 3d -> 6 requests, 12 explained parts.
    assert.equal(sent.length, 6, sent.join('\n'));
    assert.equal(s.queries.length, 12);
    assert.equal(
      sent[0],
      'instant label_replace(sum(increase(gitpod_ws_manager_workspace_starts_failure_total[28d])), "budget_lens_part", "0", "", "")' +
        ' or label_replace(sum(increase(gitpod_ws_manager_workspace_starts_total[28d])), "budget_lens_part", "1", "", "")',
    );
    // Timeslices: one range request for both parts (plus the bounds).
    sent.length = 0;
    const t = await evaluatePrometheusObjective(recording, API_SLICES, { at });
    assert.equal(t.figures.method === 'Timeslices' && t.figures.badSlices, 3);
    assert.deepEqual(sent.map((x) => x.split(' ')[0]), ['instant', 'range']);
    // The burn-down over 28 whole UTC days: one range request with a 1-day step for both parts.
    sent.length = 0;
    const b = await prometheusObjectiveBurnDown(recording, STARTS, { at });
    assert.equal(b.points.length, 28);
    assert.equal(sent.length, 1, sent.join('\n'));
    assert.ok(sent[0]!.startsWith('range label_replace(sum(increase(gitpod_ws_manager_workspace_starts_failure_total[1d]))'), sent[0]);
  });
});
