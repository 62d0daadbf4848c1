/**
 * The catalog history from git (issue 15 item 1, `catalog: { history: git }`) on a real temporary
 * repository: three commits of the fixture catalogs with fixed committer dates
 * (GIT_COMMITTER_DATE), each in force from its commit time; an unrelated commit in between is not
 * an epoch; a commit whose stages.yml does not parse is skipped (the one before stays in force).
 * Not a repository, files never committed: a reason, never a throw.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogGitHistory } from '../../../src/sdk/project/catalogGitHistory';
import { HISTORY_FIXTURES } from '../../support/catalogHistoryFixtures';

describe('catalog history from git', () => {
  let repo: string;
  const git = (args: string[], date?: string): string =>
    execFileSync('git', ['-C', repo, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', ...(date ? { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: '2020-01-01T00:00:00Z' } : {}) },
    });
  const commit = (fixture: string | undefined, date: string, message: string): void => {
    if (fixture !== undefined) copyFileSync(join(HISTORY_FIXTURES, fixture), join(repo, 'catalog', 'stages.yml'));
    git(['add', '-A']);
    git(['commit', '-q', '-m', message], date);
  };

  before(() => {
    repo = mkdtempSync(join(tmpdir(), 'budget-lens-catalog-git-'));
    git(['init', '-q']);
    mkdirSync(join(repo, 'catalog'));
    copyFileSync(join(HISTORY_FIXTURES, 'feature_categories.yml'), join(repo, 'catalog', 'feature_categories.yml'));
    // Author dates are all 2020: the committer date (when it landed) is what counts.
    commit('stages-2026-11-01.yml', '2026-11-01T00:00:00Z', 'catalog as of November');
    writeFileSync(join(repo, 'README.md'), 'unrelated\n');
    commit(undefined, '2026-11-10T00:00:00Z', 'an unrelated commit');
    commit('stages-2026-11-15.yml', '2026-11-15T10:30:00+01:00', 'team_planning to knowledge; code_review renamed');
    writeFileSync(join(repo, 'catalog', 'stages.yml'), 'stages:\n  plan:\n    groups:\n      pm:\n        categories: [a]\n');
    commit(undefined, '2026-11-18T00:00:00Z', 'a broken catalog');
    commit('stages-2026-11-20.yml', '2026-11-20T00:00:00Z', 'duo_chat');
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  test('each commit of the catalog files in force from its commit time', async () => {
    const r = await catalogGitHistory({ stagesPath: join(repo, 'catalog', 'stages.yml'), featureCategoriesPath: join(repo, 'catalog', 'feature_categories.yml') });
    assert.ok('history' in r, 'reason' in r ? r.reason : '');
    // 4 commits touched the files (not the README one); the broken one is skipped.
    assert.equal(r.commits, 4);
    assert.equal(r.skipped.length, 1);
    assert.match(r.skipped[0]!.reason, /missing required key "name"/);
    assert.deepEqual(
      r.history.epochs.map((e) => new Date(e.from).toISOString()),
      ['2026-11-01T00:00:00.000Z', '2026-11-15T09:30:00.000Z', '2026-11-20T00:00:00.000Z'],
    );
    assert.match(r.history.epochs[0]!.label, /^commit [0-9a-f]{12}$/);
    const at = (iso: string): number => Date.parse(iso);
    assert.equal(r.history.groupOf('team_planning', at('2026-11-15T09:29:59Z')).key, 'project_management');
    assert.equal(r.history.groupOf('team_planning', at('2026-11-15T09:30:00Z')).key, 'knowledge');
    // The broken commit of 11-18 changed nothing in force.
    assert.equal(r.history.groupOf('portfolio_management', at('2026-11-19T00:00:00Z')).key, 'project_management');
    assert.equal(r.history.groupOf('duo_chat', at('2026-11-20T00:00:00Z')).key, 'knowledge');
    assert.deepEqual(
      r.history.changesWithin(at('2026-11-01T00:00:00Z'), at('2026-11-29T00:00:00Z')).map((c) => `${c.at} ${c.kind} ${c.category ?? ''} ${c.from ?? ''}>${c.to ?? ''}`),
      [
        '2026-11-15T09:30:00.000Z group_renamed  code_review>code_review_ui',
        '2026-11-15T09:30:00.000Z category_moved team_planning project_management>knowledge',
        '2026-11-20T00:00:00.000Z category_added duo_chat >knowledge',
        '2026-11-20T00:00:00.000Z category_removed portfolio_management project_management>',
      ],
    );
  });

  test('no repository, no commits of the files: a reason, never a throw', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'budget-lens-no-git-'));
    try {
      writeFileSync(join(outside, 'stages.yml'), 'stages: {}\n');
      const r = await catalogGitHistory({ stagesPath: join(outside, 'stages.yml') });
      assert.ok('reason' in r);
      assert.match(r.reason, /is not in a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    writeFileSync(join(repo, 'catalog', 'other.yml'), 'stages: {}\n');
    const r = await catalogGitHistory({ stagesPath: join(repo, 'catalog', 'other.yml') });
    assert.ok('reason' in r);
    assert.equal(r.reason, 'git has no commits of catalog/other.yml');
    const missingGit = await catalogGitHistory({ stagesPath: join(repo, 'catalog', 'stages.yml'), git: '/nonexistent/git' });
    assert.deepEqual(missingGit, { reason: 'git is not on PATH' });
  });

  test("with the project's config: its commits are epochs too, each with the targets it held then", async () => {
    // A repository of its own: the catalog on 11-01; .budgetlens.yml gives project_management
    // 99.80 % on 11-05 and takes it back on 11-12 (targets with their history, issue 15 item 2).
    const own = mkdtempSync(join(tmpdir(), 'budget-lens-config-git-'));
    const run = (args: string[], date?: string): string =>
      execFileSync('git', ['-C', own, ...args], {
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', ...(date ? { GIT_COMMITTER_DATE: date } : {}) },
      });
    const config = (groups: string): string =>
      `catalog:\n  stages: catalog/stages.yml\n  featureCategories: catalog/feature_categories.yml\n  history: git\n${groups}`;
    try {
      run(['init', '-q']);
      mkdirSync(join(own, 'catalog'));
      copyFileSync(join(HISTORY_FIXTURES, 'feature_categories.yml'), join(own, 'catalog', 'feature_categories.yml'));
      copyFileSync(join(HISTORY_FIXTURES, 'stages-2026-11-01.yml'), join(own, 'catalog', 'stages.yml'));
      run(['add', '-A']);
      run(['commit', '-q', '-m', 'catalog'], '2026-11-01T00:00:00Z');
      writeFileSync(join(own, '.budgetlens.yml'), config('groups:\n  project_management:\n    customTarget: { target: "99.80", reason: "new index", reviewDate: "2099-01-01" }\n'));
      run(['add', '-A']);
      run(['commit', '-q', '-m', 'an exception'], '2026-11-05T00:00:00Z');
      writeFileSync(join(own, '.budgetlens.yml'), config(''));
      run(['add', '-A']);
      run(['commit', '-q', '-m', 'the exception ends'], '2026-11-12T00:00:00Z');
      const r = await catalogGitHistory({
        stagesPath: join(own, 'catalog', 'stages.yml'),
        featureCategoriesPath: join(own, 'catalog', 'feature_categories.yml'),
        configPath: join(own, '.budgetlens.yml'),
      });
      assert.ok('history' in r, 'reason' in r ? r.reason : '');
      assert.equal(r.commits, 3);
      assert.deepEqual(r.skipped, []);
      const targetAt = (iso: string): string => r.history.catalogAt(Date.parse(iso)).targetOf('project_management');
      // Before the config existed: the default; then the exception; then the default again.
      assert.deepEqual([targetAt('2026-11-02T00:00:00Z'), targetAt('2026-11-06T00:00:00Z'), targetAt('2026-11-13T00:00:00Z')], ['99.95', '99.80', '99.95']);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
