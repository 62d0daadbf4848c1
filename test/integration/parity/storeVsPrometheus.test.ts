/**
 * Parity: the same synthetic events, once as GitLab NDJSON logs ingested into the embedded store
 * and once as raw gitlab_sli_* counters served by a real Prometheus, give the same counts, and so
 * the same failures and measurements, per endpoint and per group, through both BudgetSources.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCatalog } from '../../../src/sdk/catalog/catalogParser';
import type { BudgetWindow } from '../../../src/sdk/contract/budgetTypes';
import type { BudgetSource, EndpointCounts } from '../../../src/sdk/contract/budgetSource';
import { createPrometheusSource } from '../../../src/sdk/sources/prometheusSource';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { openStoreSource } from '../../../src/sdk/store/storeSource';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import { counterSeriesOf, generateEvents, logLine, sidekiqStartLine, type ParityEndpoint } from './eventGenerator';

const STAGES = 'catalog/gitlab/stages.yml';
const T = Date.parse('2026-06-01T00:00:00Z');
const HOUR = 3_600_000;
const FROM = T - 48 * HOUR;
const GRID = 300_000;
const SEL = { environment: 'gprd' };

const ENDPOINTS: ParityEndpoint[] = [
  { id: 'Projects::IssuesController#index', kind: 'rails', category: 'team_planning', urgency: 'low', perHour: 40, slowShare: 0.05, errorShare: 0.01 },
  { id: 'Projects::IssuesController#show', kind: 'rails', category: 'team_planning', urgency: 'high', perHour: 30, slowShare: 0.2, errorShare: 0.002 },
  { id: 'GET /api/:version/projects/:id/issues', kind: 'grape', category: 'team_planning', urgency: 'default', perHour: 50, slowShare: 0.03, errorShare: 0.02 },
  { id: 'graphql:getIssues', kind: 'graphql', category: 'service_desk', urgency: 'medium', perHour: 20, slowShare: 0.1, errorShare: 0.05 },
  { id: 'WorkItems::CopyTimelogsWorker', kind: 'sidekiq', category: 'team_planning', urgency: 'high', perHour: 10, slowShare: 0.1, errorShare: 0.03 },
  { id: 'PostReceive', kind: 'sidekiq', category: 'source_code_management', urgency: 'low', perHour: 25, slowShare: 0.01, errorShare: 0.01 },
  { id: 'Projects::BlobController#show', kind: 'rails', category: 'source_code_management', urgency: 'default', perHour: 35, slowShare: 0.04, errorShare: 0.004 },
];

const CATEGORIES = ['team_planning', 'service_desk', 'source_code_management'];
const GROUPS = ['project_management', 'source_code'];

function keyed(rows: readonly EndpointCounts[]): Array<[string, string, string, string, number, number, number, number]> {
  return rows
    .map((r) => [r.endpointId, r.component, r.category, r.urgency, r.counts.apdexSuccess, r.counts.apdexWeight, r.counts.ops, r.counts.errors] as [string, string, string, string, number, number, number, number])
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
}

describe('parity: embedded store from logs vs Prometheus from counters, same events', () => {
  let dir: string;
  let server: MetricsServer;
  let store: BudgetSource;
  let prom: BudgetSource;
  let eventCount = 0;
  const catalog = parseCatalog(readFileSync(STAGES, 'utf8'), STAGES);

  before(async () => {
    const events = generateEvents(ENDPOINTS, FROM, T, GRID);
    eventCount = events.length;
    dir = await mkdtemp(join(tmpdir(), 'budget-lens-parity-'));
    const requests = events.filter((e) => e.endpoint.kind !== 'sidekiq' && e.endpoint.kind !== 'grape').map(logLine);
    const api = events.filter((e) => e.endpoint.kind === 'grape').map(logLine);
    const sidekiq = events.filter((e) => e.endpoint.kind === 'sidekiq').flatMap((e) => [sidekiqStartLine(e), logLine(e)]);
    const files = [join(dir, 'production_json.log'), join(dir, 'api_json.log'), join(dir, 'sidekiq.log')];
    await writeFile(files[0]!, requests.join('\n') + '\n');
    await writeFile(files[1]!, api.join('\n') + '\n');
    await writeFile(files[2]!, sidekiq.join('\n') + '\n');
    const storePath = join(dir, 'store.db');
    const report = await ingestFiles(storePath, files);
    assert.equal(report.totals.failed, 0, JSON.stringify(report.files.map((f) => [f.file, f.status, f.malformedLines])));
    assert.equal(
      report.files.reduce((n, f) => n + f.accepted, 0),
      events.length,
    );
    store = openStoreSource({ path: storePath, catalog, readonly: true });
    server = await startPrometheus(counterSeriesOf(events, ENDPOINTS, FROM - GRID, T + GRID, GRID, SEL));
    prom = createPrometheusSource({ url: server.url, mode: 'raw', selectors: SEL, catalog });
  });
  after(async () => {
    await store?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const windows: Array<{ name: string; window: BudgetWindow; at: Date }> = [
    { name: '2d ending at T', window: { label: '2d', minutes: 2880 }, at: new Date(T) },
    { name: '1d ending 12 h before T', window: { label: '1d', minutes: 1440 }, at: new Date(T - 12 * HOUR) },
  ];

  for (const w of windows) {
    test(`per endpoint, ${w.name}: identical counts, failures and measurements`, async () => {
      let total = 0;
      for (const category of CATEGORIES) {
        const a = await store.endpointCounts({ window: w.window, at: w.at, scope: { category } });
        const b = await prom.endpointCounts({ window: w.window, at: w.at, scope: { category } });
        assert.ok(a.data.length > 0, `no store rows for ${category}`);
        assert.deepEqual(keyed(b.data), keyed(a.data), category);
        for (const row of a.data) {
          const other = b.data.find((r) => r.endpointId === row.endpointId && r.component === row.component)!;
          const f = (r: EndpointCounts) => r.counts.apdexWeight - r.counts.apdexSuccess + r.counts.errors;
          const m = (r: EndpointCounts) => r.counts.apdexWeight + r.counts.ops;
          assert.equal(f(other), f(row), `failures of ${row.endpointId}`);
          assert.equal(m(other), m(row), `measurements of ${row.endpointId}`);
          total += row.counts.ops;
        }
      }
      if (w.window.minutes === 2880) assert.equal(total, eventCount, 'every event is one operation in the 2 d window');
      else assert.ok(total > 0 && total < eventCount);
    });
  }

  test('per group: identical per-component counts', async () => {
    const at = new Date(T);
    const window = { label: '2d', minutes: 2880 };
    const a = await store.groupCounts({ window, at, groups: GROUPS });
    const b = await prom.groupCounts({ window, at, groups: GROUPS });
    const flat = (d: typeof a.data) => d.flatMap((g) => g.components.map((c) => [g.group, c.component, c.counts] as const)).sort((x, y) => `${x[0]}${x[1]}`.localeCompare(`${y[0]}${y[1]}`));
    assert.deepEqual(flat(b.data), flat(a.data));
    // project_management: rails_request, graphql_query, sidekiq_execution; source_code: rails_request, sidekiq_execution.
    assert.equal(flat(a.data).length, 5);
  });
});
