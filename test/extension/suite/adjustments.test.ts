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
 *
 * The second part runs the same check with `budgetLens.prometheus.url`: the editor's own
 * BudgetService over a REAL Prometheus, applying the adjustments the workspace's own
 * .budgetlens.yml declares (the launcher opens a copy of the example outside the repo,
 * test/extension/exampleCopies.mjs, so the suite may write it). Its numbers are worked in its header.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TreeItemState } from '../../../src/extension/groupTree';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import { sampledSeries, type Series } from '../../support/seriesBuilders';
import type { BudgetApiProcess } from './budgetApiProcess';
import { ingestLogs, startBudgetApi } from './budgetApiProcess';
import { issuesControllerLines, railsLines } from './budgetLog';
import { ISSUES, budgetState, config, eventually, extensionPath, hoverText, lastPanelData, lensTitles, openFile, setSetting, testState, unescapeMarkdown, workspaceRoot } from './helpers';
import { ENDPOINTS, scenarioEnd } from './prometheusScenario';

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

/**
 * The Prometheus backend with the workspace's own adjustments. GitLab's recorded per-second rates
 * (as prometheusScenario.ts, team_planning's four IssuesController actions, group
 * project_management), 64 samples one minute apart at hh:mm:30, the last 5.5 minutes before the
 * suite starts; the source counts sum_over_time(rate_1h[28d]) * 60, so a constant rate r gives
 * 64 * 60 * r = 3840 r:
 *   without the incident: w = o = 245,760, s = 245,700, e = 30 -> f = 60 + 30 = 90, m = 491,520
 *   the incident: samples 17 to 48 (32 of them) add 1/16 errors per second to #create:
 *     32 * 60 / 16 = 120 more errors -> e = 150
 * As measured: f = 60 + 150 = 210, m = 491,520:
 *   spent 210 * 40320 / 491520 = 17.2265625 -> "17.23" of 20.16 (85.4 % -> "85 %"),
 *   remaining 20.16 - 17.2265625 = 2.9334375 -> "2.93", A = 1 - 210/491520 = 0.99957275… -> "99.957 %"
 * The adjustment [30 s before sample 17, 30 s after sample 48), scope all, whole minutes: Prometheus
 *   removes exactly the 32 samples in it (sum_over_time(x[32m]) * 60 at its end): half of the
 *   rest (f 45, m 245,760) and all 120 incident errors -> removed f = 165, m = 245,760;
 *   adjusted f = 45, m = 245,760: spent 45 * 40320 / 245760 = 7.3828125 -> "7.38" (36.6 % -> "37 %"),
 *   remaining 12.7771875 -> "12.78", A = 1 - 45/245760 = 0.99981689… -> "99.981 %"
 *   (the figures without the incident: the rest of the window is unchanged).
 * Endpoint figures stay as measured (domain.md section 6): #create f = 30 + 120 = 150 of
 *   m = 122,880: 150 * 40320 / 491520 = 12.3046875 -> "12.30" budget-min, 150/210 = 71.43 % of
 *   team_planning's spend, own A = 1 - 150/122880 = 0.99877929… -> "99.877 %" < 99.95 %, #1 of 3.
 */
const PROM_REASON = 'Redis *cluster* <i>failover</i> [x](command:workbench.action.terminal.new)';
const PROM_LINK = 'https://gitlab.com/gitlab-com/gl-infra/production/-/issues/5678';
const API_ISSUES = 'lib/api/issues.rb';

function incidentSeries(firstS: number, incident: { fromS: number; toS: number }): Series[] {
  const gauge = (name: string, labels: Record<string, string>, value: (t: number) => number): Series => sampledSeries(name, labels, firstS, firstS + 63 * 60, 60, value);
  const extra = (id: string, k: 's' | 'w' | 'o' | 'e', t: number): number => (id === 'Projects::IssuesController#create' && k === 'e' && t > incident.fromS && t < incident.toS ? 1 / 16 : 0);
  const endpointSuffix = { s: 'apdex:success:rate_1h', w: 'apdex:weight:rate_1h', o: 'ops:rate_1h', e: 'error:rate_1h' } as const;
  const levelSuffix = { s: 'apdex:success:rate_1h', w: 'apdex:weight:score_1h', o: 'ops:rate_1h', e: 'error:rate_1h' } as const;
  const out: Series[] = [];
  for (const k of ['s', 'w', 'o', 'e'] as const) {
    for (const ep of ENDPOINTS) {
      out.push(gauge(`application_sli_aggregation:rails_request:${endpointSuffix[k]}`, { type: 'web', endpoint_id: ep.id, feature_category: 'team_planning', request_urgency: ep.urgency }, (t) => ep[k] + extra(ep.id, k, t)));
    }
    const sum = (t: number): number => ENDPOINTS.reduce((a, ep) => a + ep[k] + extra(ep.id, k, t), 0);
    out.push(gauge(`gitlab:component:feature_category:execution:${levelSuffix[k]}`, { type: 'web', component: 'rails_request', feature_category: 'team_planning' }, sum));
    out.push(gauge(`gitlab:component:stage_group:execution:${levelSuffix[k]}`, { type: 'web', component: 'rails_request', stage_group: 'project_management', product_stage: 'plan' }, sum));
  }
  return out;
}

