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

/** An import of the SDK other than its front door (src/sdk/index.ts), e.g. `../sdk/budget/format`. */
const deepSdkImport = /(?:from\s+|import\(\s*|require\(\s*)['"](?:\.\.\/)+sdk\/(?!index(?:\.js)?['"])[^'"]+['"]/;

test('src/cli and src/extension enter the SDK only through src/sdk/index.ts', () => {
  const offenders = [...tsFiles('src/cli'), ...tsFiles('src/extension')].filter((f) => deepSdkImport.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

test('the front-door check itself detects a deep SDK import', () => {
  assert.ok(deepSdkImport.test("import { formatMinutes } from '../sdk/budget/format';"));
  assert.ok(deepSdkImport.test("import type { X } from '../../sdk/mapping/ruby/urgency';"));
  assert.ok(!deepSdkImport.test("import { formatMinutes } from '../sdk';"));
  assert.ok(!deepSdkImport.test("import { formatMinutes } from '../../sdk/index';"));
});

test('the lint rule fails on a deliberate deep SDK import and passes the front door', async () => {
  const { ESLint } = await import('eslint');
  const eslint = new ESLint();
  const lint = async (filePath: string, code: string) =>
    (await eslint.lintText(code, { filePath }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  const deep = "import { formatMinutes } from '../sdk/budget/format';\nexport const f = formatMinutes;\n";
  const front = "import { formatMinutes } from '../sdk';\nexport const f = formatMinutes;\n";
  for (const file of ['src/extension/deepImport.ts', 'src/cli/deepImport.ts']) {
    const found = await lint(file, deep);
    assert.equal(found.length, 1, `${file}: ${found.join('; ')}`);
    assert.match(found[0]!, /front door, src\/sdk\/index\.ts/);
    assert.deepEqual(await lint(file, front), []);
  }
  // Inside the SDK, modules import each other directly.
  assert.deepEqual(await lint('src/sdk/report/deepImport.ts', "import { formatMinutes } from '../budget/format';\nexport const f = formatMinutes;\n"), []);
});
