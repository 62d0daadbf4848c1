// One esbuild script for the three bundles (see docs/architecture.md):
//   dist/extension.js  node/cjs, `vscode` external        (src/extension/extension.ts)
//   dist/cli.js        node/cjs, the `budget-lens` binary  (src/cli/main.ts; requires ./sdk.js)
//   dist/webview.js    browser/iife                        (webview/main.ts)
//   dist/sdk.js        node/cjs, the SDK for other tools   (src/sdk/index.ts; package.json "exports",
//                      with dist/types/ from tsconfig.sdk.json, emitted by --production only)
//   dist/indexWorker.js, dist/storeWriterWorker.js   worker_threads entries loaded next to the bundles
// Native and wasm assets stay outside the bundles: better-sqlite3 and the native tree-sitter
// binding (tree-sitter, tree-sitter-ruby) are external (they load their .node files relative to
// their packages; without node_modules the parser falls back to wasm), and tree-sitter's .wasm
// files are copied to dist/.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const require = createRequire(import.meta.url);

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'better-sqlite3', 'tree-sitter', 'tree-sitter-ruby'],
};

/**
 * The CLI loads the SDK from dist/sdk.js beside it instead of bundling a second copy: its imports of
 * the SDK's front door (src/cli may import nothing else of src/sdk, eslint.config.mjs) become
 * require('./sdk.js'), so the npm package holds the SDK once.
 */
const sdkNextDoor = {
  name: 'sdk-next-door',
  setup(build) {
    build.onResolve({ filter: /^(\.\.\/)+sdk(\/index(\.js)?)?$/ }, (args) => (args.importer.includes('/src/cli/') ? { path: './sdk.js', external: true } : undefined));
  },
};

function copyAssets() {
  mkdirSync('dist', { recursive: true });
  const assets = [
    require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
    join(dirname(require.resolve('tree-sitter-ruby/package.json')), 'tree-sitter-ruby.wasm'),
  ];
  for (const file of assets) copyFileSync(file, join('dist', file.split('/').pop()));
}

const contexts = await Promise.all([
  esbuild.context({ ...nodeCommon, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' }),
  esbuild.context({
    ...nodeCommon,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    plugins: [sdkNextDoor],
    banner: { js: '#!/usr/bin/env node' },
  }),
  esbuild.context({ ...nodeCommon, entryPoints: ['src/sdk/index.ts'], outfile: 'dist/sdk.js' }),
  esbuild.context({
    ...nodeCommon,
    entryPoints: {
      indexWorker: 'src/sdk/mapping/index/indexWorker.ts',
      storeWriterWorker: 'src/sdk/store/storeWriterWorker.ts',
    },
    outdir: 'dist',
  }),
  esbuild.context({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
  }),
]);

copyAssets();
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (production) sdkDeclarations();
}

/** The SDK's .d.ts files (dist/types/sdk/index.d.ts is the package's "types"), for a release. */
function sdkDeclarations() {
  rmSync('dist/types', { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.sdk.json'], { stdio: 'inherit' });
}
