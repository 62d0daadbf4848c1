/**
 * `adjustments:` in .budgetlens.yml (issue 15 item 3, docs/config.md "Adjustments"): what is
 * accepted, and every refusal at its file:line with its reason: end before or equal to start,
 * missing reason, no scope, overlapping ranges for a shared scope, an unknown group (against the
 * catalog), and the `{ file: path }` form with errors at the named file's lines.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkProjectConfig, parseProjectConfig } from '../../../src/sdk/config/projectConfig';
import { adjustmentScopeErrors } from '../../../src/sdk/catalog/adjustmentScopes';
import { gitlabCatalog } from '../../support/builders';

const FILE = '/ws/.budgetlens.yml';
const errorsOf = (lines: string[], file = FILE): string[] => checkProjectConfig(lines.join('\n') + '\n', file).errors.map((e) => e.message);

describe('adjustments in .budgetlens.yml', () => {
  test('a list: instants normalised to UTC, scope all / groups / categories, components, link', () => {
    const config = parseProjectConfig(
      [
        'adjustments:', //                                                                  1
        '  - from: 2026-03-10T10:00:00Z', //                                                 2
        '    to: 2026-03-10T12:00Z', //                                                      3
        '    scope: all', //                                                                 4
        '    reason: Patroni failover took the primary database away', //                    5
        '    link: https://gitlab.com/gitlab-com/gl-infra/production/-/issues/1', //        6
        '  - { from: "2026-03-11T00:00:00+02:00", to: 2026-03-11T01:00:00Z, groups: [source_code], components: [rails_request], reason: Gitaly node restart }', // 7
        // same time as the first but meets nothing of it? No: `all` covers every group; this one is
        // a different day, so it is accepted.
        '  - { from: 2026-03-12T11:00:00Z, to: 2026-03-12T13:00:00Z, categories: [team_planning], reason: r }', // 8
        '',
      ].join('\n'),
      FILE,
    );
    assert.deepEqual(
      config.adjustments.map(({ location, ...a }) => ({ ...a, line: location.line })),
      [
        { from: '2026-03-10T10:00:00.000Z', to: '2026-03-10T12:00:00.000Z', scope: { all: true }, reason: 'Patroni failover took the primary database away', link: 'https://gitlab.com/gitlab-com/gl-infra/production/-/issues/1', line: 2 },
        // +02:00: midnight there is 22:00 UTC the day before
        { from: '2026-03-10T22:00:00.000Z', to: '2026-03-11T01:00:00.000Z', scope: { groups: ['source_code'], components: ['rails_request'] }, reason: 'Gitaly node restart', line: 7 },
        { from: '2026-03-12T11:00:00.000Z', to: '2026-03-12T13:00:00.000Z', scope: { categories: ['team_planning'] }, reason: 'r', line: 8 },
      ],
    );
    assert.deepEqual(parseProjectConfig('defaultTarget: "99.95"\n', FILE).adjustments, []);
  });

  test('end before or equal to start, a bad instant, no zone: refused at the key', () => {
    assert.deepEqual(
      errorsOf([
        'adjustments:',
        '  - { from: 2026-03-10T12:00:00Z, to: 2026-03-10T10:00:00Z, scope: all, reason: r }', // 2
        '  - { from: 2026-03-11T12:00:00Z, to: 2026-03-11T12:00:00Z, scope: all, reason: r }', // 3
        '  - { from: 2026-02-30T12:00:00Z, to: 2026-03-12T12:00:00, scope: all, reason: r }', //  4
      ]),
      [
        '/ws/.budgetlens.yml:2:39: adjustments[0].to: 2026-03-10T10:00:00Z is not after from (2026-03-10T12:00:00Z): an adjustment is a range [from, to)',
        '/ws/.budgetlens.yml:3:39: adjustments[1].to: 2026-03-11T12:00:00Z is not after from (2026-03-11T12:00:00Z): an adjustment is a range [from, to)',
        '/ws/.budgetlens.yml:4:13: adjustments[2].from: "2026-02-30T12:00:00Z": February 2026 has 28 days, not 30',
        '/ws/.budgetlens.yml:4:39: adjustments[2].to: "2026-03-12T12:00:00" is not an ISO instant with a zone (e.g. 2026-03-10T10:00:00Z)',
      ],
    );
  });

  test('a missing reason, no scope or two scopes, a link that is no URL: refused at the entry', () => {
    const errors = errorsOf([
      'adjustments:',
      '  - { from: 2026-03-10T10:00:00Z, to: 2026-03-10T12:00:00Z, scope: all }', //                          2
      '  - { from: 2026-03-11T10:00:00Z, to: 2026-03-11T12:00:00Z, scope: everything, reason: r }', //         3
      '  - { from: 2026-03-12T10:00:00Z, to: 2026-03-12T12:00:00Z, reason: r, link: "javascript:x" }', //       4
    ]);
    assert.equal(errors.length, 3, errors.join('\n'));
    assert.match(errors[0]!, /^\/ws\/\.budgetlens\.yml:2:5: .*reason/);
    assert.match(errors[1]!, /^\/ws\/\.budgetlens\.yml:3:\d+: .*scope/);
    assert.match(errors[2]!, /^\/ws\/\.budgetlens\.yml:4:\d+: .*link/);
    assert.deepEqual(
      errorsOf([
        'adjustments:',
        '  - { from: 2026-03-10T10:00:00Z, to: 2026-03-10T12:00:00Z, reason: r }', //                               2
        '  - { from: 2026-03-11T10:00:00Z, to: 2026-03-11T12:00:00Z, scope: all, groups: [source_code], reason: r }', // 3
      ]),
      [
        '/ws/.budgetlens.yml:2:5: adjustments[0]: no scope: give exactly one of "scope: all", "groups: [...]" or "categories: [...]"',
        '/ws/.budgetlens.yml:3:81: adjustments[1]: scope and groups together: give exactly one of "scope: all", "groups: [...]" or "categories: [...]"',
      ],
    );
  });

  test('overlapping ranges for a shared scope: refused at the later one, naming the earlier line', () => {
    assert.deepEqual(
      errorsOf([
        'adjustments:',
        '  - { from: 2026-03-10T10:00:00Z, to: 2026-03-10T12:00:00Z, scope: all, reason: db failover }', //                  2
        '  - { from: 2026-03-10T11:00:00Z, to: 2026-03-10T13:00:00Z, groups: [source_code], reason: gitaly }', //          3
        // touching ranges ([10, 12) and [12, 13)) do not overlap; disjoint components never meet
        '  - { from: 2026-03-10T12:00:00Z, to: 2026-03-10T13:00:00Z, groups: [code_review], reason: r }', //                 4
        '  - { from: 2026-03-11T10:00:00Z, to: 2026-03-11T12:00:00Z, scope: all, components: [rails_request], reason: r }', // 5
        '  - { from: 2026-03-11T11:00:00Z, to: 2026-03-11T12:00:00Z, scope: all, components: [sidekiq_execution], reason: r }', // 6
      ]),
      [
        '/ws/.budgetlens.yml:3:5: adjustment 2026-03-10T11:00:00.000Z - 2026-03-10T13:00:00.000Z overlaps the one at line 2 (2026-03-10T10:00:00.000Z - 2026-03-10T12:00:00.000Z) for all groups: its spend would be removed twice; merge them or make the ranges meet',
      ],
    );
  });

  test('against the catalog: an unknown group (did you mean), a group against one of its categories', async () => {
    const catalog = await gitlabCatalog();
    const config = parseProjectConfig(
      [
        'adjustments:',
        '  - { from: 2026-03-10T10:00:00Z, to: 2026-03-10T12:00:00Z, groups: [source_cod], reason: r }', //          2
        '  - { from: 2026-03-11T10:00:00Z, to: 2026-03-11T12:00:00Z, groups: [project_management], reason: r }', //  3
        '  - { from: 2026-03-11T11:00:00Z, to: 2026-03-11T13:00:00Z, categories: [team_planning], reason: r }', //   4
        '',
      ].join('\n'),
      FILE,
    );
    assert.deepEqual(
      adjustmentScopeErrors(config.adjustments, catalog).map((e) => e.message),
      [
        '/ws/.budgetlens.yml:2:5: adjustment 2026-03-10T10:00:00.000Z - 2026-03-10T12:00:00.000Z: unknown group "source_cod" (did you mean "source_code"?)',
        '/ws/.budgetlens.yml:4:5: adjustment 2026-03-11T11:00:00.000Z - 2026-03-11T13:00:00.000Z overlaps the one at line 3 (2026-03-11T10:00:00.000Z - 2026-03-11T12:00:00.000Z) for category "team_planning" of group "project_management": its spend would be removed twice; merge them or make the ranges meet',
      ],
    );
  });

  describe('adjustments: { file: path }', () => {
    const dir = mkdtempSync(join(tmpdir(), 'budget-lens-adjustments-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('the list is read from the file, errors at its own lines', () => {
      writeFileSync(join(dir, 'adjustments.yml'), ['# incidents', '- from: 2026-03-10T10:00:00Z', '  to: 2026-03-10T12:00:00Z', '  scope: all', '  reason: db', ''].join('\n'));
      const config = parseProjectConfig('adjustments: { file: adjustments.yml }\n', join(dir, '.budgetlens.yml'));
      assert.deepEqual(config.adjustments.map((a) => [a.from, a.reason, a.location.file, a.location.line]), [['2026-03-10T10:00:00.000Z', 'db', join(dir, 'adjustments.yml'), 2]]);
      // The file it read, absolute (the editor re-opens the project when it changes); none for a list in the config.
      assert.equal(config.adjustmentsFile, join(dir, 'adjustments.yml'));
      assert.equal(parseProjectConfig('adjustments: []\n', join(dir, '.budgetlens.yml')).adjustmentsFile, undefined);

      writeFileSync(join(dir, 'bad.yml'), ['- from: 2026-03-10T10:00:00Z', '  to: 2026-03-10T09:00:00Z', '  scope: all', '  reason: db', ''].join('\n'));
      assert.deepEqual(errorsOf(['adjustments: { file: bad.yml }'], join(dir, '.budgetlens.yml')), [
        `${join(dir, 'bad.yml')}:2:7: [0].to: 2026-03-10T09:00:00Z is not after from (2026-03-10T10:00:00Z): an adjustment is a range [from, to)`,
      ]);
      const missing = errorsOf(['adjustments: { file: nowhere.yml }'], join(dir, '.budgetlens.yml'));
      assert.equal(missing.length, 1);
      assert.match(missing[0]!, /\.budgetlens\.yml:1:22: adjustments\.file: cannot read the adjustments file: ENOENT/);
    });
  });
});
