/**
 * `@slo <name>` comment annotations (issue 13 item 2): every comment style, several names, where
 * the range goes, unknown and malformed names as findings at their line.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scanAnnotations } from '../../../src/sdk/mapping/annotations';
import { hasAnnotationMarker, hasAnnotationMarkerBytes } from '../../../src/sdk/mapping/index/fileScanner';
import { prefilterPattern } from '../../../src/sdk/mapping/index/ripgrepPrefilter';
import type { Finding, ObjectiveRange } from '../../../src/sdk/mapping/types';

const src = (...lines: string[]): string => `${lines.join('\n')}\n`;
const KNOWN = new Set(['workspace-starts', 'workspace-start-latency', 'workspace-keeps-working', 'search/1']);
const at = (f: Finding): string => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.code}`;
const ranges = (text: string, file: string): Array<Omit<ObjectiveRange, 'line'>> =>
  (scanAnnotations(text, file, { knownObjectives: KNOWN }).objectives ?? []).map(({ line: _line, ...r }) => r);

describe('@slo in each comment style', () => {
  test('// above a TypeScript function: the function', () => {
    const text = src('import x from "y";', '', '// @slo workspace-start-latency', 'export async function startWorkspace(id: string) {', '  return x(id);', '}', '', 'const other = 1;');
    const r = scanAnnotations(text, 'src/ws.ts', { knownObjectives: KNOWN });
    assert.deepEqual(r.objectives, [{ objectives: ['workspace-start-latency'], scope: 'action', name: 'startWorkspace', startLine: 4, endLine: 6, line: 3 }]);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.categories, [], '@slo alone attributes no category');
  });

  test('# above a Python def', () => {
    assert.deepEqual(ranges(src('# @slo workspace-starts', 'def start(ws):', '    run(ws)', '    return ws', '', 'x = 1'), 'ws.py'), [
      { objectives: ['workspace-starts'], scope: 'action', name: 'start', startLine: 2, endLine: 4 },
    ]);
  });

  test('-- before any SQL: the whole file; `@slo: name` is the same', () => {
    assert.deepEqual(ranges(src('-- @slo: workspace-starts', 'SELECT 1;', 'SELECT 2;'), 'db/starts.sql'), [
      { objectives: ['workspace-starts'], scope: 'file', name: 'db/starts.sql', startLine: 1, endLine: 3 },
    ]);
  });

  test('/* */ on one line and across lines (JSDoc)', () => {
    assert.deepEqual(ranges(src('/* @slo workspace-starts */', 'func Start() {', '\treturn', '}'), 'ws.go'), [
      { objectives: ['workspace-starts'], scope: 'action', name: 'Start', startLine: 2, endLine: 4 },
    ]);
    assert.deepEqual(ranges(src('const a = 1;', '/**', ' * Probes a workspace.', ' * @slo workspace-keeps-working', ' */', 'function probe() {', '  return a;', '}'), 'probe.js'), [
      { objectives: ['workspace-keeps-working'], scope: 'action', name: 'probe', startLine: 6, endLine: 8 },
    ]);
  });

  test('# is no comment in TypeScript: no range, no finding', () => {
    const r = scanAnnotations(src('const q = `', '# @slo nothing-here', '`;'), 'q.ts', { knownObjectives: KNOWN });
    assert.equal(r.objectives, undefined);
    assert.deepEqual(r.findings, []);
  });
});

