/**
 * Activation on the example workspace and the index behind every adapter. Numbers: the example
 * has 56 endpoints (`budget-lens endpoints` in examples/gitlab-style prints "56 endpoints").
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, eventually, lensTitles, testState, workspaceRoot } from './helpers';

describe('activation', () => {
  it('activates on the example workspace and indexes it', async () => {
    const state = await testState();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.equal(state.phase, 'ready', state.error);
    assert.equal(state.root, workspaceRoot());
    assert.equal(state.endpoints, 56);
  });

  it("rules out files without markers with VS Code's own ripgrep", async () => {
    const prefilter = (await testState()).indexes[0]?.prefilter;
    assert.ok(prefilter, 'the build ran without the ripgrep pre-filter');
    assert.equal(prefilter.error, undefined);
    // The binary under VS Code's application root, not one found on PATH.
    assert.ok(prefilter.ripgrep.startsWith(vscode.env.appRoot), `${prefilter.ripgrep} is not under ${vscode.env.appRoot}`);
    assert.match(prefilter.ripgrep, /@vscode[/\\]ripgrep[/\\]bin[/\\]rg(\.exe)?$/);
    // The example's two path-ruled files without markers (blob_viewer.ts, exporter.py).
    assert.equal(prefilter.ruledOut, 2);
  });

  it('contributes its commands under the Budget Lens category', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['budgetLens.showMapping', 'budgetLens.goToEndpoint', 'budgetLens.reindex', 'budgetLens._testState']) {
      assert.ok(all.includes(id), `${id} is not registered`);
    }
  });
});

// Only under `npm run test:extension -- --packaged`: the extension runs from the files a VSIX
// holds (scripts/packaged-layout.mjs), without node_modules.
if (process.env.BUDGET_LENS_PACKAGED === '1') {
  describe('the packaged extension (the files a VSIX holds)', () => {
    const file = 'app/controllers/projects/budget_lens_heredoc_controller.rb';
    after(async () => {
      rmSync(join(workspaceRoot(), file), { force: true });
      await eventually('the heredoc controller gone', async () => ((await testState()).endpoints === 56 ? true : undefined));
    });

    it('runs without node_modules, so the native tree-sitter binding cannot load', () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, EXTENSION_ID);
      assert.ok(!existsSync(join(ext.extensionPath, 'src')), 'the package holds no sources');
      // Resolved the way dist/extension.js's require('tree-sitter') is: from dist/ upwards.
      assert.throws(() => createRequire(join(ext.extensionPath, 'dist', 'extension.js')).resolve('tree-sitter'), /Cannot find module/);
    });

    it("parses what the subset parser refuses with tree-sitter's wasm from dist/", async () => {
      // A heredoc: outside the subset parser's subset, so the skeleton goes to tree-sitter, whose
      // native binding lives in node_modules, which a VSIX does not ship.
      writeFileSync(
        join(workspaceRoot(), file),
        'class Projects::BudgetLensHeredocController < Projects::ApplicationController\n  HELP = <<~TEXT\n    plain text\n  TEXT\n\n  feature_category :wiki\n\n  def index\n  end\nend\n',
      );
      const state = await eventually('the heredoc controller in the index', async () => {
        const s = await testState();
        return s.endpoints === 57 ? s : undefined;
      });
      assert.equal(state.rubyParser, 'wasm');
      const lenses = await lensTitles(file);
      assert.ok(lenses.some(([line, title]) => line === 8 && title.startsWith('wiki')), JSON.stringify(lenses));
    });
  });
}

describe('re-indexing on file changes', () => {
  // A folder of its own inside the example, removed afterwards (also if a test fails).
  const dir = 'app/workers/budget_lens_watch_test';
  const file = `${dir}/watched_worker.rb`;
  after(() => rmSync(join(workspaceRoot(), dir), { recursive: true, force: true }));

  it('indexes a created file, re-indexes it on change and forgets it on delete', async () => {
    const before = (await testState()).endpoints;
    mkdirSync(join(workspaceRoot(), dir), { recursive: true });
    const worker = (category: string): string =>
      `class WatchedWorker\n  include ApplicationWorker\n  feature_category :${category}\n  urgency :high\nend\n`;
    writeFileSync(join(workspaceRoot(), file), worker('team_planning'));
    await eventually('the created worker in the index', async () => ((await testState()).endpoints === before + 1 ? true : undefined));
    assert.deepEqual(await lensTitles(file), [[1, 'team_planning · Project Management · plan']]);

    writeFileSync(join(workspaceRoot(), file), worker('continuous_integration'));
    await eventually('the changed category', async () => {
      const titles = await lensTitles(file);
      return titles[0]?.[1] === 'continuous_integration · Pipeline Execution · verify' ? titles : undefined;
    });

    rmSync(join(workspaceRoot(), dir), { recursive: true, force: true });
    await eventually('the deleted worker gone', async () => ((await testState()).endpoints === before ? true : undefined));
  });
});

describe('bad input and re-indexing', () => {
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('budgetLens');
  after(async () => {
    await settings().update('catalogPath', undefined, vscode.ConfigurationTarget.Global);
    await testState();
  });

  it('keeps the lenses while the workspace is re-indexed', async () => {
    const file = 'app/workers/merge_worker.rb';
    const before = await lensTitles(file);
    assert.deepEqual(before, [[3, 'code_review_workflow · Code Review · create']]);
    const reindexed = vscode.commands.executeCommand('budgetLens.reindex');
    assert.deepEqual(await lensTitles(file), before); // asked while the build runs
    await reindexed;
    assert.deepEqual(await lensTitles(file), before);
    assert.equal((await testState()).phase, 'ready');
  });

  it('reports a catalog directory without stages.yml, then recovers when the setting is cleared', async () => {
    const missing = join(workspaceRoot(), 'no-such-catalog');
    await settings().update('catalogPath', missing, vscode.ConfigurationTarget.Global);
    const failed = await eventually('the failed build', async () => {
      const s = await testState();
      return s.phase === 'failed' ? s : undefined;
    });
    assert.match(failed.error ?? '', /no stages\.yml in the catalog directory .*no-such-catalog/);
    assert.equal(failed.statusBar.text, '$(warning) Budget Lens');
    assert.equal(failed.statusBar.command, 'budgetLens.reindex');

    await settings().update('catalogPath', undefined, vscode.ConfigurationTarget.Global);
    const recovered = await eventually('the recovered index', async () => {
      const s = await testState();
      return s.phase === 'ready' ? s : undefined;
    });
    assert.equal(recovered.endpoints, 56);
  });
});
