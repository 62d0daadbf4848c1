import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../../src/sdk/contract/errors';
import { loadCatalog, parseCatalog } from '../../../src/sdk/catalog/catalogParser';
// The one review-date rule (budget/policy.ts) now answers what isCustomTargetExpired did.
import { isExceptionExpired as isCustomTargetExpired } from '../../../src/sdk/budget/policy';
import { normaliseGroupKey } from '../../../src/sdk/catalog/groupKey';
import { parseProjectConfig } from '../../../src/sdk/config/projectConfig';

// The real GitLab catalog (read-only, shared between projects).
const STAGES = path.join(__dirname, '../../../catalog/gitlab/stages.yml');
const FEATURE_CATEGORIES = path.join(__dirname, '../../../catalog/gitlab/feature_categories.yml');
const SMALL = path.join(__dirname, '../../fixtures/catalog/stages-first-group-wins.yml');

describe('the real GitLab catalog (catalog/gitlab)', () => {
  test('has 81 groups, 139 categories, 22 stages and no warnings', async () => {
    const c = await loadCatalog({ stagesPath: STAGES, featureCategoriesPath: FEATURE_CATEGORIES });
    assert.equal(c.groups.size, 81);
    assert.equal(c.categories.size, 139);
    assert.equal(c.knownCategories.size, 139);
    assert.equal(new Set([...c.groups.values()].map((g) => g.stage)).size, 22);
    assert.deepEqual(c.warnings, []);
    // Every group key is already normalised in GitLab's file.
    for (const key of c.groups.keys()) assert.equal(normaliseGroupKey(key), key);
  });

  test('team_planning -> project_management -> plan', async () => {
    const c = await loadCatalog({ stagesPath: STAGES, featureCategoriesPath: FEATURE_CATEGORIES });
    const g = c.groupOf('team_planning');
    assert.equal(g.key, 'project_management');
    assert.equal(g.name, 'Project Management');
    assert.equal(g.stage, 'plan');
    assert.equal(g.stageDisplayName, 'Plan');
    assert.equal(c.stageOf('team_planning'), 'plan');
    assert.deepEqual(c.categories.get('team_planning'), { name: 'team_planning', group: 'project_management', stage: 'plan' });
    assert.ok(c.categoriesOf('project_management').includes('team_planning'));
    assert.equal(c.groupOf('source_code_management').key, 'source_code');
    assert.equal(c.targetOf('project_management'), '99.95');
  });

  test('a group with an empty categories: list loads with no categories', async () => {
    const c = await loadCatalog({ stagesPath: STAGES });
    assert.deepEqual(c.categoriesOf('database_operations'), []);
    // Without feature_categories.yml the known categories are those stages.yml lists.
    assert.equal(c.knownCategories.size, 139);
  });
});

describe('the not_owned pseudo-group', () => {
  const c = parseCatalog(readFileSync(SMALL, 'utf8'), SMALL);
  for (const category of ['not_owned', 'unknown', 'no_such_category']) {
    test(`${category} belongs to not_owned (stage not_owned)`, () => {
      const g = c.groupOf(category);
      assert.equal(g.key, 'not_owned');
      assert.equal(g.stage, 'not_owned');
      assert.equal(c.stageOf(category), 'not_owned');
    });
  }
  test('is not one of the real groups but can be looked up', () => {
    assert.equal(c.groups.has('not_owned'), false);
    assert.deepEqual(c.categoriesOf('not_owned'), ['not_owned', 'unknown']);
    assert.equal(c.group('not_owned')?.key, 'not_owned');
    assert.equal(c.isValidCategory('unknown'), true);
    assert.equal(c.isValidCategory('no_such_category'), false);
  });
});

describe('group keys, first group wins', () => {
  test('normalisation: downcase, chars outside [a-z0-9_-] become "-"', () => {
    // "Project Management!": downcase -> "project management!", ' ' and '!' -> '-'.
    assert.equal(normaliseGroupKey('Project Management!'), 'project-management-');
    assert.equal(normaliseGroupKey('source_code'), 'source_code');
    assert.equal(normaliseGroupKey('AI-Framework 2.0'), 'ai-framework-2-0');
  });

  test('the small fixture: normalised key, first group wins with a located warning', () => {
    const c = parseCatalog(readFileSync(SMALL, 'utf8'), SMALL);
    assert.deepEqual([...c.groups.keys()], ['project-management-', 'code_review', 'editor_extensions']);
    assert.equal(c.groupOf('team_planning').key, 'project-management-');
    assert.deepEqual(c.categoriesOf('code_review'), ['code_review_workflow']);
    assert.deepEqual(c.categoriesOf('editor_extensions'), []);
    // A stage without display_name displays as its key.
    assert.equal(c.groupOf('code_review_workflow').stageDisplayName, 'create');
    assert.equal(c.warnings.length, 1);
    // The duplicate "- team_planning" is line 18; its value starts at column 13.
    assert.deepEqual(c.warnings[0]!.location, { file: SMALL, line: 18, column: 13 });
    assert.match(c.warnings[0]!.message, /already owned by group "project-management-" \(first group wins\)/);
  });

  test('a category missing from feature_categories.yml is a located warning', () => {
    const c = parseCatalog(readFileSync(SMALL, 'utf8'), SMALL, '- team_planning\n- code_review_workflow\n', 'fc.yml');
    assert.deepEqual(c.knownCategories, new Set(['team_planning', 'code_review_workflow']));
    const w = c.warnings.find((x) => x.message.includes('portfolio_management'));
    // "- portfolio_management" is line 11, value at column 13.
    assert.deepEqual(w?.location, { file: SMALL, line: 11, column: 13 });
  });
});

