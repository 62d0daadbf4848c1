/**
 * The declaration skeleton (method and route bodies dropped before parsing, for speed) must not
 * change what is extracted: facts from the skeleton equal facts from a full parse.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { initRubyParser } from '../../../../src/sdk/mapping/ruby';
import { extractRubyFacts } from '../../../../src/sdk/mapping/ruby/factsExtractor';
import { buildSkeleton } from '../../../../src/sdk/mapping/ruby/skeleton';
import { FIXTURES, FixtureWorkspace } from './fixtureWorkspace';

before(async () => {
  await initRubyParser();
});

/** The original lines the skeleton kept, 1-based. */
function keptLines(text: string): number[] {
  return buildSkeleton(text).lineMap.map((r) => r + 1);
}

describe('buildSkeleton', () => {
  test('drops def bodies, comments and blank lines; keeps def/end lines whole', () => {
    const text = [
      '# frozen_string_literal: true', // 1 comment
      '', // 2
      'class FooController < ApplicationController', // 3
      '  feature_category :wiki', // 4
      '', // 5
      '  def index', // 6
      '    @pages = wiki.list_pages', // 7 body
      '  rescue Gitlab::Git::CommandError', // 8 clause at the def indentation: body
      '    head :not_found', // 9 body
      '  end', // 10
      'end', // 11
    ].join('\n');
    const skeleton = buildSkeleton(text);
    assert.deepEqual(keptLines(text), [3, 4, 6, 10, 11]);
    assert.equal(skeleton.text, 'class FooController < ApplicationController\n  feature_category :wiki\n  def index\n  end\nend\n');
  });

  test('private methods after the first one in a private section are left out; public methods are kept', () => {
    const text = [
      'class FooController < ApplicationController', // 1
      '  def index', // 2
      '  end', // 3
      '  private', // 4
      '  def find_a', // 5 first private def: kept (the class has statements of its own)
      '    A.find(params[:id])', // 6 body
      '  end', // 7
      '  def find_b(id, scope: nil)', // 8 dropped with its end
      '    B.find(id)', // 9
      '  end', // 10
      "  def find_c(x = 'a')", // 11 a string in the header: kept (could hide a syntax error)
      '  end', // 12
      '  public', // 13
      '  def show', // 14 public again: kept
      '  end', // 15
      '  protected', // 16
      '  def guard', // 17 first after protected: kept
      '  end', // 18
      '  def other', // 19 dropped
      '  end # done', // 20
      'end', // 21
    ].join('\n');
    assert.deepEqual(keptLines(text), [1, 2, 3, 4, 5, 7, 11, 12, 13, 14, 15, 16, 17, 18, 21]);
    const facts = extractRubyFacts('foo_controller.rb', text);
    assert.deepEqual(facts.classes[0]?.actions.map((a) => `${a.name}:${a.line}-${a.endLine}`), ['index:2-3', 'show:14-15']);
    assert.deepEqual(facts, extractRubyFacts('foo_controller.rb', text, { skeleton: false }));
  });

  test('an EE module with only private methods still applies to its class, as from the full text', () => {
    const text = ['module EE', '  module FooController', '    private', '    def a', '    end', '    def b', '    end', '  end', 'end'].join('\n');
    const facts = extractRubyFacts('ee/foo_controller.rb', text);
    assert.equal(facts.classes.find((c) => c.name === 'EE::FooController')?.prependsInto, 'FooController');
    assert.deepEqual(facts, extractRubyFacts('ee/foo_controller.rb', text, { skeleton: false }));
  });

  test('keeps multi-line def headers and multi-line declarations', () => {
    const text = ['class A', '  feature_category :wiki, [', '    :index', '  ]', '  def initialize(a,', '                 b)', '    @a = a', '  end', 'end'].join('\n');
    assert.deepEqual(keptLines(text), [1, 2, 3, 4, 5, 6, 8, 9]);
  });

  test('keeps Grape namespaces, drops route, params and desc bodies, reads multi-line route headers', () => {
    const text = [
      'class API::X < ::API::Base', // 1
      '  params do', // 2
      '    requires :id', // 3
      '  end', // 4
      '  resource :projects do', // 5
      "    get ':id/x',", // 6
      '      urgency: :low do', // 7
      '      present x', // 8
      '    end', // 9
      '  end', // 10
      'end', // 11
    ].join('\n');
    assert.deepEqual(keptLines(text), [1, 2, 4, 5, 6, 7, 9, 10, 11]);
  });

  test('keeps a body whose end the indentation does not prove (heredoc text at column 0)', () => {
    const text = ['class A', '  def sql', '    <<-SQL', 'SELECT 1', '    SQL', '  end', 'end'].join('\n');
    assert.deepEqual(keptLines(text), [1, 2, 3, 4, 5, 6, 7]);
  });

  test('one-line and endless defs keep the following lines', () => {
    const text = ['class A', '  def a; end', '  def b = 1', '  feature_category :wiki', 'end'].join('\n');
    assert.deepEqual(keptLines(text), [1, 2, 3, 4, 5]);
  });
});

describe('skeleton parse = full parse', () => {
  test('every fixture gives the same facts from the skeleton as from the full text', async () => {
    const ws = await FixtureWorkspace.load();
    let compared = 0;
    for (const file of ws.facts.keys()) {
      // A syntax error inside a dropped method body is only visible to the full parse (see parser.ts).
      if (file === 'findings/body_syntax_error_controller.rb') continue;
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      assert.deepEqual(extractRubyFacts(file, text), extractRubyFacts(file, text, { skeleton: false }), file);
      compared++;
    }
    assert.ok(compared >= 20, `compared ${compared} fixtures`);
  });

  test('a syntax error inside a method body does not hide the declarations around it', () => {
    const file = 'findings/body_syntax_error_controller.rb';
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    const facts = extractRubyFacts(file, text);
    assert.deepEqual(facts.classes[0]?.categories.map((d) => [d.value, d.line]), [['team_planning', 2]]);
    assert.deepEqual(facts.classes[0]?.actions.map((a) => [a.name, a.line, a.endLine]), [['index', 4, 6]]);
  });
});
