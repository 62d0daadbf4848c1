import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ANNOTATED_THRESHOLDS_S, scanAnnotations } from '../../../src/sdk/mapping/annotations';
import type { CategoryRange, Finding } from '../../../src/sdk/mapping/types';

const src = (...lines: string[]): string => `${lines.join('\n')}\n`;
const range = (category: string, scope: CategoryRange['scope'], name: string, startLine: number, endLine: number): CategoryRange => ({
  category,
  scope,
  name,
  startLine,
  endLine,
  attribution: 'annotation',
});
const at = (f: Finding): string => `${f.file}:${f.line}:${f.column} ${f.code}`;

describe('comment styles', () => {
  test('# at the top of a Ruby file covers the whole file', () => {
    const text = src('# frozen_string_literal: true', '# @feature_category team_planning', '', 'require "x"', '', 'module Foo', 'end');
    const r = scanAnnotations(text, 'lib/foo.rb');
    assert.deepEqual(r.categories, [range('team_planning', 'file', 'lib/foo.rb', 1, 7)]);
    assert.deepEqual(r.findings, []);
  });

  test('// after imports at the top of a TS file covers the file', () => {
    const text = src("import { a } from './a';", '', '// @feature_category source_code_management', '', 'export const x = 1;');
    assert.deepEqual(scanAnnotations(text, 'src/x.ts').categories, [range('source_code_management', 'file', 'src/x.ts', 1, 5)]);
  });

  test('/* */ on one line, directly above a function: that function, braces balanced', () => {
    const text = src(
      'const a = 1;', //                                   1
      '/* @feature_category code_review_workflow */', //   2
      'export function review(x: string) {', //            3
      '  if (x === "}") {', //                             4  (brace in a string does not count)
      '    return { ok: true };', //                       5
      '  }', //                                            6
      '  return null; // }', //                            7  (nor in a comment)
      '}', //                                              8
      'const b = 2;', //                                   9
    );
    assert.deepEqual(scanAnnotations(text, 'src/review.ts').categories, [range('code_review_workflow', 'action', 'review', 3, 8)]);
  });

  test('a JSDoc block above a class covers the class', () => {
    const text = src(
      'let x = 0;', //                         1
      '/**', //                                2
      ' * Boards.', //                         3
      ' * @feature_category team_planning', // 4
      ' */', //                                5
      'export class Boards {', //              6
      '  list() {', //                         7
      '    return [];', //                     8
      '  }', //                                9
      '}', //                                 10
    );
    assert.deepEqual(scanAnnotations(text, 'src/boards.js').categories, [range('team_planning', 'class', 'Boards', 6, 10)]);
  });

  test('-- comments (SQL, Lua) at the top cover the file', () => {
    const text = src('-- @feature_category database', 'SELECT 1;');
    assert.deepEqual(scanAnnotations(text, 'db/q.sql').categories, [range('database', 'file', 'db/q.sql', 1, 2)]);
  });

  test('a trailing comment after code is not an annotation', () => {
    const r = scanAnnotations(src('x = 1 # @feature_category team_planning'), 'a.py');
    assert.deepEqual(r, { file: 'a.py', categories: [], endpoints: [], findings: [] });
  });

  test('a file without annotations gives nothing', () => {
    assert.deepEqual(scanAnnotations(src('def f():', '    pass'), 'a.py'), { file: 'a.py', categories: [], endpoints: [], findings: [] });
  });
});

