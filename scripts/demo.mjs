// `npm run demo`: the whole product in a browser tab.
//  1. the sample Budget API, as `npm start` serves it (build, sample store on first start in
//     .budgetlens/, `budget-lens serve` on 127.0.0.1: PORT, default a free port), without a token;
//  2. the extension as users get it: the .vsix of `npm run package` when the repository has that
//     script, installed with the VS Code server's `--install-extension`; otherwise the files the
//     .vsix would hold (scripts/packaged-layout.mjs) placed in the server's extensions folder.
//     Either way no extension development path: the workbench runs the installed copy;
//  3. the VS Code server (.vscode-test/server, installed by scripts/install-vscode-server.sh on
//     first use) on 127.0.0.1 (DEMO_PORT, default 7465) with the example workspace
//     examples/gitlab-style and `budgetLens.api.url` pointing at the sample server in its machine
//     settings; it prints one URL that opens the over-budget controller with its lenses.
// Ctrl-C stops all of it (the VS Code server's whole process group, the Budget API) and removes
// the server's temporary folders.
// Usage: npm run demo [-- --data-dir dir] [-- --vsix file]   (--vsix: install that .vsix instead of packaging one)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writePackagedLayout } from './packaged-layout.mjs';
import { DEFAULT_DATA_DIR, EXAMPLE, ROOT, StartError, children, ensureBuilt, ensureSampleStore, shown, startSampleServer } from './sample-server.mjs';
import { MACHINE_SETTINGS, SERVER_MAIN } from '../test/extension/vscodeServer.mjs';

/** The file the printed URL opens: the over-budget group's slowest endpoint (`def play`). */
export const DEMO_FILE = join(EXAMPLE, 'app', 'controllers', 'projects', 'pipeline_schedules_controller.rb');
const DEMO_LINE = 15;

let tmp;
let vscode;
let stopping = false;

function log(line) {
  console.log(line);
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  if (vscode?.exitCode === null && vscode.pid !== undefined) {
    // The server forks an extension host, a file watcher, a pty host: end the group it leads.
    try {
      process.kill(-vscode.pid, 'SIGTERM');
    } catch {
      // gone
    }
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-vscode.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  const exits = [...children].map((child) => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))));
  await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 5000))]);
  for (const child of children) child.kill('SIGKILL');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}

function fail(message) {
  console.error(`npm run demo: ${message}`);
  return stopAll(1);
}

/** The .vsix `npm run package` writes (the newest *.vsix at the repo root after it ran), or undefined without that script. */
function packageVsix() {
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
  if (!scripts.package) return undefined;
  log('\n== packaging the extension\n$ npm run package');
  const started = Date.now();
  const r = spawnSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new StartError('npm run package failed (see above)');
  const vsix = readdirSync(ROOT)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => join(ROOT, f))
    .filter((f) => statSync(f).mtimeMs >= started - 1000)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!vsix) throw new StartError('npm run package wrote no .vsix at the repository root');
  return vsix;
}

function ensureVscodeServer() {
  if (existsSync(SERVER_MAIN)) return;
  log('\n== installing the VS Code server into .vscode-test/ (once)');
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'install-vscode-server.sh')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(SERVER_MAIN)) throw new StartError('scripts/install-vscode-server.sh failed (see above)');
}

