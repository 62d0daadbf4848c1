/**
 * Objectives that are not GitLab's in the editor (issue 13 item 6), on examples/gitpod-style:
 * the SLO lenses above the code each objective is attached to (an `@slo` annotation on
 * startWorkspace and checkLiveness, the path rule `components/ws-manager/**` on the rest of the
 * file), the hover on an `@slo` line, and Go to Objective. This part needs no backend: the lenses
 * name their objectives, and the hover says where figures would come from.
 *
 * workspaceManager.ts as `budget-lens map` reads it: path rule on lines 1-21 and 40-50 (one
 * attachment: one lens, on line 1), `@slo workspace-starts, workspace-start-under-15s,
 * workspace-start-under-2m` on line 21 above startWorkspace (line 22), `@slo
 * workspace-keeps-working` on line 50 above checkLiveness (line 51).
 */
import * as assert from 'node:assert/strict';

import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TreeItemState } from '../../../src/extension/groupTree';
import type { BudgetApiProcess } from './budgetApiProcess';
import { ingestLogs, startBudgetApi } from './budgetApiProcess';
import { eventually, extensionPath, hoverText, lastPanelData, lensTitles, openFile, testState, unescapeMarkdown, workspaceRoot, leaveBudgetApi, useBudgetApi } from './helpers';

const MANAGER = 'components/ws-manager/src/workspaceManager.ts';

describe('objectives in the editor (examples/gitpod-style)', function () {
  this.timeout(60_000);

  it('an SLO lens per objective above the code it is attached to', async () => {
    const titles = await eventually('SLO lenses on workspaceManager.ts', async () => {
      const t = (await lensTitles(MANAGER)).filter(([, title]) => title.startsWith('SLO '));
      return t.length >= 5 ? t : undefined;
    }, 30_000);
    assert.deepEqual(titles, [
      [1, 'SLO workspace-keeps-working'],
      [22, 'SLO workspace-starts'],
      [22, 'SLO workspace-start-under-15s'],
      [22, 'SLO workspace-start-under-2m'],
      [51, 'SLO workspace-keeps-working'],
    ]);
  });

  it('the hover on an @slo line names each objective and why it applies', async () => {
    const text = await eventually('the objective hover on line 21', async () => {
      const t = unescapeMarkdown(await hoverText(MANAGER, 21, 5));
      return t.includes('**Objective**') ? t : undefined;
    });
    for (const name of ['workspace-starts', 'workspace-start-under-15s', 'workspace-start-under-2m']) assert.ok(text.includes(`(\`${name}\`)`) || text.includes(`\`${name}\``), name);
    assert.ok(text.includes('Attached by @slo annotation on line 21 (startWorkspace)'), text);
    assert.ok(text.includes('No budget backend'), text);
  });

  it('Go to Objective opens the OpenSLO document at the objective', async () => {
    const target = await vscode.commands.executeCommand<{ file: string; line: number }>('budgetLens.openObjective', 'workspace-start-under-2m');
    assert.equal(target?.file, 'slo/workspace-start-under-2m.yaml');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, vscode.Uri.file(`${workspaceRoot()}/slo/workspace-start-under-2m.yaml`).fsPath);
    // The line the definition starts at (the objective's `spec`), as the CLI's `slo list` names it.
    assert.ok(target !== undefined && target.line > 1, `line ${target?.line}`);
  });
});

