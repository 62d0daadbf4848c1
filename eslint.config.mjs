// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** src/cli and src/extension enter the SDK only through src/sdk/index.ts (docs/architecture.md, "Layers"). */
const SDK_FRONT_DOOR = { group: ['**/sdk/*', '!**/sdk/index', '!**/sdk/index.js'], message: 'Import the SDK from its front door, src/sdk/index.ts (docs/architecture.md).' };

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
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/sdk never imports vscode (docs/architecture.md).' }] }],
    },
  },
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
