/**
 * `budget-lens check`, the CI gate, end to end: hand-written GitLab request logs -> ingest -> a
 * real store, checked in-process (`--store`), through a real `budget-lens serve` child process
 * (`--api`, token from BUDGET_LENS_TOKEN, then the server stopped), against servers that answer
 * 500 or never, and with `--changed` on a git repository holding a copy of examples/gitlab-style.
 *
 * Logs (all on 2026-10-20, evaluated at 2026-10-29T00:00Z over 28 d = 40320 min, target 99.95 %,
 * budget (1 - 0.9995) * 40320 = 20.16 min; urgencies as the example's code declares them):
 *  pipeline_execution / continuous_integration, `Projects::PipelineSchedulesController#play`
 *  (default urgency, 1 s): 2017 requests: 2014 fast 200s, 1 slow 200 (2.0 s), 2 x 500
 *    -> o = 2017, e = 2, w = 2015 (5xx are no apdex measurement), s = 2014
 *    -> f = (2015 - 2014) + 2 = 3, m = 2015 + 2017 = 4032 (>= 2000: not low traffic, F12)
 *    -> spent 3 * 40320 / 4032 = 30.00 min > 20.16: OVER BUDGET, remaining -9.84,
 *       availability 1 - 3/4032 = 99.925 % (shown rounded down)
 *  source_code / source_code_management, Grape `GET /api/:version/projects/:id/repository/tags`
 *  (low urgency, 5 s): 2016 requests, 2015 fast 200s, 1 slow 200 (6.0 s)
 *    -> o = w = 2016, s = 2015, e = 0 -> f = 1, m = 4032
 *    -> spent 1 * 40320 / 4032 = 10.00 min <= 20.16: within, remaining 10.16, availability 99.975 %
 *  project_management / team_planning, `Projects::IssuesController#index` (low urgency, 5 s):
 *  21 requests: 18 fast 200s, 1 slow 200 (6.0 s), 2 x 500
 *    -> o = 21, e = 2, w = 19, s = 18 -> f = 3, m = 40 -> spent 3 * 40320 / 40 = 3024 min,
 *       but 0.0005 * 40 = 0.02 < 1: low traffic (F12), judged within, with a note
 *  code_review: no line at all -> no data.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import type { CheckResult } from '../../../src/cli/commands/check';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { captureIo } from '../../support/cliIo';
import { startServe } from '../../support/serveProcess';
import type { ServeProcess } from '../../support/serveProcess';
import { GITLAB_FIXTURES } from '../../support/builders';
import { ISSUES_INDEX, PIPELINE_SCHEDULE_PLAY, REPOSITORY_TAGS } from '../../support/logEndpoints';

const AT = '2026-10-29T00:00:00Z';
const REPO = join(__dirname, '..', '..', '..');
const DAY_START = Date.parse('2026-10-20T00:00:00Z');

interface LineSpec {
  status: number;
  duration: number;
}

/** `n` specs: `slow` slow 200s, `errors` 500s, the rest fast 200s. */
function requests(n: number, fast: number, slow: { count: number; duration: number }, errors: number): LineSpec[] {
  assert.equal(fast + slow.count + errors, n);
  return [
    ...Array.from({ length: fast }, () => ({ status: 200, duration: 0.1 })),
    ...Array.from({ length: slow.count }, () => ({ status: 200, duration: slow.duration })),
    ...Array.from({ length: errors }, () => ({ status: 500, duration: 0.3 })),
  ];
}

/** One request a second from `offsetS` into 2026-10-20, in GitLab's production_json.log / api_json.log shape. */
function logLines(specs: LineSpec[], offsetS: number, fields: (s: LineSpec) => Record<string, unknown>): string {
  return `${specs.map((s, i) => JSON.stringify({ time: new Date(DAY_START + (offsetS + i) * 1000).toISOString(), status: s.status, duration_s: s.duration, ...fields(s) })).join('\n')}\n`;
}

function parse(out: string): CheckResult {
  return JSON.parse(out) as CheckResult;
}

