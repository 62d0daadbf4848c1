import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { SampleEndpoint } from '../../../src/sdk/store/sampleLogLines';
import { writeSampleLogs } from '../../../src/sdk/store/sampleLogs';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { openStoreSource } from '../../../src/sdk/store/storeSource';
import { run as runSample } from '../../../src/cli/commands/sample';
import { fakeCatalog } from '../../unit/store/fakeCatalog';

const ENDPOINTS: SampleEndpoint[] = [
  { id: 'Projects::IssuesController#index', kind: 'rails', category: 'team_planning', urgency: 'low' },
  { id: 'Projects::IssuesController#show', kind: 'rails', category: 'team_planning', urgency: 'default' },
  { id: 'GET /api/:version/projects/:id/issues', kind: 'grape', category: 'team_planning', urgency: 'medium' },
  { id: 'WorkItems::CopyTimelogsWorker', kind: 'sidekiq', category: 'team_planning', urgency: 'high' },
  { id: 'graphql:getPipelineDetails', kind: 'graphql', category: 'continuous_integration', urgency: 'high' },
  { id: 'Projects::PipelinesController#index', kind: 'rails', category: 'continuous_integration', urgency: 'default' },
  { id: 'GET /api/:version/projects/:id/repository/tags', kind: 'grape', category: 'source_code_management', urgency: 'low' },
];
const catalog = fakeCatalog({ project_management: ['team_planning'], pipeline_execution: ['continuous_integration'], source_code: ['source_code_management'] });
const END = new Date('2024-03-05T00:00:00Z');
const WINDOW = { label: '28d', minutes: 40320 };

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bl-sample-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function digest(files: string[]): string[] {
  return files.map((f) => createHash('sha256').update(readFileSync(f)).digest('hex'));
}

describe('writeSampleLogs', () => {
  test('deterministic: same seed and end give the same bytes; another seed does not', async () => {
    const a = await writeSampleLogs({ outDir: join(dir, 'a'), endpoints: ENDPOINTS, end: END, seed: 3, calls: 5000 });
    const b = await writeSampleLogs({ outDir: join(dir, 'b'), endpoints: ENDPOINTS, end: END, seed: 3, calls: 5000 });
    const c = await writeSampleLogs({ outDir: join(dir, 'c'), endpoints: ENDPOINTS, end: END, seed: 4, calls: 5000 });
    assert.deepEqual(digest(a.files), digest(b.files));
    assert.notDeepEqual(digest(a.files), digest(c.files));
    assert.deepEqual(
      a.files.map((f) => f.slice(f.lastIndexOf('/') + 1)),
      ['api_json.log.gz', 'production_json.log.gz', 'sidekiq.log.gz'],
    );
    assert.equal(a.start, '2024-02-06T00:00:00.000Z');
  });

  test('realistic set: every line ingests, the degraded group overspends, the others stay healthy', async () => {
    const out = join(dir, 'full');
    const r = await writeSampleLogs({ outDir: out, endpoints: ENDPOINTS, end: END, seed: 1 });
    // Default ~150,000 calls; one in seven endpoints is a job writing start + done lines.
    assert.ok(r.lines > 120_000 && r.lines < 260_000, `lines ${r.lines}`);
    assert.equal(r.degradedCategory, 'team_planning');
    assert.equal(r.slowEndpoints.length, 1);
    assert.equal(r.erroringEndpoints.length, 1);
    assert.deepEqual(
      r.incidents.map((i) => i.kind),
      ['errors', 'latency'],
    );
    const prod = gunzipSync(readFileSync(join(out, 'production_json.log.gz'))).toString('utf8');
    assert.match(prod, /"meta\.caller_id":"graphql:getPipelineDetails"/);
    assert.match(prod, /"controller":"Projects::IssuesController","action":"index"/);

    const store = join(dir, 'full.db');
    const report = await ingestFiles(store, r.files);
    assert.equal(report.totals.malformed, 0);
    assert.equal(report.totals.failed, 0);
    const source = openStoreSource({ path: store, catalog, readonly: true });
    try {
      const groups = await source.groupCounts({ window: WINDOW, at: END });
      const spentMinutes = Object.fromEntries(
        groups.data.map((g) => {
          let f = 0;
          let m = 0;
          for (const c of g.components) {
            f += c.counts.apdexWeight - c.counts.apdexSuccess + c.counts.errors;
            m += c.counts.apdexWeight + c.counts.ops;
          }
          // F4 with A = 1 - f/m: spent = f/m * 40320 minutes; the budget is 20.16.
          return [g.group, (f / m) * 40320];
        }),
      );
      assert.ok((spentMinutes['project_management'] ?? 0) > 20.16 * 3, JSON.stringify(spentMinutes));
      assert.ok((spentMinutes['pipeline_execution'] ?? Infinity) < 20.16, JSON.stringify(spentMinutes));
      assert.ok((spentMinutes['source_code'] ?? Infinity) < 20.16, JSON.stringify(spentMinutes));
      // The error incident is visible in the slow endpoint's daily series.
      const daily = await source.dailyCounts({ window: WINDOW, at: END, scope: { category: 'team_planning' } });
      assert.equal(daily.data.length, 28);
      const incidentDay = r.incidents[0]?.start.slice(0, 10);
      const errorsOn = (date: string | undefined): number =>
        (daily.data.find((d) => d.date === date)?.components ?? []).reduce((n, c) => n + c.counts.errors, 0);
      assert.ok(errorsOn(incidentDay) > 3 * errorsOn('2024-02-10') + 5, `errors ${errorsOn(incidentDay)} vs ${errorsOn('2024-02-10')}`);
      // The two bad endpoints lead the group's failures (F8 ranking input).
      const top = await source.endpointCounts({ window: WINDOW, at: END, scope: { group: 'project_management' }, limit: 2 });
      assert.deepEqual(top.data.map((e) => e.endpointId).sort(), [...r.slowEndpoints, ...r.erroringEndpoints].sort());
    } finally {
      await source.close();
    }
  });
});

