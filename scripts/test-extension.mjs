// `npm run test:extension`: runs test/extension/suite/*.test.ts inside a real VS Code extension
// host (VS Code 1.100.3 server + headless Chromium, no internet needed), prints mocha's results and
// `N passed, N failed`, exits non-zero on any failure. Each suite runs in the workspace it needs
// (SUITE_WORKSPACES; default examples/gitlab-style), one VS Code launch per workspace.
//
//   1. npm run build              (the extension bundle under test; skip with --no-build)
//   2. scripts/install-vscode-server.sh   (cached in .vscode-test/, a no-op when present)
//   3. esbuild the suites          -> out/test/extension/{index,*.test}.js (vscode, mocha external)
//   4. per workspace: start server-main.js, open the workbench with extensionDevelopmentPath /
//      extensionTestsPath in the `payload` URL parameter; the exit code arrives through
//      `codeAutomationExit`; BUDGET_LENS_SUITE tells index.js which suites to run there
//   5. always kill the server and the browser; hard timeout per launch (--timeout seconds, default 300)
//
// Options: --bundle-only (build and bundle the suites, run nothing: npm run test:electron), --no-build, --verbose (print the server's and workbench's log), --timeout <s>.
// --vsix: `npm run package`, install the .vsix into the server's extensions folder
// (server-main.js --install-extension) and run test/extension/installed/*.test.ts with an empty
// runner extension as the development path, so Budget Lens runs from the installed copy only:
// `installed` on examples/gitlab-style, `defaultCatalog` on a copy of it without .budgetlens.yml.
// BUDGET_LENS_SUITE=multiRoot (comma-separated suite names, the file names without .test.ts) runs
// only those suites, and starts VS Code only for the workspaces they need.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { tmpdir } from 'node:os';
import { REPO, installVsix, launchWorkbench } from '../test/extension/vscodeServer.mjs';
import { writePackagedLayout } from './packaged-layout.mjs';
import { COPY_WORKSPACES, prepareCopy } from '../test/extension/exampleCopies.mjs';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
/**
 * `--packaged`: run the extension from the files a VSIX would hold (scripts/packaged-layout.mjs),
 * not from the repo, with the suites that need nothing else (the budget suites start the CLI from
 * the extension's folder, which a VSIX does not ship).
 */
const packaged = args.includes('--packaged');
const vsix = args.includes('--vsix');
const PACKAGED_SUITES = ['activation', 'adapters', 'multiRoot', 'firstContact'];
const timeoutS = args.includes('--timeout') ? Number(args[args.indexOf('--timeout') + 1]) : 300;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function step(title, command, commandArgs) {
  console.log(`> ${title}`);
  const r = spawnSync(command, commandArgs, { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`✖ ${title} failed (exit ${r.status ?? r.signal}); run it alone to see why: ${command} ${commandArgs.join(' ')}`);
    process.exit(1);
  }
}

const vsixFile = join(REPO, 'out', 'vsix', 'budget-lens.vsix');
if (vsix) {
  mkdirSync(dirname(vsixFile), { recursive: true });
  step('npm run package (production bundles, vsce)', 'npm', ['run', 'package', '--silent', '--', '--out', vsixFile]);
} else if (!args.includes('--no-build')) step('npm run build', 'npm', ['run', 'build', '--silent']);
if (!existsSync(join(REPO, 'dist', 'extension.js'))) {
  console.error('✖ dist/extension.js is missing: run `npm run build` first');
  process.exit(1);
}
step('install the VS Code server (cached in .vscode-test/)', 'bash', [join(REPO, 'scripts', 'install-vscode-server.sh')]);

