/**
 * `npm start` end to end: `node scripts/start.mjs --data-dir <tmp>` with PORT=0 writes the sample
 * store into the temp dir, serves it, and prints the overview of the example workspace. The test
 * waits for /healthz, then checks every figure of the printed screen against the running
 * server's own JSON answers (same `at`, the SDK's display rounding), that the over-budget group
 * is named with its top 3 endpoints, and that each `file:line` is the line of the example that
 * defines that endpoint (read from the file, not from the index). SIGINT to start.mjs alone must
 * stop everything it started: afterwards no process of its process group is left.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatMinutes, formatPercent } from '../../../src/sdk/budget/format';
import type { ApiResult, GroupBudget, TopEndpoints } from '../../../src/sdk/contract/apiTypes';

const REPO = join(__dirname, '..', '..', '..');
const STARTED = 'Ctrl-C stops the server.';

let dataDir = '';
let start: ChildProcess;
let out = '';
let exited: Promise<number | null>;

/** Live processes (pid) of a process group, from ps. */
function processGroup(pgid: number): number[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([, g]) => g === pgid)
    .map(([p]) => p as number);
}

async function waitFor(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (start.exitCode !== null) throw new Error(`start.mjs exited (${start.exitCode}) while waiting for ${what}:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}:\n${out}`);
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return (await res.json()) as T;
}

/** `270.55` as the screen shows budget-minutes: the SDK's display rounding of the API's figure. */
function minutes(v: number | null): string {
  return v === null ? 'no data' : formatMinutes(v).replace(/ min$/, '');
}