describe('feature_categories.yml names no group lists', () => {
  test('are known (valid in declarations) but belong to not_owned', () => {
    const c = parseCatalog(readFileSync(SMALL, 'utf8'), SMALL, '- team_planning\n- portfolio_management\n- code_review_workflow\n- orphan_feature\n', 'fc.yml');
    assert.equal(c.knownCategories.has('orphan_feature'), true);
    assert.equal(c.isValidCategory('orphan_feature'), true);
    assert.equal(c.groupOf('orphan_feature').key, 'not_owned');
    assert.equal(c.categories.has('orphan_feature'), false);
  });

  test('CRLF line endings locate the same line and column', () => {
    const crlf = readFileSync(SMALL, 'utf8').replace(/\n/g, '\r\n');
    const c = parseCatalog(crlf, SMALL);
    assert.equal(c.groupOf('team_planning').key, 'project-management-');
    assert.deepEqual(c.warnings[0]!.location, { file: SMALL, line: 18, column: 13 });
  });
});

describe('project config merged into the catalog', () => {
  const stages = readFileSync(SMALL, 'utf8');
  const config = parseProjectConfig(
    [
      'defaultTarget: "99.90"',
      'groups:',
      '  "Project Management!":',
      '    ignoredComponents: [graphql_query]',
      '    customTarget: { target: "99.80", reason: migration, reviewDate: 2026-12-31 }',
      '  code_reveiw:',
      '    ignoredComponents: [sidekiq_execution]',
      '  not_owned:',
      '    ignoredComponents: [rails_request]',
      '',
    ].join('\n'),
    '/ws/.budgetlens.yml',
  );
  const c = parseCatalog(stages, SMALL, undefined, undefined, config);

  test('custom target and ignored components land on the normalised group', () => {
    const g = c.groupOf('team_planning');
    assert.deepEqual(g.ignoredComponents, ['graphql_query']);
    assert.deepEqual(g.customTarget, { target: '99.80', reason: 'migration', reviewDate: '2026-12-31' });
    assert.equal(c.targetOf('project-management-'), '99.80');
  });

  test('other groups get the configured default target', () => {
    assert.equal(c.targetOf('code_review'), '99.90');
    assert.equal(c.targetOf('no_such_group'), '99.90');
  });

  test('the not_owned pseudo-group takes settings too', () => {
    assert.deepEqual(c.groupOf('unknown').ignoredComponents, ['rails_request']);
  });

  test('a config group not in stages.yml is a warning at the config key, with a suggestion', () => {
    const w = c.warnings.find((x) => x.message.includes('code_reveiw'));
    assert.ok(w);
    assert.deepEqual(w.location, { file: '/ws/.budgetlens.yml', line: 6, column: 3 });
    assert.match(w.message, /did you mean "code_review"/);
    assert.deepEqual(c.groupOf('code_review_workflow').ignoredComponents, []);
  });

  test('two config keys for one group: a warning at the second, whose settings apply', () => {
    const twice = parseProjectConfig('groups:\n  "Code Review":\n    ignoredComponents: [a]\n  code-review:\n    ignoredComponents: [b]\n', '/ws/.budgetlens.yml');
    const stagesWithDash = stages.replace('      code_review:', '      code-review:');
    const cat = parseCatalog(stagesWithDash, SMALL, undefined, undefined, twice);
    assert.deepEqual(cat.groupOf('code_review_workflow').ignoredComponents, ['b']);
    const w = cat.warnings.find((x) => x.message.includes('same group'));
    assert.deepEqual(w?.location, { file: '/ws/.budgetlens.yml', line: 4, column: 3 });
  });

  test('expired custom targets', () => {
    const ct = c.groupOf('team_planning').customTarget!;
    assert.equal(isCustomTargetExpired(ct, new Date('2026-12-31T23:59:00Z')), false);
    assert.equal(isCustomTargetExpired(ct, new Date('2027-01-01T00:00:00Z')), true);
  });
});

