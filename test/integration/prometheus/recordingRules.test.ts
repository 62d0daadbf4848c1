/**
 * The shipped prometheus/recording-rules.yml, for real: promtool validates it (and the mapping
 * rules rendered from the GitLab catalog), then `promtool tsdb create-blocks-from rules` evaluates
 * it every minute over 6 hours of raw gitlab_sli_* counters served by one Prometheus, and a second
 * Prometheus serves the recorded series. The source in its default mode against the recorded
 * series must count what the raw-counter mode counts against the counters.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseCatalog } from '../../../src/sdk/catalog/catalogParser';
import type { BudgetSource, GroupCounts } from '../../../src/sdk/contract/budgetSource';
import { renderMappingRules } from '../../../src/sdk/sources/prometheusRules';
import { createPrometheusSource } from '../../../src/sdk/sources/prometheusSource';
import { backfillRules, startPrometheus, startPrometheusOnData, type MetricsServer } from '../../support/prometheusServer';
import { counterSeries, infoSeries, unix, type Series } from '../../support/seriesBuilders';

const execFileP = promisify(execFile);
const STAGES = 'catalog/gitlab/stages.yml';
const T = unix('2026-06-01T00:00:00Z');
const FROM = T - 8 * 3600;
const MINUTES = 8 * 60;
// Evaluate 30 s after a minute mark: recorded samples sit on minute marks, so a [6h] range holds
// exactly 360 of them whether the backend's ranges are closed (Prometheus 2.x) or half-open.
const at = new Date((T + 30) * 1000);
// promtool writes one block per rule per 2 h evaluated: a 6 h window keeps the backfill to seconds.
const WINDOW = { label: '6h', minutes: 360 };
const SEL = { environment: 'gprd', stage: 'main' };

interface EndpointCounters {
  component: string;
  labels: Record<string, string>;
  /** Increments per minute: apdex total, apdex success, total, errors (undefined: no error counter). */
  perMinute: [number, number, number, number | undefined];
}

const ENDPOINTS: EndpointCounters[] = [
  {
    component: 'rails_request',
    labels: { type: 'web', endpoint_id: 'Projects::IssuesController#index', feature_category: 'team_planning', request_urgency: 'low' },
    perMinute: [600, 594, 600, 3],
  },
  {
    component: 'rails_request',
    labels: { type: 'web', endpoint_id: 'Projects::BlobController#show', feature_category: 'source_code_management', request_urgency: 'default' },
    perMinute: [300, 299, 300, 1],
  },
  {
    component: 'graphql_query',
    labels: { type: 'api', endpoint_id: 'graphql:getIssues', feature_category: 'service_desk', request_urgency: 'default' },
    perMinute: [120, 100, 120, 6],
  },
  {
    component: 'sidekiq_execution',
    labels: { type: 'sidekiq', worker: 'PostReceive', feature_category: 'source_code_management', urgency: 'high' },
    perMinute: [60, 59, 60, undefined],
  },
];

function rawSeries(): Series[] {
  const out: Series[] = [];
  const suffixes = ['apdex_total', 'apdex_success_total', 'total', 'error_total'];
  for (const ep of ENDPOINTS) {
    ep.perMinute.forEach((inc, i) => {
      if (inc === undefined) return;
      const name = `gitlab_sli_${ep.component}_${suffixes[i]}`;
      out.push(counterSeries(name, { ...SEL, ...ep.labels }, FROM, 60, Array.from({ length: MINUTES }, () => inc)));
    });
  }
  const mapping = [
    ['team_planning', 'project_management', 'plan'],
    ['service_desk', 'project_management', 'plan'],
    ['source_code_management', 'source_code', 'create'],
  ];
  for (const [fc, sg, ps] of mapping) {
    out.push(infoSeries('gitlab:feature_category:stage_group:mapping', { feature_category: fc!, stage_group: sg!, product_stage: ps! }, FROM, T + 3600, 60));
  }
  return out;
}

