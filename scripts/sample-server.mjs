// The sample Budget API that `npm start` and `npm run demo` serve, in three steps:
//  1. ensureBuilt(): dist/cli.js, rebuilt (npm run build) when missing or older than anything under src/;
//  2. ensureSampleStore(dataDir): on first start, `budget-lens sample` writes 28 days of GitLab-style
//     logs for the example workspace examples/gitlab-style and `budget-lens ingest` loads them into
//     <dataDir>/store.db (default data dir: .budgetlens/ at the repo root);
//  3. startSampleServer(): `budget-lens serve`s the store on 127.0.0.1 with the example's catalog and
//     resolves once it listens, with its base URL (port 0 picks a free one).
// overviewText() is `budget-lens overview` of the example against that server: the first screen.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const EXAMPLE = join(ROOT, 'examples', 'gitlab-style');
export const DEFAULT_DATA_DIR = join(ROOT, '.budgetlens');
const EXAMPLE_CONFIG = join(EXAMPLE, '.budgetlens.yml');
const CATALOG = join(ROOT, 'catalog', 'gitlab');
const SERVE_TOKEN_ENV = 'BUDGET_LENS_SERVE_TOKEN';

export class StartError extends Error {}

/** Every child process started here that may still run: the caller ends them on Ctrl-C. */
export const children = new Set();

function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** A path as shown to the user: repo-relative when inside the repo. */
export function shown(p) {
  const rel = relative(ROOT, p);
  return p.startsWith(ROOT) ? rel || '.' : p;
}

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

function step(title, command, args) {
  console.log(`\n== ${title}\n$ ${[command, ...args].map((a) => (a.startsWith(ROOT) ? shown(a) : a)).join(' ')}`);
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  return r.status ?? 1;
}

export function ensureBuilt() {
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newestMtime(join(ROOT, 'src'))) {
    if (step('building dist/ (sources changed)', 'npm', ['run', 'build']) !== 0) throw new StartError('the build failed; fix the errors above (npm run build)');
  }
}

export function ensureSampleStore(dataDir = DEFAULT_DATA_DIR) {
  const store = join(dataDir, 'store.db');
  if (existsSync(store)) return store;
  const logs = join(dataDir, 'sample-logs');
  const sampleArgs = ['sample', '--root', EXAMPLE, '--out', logs];
  if (step('writing 28 days of sample logs for examples/gitlab-style', process.execPath, [CLI, ...sampleArgs]) !== 0) {
    // Fallback for a bundle that cannot load tree-sitter's wasm (seen once with import.meta.url
    // in the CJS bundle): the same command from the sources (tsx, a devDependency).
    const fromSources = [join(ROOT, 'src', 'cli', 'main.ts'), ...sampleArgs];
    if (step('retrying from the sources', process.execPath, ['--import', 'tsx', ...fromSources]) !== 0) {
      throw new StartError('budget-lens sample failed (see above)');
    }
  }
  if (step('ingesting them into the store', process.execPath, [CLI, 'ingest', logs, '--store', store]) !== 0) {
    throw new StartError(`budget-lens ingest failed (see above); remove ${shown(dataDir)}/ and try again`);
  }
  // examples/gitpod-style's objectives read metric event logs: the same store holds 35 days of them
  // (budget-lens slo status --root examples/gitpod-style --store <store>).
  const events = join(dataDir, 'sample-events');
  if (step('writing and ingesting 35 days of workspace events for examples/gitpod-style', process.execPath, [CLI, 'sample', '--gitpod', '--out', events, '--ingest', '--store', store]) !== 0) {
    throw new StartError(`budget-lens sample --gitpod failed (see above); remove ${shown(dataDir)}/ and try again`);
  }
  return store;
}

/**
 * Spawns `budget-lens serve` on the store; resolves `{ child, base, api }` once it listens
 * (`base` = http://127.0.0.1:port, `api` = base + /api/v1). Its stdout goes to `onOutput`, its
 * stderr (the request log) too when `stderr` is 'pipe', else to ours.
 */
export function startSampleServer({ store, port = '7464', onOutput = (t) => process.stdout.write(t), env = process.env, stderr = 'inherit' }) {
  const catalogArgs = existsSync(EXAMPLE_CONFIG) ? ['--config', EXAMPLE_CONFIG] : ['--catalog', CATALOG];
  const args = [CLI, 'serve', '--store', store, ...catalogArgs, '--host', '127.0.0.1', '--port', String(port)];
  console.log(`\n== serving\n$ node ${args.map((a) => (a.startsWith(ROOT) ? shown(a) : a)).join(' ')}`);
  const child = track(spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', stderr], env }));
  child.stderr?.on('data', (c) => onOutput(c.toString()));
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      onOutput(chunk.toString());
      seen += chunk.toString();
      const m = /listening on (http:\/\/\S+)\/api\/v1/.exec(seen);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.on('data', (c) => onOutput(c.toString()));
        child.off('exit', onExit);
        resolve({ child, base: m[1], api: `${m[1]}/api/v1` });
      }
    };
    const onExit = (code) => reject(new StartError(`budget-lens serve exited (code ${code}) before it listened`));
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

/**
 * `budget-lens overview` of the example workspace against the running server (its figures, the
 * index's file:line), as the text it prints; run asynchronously so the server's signals stay live.
 */
export function overviewText(base, env = process.env) {
  const token = env[SERVE_TOKEN_ENV];
  const childEnv = token ? { ...env, BUDGET_LENS_TOKEN: token } : env;
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, [CLI, 'overview', '--api', base, '--root', EXAMPLE], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new StartError(`budget-lens overview failed (code ${code}): ${err.trim()}`))));
  });
}
