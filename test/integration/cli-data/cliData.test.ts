/**
 * The data commands end to end on a real store: hand-written GitLab request logs -> F's ingest
 * -> StoreSource -> `status`, `report` (in-process) and `serve` (a child process, driven with the
 * BudgetApiClient, stopped with SIGTERM).
 *
 * Logs (all on 2026-10-20, evaluated at 2026-10-29T00:00Z over 28 d = 40320 min):
 *  project_management / team_planning, `Projects::IssuesController#index` (default urgency, 1 s):
 *    21 requests: 18 fast 200s, 1 slow 200 (2.0 s), 2 x 500
 *    -> o = 21, e = 2, w = 19 (5xx are not apdex measurements), s = 18
 *    -> f = (19 - 18) + 2 = 3, m = 19 + 21 = 40, A = 1 - 3/40 = 0.925
 *    -> spent 3 * 40320 / 40 = 3024 min, remaining 20.16 - 3024 = -3003.84
 *    -> low traffic: 0.0005 * 40 = 0.02 < 1 (F12)
 *  source_code / source_code_management, Grape `GET /api/:version/projects/:id/repository/tags`:
 *    10 fast 200s -> w = s = o = 10, e = 0, m = 20, f = 0
 *  Traffic shares (F13): 40 / 60 and 20 / 60.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { captureIo } from '../../support/cliIo';
import { startServe } from '../../support/serveProcess';
import type { ServeProcess } from '../../support/serveProcess';
import { BudgetApiClient } from '../../../src/sdk/client/budgetApiClient';
import { UnauthorizedError } from '../../../src/sdk/client/clientErrors';
import type { MonthlyReport } from '../../../src/sdk/contract/apiTypes';
import type { ApiResult } from '../../../src/sdk/contract/apiTypes';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import type { GroupStatus } from '../../../src/cli/commands/status';
import { GITLAB_FIXTURES } from '../../support/builders';

const AT = '2026-10-29T00:00:00Z';
const REPO = join(__dirname, '..', '..', '..');

function railsLine(i: number, status: number, duration: number): string {
  return JSON.stringify({
    time: `2026-10-20T10:${String(i).padStart(2, '0')}:00.000Z`,
    method: 'GET',
    path: '/gitlab-org/gitlab/-/issues',
    controller: 'Projects::IssuesController',
    action: 'index',
    status,
    duration_s: duration,
    'meta.caller_id': 'Projects::IssuesController#index',
    'meta.feature_category': 'team_planning',
  });
}

function grapeLine(i: number): string {
  return JSON.stringify({
    time: `2026-10-20T11:${String(i).padStart(2, '0')}:00.000Z`,
    method: 'GET',
    route: '/api/:version/projects/:id/repository/tags',
    status: 200,
    duration_s: 0.05,
    'meta.caller_id': 'GET /api/:version/projects/:id/repository/tags',
    'meta.feature_category': 'source_code_management',
  });
}


describe('data commands on a real store', () => {
  let dir: string;
  let store: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-cli-data-'));
    store = join(dir, 'store.db');
    const rails = [
      ...Array.from({ length: 18 }, (_, i) => railsLine(i, 200, 0.1)),
      railsLine(18, 200, 2.0),
      railsLine(19, 500, 0.3),
      railsLine(20, 503, 30),
    ];
    writeFileSync(join(dir, 'production_json.log'), `${rails.join('\n')}\n`);
    writeFileSync(join(dir, 'api_json.log'), `${Array.from({ length: 10 }, (_, i) => grapeLine(i)).join('\n')}\n`);
    const report = await ingestFiles(store, [join(dir, 'production_json.log'), join(dir, 'api_json.log')]);
    assert.equal(report.totals.accepted, 31);
    assert.equal(report.totals.malformed, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const backend = (): string[] => ['--store', store, '--catalog', GITLAB_FIXTURES];

  test('status --json: figures, top endpoints and burn rates of one group', async () => {
    const c = captureIo(dir);
    const code = await main(['status', '--group', 'project_management', ...backend(), '--at', AT, '--json'], c.io);
    assert.equal(code, 0, c.err());
    const s = JSON.parse(c.out()) as GroupStatus;
    const g = s.group.data;
    assert.deepEqual(g.counts, { apdexSuccess: 18, apdexWeight: 19, ops: 21, errors: 2 });
    assert.equal(g.failures, 3);
    assert.equal(g.measurements, 40);
    assert.equal(g.availability, 0.925);
    assert.equal(g.spentMinutes, 3024);
    assert.equal(g.remainingMinutes, -3003.84);
    assert.equal(g.status, 'low_traffic');
    assert.equal(g.trafficShare, 40 / 60);
    assert.equal(s.group.meta.provenance.kind, 'store');
    assert.equal(s.group.meta.provenance.source, store);
    assert.deepEqual(
      s.topEndpoints.data.endpoints.map((e) => [e.endpointId, e.apdexFailures, e.errors, e.spentMinutes, e.shareOfSpend]),
      [['Projects::IssuesController#index', 1, 2, 3024, 1]],
    );
    // No traffic in the last 3 days before AT: every burn rate is "no data".
    assert.deepEqual(s.burnRates.data.map((b) => [b.window, b.burnRate]), [['1h', null], ['6h', null], ['3d', null]]);
  });

  test('status prints a readable summary', async () => {
    const c = captureIo(dir);
    assert.equal(await main(['status', '--group', 'project_management', ...backend(), '--at', AT], c.io), 0, c.err());
    assert.match(c.out(), /Project Management \(project_management, stage plan\)/);
    assert.match(c.out(), /spent\s+3,?024\.00 min/);
    assert.match(c.out(), /Projects::IssuesController#index/);
  });

  test('status --explain: the formula with the counts, the spend split, the daily spend, the store', async () => {
    const c = captureIo(dir);
    assert.equal(await main(['status', '--group', 'project_management', ...backend(), '--at', AT, '--explain'], c.io), 0, c.err());
    const lines = c.out().split('\n');
    const at = lines.indexOf('How it is computed');
    assert.ok(at > 0, c.out());
    // s = 18, w = 19, o = 21, e = 2 (above); apdex 1 slow * 40320 / 40 = 1008, errors 2 * 40320 / 40 = 2016.
    // The 28 days run 2026-10-01..28: the 20th is day 20 of 28 and the only day with spend (3024 min).
    assert.deepEqual(lines.slice(at + 1, at + 6), [
      '  window 2026-10-01 00:00 UTC → 2026-10-29 00:00 UTC (28 d)',
      '  availability (s + o − e) / (w + o) = (18 + 21 − 2) / (19 + 21)',
      '  spent 3024.00 budget-min = apdex 1008.00 (1 slow) + errors 2016.00 (2 errors), each failure 40,320 / 40 budget-min',
      '  daily spend ▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁█▁▁▁▁▁▁▁▁ (28 days, most 3024.00 budget-min on 2026-10-20)',
      `  source: the store ${store} (SQL over its hourly and daily rollups)`,
    ]);
  });

  test('overview of the example: its groups least remaining first, low traffic is not over budget, no data last', async () => {
    const c = captureIo(dir);
    const example = join(REPO, 'examples', 'gitlab-style');
    assert.equal(await main(['overview', '--root', example, ...backend(), '--at', AT], c.io), 0, c.err());
    const lines = c.out().split('\n');
    assert.equal(lines[0], `Error budgets of ${example}: 28d window ending 2026-10-29T00:00:00.000Z, target 99.95 %`);
    assert.equal(lines[1], `(store ${store})`);
    // The example's endpoints belong to four groups; the store has data for two of them:
    // project_management spent 3 * 40320 / 40 = 3024, remaining 20.16 - 3024 = -3003.84, low traffic (F12);
    // source_code f = 0: spent 0, remaining 20.16, low traffic too (0.0005 * 20 = 0.01 < 1).
    assert.deepEqual(
      lines.slice(3, 8).map((l) => l.trim().split(/\s{2,}/)),
      [
        ['group', 'key', 'spent', 'budget', 'remaining', 'state'],
        ['Project Management', 'project_management', '3024.00', '20.16', '-3003.84', 'low traffic'],
        ['Source Code', 'source_code', '0.00', '20.16', '20.16', 'low traffic'],
        ['Code Review', 'code_review', 'no data', '20.16', 'no data', 'no data'],
        ['Pipeline Execution', 'pipeline_execution', 'no data', '20.16', 'no data', 'no data'],
      ],
    );
    assert.match(c.out(), /^No group of this workspace is over budget\.$/m);
  });

  test('report --format json: the month with actions (31 d: spent 3 * 44640 / 40 = 3348)', async () => {
    const c = captureIo(dir);
    assert.equal(await main(['report', '--month', '2026-10', '--format', 'json', ...backend()], c.io), 0, c.err());
    const r = JSON.parse(c.out()) as ApiResult<MonthlyReport>;
    const pm = r.data.groups.find((g) => g.group === 'project_management');
    assert.equal(pm?.spentMinutes, 3348);
    assert.equal(pm?.budgetMinutes, 22.32);
    assert.equal(pm?.action, 'reliability_first');
    assert.equal(pm?.monthsOverBudgetInRow, 1);
    assert.equal(r.data.groups.find((g) => g.group === 'source_code')?.action, 'understand_spend');
    assert.deepEqual(r.data.significantOverBudget, ['project_management']);
  });

  test('report in Markdown, defaulting to the month before --at', async () => {
    const c = captureIo(dir);
    assert.equal(await main(['report', ...backend(), '--at', '2026-11-04T00:00:00Z'], c.io), 0, c.err());
    assert.match(c.out(), /^# Error budget report 2026-10/);
    assert.match(c.out(), /Project Management/);
  });

  test('usage errors and missing data say what and where', async () => {
    const noGroup = captureIo(dir);
    assert.equal(await main(['status', ...backend()], noGroup.io), 2);
    assert.match(noGroup.err(), /--group <key> is required/);
    const unknown = captureIo(dir);
    assert.equal(await main(['status', '--group', 'nope', ...backend()], unknown.io), 1);
    assert.match(unknown.err(), /unknown group 'nope'/);
    const noStore = captureIo(dir);
    assert.equal(await main(['status', '--group', 'project_management', '--store', join(dir, 'missing.db'), '--catalog', GITLAB_FIXTURES], noStore.io), 2);
    assert.match(noStore.err(), /no store at .*missing\.db/);
    const twoBackends = captureIo(dir);
    assert.equal(await main(['report', ...backend(), '--prometheus', 'http://127.0.0.1:9'], twoBackends.io), 2);
    assert.match(twoBackends.err(), /choose one backend/);
    const badWindow = captureIo(dir);
    assert.equal(await main(['status', '--group', 'project_management', ...backend(), '--window', '28x'], badWindow.io), 2);
    assert.match(badWindow.err(), /--window/);
    const badMonth = captureIo(dir);
    assert.equal(await main(['report', ...backend(), '--month', '2026-13'], badMonth.io), 2);
    assert.match(badMonth.err(), /--month/);
  });

  test('strict dates (issue 12 items 6-7): --month 0026-04 and --at on February 30th are usage errors', async () => {
    // Before: 0026-04 printed the report of April 1926; 2026-02-30 was evaluated at 03-02.
    const oldMonth = captureIo(dir);
    assert.equal(await main(['report', ...backend(), '--month', '0026-04'], oldMonth.io), 2);
    assert.match(oldMonth.err(), /--month: '0026-04': year 0026 is outside 1970-2100/);
    assert.equal(oldMonth.out(), '');
    const feb30 = captureIo(dir);
    assert.equal(await main(['status', '--group', 'project_management', ...backend(), '--at', '2026-02-30T00:00:00Z'], feb30.io), 2);
    assert.match(feb30.err(), /--at: '2026-02-30T00:00:00Z': February 2026 has 28 days, not 30/);
    const farWindow = captureIo(dir);
    assert.equal(await main(['status', '--group', 'project_management', ...backend(), '--at', '1970-01-05T00:00:00Z'], farWindow.io), 2);
    assert.match(farWindow.err(), /--window: the 28d window ending at 1970-01-05T00:00:00.000Z would start at 1969-12-08/);
  });

  test('.budgetlens.yml above the current directory chooses the catalog and the store', async () => {
    const ws = join(dir, 'workspace');
    mkdirSync(join(ws, 'app', 'models'), { recursive: true });
    writeFileSync(
      join(ws, '.budgetlens.yml'),
      [
        'catalog:',
        `  stages: ${join(GITLAB_FIXTURES, 'stages.yml')}`,
        'backend:',
        '  kind: store',
        `  path: ${store}`,
        '',
      ].join('\n'),
    );
    const c = captureIo(join(ws, 'app', 'models'));
    assert.equal(await main(['status', '--group', 'source_code', '--at', AT, '--json'], c.io), 0, c.err());
    const s = JSON.parse(c.out()) as GroupStatus;
    assert.equal(s.group.data.measurements, 20);
    assert.equal(s.group.meta.provenance.source, store);
  });

  test('a broken config is reported at file:line:col', async () => {
    const ws = join(dir, 'broken');
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, '.budgetlens.yml'), 'backend:\n  kind: store\n  path: 5\n  extra: true\n');
    const c = captureIo(ws);
    assert.equal(await main(['report', '--month', '2026-10'], c.io), 1);
    assert.match(c.err(), /\.budgetlens\.yml:\d+:\d+: /);
  });

  describe('serve as a child process', () => {
    let serve: ServeProcess;
    let child: ChildProcess;
    let url: string;
    const token = 'serve-token-123';

    before(async () => {
      serve = await startServe(backend(), { cwd: dir, env: { BUDGET_LENS_SERVE_TOKEN: token } });
      ({ child, url } = serve);
    });
    after(() => serve.kill());

    test('every API method over HTTP from the real store', async () => {
      const client = new BudgetApiClient({ baseUrl: url, token });
      const at = new Date(AT);
      const g = await client.group('project_management', { at });
      assert.equal(g.data.spentMinutes, 3024);
      assert.equal(g.data.availability, 0.925);
      const groups = await client.groups({ at });
      assert.equal(groups.data.length, 81);
      const cats = await client.categories(['source_code_management'], { at });
      assert.equal(cats.data[0]?.measurements, 20);
      const top = await client.topEndpoints({ category: 'source_code_management' }, { at });
      assert.equal(top.data.endpoints[0]?.endpointId, 'GET /api/:version/projects/:id/repository/tags');
      const daily = await client.daily({ group: 'project_management' }, { at });
      assert.equal(daily.data.days.length, 28);
      assert.equal(daily.data.days.find((d) => d.date === '2026-10-20')?.spentMinutes, 3024);
      const burn = await client.burnRates({ group: 'project_management' }, { at });
      assert.equal(burn.data.length, 3);
      const report = await client.report('2026-10');
      assert.equal(report.data.groups.find((r) => r.group === 'project_management')?.spentMinutes, 3348);
      await assert.rejects(new BudgetApiClient({ baseUrl: url }).groups(), UnauthorizedError);
    });

    test('status --api reads the same figures through the server (token from BUDGET_LENS_TOKEN)', async () => {
      const c = captureIo(dir, { BUDGET_LENS_TOKEN: token });
      assert.equal(await main(['status', '--group', 'project_management', '--api', url, '--at', AT, '--json'], c.io), 0, c.err());
      const s = JSON.parse(c.out()) as GroupStatus;
      assert.equal(s.group.data.spentMinutes, 3024);
      assert.equal(s.topEndpoints.data.endpoints[0]?.endpointId, 'Projects::IssuesController#index');
      assert.ok(!c.out().includes(token) && !c.err().includes(token));
    });

    test('SIGTERM: graceful exit 0, JSON request logs on stderr without the token', async () => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      const lines = serve.stderr().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const requests = lines.filter((l) => l['msg'] === 'request');
      assert.equal(requests.length, 11); // 8 client calls + 3 of `status --api`
      assert.ok(requests.every((l) => typeof l['status'] === 'number' && typeof l['ms'] === 'number' && l['method'] === 'GET'));
      assert.ok(lines.some((l) => l['msg'] === 'shutting down'));
      assert.ok(!serve.stderr().includes(token));
    });
  });
});
