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
import {
  availabilityFormulaText,
  dailySparklineText,
  formatAvailability,
  formatCount,
  formatMinutes,
  formatPercent,
  NO_DATA_TEXT,
  prometheusGraphUrl,
  scopeText,
  spendPartsText,
  spendRiseDay,
  windowRangeText,
} from '../../sdk';
import type { CommitInfo, CommitsTouching } from '../../sdk';
import type { AdjustedFigures, BudgetFigures, DailySeries, EndpointBudget, EndpointRow, GroupBudget, ResultMeta, ScopeAdjustment, SliCounts } from '../../sdk';
import type { Failure, Known } from '../budgetCache';
import { CONTRIBUTED_COMMANDS } from '../commandIds';
import { goToEndpointLink } from './mappingText';
import { escapeMarkdown, inlineCode, markdownLink, notificationSafe, oneLine, safeHttpUrl, statusBarSafe } from './safeText';

export { escapeMarkdown } from './safeText';
// The plain-text parts of "explain the number", shared with `budget-lens status --explain`.
export { dailySparklineText, spendPartsText, windowRangeText } from '../../sdk';

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

// ---- manual adjustments (issue 15 item 3, domain.md section 6): both figures, never silently one ----

/** Figures that may carry `adjusted` (a GroupBudget or CategoryBudget answer). */
export type MaybeAdjusted = BudgetFigures & { adjusted?: AdjustedFigures };

/**
 * The mark a leading figure gets when manual adjustments apply: ` (adjusted 0.00)`, the adjusted
 * value of the same minutes (`spent` or `remaining`) right after the measured one, which stays the
 * figure that leads (lens, tree description, status bar); '' without adjustments.
 */
export function adjustedMark(figures: MaybeAdjusted, which: 'spent' | 'remaining'): string {
  const a = figures.adjusted;
  if (!a) return '';
  const minutes = which === 'spent' ? a.spentMinutes : a.remainingMinutes;
  return ` (adjusted ${minutes === null ? NO_DATA_TEXT : budgetMinutesText(minutes)})`;
}

/** `2026-03-10 10:00:00` / `10:00` : an instant in UTC, seconds only when not zero. */
function utcMinute(iso: string): string {
  const t = new Date(Date.parse(iso)).toISOString();
  return t.slice(17, 19) === '00' ? `${t.slice(0, 10)} ${t.slice(11, 16)}` : `${t.slice(0, 10)} ${t.slice(11, 19)}`;
}

/** `2026-03-10 10:00 – 12:00 UTC` (one day), `2026-03-10 22:00 – 2026-03-11 02:00 UTC` (two). */
export function utcRangeText(from: string, to: string): string {
  const a = utcMinute(from);
  const b = utcMinute(to);
  return `${a} – ${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b} UTC`;
}

/** `1 manual adjustment` / `2 manual adjustments`. */
function adjustmentsCountText(n: number): string {
  return `${n} manual ${n === 1 ? 'adjustment' : 'adjustments'}`;
}

/** `removed 80 failures of 320 measurements (counted 2026-03-10 10:00 – 12:00 UTC)`: what one adjustment took out of this scope. */
export function removedText(a: ScopeAdjustment): string {
  return `removed ${formatCount(a.removedFailures)} ${a.removedFailures === 1 ? 'failure' : 'failures'} of ${formatCount(a.removedMeasurements)} measurements (counted ${utcRangeText(a.counted.start, a.counted.end)})`;
}

/** The adjusted figures in one plain line: `spent 0.00 of 20.16 budget-min (0 %), remaining 20.16, availability 100.000 %`. */
export function adjustedFiguresText(a: AdjustedFigures): string {
  if (a.spentMinutes === null || a.remainingMinutes === null) return `${NO_DATA_TEXT} (nothing measured once adjusted); budget ${budgetMinutesText(a.budgetMinutes)} budget-min`;
  return `spent ${budgetMinutesText(a.spentMinutes)} of ${budgetMinutesText(a.budgetMinutes)} budget-min (${spentShareText(a)}), remaining ${budgetMinutesText(a.remainingMinutes)}, availability ${formatAvailability(a.availability)}`;
}