describe('definition ranges', () => {
  test('Python: decorators, a multi-line signature, blank lines inside, ends at the dedent', () => {
    const text = src(
      'import os', //                        1
      'x = 1', //                            2
      '# @feature_category team_planning', // 3
      '@app.get("/boards")', //              4
      'def boards(', //                      5
      '    a,', //                           6
      '):', //                               7
      '    y = 1', //                        8
      '', //                                 9
      '    return y', //                    10
      '', //                                11
      'def other():', //                    12
      '    pass', //                        13
    );
    // The range starts at the decorator (line 4) and ends at the last indented line (10).
    assert.deepEqual(scanAnnotations(text, 'app/boards.py').categories, [range('team_planning', 'action', 'boards', 4, 10)]);
  });

  test('Ruby: up to the end at the def indentation, past nested blocks', () => {
    const text = src(
      'class IssuesController', //            1
      '  # @feature_category team_planning', // 2
      '  def index', //                       3
      '    items.each do |i|', //             4
      '      i.touch', //                     5
      '    end', //                           6
      '  end', //                             7
      '', //                                  8
      '  def show; end', //                   9
      'end', //                              10
    );
    assert.deepEqual(scanAnnotations(text, 'app/issues_controller.rb').categories, [range('team_planning', 'action', 'index', 3, 7)]);
  });

  test('Ruby one-liners and Go funcs', () => {
    const rb = src('x = 1', '# @feature_category a', 'def show; end', 'y = 2');
    assert.deepEqual(scanAnnotations(rb, 'a.rb').categories, [range('a', 'action', 'show', 3, 3)]);
    const go = src('package main', '', 'var x = 1', '', '// @feature_category b', 'func (s *Server) Handle(w http.ResponseWriter) {', '\tif true {', '\t}', '}');
    assert.deepEqual(scanAnnotations(go, 'server.go').categories, [range('b', 'action', 'Handle', 6, 9)]);
  });

  test('an arrow function without braces is one line', () => {
    const text = src('const a = 1;', '// @feature_category b', 'export const f = (x: number) => x + 1;', 'const c = 2;');
    assert.deepEqual(scanAnnotations(text, 'f.ts').categories, [range('b', 'action', 'f', 3, 3)]);
  });

  test('a block above a function with a blank line in between does not cover it (and is not file-level after code)', () => {
    const text = src('const a = 1;', '// @feature_category b', '', 'function f() {}');
    const r = scanAnnotations(text, 'f.js');
    assert.deepEqual(r.categories, []);
    assert.deepEqual(r.findings.map(at), ['f.js:2:4 parse_error']);
    assert.match(r.findings[0]!.message, /covers nothing/);
  });
});

describe('@endpoint', () => {
  test('applies to the next function definition; category from the file, urgency from the block', () => {
    const text = src(
      '// @feature_category team_planning', //  1
      "import { Router } from 'express';", //   2
      '', //                                    3
      'export class UsersApi {', //             4
      '  // @endpoint "GET /users/:id"', //      5
      '  // @urgency high', //                   6
      '  async getUser(id: string) {', //        7
      '    return id;', //                       8
      '  }', //                                  9
      '}', //                                   10
    );
    const r = scanAnnotations(text, 'src/users.ts');
    assert.deepEqual(r.endpoints, [
      { id: 'GET /users/:id', kind: 'annotated', category: 'team_planning', urgency: 'high', thresholdS: 0.25, file: 'src/users.ts', line: 7, attribution: 'annotation' },
    ]);
    assert.deepEqual(r.findings, []);
  });

  test('with its own category: a route range; thresholds follow the rails_request column', () => {
    const expected: Record<string, number> = { high: 0.25, medium: 0.5, default: 1, low: 5 };
    assert.deepEqual(ANNOTATED_THRESHOLDS_S, expected);
    for (const [urgency, threshold] of Object.entries(expected)) {
      const text = src('x = 1', `# @endpoint "POST /issues" @feature_category team_planning @urgency ${urgency}`, 'def create_issue():', '    pass');
      const r = scanAnnotations(text, 'issues.py');
      assert.equal(r.endpoints[0]?.thresholdS, threshold);
      assert.equal(r.endpoints[0]?.urgency, urgency);
      assert.deepEqual(r.categories, [range('team_planning', 'route', 'POST /issues', 3, 4)]);
    }
  });

  test('no urgency anywhere -> default (1 s); the endpoint skips a blank line and decorators to the def', () => {
    const text = src('# @feature_category api', '', '# @endpoint "GET /health"', '', '@app.get("/health")', 'def health():', '    return 1');
    const r = scanAnnotations(text, 'health.py');
    assert.equal(r.endpoints.length, 1);
    assert.equal(r.endpoints[0]!.line, 6);
    assert.equal(r.endpoints[0]!.urgency, 'default');
    assert.equal(r.endpoints[0]!.thresholdS, 1);
    assert.equal(r.endpoints[0]!.category, 'api');
  });

  test('urgency is inherited from an annotated class around the endpoint', () => {
    const text = src('x = 1', '# @feature_category a', '# @urgency low', 'class Api', '  # @endpoint "GET /a"', '  def a', '  end', 'end');
    const r = scanAnnotations(text, 'api.rb');
    assert.equal(r.endpoints[0]?.urgency, 'low');
    assert.equal(r.endpoints[0]?.thresholdS, 5);
    assert.deepEqual(r.categories, [range('a', 'class', 'Api', 4, 8)]);
  });

  test('without any category: counts as unknown, with a warning', () => {
    const r = scanAnnotations(src('x = 1', '// @endpoint "GET /x"', 'function x() {}'), 'x.js');
    assert.equal(r.endpoints[0]?.category, 'unknown');
    assert.equal(r.endpoints[0]?.attribution, 'unknown');
    assert.deepEqual(r.findings.map(at), ['x.js:2:4 unknown_category']);
  });
});

