/**
 * A sub-directory with a `.budgetlens.yml` of its own is a separate project (its own catalog,
 * rules and index: the extension gives it its own root in a multi-root workspace): the outer
 * index neither walks into it nor takes its files on a later change, so nothing is mapped or
 * reported twice.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceIndex } from '../../../../src/sdk/mapping/index/workspaceIndex';
import { walkWorkspace } from '../../../../src/sdk/mapping/index/fileWalker';
import { copyExample, openExample } from './exampleWorkspace';

const NESTED_CONTROLLER = 'tools/billing/app/controllers/seats_controller.rb';

describe('nested projects', () => {
  let root: string;
  let index: WorkspaceIndex;
  before(async () => {
    root = copyExample();
    mkdirSync(join(root, 'tools/billing/app/controllers'), { recursive: true });
    writeFileSync(join(root, 'tools/billing/.budgetlens.yml'), 'version: 1\n');
    const controller = 'class SeatsController < ApplicationController\n  feature_category :not_a_category\n\n  def index\n  end\nend\n';
    writeFileSync(join(root, NESTED_CONTROLLER), controller);
    // A sibling without its own config stays part of the outer project.
    mkdirSync(join(root, 'tools/scripts'), { recursive: true });
    writeFileSync(join(root, 'tools/scripts/run.rb'), '# @feature_category team_planning\nputs 1\n');
    index = (await openExample(root)).index;
    await index.build();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the walk stops at the nested .budgetlens.yml and reports the nested root', async () => {
    const walk = await walkWorkspace(root);
    assert.deepEqual(walk.nestedRoots, ['tools/billing']);
    assert.equal(walk.files.some((f) => f.file.startsWith('tools/billing/')), false);
    assert.equal(walk.files.some((f) => f.file === 'tools/scripts/run.rb'), true);
  });

  test('the outer index maps nothing of the nested project and reports none of its problems', () => {
    assert.deepEqual(index.nestedRoots(), ['tools/billing']);
    assert.equal(index.endpoint('SeatsController#index'), undefined);
    assert.equal(index.fileMapping(NESTED_CONTROLLER), undefined);
    // The nested controller's unknown category would be a finding if the outer index read it.
    assert.equal(index.findings().some((f) => f.file.startsWith('tools/billing/')), false);
    assert.equal(index.fileMapping('tools/scripts/run.rb')?.categories[0]?.category, 'team_planning');
  });

  test('a change to a nested file is ignored by the outer index', async () => {
    const stats = await index.updateFile(NESTED_CONTROLLER);
    assert.deepEqual(stats.parsed, []);
    assert.equal(index.fileMapping(NESTED_CONTROLLER), undefined);
  });
});