describe('shipped recording rules', () => {
  let rawServer: MetricsServer;
  let recordedServer: MetricsServer;
  let raw: BudgetSource;
  let recorded: BudgetSource;
  const catalog = parseCatalog(readFileSync(STAGES, 'utf8'), STAGES);

  before(async () => {
    rawServer = await startPrometheus(rawSeries());
    const dir = await mkdtemp(join(tmpdir(), 'budget-lens-rules-'));
    try {
      await backfillRules(rawServer.url, ['prometheus/recording-rules.yml'], new Date((T - 6 * 3600) * 1000), new Date((T + 60) * 1000), join(dir, 'data'));
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    recordedServer = await startPrometheusOnData(join(dir, 'data'), dir);
    raw = createPrometheusSource({ url: rawServer.url, mode: 'raw', selectors: SEL, catalog });
    recorded = createPrometheusSource({ url: recordedServer.url, selectors: SEL, catalog, evaluationIntervalSeconds: 60 });
  });
  after(async () => {
    await recordedServer?.stop();
    await rawServer?.stop();
  });

  test('promtool check rules accepts the shipped rules and the catalog mapping rules', async () => {
    const shipped = await execFileP('promtool', ['check', 'rules', 'prometheus/recording-rules.yml']);
    assert.match(shipped.stdout, /SUCCESS: 36 rules found/);
    const dir = await mkdtemp(join(tmpdir(), 'budget-lens-mapping-'));
    try {
      const file = join(dir, 'mapping.yml');
      await writeFile(file, renderMappingRules(catalog));
      const mapping = await execFileP('promtool', ['check', 'rules', file]);
      assert.match(mapping.stdout, new RegExp(`SUCCESS: ${catalog.categories.size} rules found`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('groups: recorded series count what the raw counters count', async () => {
    const a = await recorded.groupCounts({ window: WINDOW, at, groups: ['project_management', 'source_code'] });
    const b = await raw.groupCounts({ window: WINDOW, at, groups: ['project_management', 'source_code'] });
    assertSameCounts(a.data, b.data);
    // IssuesController#index: 600 weight per minute * 360 minutes = 216000.
    const pmRails = a.data[0]!.components.find((c) => c.component === 'rails_request')!;
    assertNear(pmRails.counts.apdexWeight, 216_000);
    assertNear(pmRails.counts.errors, 3 * 360);
    const scSidekiq = a.data[1]!.components.find((c) => c.component === 'sidekiq_execution')!;
    assert.equal(scSidekiq.hasErrorSli, false);
    assertNear(scSidekiq.counts.ops, 60 * 360);
  });

  test('categories and endpoints: the same in both modes', async () => {
    const cats = ['team_planning', 'service_desk', 'source_code_management'];
    const a = await recorded.categoryCounts({ window: WINDOW, at, categories: cats });
    const b = await raw.categoryCounts({ window: WINDOW, at, categories: cats });
    assertSameCounts(
      a.data.map((c) => ({ group: c.category, components: c.components })),
      b.data.map((c) => ({ group: c.category, components: c.components })),
    );
    const ea = await recorded.endpointCounts({ window: WINDOW, at, scope: { group: 'source_code' } });
    const eb = await raw.endpointCounts({ window: WINDOW, at, scope: { group: 'source_code' } });
    assert.deepEqual(
      ea.data.map((e) => [e.endpointId, e.component, e.urgency, e.hasErrorSli]),
      eb.data.map((e) => [e.endpointId, e.component, e.urgency, e.hasErrorSli]),
    );
    // BlobController: (300-299)*360 + 1*360 = 720 failures; PostReceive: (60-59)*360 = 360.
    assert.deepEqual(
      ea.data.map((e) => e.endpointId),
      ['Projects::BlobController#show', 'PostReceive'],
    );
    ea.data.forEach((e, i) => {
      for (const k of ['apdexSuccess', 'apdexWeight', 'ops', 'errors'] as const) assertNear(e.counts[k], eb.data[i]!.counts[k]);
    });
  });
});

function assertNear(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${actual} != ${expected}`);
}

function assertSameCounts(a: readonly GroupCounts[], b: readonly GroupCounts[]): void {
  assert.deepEqual(
    a.map((g) => [g.group, g.components.map((c) => [c.component, c.hasErrorSli])]),
    b.map((g) => [g.group, g.components.map((c) => [c.component, c.hasErrorSli])]),
  );
  a.forEach((g, i) =>
    g.components.forEach((c, j) => {
      for (const k of ['apdexSuccess', 'apdexWeight', 'ops', 'errors'] as const) assertNear(c.counts[k], b[i]!.components[j]!.counts[k]);
    }),
  );
  assert.ok(a.some((g) => g.components.length > 0), 'no data at all');
}
