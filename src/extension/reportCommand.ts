/**
 * Monthly Error-Budget Report: a quick pick of the month (the current one and the 12 before it,
 * the last complete month active), the report read from BudgetData (cached, stale and 401
 * handled like every figure; the command waits, under a cancellable progress notification, until
 * the report is no longer on its way, as BudgetData's onDidChange tells), rendered as `budget-lens report --api <url>` prints it
 * (text/reportText.ts), and opened beside as an untitled Markdown document with an
 * "Open Preview" action. Reached from the palette, the Group budget view's title menu and the
 * budget panel's Monthly Report button.
 */
import * as vscode from 'vscode';
import type { Known } from './budgetCache';
import type { BudgetData, ReportAnswer } from './budgetData';
import type { BudgetSession } from './budgetSession';
import { staleReasonText } from './text/budgetText';
import { isReportMonth, reportDocumentText, reportFailureText, reportMonthChoices } from './text/reportText';
import { notificationSafe } from './text/safeText';

/** What the command did (returned so the extension-host tests can check it). */
export type ReportOutcome =
  | { kind: 'opened'; month: string; uri: string; stale: boolean }
  | { kind: 'failed'; month: string | undefined; message: string };

const OPEN_PREVIEW = 'Open Preview';
/** Longest the command waits for the report (the client's own timeout is 10 s per try). */
const REPORT_WAIT_MS = 60_000;

/**
 * The report of `month` once it is not on its way any more (a user asked for it: the one place
 * that waits for an answer, never a lens or a hover), or as known when `token` is cancelled or
 * REPORT_WAIT_MS pass. Reading it starts the fetch when the month is unknown or old.
 */
function settledReport(budget: BudgetData, month: string, token: vscode.CancellationToken): Promise<Known<ReportAnswer> | undefined> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const known = budget.report(month);
      if (known?.loading === true && !token.isCancellationRequested) return false;
      finish(known);
      return true;
    };
    const timer = setTimeout(() => finish(budget.report(month)), REPORT_WAIT_MS);
    const subs = [budget.onDidChange(() => void check()), token.onCancellationRequested(() => void check())];
    let done = false;
    const finish = (known: Known<ReportAnswer> | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const s of subs) s.dispose();
      resolve(known);
    };
    check();
  });
}

/** The month quick pick; undefined when dismissed. */
async function pickMonth(): Promise<string | undefined> {
  const { choices, defaultIndex } = reportMonthChoices(new Date());
  const items = choices.map((c) => ({ label: c.label, description: `${c.month} · ${c.description}`, month: c.month }));
  const pick = vscode.window.createQuickPick<(typeof items)[number]>();
  pick.title = 'Budget Lens: Monthly Error-Budget Report';
  pick.placeholder = 'The month to report (UTC calendar month)';
  pick.items = items;
  const preselected = items[defaultIndex];
  if (preselected) pick.activeItems = [preselected];
  try {
    return await new Promise<string | undefined>((resolve) => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0]?.month ?? pick.activeItems[0]?.month));
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

/** The command; `monthArg` ('YYYY-MM') skips the quick pick. Undefined when the pick or the wait was dismissed. */
export async function monthlyReport(session: BudgetSession, budget: BudgetData, monthArg?: unknown): Promise<ReportOutcome | undefined> {
  const fail = (month: string | undefined, message: string): ReportOutcome => {
    void vscode.window.showErrorMessage(notificationSafe(message));
    return { kind: 'failed', month, message };
  };
  if (!session.enabled) return fail(undefined, 'Budget Lens: no Budget API configured: set budgetLens.api.url to the URL of `budget-lens serve`, or budgetLens.prometheus.url (Prometheus waits for the workspace\'s catalog).');
  const month = isReportMonth(monthArg) ? monthArg : await pickMonth();
  if (month === undefined) return undefined;
  const { entry, cancelled } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Budget Lens: the report of ${month}…`, cancellable: true },
    async (_progress, token) => ({ entry: await settledReport(budget, month, token), cancelled: token.isCancellationRequested }),
  );
  // Cancelled by the user: nothing to say (the request finishes in the background and is cached).
  if (cancelled && !entry?.value) return undefined;
  const backend = session.backend ?? 'api';
  if (!entry?.value) return fail(month, reportFailureText(month, session.apiUrl, entry?.failure, backend));
  // The figures were computed when fetched: a month in progress is evaluated then, as the CLI does right after its request.
  const text = reportDocumentText(entry.value.report, entry.value.asOf, session.apiUrl, entry.fetchedAt ?? Date.now(), backend);
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  const stale = entry.failure !== undefined;
  const note = entry.failure
    ? vscode.window.showWarningMessage(notificationSafe(`Budget Lens: the report of ${month} is the last good one. ${staleReasonText(entry.failure, entry.fetchedAt)}`), OPEN_PREVIEW)
    : vscode.window.showInformationMessage(`Budget Lens: the report of ${month} is open beside.`, OPEN_PREVIEW);
  void note.then((picked) => {
    if (picked === OPEN_PREVIEW) void vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  });
  return { kind: 'opened', month, uri: doc.uri.toString(), stale };
}