/**
 * One adjustment in plain text (tooltips): `2026-03-10 10:00 – 12:00 UTC · all groups: Patroni
 * failover (https://…) · removed 80 failures of 320 measurements (counted …)`. Reason and link are
 * the backend's text, kept on one line.
 */
export function adjustmentPlainText(a: ScopeAdjustment): string {
  return oneLine(`${utcRangeText(a.from, a.to)} · ${scopeText(a.scope)}: ${a.reason}${a.link ? ` (${a.link})` : ''} · ${removedText(a)}`);
}

/**
 * Tooltip lines (status bar, tree) for adjusted figures: the adjusted figures, then each
 * adjustment; none without `adjusted`. The lines above them are the measured figures.
 */
export function adjustedTooltipLines(figures: MaybeAdjusted): string[] {
  const a = figures.adjusted;
  if (!a) return [];
  return [
    '',
    `Adjusted (${adjustmentsCountText(a.adjustments.length)} left out; the figures above are as measured): ${adjustedFiguresText(a)}`,
    ...a.adjustments.map((x) => `- ${adjustmentPlainText(x)}`),
  ];
}

/**
 * Markdown lines of the hover for adjusted figures: the adjusted spent, remaining and availability
 * (bold as the measured ones are), then each adjustment with its range, scope, reason (escaped),
 * link (a link only when it is http(s)) and what it removed.
 */
export function adjustedHoverLines(figures: MaybeAdjusted): string[] {
  const a = figures.adjusted;
  if (!a) return [];
  const lines = ['', `**Adjusted** (${adjustmentsCountText(a.adjustments.length)} left out; the figures above are as measured):`, ''];
  if (a.spentMinutes === null || a.remainingMinutes === null) lines.push(`- ${NO_DATA_TEXT} once adjusted (nothing measured); budget ${budgetMinutesText(a.budgetMinutes)} budget-min`);
  else {
    lines.push(
      `- spent **${budgetMinutesText(a.spentMinutes)}** of ${budgetMinutesText(a.budgetMinutes)} budget-min (${spentShareText(a)}) · remaining **${budgetMinutesText(a.remainingMinutes)}**${isExhausted(a) ? ' — exhausted' : ''}`,
      `- availability ${formatAvailability(a.availability)} (${failuresText(a.failures)} in ${formatCount(a.measurements)} measurements)`,
    );
  }
  for (const x of a.adjustments) {
    const link = x.link === undefined ? '' : ` · ${safeHttpUrl(x.link) !== undefined ? markdownLink('link', x.link) : escapeMarkdown(x.link)}`;
    lines.push(`- ${escapeMarkdown(`${utcRangeText(x.from, x.to)} · ${scopeText(x.scope)}`)}: ${escapeMarkdown(x.reason)}${link} · ${escapeMarkdown(removedText(x))}`);
  }
  return lines;
}

/**
 * The lens suffix for a category: `4.03 of 20.16 budget-min (20 %) · 28 d`, `(stale)` appended
 * when the figures are the last good ones after a failed refresh. No data (m = 0) says so rather
 * than 0 % or 100 %; bad instrumentation (f > m, s > w, e > o) is named instead of a figure.
 * With manual adjustments the measured spend leads and the adjusted one follows it:
 * `4.03 (adjusted 0.00) of 20.16 budget-min (20 %) · 28 d`.
 */
export function lensFiguresText(figures: MaybeAdjusted, stale: boolean): string {
  const window = windowText(figures.window.label);
  const budget = budgetMinutesText(figures.budgetMinutes);
  let text: string;
  if (figures.warnings.length > 0) text = `bad data (${figures.warnings.map((w) => w.code).join(', ')}) · ${budget} budget-min · ${window}`;
  else if (figures.spentMinutes === null) text = `${NO_DATA_TEXT}${adjustedMark(figures, 'spent')} · ${budget} budget-min · ${window}`;
  else text = `${budgetMinutesText(figures.spentMinutes)}${adjustedMark(figures, 'spent')} of ${budget} budget-min (${spentShareText(figures)}) · ${window}`;
  return stale ? `${text} (stale)` : text;
}

