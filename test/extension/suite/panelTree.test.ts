/**
 * The Group budget tree and the budget panel against a REAL Budget API (the budgetData suite's
 * launcher: dist/cli.js ingests the log below and serves it with a token on 127.0.0.1).
 *
 * The log, all two hours before now (inside the 28 d window; 40320 min at 99.95 % -> 20.16, F3):
 *   team_planning (group project_management): the budgetData suite's lines, f = 6, m = 40000:
 *     spent 6 * 40320 / 40000 = 6.048 -> "6.05" of 20.16 (30 %); #index 3 failures -> 3.024 "3.02"
 *     (3/6 = 50.00 %), #create 2 -> "2.02" (33.33 %), #show 1 -> "1.01" (16.67 %).
 *   service_desk (same group): Projects::ServiceDesk::TicketsController#show, which the example
 *     workspace does not define, urgency low: 1000 x 200, 2 take 6 s -> w = o = 1000, f = 2, m = 2000;
 *     spent 2 * 40320 / 2000 = 40.32 of 20.16 (200 %), remaining -20.16: exhausted; the endpoint
 *     is all of it: "2 failures · 40.32 budget-min · 100.00 % of service_desk's spend"; its own
 *     availability 1 - 2/2000 = 99.900 % is below 99.95 %: the tree marks it with the warning icon.
 *   The group: f = 6 + 2 = 8, m = 42000: spent 8 * 40320 / 42000 = 7.68 -> "7.68"; F6 = 1 - 7.68 / 20.16
 *     = 0.6190… -> 38 % spent (fine: less than half), remaining 12.48; A = 1 - 8/42000 = 0.99980952…
 *     -> "99.980 %". Burn rate over 6 h and 3 d (all lines inside both): (8/42000)/0.0005 = 0.38095…
 *     -> "0.38x", F11 0.6190… * 28 / 0.38095… = 45.5 d; factors F10: 5.6 -> "5.60x", 0.933… -> "0.93x".
 *     Daily: every day of the window, one of them with all 8 failures: 7.68 that day and cumulative.
 *   source_code (the tags API): f = 1, m = 20: spent 2016 of 20.16 -> "2016.00 of 20.16 budget-min (10000 %)".
 */
import assert from 'node:assert/strict';

import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { TreeItemState } from '../../../src/extension/groupTree';
import type { PanelStale } from '../../../src/shared/protocol';
import type { BudgetApiProcess } from './budgetApiProcess';
import { ingestLogs, startBudgetApi } from './budgetApiProcess';
import { grapeLines, issuesControllerLines, railsLines } from './budgetLog';
import { ISSUES, eventually, extensionPath, hoverText, lastPanelData, lastPanelView, openFile, setSetting, startProxy, testState, unescapeMarkdown, leaveBudgetApi } from './helpers';

const TOKEN = 'budget-lens-panel-token';
const GHOST = 'Projects::ServiceDesk::TicketsController#show';


/** The tree fully expanded, once `ok` accepts it. */
async function treeBecomes(what: string, ok: (items: TreeItemState[]) => boolean, ms = 20_000): Promise<TreeItemState[]> {
  let last: TreeItemState[] = [];
  try {
    return await eventually(what, async () => {
      last = (await vscode.commands.executeCommand<{ tree?: TreeItemState[] }>('budgetLens._testState', { tree: true }))?.tree ?? [];
      return ok(last) ? last : undefined;
    }, ms);
  } catch (e) {
    throw new Error(`${String(e)}; last tree: ${JSON.stringify(last, null, 1)}`);
  }
}

const line = (i: TreeItemState): string => `${'  '.repeat(i.depth)}${i.label} | ${i.description ?? ''} | ${i.icon ?? ''} ${i.color ?? ''}${i.command ? ` -> ${i.command.command}(${JSON.stringify(i.command.arguments)})` : ''}`;

async function lastPanelStale(): Promise<PanelStale | null | undefined> {
  const posted = (await testState()).panel.posted;
  const m = [...posted].reverse().find((x) => x.type === 'stale');
  return m?.type === 'stale' ? m.stale : undefined;
}