/**
 * The same with figures: a metric event log (docs/objectives.md "The embedded store") ingested into
 * a store and served by `budget-lens serve` from the example's folder (its .budgetlens.yml names
 * the objectives and the catalog). Everything happened two days ago, well inside the 28 d windows,
 * nothing in the last hour (no burn rate). By hand:
 *  - workspace-starts (99.8 %, bad = failed starts over starts): 1 of 1,000 failed -> SLI 0.999
 *    "99.90 %"; budget 0.002 x 1,000 = 2 events, 2 - 1 = 1 left -> 0.5 "50 % left".
 *  - startup seconds, 10 observations: 4 at 10 s, 4 at 100 s, 2 at 300 s.
 *    under-15s (le 16, 50 %): 4 of 10 -> "40.00 % < 50 %"; budget 0.5 x 10 = 5, 6 bad, 5 - 6 = -1
 *    -> -1/5 = -0.2 "over budget (-20 %)".
 *    under-2m (le 128, 95 %): 8 of 10 -> "80.00 % < 95 %"; budget 0.05 x 10 = 0.5, 2 bad,
 *    0.5 - 2 = -1.5 -> -1.5/0.5 = -3 "over budget (-300 %)".
 *  - workspace-keeps-working (99.8 %, stops with reason failed over stops): 0 of 500 -> "100.00 %",
 *    budget 1 event, all of it left -> "100 % left".
 */
