/**
 * `npm run demo` end to end: `node scripts/demo.mjs --data-dir <tmp>` (PORT=0 for the Budget API,
 * a free DEMO_PORT for the workbench) prints one URL; headless Chromium opens it and the example's
 * over-budget controller shows budget figures in its lenses and the status bar, from the
 * extension installed in the server's extensions folder (the URL names no development path).
 * SIGINT to demo.mjs alone must end every process it started (the VS Code server's group, the
 * Budget API) and remove its temporary folder. Needs the VS Code server (.vscode-test/, installed
 * by scripts/install-vscode-server.sh, which .ci/run runs first) and Debian's chromium.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

const REPO = join(__dirname, '..', '..', '..');

let dataDir = '';
let demo: ChildProcess;
let out = '';
let exited: Promise<number | null>;
let url = '';
let browser: Browser | undefined;

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  cmd: string;
}

function processes(): Proc[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [pid, ppid, pgid, ...cmd] = l.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), cmd: cmd.join(' ') };
    });
}

/** `root` and every process below it. */
function tree(root: number): Proc[] {
  const all = processes();
  const found = all.filter((p) => p.pid === root);
  for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === (found[i] as Proc).pid));
  return found;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => ok(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bl-npm-demo-'));
  demo = spawn(process.execPath, ['scripts/demo.mjs', '--data-dir', dataDir], {
    cwd: REPO,
    env: { ...process.env, PORT: '0', DEMO_PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = new Promise((r) => demo.on('exit', (code) => r(code)));
  demo.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  demo.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 300_000;
  for (;;) {
    const m = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(out);
    if (m) {
      url = m[1] as string;
      break;
    }
    if (demo.exitCode !== null) throw new Error(`demo.mjs exited (${demo.exitCode}) before printing a URL:\n${out}`);
    if (Date.now() > deadline) throw new Error(`no URL within 5 minutes:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

after(async () => {
  await browser?.close();
  if (demo.exitCode === null) {
    for (const p of tree(demo.pid as number).reverse()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run demo (scripts/demo.mjs)', () => {
  test('prints one URL: the example folder, the over-budget controller, no extension development path', () => {
    assert.equal(out.match(/^ {2}http:\/\//gm)?.length, 1, out);
    const u = new URL(url);
    assert.equal(u.searchParams.get('folder'), join(REPO, 'examples', 'gitlab-style'));
    const payload = JSON.parse(u.searchParams.get('payload') ?? '[]') as string[][];
    assert.deepEqual(payload.map(([k]) => k), ['openFile', 'gotoLineMode']);
    assert.match(payload[0]?.[1] ?? '', /\/examples\/gitlab-style\/app\/controllers\/projects\/pipeline_schedules_controller\.rb:15$/);
    assert.ok(!url.includes('extensionDevelopmentPath'), url);
  });

  test('the extension is installed in the server, which runs it from there', () => {
    const server = tree(demo.pid as number).find((p) => p.cmd.includes('server-main.js'));
    assert.ok(server, `no VS Code server under demo.mjs:\n${out}`);
    const extDir = /--extensions-dir (\S+)/.exec(server.cmd)?.[1] as string;
    assert.ok(extDir && existsSync(extDir), server.cmd);
    assert.deepEqual(
      readdirSync(extDir).filter((n) => n.startsWith('budget-lens.budget-lens-')),
      [`budget-lens.budget-lens-${(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version}`],
    );
    assert.ok(!server.cmd.includes('--extensionDevelopmentPath'));
  });

  test('the URL opens the controller with budget figures in its lenses and the status bar', async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.tab.active', { hasText: 'pipeline_schedules_controller.rb' }).waitFor({ timeout: 60_000 });
    // `continuous_integration · 265.50 of 20.16 budget-min (1317 %) · 28 d`: figures from the sample server.
    const lens = page.locator('.codelens-decoration', { hasText: /^continuous_integration · [\d.]+ of 20\.16 budget-min \(\d+ %\) · 28 d$/ }).first();
    await lens.waitFor({ timeout: 90_000 });
    // The group is over budget in the sample: a negative remainder.
    await page.locator('.statusbar-item', { hasText: /Pipeline Execution: -[\d.]+ budget-min left/ }).waitFor({ timeout: 30_000 });
    await browser.close();
    browser = undefined;
  });

  test('SIGINT stops the workbench and the Budget API and removes the temporary folder', async () => {
    const before = tree(demo.pid as number);
    const server = before.find((p) => p.cmd.includes('server-main.js')) as Proc;
    const tmp = dirname(/--extensions-dir (\S+)/.exec(server.cmd)?.[1] as string);
    assert.ok(before.some((p) => p.cmd.includes('cli.js serve')), 'the Budget API runs under demo.mjs');
    assert.ok(before.length >= 4, before.map((p) => p.cmd).join('\n'));
    // The VS Code server leads a group of its own (demo.mjs and the API share this test's).
    const own = processGroupOfThisTest();
    const groups = new Set(before.map((p) => p.pgid).filter((g) => g !== own));
    assert.ok(groups.has(server.pid), 'the VS Code server leads its process group');
    demo.kill('SIGINT');
    assert.equal(await exited, 0);
    const left = (): Proc[] => processes().filter((p) => before.some((b) => b.pid === p.pid) || groups.has(p.pgid));
    for (let i = 0; i < 25 && left().length > 0; i++) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(left().map((p) => `${p.pid} ${p.cmd}`), []);
    assert.ok(!existsSync(tmp), `${tmp} is left`);
  });
});

/** This test process's own group: demo.mjs shares it (it is not detached), the server does not. */
function processGroupOfThisTest(): number {
  return (processes().find((p) => p.pid === process.pid) as Proc).pgid;
}
