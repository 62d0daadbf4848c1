// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
    files: ['src/sdk/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/sdk and src/cli never import vscode (docs/architecture.md).' }] }],
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