describe('budget-lens check on a hand-made store', () => {
  let dir: string;
  let store: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-check-'));
    store = join(dir, 'store.db');
    const play = logLines(requests(2017, 2014, { count: 1, duration: 2.0 }, 2), 0, () => ({ ...PIPELINE_SCHEDULE_PLAY }));
    const issues = logLines(requests(21, 18, { count: 1, duration: 6.0 }, 2), 3000, () => ({ ...ISSUES_INDEX }));
    const tags = logLines(requests(2016, 2015, { count: 1, duration: 6.0 }, 0), 4000, () => ({ ...REPOSITORY_TAGS }));
    writeFileSync(join(dir, 'production_json.log'), play + issues);
    writeFileSync(join(dir, 'api_json.log'), tags);
    const report = await ingestFiles(store, [join(dir, 'production_json.log'), join(dir, 'api_json.log')]);
    assert.equal(report.totals.accepted, 2017 + 21 + 2016);
    assert.equal(report.totals.malformed, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const storeFlags = (): string[] => ['--store', store, '--catalog', GITLAB_FIXTURES, '--at', AT];

  async function check(args: string[], env: NodeJS.ProcessEnv = {}, cwd = dir): Promise<{ code: number; out: string; err: string }> {
    const c = captureIo(cwd, env);
    const code = await main(['check', ...args], c.io);
    return { code, out: c.out(), err: c.err() };
  }

  test('within budget: exit 0, the figures worked out above', async () => {
    const r = await check(['--group', 'source_code', ...storeFlags(), '--json']);
    assert.equal(r.code, 0, r.err);
    const j = parse(r.out);
    assert.equal(j.verdict, 'within');
    assert.equal(j.exitCode, 0);
    assert.equal(j.source, `store ${store}`);
    assert.equal(j.window, '28d');
    assert.equal(j.asOf, '2026-10-29T00:00:00.000Z');
    assert.deepEqual(
      j.scopes.map((s) => [s.kind, s.key, s.verdict, s.status, s.failures, s.measurements, s.spentMinutes, s.budgetMinutes, s.remainingMinutes]),
      [['group', 'source_code', 'within', 'healthy', 1, 4032, 10, 20.16, 10.16]],
    );
    assert.equal(j.scopes[0]?.availability, 1 - 1 / 4032);
  });

  test('over budget: exit 1, one text line per scope and the verdict', async () => {
    const r = await check(['--group', 'pipeline_execution', '--group', 'source_code', '--category', 'continuous_integration', ...storeFlags()]);
    assert.equal(r.code, 1, r.err);
    assert.equal(r.err, '');
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines[0], `Error budget check: 28d window ending 2026-10-29T00:00:00.000Z (store ${store})`);
    assert.deepEqual(
      lines.slice(2, 6).map((l) => l.trim().split(/\s{2,}/)),
      [
        ['scope', 'state', 'spent', 'budget', 'availability'],
        ['group pipeline_execution (Pipeline Execution)', 'OVER BUDGET', '30.00', '20.16', '99.925 %'],
        ['group source_code (Source Code)', 'within budget', '10.00', '20.16', '99.975 %'],
        ['category continuous_integration (pipeline_execution)', 'OVER BUDGET', '30.00', '20.16', '99.925 %'],
      ],
    );
    assert.equal(
      lines.at(-1),
      'verdict: OVER BUDGET (exit 1): group pipeline_execution, category continuous_integration spent more than the error budget; by policy, reliability work comes before feature work',
    );
    const j = parse((await check(['--group', 'pipeline_execution', ...storeFlags(), '--json'])).out);
    assert.deepEqual([j.verdict, j.exitCode, j.scopes[0]?.spentMinutes, j.scopes[0]?.remainingMinutes, j.scopes[0]?.failures, j.scopes[0]?.measurements], ['over', 1, 30, -9.84, 3, 4032]);
  });

  test('low traffic: 3024 of 20.16 min spent, yet within (F12), with the note', async () => {
    const r = await check(['--group', 'project_management', ...storeFlags()]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /group project_management \(Project Management\)\s+low traffic\s+3024\.00\s+20\.16\s+92\.500 %/);
    assert.match(r.out, /group project_management: low traffic \(F12: one failure already breaks the target\): spend is over the budget, but not judged, counts as within/);
    assert.match(r.out, /^verdict: within budget \(exit 0\): the scope is within its error budget$/m);
  });

  test('no data: exit 2, or 0 with --allow-no-data; over budget still wins', async () => {
    const r = await check(['--group', 'code_review', ...storeFlags()]);
    assert.equal(r.code, 2);
    assert.match(r.out, /group code_review \(Code Review\)\s+no data\s+no data\s+20\.16\s+no data/);
    assert.match(r.out, /^verdict: NO DATA \(exit 2\): nothing measured for group code_review in the window \(--allow-no-data lets it pass\)$/m);
    const allowed = await check(['--group', 'code_review', '--group', 'source_code', ...storeFlags(), '--allow-no-data', '--json']);
    assert.equal(allowed.code, 0);
    assert.deepEqual([parse(allowed.out).verdict, parse(allowed.out).exitCode], ['no_data', 0]);
    const withOver = await check(['--group', 'code_review', '--group', 'pipeline_execution', ...storeFlags()]);
    assert.equal(withOver.code, 1);
  });

  test('unknown group or category: exit 2 naming it, with the closest name; no scope: exit 2 usage', async () => {
    const g = await check(['--group', 'pipeline_executon', ...storeFlags(), '--json']);
    assert.equal(g.code, 2);
    assert.equal(g.err, "budget-lens check: error: unknown group 'pipeline_executon'; did you mean 'pipeline_execution'?\n");
    assert.deepEqual(parse(g.out), {
      verdict: 'error',
      exitCode: 2,
      source: `store ${store}`,
      scopes: [],
      error: { message: "unknown group 'pipeline_executon'; did you mean 'pipeline_execution'?" },
    });
    const c = await check(['--category', 'team_planing', ...storeFlags()]);
    assert.equal(c.code, 2);
    assert.match(c.err, /unknown category 'team_planing'; did you mean 'team_planning'\?/);
    assert.equal(c.out, '');
    const none = await check(['--store', store]);
    assert.equal(none.code, 2);
    assert.match(none.err, /nothing to check: give --group, --category or --changed/);
    const noStore = await check(['--group', 'source_code', '--store', join(dir, 'missing.db')]);
    assert.equal(noStore.code, 2);
    assert.match(noStore.err, /no store at .*missing\.db/);
  });

  describe('against a real `budget-lens serve` (child process, bearer token)', () => {
    let serve: ServeProcess;
    let child: ChildProcess;
    let url: string;
    const token = 'check-token-7';

    before(async () => {
      serve = await startServe(['--store', store, '--catalog', GITLAB_FIXTURES], { cwd: dir, env: { BUDGET_LENS_SERVE_TOKEN: token } });
      ({ child, url } = serve);
    });
    after(() => serve.kill());

    const apiFlags = (): string[] => ['--api', url, '--at', AT];
    const auth = { BUDGET_LENS_TOKEN: token };

    test('within, over, low traffic and no data: the same exit codes and figures as the store', async () => {
      const within = await check(['--group', 'source_code', ...apiFlags(), '--json'], auth);
      assert.equal(within.code, 0, within.err);
      assert.equal(parse(within.out).source, `Budget API ${url}`);
      assert.equal(parse(within.out).scopes[0]?.spentMinutes, 10);
      const over = await check(['--group', 'pipeline_execution', '--category', 'source_code_management', ...apiFlags(), '--json'], auth);
      assert.equal(over.code, 1, over.err);
      assert.deepEqual(
        parse(over.out).scopes.map((s) => [s.key, s.verdict, s.spentMinutes]),
        [['pipeline_execution', 'over', 30], ['source_code_management', 'within', 10]],
      );
      const low = await check(['--group', 'project_management', ...apiFlags()], auth);
      assert.equal(low.code, 0, low.err);
      const noData = await check(['--group', 'code_review', ...apiFlags()], auth);
      assert.equal(noData.code, 2);
      assert.match(noData.out, /^verdict: NO DATA \(exit 2\)/m);
      const unknown = await check(['--category', 'team_planing', ...apiFlags()], auth);
      assert.equal(unknown.code, 2);
      assert.match(unknown.err, /unknown category 'team_planing'; did you mean 'team_planning'\? \(HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/categories\?/);
      for (const r of [within, over, low, noData, unknown]) assert.ok(!r.out.includes(token) && !r.err.includes(token));
    });

    test('no token, a wrong token: exit 2, the URL and the 401', async () => {
      const none = await check(['--group', 'source_code', ...apiFlags()]);
      assert.equal(none.code, 2);
      assert.match(none.err, new RegExp(`^budget-lens check: error: .*\\(HTTP 401 from ${url}/api/v1/groups\\?.*\\); no token was sent: set BUDGET_LENS_TOKEN\\n$`));
      assert.equal(none.out, '');
      const wrong = await check(['--group', 'source_code', ...apiFlags(), '--json'], { BUDGET_LENS_TOKEN: 'nope' });
      assert.equal(wrong.code, 2);
      assert.match(wrong.err, /HTTP 401 from .*; the token in BUDGET_LENS_TOKEN was refused/);
      assert.equal(parse(wrong.out).verdict, 'error');
    });

    test('the server stops: exit 2 naming the URL that did not answer', async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      const r = await check(['--group', 'source_code', ...apiFlags(), '--json'], auth);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`^budget-lens check: error: Budget API unreachable: connect ECONNREFUSED .*\\(no response from ${url}/api/v1/groups\\?`));
      const j = parse(r.out);
      assert.deepEqual([j.verdict, j.exitCode, j.scopes], ['error', 2, []]);
      assert.match(j.error?.message ?? '', /no response from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/groups/);
    });
  });

  describe('servers that fail: a 500 and one that never answers', () => {
    let failing: Server;
    let silent: Server;
    let failingUrl: string;
    let silentUrl: string;
    let failingHits = 0;
    const listen = (s: Server): Promise<string> => new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));

    before(async () => {
      failing = createServer((_req, res) => {
        failingHits++;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'internal', message: 'the disk is on fire' } }));
      });
      silent = createServer(() => {
        // accepts the request and never answers
      });
      failingUrl = await listen(failing);
      silentUrl = await listen(silent);
    });
    after(() => {
      failing.close();
      silent.closeAllConnections();
      silent.close();
    });

    test('HTTP 500: exit 2 with the status, the message and the URL; 500 is not retried', async () => {
      const r = await check(['--group', 'source_code', '--api', failingUrl, '--at', AT]);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`the disk is on fire \\(HTTP 500 from ${failingUrl}/api/v1/groups\\?`));
      assert.equal(failingHits, 1);
    });

    test('no answer within --timeout: exit 2 naming the URL', async () => {
      const started = Date.now();
      const r = await check(['--group', 'source_code', '--api', silentUrl, '--at', AT, '--timeout', '0.3']);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`\\(no response from ${silentUrl}/api/v1/groups\\?`));
      assert.match(r.err, /Budget API unreachable: timeout of 300ms exceeded/);
      assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
    });
  });

  describe('--changed <range> on a git repository (a copy of examples/gitlab-style)', () => {
    let ws: string;
    const git = (...args: string[]): string =>
      execFileSync('git', args, {
        cwd: ws,
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: dir },
      });
    const commit = (file: string, line: string, message: string): void => {
      appendFileSync(join(ws, file), line);
      git('add', file);
      git('commit', '-q', '-m', message);
    };

    before(() => {
      ws = join(dir, 'gitlab-style');
      cpSync(join(REPO, 'examples', 'gitlab-style'), ws, { recursive: true });
      // The example's config names the repository's catalog relative to itself; the copy names it absolutely.
      const config = join(ws, '.budgetlens.yml');
      writeFileSync(config, readFileSync(config, 'utf8').replaceAll('../../catalog/gitlab', GITLAB_FIXTURES));
      git('init', '-q', '-b', 'main');
      git('add', '.');
      git('commit', '-q', '-m', 'the example');
      commit('app/controllers/projects/pipeline_schedules_controller.rb', '# a change to the pipeline schedules\n', 'touch pipeline schedules');
      commit('lib/api/tags.rb', '# a change to the tags API\n', 'touch tags');
      commit('README.md', '\nA note.\n', 'docs only');
    });

    const changedFlags = (): string[] => ['--store', store, '--at', AT];

    test('a change to an over-budget category: its category and group are checked, exit 1', async () => {
      const r = await check(['--changed', 'HEAD~3..HEAD~2', ...changedFlags(), '--json'], {}, ws);
      assert.equal(r.code, 1, r.err);
      const j = parse(r.out);
      assert.deepEqual(j.changed, {
        range: 'HEAD~3..HEAD~2',
        files: ['app/controllers/projects/pipeline_schedules_controller.rb'],
        notIndexed: [],
        unmapped: [],
        skipped: [],
      });
      assert.deepEqual(
        j.scopes.map((s) => [s.kind, s.key, s.verdict, s.spentMinutes, s.changedFiles]),
        [
          ['group', 'pipeline_execution', 'over', 30, ['app/controllers/projects/pipeline_schedules_controller.rb']],
          ['category', 'continuous_integration', 'over', 30, ['app/controllers/projects/pipeline_schedules_controller.rb']],
        ],
      );
      const text = await check(['--changed', 'HEAD~3..HEAD~2', ...changedFlags()], {}, ws);
      assert.match(text.out, /^changed HEAD~3\.\.HEAD~2: 1 file, categories continuous_integration$/m);
    });

    test('a change to a category within budget: exit 0; a docs-only change: nothing to check, exit 0', async () => {
      const tags = await check(['--changed', 'HEAD~2..HEAD~1', ...changedFlags(), '--json'], {}, ws);
      assert.equal(tags.code, 0, tags.err);
      assert.deepEqual(parse(tags.out).scopes.map((s) => [s.kind, s.key, s.verdict, s.spentMinutes]), [
        ['group', 'source_code', 'within', 10],
        ['category', 'source_code_management', 'within', 10],
      ]);
      const docs = await check(['--changed', 'HEAD~1..HEAD', ...changedFlags()], {}, ws);
      assert.equal(docs.code, 0, docs.err);
      assert.match(docs.out, /^changed HEAD~1\.\.HEAD: 1 file, no budgeted category$/m);
      assert.match(docs.out, /^verdict: within budget \(exit 0\): the change touches no file of a budgeted category$/m);
    });

    test('the whole history, combined with --group: every category of the example, and no data fails', async () => {
      const r = await check(['--changed', 'HEAD~3..HEAD', '--group', 'code_review', ...changedFlags(), '--json'], {}, ws);
      assert.equal(r.code, 1, r.err);
      const j = parse(r.out);
      assert.deepEqual(j.scopes.map((s) => `${s.kind} ${s.key} ${s.verdict}`), [
        'group code_review no_data',
        'group pipeline_execution over',
        'group source_code within',
        'category continuous_integration over',
        'category source_code_management within',
      ]);
      assert.equal(j.scopes[0]?.changedFiles, undefined);
    });

    test('--root from outside the workspace: its .budgetlens.yml names the store', async () => {
      const config = join(ws, '.budgetlens.yml');
      const before = readFileSync(config, 'utf8');
      writeFileSync(config, `${before}backend:\n  kind: store\n  path: ${store}\n`);
      try {
        const r = await check(['--changed', 'HEAD~3..HEAD~2', '--root', ws, '--at', AT, '--json'], {}, dir);
        assert.equal(r.code, 1, r.err);
        assert.equal(parse(r.out).source, `store ${store}`);
      } finally {
        writeFileSync(config, before);
      }
    });

    test('a range git refuses, or no repository: exit 2 with git\'s words', async () => {
      const bad = await check(['--changed', 'no-such-ref..HEAD', ...changedFlags()], {}, ws);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /^budget-lens check: error: git diff --name-only no-such-ref\.\.HEAD failed in .*gitlab-style: fatal: .*no-such-ref/m);
      const notRepo = mkdtempSync(join(tmpdir(), 'budget-lens-check-norepo-'));
      try {
        const r = await check(['--changed', 'HEAD~1..HEAD', '--root', notRepo, ...changedFlags()], {}, notRepo);
        assert.equal(r.code, 2);
        assert.match(r.err, /git diff --name-only HEAD~1\.\.HEAD failed in .*norepo.*: (fatal|warning|error)/);
      } finally {
        rmSync(notRepo, { recursive: true, force: true });
      }
    });
  });
});