const suiteDir = join(REPO, 'test', 'extension', vsix ? 'installed' : 'suite');
const outDir = join(REPO, 'out', 'test', vsix ? 'installed' : 'extension');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const entryPoints = [
  // One test module (run()) for both: the installed suites use the same runner and reporter.
  join(REPO, 'test', 'extension', 'suite', 'index.ts'),
  ...readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).map((f) => join(suiteDir, f)),
];
await esbuild.build({
  // Named outputs: index.js and <suite>.test.js side by side, whichever folder each comes from.
  entryPoints: Object.fromEntries(entryPoints.map((f) => [f.split(/[\\/]/).pop().slice(0, -'.ts'.length), f])),
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  // `vscode` is the host's; mocha must be the one instance index.js runs the suites with.
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`> bundled ${entryPoints.length - 1} suite file(s) into ${outDir.slice(REPO.length + 1)} (${elapsed()})`);
// `npm run test:electron` bundles here and hands the files to @vscode/test-cli (.vscode-test.mjs).
if (args.includes('--bundle-only')) process.exit(0);

/** Suites that need another workspace than examples/gitlab-style (relative to the repo). */
const SUITE_WORKSPACES = {
  multiRoot: join('examples', 'multi-root', 'multi-root.code-workspace'),
  // No configuration at all: the bundled catalog, the one-time message (test/fixtures/first-contact).
  firstContact: join('test', 'fixtures', 'first-contact', 'first-contact.code-workspace'),
  graphql: join('test', 'fixtures', 'graphql-workspace'),
  // Objectives that are not GitLab's (issue 13): the Gitpod-style example.
  objectives: join('examples', 'gitpod-style'),
  // Only OpenSLO files, no catalog: the Objectives tree of its own.
  sloOnly: join('test', 'fixtures', 'slo-only'),
  // The example through a workspace file of its own: its own launch, with SUITE_ENV below.
  neverWaits: join('test', 'fixtures', 'never-waits', 'never-waits.code-workspace'),
};
/** Environment a suite's launch needs (merged per launch). */
const SUITE_ENV = {
  // Every build waits from activation until the suite releases it (test mode only: budgetLensContext.ts).
  neverWaits: { BUDGET_LENS_TEST_HOLD_BUILDS: '1' },
};
/** Absolute: the installed suites' folder of GitLab-style Ruby without any configuration. */
const NO_CONFIG_WORKSPACE = join(tmpdir(), 'budget-lens-no-config', 'gitlab-style');
const DEFAULT_WORKSPACE = join('examples', 'gitlab-style');

const allSuites = entryPoints.map((f) => f.split(/[\\/]/).pop()).filter((f) => f.endsWith('.test.ts')).map((f) => f.slice(0, -'.test.ts'.length))
  .sort();
const wanted = (process.env.BUDGET_LENS_SUITE ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const unknown = wanted.filter((s) => !allSuites.includes(s));
if (unknown.length > 0) {
  console.error(`✖ no suite named ${unknown.join(', ')} in test/extension/suite (there are: ${allSuites.join(', ')})`);
  process.exit(1);
}
const selected = wanted.length > 0 ? wanted : packaged && !vsix ? PACKAGED_SUITES : allSuites;
/**
 * A folder for the packaged layout with no node_modules in it or above it: Node would resolve
 * the extension's external packages (the native tree-sitter) from there, which a VSIX cannot.
 */
function isolatedDir(name) {
  for (const base of [tmpdir(), '/var/tmp']) {
    const ancestors = [];
    for (let dir = base; ; dir = dirname(dir)) {
      ancestors.push(dir);
      if (dirname(dir) === dir) break;
    }
    if (!ancestors.some((dir) => existsSync(join(dir, 'node_modules')))) return join(base, name);
  }
  console.error('✖ --packaged: every candidate folder has a node_modules above it (remove the stray one)');
  process.exit(1);
}

let extensionPath;
if (packaged) {
  extensionPath = isolatedDir('budget-lens-packaged');
  const files = writePackagedLayout(extensionPath);
  console.log(`> packaged layout: ${files.length} files in ${extensionPath} (${files.join(', ')})`);
}
let extensionsDir;
let runnerPath;
if (vsix) {
  const mb = (statSync(vsixFile).size / 1024 / 1024).toFixed(2);
  extensionsDir = join(tmpdir(), 'budget-lens-installed-extensions');
  rmSync(extensionsDir, { recursive: true, force: true });
  mkdirSync(extensionsDir, { recursive: true });
  console.log(`> ${vsixFile.slice(REPO.length + 1)}: ${mb} MB; ${installVsix(vsixFile, extensionsDir).split('\n').at(-1)}`);
  runnerPath = join(REPO, 'test', 'extension', 'installed', 'runner');
  // GitLab-style Ruby with no configuration: the example without its .budgetlens.yml, in a
  // folder with none above it.
  rmSync(dirname(NO_CONFIG_WORKSPACE), { recursive: true, force: true });
  cpSync(join(REPO, DEFAULT_WORKSPACE), NO_CONFIG_WORKSPACE, { recursive: true, filter: (src) => !src.endsWith('.budgetlens.yml') && !src.includes(`${'/'}.budgetlens${'/'}`) });
}
/** workspace -> suites to run there, in a stable order. */
const launches = new Map();
for (const suite of selected) {
  const workspace = vsix && suite === 'defaultCatalog' ? NO_CONFIG_WORKSPACE : suite in COPY_WORKSPACES ? COPY_WORKSPACES[suite] : join(REPO, SUITE_WORKSPACES[suite] ?? DEFAULT_WORKSPACE);
  launches.set(workspace, [...(launches.get(workspace) ?? []), suite]);
}

// whatChanged, adjustments: copies of the example outside the repo that the suites change
// (a git repository of its own; adjustments in its .budgetlens.yml).
for (const [suite, workspace] of Object.entries(COPY_WORKSPACES)) if (launches.has(workspace)) prepareCopy(REPO, suite);
// The watcher suite writes into this folder and removes it; a killed run may have left it behind.
rmSync(join(REPO, DEFAULT_WORKSPACE, 'app', 'workers', 'budget_lens_watch_test'), { recursive: true, force: true });

/** One VS Code launch on `workspace` running `suites`; resolves to { passed, failed, ok }. */
async function runLaunch(workspace, suites, n) {
  const reportFile = join(outDir, `report-${n}.json`);
  const measurementsFile = join(outDir, `measurements-${n}.json`);
  console.log(`> ${suites.join(', ')} in ${workspace.startsWith(REPO) ? workspace.slice(REPO.length + 1) : workspace} (${elapsed()})`);
  // Adding or removing folders (the multi-root suite does) rewrites a .code-workspace file: put it back.
  const workspaceText = workspace.endsWith('.code-workspace') ? readFileSync(workspace, 'utf8') : undefined;
  const restore = () => {
    if (workspaceText !== undefined && readFileSync(workspace, 'utf8') !== workspaceText) writeFileSync(workspace, workspaceText);
  };
  const wb = await launchWorkbench({
    workspace,
    extensionTestsPath: join(outDir, 'index.js'),
    env: {
      BUDGET_LENS_TEST_REPORT: reportFile,
      BUDGET_LENS_SUITE: suites.join(','),
      ...Object.assign({}, ...suites.map((s) => SUITE_ENV[s] ?? {})),
      ...(packaged ? { BUDGET_LENS_PACKAGED: '1' } : {}),
      ...(vsix ? { BUDGET_LENS_INSTALLED_DIR: extensionsDir, BUDGET_LENS_MEASUREMENTS: measurementsFile } : {}),
      // The no-config case waits for the bundled default catalog (issue 9, branch `catalog`).
      ...(vsix && !existsSync(join(REPO, 'src', 'sdk', 'catalog', 'defaultCatalog.ts')) ? { BUDGET_LENS_DEFAULT_CATALOG: 'pending' } : {}),
    },
    extensionPath: vsix ? runnerPath : extensionPath,
    extensionsDir,
    log: verbose ? (line) => console.log(line) : undefined,
  });
  try {
    const { page, url } = wb;
    const result = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code) => resolve({ code }));
    });
    await page.exposeFunction('codeAutomationLog', (_level, logArgs) => {
      if (verbose) console.log(`[workbench] ${Array.isArray(logArgs) ? logArgs.join(' ') : String(logArgs)}`);
    });
    page.on('pageerror', (e) => verbose && console.log(`[page error] ${e.message}`));
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ timedOut: true }), timeoutS * 1000);
    });
    console.log(`> running the suites in VS Code (${elapsed()})`);
    await page.goto(url);
    const outcome = await Promise.race([result, timeout]);
    clearTimeout(timer);

    let report;
    if (existsSync(reportFile)) report = JSON.parse(readFileSync(reportFile, 'utf8'));
    if (report) for (const line of report.lines) console.log(line);
    if (existsSync(measurementsFile)) console.log(`> measured: ${readFileSync(measurementsFile, 'utf8')}`);
    if (outcome.timedOut) {
      console.error(`✖ timed out after ${timeoutS} s (rerun with --verbose to see the workbench log)`);
      if (!verbose) for (const line of wb.serverOutput.slice(-30)) console.error(`[server] ${line}`);
    }
    const passed = report?.passed ?? 0;
    const pending = report?.pending ?? 0;
    const failed = (report?.failed ?? 0) + (report ? 0 : 1);
    if (!report && !outcome.timedOut) console.error(`✖ the test module reported nothing (exit code ${outcome.code}); rerun with --verbose`);
    return { passed, failed, pending, ok: !outcome.timedOut && failed === 0 && outcome.code === 0 };
  } finally {
    await wb.close();
    restore();
  }
}

let passed = 0;
let failed = 0;
let pending = 0;
let ok = true;
let n = 0;
for (const [workspace, suites] of launches) {
  const r = await runLaunch(workspace, suites, n++);
  passed += r.passed;
  failed += r.failed;
  pending += r.pending;
  ok &&= r.ok;
}
// Pending tests are counted apart, never as passed.
console.log(`\n${passed} passed, ${failed} failed${pending > 0 ? `, ${pending} skipped` : ''} (${elapsed()})`);
process.exit(ok ? 0 : 1);
