import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCatalog } from '../../../src/sdk/catalog/catalogParser';
import { lintProjectConfig } from '../../../src/sdk/project/configLint';
import { parseProjectConfig } from '../../../src/sdk/config/projectConfig';

const SMALL = path.join(__dirname, '../../fixtures/catalog/stages-first-group-wins.yml');
const FILE = '/ws/.budgetlens.yml';

describe('lintProjectConfig', () => {
  const config = parseProjectConfig(
    [
      'groups:', //                                                                      1
      '  code_review:', //                                                               2
      '    customTarget: { target: "99.80", reason: r, reviewDate: 2026-06-30 }', //      3
      'mapping:', //                                                                     4
      '  pathRules:', //                                                                 5
      '    - { pattern: /app/, category: team_plannign }', //                            6
      '    - { pattern: /lib/, category: unknown }', //                                  7
      '    - { pattern: /ee/, category: code_review_workflow }', //                      8
      '',
    ].join('\n'),
    FILE,
  );
  const catalog = parseCatalog(readFileSync(SMALL, 'utf8'), SMALL, undefined, undefined, config);

  test('an unknown path-rule category, located at its value, with a suggestion', () => {
    const warnings = lintProjectConfig(config, catalog, new Date('2026-06-30T12:00:00Z'));
    // "    - { pattern: /app/, category: " is 34 characters: the category is at column 35.
    assert.deepEqual(warnings, [
      {
        message: 'path rule "/app/" maps to unknown feature category "team_plannign" (did you mean "team_planning"?)',
        location: { file: FILE, line: 6, column: 35 },
      },
    ]);
  });

  test('an expired custom target, at the group key', () => {
    const warnings = lintProjectConfig(config, catalog, new Date('2026-07-01T00:00:00Z'));
    assert.equal(warnings.length, 2);
    assert.deepEqual(warnings[1]!.location, { file: FILE, line: 2, column: 3 });
    assert.match(warnings[1]!.message, /custom target 99\.80 % for group "code_review" passed its review date 2026-06-30/);
  });

  test('empty top-level sections mean "not set"', () => {
    const c = parseProjectConfig('catalog:\nmapping:\nbackend:\n', FILE);
    assert.deepEqual(c.mapping.pathRules, []);
    assert.equal(c.backend, undefined);
  });
});