async function waitForHttp(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (vscode.exitCode !== null) throw new StartError(`the VS Code server exited with code ${vscode.exitCode}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new StartError(`the VS Code server did not answer ${url} within ${ms} ms`);
}

async function main() {
  let options;
  try {
    options = parseArgs({ options: { 'data-dir': { type: 'string' }, vsix: { type: 'string' } }, strict: true }).values;
  } catch (e) {
    throw new StartError(`${e.message}\nusage: npm run demo [-- --data-dir dir] [-- --vsix file]   (PORT: the Budget API's port, DEMO_PORT: the workbench's, default 7465)`);
  }
  const dataDir = options['data-dir'] !== undefined ? resolve(options['data-dir']) : DEFAULT_DATA_DIR;
  const demoPort = Number(process.env.DEMO_PORT ?? '7465');

  ensureBuilt();
  ensureVscodeServer();
  const vsix = options.vsix !== undefined ? resolve(options.vsix) : packageVsix();
  if (vsix !== undefined && !existsSync(vsix)) throw new StartError(`--vsix: no such file ${vsix}`);
  const store = ensureSampleStore(dataDir);
  // No token: the extension keeps tokens in VS Code's secret storage, which a script cannot fill.
  // Its request log is kept for an error message, not printed: the URL stays the last screen.
  const apiLog = [];
  const api = await startSampleServer({
    store,
    port: process.env.PORT ?? '0',
    env: { ...process.env, BUDGET_LENS_SERVE_TOKEN: '' },
    stderr: 'pipe',
    onOutput: (text) => apiLog.push(text) > 50 && apiLog.shift(),
  });
  log(`Budget API: ${api.api} (sample store ${shown(store)})`);
  api.child.on('exit', (code) => {
    if (!stopping) void fail(`the Budget API exited (code ${code}):\n${apiLog.join('').slice(-2000)}`);
  });

  tmp = mkdtempSync(join(tmpdir(), 'budget-lens-demo-'));
  const ext = join(tmp, 'extensions');
  const userDir = join(tmp, 'user');
  mkdirSync(join(userDir, 'Machine'), { recursive: true });
  // The remote's machine settings (--user-data-dir/Machine/settings.json): where budgetLens.api.url
  // is read from in a browser window (the setting is machine-overridable).
  writeFileSync(join(userDir, 'Machine', 'settings.json'), JSON.stringify({ ...MACHINE_SETTINGS, 'budgetLens.api.url': api.base }, null, 2));
  const serverArgs = [
    SERVER_MAIN,
    '--host', '127.0.0.1', '--port', String(demoPort), '--without-connection-token', '--accept-server-license-terms',
    '--disable-telemetry', '--disable-workspace-trust', '--default-folder', EXAMPLE,
    '--server-data-dir', join(tmp, 'data'), '--user-data-dir', userDir, '--extensions-dir', ext,
  ];
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  if (vsix) {
    log(`\n== installing ${shown(vsix)} into the VS Code server`);
    serverArgs.push('--install-extension', vsix, '--start-server');
  } else {
    // Until `npm run package` exists: the .vsix's files, where an installed extension lives.
    const files = writePackagedLayout(join(ext, `budget-lens.budget-lens-${version}`));
    log(`\n== no 'npm run package' yet: the ${files.length} files a .vsix holds (scripts/packaged-layout.mjs) in the server's extensions folder`);
  }
  log(`\n== VS Code server (${shown(SERVER_MAIN)})`);
  vscode = spawn(process.execPath, serverArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const serverLog = [];
  for (const stream of [vscode.stdout, vscode.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text) => {
      serverLog.push(text);
    });
  }
  vscode.on('exit', (code) => {
    if (!stopping) void fail(`the VS Code server exited (code ${code}):\n${serverLog.join('').slice(-2000)}`);
  });
  const base = `http://127.0.0.1:${demoPort}`;
  await waitForHttp(`${base}/version`, 60_000);
  if (vsix) {
    // --start-server answers before the install is done: the URL waits for the install's verdict.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const text = serverLog.join('');
      const done = /Extension installed successfully: (\S+)/.exec(text);
      if (done) {
        log(`installed ${done[1]}`);
        break;
      }
      const failed = /(Error while installing|Failed Installing|Unable to install)[^\n]*/i.exec(text);
      if (failed) throw new StartError(`the VS Code server could not install ${shown(vsix)}: ${failed[0]}`);
      if (Date.now() > deadline) throw new StartError(`no word from the VS Code server on installing ${shown(vsix)} within 2 minutes:\n${text.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const remote = (p) => `vscode-remote://127.0.0.1:${demoPort}${p}`;
  const payload = [['openFile', remote(`${DEMO_FILE}:${DEMO_LINE}`)], ['gotoLineMode', 'true']];
  // Slashes and colons may stay as they are in a query: the URL stays readable.
  const query = (v) => encodeURIComponent(v).replace(/%2F/g, '/').replace(/%3A/g, ':');
  const url = `${base}/?folder=${query(EXAMPLE)}&payload=${query(JSON.stringify(payload))}`;
  log(`
Budget Lens ${version}${vsix ? ` (${shown(vsix)})` : ''} in VS Code ${JSON.parse(readFileSync(join(SERVER_MAIN, '..', '..', 'package.json'), 'utf8')).version}, the example ${shown(EXAMPLE)} against the sample Budget API ${api.base}.
Open in a browser:

  ${url}

Ctrl-C stops the workbench and the Budget API.`);
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopAll(0));
try {
  await main();
} catch (e) {
  if (e instanceof StartError) await fail(e.message);
  else {
    console.error(e);
    await stopAll(1);
  }
}