/** True when the budget is used up: remaining (F5) at or below zero. No data is not exhausted. */
export function isExhausted(figures: Pick<BudgetFigures, 'remainingMinutes'>): boolean {
  return figures.remainingMinutes !== null && figures.remainingMinutes <= 0;
}

/**
 * Status bar text: `Project Management: 14.11 budget-min left`, `… -1995.84 budget-min left`; with
 * manual adjustments `… 14.11 budget-min left (adjusted 20.16)`.
 */
export function statusBarBudgetText(group: Pick<GroupBudget, 'name' | 'remainingMinutes' | 'adjusted'>, stale: boolean): string {
  const adjusted = group.adjusted ? ` (adjusted ${group.adjusted.remainingMinutes === null ? NO_DATA_TEXT : budgetMinutesText(group.adjusted.remainingMinutes)})` : '';
  const left = group.remainingMinutes === null ? `${NO_DATA_TEXT}${adjusted}` : `${budgetMinutesText(group.remainingMinutes)} budget-min left${adjusted}`;
  return `${statusBarSafe(group.name)}: ${left}${stale ? ' (stale)' : ''}`;
}

/**
 * Minutes are not additive (issue 14): each scope's spend is its own failure ratio times the window,
 * so a group's minutes (its pooled ratio) are not the sum of its categories'. Said once, in a line.
 */
export const CATEGORY_NOT_ADDITIVE = "measured on this category's own traffic: categories' minutes do not add up to the group's";
export const GROUP_NOT_ADDITIVE = "from the group's pooled failures over all its measurements, not the sum of its categories' minutes";

/** Status bar tooltip lines: the group's figures, and the stale reason when there is one. */
export function statusBarBudgetTooltip(group: GroupBudget, failure: Failure | undefined, lastGoodAt: number | undefined, catalogChanges: readonly string[] = []): string {
  const lines = [
    oneLine(`${group.name} (${group.group}, stage ${group.stage}) · target ${group.target} % over ${windowText(group.window.label)}`),
    `availability ${formatAvailability(group.availability)}`,
    `spent ${group.spentMinutes === null ? NO_DATA_TEXT : budgetMinutesText(group.spentMinutes)} of ${budgetMinutesText(group.budgetMinutes)} budget-min`,
    `remaining ${group.remainingMinutes === null ? NO_DATA_TEXT : budgetMinutesText(group.remainingMinutes)} budget-min`,
  ];
  if (group.measurements > 0) lines.push(GROUP_NOT_ADDITIVE);
  if (isExhausted(group)) lines.push('The budget is exhausted: reliability work comes first.');
  lines.push(...adjustedTooltipLines(group));
  // Catalog history (issue 15 item 1): the lines come worded (panelText.ts catalogChangeText), one line each.
  if (catalogChanges.length > 0) lines.push('The catalog changed in the window: each hour counts for the group that owned its category then.', ...catalogChanges.map((c) => `  ${oneLine(c)}`));
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
  figures: MaybeAdjusted & { category: string; group: string };
  /** The category's group: its display name (local catalog) and, once fetched, its figures. */
  groupName: string;
  group: Pick<GroupBudget, 'remainingMinutes' | 'budgetMinutes' | 'adjusted'> | undefined;
  /** Up to 3 shown; `inWorkspace(id)` decides whether a row links to the code. */
  topEndpoints: readonly EndpointRow[] | undefined;
  /** True while the top endpoints are on their way (none known yet): the hover says so. */
  topEndpointsLoading?: boolean;
  inWorkspace(endpointId: string): boolean;
  /** Set when the shown figures are the last good ones. */
  failure: Failure | undefined;
  lastGoodAt: number | undefined;
  /** How the figures are computed (the explained part); omitted, the hover has none. */
  explain?: Omit<ExplainInput, 'counts' | 'scopeMeasurements'>;
  /**
   * What changed (issue 14 item 5): the commits git knows now for a failing endpoint this
   * workspace defines (undefined: not known yet, or not in the workspace); omitted, none shown.
   */
  changed?(endpointId: string): CommitsTouching | undefined;
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
    const adjusted = g.adjusted ? ` (adjusted ${g.adjusted.remainingMinutes === null ? NO_DATA_TEXT : budgetMinutesText(g.adjusted.remainingMinutes)})` : '';
    lines.push(`- group ${escapeMarkdown(input.groupName)} (${escapeMarkdown(f.group)}): ${left}${adjusted}${isExhausted(g) ? ' — exhausted' : ''}`);
  }
  lines.push(...adjustedHoverLines(f));
  const failing = (input.topEndpoints ?? []).filter((e) => e.failures > 0).slice(0, HOVER_TOP_ENDPOINTS);
  // The day the category's spend rose most, from its daily series when the hover knows it.
  const riseDay = input.explain?.daily && spendRiseDay(input.explain.daily.days);
  const rise = riseDay ? { date: riseDay.date, of: f.category } : undefined;
  if (input.topEndpoints === undefined && input.topEndpointsLoading) lines.push('', 'Failing endpoints: loading…');
  if (input.topEndpoints !== undefined) {
    lines.push('', failing.length === 0 ? 'No failing endpoint in the window.' : `Top failing endpoints (${failing.length}):`);
    for (const e of failing) {
      const name = inlineCode(e.endpointId);
      const where = input.inWorkspace(e.endpointId) ? goToEndpointLink(name, e.endpointId) : `${name} (not in this workspace)`;
      lines.push(`- ${where}: ${failuresText(e.failures)}, ${budgetMinutesText(e.spentMinutes)} budget-min (${escapeMarkdown(shareOfCategoryText(e.shareOfSpend, f.category))})`);
      const changed = input.changed?.(e.endpointId);
      const line = changed && changedHoverLine(e.endpointId, changed, rise);
      if (line) lines.push(line);
    }
  }
  if (input.explain && f.measurements > 0) lines.push(...explainHoverLines({ ...input.explain, counts: f.counts, scopeMeasurements: f.measurements }));
  if (input.failure) lines.push('', escapeMarkdown(staleReasonText(input.failure, input.lastGoodAt)));
  return lines;
}

