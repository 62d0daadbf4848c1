// `npm start`: the Budget API on sample data in one command, and the story in one screen of text.
//  1. builds dist/cli.js when it is missing or older than anything under src/ (npm run build);
//  2. on first start creates the store <data dir>/store.db (default .budgetlens/ at the repo root):
//     `budget-lens sample` writes 28 days of GitLab-style logs for the example workspace
//     examples/gitlab-style, then `budget-lens ingest` loads them;
//  3. `budget-lens serve`s it on 127.0.0.1 (PORT, default 7464; 0 picks a free port) with the
//     catalog configured in the example's .budgetlens.yml (else catalog/gitlab);
//  4. once it answers, prints `budget-lens overview` of the example against it: each group's
//     spent / budget / remaining budget-min and state, the over-budget group and its top 3 failing
//     endpoints with file:line, then a few URLs to try.
// Ctrl-C stops the server gracefully. Delete the data dir to start over with fresh data.
// Usage: npm start [-- --data-dir dir]
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { DEFAULT_DATA_DIR, StartError, children, ensureBuilt, ensureSampleStore, overviewText, startSampleServer } from './sample-server.mjs';

function fail(message) {
  console.error(`npm start: ${message}`);
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
}

let options;
try {
  options = parseArgs({ options: { 'data-dir': { type: 'string' } }, strict: true }).values;
} catch (e) {
  fail(`${e.message}\nusage: npm start [-- --data-dir dir]   (PORT=n picks the port)`);
}
const dataDir = options['data-dir'] !== undefined ? resolve(options['data-dir']) : DEFAULT_DATA_DIR;
const port = process.env.PORT ?? '7464';

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    for (const child of children) child.kill(signal);
    if (children.size === 0) process.exit(0);
  });
}

try {
  ensureBuilt();
  const store = ensureSampleStore(dataDir);
  // The server's request log is held while the overview runs, so its own requests print above
  // the overview instead of through it: the overview is the last screen.
  let held = '';
  let holding = true;
  const onOutput = (text) => (holding ? (held += text) : process.stdout.write(text));
  const { child, base, api } = await startSampleServer({ store, port, onOutput });
  process.stdout.write(held);
  held = '';
  child.on('exit', (code) => process.exit(stopping ? 0 : (code ?? 0)));
  let overview;
  try {
    overview = await overviewText(base);
  } catch (e) {
    overview = `(no overview: ${e.message})\n`;
  }
  process.stdout.write(held);
  holding = false;
  if (!stopping) {
    console.log(`\n${overview}`);
    console.log(`Try: ${api}/groups · ${api}/groups/pipeline_execution/endpoints?limit=5 · ${api}/openapi.json
     node dist/cli.js status --group pipeline_execution --api ${base}
Ctrl-C stops the server.`);
  }
} catch (e) {
  if (e instanceof StartError) fail(e.message);
  throw e;
}
