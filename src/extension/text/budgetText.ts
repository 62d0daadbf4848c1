/**
 * What the editor says about budget figures, as plain strings: the CodeLens suffix, the hover's
 * budget section, the status bar text and tooltip, and why data is stale. No `vscode` import, so
 * every wording and rounding is unit tested in plain Node (test/unit/extension/budgetText.test.ts).
 *
 * Figures arrive exact from the Budget API (20.16, not 20.15999999999778) and are rounded here
 * only for display, through the SDK's formatters (domain.md section 2, "Precision"). Backend text
 * goes through safeText.ts: endpoint ids as code spans, messages and names fully escaped, on one
 * line, in Markdown; on one line in plain text (status bar, tooltips).
 */
import { formatAvailability, formatMinutes, formatPercent, NO_DATA_TEXT } from '../../sdk';
import type { BudgetFigures, EndpointRow, GroupBudget } from '../../sdk';
import type { Failure, Known } from '../budgetCache';
import { goToEndpointLink } from './mappingText';
import { escapeMarkdown, inlineCode, notificationSafe, oneLine, statusBarSafe } from './safeText';

export { escapeMarkdown } from './safeText';

/** Minutes with two decimals and no unit: 4.032 -> "4.03", -1995.84 -> "-1995.84". */
export function budgetMinutesText(minutes: number): string {
  return formatMinutes(minutes).slice(0, -' min'.length);
}

/** A window label as people write it: "28d" -> "28 d", "6h" -> "6 h"; anything else unchanged. */
export function windowText(label: string): string {
  const m = /^(\d+)([dh])$/.exec(label);
  return m ? `${m[1]} ${m[2]}` : label;
}

/**
 * The share of the budget spent, as a whole percentage: spent / budget = 1 - F6.
 * 4.032 of 20.16 -> "20 %"; 30.24 of 20.16 -> "150 %".
 */
export function spentShareText(figures: Pick<BudgetFigures, 'remainingFraction'>): string {
  return figures.remainingFraction === null ? NO_DATA_TEXT : formatPercent(1 - figures.remainingFraction, 0);
}

/**
 * The lens suffix for a category: `4.03 of 20.16 budget-min (20 %) · 28 d`, `(stale)` appended
 * when the figures are the last good ones after a failed refresh. No data (m = 0) says so rather
 * than 0 % or 100 %; bad instrumentation (f > m, s > w, e > o) is named instead of a figure.
 */
export function lensFiguresText(figures: BudgetFigures, stale: boolean): string {
  const window = windowText(figures.window.label);
  const budget = budgetMinutesText(figures.budgetMinutes);
  let text: string;
  if (figures.warnings.length > 0) text = `bad data (${figures.warnings.map((w) => w.code).join(', ')}) · ${budget} budget-min · ${window}`;
  else if (figures.spentMinutes === null) text = `${NO_DATA_TEXT} · ${budget} budget-min · ${window}`;
  else text = `${budgetMinutesText(figures.spentMinutes)} of ${budget} budget-min (${spentShareText(figures)}) · ${window}`;
  return stale ? `${text} (stale)` : text;
}

/** True when the budget is used up: remaining (F5) at or below zero. No data is not exhausted. */
export function isExhausted(figures: Pick<BudgetFigures, 'remainingMinutes'>): boolean {
  return figures.remainingMinutes !== null && figures.remainingMinutes <= 0;
}

/** Status bar text: `Project Management: 14.11 budget-min left`, `… -1995.84 budget-min left`. */
export function statusBarBudgetText(group: Pick<GroupBudget, 'name' | 'remainingMinutes'>, stale: boolean): string {
  const left = group.remainingMinutes === null ? NO_DATA_TEXT : `${budgetMinutesText(group.remainingMinutes)} budget-min left`;
  return `${statusBarSafe(group.name)}: ${left}${stale ? ' (stale)' : ''}`;
}

/** Status bar tooltip lines: the group's figures, and the stale reason when there is one. */
export function statusBarBudgetTooltip(group: GroupBudget, failure: Failure | undefined, lastGoodAt: number | undefined): string {
  const lines = [
    oneLine(`${group.name} (${group.group}, stage ${group.stage}) · target ${group.target} % over ${windowText(group.window.label)}`),
    `availability ${formatAvailability(group.availability)}`,
    `spent ${group.spentMinutes === null ? NO_DATA_TEXT : budgetMinutesText(group.spentMinutes)} of ${budgetMinutesText(group.budgetMinutes)} budget-min`,
    `remaining ${group.remainingMinutes === null ? NO_DATA_TEXT : budgetMinutesText(group.remainingMinutes)} budget-min`,
  ];
  if (isExhausted(group)) lines.push('The budget is exhausted: reliability work comes first.');
  if (failure) lines.push('', staleReasonText(failure, lastGoodAt));
  return lines.join('\n');
}