describe('malformed annotations are findings with file:line:col', () => {
  const cases: Array<[string, string[], string, RegExp]> = [
    // [name, lines, "file:line:col code" of the first finding, message]
    ['missing value', ['# @feature_category', 'x = 1'], 'a.py:1:3 parse_error', /@feature_category needs a value/],
    ['not a category name', ['x = 1', '  # @feature_category Team-Planning', '  def f(): pass'], 'a.py:2:5 parse_error', /"Team-Planning" is not a feature category name/],
    ['unknown urgency', ['// @urgency critical', 'x();'], 'a.py:1:4 unknown_urgency', /unknown urgency "critical"/],
    ['throttled is Sidekiq only', ['// @urgency throttled', 'x();'], 'a.py:1:4 unknown_urgency', /throttled applies only to Sidekiq/],
    ['unquoted endpoint', ['# @endpoint GET /x', 'def f(): pass'], 'a.py:1:3 parse_error', /@endpoint needs a quoted endpoint id/],
    ['tag given twice', ['# @feature_category a', '# @feature_category b', 'x = 1'], 'a.py:2:3 parse_error', /given twice/],
    ['misspelt tag', ['# @feature_categroy team_planning', 'x = 1'], 'a.py:1:3 parse_error', /did you mean "@feature_category"/],
    ['camelCase tag', ['// @featureCategory team_planning', 'x = 1'], 'a.py:1:4 parse_error', /did you mean "@feature_category"/],
    ['endpoint with no function after it', ['x = 1', '# @endpoint "GET /x"', 'y = 2'], 'a.py:2:3 parse_error', /no function definition follows @endpoint "GET \/x"/],
  ];
  for (const [name, lines, where, message] of cases) {
    test(name, () => {
      const r = scanAnnotations(src(...lines), 'a.py');
      assert.ok(r.findings.length > 0, `no finding for ${name}`);
      assert.equal(at(r.findings[0]!), where);
      assert.match(r.findings[0]!.message, message);
    });
  }

  test('an unknown category (with the catalog) gets a suggestion', () => {
    const r = scanAnnotations(src('# @feature_category team_plannign', 'x = 1'), 'a.py', { knownCategories: new Set(['team_planning', 'code_review_workflow']) });
    assert.deepEqual(r.findings, [
      {
        code: 'unknown_category',
        severity: 'error',
        message: 'unknown feature category "team_plannign"; did you mean "team_planning"?',
        file: 'a.py',
        line: 1,
        column: 3,
        suggestion: 'team_planning',
      },
    ]);
    // The range is still produced: the linter reports, the index keeps what was written.
    assert.equal(r.categories[0]?.category, 'team_plannign');
  });

  test('not_owned and unknown are always accepted', () => {
    const known = new Set(['team_planning']);
    assert.deepEqual(scanAnnotations(src('# @feature_category not_owned', 'x = 1'), 'a.py', { knownCategories: known }).findings, []);
    assert.deepEqual(scanAnnotations(src('# @feature_category unknown', 'x = 1'), 'a.py', { knownCategories: known }).findings, []);
  });
});

