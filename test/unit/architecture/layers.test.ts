/**
 * The SDK's layers (docs/architecture.md, "Layers"), drawn from the imports themselves: every
 * file under src/sdk is parsed (TypeScript's own pre-processor: import, import type, export from,
 * import(), require), every relative import resolved to the file it names, and the folder graph
 * built from them.
 *
 * Granularity: a folder is the first directory under src/sdk (contract, budget, ...), except that
 * mapping/ruby and mapping/index are folders of their own (mapping is then only the files directly
 * in src/sdk/mapping); '.' is the files directly in src/sdk (index.ts, the front door). Imports
 * inside one folder are not arrows.
 *
 * (a) no cycle between folders; (b) every arrow goes to a folder on a lower tier of LAYERS (folders
 * on one tier never import each other). LAYERS is the table of docs/architecture.md and the one
 * eslint.config.mjs builds its per-folder no-restricted-imports rules from; the tests check all
 * three agree, and that the checks fail on a deliberate upward import and cycle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Bottom (tier 0) to top. The same table is in docs/architecture.md and eslint.config.mjs. */
const LAYERS: readonly (readonly string[])[] = [
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

const REPO = resolve(__dirname, '../../..');
const SDK = join(REPO, 'src/sdk');

/** Folders with folders of their own inside (at this granularity). */
const SPLIT_FOLDERS = new Set(['mapping']);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The folder of a path relative to src/sdk ('/'-separated). */
export function folderOf(sdkRelative: string): string {
  const parts = sdkRelative.split('/').slice(0, -1);
  if (parts.length === 0) return '.';
  if (SPLIT_FOLDERS.has(parts[0]!) && parts.length > 1) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

/** Every module specifier a source text imports, whatever the form. */
export function importSpecifiers(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName);
}

function resolveImport(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined; // node:, third-party
  const base = resolve(dirname(fromFile), specifier.replace(/\.js$/, ''));
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

export interface Arrow {
  from: string;
  to: string;
  /** `file -> specifier`, for messages. */
  via: string;
}

function sdkArrows(): { arrows: Arrow[]; folders: Set<string>; unresolved: string[] } {
  const arrows: Arrow[] = [];
  const folders = new Set<string>();
  const unresolved: string[] = [];
  const rel = (abs: string) => relative(SDK, abs).split(sep).join('/');
  for (const file of tsFiles(SDK)) {
    const from = folderOf(rel(file));
    folders.add(from);
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveImport(file, specifier);
      if (target === undefined) {
        unresolved.push(`${rel(file)} -> ${specifier}`);
        continue;
      }
      const targetRel = relative(SDK, target);
      if (targetRel.startsWith('..')) {
        unresolved.push(`${rel(file)} -> ${specifier} (outside src/sdk)`);
        continue;
      }
      const to = folderOf(rel(target));
      if (to !== from) arrows.push({ from, to, via: `${rel(file)} -> ${specifier}` });
    }
  }
  return { arrows, folders, unresolved };
}

/** Folder cycles: the strongly connected components of more than one folder (Tarjan). */
export function folderCycles(arrows: readonly Arrow[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const a of arrows) {
    if (!next.has(a.from)) next.set(a.from, new Set());
    if (!next.has(a.to)) next.set(a.to, new Set());
    next.get(a.from)!.add(a.to);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** Arrows that do not go down a tier of `layers` (same tier or above), and folders not in it. */
export function layerViolations(arrows: readonly Arrow[], layers: readonly (readonly string[])[]): string[] {
  const tierOf = new Map(layers.flatMap((folders, tier) => folders.map((f) => [f, tier] as const)));
  const out: string[] = [];
  for (const a of arrows) {
    const from = tierOf.get(a.from);
    const to = tierOf.get(a.to);
    if (from === undefined || to === undefined) {
      out.push(`${a.via}: folder ${from === undefined ? a.from : a.to} is not in the layer table`);
    } else if (to >= from) {
      out.push(`${a.via}: ${a.from} (tier ${from}) imports ${a.to} (tier ${to})`);
    }
  }
  return out;
}

test('every SDK folder is in the layer table, and every folder in the table exists', () => {
  const { folders } = sdkArrows();
  const declared = LAYERS.flat();
  assert.deepEqual([...folders].filter((f) => !declared.includes(f)).sort(), [], 'add new folders to LAYERS, docs/architecture.md and eslint.config.mjs');
  assert.deepEqual(declared.filter((f) => !folders.has(f)), []);
  assert.equal(new Set(declared).size, declared.length, 'a folder on two tiers');
});

test('every relative import in src/sdk resolves to a file inside src/sdk', () => {
  assert.deepEqual(sdkArrows().unresolved, []);
});

test('(a) no import cycle between SDK folders', () => {
  assert.deepEqual(folderCycles(sdkArrows().arrows), []);
});

test('(b) every import between SDK folders goes down the declared layers', () => {
  const { arrows } = sdkArrows();
  assert.ok(arrows.length > 50, `only ${arrows.length} arrows found: is the import parser broken?`);
  assert.deepEqual(layerViolations(arrows, LAYERS), []);
});

test('the contract imports only node: and third-party modules', () => {
  const outside = tsFiles(join(SDK, 'contract')).flatMap((f) =>
    importSpecifiers(readFileSync(f, 'utf8'))
      .filter((s) => s.startsWith('.') && !resolve(dirname(f), s).startsWith(join(SDK, 'contract') + sep))
      .map((s) => `${relative(SDK, f)} -> ${s}`),
  );
  assert.deepEqual(outside, []);
});

test('the checks themselves: an upward import and a cycle on a synthetic graph are caught', () => {
  const down: Arrow[] = [
    { from: 'service', to: 'contract', via: 'service/a.ts -> ../contract/x' },
    { from: 'mapping/index', to: 'mapping', via: 'mapping/index/b.ts -> ../types' },
  ];
  assert.deepEqual(folderCycles(down), []);
  assert.deepEqual(layerViolations(down, LAYERS), []);

  const upward: Arrow = { from: 'contract', to: 'service', via: 'contract/apiTypes.ts -> ../service/budgetService' };
  assert.deepEqual(layerViolations([...down, upward], LAYERS), ['contract/apiTypes.ts -> ../service/budgetService: contract (tier 0) imports service (tier 6)']);
  assert.deepEqual(folderCycles([...down, upward]), [['contract', 'service']]);

  // A sideways import on one tier is refused too, and a longer loop is one cycle.
  const sideways: Arrow = { from: 'sources', to: 'store', via: 'sources/x.ts -> ../store/y' };
  assert.equal(layerViolations([sideways], LAYERS).length, 1);
  const loop: Arrow[] = [
    { from: 'mapping', to: 'mapping/index', via: 'm' },
    { from: 'mapping/index', to: 'project', via: 'i' },
    { from: 'project', to: 'mapping', via: 'p' },
  ];
  assert.deepEqual(folderCycles(loop), [['mapping', 'mapping/index', 'project']]);
  assert.deepEqual(layerViolations([{ from: 'newfolder', to: 'contract', via: 'n' }], LAYERS), ['n: folder newfolder is not in the layer table']);
});

test('the checks themselves: the parser sees every import form, and the folder granularity', () => {
  const text = [
    "import { a } from '../contract/a';",
    "import type {\n  B,\n  C,\n} from '../budget/types';",
    "export { d } from './d';",
    "export * from '../yaml/e';",
    "const f = require('../store/f');",
    "const g = await import('../sources/g');",
    "import 'node:fs';",
    '// a comment: import { x } from "../server/x" is not an import',
  ].join('\n');
  assert.deepEqual(importSpecifiers(text), ['../contract/a', '../budget/types', './d', '../yaml/e', '../store/f', '../sources/g', 'node:fs']);
  assert.equal(folderOf('index.ts'), '.');
  assert.equal(folderOf('contract/apiTypes.ts'), 'contract');
  assert.equal(folderOf('mapping/types.ts'), 'mapping');
  assert.equal(folderOf('mapping/ruby/parser.ts'), 'mapping/ruby');
  assert.equal(folderOf('mapping/index/indexWorker.ts'), 'mapping/index');
});

test('docs/architecture.md draws the same layer table', () => {
  const doc = readFileSync(join(REPO, 'docs/architecture.md'), 'utf8');
  const start = doc.indexOf('## Layers');
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end === -1 ? undefined : end);
  assert.ok(section.length > 0 && doc.includes('## Layers'), 'docs/architecture.md has a "## Layers" section');
  // Rows like `| 4 | `mapping` `sources` ... | what |`.
  const rows = [...section.matchAll(/^\|\s*(\d+)\s*\|([^|]*)\|/gm)].map((m) => [Number(m[1]), [...m[2]!.matchAll(/`([^`]+)`/g)].map((f) => f[1]!)] as const);
  const fromDoc: string[][] = [];
  for (const [tier, folders] of rows) fromDoc[tier] = [...folders];
  assert.deepEqual(fromDoc, LAYERS.map((t) => [...t]));
});

test('eslint.config.mjs builds its per-folder rules from the same table, and they fail an upward import', async () => {
  const config = (await import(pathToFileURL(join(REPO, 'eslint.config.mjs')).href)) as { SDK_LAYERS: string[][] };
  assert.deepEqual(config.SDK_LAYERS, LAYERS.map((t) => [...t]));

  const { ESLint } = await import('eslint');
  const eslint = new ESLint({ cwd: REPO });
  const restricted = async (filePath: string, code: string) =>
    (await eslint.lintText(code, { filePath: join(REPO, filePath) }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  const found = await restricted('src/sdk/contract/upward.ts', "import { BudgetService } from '../service/budgetService';\nexport const s = BudgetService;\n");
  assert.equal(found.length, 1, found.join('; '));
  assert.match(found[0]!, /src\/sdk\/contract \(tier 0\) may not import src\/sdk\/service \(tier 6\)/);
  assert.equal((await restricted('src/sdk/mapping/ruby/upward.ts', "import { openWorkspace } from '../index/openWorkspace';\nexport const o = openWorkspace;\n")).length, 1);
  assert.equal((await restricted('src/sdk/sources/sideways.ts', "import { openStoreSource } from '../store/storeSource';\nexport const o = openStoreSource;\n")).length, 1);
  // Down is fine, and the SDK still never imports vscode.
  assert.deepEqual(await restricted('src/sdk/service/down.ts', "import { InputError } from '../contract/errors';\nexport const e = InputError;\n"), []);
  assert.equal((await restricted('src/sdk/budget/editor.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n")).length, 1);
});
