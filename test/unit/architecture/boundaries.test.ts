/** Layer boundaries from docs/architecture.md, checked on the source text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const importsVscode = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

test('src/sdk and src/cli never import vscode', () => {
  const offenders = [...tsFiles('src/sdk'), ...tsFiles('src/cli')].filter((f) => importsVscode.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

test('the boundary check itself detects a vscode import', () => {
  assert.ok(importsVscode.test("import * as vscode from 'vscode';"));
  assert.ok(importsVscode.test("const v = require('vscode')"));
  assert.ok(!importsVscode.test("import { x } from './vscodeish';"));
});

test('the webview imports only src/shared from the repo', () => {
  const offenders = tsFiles('webview').filter((f) => /from\s+['"](?:\.\.\/)+src\/(?!shared\/)/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});
