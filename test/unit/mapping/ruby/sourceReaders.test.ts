/**
 * The source-text fast paths (sourceReaders.ts) must read exactly what the tree path reads: every
 * fixture and a file of unusual forms give the same facts with and without them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { initRubyParser } from '../../../../src/sdk/mapping/ruby';
import { extractRubyFacts } from '../../../../src/sdk/mapping/ruby/factsExtractor';
import { FIXTURES, FixtureWorkspace } from './fixtureWorkspace';

before(async () => {
  await initRubyParser();
});

const VARIANTS = [
  'class VariantsController < ApplicationController',
  '  feature_category :team_planning, [:a, :b,]', // trailing comma
  '  feature_category :wiki, [', // multi-line
  '    :c,',
  '    :d',
  '  ]',
  '  feature_category :pages, %i[e f]',
  '  feature_category :importers, %w[g h]', // %w: tree path
  "  feature_category 'global_search', [:i]", // string value: tree path
  '  feature_category :"code_search", [:j]', // quoted symbol: tree path
  '  feature_category :webhooks, [:k, # a comment', // comment inside: tree path
  '    :l]',
  '  urgency :low, :m', // single symbol: tree path
  '  urgency :high, []', // empty list: a class default
  '  urgency(:medium, [:n])', // parenthesised: tree path
  '  feature_category :runner, [:o?]',
  '  before_action :authorize, only: [:a]',
  '  helper_method :x',
  '  self.responder = Foo',
  '  Foo.prepend_mod',
  '  include ::ApplicationWorker',
  '  def a; end',
  '  def b = 1',
  '  def c?; end',
  '  def d!; end',
  '  def e=(v); end',
  '  def ==(other); end',
  '  def f(x,',
  '        y)',
  '    x',
  '  end',
  'end',
].join('\n');

describe('source fast paths = tree path', () => {
  test('every fixture', async () => {
    const ws = await FixtureWorkspace.load();
    for (const file of ws.facts.keys()) {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      assert.deepEqual(extractRubyFacts(file, text), extractRubyFacts(file, text, { fastPaths: false, reuseTrees: false }), file);
    }
  });

  test('unusual declaration and def forms', () => {
    const fast = extractRubyFacts('variants.rb', VARIANTS);
    assert.deepEqual(fast, extractRubyFacts('variants.rb', VARIANTS, { fastPaths: false, reuseTrees: false }));
    const cls = fast.classes[0];
    // Spot checks that the forms were read at all (not just equally ignored).
    assert.deepEqual(cls?.categories.map((d) => [d.value, d.actions ?? null, d.line, d.valueColumn]), [
      ['team_planning', ['a', 'b'], 2, 20],
      ['wiki', ['c', 'd'], 3, 20],
      ['pages', ['e', 'f'], 7, 20],
      ['importers', ['g', 'h'], 8, 20],
      ['global_search', ['i'], 9, 20],
      ['code_search', ['j'], 10, 20],
      ['webhooks', ['k', 'l'], 11, 20],
      ['runner', ['o?'], 16, 20],
    ]);
    assert.deepEqual(cls?.urgencies.map((d) => [d.value, d.actions ?? null]), [
      ['low', ['m']],
      ['high', null],
      ['medium', ['n']],
    ]);
    assert.deepEqual(cls?.actions.map((a) => a.name), ['a', 'b', 'c?', 'd!', 'e=', '==', 'f']);
    assert.equal(cls?.includesWorker, true);
  });
});
