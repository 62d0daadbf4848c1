/**
 * Budget figures in the editor straight from a REAL Prometheus (Debian `prometheus` 2.42, started
 * as test/integration does: promtool backfills the series below, the server serves them on a free
 * loopback port), through `budgetLens.prometheus.url`: BudgetService over the Prometheus source
 * with the workspace's catalog runs inside the extension, no `budget-lens serve`.
 *
 * The series are GitLab's recorded per-second rates (domain.md section 4), 64 samples one minute
 * apart ending 5 minutes before the suite starts, so they sit inside the 28 d window evaluated at
 * "now". The source counts `sum_over_time(rate_1h[28d]) * 60` (rules evaluated every 60 s), so a
 * constant rate r gives 64 * 60 * r = 3840 r; every rate is a multiple of 1/256, exact in binary.
 *   team_planning (group project_management), component rails_request, Projects::IssuesController:
 *     #index  w = o = 32        -> 122880; s = 32 - 3/256 -> 122835; e = 0      -> f 45
 *     #create w = s = o = 16    -> 61440;  e = 2/256 -> 30                      -> f 30
 *     #show   w = o = 8         -> 30720;  s = 8 - 1/256 -> 30705; e = 0        -> f 15
 *     #update w = s = o = 8     -> 30720;  e = 0                                -> f 0
 *     w = o = 245760, s = 245700, e = 30: f = (w - s) + e = 90, m = w + o = 491520
 *     A = 1 - 90/491520 = 0.99981689453125 -> "99.981 %" (rounded down)
 *     spent (F4) = 90 * 40320 / 491520 = 7.3828125 -> "7.38"; of 20.16 that is 36.6 % -> "37 %"
 *     remaining (F5) = 20.16 - 7.3828125 = 12.7771875 -> "12.78"
 *     endpoints (F7): #index 45 * 40320 / 491520 = 3.69140625 -> "3.69" (45/90 = 50.00 %),
 *     #create 2.4609375 -> "2.46" (33.33 %), #show 1.23046875 -> "1.23" (16.67 %)
 *   The feature_category and stage_group series are the sums of those endpoint rates.
 *   service_desk (same group): no series -> "no data".
 *   source_code_management (group source_code): lib/api/tags.rb's two GET routes, one below the
 *   target in a category within its budget (worked in prometheusScenario.ts).
 *
 * An auth proxy (node:http, in this process) sits in front of Prometheus for the token tests: it
 * answers 401 unless `Authorization: Bearer <TOKEN>` arrives, as a Prometheus behind one would.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { ReportOutcome } from '../../../src/extension/reportCommand';
import type { TreeItemState } from '../../../src/extension/groupTree';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import { PROMETHEUS_ISSUES_LENSES, PROMETHEUS_TAGS_LENSES, recordedSeries, scenarioEnd } from './prometheusScenario';
import { ISSUES, budgetKey, budgetState, eventually, hoverText, lastPanelData, lensTitles, lensesBecome, openFile, setSetting, testState, unescapeMarkdown } from './helpers';

const TOKEN = 'budget-lens-prometheus-token';
const TAGS = 'lib/api/tags.rb';
// Deliberately changed with the endpoint lenses (issue 14): each endpoint's own figures, by hand in prometheusScenario.ts.
const ISSUES_LENSES = PROMETHEUS_ISSUES_LENSES;

/** A proxy that needs the bearer token, forwarding everything else to Prometheus. */
function authProxy(upstream: () => string, seen: Array<string | undefined>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'Content-Type': 'text/plain' });
        res.end('401 Unauthorized');
        return;
      }
      const body = Buffer.concat(chunks);
      fetch(upstream() + (req.url ?? ''), { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? '' }, ...(body.length ? { body } : {}) }).then(
        async (r) => {
          res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/json' });
          res.end(await r.text());
        },
        () => {
          res.writeHead(502, { 'Content-Type': 'text/plain' });
          res.end('upstream unreachable');
        },
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

describe('budget figures from a real Prometheus', function () {
  this.timeout(120_000);
  let prom: MetricsServer;
  let proxy: { url: string; close(): Promise<void> };
  const authHeaders: Array<string | undefined> = [];
  /** The month (YYYY-MM) all 64 samples fall in: the report test reads that month. */
  let sampleMonth: string;

  before(async () => {
    assert.equal((await testState()).phase, 'ready');
    const endS = scenarioEnd();
    sampleMonth = new Date(endS * 1000).toISOString().slice(0, 7);
    prom = await startPrometheus(recordedSeries(endS));
    proxy = await authProxy(() => prom.url, authHeaders);
  });

  after(async () => {
    // No token, no URL and no figures left for the next suites.
    await setSetting('api.url', undefined);
    await setSetting('prometheus.url', proxy.url);
    await eventually('the proxy URL configured', async () => ((await budgetState()).url === proxy.url ? true : undefined));
    await vscode.commands.executeCommand('budgetLens.clearApiToken');
    await setSetting('prometheus.url', undefined);
    await setSetting('group', undefined);
    const panelTabs = vscode.window.tabGroups.all.flatMap((t) => t.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('budgetLens.budgetPanel'));
    await vscode.window.tabGroups.close(panelTabs);
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isUntitled && d.languageId === 'markdown' && !d.isClosed)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await proxy?.close();
    await prom?.stop();
  });

  it('behind an auth proxy without a token: 401 naming the query URL, no figures, Set API Token offered once', async () => {
    const offersBefore = (await budgetState()).unauthorizedOffers;
    await openFile(ISSUES);
    await setSetting('prometheus.url', proxy.url);
    const tp = await eventually('a 401 for team_planning', async () => {
      const k = budgetKey((await budgetState()).categories, 'team_planning');
      return k?.failure ? k : undefined;
    });
    assert.equal((await budgetState()).backend, 'prometheus');
    assert.deepEqual([tp.hasValue, tp.failure?.status, tp.failure?.url], [false, 401, `${proxy.url}/api/v1/query`]);
    assert.equal(tp.failure?.message, `Prometheus: ${proxy.url}/api/v1/query answered HTTP 401 (check the auth headers)`);
    // No figures: the lens says why (a click offers the token).
    await eventually('the lens naming the refused token', async () => {
      const title = (await lensTitles(ISSUES))[0]?.[1];
      return title === 'team_planning · no budget data (token refused: HTTP 401)' ? title : undefined;
    });
    await vscode.commands.executeCommand('budgetLens.refreshBudget');
    await vscode.commands.executeCommand('budgetLens.refreshBudget');
    assert.equal((await budgetState()).unauthorizedOffers, offersBefore + 1, 'one offer, not one per refresh');
  });

  it('the token set through the command goes to Prometheus as Bearer: lenses carry the figures computed from the series', async () => {
    assert.equal(await vscode.commands.executeCommand('budgetLens.setApiToken', TOKEN), true);
    assert.equal((await budgetState()).hasToken, true);
    await lensesBecome(ISSUES_LENSES, 'lenses with the figures from Prometheus');
    const tp = budgetKey((await budgetState()).categories, 'team_planning');
    assert.deepEqual([tp?.hasValue, tp?.stale, tp?.failure], [true, false, undefined]);
    assert.equal(authHeaders.at(-1), `Bearer ${TOKEN}`);
  });

  it('the hover adds the budget and the top 3 failing endpoints', async () => {
    const text = await eventually('a hover with the budget', async () => {
      const t = await hoverText(ISSUES, 11, 22);
      return t.includes('Top failing endpoints') && t.includes('- group Project Management') ? t : undefined;
    });
    assert.match(text, /- spent \*\*7\.38\*\* of 20\.16 budget-min \(37 %\)/);
    assert.match(text, /- remaining \*\*12\.78\*\* budget-min\n/);
    assert.match(text, /- availability 99\.981 % \(90 failures in 491,520 measurements\)/);
    // The group's only category with data is team_planning: the same 12.7771875 remaining.
    assert.match(text, /- group Project Management \(project\\_management\): 12\.78 of 20\.16 budget-min left\n/);
    const rows = [...text.matchAll(/^- \[`(Projects::IssuesController#\w+)`\]\(command:budgetLens\.goToEndpoint\?[^)]+\): (.*)$/gm)];
    assert.deepEqual(
      rows.map((r) => [r[1], r[2]]),
      [
        ['Projects::IssuesController#index', "45 failures, 3.69 budget-min (50\\.00 \\% of team\\_planning\\'s spend)"],
        ['Projects::IssuesController#create', "30 failures, 2.46 budget-min (33\\.33 \\% of team\\_planning\\'s spend)"],
        ['Projects::IssuesController#show', "15 failures, 1.23 budget-min (16\\.67 \\% of team\\_planning\\'s spend)"],
      ],
    );
    // Explained (issue 14 item 2): F1 with team_planning's counts from the series (header):
    // s 245,700, o 245,760, e 30, w 245,760; the PromQL sent, each with its graph page on this Prometheus.
    const plain = unescapeMarkdown(text);
    assert.match(plain, /availability `\(s \+ o − e\) \/ \(w \+ o\) = \(245,700 \+ 245,760 − 30\) \/ \(245,760 \+ 245,760\)`/);
    assert.match(plain, /spent 7\.38 budget-min = apdex 4\.92 \(60 slow\) \+ errors 2\.46 \(30 errors\)/);
    assert.match(text, /- PromQL sent to `http:\/\/127\.0\.0\.1:\d+`:/);
    const links = [...text.matchAll(/ · \[Open in Prometheus\]\((http:\/\/127\.0\.0\.1:\d+\/graph\?g0\.expr=[^)]+)\)/g)].map((m) => m[1] ?? '');
    assert.equal(links.length, 4, text);
    assert.match(decodeURIComponent(new URL(links[0] ?? '').searchParams.get('g0.expr') ?? ''), /gitlab:component:feature_category:execution:apdex:success:rate_1h/);
  });

  it('the endpoint hover: F1 with the endpoint\'s counts from its application_sli_aggregation series', async () => {
    const text = unescapeMarkdown(
      await eventually('an endpoint hover', async () => {
        const t = await hoverText(ISSUES, 40, 7);
        return t.includes('How it is computed') ? t : undefined;
      }),
    );
    // #create: s = w = o = 61,440, e = 30 (header).
    assert.match(text, /- own availability 99\.975 % ≥ 99\.95 % \(30 failures in 122,880 measurements\)/);
    assert.match(text, /availability `\(s \+ o − e\) \/ \(w \+ o\) = \(61,440 \+ 61,440 − 30\) \/ \(61,440 \+ 61,440\)`/);
    assert.match(text, /application_sli_aggregation:rails_request:error:rate_1h\{[^`]*endpoint_id=~"[^"]*Projects::IssuesController#create/);
  });

  it('an endpoint below the target in a category within its budget: $(warning) on its lens, figures from its series', async () => {
    // lib/api/tags.rb, by hand in prometheusScenario.ts: #tags f 105 of m 30,720 -> 99.658 % < 99.95 %,
    // while source_code_management spends 8.11 of its 20.16 budget-min (f 105 of m 522,240).
    await openFile(TAGS);
    await lensesBecome(PROMETHEUS_TAGS_LENSES, 'the tags lenses with the figures from Prometheus', TAGS);
    const text = unescapeMarkdown(
      await eventually('the tags endpoint hover', async () => {
        const t = await hoverText(TAGS, 16, 7);
        return t.includes('How it is computed') ? t : undefined;
      }),
    );
    // s = 15,285, w = o = 15,360, e = 30: (15,285 + 15,360 − 30) / (15,360 + 15,360) = 30,615 / 30,720.
    assert.match(text, /- ⚠ own availability 99\.658 % < 99\.95 % — \*\*below the target\*\* \(105 failures in 30,720 measurements\)\n- 8\.11 budget-min, 100\.00 % of source_code_management's spend\n- #1 of 1 failing endpoints in source_code_management\n/);
    assert.match(text, /availability `\(s \+ o − e\) \/ \(w \+ o\) = \(15,285 \+ 15,360 − 30\) \/ \(15,360 \+ 15,360\)`/);
    // The status bar followed the file to Source Code (20.16 - 8.1066… = 12.05 left); back to IssuesController's group.
    assert.equal((await testState()).statusBar.text, '$(organization) Source Code: 12.05 budget-min left');
    await openFile(ISSUES);
    await eventually('the status bar back on Project Management', async () => ((await testState()).statusBar.text.includes('Project Management') ? true : undefined));
  });

  it('status bar, group tree and monthly report read the same figures', async () => {
    const bar = await eventually('the group budget in the status bar', async () => {
      const s = (await testState()).statusBar;
      return s.text.includes('budget-min') ? s : undefined;
    });
    assert.equal(bar.text, '$(organization) Project Management: 12.78 budget-min left');
    let tree: TreeItemState[] = [];
    await eventually('the tree with figures', async () => {
      tree = (await testState({ tree: true })).tree ?? [];
      return tree[1]?.description?.includes('% spent') && tree[2]?.description ? true : undefined;
    }, 20_000);
    assert.deepEqual(
      tree.slice(0, 3).map((i) => [i.label, i.description]),
      [
        ['Project Management', '37 % spent · 7.38 of 20.16 min'],
        ['team_planning', '37 % spent · 7.38 of 20.16 min'],
        // The endpoint row's short id (the full one leads its tooltip).
        ['IssuesController#index', "45 failures · 3.69 budget-min · 50.00 % of team_planning's spend"],
      ],
    );
    // The samples' month holds all 64 of them: D days of D * 1440 minutes, spent
    // 90 * D * 1440 / 491520, budget 0.0005 * D * 1440.
    const month = sampleMonth;
    const [y, m] = month.split('-').map(Number) as [number, number];
    const minutes = new Date(Date.UTC(y, m, 0)).getUTCDate() * 1440;
    const outcome = await vscode.commands.executeCommand<ReportOutcome>('budgetLens.monthlyReport', month);
    assert.equal(outcome?.kind, 'opened', JSON.stringify(outcome));
    const doc = vscode.workspace.textDocuments.find((d) => outcome?.kind === 'opened' && d.uri.toString() === outcome.uri);
    const text = doc?.getText() ?? '';
    assert.ok(text.includes(`| Project Management (\`project_management\`) | 99.95 % | 99.981 % | ${((90 * minutes) / 491520).toFixed(2)} min / ${(0.0005 * minutes).toFixed(2)} min |`), text);
    assert.ok(text.endsWith(`\n_Source: Prometheus ${proxy.url}._\n`), text.slice(-200));
  });

  it('the budget panel gets the group, daily series, burn rates and top endpoints computed from the series', async () => {
    await vscode.commands.executeCommand('budgetLens.openBudgetPanel');
    const data = await eventually('a ready state posted to the panel', async () => {
      if (!(await testState()).panel.ready) return undefined;
      const d = await lastPanelData();
      return d && d.daily && d.burnRates && d.endpoints && d.categories.length === 2 ? d : undefined;
    }, 30_000);
    const g = data.group;
    assert.deepEqual(
      [g.key, g.spentText, g.budgetText, g.remainingText, g.availabilityText, g.spentShareText, g.state],
      ['project_management', '7.38', '20.16', '12.78', '99.981 %', '37 %', 'fine'],
    );
    // The days of the window add up to the 28 d spend, whichever day the 64 samples fall on.
    assert.ok((data.daily?.days.length ?? 0) >= 28);
    assert.equal(data.daily?.days.at(-1)?.cumulativeSpentMinutes, 7.3828125);
    // 6 h and 3 d hold every sample: (90 / 491520) / 0.0005 = 0.3662109375 -> "0.37x"; budget left at
    // that rate: (1 - 0.3662109375) * 28 d / 0.3662109375 = 48.46 d. The 1 h window holds only some samples.
    const burn = Object.fromEntries((data.burnRates ?? []).map((r) => [r.window, [r.rateText, r.thresholdText, r.exceeded, r.exhaustionText]]));
    assert.deepEqual(burn['6 h'], ['0.37x', '5.60x', false, '48.5 d']);
    assert.deepEqual(burn['3 d'], ['0.37x', '0.93x', false, '48.5 d']);
    // Group scope = team_planning's figures: the same three endpoints, #update has no failure.
    const rows = (data.endpoints ?? []).map((e) => [e.endpointId, e.failuresText, e.minutesText, e.shareText, e.inWorkspace]);
    assert.deepEqual(rows, [
      ['Projects::IssuesController#index', '45 failures', '3.69', "50.00 % of team_planning's spend", true],
      ['Projects::IssuesController#create', '30 failures', '2.46', "33.33 % of team_planning's spend", true],
      ['Projects::IssuesController#show', '15 failures', '1.23', "16.67 % of team_planning's spend", true],
    ]);
    const tp = data.categories.find((c) => c.category === 'team_planning');
    assert.deepEqual([tp?.spentText, tp?.remainingText, tp?.state], ['7.38', '12.78', 'fine']);
  });

  it('with budgetLens.api.url also set, the Budget API wins; cleared again, Prometheus answers', async () => {
    const nowhere = 'http://127.0.0.1:9';
    await setSetting('api.url', nowhere);
    await eventually('the Budget API chosen', async () => ((await budgetState()).url === nowhere ? true : undefined));
    assert.equal((await budgetState()).backend, 'api');
    await setSetting('api.url', undefined);
    await eventually('Prometheus chosen again', async () => ((await budgetState()).url === proxy.url ? true : undefined));
    assert.equal((await budgetState()).backend, 'prometheus');
    await lensesBecome(ISSUES_LENSES, 'the figures from Prometheus again');
  });

  it('Prometheus without a proxy needs no token; stopped: figures kept, stale, naming the URL and "no response"', async () => {
    // The report left its document active: the status bar shows the active file's group.
    await openFile(ISSUES);
    await setSetting('prometheus.url', prom.url);
    await eventually('the direct URL configured', async () => ((await budgetState()).url === prom.url ? true : undefined));
    assert.equal((await budgetState()).hasToken, false);
    await lensesBecome(ISSUES_LENSES, 'figures straight from Prometheus');
    await eventually('the status bar with figures', async () => ((await testState()).statusBar.text.includes('12.78') ? true : undefined));

    await prom.stop();
    await vscode.commands.executeCommand('budgetLens.refreshBudget');
    const tp = budgetKey((await budgetState()).categories, 'team_planning');
    assert.deepEqual([tp?.hasValue, tp?.stale, tp?.failure?.status, tp?.failure?.url], [true, true, 0, `${prom.url}/api/v1/query`]);
    assert.match(tp?.failure?.message ?? '', new RegExp(`^Prometheus: cannot reach ${prom.url}/api/v1/query: .*\\(no response\\)$`));
    await lensesBecome(ISSUES_LENSES.map(([l, t]) => [l, `${t} (stale)`]), 'stale lenses');
    const bar = await eventually('a stale status bar', async () => {
      const s = (await testState()).statusBar;
      return s.text.endsWith('(stale)') ? s : undefined;
    });
    assert.equal(bar.text, '$(warning) Project Management: 12.78 budget-min left (stale)');
    assert.match(bar.tooltip, new RegExp(`Stale since .* UTC: Prometheus: cannot reach ${prom.url}/api/v1/query: .*\\(no response\\)\\. Showing the data of .* UTC\\.`));
    assert.match(await hoverText(ISSUES, 11, 22), /· \*\*stale\*\*/);
  });
});