describe('objectives with figures from a real Budget API over the store', function () {
  this.timeout(120_000);
  const TOKEN = 'budget-lens-objectives-token';
  let api: BudgetApiProcess | undefined;
  let dir = '';

  before(async () => {
    const repo = extensionPath();
    const time = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const event = (metric: string, labels: Record<string, string>, value?: number): string => JSON.stringify({ time, metric, labels, ...(value === undefined ? {} : { value }) });
    const startup = [10, 10, 10, 10, 100, 100, 100, 100, 300, 300];
    const lines = [
      JSON.stringify({ buckets: { gitpod_ws_manager_workspace_startup_seconds: [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] } }),
      event('gitpod_ws_manager_workspace_starts_total', {}, 1000),
      event('gitpod_ws_manager_workspace_starts_failure_total', {}, 1),
      event('gitpod_ws_manager_workspace_stops_total', { reason: 'user' }, 500),
      ...startup.map((v) => event('gitpod_ws_manager_workspace_startup_seconds', {}, v)),
    ];
    const ingested = await ingestLogs(repo, 'budget-lens-ext-slo-', { 'gitpod-events.ndjson': lines });
    dir = ingested.dir;
    const example = workspaceRoot();
    api = await startBudgetApi({ repo, store: ingested.store, catalogDir: join(example, 'catalog'), token: TOKEN, cwd: example });
    await useBudgetApi(api.url, TOKEN);
  });

  after(async () => {
    await leaveBudgetApi(api, { dir });
  });

  const keeps = 'SLO workspace-keeps-working · 100.00 % ≥ 99.8 % · 100 % left';
  const WANT: Array<[number, string]> = [
    [1, keeps],
    [22, 'SLO workspace-starts · 99.90 % ≥ 99.8 % · 50 % left'],
    [22, '$(warning) SLO workspace-start-under-15s · 40.00 % < 50 % · over budget (-20 %)'],
    [22, '$(warning) SLO workspace-start-under-2m · 80.00 % < 95 % · over budget (-300 %)'],
    [51, keeps],
  ];

  it("the lenses carry each objective's figures, a warning where the budget is spent", async () => {
    await openFile(MANAGER);
    const titles = await eventually('SLO lenses with figures', async () => {
      const t = (await lensTitles(MANAGER)).filter(([, title]) => title.includes('SLO '));
      return t.length === WANT.length && t.every(([, title]) => title.includes('%')) ? t : undefined;
    }, 60_000);
    assert.deepEqual(titles, WANT);
  });

  it('the hover explains the number with the counts and both formulas', async () => {
    const text = await eventually('the objective hover with figures', async () => {
      const t = unescapeMarkdown(await hoverText(MANAGER, 21, 5));
      return t.includes('good of') ? t : undefined;
    });
    assert.ok(text.includes('SLI 99.90 % (999 good of 1,000 events) vs target 99.8 %'), text);
    assert.ok(text.includes('budget left: 1 of 2 events (50.00 %)'), text);
    assert.ok(text.includes('`budget = (1 − 0.998) × 1,000 events = 2 events`'), text);
    assert.ok(text.includes('SLI 40.00 % (4 good of 10 events) vs target 50 %'), text);
    assert.ok(text.includes('**over budget**'), text);
    assert.ok(text.includes('no events in the last hour'), text);
  });

  it("the tree: the group's objectives after its categories, and an Objectives node", async () => {
    const line = (i: TreeItemState): string => `${'  '.repeat(i.depth)}${i.label}${i.description ? ` | ${i.description}` : ''}`;
    const tree = await eventually('the tree with objective figures', async () => {
      const items = (await testState({ tree: true })).tree ?? [];
      return items.filter((i) => i.label === 'workspace-starts').every((i) => i.description?.includes('%')) && items.some((i) => i.label === 'Objectives') && items.some((i) => i.description?.includes('SLOs')) ? items : undefined;
    }, 30_000);
    const lines = tree.map(line);
    const group = lines.findIndex((l) => l.startsWith('Workspace Lifecycle'));
    assert.ok(group >= 0, lines.join('\n'));
    assert.deepEqual(
      lines.slice(group + 1, group + 6).map((l) => l.split(' | ')[0]),
      // The objectives in the order the project defines them (its OpenSLO files, sorted by name).
      ['  workspace_start', '  workspace_stop', '  workspace-start-under-15s', '  workspace-start-under-2m', '  workspace-starts'],
    );
    const objectives = lines.indexOf('Objectives');
    assert.ok(objectives > group, lines.join('\n'));
    assert.deepEqual(lines.slice(objectives + 1).map((l) => (l.split(' | ')[0] ?? '').trim()).sort(), ['workspace-keeps-working', 'workspace-start-under-15s', 'workspace-start-under-2m', 'workspace-starts']);
    assert.ok(lines.includes('  workspace-starts | 99.90 % ≥ 99.8 % · 50 % left'), lines.join('\n'));
    const over = tree.find((i) => i.label === 'workspace-start-under-2m');
    assert.equal(over?.icon, 'error');
    // The group has no request or job data (only metric event logs): its row sums up its three
    // objectives instead (workspace-starts 50 % left: within; under-15s -20 %, under-2m -300 %: over).
    assert.ok(lines.includes('Workspace Lifecycle | 3 SLOs · 2 over budget'), lines.join('\n'));
  });

  it('the status bar: the group measured by its objectives, the panel on click', async () => {
    await openFile(MANAGER);
    const bar = await eventually('the status bar with the objectives summary', async () => {
      const s = (await testState()).statusBar;
      return s.text.includes('SLOs') ? s : undefined;
    }, 30_000);
    assert.equal(bar.text, '$(pulse) Workspace Lifecycle: 3 SLOs · 2 over budget');
    assert.equal(bar.command, 'budgetLens.openBudgetPanel');
    assert.ok(bar.tooltip.includes('workspace-starts: 99.90 % ≥ 99.8 % · 50 % left'), bar.tooltip);
  });

  it('the panel: a tile per objective of the group, with its burn-down', async () => {
    await vscode.commands.executeCommand('budgetLens.openBudgetPanel');
    const data = await eventually('the panel with objective burn-downs', async () => {
      const d = await lastPanelData();
      return d?.objectives && d.objectives.length === 3 && d.objectives.every((o) => o.burnDown !== undefined) ? d : undefined;
    }, 60_000);
    const starts = data.objectives?.find((o) => o.name === 'workspace-starts');
    assert.equal(starts?.sliVsTargetText, '99.90 % ≥ 99.8 %');
    assert.equal(starts?.budgetLeftText, '1 of 2 events (50.00 %)');
    assert.equal(starts?.state, 'fine');
    // One point per day of the window; two days ago the budget went from untouched to half spent.
    const points = starts?.burnDown ?? [];
    assert.ok(points.length >= 28, `${points.length} points`);
    const last = points[points.length - 1];
    assert.equal(last?.remainingFraction, 0.5);
    assert.equal(data.objectives?.find((o) => o.name === 'workspace-start-under-2m')?.state, 'exhausted');
  });
});
