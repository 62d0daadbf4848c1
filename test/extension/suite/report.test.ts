/**
 * Monthly Error-Budget Report against a REAL Budget API (the budgetData suite's launcher:
 * dist/cli.js ingests the log below and serves it with a token on 127.0.0.1). The document must be
 * what `budget-lens report --api <url> --month <m>` prints from the same server.
 *
 * The log: the panelTree suite's team_planning lines, all on the 15th of the last complete month
 * at 12:00 UTC: #index 10000 low, 3 take 6 s; #create 5001 high, 2 answer 500; #show 2000 low,
 * 1 takes 6 s; #update 3000 default -> f = 3 + 2 + 1 = 6, m = 20000 + 10000 + 4000 + 6000 = 40000.
 * The report's window is that calendar month (D days, D * 1440 min): spent 6 * 1440 D / 40000,
 * budget 0.0005 * 1440 D; for October 2026 (31 d, 44640 min): 6.696 -> "6.70 min" of 22.32 min,
 * remaining 15.62 min, availability 1 - 6/40000 = 99.985 % (what `budget-lens report --store`
 * printed for that log and month).
 */
import assert from 'node:assert/strict';

import * as vscode from 'vscode';
import type { ReportOutcome } from '../../../src/extension/reportCommand';
import { previousMonthOf } from '../../../src/sdk/report/reportWindow';
import type { BudgetApiProcess } from './budgetApiProcess';
import { ingestLogs, runCli, startBudgetApi } from './budgetApiProcess';
import { issuesControllerLines } from './budgetLog';
import { eventually, extensionPath, setSetting, testState, leaveBudgetApi } from './helpers';

const TOKEN = 'budget-lens-report-token';


const untitledMarkdown = (): vscode.TextDocument[] => vscode.workspace.textDocuments.filter((d) => d.isUntitled && d.languageId === 'markdown' && !d.isClosed);

function documentOf(outcome: ReportOutcome | undefined): vscode.TextDocument {
  assert.equal(outcome?.kind, 'opened', JSON.stringify(outcome));
  const uri = outcome.kind === 'opened' ? outcome.uri : '';
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  assert.ok(doc, `no open document ${uri}`);
  return doc;
}

