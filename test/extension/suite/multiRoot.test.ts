/**
 * Multi-root workspaces, on examples/multi-root/multi-root.code-workspace: examples/gitlab-style
 * and examples/multi-root/billing, each with its own .budgetlens.yml and so its own index.
 * scripts/test-extension.mjs opens that workspace for this suite only; elsewhere it skips itself.
 *
 * Numbers: gitlab-style has 56 endpoints (activation.test.ts). billing has 3 (`budget-lens
 * endpoints` there prints "3 endpoints": SeatsController#index, SubscriptionsController#index and
 * #show), so 56 + 3 = 59 in Go to Endpoint. Catalog: subscription_management is group "Subscription
 * Management", plan_provisioning "Provision", consumables_cost_management and seat_cost_management
 * "Utilization", all in stage fulfillment.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { IndexTestState, TestState } from '../../../src/extension/testState';
import { eventually, testState } from './helpers';

const WORKSPACE_FILE = 'multi-root.code-workspace';
const SUBSCRIPTIONS = 'app/controllers/subscriptions_controller.rb';
const SEATS = 'app/controllers/seats_controller.rb';
const CHECKOUT = 'app/javascript/checkout.js';
const USAGE_EXPORT = 'jobs/usage_export.py';
const ISSUES = 'app/controllers/projects/issues_controller.rb';
const SM = 'subscription_management · Subscription Management · fulfillment';

/** A workspace folder's path by name (the launcher opens both; failing here names the problem). */
function folderPath(name: string): string {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  if (!folder) throw new Error(`no workspace folder '${name}': open examples/multi-root/${WORKSPACE_FILE}`);
  return folder.uri.fsPath;
}
const gitlab = (file: string): vscode.Uri => vscode.Uri.file(join(folderPath('gitlab-style'), file));
const billing = (file: string): vscode.Uri => vscode.Uri.file(join(folderPath('billing'), file));

/** `[name, phase, endpoints]` of every root, in folder order. */
function summary(state: TestState): Array<[string, IndexTestState['phase'], number]> {
  return state.indexes.map((i) => [i.name, i.phase, i.endpoints]);
}

async function lensTitles(uri: vscode.Uri): Promise<Array<[number, string]>> {
  await vscode.workspace.openTextDocument(uri);
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 1000);
  return (lenses ?? [])
    .filter((l) => l.command?.command.startsWith('budgetLens.'))
    .map((l): [number, string] => [l.range.start.line + 1, l.command?.title ?? ''])
    .sort((a, b) => a[0] - b[0]);
}

async function hoverText(uri: vscode.Uri, line: number, column: number): Promise<string> {
  await vscode.workspace.openTextDocument(uri);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line - 1, column - 1));
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .filter((v) => v.includes('Budget Lens'))
    .join('\n---\n');
}

async function show(uri: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Budget Lens');
}

/** Changes the workspace folders and waits for VS Code to report it (never touches folder 0: that restarts the host). */
async function changeFolders(start: number, deleteCount: number, ...add: Array<{ uri: vscode.Uri }>): Promise<void> {
  const changed = new Promise<void>((done) => {
    const d = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      d.dispose();
      done();
    });
  });
  assert.ok(vscode.workspace.updateWorkspaceFolders(start, deleteCount, ...add), 'updateWorkspaceFolders refused the change');
  await changed;
}

/** The state once `ok` holds (the indexer settles folder changes and watcher events asynchronously). */
function stateWhen(what: string, ok: (s: TestState) => boolean, ms = 20_000): Promise<TestState> {
  return eventually(what, async () => {
    const s = await testState();
    return ok(s) ? s : undefined;
  }, ms);
}

