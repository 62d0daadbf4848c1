/**
 * The monthly report command's wording, without `vscode`: which months the quick pick offers, and
 * the document's text, rendered by the SDK's renderReportDocument as `budget-lens report --api <url>
 * --month <m>` prints it (src/cli/commands/report.ts). Unit tested in Node;
 * the extension-host suite `report` compares the document with the CLI's output.
 */
import { BACKEND_LABELS, backendDescription, previousMonthOf, renderReportDocument } from '../../sdk';
import type { MonthlyReport } from '../../sdk';
import type { BackendKind } from '../budgetBackend';
import type { Failure } from '../budgetCache';
import { notificationSafe } from './safeText';

/** How many months before the current one the quick pick offers. */
export const REPORT_PAST_MONTHS = 12;

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** One month of the quick pick. */
export interface ReportMonthChoice {
  /** 'YYYY-MM' */
  month: string;
  /** 'October 2026' */
  label: string;
  /** 'in progress' for the current month, else 'complete'. */
  description: string;
}

/** 'YYYY-MM' as the API takes it. */
export function isReportMonth(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/**
 * The current UTC month and the 12 before it, newest first; `defaultIndex` is the last complete
 * month (the one the report published on the 4th is about, as the CLI's default).
 */
export function reportMonthChoices(now: Date): { choices: ReportMonthChoice[]; defaultIndex: number } {
  const current = now.toISOString().slice(0, 7);
  const choices = Array.from({ length: REPORT_PAST_MONTHS + 1 }, (_, i): ReportMonthChoice => {
    const month = i === 0 ? current : previousMonthOf(current, i);
    return { month, label: `${MONTH_NAMES[Number(month.slice(5)) - 1] ?? month} ${month.slice(0, 4)}`, description: i === 0 ? 'in progress' : 'complete' };
  });
  return { choices, defaultIndex: 1 };
}

/**
 * Where the report came from, as the CLI's `--api` / `--prometheus` backend describes it
 * (`Budget API <url>`, `Prometheus <url>`; trailing slashes dropped).
 */
export function reportSourceText(apiUrl: string, backend: BackendKind = 'api'): string {
  return backendDescription(backend, apiUrl);
}

/**
 * The report document: the CLI's, from the same renderer. `asOf` is the answer's meta.asOf; a month
 * still in progress is evaluated at `now`, not at its (future) end.
 */
export function reportDocumentText(report: MonthlyReport, asOf: string, apiUrl: string, now: number, backend: BackendKind = 'api'): string {
  return renderReportDocument(report, { asOf, now, source: reportSourceText(apiUrl, backend) });
}

/** The error when there is no report to show: names the month, the request URL and the status. */
export function reportFailureText(month: string, apiUrl: string, failure: Failure | undefined, backend: BackendKind = 'api'): string {
  const label = BACKEND_LABELS[backend];
  if (failure === undefined) return notificationSafe(`Budget Lens: no report of ${month} to show: the ${label} at ${apiUrl} gave no answer before the URL or token changed or the wait was cancelled.`);
  const answered = failure.status === 0 ? 'did not answer' : `answered HTTP ${failure.status}`;
  const hint = failure.unauthorized ? ' Run "Budget Lens: Set API Token" with a token the server accepts.' : '';
  return notificationSafe(`Budget Lens: no report of ${month} to show: the ${label} at ${failure.url} ${answered}. ${failure.message}.${hint}`);
}