describe('monthly report from a real Budget API', function () {
  this.timeout(120_000);
  const thisMonth = new Date().toISOString().slice(0, 7);
  const lastMonth = previousMonthOf(thisMonth);
  let dir: string;
  let repo: string;
  let api: BudgetApiProcess;

  /** What the CLI prints for `month` from the same server. */
  const cliReport = (month: string): Promise<string> =>
    runCli(repo, ['report', '--api', api.url, '--month', month], dir, { env: { BUDGET_LENS_TOKEN: TOKEN }, stdoutOnly: true });

  before(async () => {
    assert.equal((await testState()).phase, 'ready');
    repo = extensionPath();
    const time = `${lastMonth}-15T12:00:00.000Z`;
    const ingested = await ingestLogs(repo, 'budget-lens-ext-report-', { 'production_json.log': issuesControllerLines(time) });
    dir = ingested.dir;
    api = await startBudgetApi({ repo, ...ingested, token: TOKEN, cwd: dir });
    await setSetting('api.url', api.url);
    await eventually('the URL configured', async () => ((await testState()).budget.url === api.url ? true : undefined));
    assert.equal(await vscode.commands.executeCommand('budgetLens.setApiToken', TOKEN), true);
  });

  after(async () => {
    // Untitled documents with content are dirty: revert them, or closing would ask to save.
    for (const doc of untitledMarkdown()) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await leaveBudgetApi(api, { dir });
  });

  it("opens the month's report beside as untitled Markdown, the CLI's text exactly", async () => {
    const outcome = await vscode.commands.executeCommand<ReportOutcome>('budgetLens.monthlyReport', lastMonth);
    const doc = documentOf(outcome);
    assert.equal(doc.languageId, 'markdown');
    assert.equal(doc.isUntitled, true);
    assert.equal(vscode.window.activeTextEditor?.document, doc);
    const expected = await cliReport(lastMonth);
    assert.equal(doc.getText(), expected);
    // The figures themselves, by hand (header): D days of the month.
    const minutes = Number(new Date(Date.parse(`${thisMonth}-01T00:00:00Z`) - 1).toISOString().slice(8, 10)) * 1440;
    const spent = ((6 * minutes) / 40000).toFixed(2);
    const budget = (0.0005 * minutes).toFixed(2);
    assert.ok(
      doc.getText().includes(`| Project Management (\`project_management\`) | 99.95 % | 99.985 % | ${spent} min / ${budget} min |`),
      doc.getText().split('\n').filter((l) => l.includes('project_management')).join('\n'),
    );
    assert.match(doc.getText(), new RegExp(`^# Error budget report ${lastMonth}\n`));
    assert.ok(doc.getText().endsWith(`\n_Source: Budget API ${api.url}._\n`));
    assert.deepEqual((await testState()).budget.reports.map((r) => [r.key, r.hasValue, r.stale]), [[lastMonth, true, false]]);
  });

  it("the panel's Monthly Report button shows the month pick; accepting it takes the last complete month", async () => {
    const before = (await testState()).budget.requests;
    let settled: ReportOutcome | undefined | 'pending' = 'pending';
    const running = Promise.resolve(vscode.commands.executeCommand<ReportOutcome | undefined>('budgetLens._testPanelMessage', { type: 'monthlyReport' })).then((o) => (settled = o));
    // The quick pick opens asynchronously: accept its active item once it is there.
    await eventually('the month quick pick accepted', async () => {
      if (settled !== 'pending') return true;
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return undefined;
    });
    const outcome = await running;
    assert.equal(outcome?.kind === 'opened' ? outcome.month : outcome, lastMonth);
    assert.equal(documentOf(outcome).getText(), await cliReport(lastMonth));
    // The month was cached by the previous test (within the refresh interval): no new request.
    assert.equal((await testState()).budget.requests, before);
  });

  it('a token the server refuses: the error names the URL and HTTP 401, no document', async () => {
    const month = previousMonthOf(thisMonth, 2);
    const docs = untitledMarkdown().length;
    assert.equal(await vscode.commands.executeCommand('budgetLens.setApiToken', 'not-the-token'), true);
    const outcome = await vscode.commands.executeCommand<ReportOutcome>('budgetLens.monthlyReport', month);
    assert.equal(outcome?.kind, 'failed', JSON.stringify(outcome));
    assert.match(outcome.message, new RegExp(`^Budget Lens: no report of ${month} to show: the Budget API at ${api.url}/api/v1/report\\?month=${month} answered HTTP 401\\. `));
    assert.match(outcome.message, /Run "Budget Lens: Set API Token"/);
    assert.equal(untitledMarkdown().length, docs);
    assert.equal(await vscode.commands.executeCommand('budgetLens.setApiToken', TOKEN), true);
  });

  it('a stopped server: the error names the URL and that it did not answer, no document', async () => {
    const month = previousMonthOf(thisMonth, 3);
    const docs = untitledMarkdown().length;
    await api.stop();
    const outcome = await vscode.commands.executeCommand<ReportOutcome>('budgetLens.monthlyReport', month);
    assert.equal(outcome?.kind, 'failed', JSON.stringify(outcome));
    assert.match(outcome.message, new RegExp(`^Budget Lens: no report of ${month} to show: the Budget API at ${api.url}/api/v1/report\\?month=${month} did not answer\\. `));
    assert.equal(untitledMarkdown().length, docs);
    const report = (await testState()).budget.reports.find((r) => r.key === month);
    assert.deepEqual([report?.hasValue, report?.failure?.status], [false, 0]);
  });
});
