/** Precedence when merging (declaration > annotation > path rule > unknown) and "category at line". */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { categoryAtLine, mergeFileMapping, primaryCategory } from '../../../../src/sdk/mapping/index/mappingMerge';
import type { CategoryRange, Endpoint, FileMapping } from '../../../../src/sdk/mapping/types';

const FILE = 'app/controllers/projects/boards_controller.rb';

function range(category: string, startLine: number, endLine: number, attribution: CategoryRange['attribution'], scope: CategoryRange['scope'] = 'class'): CategoryRange {
  return { category, scope, name: `${category}@${startLine}`, startLine, endLine, attribution };
}

function endpoint(id: string, line: number, category: string, attribution: Endpoint['attribution']): Endpoint {
  return { id, kind: 'rails', category, urgency: 'default', thresholdS: 1, file: FILE, line, attribution };
}

describe('categoryAtLine', () => {
  const ranges = [
    range('source_code_management', 1, 100, 'path_rule', 'file'),
    range('team_planning', 3, 60, 'declaration'),
    range('service_desk', 20, 30, 'declaration', 'action'),
    range('wiki', 40, 50, 'annotation', 'action'),
  ];

  test('the innermost declaration wins inside an action', () => {
    assert.equal(categoryAtLine(ranges, 25)?.category, 'service_desk');
  });

  test('a declaration beats a narrower annotation', () => {
    // Line 45 is inside the annotation (40-50) and the class declaration (3-60): in-code wins.
    assert.equal(categoryAtLine(ranges, 45)?.category, 'team_planning');
  });

  test('outside every declaration the path rule applies; outside everything nothing does', () => {
    assert.equal(categoryAtLine(ranges, 80)?.category, 'source_code_management');
    assert.equal(categoryAtLine(ranges, 101), undefined);
  });

  test('range bounds are inclusive', () => {
    assert.equal(categoryAtLine(ranges, 20)?.category, 'service_desk');
    assert.equal(categoryAtLine(ranges, 30)?.category, 'service_desk');
    assert.equal(categoryAtLine(ranges, 31)?.category, 'team_planning');
  });
});

describe('mergeFileMapping', () => {
  const declared: FileMapping = {
    file: FILE,
    // The declaration covers #index (line 10) only; #show (line 20) is left unknown by the code.
    categories: [range('team_planning', 3, 15, 'declaration', 'action')],
    endpoints: [
      endpoint('Projects::BoardsController#index', 10, 'team_planning', 'declaration'),
      endpoint('Projects::BoardsController#show', 20, 'unknown', 'unknown'),
    ],
    findings: [{ code: 'unknown_urgency', severity: 'error', message: 'unknown urgency "urgent"', file: FILE, line: 9, column: 11 }],
  };

  test('the path rule becomes a file range spanning every line', () => {
    const m = mergeFileMapping({ file: FILE, lineCount: 42, pathRuleCategory: 'wiki', scanFindings: [] });
    assert.deepEqual(m.categories, [{ category: 'wiki', scope: 'file', name: FILE, startLine: 1, endLine: 42, attribution: 'path_rule' }]);
  });

  test('an endpoint the code leaves unknown takes the annotation covering it, else the path rule', () => {
    const withAnnotation = mergeFileMapping({
      file: FILE,
      lineCount: 40,
      declared,
      annotations: { categories: [range('service_desk', 18, 25, 'annotation', 'action')], endpoints: [], findings: [] },
      pathRuleCategory: 'wiki',
      scanFindings: [],
    });
    const show = withAnnotation.endpoints.find((e) => e.id.endsWith('#show'));
    assert.equal(show?.category, 'service_desk');
    assert.equal(show?.attribution, 'annotation');

    const pathOnly = mergeFileMapping({ file: FILE, lineCount: 40, declared, pathRuleCategory: 'wiki', scanFindings: [] });
    const show2 = pathOnly.endpoints.find((e) => e.id.endsWith('#show'));
    assert.equal(show2?.category, 'wiki');
    assert.equal(show2?.attribution, 'path_rule');
    // A declared endpoint keeps its own category whatever the path rule says.
    assert.equal(pathOnly.endpoints.find((e) => e.id.endsWith('#index'))?.category, 'team_planning');
  });

  test('a declared endpoint beats an annotated endpoint with the same id', () => {
    const m = mergeFileMapping({
      file: FILE,
      lineCount: 40,
      declared,
      annotations: { categories: [], endpoints: [{ ...endpoint('Projects::BoardsController#index', 9, 'wiki', 'annotation'), kind: 'annotated' }], findings: [] },
      scanFindings: [],
    });
    const index = m.endpoints.filter((e) => e.id === 'Projects::BoardsController#index');
    assert.equal(index.length, 1);
    assert.equal(index[0]?.category, 'team_planning');
  });

  test('findings from scanning, annotations and the extractor are merged, sorted and de-duplicated', () => {
    const dup = declared.findings[0]!;
    const m = mergeFileMapping({
      file: FILE,
      lineCount: 40,
      declared,
      annotations: { categories: [], endpoints: [], findings: [{ ...dup, line: 2, column: 3, code: 'unknown_category', message: 'x' }] },
      scanFindings: [dup],
    });
    assert.deepEqual(m.findings.map((f) => `${f.line}:${f.column} ${f.code}`), ['2:3 unknown_category', '9:11 unknown_urgency']);
  });

  test('primaryCategory prefers the highest-precedence class or file range', () => {
    const classLevel = { ...declared, categories: [range('team_planning', 3, 40, 'declaration')] };
    const m = mergeFileMapping({ file: FILE, lineCount: 40, declared: classLevel, pathRuleCategory: 'wiki', scanFindings: [] });
    assert.deepEqual(primaryCategory(m), { category: 'team_planning', attribution: 'declaration' });
    assert.deepEqual(primaryCategory({ file: FILE, categories: [], endpoints: [], findings: [] }), { category: 'unknown', attribution: 'unknown' });
  });
});
