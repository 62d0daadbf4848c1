/**
 * `budget-lens slo status` against a real Prometheus (objectiveSeries.ts: the series and the hand
 * numbers), text and --json, in-process through main(), on a project written to a temp dir:
 * a native objective (workspace starts) and OpenSLO ones (start time under 128 s, the refused
 * 120 s, 5-minute API slices).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import type { ApiResult, ObjectiveBudget } from '../../../src/sdk';
import { schemaProblem } from '../../../src/sdk/client/responseValidator';
import { openNetworkBackend } from '../../../src/sdk/backend/openBackend';
import { BudgetServer } from '../../../src/sdk/server/budgetServer';
import { openProjectObjectives } from '../../../src/sdk/project/projectObjectives';
import { loadProjectConfig } from '../../../src/sdk/config/projectConfig';
import { scenarioCatalog } from '../../support/builders';
import { captureIo } from '../../support/cliIo';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import { AT, objectiveSeries } from './objectiveSeries';

const CONFIG = `window: 28d
objectives:
  files: [slo.yaml]
  list:
    - name: workspace-starts
      target: 99.8
      bad: sum(gitpod_ws_manager_workspace_starts_failure_total)
      total: sum(gitpod_ws_manager_workspace_starts_total)
`;

function thresholdSlo(name: string, value: number): string {
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
spec:
  service: workspaces
  indicator:
    metadata:
      name: ${name}
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: gitpod_ws_manager_workspace_startup_seconds
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - op: lte
      value: ${value}
      target: 0.95
`;
}

const SLICES = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-latency-share
spec:
  service: api
  indicator:
    metadata:
      name: api-under-100ms
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(api_request_duration_seconds_bucket{le="0.1"})
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(api_request_duration_seconds_count)
  timeWindow:
    - duration: 1d
      isRolling: true
  budgetingMethod: Timeslices
  objectives:
    - target: 0.99
      timeSliceTarget: 0.95
      timeSliceWindow: 5m
`;

describe('budget-lens slo status on a real Prometheus', () => {
  let prom: MetricsServer;
  let dir: string;
  before(async () => {
    prom = await startPrometheus(objectiveSeries());
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-slo-status-'));
    writeFileSync(join(dir, '.budgetlens.yml'), CONFIG);
    writeFileSync(join(dir, 'slo.yaml'), [thresholdSlo('start-under-2m', 128), thresholdSlo('start-under-120s', 120), SLICES].join('---\n'));
  });
  after(async () => {
    await prom?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const { io, out, err } = captureIo(dir);
    const code = await main(['slo', 'status', '--prometheus', prom.url, '--at', AT, ...args], io);
    return { code, out: out(), err: err() };
  }

  test('text: SLI vs target, budget left, status, burn 1 h and the PromQL; the refused threshold exits 1', async () => {
    const r = await run([]);
    assert.equal(r.code, 1, r.err);
    assert.equal(
      r.out,
      [
        'workspace-starts  99.8 % over rolling 28d, Occurrences, ratio bad/total',
        '  window       2026-02-01T00:00:00.000Z .. 2026-03-01T00:00:00.000Z',
        '  SLI          99.85 % (9,985 good of 10,000 events) vs target 99.8 %',
        '  budget left  5 of 20 events (25.00 %)',
        '  status       healthy',
        '  burn 1h      15.00x',
        '  PromQL       bad    sum(increase(gitpod_ws_manager_workspace_starts_failure_total[28d]))',
        '               total  sum(increase(gitpod_ws_manager_workspace_starts_total[28d]))',
        '               burn windows: the same over [5m] [30m] [1h] [6h] [3d]',
        '',
        'start-under-2m  95 % over rolling 28d, Occurrences, threshold lte 128',
        '  window       2026-02-01T00:00:00.000Z .. 2026-03-01T00:00:00.000Z',
        '  SLI          94.00 % (188 good of 200 events) vs target 95 %',
        '  budget left  -2 of 10 events (-20.00 %)',
        '  status       over_budget',
        '  burn 1h      - (no events in the last hour)',
        '  PromQL       bounds count by (le) (count_over_time(gitpod_ws_manager_workspace_startup_seconds_bucket[28d]))',
        '               good   sum(increase(gitpod_ws_manager_workspace_startup_seconds_bucket{le="128"}[28d]))',
        '               total  sum(increase(gitpod_ws_manager_workspace_startup_seconds_count[28d]))',
        '               burn windows: the same over [5m] [30m] [1h] [6h] [3d]',
        '',
        'start-under-120s  95 % over rolling 28d, Occurrences, threshold lte 120',
        '  error        120 s is not a bucket bound of gitpod_ws_manager_workspace_startup_seconds; nearest: 64, 128',
        '',
        'api-latency-share  99 % over rolling 1d, Timeslices 5m slices (slice target 0.95), ratio good/total',
        '  window       2026-02-28T00:00:00.000Z .. 2026-03-01T00:00:00.000Z',
        '  SLI          98.92 % (275 good of 278 slices; 3 bad, 10 empty) vs target 99 %',
        '  budget left  -1 of 2 bad slices allowed; -1.1 of 13.9 bad minutes',
        '  status       over_budget',
        '  burn 1h      0.00x',
        '  PromQL       bounds count by (le) (count_over_time(api_request_duration_seconds_bucket[1d]))',
        '               good   sum(increase(api_request_duration_seconds_bucket{le="0.1"}[5m]))  (range, step 300 s)',
        '               total  sum(increase(api_request_duration_seconds_count[5m]))  (range, step 300 s)',
        '',
      ].join('\n'),
    );
    assert.equal(r.err, `4 objectives from Prometheus ${prom.url}; 1 not evaluated\n`);
  });

  test('--json --name: the Budget API answer (schema ObjectiveList): figures, burn alerts and queries of one objective; exit 0', async () => {
    const r = await run(['--json', '--name', 'workspace-starts']);
    assert.equal(r.code, 0, r.err);
    const body = JSON.parse(r.out) as ApiResult<ObjectiveBudget[]>;
    assert.equal(schemaProblem('ObjectiveList', body), null);
    assert.equal(body.meta.asOf, '2026-03-01T00:00:00.000Z');
    assert.deepEqual(body.meta.provenance.kind, 'promql');
    assert.equal(body.meta.provenance.source, prom.url);
    assert.equal(body.data.length, 1);
    const e = body.data[0]!;
    if (e.figures === null) return assert.fail(e.error?.message);
    assert.equal(e.name, 'workspace-starts');
    assert.deepEqual(e.definedAt, { file: '.budgetlens.yml', line: 5 });
    assert.equal(e.sli, 'ratio bad/total');
    assert.deepEqual(
      { sli: e.figures.sli, status: e.figures.status, budget: 'budgetEvents' in e.figures ? e.figures.budgetEvents : null, left: 'eventsLeft' in e.figures ? e.figures.eventsLeft : null },
      { sli: 0.9985, status: 'healthy', budget: 20, left: 5 },
    );
    assert.equal(e.burnRate1h, 15);
    assert.deepEqual(e.burnAlerts.map((a) => a.state), ['no_data', 'no_data', 'low_traffic']);
    assert.equal(e.queries[0]!.query, 'sum(increase(gitpod_ws_manager_workspace_starts_failure_total[28d]))');
  });

  test('--json: a refused objective carries its code and message, figures null', async () => {
    const r = await run(['--json', '--name', 'start-under-120s']);
    assert.equal(r.code, 1);
    const body = JSON.parse(r.out) as ApiResult<ObjectiveBudget[]>;
    assert.equal(schemaProblem('ObjectiveList', body), null);
    const o = body.data[0]!;
    assert.deepEqual([o.name, o.figures, o.range], ['start-under-120s', null, null]);
    assert.deepEqual(o.error, { code: 'not_a_bucket_bound', message: '120 s is not a bucket bound of gitpod_ws_manager_workspace_startup_seconds; nearest: 64, 128' });
  });

  test('a store backend: the store\'s metric event logs answer (a missing store: exit 2); an unknown --name is a usage error', async () => {
    const missing = captureIo(dir);
    assert.equal(await main(['slo', 'status', '--store', 'missing.db'], missing.io), 2);
    assert.match(missing.err(), /missing\.db/);
    // 3 failures of 1,000 starts in the window (2026-02-01 .. 03-01): budget 0.002 x 1,000 = 2, -1 left.
    const log = join(dir, 'events.ndjson');
    const line = (t: string, metric: string): string => JSON.stringify({ time: t, metric });
    writeFileSync(
      log,
      [
        ...Array.from({ length: 1000 }, () => line('2026-02-20T10:00:00Z', 'gitpod_ws_manager_workspace_starts_total')),
        ...Array.from({ length: 3 }, () => line('2026-02-20T10:00:01Z', 'gitpod_ws_manager_workspace_starts_failure_total')),
      ].join('\n') + '\n',
    );
    const ingest = captureIo(dir);
    assert.equal(await main(['ingest', log, '--store', join(dir, 'events.db')], ingest.io), 0, ingest.err());
    const st = captureIo(dir);
    assert.equal(await main(['slo', 'status', '--store', 'events.db', '--name', 'workspace-starts', '--at', AT], st.io), 0, st.err());
    assert.match(st.out(), /SLI {10}99\.70 % \(997 good of 1,000 events\) vs target 99\.8 %/);
    assert.match(st.out(), /budget left {2}-1 of 2 events/);
    assert.match(st.out(), /store {8}bad {4}sum of gitpod_ws_manager_workspace_starts_failure_total over 28d/);
    const bad = captureIo(dir);
    assert.equal(await main(['slo', 'status', '--prometheus', prom.url, '--name', 'nope'], bad.io), 2);
    assert.match(bad.err(), /--name: no objective 'nope' \(objectives: workspace-starts, start-under-2m, start-under-120s, api-latency-share\)/);
  });

  test('--api: a remote budget-lens serve evaluates its own project\'s objectives; the same lines as from Prometheus', async () => {
    // The server's project is this one: its objectives over the same Prometheus.
    const config = await loadProjectConfig(join(dir, '.budgetlens.yml'));
    const { objectives } = await openProjectObjectives({ root: dir, config });
    const opened = openNetworkBackend({ kind: 'prometheus', url: prom.url }, { catalog: await scenarioCatalog(), objectives, workspaceRoot: dir });
    const server = new BudgetServer({ api: opened.api, sourceKind: 'prometheus', log: () => {}, onClose: () => opened.close() });
    const url = await server.listen(0);
    try {
      const remote = captureIo(dir);
      assert.equal(await main(['slo', 'status', '--api', url, '--at', AT, '--name', 'workspace-starts'], remote.io), 0, remote.err());
      const local = await run(['--name', 'workspace-starts']);
      assert.equal(remote.out(), local.out);
      assert.equal(remote.err(), `1 objective from Budget API ${url}; 0 not evaluated\n`);
      // A name the remote project lacks: its 404, with the closest name.
      const unknown = captureIo(dir);
      assert.equal(await main(['slo', 'status', '--api', url, '--name', 'workspace-start'], unknown.io), 1);
      assert.equal(unknown.err(), `budget-lens slo status: Budget API ${url}: unknown objective 'workspace-start'; did you mean 'workspace-starts'? (HTTP 404 from ${url}/api/v1/objectives?names=workspace-start)\n`);
    } finally {
      await server.close();
    }
  });
});