/** `2026-11-22 11:03:04 UTC` (the time of the last good data; always UTC so tests and logs agree). */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * Why figures are stale: what failed (the client's message already names the status and URL),
 * and since when the shown figures date. `Stale: Budget API unreachable: connect ECONNREFUSED …
 * (no response from http://…/categories?names=…). Showing the data of 2026-11-22 11:03:04 UTC.`
 */
export function staleReasonText(failure: Failure, lastGoodAt: number | undefined): string {
  if (lastGoodAt === undefined) return failingReasonText(failure);
  return `Stale since ${utcTime(failure.at)}: ${oneLine(failure.message)}. Showing the data of ${utcTime(lastGoodAt)}.`;
}

/**
 * Why there are no figures at all: nothing ever loaded, so nothing is stale. `Failing since
 * 2026-11-22 11:05:00 UTC: Budget API unreachable: … (no response from http://…). No budget data
 * has loaded yet.`
 */
export function failingReasonText(failure: Failure): string {
  return `Failing since ${utcTime(failure.at)}: ${oneLine(failure.message)}. No budget data has loaded yet.`;
}

/**
 * What failed, in a few words for a lens or a tree item: `unreachable` (no answer), `token
 * refused: HTTP 401`, `HTTP 503`. The full message (URL, reason) goes in the tooltip.
 */
export function failureSummary(failure: Pick<Failure, 'status' | 'unauthorized'>): string {
  if (failure.status === 0) return 'backend unreachable';
  if (failure.unauthorized || failure.status === 401) return 'token refused: HTTP 401';
  if (failure.status === 403) return 'access denied: HTTP 403';
  if (failure.status === 404) return 'unknown to the backend: HTTP 404';
  return `HTTP ${failure.status}`;
}

/**
 * The status bar when no figures ever loaded for the group: its name (from the local catalog, or
 * its key) and what failed. Text without the adapter's `$(warning)` icon; both on one line each.
 */
export function noBudgetDataStatusBar(name: string, group: string, failure: Failure): { text: string; tooltip: string } {
  return {
    text: `${statusBarSafe(name)}: no budget data`,
    tooltip: `${oneLine(`${name} (${group})`)}: ${failingReasonText(failure)}\nClick to check the budget backend.`,
  };
}

/** The lens suffix when no figures ever loaded: `no budget data (backend unreachable)`. */
export function noDataLensText(failure: Failure): string {
  return `no budget data (${failureSummary(failure)})`;
}

/** The lens suffix while a category's first figures are on their way. */
export const LOADING_LENS_TEXT = 'loading budget…';

/** A lens's budget suffix; `problem` (why the figures are stale or missing) makes a click open Check Budget Backend. */
export interface LensFigure {
  text: string;
  problem?: string;
}

/**
 * A lens's budget suffix from what is known now: the figures (marked stale after a failed
 * refresh), what failed when nothing ever loaded, else "loading" (the answer is on its way);
 * undefined without a backend.
 */
export function lensFigure(entry: Known<BudgetFigures> | undefined): LensFigure | undefined {
  if (entry === undefined) return undefined;
  if (entry.value !== undefined) return { text: lensFiguresText(entry.value, entry.failure !== undefined), ...(entry.failure ? { problem: staleReasonText(entry.failure, entry.fetchedAt) } : {}) };
  // Never loaded and failing: say so on the lens (with what failed), never a silent plain lens.
  if (entry.failure) return { text: noDataLensText(entry.failure), problem: failingReasonText(entry.failure) };
  return { text: LOADING_LENS_TEXT };
}

/** The hover's budget section while a category's first figures are on their way. */
export function budgetLoadingHoverLines(category: string): string[] {
  return ['', `**Budget** of ${escapeMarkdown(category)} · loading…`];
}

/** Where a failing backend is fixed: the command that sets its URL, and its token. */
export interface FixCommands {
  setUrl: string;
  setToken: string;
  retry: string;
}

/** A `command:` link with JSON arguments, as VS Code's trusted Markdown takes it. */
function commandLink(title: string, command: string): string {
  return `[${title}](command:${command})`;
}

/**
 * The hover's budget section when no figures ever loaded for the category: what failed, where
 * (the message names the URL and status) and the links that fix it — retry, change the URL, and
 * the token after a 401.
 */
export function budgetFailureHoverLines(category: string, failure: Failure, fix: FixCommands): string[] {
  const links = [commandLink('Retry', fix.retry), commandLink('Change the backend URL', fix.setUrl)];
  if (failure.unauthorized) links.push(commandLink('Set API Token', fix.setToken));
  return ['', `**Budget** of ${escapeMarkdown(category)} · **no data** (${escapeMarkdown(failureSummary(failure))})`, '', escapeMarkdown(failingReasonText(failure)), '', links.join(' · ')];
}

/** A problem with the budget backend, as the Check Budget Backend command words it. */
export interface BackendProblem {
  message: string;
  /** The buttons, in order. */
  actions: Array<'Retry' | 'Change URL' | 'Set API Token' | 'Show Log'>;
}

/**
 * What Check Budget Backend says: the latest failure (stale or never loaded) with its fix, or that
 * all is well. `lastGoodAt` is the newest good answer of any key.
 */
export function backendProblemText(backend: string, url: string, failure: Failure | undefined, lastGoodAt: number | undefined): BackendProblem {
  if (!failure) {
    const when = lastGoodAt === undefined ? 'no figure has been asked for yet' : `last answer ${utcTime(lastGoodAt)}`;
    return { message: notificationSafe(`Budget Lens: ${backend} ${url} answers (${when}).`), actions: ['Show Log'] };
  }
  const reason = lastGoodAt === undefined ? failingReasonText(failure) : staleReasonText(failure, lastGoodAt);
  const actions: BackendProblem['actions'] = ['Retry', 'Change URL'];
  if (failure.unauthorized) actions.push('Set API Token');
  actions.push('Show Log');
  // Shown in a notification, where `[x](command:y)` would be a link: notificationSafe.
  return { message: notificationSafe(`Budget Lens: ${reason}`), actions };
}

function failuresText(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'failure' : 'failures'}`;
}

/** What the hover's budget section shows for one category. */
export interface BudgetHoverInput {
  figures: BudgetFigures & { category: string; group: string };
  /** The category's group: its display name (local catalog) and, once fetched, its figures. */
  groupName: string;
  group: Pick<GroupBudget, 'remainingMinutes' | 'budgetMinutes'> | undefined;
  /** Up to 3 shown; `inWorkspace(id)` decides whether a row links to the code. */
  topEndpoints: readonly EndpointRow[] | undefined;
  /** True while the top endpoints are on their way (none known yet): the hover says so. */
  topEndpointsLoading?: boolean;
  inWorkspace(endpointId: string): boolean;
  /** Set when the shown figures are the last good ones. */
  failure: Failure | undefined;
  lastGoodAt: number | undefined;
}

export const HOVER_TOP_ENDPOINTS = 3;

/**
 * Markdown lines of the hover's budget section: the category's spent and remaining minutes and
 * availability, its group's remaining minutes, the top 3 failing endpoints (links to their code
 * when the workspace defines them), and the stale reason when the figures are the last good ones.
 */
export function budgetHoverLines(input: BudgetHoverInput): string[] {
  const f = input.figures;
  const window = windowText(f.window.label);
  const lines = ['', `**Budget** of ${escapeMarkdown(f.category)} · target ${escapeMarkdown(f.target)} % over ${window}${input.failure ? ' · **stale**' : ''}`, ''];
  if (f.spentMinutes === null || f.remainingMinutes === null) {
    lines.push(`- no data for this category in the window (nothing measured); budget ${budgetMinutesText(f.budgetMinutes)} budget-min`);
  } else {
    lines.push(
      `- spent **${budgetMinutesText(f.spentMinutes)}** of ${budgetMinutesText(f.budgetMinutes)} budget-min (${spentShareText(f)})`,
      `- remaining **${budgetMinutesText(f.remainingMinutes)}** budget-min${isExhausted(f) ? ' — exhausted: reliability work comes first' : ''}`,
      `- availability ${formatAvailability(f.availability)} (${failuresText(f.failures)} in ${f.measurements.toLocaleString('en-US')} measurements)`,
    );
  }
  for (const w of f.warnings) lines.push(`- data-quality warning: ${escapeMarkdown(w.message)}`);
  const g = input.group;
  if (g) {
    const left = g.remainingMinutes === null ? NO_DATA_TEXT : `${budgetMinutesText(g.remainingMinutes)} of ${budgetMinutesText(g.budgetMinutes)} budget-min left`;
    lines.push(`- group ${escapeMarkdown(input.groupName)} (${escapeMarkdown(f.group)}): ${left}${isExhausted(g) ? ' — exhausted' : ''}`);
  }
  const failing = (input.topEndpoints ?? []).filter((e) => e.failures > 0).slice(0, HOVER_TOP_ENDPOINTS);
  if (input.topEndpoints === undefined && input.topEndpointsLoading) lines.push('', 'Failing endpoints: loading…');
  if (input.topEndpoints !== undefined) {
    lines.push('', failing.length === 0 ? 'No failing endpoint in the window.' : `Top failing endpoints (${failing.length}):`);
    for (const e of failing) {
      const name = inlineCode(e.endpointId);
      const where = input.inWorkspace(e.endpointId) ? goToEndpointLink(name, e.endpointId) : `${name} (not in this workspace)`;
      lines.push(`- ${where}: ${failuresText(e.failures)}, ${budgetMinutesText(e.spentMinutes)} budget-min (${formatPercent(e.shareOfSpend)} of the spend)`);
    }
  }
  if (input.failure) lines.push('', escapeMarkdown(staleReasonText(input.failure, input.lastGoodAt)));
  return lines;
}
