/**
 * Which objectives apply at a line (issue 13 item 2): objectives.pathRules (last match wins),
 * and the precedence annotation > path rule > category/group, pure and through the index.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { objectiveAttachments, objectiveSegments, objectivesAtLine } from '../../../src/sdk/mapping/objectiveAttachment';
import { compileObjectivePathRules } from '../../../src/sdk/mapping/pathRules';
import { openWorkspace } from '../../../src/sdk/mapping/index/openWorkspace';
import type { ObjectivePathRule } from '../../../src/sdk/config/types';
import type { ObjectiveSpec } from '../../../src/sdk/objectives/spec';
import type { FileMapping } from '../../../src/sdk/mapping/types';

const LOC = { file: '.budgetlens.yml', line: 1, column: 1 };
const rule = (pattern: string, ...objectives: string[]): ObjectivePathRule => ({ pattern, objectives, locations: objectives.map(() => LOC) });
const spec = (name: string, attach: { category?: string; group?: string } = {}): ObjectiveSpec => ({
  name,
  target: '0.99',
  budgetingMethod: 'Occurrences',
  window: { kind: 'rolling', minutes: 40320, label: '28d' },
  sli: { kind: 'ratio', form: 'good', counter: true },
  location: LOC,
  ...attach,
});

describe('objectives.pathRules: last match wins', () => {
  const rules = [rule('components/ws-manager/**', 'keeps'), rule('*.ts', 'ts-wide'), rule('components/ws-manager/src/metrics.ts', 'starts', 'latency'), rule('docs/', 'none')];
  const m = compileObjectivePathRules(rules);
  test('the later of two matching rules', () => {
    assert.deepEqual(m.matchRule('components/ws-manager/src/metrics.ts')?.rule.objectives, ['starts', 'latency']);
    assert.equal(m.matchRule('components/ws-manager/src/metrics.ts')?.index, 2);
    assert.deepEqual(m.matchRule('components/ws-manager/src/manager.ts')?.rule.objectives, ['ts-wide']);
    assert.deepEqual(m.matchRule('components/ws-manager/src/manager.go')?.rule.objectives, ['keeps']);
    assert.equal(m.matchRule('components/other/x.go'), undefined);
  });
  test('through objectiveAttachments', () => {
    const a = objectiveAttachments({ objectives: [], pathRules: rules });
    assert.deepEqual(a.pathRule('./components/ws-manager/src/metrics.ts'), { objectives: ['starts', 'latency'], pattern: 'components/ws-manager/src/metrics.ts', index: 2 });
  });
});

describe('objectives of a category and of its group', () => {
  const a = objectiveAttachments({
    objectives: [spec('starts', { category: 'workspace_start' }), spec('keeps', { group: 'workspace-runtime' }), spec('both', { category: 'workspace_start', group: 'workspace_runtime' }), spec('free')],
    groupOf: (c) => ({ workspace_start: 'workspace_lifecycle', workspace_runtime: 'workspace_runtime', supervisor: 'workspace_runtime' })[c],
  });
  test('a category: its own objectives (category wins over group when both are given)', () => {
    assert.deepEqual(a.ofCategory('workspace_start'), ['starts', 'both']);
  });
  test('a group objective (no category) attaches to every category of the group; - and _ alike', () => {
    assert.deepEqual(a.ofCategory('workspace_runtime'), ['keeps']);
    assert.deepEqual(a.ofCategory('supervisor'), ['keeps']);
    assert.deepEqual(a.ofCategory('unknown'), []);
  });
  test('known names', () => {
    assert.deepEqual([...a.known].sort(), ['both', 'free', 'keeps', 'starts']);
  });
});

describe('precedence at a line: annotation > path rule > category', () => {
  const attachments = objectiveAttachments({ objectives: [spec('cat', { category: 'c' })], pathRules: [rule('src/**', 'ruled')] });
  const mapping: FileMapping = {
    file: 'src/a.ts',
    categories: [],
    endpoints: [],
    findings: [],
    objectives: [
      { objectives: ['file-wide'], scope: 'file', name: 'src/a.ts', startLine: 1, endLine: 30, line: 1 },
      { objectives: ['inner'], scope: 'action', name: 'f', startLine: 10, endLine: 12, line: 9 },
    ],
  };
  test('the innermost annotation, then the file annotation', () => {
    assert.deepEqual(objectivesAtLine({ file: 'src/a.ts', line: 11, mapping, attachments, category: 'c' })?.objectives, ['inner']);
    assert.deepEqual(objectivesAtLine({ file: 'src/a.ts', line: 13, mapping, attachments, category: 'c' })?.objectives, ['file-wide']);
  });
  test('past the annotations: the path rule, then the category', () => {
    assert.deepEqual(objectivesAtLine({ file: 'src/a.ts', line: 31, mapping, attachments, category: 'c' }), { objectives: ['ruled'], attribution: 'path_rule', rule: { pattern: 'src/**', index: 0 } });
    assert.deepEqual(objectivesAtLine({ file: 'lib/b.ts', line: 1, attachments, category: 'c' }), { objectives: ['cat'], attribution: 'category', category: 'c' });
    assert.equal(objectivesAtLine({ file: 'lib/b.ts', line: 1, attachments, category: 'd' }), undefined);
  });
  test('segments cut the file where the answer changes', () => {
    const segs = objectiveSegments({ file: 'src/a.ts', mapping: { ...mapping, objectives: mapping.objectives!.slice(1) }, attachments, lineCount: 14, categoryAt: () => 'c' });
    assert.deepEqual(segs.map((s) => [s.startLine, s.endLine, s.attribution, s.objectives.join(',')]), [
      [1, 9, 'path_rule', 'ruled'],
      [10, 12, 'annotation', 'inner'],
      [13, 14, 'path_rule', 'ruled'],
    ]);
  });
});

describe('WorkspaceIndex.objectivesAt over a workspace', () => {
  const root = mkdtempSync(join(tmpdir(), 'bl-slo-attach-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string): void => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write(
    '.budgetlens.yml',
    [
      'mapping:',
      '  pathRules:',
      '    - pattern: "lib/**"',
      '      category: team_planning',
      'objectives:',
      '  list:',
      '    - { name: planning, target: 99, category: team_planning, total: t, good: g }',
      '    - { name: ruled, target: 99, total: t, good: g }',
      '    - { name: annotated, target: 99, total: t, good: g }',
      '  pathRules:',
      '    - pattern: "app/**"',
      '      objective: ruled',
      '    - pattern: "app/typo.ts"',
      '      objective: rulde',
      '',
    ].join('\n'),
  );
  write('app/svc.ts', ['import x from "y";', '', '// @slo annotated', 'export function f() {', '  return x;', '}', '', 'export function g() {', '  return 1;', '}', ''].join('\n'));
  write('lib/plan.py', ['# @slo annotatd', 'def h():', '    pass', '', 'def i():', '    pass', ''].join('\n'));
  write('other/plain.ts', 'export const a = 1;\n');

  test('annotation > path rule > category, and unknown names as findings', async () => {
    const ws = await openWorkspace({ root, workers: 1, ripgrep: false });
    await ws.index.build();
    const at = (file: string, line: number): string | undefined => {
      const o = ws.index.objectivesAt(file, line);
      return o && `${o.attribution}:${o.objectives.join(',')}`;
    };
    assert.equal(at('app/svc.ts', 5), 'annotation:annotated');
    assert.equal(at('app/svc.ts', 9), 'path_rule:ruled');
    assert.equal(at('lib/plan.py', 6), 'category:planning');
    assert.equal(at('lib/plan.py', 3), 'annotation:annotatd');
    assert.equal(at('other/plain.ts', 1), undefined);
    assert.equal(at('not/indexed.ts', 1), undefined);
    assert.deepEqual(
      ws.index.findings().filter((f) => f.code === 'unknown_objective').map((f) => `${f.file}:${f.line}:${f.column} ${f.suggestion}`),
      ['lib/plan.py:1:8 annotated'],
    );
    assert.deepEqual(
      ws.objectives.findings.filter((f) => f.code === 'unknown_objective').map((f) => `${f.file}:${f.line}:${f.column} ${f.suggestion}`),
      ['.budgetlens.yml:14:18 ruled'],
    );
    assert.deepEqual(ws.index.objectiveAnnotations().map((r) => `${r.file}:${r.line} ${r.name} ${r.objectives.join(',')}`), ['app/svc.ts:3 f annotated', 'lib/plan.py:1 h annotatd']);
  });
});
