/**
 * `catalog.history` in .budgetlens.yml (issue 15 item 1, docs/config.md "Catalog history"): the list
 * form (dates and instants, relative paths) and `git`; every refusal at its file:line:col: dates out
 * of order or repeated, a date that is no date, a file that does not exist, an unknown key, `git`
 * without catalog.stages. Then the list loaded into a CatalogHistory (a broken stages file: its own line).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkProjectConfig, parseProjectConfig } from '../../../src/sdk/config/projectConfig';
import { loadCatalogHistory } from '../../../src/sdk/catalog/catalogHistoryLoader';
import { InputError } from '../../../src/sdk/contract/errors';
import { HISTORY_DATES, HISTORY_FIXTURES } from '../../support/catalogHistoryFixtures';

describe('catalog.history in .budgetlens.yml', () => {
  let dir: string;
  let file: string;
  const errorsOf = (lines: string[]): string[] => checkProjectConfig(lines.join('\n') + '\n', file).errors.map((e) => e.message);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-history-config-'));
    file = join(dir, '.budgetlens.yml');
    for (const d of HISTORY_DATES) copyFileSync(join(HISTORY_FIXTURES, `stages-${d}.yml`), join(dir, `stages-${d}.yml`));
    copyFileSync(join(HISTORY_FIXTURES, 'feature_categories.yml'), join(dir, 'feature_categories.yml'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a list: dates at midnight UTC, instants normalised, paths resolved against the config', async () => {
    const config = parseProjectConfig(
      [
        'catalog:', //                                                   1
        '  stages: stages-2026-11-20.yml', //                            2
        '  history:', //                                                 3
        '    - from: 2026-11-01', //                                     4
        '      stages: stages-2026-11-01.yml', //                        5
        '      featureCategories: feature_categories.yml', //            6
        '    - { from: "2026-11-15T01:00:00+01:00", stages: stages-2026-11-15.yml }', // 7
        '    - { from: 2026-11-20, stages: stages-2026-11-20.yml }', //  8
        '',
      ].join('\n'),
      file,
    );
    const h = config.catalog.history;
    assert.ok(h && h.kind === 'list');
    assert.deepEqual(
      h.entries.map((e) => [e.from, e.stagesPath, e.featureCategoriesPath, e.location.line]),
      [
        ['2026-11-01T00:00:00.000Z', join(dir, 'stages-2026-11-01.yml'), join(dir, 'feature_categories.yml'), 4],
        // 01:00 at +01:00 is midnight UTC
        ['2026-11-15T00:00:00.000Z', join(dir, 'stages-2026-11-15.yml'), undefined, 7],
        ['2026-11-20T00:00:00.000Z', join(dir, 'stages-2026-11-20.yml'), undefined, 8],
      ],
    );
    const history = await loadCatalogHistory(h.entries);
    assert.equal(history.groupOf('team_planning', Date.parse('2026-11-14T12:00:00Z')).key, 'project_management');
    assert.equal(history.groupOf('team_planning', Date.parse('2026-11-15T00:00:00Z')).key, 'knowledge');
    assert.equal(history.epochs[0]!.label, `${file}:4`);
    assert.deepEqual(parseProjectConfig('catalog: { stages: stages-2026-11-20.yml, history: git }\n', file).catalog.history, { kind: 'git' });
    assert.equal(parseProjectConfig('catalog: { stages: stages-2026-11-20.yml }\n', file).catalog.history, undefined);
  });

  test('out of order, repeated, not a date, a missing file, an unknown key, git without stages: refused at file:line', () => {
    assert.deepEqual(
      errorsOf([
        'catalog:', //                                                          1
        '  history:', //                                                        2
        '    - { from: 2026-11-15, stages: stages-2026-11-15.yml }', //         3
        '    - { from: 2026-11-01, stages: stages-2026-11-01.yml }', //         4
        '    - { from: 2026-11-15, stages: stages-2026-11-15.yml }', //         5
        '    - { from: 2026-11-31, stages: stages-2026-11-20.yml }', //         6
        '    - { from: 2026-12-01, stages: stages-2026-12-01.yml }', //         7
      ]),
      [
        `${file}:4:15: catalog.history[1].from: 2026-11-01 is before the entry at line 3 (2026-11-15): list the catalogs oldest first, one per instant`,
        `${file}:5:15: catalog.history[2].from: 2026-11-15 is the same instant as the entry at line 3 (2026-11-15): list the catalogs oldest first, one per instant`,
        `${file}:6:15: catalog.history[3].from: "2026-11-31" is not a calendar date (YYYY-MM-DD)`,
        `${file}:7:35: catalog.history[4].stages: stages-2026-12-01.yml does not exist (${join(dir, 'stages-2026-12-01.yml')})`,
      ],
    );
    const unknown = errorsOf(['catalog:', '  history:', '    - { from: 2026-11-01, stages: stages-2026-11-01.yml, featureCategory: x.yml }']);
    assert.equal(unknown.length, 1);
    assert.match(unknown[0]!, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:`));
    assert.match(unknown[0]!, /featureCategory/);
    assert.deepEqual(errorsOf(['catalog:', '  history: git']), [
      `${file}:2:12: catalog.history: "git" reads the git history of catalog.stages (and catalog.featureCategories): set catalog.stages`,
    ]);
    assert.equal(errorsOf(['catalog:', '  history: svn']).length, 1);
    assert.match(errorsOf(['catalog:', '  history: svn'])[0]!, /:2:12:/);
    assert.match(errorsOf(['catalog:', '  history:', '    - { from: tomorrow, stages: stages-2026-11-01.yml }'])[0]!, /:3:15: catalog.history\[0\].from: "tomorrow" is not an ISO instant/);
  });

  test('a history file that does not parse: an InputError at its own line', async () => {
    writeFileSync(join(dir, 'broken.yml'), 'stages:\n  plan:\n    groups:\n      pm:\n        categories: [a]\n');
    const config = parseProjectConfig('catalog:\n  history:\n    - { from: 2026-11-01, stages: broken.yml }\n', file);
    const h = config.catalog.history;
    assert.ok(h && h.kind === 'list');
    await assert.rejects(loadCatalogHistory(h.entries), (e: unknown) => InputError.is(e) && e.location.file === join(dir, 'broken.yml') && e.location.line === 5);
  });
});

describe('catalog.history entries with groups: the settings in force from then on (issue 15 item 2)', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-history-groups-'));
    file = join(dir, '.budgetlens.yml');
    copyFileSync(join(HISTORY_FIXTURES, 'stages-2026-11-15.yml'), join(dir, 'stages.yml'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an entry\'s groups give its catalog\'s custom targets; an entry without them takes the top-level ones', async () => {
    const config = parseProjectConfig(
      [
        'catalog:',
        '  stages: stages.yml',
        '  history:',
        '    - from: 2026-10-01',
        '      stages: stages.yml',
        '      groups:',
        '        knowledge: { customTarget: { target: "99.80", reason: r, reviewDate: 2026-12-31, expiresWhen: { trafficShareAbove: 5 } } }',
        '    - { from: 2026-11-15, stages: stages.yml }',
        'groups:',
        '  knowledge: { customTarget: { target: "99.90", reason: today, reviewDate: 2027-03-31 } }',
        '',
      ].join('\n'),
      file,
    );
    const h = config.catalog.history;
    assert.ok(h && h.kind === 'list');
    assert.deepEqual(h.entries[0]!.groups, { knowledge: { ignoredComponents: [], customTarget: { target: '99.80', reason: 'r', reviewDate: '2026-12-31', expiresWhen: { trafficShareAbove: '5' } } } });
    assert.equal(h.entries[0]!.groupLocations?.['knowledge']?.line, 7);
    assert.equal(h.entries[1]!.groups, undefined);
    const history = await loadCatalogHistory(h.entries, config);
    assert.equal(history.catalogAt(Date.parse('2026-10-20T00:00:00Z')).targetOf('knowledge'), '99.80');
    assert.equal(history.catalogAt(Date.parse('2026-11-20T00:00:00Z')).targetOf('knowledge'), '99.90');
  });

  test('a bad target or review date in an entry\'s groups is refused at its file:line:col', () => {
    const errorsOf = (customTarget: string): string[] =>
      checkProjectConfig(
        ['catalog:', '  stages: stages.yml', '  history:', '    - from: 2026-10-01', '      stages: stages.yml', '      groups:', `        knowledge: { customTarget: ${customTarget} }`, ''].join('\n'),
        file,
      ).errors.map((e) => e.message);
    const target = errorsOf('{ target: "100.5", reason: r, reviewDate: 2026-12-31 }');
    // `        knowledge: { customTarget: { target: ` is 45 characters: the value at column 46.
    assert.ok(target.some((m) => m.includes('.budgetlens.yml:7:46: catalog.history[0].groups.knowledge.customTarget.target')), target.join('\n'));
    const date = errorsOf('{ target: "99.80", reason: r, reviewDate: 2026-02-30 }');
    assert.ok(date.some((m) => m.includes('.budgetlens.yml:7:') && m.includes('catalog.history[0].groups.knowledge.customTarget.reviewDate: "2026-02-30" is not a calendar date')), date.join('\n'));
  });
});