// ---- what changed (issue 14 item 5): the commits that touched a top offender's code ----

/** The day a scope's spend rose most (src/sdk spendRiseDay), and whose spend it is. */
export interface SpendRiseText {
  date: string;
  of: string;
}

/**
 * A link that opens a commit (Show Commit runs `git show <sha> -- <the endpoint's file>` locally).
 * The arguments are the endpoint id (the host looks its root and file up) and the sha.
 */
export function showCommitLink(text: string, endpointId: string, sha: string): string {
  const args = encodeURIComponent(JSON.stringify([endpointId, sha])).replace(/\(/g, '%28').replace(/\)/g, '%29');
  return `[${text}](command:${CONTRIBUTED_COMMANDS.showCommit}?${args})`;
}

/** `2026-11-20`: a commit's date as its author wrote it (the ISO date's day). */
export function commitDay(commit: Pick<CommitInfo, 'date'>): string {
  return commit.date.slice(0, 10);
}

/** `— team_planning's spend rose most on 2026-11-21`, or '' without a rise. */
export function spendRoseText(rise: SpendRiseText | undefined): string {
  return rise ? ` — ${rise.of}'s spend rose most on ${rise.date}` : '';
}

/**
 * The hover's line under a failing endpoint: `changed: a1b2c3d 2026-11-20 "Fix board list" (Jane)`
 * (each sha a Show Commit link, at most 3, newest first) and the day the spend rose; `no commit
 * touched its code in the window` when git found none. Undefined when git could not say (not a
 * repository, untracked file): nothing worth a line in every hover. Subjects and authors are
 * untrusted text: escaped.
 */
export function changedHoverLine(endpointId: string, changed: CommitsTouching, rise: SpendRiseText | undefined): string | undefined {
  if (changed.reason !== undefined) return undefined;
  if (changed.commits.length === 0) return `  - no commit touched its code in the window${escapeMarkdown(spendRoseText(rise))}`;
  const commits = changed.commits.map((c) => `${showCommitLink(inlineCode(c.shortSha), endpointId, c.sha)} ${commitDay(c)} "${escapeMarkdown(c.subject)}" (${escapeMarkdown(c.author)})`);
  return `  - changed: ${commits.join('; ')}${escapeMarkdown(spendRoseText(rise))}`;
}