describe('group tree and budget panel from a real Budget API', function () {
  this.timeout(120_000);
  let dir: string;
  let api: BudgetApiProcess;

  before(async () => {
    assert.equal((await testState()).phase, 'ready');
    const repo = extensionPath();
    const time = new Date(Date.now() - 2 * 3600_000).toISOString();
    const lines = [
      ...issuesControllerLines(time),
      ...railsLines(time, 'show', 'low', 1000, 2, 0, { controller: 'Projects::ServiceDesk::TicketsController', category: 'service_desk' }),
    ];
    const ingested = await ingestLogs(repo, 'budget-lens-ext-panel-', { 'production_json.log': lines, 'api_json.log': grapeLines(time, 10, 1) });
    dir = ingested.dir;
    api = await startBudgetApi({ repo, ...ingested, token: TOKEN, cwd: dir });
    await setSetting('group', undefined);
    await openFile(ISSUES);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await leaveBudgetApi(api, { dir, settings: ['group'] });
  });

  it('is empty (the welcome content shows) without a URL, and after the server answers 401; the panel says what is missing', async () => {
    assert.deepEqual((await testState({ tree: true })).tree, []);
    await setSetting('api.url', api.url);
    await eventually('the URL configured', async () => ((await testState()).budget.url === api.url ? true : undefined));
    // No token is asked for up front (a server may need none): the tree asks, the server says 401,
    // and only then does the tree empty itself so the welcome's "Set API Token" shows.
    await treeBecomes('the tree empty after the 401', (items) => items.length === 0);
    assert.equal((await testState()).budget.needsToken, true);
    await vscode.commands.executeCommand('budgetLens.openBudgetPanel');
    const view = await eventually('the panel says ready and gets a state', async () => {
      const s = (await testState()).panel;
      return s.ready ? lastPanelView() : undefined;
    }, 30_000);
    assert.deepEqual(view, { kind: 'error', title: 'No API token', message: `${api.url} answered HTTP 401: run "Budget Lens: Set API Token" for it.`, fixes: ['setToken', 'changeUrl'] });
  });

  it("shows the file's group -> categories with figures and state -> top failing endpoints", async () => {
    assert.equal(await vscode.commands.executeCommand('budgetLens.setApiToken', TOKEN), true);
    const want = [
      'Project Management | 38 % spent · 7.68 of 20.16 min | pass charts.green',
      '  team_planning | 30 % spent · 6.05 of 20.16 min | pass charts.green',
      `    IssuesController#index | 3 failures · 3.02 budget-min · 50.00 % of team_planning's spend | symbol-method  -> budgetLens.goToEndpoint(["Projects::IssuesController#index"])`,
      `    IssuesController#create | 2 failures · 2.02 budget-min · 33.33 % of team_planning's spend | symbol-method  -> budgetLens.goToEndpoint(["Projects::IssuesController#create"])`,
      `    IssuesController#show | 1 failure · 1.01 budget-min · 16.67 % of team_planning's spend | symbol-method  -> budgetLens.goToEndpoint(["Projects::IssuesController#show"])`,
      '  service_desk | 200 % spent · 40.32 of 20.16 min | error charts.red',
      `    TicketsController#show | 2 failures · 40.32 budget-min · 100.00 % of service_desk's spend | warning list.warningForeground`,
    ];
    const tree = await treeBecomes('the tree with figures', (items) => JSON.stringify(items.map(line)) === JSON.stringify(want));
    assert.match(tree[6]?.tooltip ?? '', /Not defined in this workspace\.$/);
    // Rows show the short id; the tooltip leads with the full one.
    assert.equal(tree[6]?.tooltip?.split('\n')[0], GHOST);
    assert.equal(tree[2]?.tooltip?.split('\n')[0], 'Projects::IssuesController#index');
    assert.match(tree[5]?.tooltip ?? '', /budget exhausted/);
  });

  it('an endpoint item jumps to its code (file:line through the index)', async () => {
    const tree = (await testState({ tree: true })).tree ?? [];
    // The label is the short id (the full one leads the tooltip).
    const create = tree.find((i) => i.label === 'IssuesController#create');
    assert.ok(create?.command, 'the #create item has a command');
    await openFile('app/controllers/projects/labels_controller.rb');
    const target = await vscode.commands.executeCommand<{ file: string; line: number }>(create.command.command, ...create.command.arguments);
    assert.deepEqual(target, { file: ISSUES, line: 40 });
    const editor = vscode.window.activeTextEditor;
    assert.equal(vscode.workspace.asRelativePath(editor?.document.uri ?? ''), ISSUES);
    assert.equal((editor?.selection.active.line ?? -1) + 1, 40);
  });

  it('Choose Group with a key switches the tree to that group', async () => {
    assert.equal(await vscode.commands.executeCommand('budgetLens.chooseGroup', 'source_code'), 'source_code');
    const tree = await treeBecomes('the source_code group', (items) => items[0]?.label === 'Source Code' && items[0].description !== 'loading…');
    assert.equal(line(tree[0]!), 'Source Code | 10000 % spent · 2016.00 of 20.16 min | error charts.red');
    await vscode.commands.executeCommand('budgetLens.chooseGroup', '');
    await setSetting('group', undefined);
    await openFile(ISSUES);
    await treeBecomes('back to the file group', (items) => items[0]?.label === 'Project Management');
  });

  it('the panel opens, says ready, and receives the figures the server computes', async () => {
    await vscode.commands.executeCommand('budgetLens.openBudgetPanel');
    const data = await eventually('a ready state posted to the panel', async () => {
      if (!(await testState()).panel.ready) return undefined;
      const d = await lastPanelData();
      return d && d.daily && d.burnRates && d.endpoints && d.categories.length === 2 ? d : undefined;
    }, 30_000).catch(async (e: unknown) => {
      const s = (await testState()).panel;
      throw new Error(`${String(e)}; panel ${JSON.stringify({ open: s.open, ready: s.ready, posted: s.posted.slice(-2) })}`);
    });
    const panel = (await testState()).panel;
    assert.equal(panel.ready, true, 'the webview said ready (its script ran)');
    // Between "No API token" and the figures, the token's refresh showed "loading", not the old 401.
    const kinds = panel.posted.flatMap((m) => (m.type === 'state' ? [m.view.kind === 'error' ? `error:${m.view.title}` : m.view.kind] : []));
    const noToken = kinds.indexOf('error:No API token');
    assert.ok(noToken >= 0 && kinds.indexOf('loading', noToken) > noToken && kinds.indexOf('ready', noToken) > kinds.indexOf('loading', noToken), kinds.join(', '));
    assert.ok(!kinds.some((k) => k.startsWith('error:No budget data')), kinds.join(', '));
    const g = data.group;
    assert.deepEqual(
      [g.key, g.name, g.spentText, g.budgetText, g.remainingText, g.availabilityText, g.spentShareText, g.state, g.policyText],
      ['project_management', 'Project Management', '7.68', '20.16', '12.48', '99.980 %', '38 %', 'fine', 'Within budget: understand your spend.'],
    );
    assert.equal(data.daily?.budgetMinutes, 20.16);
    // Every day of the window is listed; the one with the log's lines has all 8 failures.
    const days = data.daily?.days ?? [];
    assert.ok(days.length >= 28, `${days.length} days`);
    assert.deepEqual(days.filter((d) => d.spentMinutes > 0).map((d) => [d.spentMinutes, d.cumulativeSpentMinutes]), [[7.68, 7.68]]);
    assert.equal(days.at(-1)?.cumulativeSpentMinutes, 7.68);
    const burn = Object.fromEntries((data.burnRates ?? []).map((r) => [r.window, [r.rateText, r.thresholdText, r.exceeded, r.exhaustionText]]));
    assert.deepEqual(burn['6 h'], ['0.38x', '5.60x', false, '45.5 d']);
    assert.deepEqual(burn['3 d'], ['0.38x', '0.93x', false, '45.5 d']);
    // Ranked in the group (8 failures), measured against each one's category (F15, deliberately
    // changed from the group's 2.88 / 37.50 %): #index 3 of team_planning's f 6, m 40000 -> 3.02
    // (50.00 %), #create 2.02 (33.33 %), #show 1.01 (16.67 %); the ghost 2 of service_desk's f 2,
    // m 2000 -> 40.32 (100.00 %); #update has none and is left out.
    const rows = Object.fromEntries((data.endpoints ?? []).map((e) => [e.endpointId, [e.failuresText, e.minutesText, e.shareText, e.inWorkspace]]));
    assert.deepEqual(rows, {
      'Projects::IssuesController#index': ['3 failures', '3.02', "50.00 % of team_planning's spend", true],
      'Projects::IssuesController#create': ['2 failures', '2.02', "33.33 % of team_planning's spend", true],
      [GHOST]: ['2 failures', '40.32', "100.00 % of service_desk's spend", false],
      'Projects::IssuesController#show': ['1 failure', '1.01', "16.67 % of team_planning's spend", true],
    });
    assert.deepEqual(data.categories.map((c) => [c.category, c.spentText, c.remainingText, c.state]), [
      ['team_planning', '6.05', '14.11', 'fine'],
      ['service_desk', '40.32', '-20.16', 'exhausted'],
    ]);
    assert.equal(await lastPanelStale(), null);
    // One panel: opening again reveals it rather than making a second.
    await vscode.commands.executeCommand('budgetLens.openBudgetPanel');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('budgetLens.budgetPanel'));
    assert.equal(tabs.length, 1);
  });

  it("a goToEndpoint message from the panel opens the endpoint's code", async () => {
    const target = await vscode.commands.executeCommand<{ file: string; line: number }>('budgetLens._testPanelMessage', { type: 'goToEndpoint', endpointId: 'Projects::IssuesController#create' });
    assert.deepEqual(target, { file: ISSUES, line: 40 });
    assert.equal(vscode.workspace.asRelativePath(vscode.window.activeTextEditor?.document.uri ?? ''), ISSUES);
    // A malformed message is refused, not acted on.
    assert.equal(await vscode.commands.executeCommand('budgetLens._testPanelMessage', { type: 'goToEndpoint', endpointId: 42 }), undefined);
  });

  it('one part of the panel fails alone (its daily series answers 503): the panel says so instead of loading forever', async () => {
    // A proxy in front of the real server that fails only the daily series.
    const proxy = await startProxy(api.url, (path) =>
      path.includes('/daily') ? { status: 503, body: { error: { code: 'backend_unavailable', message: 'the daily series is down' } } } : undefined,
    );
    const proxyUrl = proxy.url;
    try {
      await setSetting('api.url', proxyUrl);
      await vscode.commands.executeCommand('budgetLens.setApiToken', TOKEN);
      await vscode.commands.executeCommand('budgetLens.openBudgetPanel');
      const data = await eventually('the panel with its daily series unavailable', async () => {
        const d = await lastPanelData();
        return d?.unavailable?.daily !== undefined && d.burnRates !== undefined && d.endpoints !== undefined ? d : undefined;
      }, 20_000);
      assert.match(data.unavailable?.daily ?? '', new RegExp(`^The daily series did not load: HTTP 503 — the daily series is down \\(HTTP 503 from ${proxyUrl}/api/v1/groups/project_management/daily.*\\)\\. Retry with Refresh\\.$`));
      // The parts that loaded are shown as usual.
      assert.equal(data.group.spentText, '7.68');
      assert.equal(data.unavailable?.burnRates, undefined);
    } finally {
      await vscode.commands.executeCommand('budgetLens.clearApiToken');
      await setSetting('api.url', api.url);
      await proxy.stop();
    }
    await vscode.commands.executeCommand('budgetLens.openBudgetPanel');
    await eventually('the panel from the server again', async () => ((await lastPanelData())?.daily !== undefined ? true : undefined), 20_000);
    await openFile(ISSUES);
  });

  it('the server stops: the tree says (stale) with the reason, the panel keeps the data and gets the stale banner', async () => {
    await api.stop();
    await vscode.commands.executeCommand('budgetLens.refreshBudget');
    // The panel is behind the issues controller since the jump: show it again (its webview reloads).
    await vscode.commands.executeCommand('budgetLens.openBudgetPanel');
    const tree = await treeBecomes('a stale tree', (items) => items.find((i) => i.label === 'team_planning')?.description?.endsWith('(stale)') === true);
    const tp = tree.find((i) => i.label === 'team_planning');
    assert.equal(tp?.description, '30 % spent · 6.05 of 20.16 min (stale)');
    assert.match(tp?.tooltip ?? '', new RegExp(`Stale since .* UTC: .*\\(no response from ${api.url}/api/v1/.*\\)\\. Showing the data of .* UTC\\.`));
    // Stale figures lose their green check: the history icon says they are the last good ones.
    assert.equal(tp?.icon, 'history');
    const group = await treeBecomes('a stale group', (items) => items[0]?.icon === 'history');
    assert.equal(group[0]?.description?.endsWith('(stale)'), true);
    // First under the group: what failed, a click away from its fixes.
    assert.equal(group[1]?.label, 'Stale: backend unreachable');
    assert.equal(group[1]?.icon, 'warning');
    assert.deepEqual(group[1]?.command, { command: 'budgetLens.checkBackend', arguments: [] });
    const stale = await eventually('a stale message to the panel', async () => (await lastPanelStale()) ?? undefined);
    assert.equal(stale.status, 0);
    assert.match(stale.url, new RegExp(`^${api.url}/api/v1/`));
    assert.match(stale.reasonText, /no response from/);
    assert.match(stale.lastGoodText ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    // The last good figures stay shown.
    assert.equal((await lastPanelData())?.group.spentText, '7.68');
  });

  it('a URL where nothing listens: lens, hover, status bar, tree and panel say what failed and where, and offer the fix', async () => {
    const closed: Server = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    await setSetting('api.url', deadUrl);
    await openFile(ISSUES);
    // The lens: no figures, why, and a click that checks the backend (never a silent plain lens).
    const lens = await eventually('a lens saying the backend is unreachable', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, ISSUES), 1000);
      return lenses?.find((l) => l.command?.title === 'team_planning · no budget data (backend unreachable)');
    }, 20_000);
    assert.equal(lens.command?.command, 'budgetLens.checkBackend');
    // The hover: what failed and where, with Retry and Change the backend URL as links. A hover
    // shows what is known when it opens, and the URL's settle (a second session change) may
    // start the category's request again, so ask again until the failure is known, as a user would.
    const hover = await eventually('a hover saying the backend is unreachable', async () => {
      const text = await hoverText(ISSUES, 11, 22);
      return /\*\*no data\*\* \(backend unreachable\)/.test(text) ? text : undefined;
    }, 20_000);
    assert.match(hover, /\*\*no data\*\* \(backend unreachable\)/);
    assert.match(unescapeMarkdown(hover), new RegExp(`no response from ${deadUrl.replace(/\./g, '\\.')}/api/v1/`));
    assert.match(hover, /\[Retry\]\(command:budgetLens\.refreshBudget\) · \[Change the backend URL\]\(command:budgetLens\.setApiUrl\)/);
    assert.doesNotMatch(hover, /stale/i);
    // The status bar: the group's name, not its key, and never "stale" for data that never loaded.
    const bar = await eventually('the status bar without data', async () => {
      const sb = (await testState()).statusBar;
      return sb.text.includes('no budget data') ? sb : undefined;
    });
    assert.equal(bar.text, '$(warning) Project Management: no budget data');
    assert.doesNotMatch(bar.tooltip, /stale/i);
    // The tree: a warning, not a loading spinner or a check, and the fix one click away.
    const tree = await treeBecomes('a failing tree', (items) => items[0]?.icon === 'warning' && items[1]?.command !== undefined);
    assert.equal(tree[0]?.description, 'no budget data (backend unreachable)');
    assert.equal(tree[1]?.label, 'No budget data: backend unreachable');
    assert.deepEqual(tree[1]?.command, { command: 'budgetLens.checkBackend', arguments: [] });
    // The panel: the error with the group's name, what failed, and the buttons that fix it.
    await vscode.commands.executeCommand('budgetLens.openBudgetPanel');
    const view = await eventually('the panel error', async () => {
      const v = await lastPanelView();
      return v?.kind === 'error' && v.title.startsWith('No budget data') ? v : undefined;
    }, 20_000);
    assert.equal(view.kind === 'error' && view.title, 'No budget data for Project Management');
    assert.match(view.kind === 'error' ? view.message : '', new RegExp(`^Failing since .* UTC: Budget API unreachable: .*\\(no response from ${deadUrl}/api/v1/groups/project_management\\)\\. No budget data has loaded yet\\.$`));
    assert.deepEqual(view.kind === 'error' && view.fixes, ['refresh', 'changeUrl']);
    // Check Budget Backend says the same and offers Retry and Change URL.
    const check = await vscode.commands.executeCommand<{ message: string; actions: string[] }>('budgetLens.checkBackend');
    assert.deepEqual(check.actions, ['Retry', 'Change URL', 'Show Log']);
    assert.match(check.message, new RegExp(`no response from ${deadUrl}/api/v1/`));
  });
});
