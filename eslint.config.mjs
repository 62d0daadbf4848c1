// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** src/cli and src/extension enter the SDK only through src/sdk/index.ts (docs/architecture.md, "Layers"). */
const SDK_FRONT_DOOR = { group: ['**/sdk/*', '!**/sdk/index', '!**/sdk/index.js'], message: 'Import the SDK from its front door, src/sdk/index.ts (docs/architecture.md).' };

/**
 * The SDK's layers, bottom (0) to top (docs/architecture.md, "Layers"; the same table is in
 * test/unit/architecture/layers.test.ts, which checks the three agree). A folder of src/sdk imports
 * only folders on a lower tier; folders on one tier never import each other. mapping/ruby and
 * mapping/index are folders of their own; '.' is src/sdk/index.ts.
 */
export const SDK_LAYERS = [
  ['contract'],
  ['budget', 'yaml'],
  ['objectives'],
  ['config'],
  ['catalog'],
  ['mapping', 'sources', 'store', 'report', 'client'],
  ['mapping/ruby', 'project', 'service'],
  ['mapping/index', 'server', 'backend'],
  ['.'],
];

const SDK_VSCODE = { name: 'vscode', message: 'src/sdk never imports vscode (docs/architecture.md).' };

/** The relative specifier from one SDK folder to another ('.' is src/sdk itself), '/'-separated. */
function sdkRelative(from, to) {
  const a = from === '.' ? [] : from.split('/');
  const b = to === '.' ? [] : to.split('/');
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const up = a.length - common;
  const rest = b.slice(common);
  return (up === 0 ? ['.'] : Array(up).fill('..')).concat(rest).join('/');
}

const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One block per SDK folder: its files may not import a folder on its own tier or above, as
 * written from that folder ('../service/x' from contract/). The unit test resolves every import
 * whatever its spelling; this rule catches the usual spelling in the editor.
 */
function sdkLayerBlocks() {
  const tierOf = new Map(SDK_LAYERS.flatMap((folders, tier) => folders.map((f) => [f, tier])));
  const folders = [...tierOf.keys()];
  return folders.map((folder) => {
    const tier = tierOf.get(folder);
    const above = folders.filter((other) => other !== folder && tierOf.get(other) >= tier);
    const patterns = above.map((other) => {
      const rel = sdkRelative(folder, other);
      // The root is only index.ts; a sub-folder of mapping is not the mapping folder itself.
      const regex = other === '.' ? `^${escapeRegex(rel)}/index(\\.js)?$|^${escapeRegex(rel)}$` : `^${escapeRegex(rel)}(/|$)`;
      return { regex, message: `src/sdk/${folder} (tier ${tier}) may not import src/sdk/${other} (tier ${tierOf.get(other)}): imports go down the layers of docs/architecture.md.` };
    });
    // mapping/ holds the folders mapping/ruby and mapping/index: its block covers its own files only.
    const files = folder === '.' ? ['src/sdk/*.ts'] : folder === 'mapping' ? ['src/sdk/mapping/*.ts'] : [`src/sdk/${folder}/**/*.ts`];
    return { files, rules: { 'no-restricted-imports': ['error', { paths: [SDK_VSCODE], patterns }] } };
  });
}

export default tseslint.config(
  { ignores: ['.tmp*', 'dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'examples/**', 'media/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The SDK is plain Node: it must run in the CLI and the server, never import the editor API.
    files: ['src/sdk/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [SDK_VSCODE] }],
    },
  },
  // ...and its folders import down the layers (each block repeats the vscode rule: a later block's options replace an earlier one's).
  ...sdkLayerBlocks(),
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [SDK_FRONT_DOOR],
      }],
    },
  },
  {
    // The CLI is plain Node too.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/cli never imports vscode (docs/architecture.md).' }],
        patterns: [SDK_FRONT_DOOR],
      }],
    },
  },
  {
    // The webview is a browser bundle: it talks to the host only through src/shared/protocol.ts.
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['vscode', '**/src/sdk/**', '**/src/extension/**', 'node:*'], message: 'The webview imports only src/shared.' }] }],
    },
  },
);
