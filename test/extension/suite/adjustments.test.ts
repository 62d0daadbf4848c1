/**
 * Manual adjustments in the editor (issue 15 item 3e) against a REAL Budget API: dist/cli.js ingests
 * the log below into a store and `budget-lens serve --config` serves it with a .budgetlens.yml that
 * holds one adjustment. The editor shows both figures, the measured ones leading.
 *
 * The log (28 d window = 40320 min at 99.95 % -> budget 20.16, F3), all team_planning (group
 * project_management; its other category, service_desk, has no traffic):
 *   - 2 hours before now: budgetLog.ts's issuesControllerLines, f = 6, m = 40000.
 *   - the incident, in the hour bucket H starting 5 whole hours before the current hour, at H + 15 min:
 *     200 requests of #index (low urgency), 20 of them 500s, all 0.1 s: o = 200, e = 20, w = s = 180
 *     (a 5xx is no apdex measurement) -> f = 20, m = 380.
 * As measured: f = 26, m = 40380: spent 26 * 40320 / 40380 = 25.9613670… -> "25.96" of 20.16
 *   (1.2877 -> "129 %"), remaining 20.16 - 25.96137 = -5.80137 -> "-5.80" (exhausted),
 *   A = 1 - 26/40380 = 0.9993561… -> "99.935 %" (rounded down).
 * The adjustment [H + 10 min, H + 40 min), scope all: the store removes the whole bucket H
 *   (counted H – H + 1 h): removed f = 20, m = 380, leaving f = 6, m = 40000: spent 6.048 -> "6.05",
 *   remaining 14.112 -> "14.11", 30 %, A = 1 - 6/40000 = 0.99985 -> "99.985 %".
 * The group's figures are team_planning's (its only category with traffic).
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TreeItemState } from '../../../src/extension/groupTree';
import type { BudgetApiProcess } from './budgetApiProcess';
import { ingestLogs, startBudgetApi } from './budgetApiProcess';
import { issuesControllerLines, railsLines } from './budgetLog';
import { ISSUES, config, eventually, extensionPath, hoverText, lastPanelData, openFile, setSetting, testState, unescapeMarkdown } from './helpers';

const TOKEN = 'budget-lens-adjustments-token';
const HOUR = 3600_000;
/** A reason that is Markdown and HTML: it must show as typed. */
const REASON = 'Patroni failover: *primary* <b>unreachable</b> [x](command:workbench.action.terminal.new)';
const LINK = 'https://gitlab.com/gitlab-com/gl-infra/production/-/issues/1234';

/** `2026-03-10 10:00` of an ISO instant (UTC). */
const minuteText = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

