/**
 * The CLI installs by itself: `npm pack` of the repository gives a tarball holding the CLI bundle,
 * its worker bundles, the wasm files and GitLab's catalog (nothing else), and after
 * `npm install -g <tarball> --prefix <empty folder>` its `budget-lens` runs from the installed
 * copy: --version, `map` and `lint` on examples/gitlab-style with the same output as the
 * sources, and the store commands through the installed better-sqlite3. The same package is the SDK
 * (package.json "exports": dist/sdk.js + dist/types): examples/sdk type-checks against the installed
 * declarations and prints what the installed CLI prints for the same store.
 *
 * Slow on purpose: better-sqlite3 has no reachable prebuilt binary offline, so npm builds it from
 * its bundled SQLite sources (about 80 s on 2 cores). `npm pack` runs `prepack`, which rebuilds
 * dist/ as production bundles, as a release would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { formatMinutes } from '../../../src/sdk';

const REPO = join(__dirname, '..', '..', '..');
const EXAMPLE = join(REPO, 'examples', 'gitlab-style');
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/** What the tarball may hold, exactly (npm adds package.json, README.md and LICENSE itself). */
const EXPECTED_FILES = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'catalog/gitlab/feature_categories.yml',
  'catalog/gitlab/stages.yml',
  'dist/cli.js',
  'dist/indexWorker.js',
  'dist/sdk.js',
  'dist/storeWriterWorker.js',
  'dist/tree-sitter-ruby.wasm',
  'dist/web-tree-sitter.wasm',
  'package.json',
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The same command through the sources, in-process (what the other CLI tests check line by line). */
async function fromSources(argv: string[], cwd: string): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (chunks: string[]): Writable =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
  const code = await main(argv, { stdout: sink(out), stderr: sink(err), cwd, env: {} });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