describe("manual adjustments from the workspace's own .budgetlens.yml, figures from a real Prometheus", function () {
  this.timeout(120_000);
  let prom: MetricsServer;
  let configFile: string;
  let configText: string;
  let from: number;
  let to: number;

  before(async () => {
    assert.equal((await testState()).phase, 'ready');
    assert.doesNotMatch(workspaceRoot(), /examples[\\/]gitlab-style$/, 'the launcher opens a copy outside the repo, never the example itself');
    configFile = join(workspaceRoot(), '.budgetlens.yml');
    configText = readFileSync(configFile, 'utf8');
    assert.doesNotMatch(configText, /adjustments/);
    // Samples at hh:mm:30; the incident's 32 samples are the 17th to the 48th (indexes 16..47).
    const firstS = scenarioEnd() - 63 * 60 - 30;
    from = (firstS + 16 * 60 - 30) * 1000;
    to = (firstS + 47 * 60 + 30) * 1000;
    prom = await startPrometheus(incidentSeries(firstS, { fromS: from / 1000, toS: to / 1000 }));
    await setSetting('api.url', undefined);
    await setSetting('group', undefined);
    await openFile(ISSUES);
    await setSetting('prometheus.url', prom.url);
  });

  after(async () => {
    if (configFile && configText !== undefined) writeFileSync(configFile, configText);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setSetting('prometheus.url', undefined);
    await setSetting('group', undefined);
    await prom?.stop();
  });

  /** The category lens of lib/api/issues.rb (`feature_category :team_planning` for the class, its lens on line 4). */
  const categoryLens = async (): Promise<string | undefined> => (await lensTitles(API_ISSUES)).find(([line]) => line === 4)?.[1];

  it('without adjustments in the config: the measured figures alone', async () => {
    const lens = await eventually('the measured lens', async () => {
      const t = await categoryLens();
      return t?.includes('budget-min') ? t : undefined;
    }, 20_000);
    assert.equal(lens, 'team_planning · 17.23 of 20.16 budget-min (85 %) · 28 d');
    assert.equal((await budgetState()).backend, 'prometheus');
    const bar = await eventually('the status bar with figures', async () => {
      const s = (await testState()).statusBar;
      return s.text.includes('budget-min left') ? s : undefined;
    }, 20_000);
    assert.equal(bar.text, '$(organization) Project Management: 2.93 budget-min left');
  });

  it('the config gains an adjustment: the lens, tree row and status bar lead with the measured figure, marked (adjusted x)', async () => {
    writeFileSync(
      configFile,
      [
        configText.trimEnd(),
        'adjustments:',
        `  - from: ${new Date(from).toISOString()}`,
        `    to: ${new Date(to).toISOString()}`,
        '    scope: all',
        `    reason: ${JSON.stringify(PROM_REASON)}`,
        `    link: ${PROM_LINK}`,
        '',
      ].join('\n'),
    );
    const lens = await eventually('the lens marked adjusted', async () => {
      const t = await categoryLens();
      return t?.includes('adjusted') ? t : undefined;
    }, 30_000);
    assert.equal(lens, 'team_planning · 17.23 (adjusted 7.38) of 20.16 budget-min (85 %) · 28 d');
    const bar = await eventually('the status bar marked adjusted', async () => {
      const s = (await testState()).statusBar;
      return s.text.includes('(adjusted') ? s : undefined;
    }, 20_000);
    assert.equal(bar.text, '$(organization) Project Management: 2.93 budget-min left (adjusted 12.78)');
    assert.match(bar.tooltip, /^availability 99\.957 %$/m);
    assert.match(bar.tooltip, /^spent 17\.23 of 20\.16 budget-min$/m);
    assert.match(bar.tooltip, /^Adjusted \(1 manual adjustment left out; the figures above are as measured\): spent 7\.38 of 20\.16 budget-min \(37 %\), remaining 12\.78, availability 99\.981 %$/m);
    // Prometheus counts exactly [from, to): the counted range is the adjustment's own.
    const range = `${minuteText(from)} – ${minuteText(to).slice(minuteText(from).slice(0, 10) === minuteText(to).slice(0, 10) ? 11 : 0)} UTC`;
    assert.ok(bar.tooltip.includes(`- ${range} · all groups: ${PROM_REASON} (${PROM_LINK}) · removed 165 failures of 245,760 measurements (counted ${range})`), bar.tooltip);

    const tree = await eventually('the tree marked adjusted', async () => {
      const items = (await vscode.commands.executeCommand<{ tree?: TreeItemState[] }>('budgetLens._testState', { tree: true }))?.tree ?? [];
      return items.find((i) => i.label === 'team_planning')?.description?.includes('adjusted') ? items : undefined;
    }, 20_000);
    const byLabel = (label: string): TreeItemState | undefined => tree.find((i) => i.label === label);
    assert.equal(byLabel('Project Management')?.description, '85 % spent · 17.23 (adjusted 7.38) of 20.16 min');
    assert.equal(byLabel('team_planning')?.description, '85 % spent · 17.23 (adjusted 7.38) of 20.16 min');
    assert.match(byLabel('team_planning')?.tooltip ?? '', /^spent 17\.23 of 20\.16 budget-min, remaining 2\.93$/m);
    assert.match(byLabel('team_planning')?.tooltip ?? '', /^Adjusted \(1 manual adjustment left out; .*\): spent 7\.38 of 20\.16 budget-min \(37 %\), remaining 12\.78, availability 99\.981 %$/m);
    assert.ok(byLabel('team_planning')?.tooltip?.includes(`all groups: ${PROM_REASON} (${PROM_LINK}) · removed 165 failures of 245,760 measurements`), byLabel('team_planning')?.tooltip);
  });

  it('the category hover gives both figures and the adjustment, its reason as text; endpoint figures stay as measured', async () => {
    // ISSUES line 11: `  feature_category :team_planning, [...]`.
    const text = await eventually('a hover with the adjusted figures', async () => {
      const t = await hoverText(ISSUES, 11, 22);
      return t.includes('**Adjusted**') && t.includes('left (adjusted') ? t : undefined;
    }, 20_000);
    assert.match(text, /- spent \*\*17\.23\*\* of 20\.16 budget-min \(85 %\)/);
    assert.match(text, /- remaining \*\*2\.93\*\* budget-min\n/);
    assert.match(text, /- availability 99\.957 % \(210 failures in 491,520 measurements\)/);
    assert.match(text, /- group Project Management \(project\\_management\): 2\.93 of 20\.16 budget-min left \(adjusted 12\.78\)\n/);
    assert.ok(text.indexOf('- spent **17.23**') < text.indexOf('**Adjusted**'), text);
    assert.match(text, /- spent \*\*7\.38\*\* of 20\.16 budget-min \(37 %\) · remaining \*\*12\.78\*\*/);
    assert.match(text, /- availability 99\.981 % \(45 failures in 245,760 measurements\)/);
    const adjustmentLine = text.split('\n').find((l) => l.includes('all groups')) ?? '';
    assert.ok(unescapeMarkdown(adjustmentLine).includes(`all groups: ${PROM_REASON} · [link](${PROM_LINK}) · removed 165 failures of 245,760 measurements`), adjustmentLine);
    assert.doesNotMatch(adjustmentLine, /\]\(command:/);
    // #create's lens (line 40): its own figures as measured, the incident's errors in them.
    const create = (await lensTitles(ISSUES)).find(([line]) => line === 40)?.[1];
    assert.equal(create, "$(warning) 150 failures · 12.30 budget-min (71.43 % of team_planning's spend) · 99.877 % < 99.95 % · #1 of 3 in team_planning");
  });

  it('the config put back: the measured figures alone again', async () => {
    writeFileSync(configFile, configText);
    const lens = await eventually('the lens without the mark', async () => {
      const t = await categoryLens();
      return t?.includes('budget-min') && !t.includes('adjusted') ? t : undefined;
    }, 30_000);
    assert.equal(lens, 'team_planning · 17.23 of 20.16 budget-min (85 %) · 28 d');
  });

  it('adjustments in a file of their own (`adjustments: { file }`): an edit to that file is followed, as one to the config', async () => {
    const incidents = join(workspaceRoot(), 'incidents.yml');
    const entry = (scope: string, reason: string): string =>
      [`- from: ${new Date(from).toISOString()}`, `  to: ${new Date(to).toISOString()}`, `  ${scope}`, `  reason: ${JSON.stringify(reason)}`, ''].join('\n');
    try {
      writeFileSync(incidents, entry('scope: all', 'Redis failover'));
      writeFileSync(configFile, [configText.trimEnd(), 'adjustments: { file: incidents.yml }', ''].join('\n'));
      assert.equal(
        await eventually('the lens marked adjusted', async () => {
          const t = await categoryLens();
          return t?.includes('adjusted') ? t : undefined;
        }, 30_000),
        'team_planning · 17.23 (adjusted 7.38) of 20.16 budget-min (85 %) · 28 d',
      );
      // Only the file changes: the adjustment now covers source_code alone, so team_planning's figures are as measured.
      writeFileSync(incidents, entry('groups: [source_code]', 'Gitaly node restart'));
      assert.equal(
        await eventually('the lens without the mark', async () => {
          const t = await categoryLens();
          return t?.includes('budget-min') && !t.includes('adjusted') ? t : undefined;
        }, 30_000),
        'team_planning · 17.23 of 20.16 budget-min (85 %) · 28 d',
      );
      const bar = await eventually('the status bar without the mark', async () => {
        const st = (await testState()).statusBar;
        return st.text.includes('budget-min left') && !st.text.includes('adjusted') ? st : undefined;
      }, 20_000);
      assert.equal(bar.text, '$(organization) Project Management: 2.93 budget-min left');
    } finally {
      writeFileSync(configFile, configText);
      rmSync(incidents, { force: true });
    }
  });
});