// ---- one endpoint's own figures (F15): the endpoint lens and hover ----

/** `50.00 % of team_planning's spend`: an endpoint's share, always saying of what (F15). */
export function shareOfCategoryText(share: number, category: string): string {
  return `${formatPercent(share)} of ${category}'s spend`;
}

/** `99.970 % ≥ 99.95 %` or `99.935 % < 99.95 %`: own availability against the target. */
export function ownVsTargetText(e: Pick<EndpointBudget, 'ownAvailability' | 'target' | 'belowTarget'>): string {
  return `${formatAvailability(e.ownAvailability)} ${e.belowTarget ? '<' : '≥'} ${e.target} %`;
}

/** `#1 of 5 in team_planning`; undefined for an endpoint that did not fail. */
export function rankText(e: Pick<EndpointBudget, 'rank' | 'offenders' | 'category'>): string | undefined {
  return e.rank === null || e.category === null ? undefined : `#${e.rank} of ${e.offenders} in ${e.category}`;
}

/**
 * An endpoint lens's figures (F15), plain text: `3 failures · 1.92 budget-min (50.00 % of
 * team_planning's spend) · 99.935 % < 99.95 % · #1 of 5 in team_planning`; `no traffic` when it
 * had none; `(stale)` appended after a failed refresh. The adapter adds the warning icon.
 */
export function endpointLensText(e: EndpointBudget, stale: boolean): string {
  // An answer's figures never change in place: a refresh brings new objects. The decimal
  // rounding of three figures is most of a lens's cost, and VS Code asks again on every redraw
  // (`npm run bench:extension`: a 200-action controller's lenses 1.2 -> 0.3 ms).
  const memo = endpointLensTexts.get(e);
  if (memo !== undefined) return stale ? `${memo} (stale)` : memo;
  const text = endpointLensPlainText(e);
  endpointLensTexts.set(e, text);
  return stale ? `${text} (stale)` : text;
}

/** endpointLensText per answer object, without the `(stale)` mark. */
const endpointLensTexts = new WeakMap<EndpointBudget, string>();

function endpointLensPlainText(e: EndpointBudget): string {
  let text: string;
  if (e.measurements === 0 || e.category === null) text = 'no traffic';
  // Traffic without a failure spends nothing: no minutes or share to show, only that it holds.
  else if (e.failures === 0) text = `no failures · ${ownVsTargetText(e)}`;
  else {
    const rank = rankText(e);
    text = `${failuresText(e.failures)} · ${budgetMinutesText(e.spentMinutes)} budget-min (${shareOfCategoryText(e.shareOfSpend, e.category)}) · ${ownVsTargetText(e)}${rank ? ` · ${rank}` : ''}`;
  }
  return text;
}

/** An endpoint lens's suffix: `namesCategory` when the text names the category itself (no prefix needed); `warning` below the target. */
export interface EndpointLensFigure extends LensFigure {
  namesCategory: boolean;
  warning: boolean;
}

/** What an endpoint lens says from what is known now (as lensFigure for a category); undefined without a backend. */
export function endpointLensFigure(entry: Known<EndpointBudget> | undefined): EndpointLensFigure | undefined {
  if (entry === undefined) return undefined;
  const e = entry.value;
  if (e !== undefined) {
    const stale = entry.failure !== undefined;
    return {
      text: endpointLensText(e, stale),
      namesCategory: e.measurements > 0 && e.category !== null,
      warning: e.belowTarget,
      ...(entry.failure ? { problem: staleReasonText(entry.failure, entry.fetchedAt) } : {}),
    };
  }
  if (entry.failure) return { text: noDataLensText(entry.failure), problem: failingReasonText(entry.failure), namesCategory: false, warning: false };
  return { text: LOADING_LENS_TEXT, namesCategory: false, warning: false };
}

/** What the explained part of a hover is made of. */
export interface ExplainInput {
  /** The counts the figure comes from (a category's, or one endpoint's). */
  counts: SliCounts;
  /** m of the scope the spend is measured against (the category's, F15). */
  scopeMeasurements: number;
  /** The answer's meta: the window's start and end, and the query behind it. */
  meta: ResultMeta | undefined;
  /** The category's daily series (the sparkline); undefined when not known (yet). */
  daily?: DailySeries | undefined;
  dailyLoading?: boolean;
}