describe('broken catalogs are InputErrors at file:line:col', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'budgetlens-catalog-'));
  const GOOD = [
    'stages:', //                          1
    '  plan:', //                          2
    '    display_name: "Plan"', //         3
    '    groups:', //                      4
    '      project_management:', //        5
    '        name: "Project Management"', // 6
    '        categories:', //              7
    '          - team_planning', //        8
  ];
  const variant = (name: string, edit: (lines: string[]) => void): string => {
    const lines = [...GOOD];
    edit(lines);
    const file = path.join(dir, `${name}.yml`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };

  test('the unbroken text loads', async () => {
    const c = await loadCatalog({ stagesPath: variant('good', () => {}) });
    assert.equal(c.groupOf('team_planning').key, 'project_management');
  });

  const cases: Array<[string, (l: string[]) => void, number, number, RegExp]> = [
    // Bad indentation: "categories:" one column left of "name:"; YAML reports the line start.
    ['bad-indent', (l) => (l[6] = '       categories:'), 7, 1, /invalid YAML: All mapping items must start at the same column/],
    // A tab as indentation on line 8, reported at its start.
    ['tab', (l) => (l[7] = '\t  - team_planning'), 8, 1, /invalid YAML: Tabs are not allowed as indentation/],
    // A wrong type: "        categories: " is 20 characters, the string starts at column 21.
    // (Line 8 goes too: "- team_planning" would continue the plain scalar.)
    ['wrong-type', (l) => l.splice(6, 2, '        categories: team_planning'), 7, 21, /stages\.plan\.groups\.project_management\.categories: must be a list or null, got the string "team_planning"/],
    // name: 5 -> "        name: " is 14 characters, the number is at column 15.
    ['number-name', (l) => (l[5] = '        name: 5'), 6, 15, /\.name: must be a string, got number 5/],
    // A category name with a space: "          - " is 12 characters, value at column 13.
    ['bad-category', (l) => (l[7] = '          - Team Planning'), 8, 13, /categories\[0\]: the string "Team Planning" is not valid/],
    // A missing group name: the group mapping starts on line 7 (its first key), column 9.
    ['missing-name', (l) => l.splice(5, 1), 6, 9, /stages\.plan\.groups\.project_management: missing required key "name"/],
  ];
  for (const [name, edit, line, column, message] of cases) {
    test(`${name} -> line ${line}, column ${column}`, async () => {
      const file = variant(name, edit);
      await assert.rejects(loadCatalog({ stagesPath: file }), (e: unknown) => {
        assert.ok(InputError.is(e), String(e));
        assert.ok(e.message.startsWith(`${file}:${line}:${column}: `), e.message);
        assert.match(e.message, message);
        return true;
      });
    });
  }

  test('an unknown key under a group is ignored and noted, not an error (GitLab adds fields all the time)', async () => {
    const c = await loadCatalog({ stagesPath: variant('unknown-key', (l) => l.splice(6, 0, '        owner: "@alice"')) });
    assert.deepEqual(c.categoriesOf('project_management'), ['team_planning']);
    assert.deepEqual(c.ignoredFields.group, ['owner']);
    assert.deepEqual(c.warnings, []);
  });

  test('categories under a stage are ignored with a warning at their line (they belong to a group)', async () => {
    // "    categories:" on the new line 4, key at column 5.
    const file = variant('misplaced-key', (l) => l.splice(3, 0, '    categories: [team_planning]'));
    const c = await loadCatalog({ stagesPath: file });
    assert.deepEqual(c.warnings.map((w) => [w.location.line, w.location.column, w.message]), [
      [4, 5, '"categories" under stage "plan" is ignored: categories belong to a group (stages.plan.groups.<group>.categories)'],
    ]);
    assert.deepEqual(c.categoriesOf('project_management'), ['team_planning']);
  });

  test('feature_categories.yml: a non-string item and a mapping instead of a list', () => {
    const stages = `${GOOD.join('\n')}\n`;
    assert.throws(
      () => parseCatalog(stages, 's.yml', '- team_planning\n- 42\n', 'fc.yml'),
      // "- " is 2 characters: 42 is at line 2, column 3.
      (e: unknown) => InputError.is(e) && e.message.startsWith('fc.yml:2:3: [1]: must be a string, got number 42'),
    );
    assert.throws(
      () => parseCatalog(stages, 's.yml', 'team_planning: yes\n', 'fc.yml'),
      (e: unknown) => InputError.is(e) && e.message.startsWith('fc.yml:1:1: (document): must be a list, got a mapping'),
    );
  });

  test('a missing file is an InputError naming it', async () => {
    const file = path.join(dir, 'nope.yml');
    await assert.rejects(loadCatalog({ stagesPath: file }), (e: unknown) => InputError.is(e) && e.message.startsWith(`${file}:1:1: cannot read catalog file`));
  });
});