/** True when `text` (one line of an example file) defines the endpoint `id`. */
function definesEndpoint(id: string, text: string): boolean {
  const action = /^[A-Z][\w:]*#(\w+)$/.exec(id);
  if (action) return new RegExp(`^\\s*def ${action[1]}\\b`).test(text);
  const route = /^(GET|POST|PUT|PATCH|DELETE) (\/\S+)$/.exec(id);
  if (route) {
    const m = new RegExp(`^\\s*${route[1]!.toLowerCase()}\\s+['"]([^'"]+)['"]`).exec(text);
    return m !== null && route[2]!.endsWith(m[1]!);
  }
  if (id.startsWith('graphql:')) return text.includes(id.slice('graphql:'.length));
  const worker = id.split('::').pop() as string;
  return new RegExp(`^\\s*class (\\w+::)*${worker}\\b`).test(text);
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bl-npm-start-'));
  // Its own process group, so the check at the end sees every process it started, whatever its depth.
  start = spawn(process.execPath, ['scripts/start.mjs', '--data-dir', dataDir], {
    cwd: REPO,
    env: { ...process.env, PORT: '0', BUDGET_LENS_SERVE_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  exited = new Promise((r) => start.on('exit', (code) => r(code)));
  start.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  start.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  await waitFor('the overview', 240_000, () => out.includes(STARTED));
});

after(async () => {
  if (start.exitCode === null && start.pid !== undefined) {
    try {
      process.kill(-start.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start (scripts/start.mjs)', () => {
  let base = '';
  let asOf = '';

  test('serves the sample store it wrote into --data-dir; /healthz answers', async () => {
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(out);
    assert.ok(m, out);
    base = m[1] as string;
    assert.ok(existsSync(join(dataDir, 'store.db')), 'the store is in the data dir');
    const res = await fetch(`${base}/api/v1/healthz`);
    assert.equal(res.status, 200);
  });

  test("each group of the example: spent / budget / remaining and state, as the API answers them", async () => {
    const head = /Error budgets of examples\/gitlab-style: 28d window ending (\S+), target 99\.95 %/.exec(out);
    assert.ok(head, out);
    asOf = head[1] as string;
    const api = await getJson<ApiResult<GroupBudget[]>>(`${base}/api/v1/groups?at=${encodeURIComponent(asOf)}`);
    assert.equal(api.meta.asOf, asOf);
    // The sample logs cover exactly the example's endpoints, so its groups are the ones with data.
    const withData = api.data.filter((g) => g.status !== 'no_data');
    assert.ok(withData.length >= 3, `groups with data: ${withData.map((g) => g.group).join(', ')}`);
    const rows = out.split('\n').filter((l) => /^ {2}\S.*\s(OVER BUDGET|within budget|low traffic|no data)$/.test(l));
    assert.equal(rows.length, withData.length, rows.join('\n'));
    const state: Record<string, string> = { over_budget: 'OVER BUDGET', healthy: 'within budget', low_traffic: 'low traffic', no_data: 'no data' };
    const ordered = [...withData].sort((a, b) => (a.remainingMinutes as number) - (b.remainingMinutes as number));
    ordered.forEach((g, i) => {
      const cells = (rows[i] as string).trim().split(/\s{2,}/);
      assert.deepEqual(cells, [g.name, g.group, minutes(g.spentMinutes), minutes(g.budgetMinutes), minutes(g.remainingMinutes), state[g.status]]);
    });
    assert.ok(withData.every((g) => g.budgetMinutes === 20.16), 'every group has the 99.95 % budget of 20.16 budget-min');
  });

  test('the over-budget group is named with the failing endpoints among its top 3 and the file:line that defines each', async () => {
    const api = await getJson<ApiResult<GroupBudget[]>>(`${base}/api/v1/groups?at=${encodeURIComponent(asOf)}`);
    const over = api.data.filter((g) => g.status === 'over_budget');
    // The sample makes the group of the example's largest category (continuous_integration) overspend.
    assert.deepEqual(over.map((g) => g.group), ['pipeline_execution']);
    const g = over[0] as GroupBudget;
    assert.ok(
      out.includes(`Over budget: ${g.name} (${g.group}, stage ${g.stage}): ${minutes(g.spentMinutes)} of 20.16 budget-min spent, ${minutes(-(g.remainingMinutes as number))} over.`),
      out,
    );
    const top = await getJson<ApiResult<TopEndpoints>>(`${base}/api/v1/groups/${g.group}/endpoints?limit=3&at=${encodeURIComponent(asOf)}`);
    assert.equal(top.data.endpoints.length, 3);
    // Only endpoints that failed are offenders (the sample's third-ranked endpoint has no failure on
    // some days: it is then left out rather than listed with "0 failures").
    const failing = top.data.endpoints.filter((e) => e.failures > 0);
    assert.ok(failing.length >= 1, `failing endpoints in the top 3: ${failing.length}`);
    assert.ok(out.includes(`Top ${failing.length} failing endpoints of ${g.name}:`), out);
    assert.ok(!/ 0 failures · /.test(out), `an endpoint with no failure is listed as an offender:\n${out}`);
    const block = out.slice(out.indexOf(`Top ${failing.length} failing endpoints of ${g.name}:`)).split('\n').slice(1, 1 + 3 * failing.length);
    failing.forEach((e, i) => {
      assert.equal(block[i * 3], `  ${i + 1}. ${e.endpointId}`);
      assert.equal(
        block[i * 3 + 1],
        `     ${e.failures.toLocaleString('en-US')} ${e.failures === 1 ? 'failure' : 'failures'} · ${minutes(e.spentMinutes)} budget-min · ${formatPercent(e.shareOfSpend)} of the group's spend`,
      );
      const loc = /^ {5}(examples\/gitlab-style\/\S+):(\d+)$/.exec(block[i * 3 + 2] as string);
      assert.ok(loc, `location of ${e.endpointId}: ${block[i * 3 + 2]}`);
      const line = readFileSync(join(REPO, loc[1] as string), 'utf8').split('\n')[Number(loc[2]) - 1] as string;
      assert.ok(definesEndpoint(e.endpointId, line), `${loc[1]}:${loc[2]} is '${line}', not the definition of ${e.endpointId}`);
    });
    // The slow endpoint the sample plants leads, at the line of its `def`.
    assert.ok(out.includes('examples/gitlab-style/app/controllers/projects/pipeline_schedules_controller.rb:15'), out);
  });

  test('SIGINT stops the server and leaves no process behind', async () => {
    const pgid = start.pid as number;
    assert.ok(processGroup(pgid).length >= 2, 'start.mjs and the server run');
    start.kill('SIGINT');
    assert.equal(await exited, 0);
    // The server exits before start.mjs does; give the kernel a moment to reap, then insist.
    for (let i = 0; i < 25 && processGroup(pgid).length > 0; i++) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(processGroup(pgid), []);
    await assert.rejects(fetch(`${base}/api/v1/healthz`));
  });
});
