/**
 * Burn alerts (domain.md F16) against a REAL Budget API: dist/cli.js ingests the log below into
 * a store and serves it; the extension points at it through `budgetLens.api.url` and the token.
 *
 * The log, all within the current hour (the store's finest granularity: its 1 h, 5 m, 30 m and
 * 6 h windows all read this hour's bucket, 99.95 % target -> 1 - T = 0.0005):
 *   team_planning (group project_management), Projects::IssuesController#create, urgency high:
 *     2020 requests, 40 answer 500, the rest 0.1 s (under 0.25 s)
 *     o = 2020, e = 40, w = 1980, s = 1980 -> f = 40, m = 4000, f/m = 0.01
 *     burn rate (F9) 0.01 / 0.0005 = 20 in every window: 1 h and 5 m above 14.4 -> page
 *     guard: the 5 m window's m = 4000 >= 695 (5 / (14.4 * 0.0005))
 *   source_code_management (group source_code), GET .../repository/tags: 10 requests, 1 takes 6 s
 *     w = o = 10, s = 9 -> f = 1, m = 20, 0.05 / 0.0005 = 100x, but m = 20 < 695: low traffic, no alert
 */
import assert from 'node:assert/strict';

import * as vscode from 'vscode';
import type { BudgetApiProcess } from './budgetApiProcess';
import { ingestLogs, startBudgetApi } from './budgetApiProcess';
import { grapeLines, railsLines } from './budgetLog';
import { ISSUES, budgetKey, budgetState, eventually, extensionPath, openFile, setSetting, testState, leaveBudgetApi, useBudgetApi } from './helpers';

const TOKEN = 'budget-lens-burn-token';
const TAGS = 'lib/api/tags.rb';
const MESSAGE = 'Budget Lens: group Project Management is burning its error budget: 20.0× over 1 h and 20.0× over 5 m, both above 14.4× (page tier).';

/** Lines stamped in the current hour, with room for the suite before the hour turns (else it waits for the next one). */
async function timeInThisHour(): Promise<string> {
  const hour = 3600_000;
  const intoHour = Date.now() % hour;
  if (intoHour > hour - 4 * 60_000) await new Promise((r) => setTimeout(r, hour - intoHour + 5_000));
  const now = Date.now();
  return new Date(Math.max(now - (now % hour), now - 60_000)).toISOString();
}