describe('several names', () => {
  test('commas, blanks and several @slo lines add up, repeats dropped, order kept', () => {
    const text = src('x = 1', '# @slo workspace-starts, workspace-start-latency', '# @slo workspace-keeps-working workspace-starts', 'def start():', '    pass');
    assert.deepEqual(ranges(text, 'ws.py'), [
      { objectives: ['workspace-starts', 'workspace-start-latency', 'workspace-keeps-working'], scope: 'action', name: 'start', startLine: 4, endLine: 5 },
    ]);
  });

  test('@slo with @feature_category in one block: a category range and an objective range over the same lines', () => {
    const r = scanAnnotations(src('x = 1', '# @feature_category team_planning', '# @slo search/1', 'def f():', '    pass'), 'f.py', { knownObjectives: KNOWN });
    assert.deepEqual(r.categories.map((c) => [c.category, c.startLine, c.endLine]), [['team_planning', 4, 5]]);
    assert.deepEqual(r.objectives?.map((o) => [o.objectives, o.startLine, o.endLine]), [[['search/1'], 4, 5]]);
  });

  test('nested ranges: a file annotation and a function annotation are both kept', () => {
    const text = src('// @slo workspace-keeps-working', 'import x from "y";', '', 'export function a() {', '  return 1;', '}', '', '// @slo workspace-starts', 'export function b() {', '  return 2;', '}');
    assert.deepEqual(ranges(text, 'm.ts').map((r) => [r.objectives.join(','), r.scope, r.startLine, r.endLine]), [
      ['workspace-keeps-working', 'file', 1, 11],
      ['workspace-starts', 'action', 9, 11],
    ]);
  });
});

describe('findings', () => {
  test('an unknown name is an unknown_objective error at its line and column, with the closest name', () => {
    const text = src('x = 1', '# @slo workspace-starts, workspace-start', 'def f():', '    pass');
    const r = scanAnnotations(text, 'f.py', { knownObjectives: KNOWN });
    assert.deepEqual(r.findings.map(at), ['f.py:2:26 error unknown_objective']);
    assert.equal(r.findings[0]!.suggestion, 'workspace-starts');
    assert.match(r.findings[0]!.message, /unknown objective "workspace-start"; did you mean "workspace-starts"\?/);
    // The range keeps the name as written: the index answers with what the code says.
    assert.deepEqual(r.objectives?.[0]?.objectives, ['workspace-starts', 'workspace-start']);
  });

  test('without knownObjectives names are not checked', () => {
    assert.deepEqual(scanAnnotations(src('# @slo anything', 'def f():', '    pass'), 'f.py').findings, []);
  });

  test('a project without objectives: every name is unknown', () => {
    const r = scanAnnotations(src('# @slo anything', 'def f():', '    pass'), 'f.py', { knownObjectives: new Set() });
    assert.deepEqual(r.findings.map((f) => f.message), ['unknown objective "anything" (the project defines no objectives)']);
  });

  test('a bad name and a missing name are parse errors at their line', () => {
    const r = scanAnnotations(src('x = 1', '# @slo Workspace_Starts', 'def f():', '    pass', '', '# @slo', 'def g():', '    pass'), 'f.py', { knownObjectives: KNOWN });
    assert.deepEqual(r.findings.map(at), ['f.py:2:8 error parse_error', 'f.py:6:3 error parse_error']);
    assert.equal(r.objectives, undefined);
  });

  test('an @slo covering nothing is a warning', () => {
    const r = scanAnnotations(src('x = 1', '', '# @slo workspace-starts', '', 'y = 2'), 'f.py', { knownObjectives: KNOWN });
    assert.deepEqual(r.findings.map(at), ['f.py:3:8 warning parse_error']);
  });

  test('@slo in prose (not at the start of the comment) is no annotation', () => {
    const r = scanAnnotations(src('x = 1', '# See @slo annotations in the docs', 'def f():', '    pass'), 'f.py', { knownObjectives: KNOWN });
    assert.equal(r.objectives, undefined);
    assert.deepEqual(r.findings, []);
  });
});

describe('the pre-filter sees @slo', () => {
  test('text and byte markers, and the ripgrep pattern', () => {
    const text = src('// @slo workspace-starts', 'function f() {}');
    assert.equal(hasAnnotationMarker(text), true);
    assert.equal(hasAnnotationMarkerBytes(Buffer.from(text)), true);
    assert.equal(hasAnnotationMarker('const a = b;'), false);
    assert.match(prefilterPattern(), /@slo/);
  });
});
