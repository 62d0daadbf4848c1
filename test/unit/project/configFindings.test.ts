/**
 * The config's catalog checks (src/sdk/project/configLint.ts configIssues) as the Findings that
 * `budget-lens lint` prints and the editor's Problems view shows (configFindings).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCatalog } from '../../../src/sdk/catalog/catalogParser';
import { configIssues, lintProjectConfig } from '../../../src/sdk/project/configLint';
import { parseProjectConfig } from '../../../src/sdk/config/projectConfig';
import { configFindings } from '../../../src/sdk/mapping/index/openWorkspace';
import type { OpenedWorkspace } from '../../../src/sdk/mapping/index/openWorkspace';

const SMALL = path.join(__dirname, '../../fixtures/catalog/stages-first-group-wins.yml');
const FILE = '/ws/.budgetlens.yml';

describe('configFindings', () => {
  const config = parseProjectConfig(
    [
      'defaultTarget: "99.95"', //                                                       1
      'groups:', //                                                                      2
      '  code_review:', //                                                               3
      '    customTarget: { target: "99.80", reason: r, reviewDate: 2026-06-30 }', //      4
      'mapping:', //                                                                     5
      '  pathRules:', //                                                                 6
      '    - { pattern: /app/, category: team_plannign }', //                            7
      '',
    ].join('\n'),
    FILE,
  );
  const catalog = parseCatalog(readFileSync(SMALL, 'utf8'), SMALL, undefined, undefined, config);
  const ws = { root: '/ws', config, catalog } as OpenedWorkspace;

  test('on the review date the exception still holds; the day after it is a warning at the group key', () => {
    assert.deepEqual(
      configFindings(ws, new Date('2026-06-30T23:59:59Z')).map((f) => f.code),
      ['unknown_category'],
    );
    const findings = configFindings(ws, new Date('2026-07-01T00:00:00Z'));
    assert.deepEqual(findings, [
      {
        code: 'unknown_category',
        severity: 'error',
        message: `path rule "/app/" maps to unknown feature category 'team_plannign'; did you mean 'team_planning'?`,
        file: '.budgetlens.yml',
        line: 7,
        column: 35,
        suggestion: 'team_planning',
      },
      {
        code: 'expired_custom_target',
        severity: 'warning',
        message: 'custom target 99.80 % for group "code_review" passed its review date 2026-06-30: review it, or remove it to return to 99.95 %',
        file: '.budgetlens.yml',
        line: 3,
        column: 3,
      },
    ]);
  });

  test('one check: the findings, the catalog-style warnings and the issues are the same places', () => {
    const asOf = new Date('2027-01-01T00:00:00Z');
    const issues = configIssues(config, catalog, asOf);
    assert.deepEqual(issues.map((i) => i.kind), ['unknown_path_rule_category', 'expired_custom_target']);
    const at = (l: { line: number; column: number }): [number, number] => [l.line, l.column];
    assert.deepEqual(configFindings(ws, asOf).map(at), issues.map((i) => at(i.location)));
    assert.deepEqual(lintProjectConfig(config, catalog, asOf).map((w) => at(w.location)), issues.map((i) => at(i.location)));
    assert.equal(lintProjectConfig(config, catalog, asOf)[1]!.message, configFindings(ws, asOf)[1]!.message);
  });

  test('no config, no findings', () => {
    assert.deepEqual(configFindings({ ...ws, config: undefined } as OpenedWorkspace), []);
  });
});