describe("GitLab's annotation syntax, and text that only looks like an annotation", () => {
  test('the colon form `# @feature_category: x` / `# @urgency: high` (and `@urgency:low`) is read', () => {
    const py = scanAnnotations(src('# @feature_category: code_review_workflow', '# @urgency: high', '', 'import os', '', '# @endpoint "GET /mr"', 'def mr():', '    pass'), 'svc.py');
    assert.deepEqual(py.findings, []);
    assert.deepEqual(py.categories, [range('code_review_workflow', 'file', 'svc.py', 1, 8)]);
    assert.deepEqual(py.endpoints.map((e) => [e.id, e.category, e.urgency, e.thresholdS, e.line]), [['GET /mr', 'code_review_workflow', 'high', 0.25, 7]]);
    const ts = scanAnnotations(src('// @feature_category:team_planning', '// @urgency:low', 'export const x = 1;'), 'x.ts');
    assert.deepEqual(ts.findings, []);
    assert.equal(ts.categories[0]?.category, 'team_planning');
  });

  test('`# ...` lines in JS/TS are not comments: GraphQL documents in template literals are not annotations', () => {
    const spec = src(
      "describe('operations plugin', () => {",
      "  it('reads both directives', () => {",
      '    const comments = `# @feature_category: code_review',
      '# @urgency: high`;',
      '    const empty = `# @urgency:',
      '# @feature_category`;',
      '    expect(comments).toBeDefined();',
      '  });',
      '});',
    );
    for (const file of ['spec/frontend/plugin_spec.js', 'spec/tooling/rule_spec.mjs', 'x.ts']) {
      const r = scanAnnotations(spec, file);
      assert.deepEqual([r.categories, r.endpoints, r.findings], [[], [], []], file);
    }
  });

  test('a comment that talks about annotations (the tag not first in it) is prose, never a finding', () => {
    const rule = src(
      'function extractUrgency(commentText) {',
      '  // Match: @urgency: <value> or @urgency:<value> (with or without space)',
      '  // Note: a comment reads `# @feature_category: <category>`',
      '  /* see @feature_category */',
      "  return commentText.match(/^\\s+@urgency:\\s+(.+)$/);",
      '}',
    );
    const r = scanAnnotations(rule, 'tooling/eslint-local-rules/require_urgency.mjs');
    assert.deepEqual([r.categories, r.endpoints, r.findings], [[], [], []]);
    // In a language where `#` is a comment, the same rule holds.
    assert.deepEqual(scanAnnotations(src('x = 1', '# Annotate with @urgency: <value>', 'y = 2'), 'a.rb').findings, []);
  });

  test('an annotation line (tag first) with no value or a bad value is still an error', () => {
    assert.deepEqual(scanAnnotations(src('# @urgency:', 'x = 1'), 'a.py').findings.map(at), ['a.py:1:3 parse_error']);
    assert.deepEqual(scanAnnotations(src('// @urgency: <value>', 'x();'), 'a.js').findings.map(at), ['a.js:1:4 unknown_urgency']);
    assert.deepEqual(scanAnnotations(src(' * @feature_category: <category>', 'x();'), 'a.js').findings.map(at), ['a.js:1:4 parse_error']);
  });
});