describe('burn alerts from a real Budget API', function () {
  this.timeout(600_000);
  let dir: string;
  let api: BudgetApiProcess;

  before(async () => {
    assert.equal((await testState()).phase, 'ready');
    const repo = extensionPath();
    const time = await timeInThisHour();
    const ingested = await ingestLogs(repo, 'budget-lens-ext-burn-', {
      'production_json.log': railsLines(time, 'create', 'high', 2020, 0, 40),
      'api_json.log': grapeLines(time, 10, 1),
    });
    dir = ingested.dir;
    api = await startBudgetApi({ repo, store: ingested.store, catalogDir: ingested.catalogDir, token: TOKEN, cwd: dir });
  });

  after(async () => {
    await leaveBudgetApi(api, { dir, settings: ['burnAlerts.enabled'] });
  });

  it('one notification for one burn across ten refreshes, with its actions; the status bar shows the tier', async () => {
    await setSetting('group', undefined);
    await openFile(ISSUES);
    await useBudgetApi(api.url, TOKEN);
    const first = await eventually('the burn notification', async () => {
      const s = (await testState()).burnAlerts;
      return s.notifications.length > 0 ? s : undefined;
    });
    assert.deepEqual(
      first.notifications.map((n) => [n.scope, n.tier, n.message, n.actions]),
      [[`${api.url} group:project_management`, 'page', MESSAGE, ['Open Budget Panel', 'Go to Top Offender']]],
    );
    const fetched: number[] = [];
    for (let i = 0; i < 10; i++) {
      await vscode.commands.executeCommand('budgetLens.refreshBudget');
      const s = await testState();
      fetched.push(budgetKey(s.budget.burnAlerts, 'group:project_management')?.fetchedAt ?? 0);
      assert.equal(s.burnAlerts.notifications.length, 1, `refresh ${i + 1}: still one notification`);
    }
    // Every refresh asked the server again (ten answers, each firing), and none notified.
    assert.equal(new Set(fetched).size, 10, fetched.join(', '));
    const state = await testState();
    const episode = state.burnAlerts.episodes[`${api.url} group:project_management`];
    assert.equal(episode?.tier, 'page');
    assert.equal(episode?.notified, 'page');
    assert.equal(episode?.lastFiringAt, fetched[9]);
    assert.deepEqual(state.burnAlerts.firing, { scope: 'group:project_management', tier: 'page', text: 'group Project Management' });
    // The status bar while it lasts: 40 * 40320 / 4000 = 403.2 spent, 20.16 - 403.2 = -383.04 left.
    const bar = await eventually('the tier in the status bar', async () => {
      const s = (await testState()).statusBar;
      return s.text.startsWith('$(flame)') ? s : undefined;
    });
    assert.equal(bar.text, '$(flame) 14.4× burn · Project Management: -383.04 budget-min left');
    assert.equal(bar.backgroundColor, 'statusBarItem.warningBackground');
    assert.equal(bar.command, 'budgetLens.openBudgetPanel');
    assert.match(bar.tooltip, /^Burn alert \(group Project Management\): 20\.0× over 1 h and 20\.0× over 5 m, both above 14\.4× \(page tier\)\.\n/);
  });

  it("Go to Top Offender jumps to the burning window's top failing endpoint", async () => {
    const target = await vscode.commands.executeCommand<{ file: string; line: number }>('budgetLens._testBurnAlertAction', -1, 'Go to Top Offender');
    assert.deepEqual(target, { file: ISSUES, line: 40 });
    assert.equal(await vscode.commands.executeCommand('budgetLens._testBurnAlertAction', -1, 'Open Budget Panel'), true);
    await eventually('the panel open', async () => ((await testState()).panel.open ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('the low-traffic guard: a category at 100x on 20 measurements does not alert', async () => {
    await openFile(TAGS);
    // The open file's category is asked and answered, without a notification or a tier.
    await eventually('the tags category evaluated', async () => (budgetKey((await budgetState()).burnAlerts, 'category:source_code_management')?.hasValue ? true : undefined));
    const res = await fetch(`${api.url}/api/v1/categories/source_code_management/burn-rates`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await res.json()) as { alert: { tier: string | null; tiers: Array<{ short: { burnRate: number; measurements: number }; lowTraffic: boolean; minShortMeasurements: number }> } };
    assert.equal(body.alert.tier, null);
    assert.deepEqual(
      [body.alert.tiers[0]?.short.burnRate, body.alert.tiers[0]?.short.measurements, body.alert.tiers[0]?.lowTraffic, body.alert.tiers[0]?.minShortMeasurements],
      [100, 20, true, 695],
    );
    const s = await testState();
    assert.equal(s.burnAlerts.notifications.length, 1);
    assert.equal(Object.keys(s.burnAlerts.episodes).some((k) => k.endsWith('category:source_code_management')), false);
  });

  it('budgetLens.burnAlerts.enabled false: no tier, no burn-rate requests, no notification', async () => {
    await openFile(ISSUES);
    await eventually('the tier back with the file', async () => ((await testState()).statusBar.text.startsWith('$(flame)') ? true : undefined));
    await setSetting('burnAlerts.enabled', false);
    const bar = await eventually('the status bar without the tier', async () => {
      const s = (await testState()).statusBar;
      return s.text.includes('budget-min') && !s.text.startsWith('$(flame)') ? s : undefined;
    });
    assert.equal(bar.text, '$(organization) Project Management: -383.04 budget-min left');
    const before = budgetKey((await budgetState()).burnAlerts, 'group:project_management')?.fetchedAt;
    await vscode.commands.executeCommand('budgetLens.refreshBudget');
    await vscode.commands.executeCommand('budgetLens.refreshBudget');
    const s = await testState();
    assert.equal(budgetKey(s.budget.burnAlerts, 'group:project_management')?.fetchedAt, before, 'not fetched while off');
    assert.equal(s.burnAlerts.enabled, false);
    assert.equal(s.burnAlerts.firing, undefined);
    assert.equal(s.burnAlerts.notifications.length, 1);
  });
});
