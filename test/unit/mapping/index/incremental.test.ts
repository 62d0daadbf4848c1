/**
 * Incremental updates and cancellation: one changed file is re-parsed, and only it and the files
 * that depend (transitively) on the classes it defines are re-resolved.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceIndex } from '../../../../src/sdk/mapping/index/workspaceIndex';
import { copyExample, openExample } from './exampleWorkspace';

const MR_BASE = 'app/controllers/projects/merge_requests/application_controller.rb';
const MR_DIFFS = 'app/controllers/projects/merge_requests/diffs_controller.rb';
const MR = 'app/controllers/projects/merge_requests_controller.rb';
const TREE = 'app/controllers/projects/tree_controller.rb';

describe('incremental updates', () => {
  let root: string;
  let index: WorkspaceIndex;
  const events: string[][] = [];
  before(async () => {
    root = copyExample();
    index = (await openExample(root)).index;
    await index.build();
    index.onDidChange((e) => events.push(e.files));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a leaf controller: only that file is parsed and resolved', async () => {
    const before = index.resolveCalls;
    const text = readFileSync(join(root, TREE), 'utf8').replace('urgency :low, [:show]', 'urgency :high, [:show]');
    const stats = await index.updateFile(TREE, text);
    assert.deepEqual(stats.parsed, [TREE]);
    assert.deepEqual(stats.resolved, [TREE]);
    assert.equal(index.resolveCalls - before, 1);
    assert.equal(index.endpoint('Projects::TreeController#show')?.urgency, 'high');
    assert.deepEqual(events.at(-1), [TREE]);
  });

  test('a parent class: its subclasses are re-resolved and inherit the new category', async () => {
    const before = index.resolveCalls;
    const text = readFileSync(join(root, MR_BASE), 'utf8').replace('feature_category :code_review_workflow', 'feature_category :source_code_management');
    const stats = await index.updateFile(MR_BASE, text);
    assert.deepEqual(stats.parsed, [MR_BASE]);
    assert.deepEqual(stats.resolved, [MR_BASE, MR_DIFFS, MR].sort());
    assert.equal(index.resolveCalls - before, 3);
    assert.equal(index.endpoint('Projects::MergeRequests::DiffsController#show')?.category, 'source_code_management');
    assert.equal(index.endpoint('Projects::MergeRequestsController#merge')?.category, 'source_code_management');
    // Unrelated files kept their mapping.
    assert.equal(index.endpoint('Projects::IssuesController#index')?.category, 'team_planning');
  });

  test('a grandparent: the change reaches grandchildren transitively', async () => {
    const stats = await index.updateFile('app/controllers/projects/application_controller.rb');
    // Every controller under app/controllers/projects/ descends from Projects::ApplicationController.
    assert.equal(stats.resolved.length, 13);
    assert.ok(stats.resolved.includes(MR_DIFFS));
    assert.ok(!stats.resolved.includes('app/workers/merge_worker.rb'));
  });

  test('re-reading from disk, then deleting the parent: children lose the inherited category', async () => {
    writeFileSync(join(root, MR_BASE), readFileSync(join(root, MR_BASE), 'utf8').replace('source_code_management', 'code_review_workflow'));
    const fromDisk = await index.updateFile(MR_BASE);
    assert.deepEqual(fromDisk.parsed, [MR_BASE]);
    assert.equal(index.endpoint('Projects::MergeRequests::DiffsController#show')?.category, 'code_review_workflow');

    unlinkSync(join(root, MR_BASE));
    const removed = await index.updateFile(MR_BASE);
    assert.deepEqual(removed.resolved, [MR_DIFFS, MR].sort());
    assert.equal(index.fileMapping(MR_BASE), undefined);
    assert.equal(index.endpoint('Projects::MergeRequests::DiffsController#show')?.category, 'unknown');
    assert.deepEqual(events.at(-1), [MR_BASE, MR_DIFFS, MR].sort());
  });

  test('a new file defining a missing superclass is picked up by files that waited for it', async () => {
    writeFileSync(join(root, MR_BASE), 'class Projects::MergeRequests::ApplicationController < Projects::ApplicationController\n  feature_category :code_review_workflow\nend\n');
    const stats = await index.updateFile(MR_BASE);
    assert.deepEqual(stats.resolved, [MR_BASE, MR_DIFFS, MR].sort());
    assert.equal(index.endpoint('Projects::MergeRequests::DiffsController#show')?.category, 'code_review_workflow');
  });

  test('a duplicate endpoint id: the first file by path owns the lookup, the other takes over when it goes', async () => {
    const copy = 'app/workers/zz_copy/merge_worker.rb';
    mkdirSync(join(root, 'app/workers/zz_copy'), { recursive: true });
    writeFileSync(join(root, copy), readFileSync(join(root, 'app/workers/merge_worker.rb')));
    await index.updateFile(copy);
    assert.equal(index.endpoint('MergeWorker')?.file, 'app/workers/merge_worker.rb');
    unlinkSync(join(root, 'app/workers/merge_worker.rb'));
    await index.updateFile('app/workers/merge_worker.rb');
    assert.equal(index.endpoint('MergeWorker')?.file, copy);
  });

  test('files the index never reads are ignored', async () => {
    const before = index.resolveCalls;
    mkdirSync(join(root, 'node_modules/x'), { recursive: true });
    writeFileSync(join(root, 'node_modules/x/y.rb'), 'class Y < Projects::ApplicationController\nend\n');
    assert.deepEqual((await index.updateFile('node_modules/x/y.rb')).resolved, []);
    assert.deepEqual((await index.updateFile('README.md', '# hi')).resolved, []);
    // The example's .gitignore ignores /public/assets/: a watcher event for build output there is dropped.
    mkdirSync(join(root, 'public/assets'), { recursive: true });
    writeFileSync(join(root, 'public/assets/generated_controller.rb'), 'class GeneratedController < ApplicationController\n  feature_category :wiki\n  def show; end\nend\n');
    assert.deepEqual((await index.updateFile('public/assets/generated_controller.rb')).resolved, []);
    assert.equal(index.endpoint('GeneratedController#show'), undefined);
    assert.equal(index.resolveCalls, before);
  });
});

describe('change events and builds racing with edits', () => {
  let root: string;
  before(() => {
    root = copyExample();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the disposer stops events; a throwing listener does not stop the others', async () => {
    const { index } = await openExample(root);
    await index.build();
    const seen: string[][] = [];
    index.onDidChange(() => {
      throw new Error('listener bug');
    });
    const dispose = index.onDidChange((e) => seen.push(e.files));
    await index.updateFile(TREE);
    dispose();
    await index.updateFile(TREE);
    assert.deepEqual(seen, [[TREE]]);
  });

  test('an edit made while a build runs is applied after the build swaps in', async () => {
    const { index } = await openExample(root);
    const text = readFileSync(join(root, TREE), 'utf8').replace('feature_category :source_code_management', 'feature_category :web_ide');
    const building = index.build();
    // The build has only started walking: the edit lands on the old (empty) state first.
    await index.updateFile(TREE, text);
    await building;
    assert.equal(index.endpoint('Projects::TreeController#show')?.category, 'web_ide');
  });
});

describe('cancellation', () => {
  let root: string;
  before(() => {
    root = copyExample();
    // Enough files for several worker batches, so the abort lands mid-scan.
    for (let i = 0; i < 400; i++) {
      const dir = join(root, `app/workers/gen`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `gen_${i}_worker.rb`), `class Gen${i}Worker\n  include ApplicationWorker\n  feature_category :team_planning\nend\n`);
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('aborting mid-scan rejects with AbortError and keeps the previous index', async () => {
    const { index } = await openExample(root, 2);
    const first = await index.build();
    assert.equal(first.files, 427);
    writeFileSync(join(root, 'app/workers/gen/gen_0_worker.rb'), 'class Gen0Worker\n  include ApplicationWorker\n  feature_category :wiki\nend\n');
    const controller = new AbortController();
    let progressCalls = 0;
    const events: string[][] = [];
    index.onDidChange((e) => events.push(e.files));
    await assert.rejects(
      index.build(controller.signal, () => {
        progressCalls++;
        controller.abort();
      }),
      { name: 'AbortError' },
    );
    assert.equal(progressCalls, 1);
    assert.equal(events.length, 0);
    // The cancelled build did not replace what the first build found.
    assert.equal(index.endpoint('Gen0Worker')?.category, 'team_planning');
    assert.equal(index.files().length, 427);
  });

  test('a signal aborted before the build starts rejects at once', async () => {
    const { index } = await openExample(root, 2);
    await assert.rejects(index.build(AbortSignal.abort()), { name: 'AbortError' });
    assert.deepEqual(index.files(), []);
  });
});

describe('incremental updates: Grape mounts', () => {
  let root: string;
  let index: WorkspaceIndex;
  const MOUNTED = 'lib/api/hooks/url_variables.rb';
  const MOUNTER = 'lib/api/project_hooks.rb';
  const mounter = (namespace: string): string =>
    `module API\n  class ProjectHooks < ::API::Base\n    feature_category :webhooks\n\n    resource :projects do\n      namespace '${namespace}' do\n        mount ::API::Hooks::UrlVariables\n      end\n    end\n  end\nend\n`;
  before(async () => {
    root = copyExample();
    mkdirSync(join(root, 'lib/api/hooks'), { recursive: true });
    writeFileSync(
      join(root, MOUNTED),
      "module API\n  module Hooks\n    class UrlVariables < ::Grape::API\n      put ':hook_id/url_variables/:key' do\n      end\n    end\n  end\nend\n",
    );
    writeFileSync(join(root, MOUNTER), mounter(':id/hooks'));
    index = (await openExample(root)).index;
    await index.build();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test("a mounted class's routes run under the mount; moving the mount re-resolves the mounted class's file", async () => {
    assert.equal(index.endpoint('PUT /api/:version/projects/:id/hooks/:hook_id/url_variables/:key')?.file, MOUNTED);
    writeFileSync(join(root, MOUNTER), mounter(':id/webhooks'));
    const stats = await index.updateFile(MOUNTER);
    assert.deepEqual(stats.resolved, [MOUNTED, MOUNTER].sort());
    assert.equal(index.endpoint('PUT /api/:version/projects/:id/hooks/:hook_id/url_variables/:key'), undefined);
    assert.equal(index.endpoint('PUT /api/:version/projects/:id/webhooks/:hook_id/url_variables/:key')?.line, 4);
  });

  test('deleting the mounter puts the class back at the root', async () => {
    unlinkSync(join(root, MOUNTER));
    await index.updateFile(MOUNTER);
    assert.equal(index.endpoint('PUT /api/:version/:hook_id/url_variables/:key')?.file, MOUNTED);
  });
});
