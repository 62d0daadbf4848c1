/**
 * Manual adjustments on a real Prometheus (issue 15 item 3): GitLab-style recorded 1h rates with an
 * incident, backfilled with promtool (docs/testing.md), read through BudgetService with a 2-hour
 * adjustment for all groups. The removed spend is the source's count over the adjustment's range:
 * `sum_over_time(x[2h]) * 60` evaluated at the range's end (= `offset 12h` from the window's end).
 *
 * Samples every 60 s at hh:mm:30 (never on an edge: Prometheus 2.x ranges are closed), so a 1 d
 * window ending 2026-03-11T00:00Z holds 1440 samples, the range [10:00, 12:00) 120 of them.
 * Per-second rates, each sample counting 60 s (evaluation interval):
 *  project_management / team_planning, rails_request: normally w = s = o = 1, e = 0;
 *    in the incident w = s = 0.5, o = 1, e = 0.5.
 *    measured: w = s = 1320 x 60 + 120 x 30 = 82,800, o = 86,400, e = 3,600
 *      f = 3,600, m = 169,200; spent 3,600 x 1,440 / 169,200 = 30.6382978... min of 0.72
 *    removed: w = s = 3,600, o = 7,200, e = 3,600 -> f = 3,600, m = 10,800
 *    adjusted: w = s = o = 79,200, e = 0 -> f = 0, m = 158,400, A = 1, spent 0, remaining 0.72
 *  source_code, rails_request: normally w = s = o = 2, e = 0; in the incident w = s = 1, o = 2, e = 1.
 *    measured: w = s = 1320 x 120 + 120 x 60 = 165,600, o = 172,800, e = 7,200 -> f = 7,200, m = 338,400
 *    removed f = 7,200, m = 7,200 + 14,400 = 21,600; adjusted f = 0, m = 316,800
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrometheusSource } from '../../../src/sdk/sources/prometheusSource';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import type { ConfiguredAdjustment } from '../../../src/sdk/config/types';
import type { Catalog } from '../../../src/sdk/catalog/types';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import { sampledSeries, unix, type Series } from '../../support/seriesBuilders';
import { gitlabCatalog } from '../../support/builders';

const AT = unix('2026-03-11T00:00:00Z');
const FROM = AT - 86_400 - 3600 + 30;
const INCIDENT_FROM = unix('2026-03-10T10:00:00Z');
const INCIDENT_TO = unix('2026-03-10T12:00:00Z');
const SEL = { environment: 'gprd', stage: 'main', monitor: 'global' };

const KINDS = {
  apdexSuccess: 'apdex:success:rate_1h',
  apdexWeight: 'apdex:weight:score_1h',
  ops: 'ops:rate_1h',
  errors: 'error:rate_1h',
} as const;

function recorded(level: 'stage_group' | 'feature_category', name: string, normal: number, incident: { ws: number; e: number }): Series[] {
  const inIncident = (t: number): boolean => t >= INCIDENT_FROM && t < INCIDENT_TO;
  const value = { apdexSuccess: incident.ws, apdexWeight: incident.ws, ops: normal, errors: incident.e };
  return (Object.keys(KINDS) as Array<keyof typeof KINDS>).map((k) =>
    sampledSeries(`gitlab:component:${level}:execution:${KINDS[k]}`, { ...SEL, [level]: name, component: 'rails_request', type: 'web' }, FROM, AT + 600, 60, (t) =>
      inIncident(t) ? value[k] : k === 'errors' ? 0 : normal,
    ),
  );
}

const INCIDENT: ConfiguredAdjustment = {
  from: '2026-03-10T10:00:00.000Z',
  to: '2026-03-10T12:00:00.000Z',
  scope: { all: true },
  reason: 'Patroni failover: the primary database was unreachable',
  location: { file: '/ws/.budgetlens.yml', line: 2, column: 5 },
};

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('a 2-hour adjustment removes an incident\'s spend for all groups (real Prometheus)', () => {
  let server: MetricsServer;
  let catalog: Catalog;
  let service: BudgetService;

  before(async () => {
    server = await startPrometheus([
      ...recorded('stage_group', 'project_management', 1, { ws: 0.5, e: 0.5 }),
      ...recorded('feature_category', 'team_planning', 1, { ws: 0.5, e: 0.5 }),
      ...recorded('stage_group', 'source_code', 2, { ws: 1, e: 1 }),
    ]);
    catalog = await gitlabCatalog();
    service = new BudgetService(createPrometheusSource({ url: server.url, selectors: SEL, catalog, evaluationIntervalSeconds: 60 }), catalog, { adjustments: [INCIDENT] });
  });
  after(async () => {
    await server?.stop();
  });

  test('groups: measured and adjusted figures to 1e-9, the removed range queried over [2h] at its end', async () => {
    const { data, meta } = await service.groups({ window: '1d', at: new Date(AT * 1000) });
    const pm = data.find((g) => g.group === 'project_management')!;
    assert.ok(close(pm.failures, 3600), String(pm.failures));
    assert.ok(close(pm.measurements, 169_200), String(pm.measurements));
    assert.ok(close(pm.spentMinutes!, (3600 * 1440) / 169_200), String(pm.spentMinutes));
    const adj = pm.adjusted!;
    assert.ok(close(adj.counts.apdexWeight, 79_200) && close(adj.counts.ops, 79_200) && close(adj.counts.errors, 0), JSON.stringify(adj.counts));
    assert.ok(close(adj.failures, 0) && close(adj.measurements, 158_400), `${adj.failures} ${adj.measurements}`);
    assert.equal(adj.availability, 1);
    assert.equal(adj.status, 'healthy');
    const [applied] = adj.adjustments;
    assert.deepEqual(applied!.counted, { start: '2026-03-10T10:00:00.000Z', end: '2026-03-10T12:00:00.000Z', minutes: 120 });
    assert.ok(close(applied!.removedFailures, 3600) && close(applied!.removedMeasurements, 10_800), JSON.stringify(applied));

    const sc = data.find((g) => g.group === 'source_code')!;
    assert.ok(close(sc.failures, 7200) && close(sc.measurements, 338_400), `${sc.failures} ${sc.measurements}`);
    assert.ok(close(sc.adjusted!.failures, 0) && close(sc.adjusted!.measurements, 316_800), `${sc.adjusted!.failures} ${sc.adjusted!.measurements}`);
    assert.ok(close(sc.adjusted!.adjustments[0]!.removedMeasurements, 21_600));

    assert.ok(meta.provenance.queries.some((q) => q.includes('sum_over_time(') && q.includes('[2h]')), meta.provenance.queries.join('\n'));
  });

  test('categories: the same removal for team_planning', async () => {
    const { data } = await service.categories(['team_planning'], { window: '1d', at: new Date(AT * 1000) });
    const tp = data[0]!;
    assert.ok(close(tp.failures, 3600) && close(tp.measurements, 169_200));
    assert.ok(close(tp.adjusted!.failures, 0) && close(tp.adjusted!.measurements, 158_400), JSON.stringify(tp.adjusted));
  });

  test('a window that starts inside the range removes only the overlap', async () => {
    // Window 13 h ending 2026-03-10T23:00Z starts 10:00 -> the whole range; 12 h ending 23:00 starts 11:00 -> [11:00, 12:00): 60 samples.
    const { data } = await service.groups({ window: '12h', at: new Date((AT - 3600) * 1000) });
    const pm = data.find((g) => g.group === 'project_management')!;
    // measured: 720 samples, 60 in the incident: e = 60 x 30 = 1,800; removed f = 1,800, m = 60 x 30 + 60 x 60 = 5,400
    assert.deepEqual(pm.adjusted!.adjustments[0]!.counted, { start: '2026-03-10T11:00:00.000Z', end: '2026-03-10T12:00:00.000Z', minutes: 60 });
    assert.ok(close(pm.failures, 1800) && close(pm.adjusted!.failures, 0), `${pm.failures} ${pm.adjusted!.failures}`);
    assert.ok(close(pm.adjusted!.adjustments[0]!.removedMeasurements, 5400));
  });
});
