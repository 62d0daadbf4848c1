/**
 * The Budget API server on a real Prometheus (Debian's prometheus, backfilled with the Prometheus
 * source's scenario: test/integration/prometheus/scenario.ts). Checks that the PromQL provenance
 * reaches HTTP clients, and that a Prometheus that goes away mid-life is a 503 with a reason while
 * the server stays up.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadCatalog } from '../../../src/sdk/catalog/catalogParser';
import { BudgetApiClient } from '../../../src/sdk/client/budgetApiClient';
import { UnavailableError } from '../../../src/sdk/client/clientErrors';
import { BudgetServer } from '../../../src/sdk/server/budgetServer';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import { createPrometheusSource } from '../../../src/sdk/sources/prometheusSource';
import type { MetricsServer } from '../../support/prometheusServer';
import { startPrometheus } from '../../support/prometheusServer';
import { GITLAB_FIXTURES } from '../../support/builders';
import { AT, SELECTORS, scenarioSeries } from '../prometheus/scenario';

describe('Budget API server on a real Prometheus', () => {
  let prom: MetricsServer;
  let server: BudgetServer;
  let client: BudgetApiClient;
  const logs: Array<Record<string, unknown>> = [];
  const at = new Date(AT * 1000);

  before(async () => {
    prom = await startPrometheus(scenarioSeries());
    const catalog = await loadCatalog({ stagesPath: join(GITLAB_FIXTURES, 'stages.yml') });
    const source = createPrometheusSource({ url: prom.url, selectors: SELECTORS, catalog, timeoutMs: 5000 });
    server = new BudgetServer({ api: new BudgetService(source, catalog), sourceKind: 'prometheus', log: (e) => logs.push(e), onClose: () => source.close() });
    client = new BudgetApiClient({ baseUrl: await server.listen(0), retries: 1, retryBaseDelayMs: 10 });
  });
  after(async () => {
    await server.close();
    await prom.stop();
  });

  test('a group budget over HTTP carries the PromQL it came from', async () => {
    const r = await client.group('pipeline_execution', { at });
    assert.equal(r.meta.provenance.kind, 'promql');
    assert.equal(r.meta.provenance.source, prom.url);
    assert.ok(r.meta.provenance.queries.some((q) => q.includes('gitlab:component:stage_group:execution')), r.meta.provenance.queries.join('\n'));
    assert.equal(r.meta.asOf, at.toISOString());
    assert.equal(r.data.budgetMinutes, 20.16);
    assert.ok(r.data.measurements > 0);
    const burn = await client.burnRates({ group: 'pipeline_execution' }, { at });
    assert.deepEqual(burn.data.map((b) => b.threshold), [13.44, 5.6, 0.1 * 672 / 72]);
    // F16's short windows are queried as PromQL ranges of their own.
    assert.deepEqual(burn.alert?.tiers.map((t) => [t.long.window, t.short.window]), [['1h', '5m'], ['6h', '30m']]);
    assert.ok(burn.meta.provenance.queries.some((q) => q.includes('[5m]')), burn.meta.provenance.queries.join('\n'));
    assert.ok(burn.meta.provenance.queries.some((q) => q.includes('[30m]')));
  });

  test('Prometheus goes away: 503 backend_unavailable naming it, the server stays up', async () => {
    await prom.stop();
    const e = await client.group('project_management', { at: new Date(at.getTime() - 60_000) }).catch((err: unknown) => err);
    assert.ok(UnavailableError.is(e), String(e));
    assert.equal(e.status, 503);
    assert.equal(e.code, 'backend_unavailable');
    assert.match(e.message, /cannot reach http:\/\/127\.0\.0\.1:\d+/);
    assert.deepEqual(await client.health(), { status: 'ok', source: 'prometheus' });
    // The answer from before is still served from the cache.
    const cached = await client.group('pipeline_execution', { at });
    assert.equal(cached.data.budgetMinutes, 20.16);
  });
});