describe('budget-lens sample (CLI)', () => {
  test('--endpoints file, --ingest into --store', async () => {
    const inv = join(dir, 'endpoints.json');
    writeFileSync(inv, JSON.stringify({ endpoints: ENDPOINTS.map((e) => ({ ...e, file: 'app/x.rb', line: 1 })) }));
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await runSample(
      ['--endpoints', inv, '--out', 'logs', '--days', '2', '--calls', '2000', '--end', '2024-03-05T00:00:00Z', '--ingest', '--store', 'cli.db'],
      { stdout, stderr: new PassThrough(), cwd: dir, env: {} },
    );
    assert.equal(code, 0, out);
    assert.match(out, /wrote \d+ lines for 7 endpoints, 2024-03-03T00:00:00\.000Z \.\. 2024-03-05T00:00:00\.000Z/);
    assert.match(out, /production_json\.log\.gz: \d+ lines, \d+ accepted, 0 ignored, 0 malformed/);
  });

  test('bad flags and bad inventories are clear errors', async () => {
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), cwd: dir, env: {} };
    await assert.rejects(runSample(['--days', 'x'], io), /--days needs a positive integer/);
    await assert.rejects(runSample(['--end', 'soon'], io), /--end needs an ISO date/);
    // Issue 12 items 5-6: new Date('2026-02-30') is 03-02 and any year was taken, so sample wrote
    // logs that ingest then refuses line by line. Refused up front, saying why.
    await assert.rejects(runSample(['--end', '2026-02-30'], io), /--end: '2026-02-30': February 2026 has 28 days, not 30/);
    await assert.rejects(runSample(['--end', '2026-02-30T00:00:00Z'], io), /--end: '2026-02-30T00:00:00Z': February 2026 has 28 days, not 30/);
    await assert.rejects(runSample(['--end', '9999-01-01T00:00:00Z'], io), /--end: '9999-01-01T00:00:00Z': year 9999 is outside 1970-2100/);
    // 28 days (the default) before 1970-01-05 is 1969-12-08.
    await assert.rejects(runSample(['--end', '1970-01-05'], io), /--days: the 28 days before 1970-01-05T00:00:00.000Z start at 1969-12-08T00:00:00.000Z: year 1969 is outside 1970-2100/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ kind: 'rails' }]));
    await assert.rejects(runSample(['--endpoints', bad, '--out', 'x'], io), /bad\.json: endpoint \[0\]: missing "id"/);
  });
});

describe('budget-lens sample over the example workspace', () => {
  test('takes its inventory from `budget-lens endpoints --json --root examples/gitlab-style`', async () => {
    const root = join(__dirname, '../../../examples/gitlab-style');
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await runSample(['--root', root, '--out', 'example-logs', '--days', '1', '--calls', '3000', '--end', '2024-03-05T00:00:00Z'], {
      stdout,
      stderr,
      cwd: dir,
      env: {},
    });
    assert.equal(code, 0, err);
    const m = /wrote (\d+) lines for (\d+) endpoints/.exec(out);
    assert.ok(m, out);
    assert.ok(Number(m[2]) > 10, `endpoints: ${m[2]}`);
    assert.match(out, /next: budget-lens ingest /);
  });
});
