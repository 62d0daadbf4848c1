/**
 * Controller actions in the workspace index (issue 10, item 2) on a scratch copy of
 * test/fixtures/rails: the files that decide a controller's actions and carry none of the
 * pre-filter's markers (routes files, concerns) are parsed, with and without ripgrep; view
 * templates come from the walk; and a change to a routes file, a concern, a parent or a view
 * re-resolves the controllers it concerns, and nothing else.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkspace } from '../../../../src/sdk/mapping/index/openWorkspace';
import type { WorkspaceIndex } from '../../../../src/sdk/mapping/index/workspaceIndex';
import { mightDeclare } from '../../../../src/sdk/mapping/ruby';
import { CATALOG_DIR, REPO_ROOT } from './exampleWorkspace';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/rails');
const ISSUES = 'app/controllers/projects/issues_controller.rb';
const DISCOVER = 'app/controllers/projects/security/discover_controller.rb';
const MANIFEST = 'app/controllers/import/manifest_controller.rb';
const CONCERN = 'app/controllers/concerns/toggle_subscription_action.rb';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bl-rails-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function ids(index: WorkspaceIndex, file: string): string[] {
  return (index.fileMapping(file)?.endpoints ?? []).map((e) => e.id.split('#')[1] as string).sort();
}

describe('files without a marker that decide actions are parsed', () => {
  test('the routes files and a concern name none of the markers', async () => {
    const { readFileSync } = await import('node:fs');
    for (const f of ['config/routes/project.rb', 'config/routes/import.rb', CONCERN, 'app/controllers/concerns/toggle_award_emoji.rb']) {
      assert.equal(mightDeclare(readFileSync(join(FIXTURE, f), 'utf8')), false, f);
    }
  });

  for (const ripgrep of [false, undefined] as const) {
    test(`a cold build ${ripgrep === false ? 'without' : 'with'} ripgrep finds the concern's and the template's actions`, async () => {
      const root = scratch();
      try {
        const { index } = await openWorkspace({ root, catalogDir: CATALOG_DIR, workers: 1, ripgrep });
        await index.build();
        // toggle_subscription (concern without a marker), toggle_award_emoji (the :awardable route
        // concern in config/routes.rb + a concern without a marker), description_diff and
        // delete_description_version (ee/config/routes is not needed: config/routes/project.rb routes them).
        assert.deepEqual(ids(index, ISSUES), ['bulk_update', 'description_diff', 'destroy', 'index', 'new', 'realtime_changes', 'show', 'toggle_award_emoji', 'toggle_subscription', 'update']);
        // show: ee/config/routes/project.rb (no marker) + ee/app/views/.../show.html.haml (walked, not read).
        assert.deepEqual(ids(index, DISCOVER), ['show']);
        assert.deepEqual(ids(index, 'app/controllers/import/base_controller.rb'), []);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});

describe('incremental updates re-resolve the controllers a change concerns', () => {
  let root: string;
  let index: WorkspaceIndex;
  before(async () => {
    root = scratch();
    index = (await openWorkspace({ root, catalogDir: CATALOG_DIR, workers: 1, ripgrep: false })).index;
    await index.build();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a view template added, then removed: its controller gains, then loses, the routed action', async () => {
    // A routes file now routes projects/security/discover#index too; without a template or a
    // method it is no action yet.
    const view = 'app/views/projects/security/discover/index.html.haml';
    writeFileSync(join(root, 'config/routes/admin.rb'), "namespace :admin do\nend\n\nscope module: :projects do\n  namespace :security do\n    resources :discover, only: [:index]\n  end\nend\n");
    await index.updateFile('config/routes/admin.rb');
    assert.deepEqual(ids(index, DISCOVER), ['show']);
    writeFileSync(join(root, view), '- page_title "Discover"\n');
    const added = await index.updateFile(view);
    assert.deepEqual(added.parsed, []);
    assert.deepEqual(added.resolved, [DISCOVER]);
    assert.deepEqual(ids(index, DISCOVER), ['index', 'show']);
    unlinkSync(join(root, view));
    const removed = await index.updateFile(view);
    assert.deepEqual(removed.resolved, [DISCOVER]);
    assert.deepEqual(ids(index, DISCOVER), ['show']);
    // A template under an always-skipped or .gitignore'd directory is not one the walk would list.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(root, 'node_modules/app/views/projects/security/discover'), { recursive: true });
    writeFileSync(join(root, 'node_modules/app/views/projects/security/discover/index.html.haml'), '%p\n');
    assert.deepEqual((await index.updateFile('node_modules/app/views/projects/security/discover/index.html.haml')).resolved, []);
    writeFileSync(join(root, '.gitignore'), '/ee/app/views/projects/security/discover/index.html.haml\n');
    writeFileSync(join(root, 'ee/app/views/projects/security/discover/index.html.haml'), '%p\n');
    assert.deepEqual((await index.updateFile('ee/app/views/projects/security/discover/index.html.haml')).resolved, []);
    assert.deepEqual(ids(index, DISCOVER), ['show']);
    // A partial is no template of an action: nothing to re-resolve.
    writeFileSync(join(root, 'app/views/projects/security/discover/_index.html.haml'), '%p\n');
    assert.deepEqual((await index.updateFile('app/views/projects/security/discover/_index.html.haml')).resolved, []);
  });

  test('a routes file changed: every controller is re-resolved and follows it', async () => {
    const before = index.resolveCalls;
    writeFileSync(join(root, 'config/routes/import.rb'), "namespace :import do\n  resource :manifest, only: [:new], controller: :manifest\nend\n");
    const stats = await index.updateFile('config/routes/import.rb');
    assert.deepEqual(stats.parsed, ['config/routes/import.rb']);
    // The 12 controller files of the fixture (+ the routes file itself, which maps nothing) are
    // re-resolved; the 5 concern files depend on no route.
    assert.ok(stats.resolved.includes(MANIFEST) && stats.resolved.includes(ISSUES));
    assert.ok(!stats.resolved.includes(CONCERN));
    assert.ok(index.resolveCalls - before >= 12);
    assert.deepEqual(ids(index, MANIFEST), ['new']);
    // Import::ManifestController is no longer routed at all once the file is gone.
    unlinkSync(join(root, 'config/routes/import.rb'));
    await index.updateFile('config/routes/import.rb');
    assert.deepEqual(ids(index, MANIFEST), []);
  });

  test('a concern changed: the controllers including it are re-resolved, with its new public methods', async () => {
    const text = "module ToggleSubscriptionAction\n  extend ActiveSupport::Concern\n\n  private\n\n  def toggle_subscription\n    head :ok\n  end\nend\n";
    const stats = await index.updateFile(CONCERN, text);
    // The EE module's file too: it depends on Projects::IssuesController, which the issues file defines.
    assert.deepEqual(stats.resolved, [CONCERN, ISSUES, 'ee/app/controllers/ee/projects/issues_controller.rb']);
    assert.ok(!ids(index, ISSUES).includes('toggle_subscription'));
  });

  test('a parent changed: the subclass re-resolves its inherited action', async () => {
    const parent = 'app/controllers/users/callouts_controller.rb';
    const child = 'app/controllers/users/project_callouts_controller.rb';
    assert.deepEqual(ids(index, child), ['create']);
    const stats = await index.updateFile(parent, 'module Users\n  class CalloutsController < ApplicationController\n    feature_category :navigation\n  end\nend\n');
    assert.deepEqual(stats.resolved, [parent, child]);
    assert.deepEqual(ids(index, child), []);
  });
});
