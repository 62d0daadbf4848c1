/**
 * Which tree-sitter binding parses what the subset parser refuses: the native one (N-API
 * prebuilds inside the tree-sitter packages) when it loads, web-tree-sitter when it is forced
 * (BUDGET_LENS_TREE_SITTER=wasm) or unavailable; both give the same facts. Each case runs in a
 * child process, since a process loads one binding once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** A controller whose skeleton the subset parser refuses (a heredoc), so tree-sitter parses it. */
const SCRIPT = `
const { initRubyParser, rubyParserKind } = require('./src/sdk/mapping/ruby/parser');
const { extractRubyFacts } = require('./src/sdk/mapping/ruby/factsExtractor');
const text = 'class AController < ApplicationController\\n  feature_category :wiki\\n  HELP = <<~T\\n    x\\n  T\\n\\n  def show\\n  end\\nend\\n';
initRubyParser().then(() => {
  const facts = extractRubyFacts('a_controller.rb', text);
  process.stdout.write(JSON.stringify({ kind: rubyParserKind(), facts }));
});
`;

function run(env: Record<string, string>): { kind: string; facts: unknown } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', SCRIPT], { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { kind: string; facts: unknown };
}

test('the native binding loads here (its linux-x64 prebuild ships in the npm package)', () => {
  assert.equal(run({ BUDGET_LENS_TREE_SITTER: '' }).kind, 'native');
});

test('BUDGET_LENS_TREE_SITTER=wasm forces web-tree-sitter; both bindings extract the same facts', () => {
  const native = run({ BUDGET_LENS_TREE_SITTER: '' });
  const wasm = run({ BUDGET_LENS_TREE_SITTER: 'wasm' });
  assert.equal(wasm.kind, 'wasm');
  assert.deepEqual(wasm.facts, native.facts);
  // The heredoc controller's action, found by either parser: `def show` on line 7.
  const actions = (native.facts as { classes: { actions: { name: string; line: number }[] }[] }).classes[0]?.actions;
  assert.deepEqual(actions?.map((a) => [a.name, a.line]), [['show', 7]]);
});

/** Parses 300 refused skeletons (past the native budget), lets the wasm binding load, parses again. */
const SWITCH_SCRIPT = `
const { initRubyParser, rubyParserKind } = require('./src/sdk/mapping/ruby/parser');
const { extractRubyFacts } = require('./src/sdk/mapping/ruby/factsExtractor');
const text = (i) => 'class A' + i + 'Controller < ApplicationController\\n  feature_category :wiki\\n  HELP = <<~T\\n    x\\n  T\\n\\n  def show\\n  end\\nend\\n';
initRubyParser().then(async () => {
  const first = rubyParserKind();
  const before = [];
  for (let i = 0; i < 300; i++) before.push(extractRubyFacts('a' + i + '.rb', text(i)));
  await new Promise((r) => setTimeout(r, 500));
  const after = [];
  for (let i = 0; i < 300; i++) after.push(extractRubyFacts('a' + i + '.rb', text(i)));
  process.stdout.write(JSON.stringify({ first, last: rubyParserKind(), same: JSON.stringify(before) === JSON.stringify(after) }));
});
`;

test('past 256 native parses a thread moves to wasm (native trees are freed only by the GC); the facts stay the same', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', SWITCH_SCRIPT], { encoding: 'utf8', env: { ...process.env, BUDGET_LENS_TREE_SITTER: '' } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { first: 'native', last: 'wasm', same: true });
  const forced = spawnSync(process.execPath, ['--import', 'tsx', '-e', SWITCH_SCRIPT], { encoding: 'utf8', env: { ...process.env, BUDGET_LENS_TREE_SITTER: 'native' } });
  assert.equal(forced.status, 0, forced.stderr);
  assert.deepEqual(JSON.parse(forced.stdout), { first: 'native', last: 'native', same: true });
});
