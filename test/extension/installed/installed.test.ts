/**
 * Budget Lens as a user gets it: `npm run package`'s .vsix installed into the VS Code server's
 * extensions folder with `--install-extension` (scripts/test-extension.mjs --vsix), no extension
 * development path for Budget Lens (the development path is test/extension/installed/runner, an
 * empty extension). On examples/gitlab-style: it runs from the installed folder, which holds the
 * package's files only; lenses name the catalog's groups; with a real Prometheus (the scenario of
 * the prometheus suite) the lenses, the Group budget tree and the budget panel show the figures,
 * the panel's webview bundle loading from the installed dist/.
 *
 * The installed copy runs in ExtensionMode.Production: Set API Token takes no argument there, so
 * the backend is a Prometheus without auth.
 */
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { TreeItemState } from '../../../src/extension/groupTree';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import { EXTENSION_ID, ISSUES, eventually, lastPanelData, lensTitles, lensesBecome, openFile, setSetting, testState } from '../suite/helpers';
import { PROMETHEUS_ISSUES_LENSES, recordedSeries, scenarioEnd } from '../suite/prometheusScenario';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Figures for the launcher to print (BUDGET_LENS_MEASUREMENTS names the file). */
function measured(values: Record<string, unknown>): void {
  const file = process.env.BUDGET_LENS_MEASUREMENTS;
  if (file) writeFileSync(file, JSON.stringify(values));
}

describe('the installed .vsix on examples/gitlab-style', function () {
  this.timeout(120_000);
  let prom: MetricsServer | undefined;

  after(async () => {
    await setSetting('prometheus.url', undefined);
    await setSetting('group', undefined);
    await prom?.stop();
  });

  it('activates from the installed folder and shows the first lens with its catalog group', async () => {
    // First, before anything else waits: poll the lenses of the controller as soon as the host runs.
    await vscode.workspace.openTextDocument(vscode.Uri.file(join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, ISSUES)));
    const firstLens = await eventually('a lens on the issues controller', async () => {
      const lenses = await lensTitles(ISSUES);
      return lenses.length > 0 ? { at: Date.now(), lenses } : undefined;
    }, 60_000);
    const state = await testState();
    assert.equal(state.phase, 'ready', state.error);
    assert.equal(state.endpoints, 56);
    assert.deepEqual(firstLens.lenses[0], [16, 'team_planning · Project Management · plan']);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const installedDir = process.env.BUDGET_LENS_INSTALLED_DIR;
    assert.ok(installedDir, 'the launcher names the extensions folder');
    assert.ok(ext.extensionPath.startsWith(installedDir + sep), `${ext.extensionPath} is not under ${installedDir}`);
    measured({ activationToFirstLensMs: firstLens.at - state.activatedAt, activatedAt: state.activatedAt, rubyParser: state.rubyParser });
  });

  it('the installed folder holds the package and nothing else: bundles, wasm, media, catalog, manifest, docs', () => {
    const files = filesUnder(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath);
    // VS Code adds .vsixmanifest when it installs a .vsix.
    const shipped = files.filter((f) => f !== '.vsixmanifest');
    assert.deepEqual(shipped.filter((f) => /^(src|test|node_modules|webview|scripts)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts')), []);
    for (const f of ['package.json', 'dist/extension.js', 'dist/indexWorker.js', 'dist/webview.js', 'dist/tree-sitter-ruby.wasm', 'dist/web-tree-sitter.wasm', 'media/icon.png', 'catalog/gitlab/stages.yml', 'catalog/gitlab/feature_categories.yml']) {
      assert.ok(shipped.includes(f), `${f} is not installed (${shipped.join(', ')})`);
    }
    assert.ok(shipped.some((f) => /^license/i.test(f)) && shipped.some((f) => /^changelog/i.test(f)) && shipped.some((f) => /^readme/i.test(f)), shipped.join(', '));
  });

  it('with a real Prometheus: lenses, the Group budget tree and the budget panel show the figures', async () => {
    prom = await startPrometheus(recordedSeries(scenarioEnd()));
    await openFile(ISSUES);
    await setSetting('prometheus.url', prom.url);
    // Each endpoint's own figures (issue 14, F15): by hand in prometheusScenario.ts.
    await lensesBecome(PROMETHEUS_ISSUES_LENSES, 'lenses with the figures from Prometheus');

    await setSetting('group', 'project_management');
    // Walking the tree fetches like a user expanding it: the endpoints arrive after the categories.
    let tree: TreeItemState[] = [];
    await eventually('the tree with figures down to the endpoints', async () => {
      tree = (await testState({ tree: true })).tree ?? [];
      return tree.some((i) => i.label === 'IssuesController#index' && i.description) ? true : undefined;
    }, 20_000);
    const item = (label: string): [string, string | undefined] | undefined => {
      const found = tree.find((i) => i.label === label);
      return found && [found.label, found.description];
    };
    assert.deepEqual(
      // The endpoint row shows the short id (the full one leads its tooltip).
      ['Project Management', 'team_planning', 'service_desk', 'IssuesController#index'].map(item),
      [
        ['Project Management', '37 % spent · 7.38 of 20.16 min'],
        ['team_planning', '37 % spent · 7.38 of 20.16 min'],
        ['service_desk', 'no data · 20.16 budget-min'],
        ['IssuesController#index', "45 failures · 3.69 budget-min · 50.00 % of team_planning's spend"],
      ],
    );

    await vscode.commands.executeCommand('budgetLens.openBudgetPanel');
    // A posted state means the webview's script (dist/webview.js from the installed folder) ran and said ready.
    const data = await eventually('a ready state posted to the panel', async () => ((await testState()).panel.ready ? lastPanelData() : undefined), 30_000);
    const g = data.group;
    assert.deepEqual([g.key, g.name, g.spentText, g.budgetText, g.remainingText], ['project_management', 'Project Management', '7.38', '20.16', '12.78']);
    const tabs = vscode.window.tabGroups.all.flatMap((t) => t.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('budgetLens.budgetPanel'));
    await vscode.window.tabGroups.close(tabs);
  });
});