describe('multi-root workspace', () => {
  // Changing the folders of a saved workspace rewrites its .code-workspace file: put it back.
  let workspaceFile: string | undefined;
  let workspaceText: string | undefined;

  before(function () {
    const file = vscode.workspace.workspaceFile;
    if (file?.scheme !== 'file' || !file.fsPath.endsWith(WORKSPACE_FILE)) this.skip();
    workspaceFile = file.fsPath;
    workspaceText = readFileSync(workspaceFile, 'utf8');
  });

  after(() => {
    if (workspaceFile !== undefined && workspaceText !== undefined && readFileSync(workspaceFile, 'utf8') !== workspaceText) {
      writeFileSync(workspaceFile, workspaceText);
    }
  });

  it('indexes every folder with its own .budgetlens.yml', async () => {
    const state = await testState();
    assert.deepEqual(summary(state), [
      ['gitlab-style', 'ready', 56],
      ['billing', 'ready', 3],
    ]);
    assert.deepEqual(state.indexes.map((i) => i.root), [folderPath('gitlab-style'), folderPath('billing')]);
    assert.equal(state.phase, 'ready');
    assert.equal(state.endpoints, 59);
  });

  it('puts lenses on both folders, titled from each index', async () => {
    // Class default on line 3 (class line), then the actions on 7 and 11.
    assert.deepEqual(await lensTitles(billing(SUBSCRIPTIONS)), [
      [3, SM],
      [7, SM],
      [11, SM],
    ]);
    assert.deepEqual(await lensTitles(billing(CHECKOUT)), [[1, 'plan_provisioning · Provision · fulfillment']]); // annotation, whole file
    assert.deepEqual(await lensTitles(billing(USAGE_EXPORT)), [[1, 'consumables_cost_management · Utilization · fulfillment']]); // path rule jobs/**
    assert.deepEqual(await lensTitles(gitlab('app/workers/merge_worker.rb')), [[3, 'code_review_workflow · Code Review · create']]);
  });

  it('hovers with the endpoints of the file from its own folder', async () => {
    // seats_controller.rb line 5: `  feature_category :seat_cost_managment`, column 24 is in the symbol.
    const category = await hoverText(billing(SEATS), 5, 24);
    assert.match(category, /`seat_cost_managment` is not in the catalog: its traffic counts for no group\. Did you mean `seat_cost_management`\?/);
    assert.match(category, /Endpoints \(1\):\n- `SeatsController#index`/);
    // subscriptions_controller.rb line 5: `  urgency :low, [:index]` -> 5 s for requests.
    const urgency = await hoverText(billing(SUBSCRIPTIONS), 5, 12);
    assert.match(urgency, /Apdex threshold \*\*5 s\*\* \(rails_request\)/);
    assert.match(urgency, /Endpoints \(1\):\n- `SubscriptionsController#index` \(low, 5 s\) \[line 7\]/);
  });

  it("reports each folder's problems on its own files, with the quick fix", async () => {
    const seats = await eventually('billing diagnostics', () => {
      const d = ours(billing(SEATS));
      return d.length > 0 ? d : undefined;
    });
    assert.equal(seats.length, 1);
    const [d] = seats;
    assert.equal(d?.code, 'unknown_category');
    // Line 5 `  feature_category :seat_cost_managment`: 2 + 16 + 2 = 20 characters before the name, which has 19.
    assert.deepEqual([d?.range.start.line, d?.range.start.character, d?.range.end.character], [4, 20, 39]);
    await vscode.workspace.openTextDocument(billing(SEATS));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', billing(SEATS), d!.range);
    assert.ok(actions?.some((a) => a.title === 'Change to seat_cost_management'), `no quick fix among ${actions?.map((a) => a.title).join(', ')}`);
    // gitlab-style's own misspelling is still reported, on gitlab-style's file.
    const milestones = ours(gitlab('app/controllers/projects/milestones_controller.rb'));
    assert.deepEqual(milestones.map((x) => x.code), ['unknown_category']);
  });

  it("shows the active file's group from its folder, naming the folder", async () => {
    await show(billing(CHECKOUT));
    const onCheckout = await stateWhen('status bar on checkout.js', (s) => s.statusBar.text.includes('Provision'));
    assert.equal(onCheckout.statusBar.text, '$(organization) Provision');
    assert.match(onCheckout.statusBar.tooltip, /^app\/javascript\/checkout\.js \(billing\): plan_provisioning · Provision · fulfillment/);
    await show(gitlab(ISSUES));
    const onIssues = await stateWhen('status bar on issues', (s) => s.statusBar.text.includes('Project Management'));
    assert.equal(onIssues.statusBar.text, '$(organization) Project Management');
  });

  it('lists the mapping of a file in the second folder', async () => {
    await show(billing(SUBSCRIPTIONS));
    const rows = await vscode.commands.executeCommand<string[]>('budgetLens.showMapping');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(rows?.at(-1), `Catalog: ${resolve(folderPath('gitlab-style'), '../../catalog/gitlab/stages.yml')} (.budgetlens.yml)`);
    assert.deepEqual(rows?.slice(0, -1), [SM, 'SubscriptionsController#index', 'SubscriptionsController#show']);
  });

  it('goes to an endpoint of either folder and lists them all with the folder name', async () => {
    const target = await vscode.commands.executeCommand('budgetLens.goToEndpoint', 'SubscriptionsController#show');
    assert.deepEqual(target, { file: SUBSCRIPTIONS, line: 11 });
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, billing(SUBSCRIPTIONS).fsPath);
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, 10);
    await vscode.commands.executeCommand('budgetLens.goToEndpoint', 'Projects::IssuesController#service_desk');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, gitlab(ISSUES).fsPath);

    const picks = (await vscode.commands.executeCommand<TestState>('budgetLens._testState', { picks: true })).picks ?? [];
    assert.equal(picks.length, 59);
    assert.equal(picks.find((p) => p.label === 'SubscriptionsController#show')?.detail, 'billing · app/controllers/subscriptions_controller.rb:11');
    assert.equal(picks.find((p) => p.label === 'Projects::IssuesController#service_desk')?.detail, `gitlab-style · ${ISSUES}:55`);
  });

  it("re-indexes only the file's folder when given a file (the status bar's click)", async () => {
    const before = await testState();
    await vscode.commands.executeCommand('budgetLens.reindex', billing(CHECKOUT));
    const after = await testState();
    assert.deepEqual(
      after.indexes.map((i) => i.builds),
      [before.indexes[0]!.builds, before.indexes[1]!.builds + 1],
    );
    await vscode.commands.executeCommand('budgetLens.reindex');
    const all = await testState();
    assert.deepEqual(
      all.indexes.map((i) => i.builds),
      [before.indexes[0]!.builds + 1, before.indexes[1]!.builds + 2],
    );
  });

  it("cancels only the file's folder when given a file", async () => {
    const before = await testState();
    // Builds run one root at a time, gitlab-style first: billing's is still queued when cancelled.
    const all = vscode.commands.executeCommand('budgetLens.reindex');
    await vscode.commands.executeCommand('budgetLens.cancelIndexing', billing(CHECKOUT));
    await all;
    const after = await testState();
    assert.deepEqual(
      after.indexes.map((i) => i.builds),
      [before.indexes[0]!.builds + 1, before.indexes[1]!.builds],
    );
    // The cancelled root keeps its previous index.
    assert.deepEqual(summary(after), [
      ['gitlab-style', 'ready', 56],
      ['billing', 'ready', 3],
    ]);
  });

  it('shares one index between two folders under the same .budgetlens.yml', async () => {
    const before = await testState();
    await changeFolders(2, 0, { uri: gitlab('app') });
    const shared = await stateWhen('the app folder under gitlab-style', (s) => s.indexes[0]?.folders.length === 2);
    assert.deepEqual(summary(shared), [
      ['gitlab-style, app', 'ready', 56],
      ['billing', 'ready', 3],
    ]);
    // Nothing was built again for a folder whose root is already indexed.
    assert.deepEqual(shared.indexes.map((i) => i.builds), before.indexes.map((i) => i.builds));
    await changeFolders(2, 1);
    const back = await stateWhen('the app folder gone', (s) => s.indexes[0]?.folders.length === 1);
    assert.deepEqual(summary(back), [
      ['gitlab-style', 'ready', 56],
      ['billing', 'ready', 3],
    ]);
  });

  describe('a folder with a broken .budgetlens.yml', () => {
    let dir = '';
    const catalog = (): string => resolve(folderPath('gitlab-style'), '../../catalog/gitlab/stages.yml');
    const config = (pathRules: string): string => `catalog:\n  stages: ${catalog()}\nmapping:\n  pathRules:${pathRules}\n`;

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'budget-lens-third-'));
      mkdirSync(join(dir, 'jobs'));
      writeFileSync(join(dir, 'jobs', 'seat_sync.py'), 'def main():\n    return 0\n');
      writeFileSync(join(dir, '.budgetlens.yml'), config(' 3')); // line 4: `  pathRules: 3`, not a list
    });
    after(async () => {
      const at = vscode.workspace.workspaceFolders?.findIndex((f) => f.uri.fsPath === dir) ?? -1;
      if (at > 0) await changeFolders(at, 1);
      rmSync(dir, { recursive: true, force: true });
    });

    it('fails for that folder only, says so there, and recovers when the config is fixed', async () => {
      await changeFolders(2, 0, { uri: vscode.Uri.file(dir) });
      const failed = await stateWhen('the third folder failed', (s) => s.indexes.length === 3 && s.indexes[2]?.phase === 'failed');
      assert.match(failed.indexes[2]?.error ?? '', /mapping\.pathRules: must be a list/);
      assert.deepEqual(summary(failed).slice(0, 2), [
        ['gitlab-style', 'ready', 56],
        ['billing', 'ready', 3],
      ]);
      // The others keep working; the status bar shows the error only on the broken folder's files.
      assert.deepEqual(await lensTitles(billing(CHECKOUT)), [[1, 'plan_provisioning · Provision · fulfillment']]);
      await show(billing(CHECKOUT));
      await stateWhen('status bar on checkout.js', (s) => s.statusBar.text === '$(organization) Provision');
      await show(vscode.Uri.file(join(dir, 'jobs', 'seat_sync.py')));
      const onBroken = await stateWhen('status bar on the broken folder', (s) => s.statusBar.text === '$(warning) Budget Lens');
      assert.equal(onBroken.statusBar.command, 'budgetLens.reindex');
      assert.match(onBroken.statusBar.tooltip, /^Indexing failed \(budget-lens-third-\w+\): .*pathRules: must be a list/);

      const fix = (): void => writeFileSync(join(dir, '.budgetlens.yml'), config('\n    - pattern: "jobs/**"\n      category: seat_cost_management'));
      fix();
      // The folder was added at runtime: on a loaded machine VS Code's recursive watcher for it may
      // start after the first save (a full `npm test` run missed it once); saving again, as a user
      // would, must be enough.
      const fixed = await stateWhen('the third folder indexed', (s) => s.indexes[2]?.phase === 'ready', 10_000).catch(() => {
        fix();
        return stateWhen('the third folder indexed after a second save', (s) => s.indexes[2]?.phase === 'ready');
      });
      assert.equal(fixed.indexes[2]?.name.startsWith('budget-lens-third-'), true);
      assert.deepEqual(await lensTitles(vscode.Uri.file(join(dir, 'jobs', 'seat_sync.py'))), [[1, 'seat_cost_management · Utilization · fulfillment']]);
    });
  });

  describe("a folder whose .budgetlens.yml needs attention (the SDK's configFindings)", () => {
    let dir = '';
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'budget-lens-config-'));
      mkdirSync(join(dir, 'jobs'));
      writeFileSync(join(dir, 'jobs', 'seat_sync.py'), 'def main():\n    return 0\n');
      const stages = resolve(folderPath('gitlab-style'), '../../catalog/gitlab/stages.yml');
      writeFileSync(
        join(dir, '.budgetlens.yml'),
        [
          'catalog:', //                                                                            1
          `  stages: ${stages}`, //                                                                  2
          'groups:', //                                                                             3
          '  pipeline_execution:', //                                                               4
          '    customTarget: { target: "99.80", reason: legacy runners, reviewDate: 2020-01-31 }', // 5
          'mapping:', //                                                                            6
          '  pathRules:', //                                                                        7
          '    - pattern: "jobs/**"', //                                                            8
          '      category: seat_cost_managment', //                                                 9
          '',
        ].join('\n'),
      );
    });
    after(async () => {
      const at = vscode.workspace.workspaceFolders?.findIndex((f) => f.uri.fsPath === dir) ?? -1;
      if (at > 0) await changeFolders(at, 1);
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows the expired custom target and the unknown path-rule category on the config lines, with the quick fix', async () => {
      const at = vscode.workspace.workspaceFolders?.length ?? 0;
      await changeFolders(at, 0, { uri: vscode.Uri.file(dir) });
      const config = vscode.Uri.file(join(dir, '.budgetlens.yml'));
      const found = await eventually('the config diagnostics', () => {
        const d = ours(config);
        return d.length === 2 ? d : undefined;
      });
      const byCode = new Map(found.map((d) => [String(d.code), d]));
      const expired = byCode.get('expired_custom_target');
      assert.equal(expired?.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(expired?.message, 'custom target 99.80 % for group "pipeline_execution" passed its review date 2020-01-31: review it, or remove it to return to 99.95 %');
      // Line 4 `  pipeline_execution:`: the group key at column 3.
      assert.deepEqual([expired?.range.start.line, expired?.range.start.character], [3, 2]);
      const unknown = byCode.get('unknown_category');
      assert.equal(unknown?.severity, vscode.DiagnosticSeverity.Error);
      // Line 9 `      category: seat_cost_managment`: 16 characters before the name, which has 19.
      assert.deepEqual([unknown?.range.start.line, unknown?.range.start.character, unknown?.range.end.character], [8, 16, 35]);
      await vscode.workspace.openTextDocument(config);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', config, unknown!.range);
      assert.ok(actions?.some((a) => a.title === 'Change to seat_cost_management'), `no quick fix among ${actions?.map((a) => a.title).join(', ')}`);
    });
  });

  it('gives a file opened while its folder waits to be indexed its own lenses at once, and the built ones after', async () => {
    // A GitLab-style folder with no configuration (the bundled catalog): the example's issues
    // controller, which declares its categories itself, and a controller that inherits its
    // category from a parent in another file (groups_and_projects: group Organizations, stage
    // tenant_scale in catalog/gitlab/stages.yml).
    const dir = mkdtempSync(join(tmpdir(), 'budget-lens-early-'));
    const controllers = join(dir, 'app', 'controllers');
    mkdirSync(join(controllers, 'projects'), { recursive: true });
    writeFileSync(join(controllers, 'projects', 'issues_controller.rb'), readFileSync(gitlab(ISSUES).fsPath, 'utf8'));
    writeFileSync(join(controllers, 'application_controller.rb'), 'class ApplicationController < ActionController::Base\nend\n');
    writeFileSync(join(controllers, 'projects', 'application_controller.rb'), 'class Projects::ApplicationController < ApplicationController\n  feature_category :groups_and_projects\nend\n');
    writeFileSync(join(controllers, 'projects', 'stars_controller.rb'), 'class Projects::StarsController < Projects::ApplicationController\n  def toggle\n  end\nend\n');
    const issues = vscode.Uri.file(join(controllers, 'projects', 'issues_controller.rb'));
    const stars = vscode.Uri.file(join(controllers, 'projects', 'stars_controller.rb'));
    const at = vscode.workspace.workspaceFolders?.length ?? 0;
    // Builds that have not started wait (testState would wait too: not called until released).
    assert.equal(await vscode.commands.executeCommand('budgetLens._testHoldIndexing', true), true);
    let held = true;
    try {
      await changeFolders(at, 0, { uri: vscode.Uri.file(dir) });
      // Read on its own: the declarations of the file itself, titled from the bundled catalog.
      const early = await eventually('lenses before the build', async () => {
        const titles = await lensTitles(issues);
        return titles.length > 0 ? titles : undefined;
      });
      assert.deepEqual(early.filter(([line]) => line === 16 || line === 55), [
        [16, 'team_planning · Project Management · plan'], // #index
        [55, 'service_desk · Project Management · plan'], // #service_desk
      ]);
      // The hover on line 11 (`  feature_category :team_planning, [:index, :show, :new, :create, :update]`,
      // column 24 in the symbol) names the group and the five endpoints it covers.
      const hover = await hoverText(issues, 11, 24);
      assert.match(hover, /Project Management/);
      assert.match(hover, /Endpoints \(5\):/);
      // Its category comes from a file not read yet: no lens rather than a wrong `unknown`.
      assert.deepEqual(await lensTitles(stars), []);
      assert.equal(await vscode.commands.executeCommand('budgetLens._testHoldIndexing', false), true);
      held = false;
      const built = await stateWhen('the new folder indexed', (s) => s.indexes[at]?.phase === 'ready');
      assert.equal(built.indexes[at]?.builds, 1);
      // The build agrees with what the file said on its own, and adds what it inherits: the class
      // line (3) now carries the parent's default, which the file alone could not know.
      const after = await lensTitles(issues);
      assert.deepEqual(after.filter(([line]) => line !== 3), early);
      assert.deepEqual(after.filter(([line]) => line === 3), [[3, 'groups_and_projects · Organizations · tenant_scale']]);
      assert.deepEqual(
        (await lensTitles(stars)).filter(([line]) => line === 2),
        [[2, 'groups_and_projects · Organizations · tenant_scale']], // #toggle, inherited
      );
    } finally {
      if (held) await vscode.commands.executeCommand('budgetLens._testHoldIndexing', false);
      if ((vscode.workspace.workspaceFolders?.length ?? 0) > at) await changeFolders(at, 1);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes the index of a removed folder and builds it again when the folder comes back', async () => {
    const seats = billing(SEATS);
    const billingFolder = vscode.workspace.workspaceFolders?.find((f) => f.name === 'billing');
    assert.equal(billingFolder?.index, 1);
    await changeFolders(1, 1);
    const removed = await stateWhen('billing closed', (s) => s.indexes.length === 1);
    assert.deepEqual(summary(removed), [['gitlab-style', 'ready', 56]]);
    await eventually('billing problems cleared', () => (ours(seats).length === 0 ? true : undefined));
    assert.deepEqual(await lensTitles(seats), []);

    await changeFolders(1, 0, { uri: billingFolder!.uri });
    const back = await stateWhen('billing indexed again', (s) => s.indexes.length === 2 && s.indexes[1]?.phase === 'ready');
    assert.deepEqual(summary(back), [
      ['gitlab-style', 'ready', 56],
      ['billing', 'ready', 3],
    ]);
    assert.equal(back.indexes[1]?.builds, 1); // a new index, not the old one revived
    await eventually('billing problems back', () => (ours(seats).length === 1 ? true : undefined));
  });
});
