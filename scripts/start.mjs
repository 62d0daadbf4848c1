// `npm start`: the Budget API on sample data in one command.
//  1. builds dist/cli.js when it is missing or older than anything under src/ (npm run build);
//  2. on first start creates the store .budgetlens/store.db at the repo root: `budget-lens sample`
//     writes 28 days of GitLab-style logs for the example workspace examples/gitlab-style, then
//     `budget-lens ingest` loads them;
//  3. `budget-lens serve`s it on 127.0.0.1 (PORT, default 7464) with the catalog configured in the
//     example's .budgetlens.yml (else catalog/gitlab) and prints URLs to try.
// Ctrl-C stops the server gracefully. Delete .budgetlens/ to start over with fresh data.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const dataDir = join(root, '.budgetlens');
const store = join(dataDir, 'store.db');
const logs = join(dataDir, 'sample-logs');
const example = join(root, 'examples', 'gitlab-style');
const exampleConfig = join(example, '.budgetlens.yml');
const sharedCatalog = join(root, 'catalog', 'gitlab');
const port = process.env.PORT ?? '7464';

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
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
  console.log(`\n== ${title}\n$ ${[command, ...args].map((a) => (a.startsWith(root) ? relative(root, a) || '.' : a)).join(' ')}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
}

// 1. Build.
if (!existsSync(cli) || statSync(cli).mtimeMs < newestMtime(join(root, 'src'))) {
  if (step('building dist/ (sources changed)', 'npm', ['run', 'build']) !== 0) fail('the build failed; fix the errors above (npm run build)');
}

// 2. The store, on first start.
if (!existsSync(store)) {
  const hasCommand = (name) => spawnSync(process.execPath, [cli, name, '--help'], { cwd: root, encoding: 'utf8' }).status === 0;
  if (!hasCommand('sample') || !hasCommand('ingest')) {
    fail(`'budget-lens sample' and 'budget-lens ingest' are not available in this build, so there is no data to serve yet.
Create a store yourself with 'budget-lens ingest <your GitLab logs> --store ${relative(root, store)}', then run npm start again.`);
  }
  const sampleArgs = ['sample', '--root', example, '--out', logs];
  if (step('writing 28 days of sample logs for examples/gitlab-style', process.execPath, [cli, ...sampleArgs]) !== 0) {
    // Fallback for a bundle that cannot load tree-sitter's wasm (seen once with import.meta.url
    // in the CJS bundle): the same command from the sources (tsx, a devDependency).
    const fromSources = [join(root, 'src', 'cli', 'main.ts'), ...sampleArgs];
    if (step('retrying from the sources', process.execPath, ['--import', 'tsx', ...fromSources]) !== 0) {
      fail('budget-lens sample failed (see above)');
    }
  }
  if (step('ingesting them into the store', process.execPath, [cli, 'ingest', logs, '--store', store]) !== 0) {
    fail(`budget-lens ingest failed (see above); remove ${relative(root, dataDir)}/ and try again`);
  }
}

// 3. Serve.
const catalogArgs = existsSync(exampleConfig) ? ['--config', exampleConfig] : ['--catalog', sharedCatalog];
const args = [cli, 'serve', '--store', store, ...catalogArgs, '--host', '127.0.0.1', '--port', port];
console.log(`\n== serving\n$ node ${args.map((a) => (a.startsWith(root) ? relative(root, a) : a)).join(' ')}`);
const server = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let printed = false;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const m = /listening on (http:\/\/\S+\/api\/v1)/.exec(chunk.toString());
  if (m && !printed) {
    printed = true;
    const api = m[1];
    console.log(`
Try:
  ${api}/groups
  ${api}/groups/pipeline_execution
  ${api}/groups/pipeline_execution/endpoints?limit=5
  ${api}/groups/pipeline_execution/daily
  ${api}/groups/pipeline_execution/burn-rates
  ${api}/categories?names=team_planning,continuous_integration
  ${api}/report?month=${new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1)).toISOString().slice(0, 7)}
  ${api}/openapi.json
  node dist/cli.js status --group pipeline_execution --api ${api.replace(/\/api\/v1$/, '')}
Ctrl-C stops the server.`);
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