describe('manual adjustments from a real Budget API: both figures, never one silently', function () {
  this.timeout(120_000);
  let dir: string;
  let api: BudgetApiProcess;
  /** The incident's hour bucket. */
  let h: number;

  before(async () => {
    assert.equal((await testState()).phase, 'ready');
    const repo = extensionPath();
    h = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR;
    const lines = [...issuesControllerLines(new Date(Date.now() - 2 * HOUR).toISOString()), ...railsLines(new Date(h + 15 * 60_000).toISOString(), 'index', 'low', 200, 0, 20)];
    const ingested = await ingestLogs(repo, 'budget-lens-ext-adjust-', { 'production_json.log': lines });
    dir = ingested.dir;
    const configFile = join(dir, '.budgetlens.yml');
    writeFileSync(
      configFile,
      [
        'adjustments:',
        `  - from: ${new Date(h + 10 * 60_000).toISOString()}`,
        `    to: ${new Date(h + 40 * 60_000).toISOString()}`,
        '    scope: all',
        `    reason: ${JSON.stringify(REASON)}`,
        `    link: ${LINK}`,
        '',
      ].join('\n'),
    );
    api = await startBudgetApi({ repo, ...ingested, token: TOKEN, cwd: dir, config: configFile });
    await setSetting('group', undefined);
    await openFile(ISSUES);
    await setSetting('api.url', api.url);
    assert.equal(await vscode.commands.executeCommand('budgetLens.setApiToken', TOKEN), true);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (config().get<string>('api.url')) await vscode.commands.executeCommand('budgetLens.clearApiToken');
    await setSetting('api.url', undefined);
    await setSetting('group', undefined);
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the status bar leads with the measured remaining, the adjusted one beside it; the tooltip has both and the adjustment', async () => {
    const bar = await eventually('the status bar with figures', async () => {
      const s = (await testState()).statusBar;
      return s.text.includes('budget-min left') ? s : undefined;
    }, 20_000);
    assert.equal(bar.text, '$(organization) Project Management: -5.80 budget-min left (adjusted 14.11)');
    assert.match(bar.tooltip, /^availability 99\.935 %$/m);
    assert.match(bar.tooltip, /^spent 25\.96 of 20\.16 budget-min$/m);
    assert.match(bar.tooltip, /^Adjusted \(1 manual adjustment left out; the figures above are as measured\): spent 6\.05 of 20\.16 budget-min \(30 %\), remaining 14\.11, availability 99\.985 %$/m);
    const range = `${minuteText(h + 10 * 60_000)} – ${minuteText(h + 40 * 60_000).slice(11)} UTC`;
    const counted = `${minuteText(h)} – ${minuteText(h + HOUR).slice(minuteText(h).slice(0, 10) === minuteText(h + HOUR).slice(0, 10) ? 11 : 0)} UTC`;
    assert.ok(bar.tooltip.includes(`- ${range} · all groups: ${REASON} (${LINK}) · removed 20 failures of 380 measurements (counted ${counted})`), bar.tooltip);
  });

  it('the tree: measured descriptions marked with the adjusted spend; tooltips with both', async () => {
    const tree = await eventually('the tree with figures', async () => {
      const items = (await vscode.commands.executeCommand<{ tree?: TreeItemState[] }>('budgetLens._testState', { tree: true }))?.tree ?? [];
      return items.find((i) => i.label === 'team_planning')?.description?.includes('adjusted') ? items : undefined;
    }, 20_000);
    const byLabel = (label: string): TreeItemState | undefined => tree.find((i) => i.label === label);
    assert.equal(byLabel('Project Management')?.description, '129 % spent · 25.96 (adjusted 6.05) of 20.16 min');
    assert.equal(byLabel('team_planning')?.description, '129 % spent · 25.96 (adjusted 6.05) of 20.16 min');
    assert.match(byLabel('team_planning')?.tooltip ?? '', /^spent 25\.96 of 20\.16 budget-min, remaining -5\.80$/m);
    assert.match(byLabel('team_planning')?.tooltip ?? '', /^Adjusted \(1 manual adjustment left out; .*\): spent 6\.05 of 20\.16 budget-min \(30 %\), remaining 14\.11, availability 99\.985 %$/m);
    assert.ok(byLabel('team_planning')?.tooltip?.includes(`all groups: ${REASON} (${LINK}) · removed 20 failures of 380 measurements`), byLabel('team_planning')?.tooltip);
  });

  it('the category hover: the measured figures, then the adjusted ones and the adjustment, its reason as text', async () => {
    // Line 11: `  feature_category :team_planning, [...]`.
    const text = await eventually('a hover with the adjusted figures', async () => {
      const t = await hoverText(ISSUES, 11, 22);
      return t.includes('**Adjusted**') && t.includes('left (adjusted') ? t : undefined;
    }, 20_000);
    assert.match(text, /- spent \*\*25\.96\*\* of 20\.16 budget-min \(129 %\)/);
    assert.match(text, /- remaining \*\*-5\.80\*\* budget-min — exhausted/);
    assert.match(text, /- group Project Management \(project\\_management\): -5\.80 of 20\.16 budget-min left \(adjusted 14\.11\) — exhausted/);
    assert.ok(text.indexOf('- spent **25.96**') < text.indexOf('**Adjusted**'), text);
    assert.match(text, /- spent \*\*6\.05\*\* of 20\.16 budget-min \(30 %\) · remaining \*\*14\.11\*\*/);
    assert.match(text, /- availability 99\.985 % \(6 failures in 40,000 measurements\)/);
    // The reason escaped (no emphasis, HTML or command link of its own); the link a real https link.
    const adjustmentLine = text.split('\n').find((l) => l.includes('all groups')) ?? '';
    assert.ok(unescapeMarkdown(adjustmentLine).includes(`all groups: ${REASON} · [link](${LINK}) · removed 20 failures of 380 measurements`), adjustmentLine);
    assert.doesNotMatch(adjustmentLine, /\]\(command:/);
  });

  it('the panel receives both figures and the adjustment as text', async () => {
    await vscode.commands.executeCommand('budgetLens.openBudgetPanel');
    const data = await eventually('panel data with adjusted figures', async () => {
      if (!(await testState()).panel.ready) return undefined;
      const d = await lastPanelData();
      return d?.group.adjusted && d.categories.length === 2 ? d : undefined;
    }, 30_000);
    const g = data.group;
    assert.deepEqual([g.spentText, g.remainingText, g.availabilityText, g.spentShareText, g.state, g.policyText], ['25.96', '-5.80', '99.935 %', '129 %', 'exhausted', 'Over budget: reliability work comes first.']);
    assert.deepEqual({ ...g.adjusted, adjustments: g.adjusted?.adjustments.length }, { spentText: '6.05', remainingText: '14.11', availabilityText: '99.985 %', spentShareText: '30 %', state: 'fine', adjustments: 1 });
    const a = g.adjusted?.adjustments[0];
    assert.deepEqual([a?.scopeText, a?.reason, a?.linkUrl, a?.linkText], ['all groups', REASON, LINK, undefined]);
    assert.match(a?.removedText ?? '', /^removed 20 failures of 380 measurements \(counted /);
    const tp = data.categories.find((c) => c.category === 'team_planning');
    assert.deepEqual([tp?.spentText, tp?.adjusted?.spentText, tp?.remainingText, tp?.adjusted?.remainingText], ['25.96', '6.05', '-5.80', '14.11']);
  });
});