test('npm pack gives a lean tarball whose budget-lens runs after npm install -g into an empty prefix', { timeout: 600_000 }, async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'budget-lens-cli-package-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));

  // 1. npm pack (prepack: production bundles). --json lists the tarball's files.
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string; size: number }> }>;
  const pack = packed[0]!;
  // Besides these, only the SDK's declarations (dist/types/sdk/**.d.ts, one per SDK module).
  const packedPaths = pack.files.map((f) => f.path).sort();
  assert.deepEqual(packedPaths.filter((p) => !p.startsWith('dist/types/')), EXPECTED_FILES);
  const declarations = packedPaths.filter((p) => p.startsWith('dist/types/'));
  assert.ok(declarations.includes('dist/types/sdk/index.d.ts'), declarations.slice(0, 5).join(', '));
  assert.deepEqual(declarations.filter((p) => !/^dist\/types\/sdk\/.+\.d\.ts$/.test(p)), []);
  const tarball = join(tmp, pack.filename);
  assert.ok(existsSync(tarball), tarball);
  t.diagnostic(`tarball ${pack.filename}: ${pack.size} bytes, ${pack.unpackedSize} unpacked, ${pack.files.length} files`);
  // Production bundles: minified (no source map reference) and well under a dev build (dist/sdk.js
  // is 1.9 MB in a dev build). The CLI bundle holds only the commands: it requires ./sdk.js.
  const sdk = pack.files.find((f) => f.path === 'dist/sdk.js')!;
  assert.ok(sdk.size < 1_200_000, `dist/sdk.js is ${sdk.size} bytes: not a production build?`);
  const cli = pack.files.find((f) => f.path === 'dist/cli.js')!;
  assert.ok(cli.size < 100_000, `dist/cli.js is ${cli.size} bytes: does it bundle the SDK again?`);
  for (const bundle of ['cli.js', 'sdk.js']) assert.doesNotMatch(readFileSync(join(REPO, 'dist', bundle), 'utf8').slice(-200), /sourceMappingURL/);

  // 2. Install it globally into an empty prefix, the way a user would, with nothing of the repo around.
  const prefix = join(tmp, 'prefix');
  mkdirSync(prefix);
  const install = spawnSync('npm', ['install', '-g', tarball, '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 540_000,
  });
  assert.equal(install.status, 0, `npm install -g failed:\n${install.stdout}\n${install.stderr}`);
  const bin = join(prefix, 'bin', 'budget-lens');
  const installedDir = join(prefix, 'lib', 'node_modules', 'budget-lens');
  assert.ok(existsSync(bin), `${bin} was not linked`);
  // The runtime dependencies are the native modules the bundles leave external, nothing bundled.
  const installedDeps = (JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
  assert.deepEqual(Object.keys(installedDeps), ['better-sqlite3']);

  const run = (args: string[], cwd: string): Run => {
    const r = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  // 3. --version from the installed package.json.
  const version = run(['--version'], tmp);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout, `budget-lens ${VERSION}\n`);

  // 4. map and lint on the example: the installed copy prints what the sources print.
  const mapArgs = ['map', 'app/controllers/projects/issues_controller.rb', 'lib/api/ci'];
  const installedMap = run(mapArgs, EXAMPLE);
  assert.equal(installedMap.code, 0, installedMap.stderr);
  // First the catalog in use (the example's .budgetlens.yml names the repository's copy), then the files.
  assert.match(installedMap.stdout, /^catalog: .*catalog\/gitlab\/stages\.yml \(\.budgetlens\.yml\)\napp\/controllers\/projects\/issues_controller\.rb\n {2}team_planning +project_management +plan +\(declaration\)/);
  assert.match(installedMap.stdout, /POST \/api\/:version\/projects\/:id\/pipelines\/:pipeline_id\/retry +continuous_integration/);
  assert.equal(installedMap.stdout, (await fromSources(mapArgs, EXAMPLE)).stdout);

  const installedLint = run(['lint', '--root', EXAMPLE], tmp);
  assert.equal(installedLint.code, 1, 'the example holds four mistakes on purpose');
  assert.match(installedLint.stderr, /4 errors, 0 warnings, 0 notes/);
  const sourceLint = await fromSources(['lint', '--root', EXAMPLE], tmp);
  assert.deepEqual([installedLint.stdout, installedLint.stderr], [sourceLint.stdout, sourceLint.stderr]);

  // 5. The store through the installed better-sqlite3: sample logs, ingest, a group's status.
  const logs = join(tmp, 'logs');
  const store = join(tmp, 'store.db');
  const end = '2026-11-01T00:00:00Z';
  const sample = run(['sample', '--out', logs, '--days', '2', '--calls', '2000', '--end', end, '--root', EXAMPLE], EXAMPLE);
  assert.equal(sample.code, 0, sample.stderr);
  const ingest = run(['ingest', logs, '--store', store], EXAMPLE);
  assert.equal(ingest.code, 0, ingest.stderr);
  const status = run(['status', '--group', 'project_management', '--store', store, '--window', '2d', '--at', end, '--json'], EXAMPLE);
  assert.equal(status.code, 0, status.stderr);
  const parsed = JSON.parse(status.stdout) as { group: { key?: string; group?: string } };
  assert.ok(JSON.stringify(parsed.group).includes('project_management'), status.stdout.slice(0, 300));

  // 6. The SDK from the installed package: examples/sdk compiles against its declarations
  //    (package.json "exports" types) and runs against dist/sdk.js.
  const user = join(tmp, 'sdk-user');
  mkdirSync(join(user, 'node_modules', '@types'), { recursive: true });
  symlinkSync(installedDir, join(user, 'node_modules', 'budget-lens'));
  symlinkSync(join(REPO, 'node_modules', '@types', 'node'), join(user, 'node_modules', '@types', 'node'));
  for (const f of ['groupBudgets.ts', 'tsconfig.json']) copyFileSync(join(REPO, 'examples', 'sdk', f), join(user, f));
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.'], { cwd: user, encoding: 'utf8' });
  assert.equal(tsc.status, 0, `examples/sdk does not type-check against the installed package:\n${tsc.stdout}${tsc.stderr}`);
  const example = spawnSync(process.execPath, ['groupBudgets.js', store, end], { cwd: user, encoding: 'utf8', timeout: 60_000 });
  assert.equal(example.status, 0, example.stderr);
  const lines = example.stdout.trimEnd().split('\n');
  // From counts s=62,990 w=63,000 o=63,006 e=2 over 28 d at 99.95 %: failures (63,000-62,990)+2 = 12,
  // m = 126,006; spent 12 * 40,320 / 126,006 = 3.8398 min; budget 0.0005 * 40,320 = 20.16 min;
  // availability (62,990+63,006-2) / 126,006 = 99.99047 %, shown rounded down to 99.990 %.
  assert.equal(lines[0], 'project_management: 3.84 min of 20.16 min spent, availability 99.990 %');
  // Over the store, each group with data, as the installed CLI's `status` reports it.
  const cliGroup = run(['status', '--group', 'project_management', '--store', store, '--window', '28d', '--at', end, '--json'], EXAMPLE);
  assert.equal(cliGroup.code, 0, cliGroup.stderr);
  const g = (JSON.parse(cliGroup.stdout) as { group: { data: { spentMinutes: number | null; budgetMinutes: number; status: string } } }).group.data;
  assert.ok(
    lines.includes(`project_management: ${formatMinutes(g.spentMinutes)} of ${formatMinutes(g.budgetMinutes)} spent (${g.status})`),
    example.stdout,
  );
});