/**
 * Markdown lines saying where a figure comes from: F1 with the window's counts, the window's start
 * and end, the spend's apdex and error parts, the daily sparkline (categories), and the query
 * behind it (each PromQL with an "Open in Prometheus" link to its graph page, or the store file).
 * Backend text (queries, URLs, paths) only as code spans; the link's URL percent-encoded.
 */
export function explainHoverLines(input: ExplainInput): string[] {
  const lines = ['', '**How it is computed**', ''];
  const m = input.meta;
  if (m) lines.push(`- ${windowRangeText(m)}`);
  lines.push(`- availability ${inlineCode(availabilityFormulaText(input.counts))}`);
  if (m && input.scopeMeasurements > 0) lines.push(`- ${spendPartsText(input.counts, input.scopeMeasurements, m.window)}`);
  if (input.daily) lines.push(`- daily spend: ${inlineCode(dailySparklineText(input.daily))}`);
  else if (input.dailyLoading) lines.push('- daily spend: loading…');
  if (m) lines.push(...provenanceLines(m));
  return lines;
}

function provenanceLines(meta: ResultMeta): string[] {
  const p = meta.provenance;
  if (p.kind === 'store') return [`- source: the store ${inlineCode(p.source)} (SQL over its hourly and daily rollups)`];
  const lines = [`- PromQL sent to ${inlineCode(p.source)}:`];
  for (const q of p.queries) {
    const url = prometheusGraphUrl(p.source, q);
    lines.push(`  - ${inlineCode(q)}${url ? ` · [Open in Prometheus](${url})` : ''}`);
  }
  return lines;
}

/** What an endpoint's hover shows (on its definition line). */
export interface EndpointHoverInput {
  endpointId: string;
  /** The category the index maps it to (the figures name the one its traffic came under). */
  category: string;
  entry: Known<EndpointBudget> | undefined;
  meta: ResultMeta | undefined;
}

/**
 * Markdown lines of the endpoint hover: its own figures (F15), labelled, with the warning below
 * the target, its rank, and how they are computed; loading, failing and no-traffic states.
 */
export function endpointHoverLines(input: EndpointHoverInput): string[] {
  const head = `**Endpoint** ${inlineCode(input.endpointId)}`;
  const entry = input.entry;
  if (!entry) return [];
  const e = entry.value;
  if (e === undefined) {
    if (entry.failure) return ['', `${head} · **no data** (${escapeMarkdown(failureSummary(entry.failure))})`, '', escapeMarkdown(failingReasonText(entry.failure))];
    return ['', `${head} · loading…`];
  }
  const window = input.meta ? ` over ${windowText(input.meta.window.label)}` : '';
  const lines = ['', `${head} · target ${escapeMarkdown(e.target)} %${window}${entry.failure ? ' · **stale**' : ''}`, ''];
  if (e.measurements === 0 || e.category === null) {
    lines.push(`- no traffic in the window (nothing measured under ${escapeMarkdown(input.category)})`);
  } else {
    const cat = escapeMarkdown(e.category);
    lines.push(
      `- ${e.belowTarget ? '⚠ ' : ''}own availability ${ownVsTargetText(e)}${e.belowTarget ? ' — **below the target**' : ''} (${failuresText(e.failures)} in ${formatCount(e.measurements)} measurements)`,
      `- ${budgetMinutesText(e.spentMinutes)} budget-min, ${escapeMarkdown(shareOfCategoryText(e.shareOfSpend, e.category))}`,
      `- ${rankText(e) ? escapeMarkdown(`#${e.rank} of ${e.offenders}`) + ` failing endpoints in ${cat}` : `no failure: not among ${cat}'s ${e.offenders} failing endpoints`}`,
    );
    lines.push(...explainHoverLines({ counts: e.counts, scopeMeasurements: e.categoryMeasurements, meta: input.meta }));
  }
  if (entry.failure) lines.push('', escapeMarkdown(staleReasonText(entry.failure, entry.fetchedAt)));
  return lines;
}
