// `npm run test:electron`: the extension-host suites (test/extension/suite/*.test.ts, bundled into
// out/test/extension/ by `node scripts/test-extension.mjs --bundle-only`) through @vscode/test-cli
// and @vscode/test-electron, in a desktop VS Code that test-electron downloads into .vscode-test/.
// For a machine that reaches the VS Code download host; `npm test` runs the same suite files in
// the VS Code server instead (scripts/test-extension.mjs), which needs no download.
//
// The same suite files under both launchers: they use mocha's BDD globals only; here test-cli's
// own runner loads them (ui 'bdd' below, its default is 'tdd'), under the server launcher
// test/extension/suite/index.ts's run() does, with the same timeout.
// VSCODE_VERSION picks the build (default the server's 1.100.3; 1.95.0 is engines.vscode's floor).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from '@vscode/test-cli';
import { COPY_WORKSPACES, prepareCopy } from './test/extension/exampleCopies.mjs';

const root = import.meta.dirname;
const out = join(root, 'out', 'test', 'extension');
const suites = readdirSync(join(root, 'test', 'extension', 'suite'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -'.test.ts'.length));
/** The suites that open another workspace than examples/gitlab-style (as in scripts/test-extension.mjs). */
const WORKSPACES = {
  multiRoot: join(root, 'examples', 'multi-root', 'multi-root.code-workspace'),
  neverWaits: join(root, 'test', 'fixtures', 'never-waits', 'never-waits.code-workspace'),
  // Copies of the example outside the repo that the suites change (test/extension/exampleCopies.mjs).
  ...Object.fromEntries(Object.keys(COPY_WORKSPACES).map((suite) => [suite, prepareCopy(root, suite)])),
};
/** Environment a suite's launch needs (as SUITE_ENV in scripts/test-extension.mjs). */
const ENV = { neverWaits: { BUDGET_LENS_TEST_HOLD_BUILDS: '1' } };

const common = {
  version: process.env.VSCODE_VERSION ?? '1.100.3',
  extensionDevelopmentPath: root,
  // Only Budget Lens: no other installed extension, no trust prompt.
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 30_000, color: true },
};

export default defineConfig([
  {
    ...common,
    label: 'gitlab-style',
    workspaceFolder: join(root, 'examples', 'gitlab-style'),
    files: suites.filter((s) => !(s in WORKSPACES)).map((s) => join(out, `${s}.test.js`)),
  },
  ...Object.entries(WORKSPACES).map(([suite, workspaceFolder]) => ({
    ...common,
    label: suite,
    workspaceFolder,
    files: [join(out, `${suite}.test.js`)],
    ...(ENV[suite] ? { env: ENV[suite] } : {}),
  })),
]);
