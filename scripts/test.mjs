// Runs Node's built-in test runner over a folder of *.test.ts files (Node 20's --test takes no globs).
// Usage: node scripts/test.mjs <folder or *.test.ts file> [--concurrency N]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [dir = 'test/unit', ...rest] = process.argv.slice(2);
const concurrency = rest.includes('--concurrency') ? rest[rest.indexOf('--concurrency') + 1] : '2';

function collect(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    if (statSync(p).isDirectory()) return collect(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}

const files = (statSync(dir).isDirectory() ? collect(dir) : [dir]).sort();
if (files.length === 0) {
  console.error(`no test files under ${dir}`);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
