/**
 * What the group tree and the budget panel say, as plain data: the tree items' descriptions and
 * tooltips, a budget's state (its icon and colour), and the panel's worded PanelData. No `vscode`
 * import, so every wording and rounding is unit tested in Node (test/unit/extension/panelText.test.ts).
 * Rounding goes through the SDK's formatters (display only; the figures arrive exact).
 */
import { endpointSpentMinutes, exceptionExpiryText, scopeText, exceptionUntilText, formatAvailability, formatFactor, formatMinutes, formatPercent, isBelowTarget, NO_DATA_TEXT } from '../../sdk';
import type { AdjustedFigures, BudgetFigures, BurnRateRow, CatalogChange, CategoryBudget, CommitsTouching, DailySeries, EndpointRow, GroupBudget } from '../../sdk';
import type { BudgetState, PanelAdjusted, PanelBurnRate, PanelCategory, PanelChanged, PanelData, PanelEndpoint, PanelFigures, PanelGroup, PanelStale } from '@shared/protocol';
import type { Failure } from '../budgetCache';
import type { SpendRiseText } from './budgetText';
import { adjustedMark, adjustedTooltipLines, budgetMinutesText, CATEGORY_NOT_ADDITIVE, removedText, utcRangeText, commitDay, failureSummary, isExhausted, shareOfCategoryText, spendRoseText, spentShareText, staleReasonText, utcTime, windowText } from './budgetText';
import { oneLine, safeHttpUrl } from './safeText';

type Figures = Pick<BudgetFigures, 'spentMinutes' | 'remainingMinutes' | 'remainingFraction'>;

/**
 * exhausted: remaining (F5) <= 0; overHalf: more than half spent (F6 < 0.5); fine: the rest;
 * noData: nothing measured (m = 0), which is neither fine nor exhausted.
 */
export function budgetState(f: Figures): BudgetState {
  if (f.spentMinutes === null || f.remainingFraction === null) return 'noData';
  if (isExhausted(f)) return 'exhausted';
  return f.remainingFraction < 0.5 ? 'overHalf' : 'fine';
}

/**
 * A tree item's description, the share first so it survives the default side-bar width (the
 * tooltip has the rest): `30 % spent · 6.05 of 20.16 min`; `no data · 20.16 budget-min`;
 * `(stale)` appended when stale (the history icon says so too). With manual adjustments the
 * measured spend leads, its adjusted value beside it: `30 % spent · 6.05 (adjusted 0.00) of 20.16 min`.
 */
export function figuresDescription(f: BudgetFigures & { adjusted?: AdjustedFigures }, stale: boolean): string {
  const budget = budgetMinutesText(f.budgetMinutes);
  const mark = adjustedMark(f, 'spent');
  const text = f.spentMinutes === null ? `${NO_DATA_TEXT}${mark} · ${budget} budget-min` : `${spentShareText(f)} spent · ${budgetMinutesText(f.spentMinutes)}${mark} of ${budget} min`;
  return stale ? `${text} (stale)` : text;
}

const STATE_WORDS: Record<BudgetState, string> = {
  exhausted: 'budget exhausted',
  overHalf: 'more than half of the budget spent',
  fine: 'less than half of the budget spent',
  noData: 'no data in the window (nothing measured)',
};

/** A category item's tooltip: figures, state, and the stale reason when the figures are the last good ones. */
export function categoryTooltip(c: CategoryBudget, failure: Failure | undefined, lastGoodAt: number | undefined): string {
  const lines = [
    oneLine(`${c.category} · target ${c.target} % over ${windowText(c.window.label)}`),
    c.spentMinutes === null || c.remainingMinutes === null
      ? `${STATE_WORDS.noData}; budget ${budgetMinutesText(c.budgetMinutes)} budget-min`
      : `spent ${budgetMinutesText(c.spentMinutes)} of ${budgetMinutesText(c.budgetMinutes)} budget-min, remaining ${budgetMinutesText(c.remainingMinutes)}`,
    `availability ${formatAvailability(c.availability)} · ${STATE_WORDS[budgetState(c)]}`,
  ];
  if (c.measurements > 0) lines.push(CATEGORY_NOT_ADDITIVE);
  lines.push(...adjustedTooltipLines(c));
  if (failure) lines.push('', staleReasonText(failure, lastGoodAt));
  return lines.join('\n');
}

function failuresText(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'failure' : 'failures'}`;
}

/**
 * An endpoint item's description (a row of its category's top endpoints, so F15 already):
 * `3 failures · 3.02 budget-min · 50.00 % of team_planning's spend`.
 */
export function endpointDescription(e: EndpointRow): string {
  return oneLine(`${failuresText(e.failures)} · ${budgetMinutesText(e.spentMinutes)} budget-min · ${shareOfCategoryText(e.shareOfSpend, e.category)}`);
}

/**
 * An endpoint id short enough for a tree row at the side bar's default width, the full id being in
 * the tooltip: a Rails action or a worker without its modules (`Projects::IssuesController#index`
 * -> `IssuesController#index`), an API route with only its last two path segments
 * (`GET /api/:version/projects/:id/repository/tags` -> `GET …/repository/tags`); anything else as
 * it is.
 */
export function shortEndpointId(id: string): string {
  const route = /^([A-Z]+) (\/\S*)$/.exec(id);
  if (route) {
    const segments = route[2]!.split('/').filter(Boolean);
    return segments.length <= 2 ? id : `${route[1]} …/${segments.slice(-2).join('/')}`;
  }
  if (/^[A-Z][\w]*(::[A-Z][\w]*)+(#\w+[?!]?)?$/.test(id)) return id.slice(id.lastIndexOf('::', id.includes('#') ? id.indexOf('#') : id.length) + 2);
  return id;
}

/**
 * The labels of a list of endpoint rows: each its short id (shortEndpointId), or its full id where
 * two rows of the list would share a short one (`Projects::IssuesController#index` and
 * `Groups::IssuesController#index` stay whole).
 */
export function endpointRowLabels(ids: readonly string[]): Map<string, string> {
  const byShort = new Map<string, number>();
  for (const id of new Set(ids)) byShort.set(shortEndpointId(id), (byShort.get(shortEndpointId(id)) ?? 0) + 1);
  return new Map(ids.map((id) => [id, (byShort.get(shortEndpointId(id)) ?? 0) > 1 ? id : shortEndpointId(id)]));
}

/** True when the row's own availability (1 − f_i / m_i) is below the target, exactly; never without traffic. */
export function endpointBelowTarget(e: Pick<EndpointRow, 'failures' | 'measurements'>, target: string): boolean {
  return isBelowTarget(e.failures, e.measurements, target);
}

/** An endpoint item's tooltip; says when the workspace does not define it (no jump), and when it is below the target. */
export function endpointTooltip(e: EndpointRow, inWorkspace: boolean, target?: string): string {
  const below = target !== undefined && endpointBelowTarget(e, target);
  return [
    oneLine(e.endpointId),
    `${failuresText(e.failures)} in ${e.measurements.toLocaleString('en-US')} measurements (own availability ${formatAvailability(e.ownAvailability)}${below ? ` < ${target} %: below the target` : ''})`,
    oneLine(`${budgetMinutesText(e.spentMinutes)} budget-min, ${shareOfCategoryText(e.shareOfSpend, e.category)}`),
    inWorkspace ? 'Click to go to its code.' : 'Not defined in this workspace.',
  ].join('\n');
}

/** The handbook's rule for a group's spend (domain.md section 3). */
export function policyText(g: BudgetFigures): string {
  if (g.spentMinutes === null) return 'No data in the window: nothing to judge.';
  return g.spentMinutes > g.budgetMinutes ? 'Over budget: reliability work comes first.' : 'Within budget: understand your spend.';
}

function targetText(g: GroupBudget): string {
  const base = `${g.target} % over ${windowText(g.window.label)}`;
  const c = g.customTarget;
  if (!c) return base;
  const expiry = !c.expired ? '' : c.expiredBecause === 'traffic_share' ? `, expired: ${exceptionExpiryText(c)}` : ', review date passed';
  return `${base} (custom target until ${exceptionUntilText(c)}${expiry}: ${c.reason})`;
}

function minutesOrNoData(m: number | null): string {
  return m === null ? NO_DATA_TEXT : budgetMinutesText(m);
}

/** The worded figures a group and a category share (with the adjusted ones when adjustments apply). */
function panelFigures(b: GroupBudget | CategoryBudget): PanelFigures {
  return {
    spentText: minutesOrNoData(b.spentMinutes),
    budgetText: budgetMinutesText(b.budgetMinutes),
    remainingText: minutesOrNoData(b.remainingMinutes),
    availabilityText: formatAvailability(b.availability),
    spentShareText: spentShareText(b),
    state: budgetState(b),
    ...(b.adjusted ? { adjusted: panelAdjusted(b.adjusted) } : {}),
  };
}

/**
 * Adjusted figures for the panel: worded as the measured ones, each adjustment's range, scope,
 * reason and what it removed as one-line text, its link a URL only when it is http(s).
 */
export function panelAdjusted(a: AdjustedFigures): PanelAdjusted {
  return {
    spentText: minutesOrNoData(a.spentMinutes),
    remainingText: minutesOrNoData(a.remainingMinutes),
    availabilityText: formatAvailability(a.availability),
    spentShareText: spentShareText(a),
    state: budgetState(a),
    adjustments: a.adjustments.map((x) => {
      const url = x.link === undefined ? undefined : safeHttpUrl(x.link);
      return {
        rangeText: utcRangeText(x.from, x.to),
        scopeText: oneLine(scopeText(x.scope)),
        reason: oneLine(x.reason),
        ...(url !== undefined ? { linkUrl: url } : x.link !== undefined ? { linkText: oneLine(x.link) } : {}),
        removedText: removedText(x),
      };
    }),
  };
}

export function panelGroup(g: GroupBudget): PanelGroup {
  return {
    key: g.group,
    name: g.name,
    stage: g.stage,
    targetText: targetText(g),
    ...panelFigures(g),
    policyText: policyText(g),
    trafficShareText: formatPercent(g.trafficShare),
  };
}

/** F11 in days with one decimal: 65.333 -> `65.3 d`. */
function daysText(days: number): string {
  return `${formatMinutes(days, 1).slice(0, -' min'.length)} d`;
}

export function panelBurnRate(r: BurnRateRow): PanelBurnRate {
  let exhaustionText: string;
  if (r.burnRate === null) exhaustionText = NO_DATA_TEXT;
  else if (r.daysToExhaustion === null) exhaustionText = 'not burning';
  else exhaustionText = daysText(r.daysToExhaustion);
  return { window: windowText(r.window), rateText: formatFactor(r.burnRate), thresholdText: formatFactor(r.threshold), exceeded: r.exceeded, exhaustionText };
}

/**
 * A row of the group's top endpoints, worded with F15: minutes and share of its category's spend
 * (`category`: the category's figures, on the panel already), as the lens, hover and tree say
 * them; `…` until the category's figures are known. Below the target it says so.
 */
export function panelEndpoint(e: EndpointRow, inWorkspace: boolean, category?: CategoryBudget): PanelEndpoint {
  const below = category !== undefined && endpointBelowTarget(e, category.target);
  return {
    endpointId: e.endpointId,
    category: e.category,
    failuresText: failuresText(e.failures),
    minutesText: category ? budgetMinutesText(endpointSpentMinutes(e.failures, category.measurements, category.window)) : '…',
    shareText: category ? shareOfCategoryText(category.failures > 0 ? e.failures / category.failures : 0, e.category) : '…',
    ownAvailabilityText: `${formatAvailability(e.ownAvailability)}${below ? ` < ${category.target} %` : ''}`,
    belowTarget: below,
    inWorkspace,
  };
}

export function panelCategory(c: CategoryBudget): PanelCategory {
  return { category: c.category, ...panelFigures(c) };
}

export interface PanelInput {
  group: GroupBudget;
  daily: DailySeries | undefined;
  burnRates: BurnRateRow[] | undefined;
  /** The group's top endpoints; only failing ones are shown. */
  endpoints: EndpointRow[] | undefined;
  /** In the order of the group's categories; those without figures yet are left out. */
  categories: CategoryBudget[];
  inWorkspace(endpointId: string): boolean;
  /** What changed (issue 14 item 5): git's commits for an endpoint of this workspace as known now, and the day its category's spend rose. */
  changed?(e: EndpointRow): { commits: CommitsTouching; rise?: SpendRiseText } | undefined;
  /** The last failure of each part, when no request for it is on its way (parts with data ignore theirs). */
  failures?: { daily?: Failure; burnRates?: Failure; endpoints?: Failure };
  /** The group answer's `meta.catalogChanges` (issue 15 item 1), and the display names to word them with. */
  catalogChanges?: readonly CatalogChange[];
  groupName?(key: string): string | undefined;
}

/** `2026-11-15` for a midnight UTC, else `2026-11-15 09:30 UTC`; the text itself when it is no instant. */
function changeDayText(at: string): string {
  const ms = Date.parse(at);
  if (!Number.isFinite(ms)) return at;
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * One catalog change of `meta.catalogChanges` (issue 15 item 1), plain text on one line:
 * `team_planning moved from Project Management to Knowledge on 2026-11-15`. `nameOf` gives a group's
 * display name (the local catalog's), else its key (a group renamed away is in no catalog of today).
 */
export function catalogChangeText(c: CatalogChange, nameOf: (key: string) => string | undefined = () => undefined): string {
  const name = (key: string | undefined): string => (key === undefined ? '?' : (nameOf(key) ?? key));
  const on = `on ${changeDayText(c.at)}`;
  switch (c.kind) {
    case 'category_moved':
      return oneLine(`${c.category ?? '?'} moved from ${name(c.from)} to ${name(c.to)} ${on}`);
    case 'group_renamed':
      return oneLine(`${name(c.from)} was renamed ${name(c.to)} ${on}`);
    case 'category_added':
      return oneLine(`${c.category ?? '?'} was added to ${name(c.to)} ${on}`);
    case 'category_removed':
      return oneLine(`${c.category ?? '?'} was removed from ${name(c.from)} ${on}`);
    default:
      return oneLine(`the catalog changed ${on}`);
  }
}

/** Why a part never loaded: `The daily series did not load: HTTP 503 — <message>.` */
export function partUnavailableText(part: string, failure: Failure): string {
  return `The ${part} did not load: ${failureSummary(failure)} — ${failure.message}. Retry with Refresh.`;
}

export function panelData(input: PanelInput): PanelData {
  return {
    group: panelGroup(input.group),
    daily: input.daily && {
      budgetMinutes: input.daily.budgetMinutes,
      days: input.daily.days.map((d) => ({ date: d.date, spentMinutes: d.spentMinutes, cumulativeSpentMinutes: d.cumulativeSpentMinutes })),
    },
    burnRates: input.burnRates?.map(panelBurnRate),
    endpoints: input.endpoints
      ?.filter((e) => e.failures > 0)
      .map((e) => {
        const row = panelEndpoint(e, input.inWorkspace(e.endpointId), input.categories.find((c) => c.category === e.category));
        const known = row.inWorkspace ? input.changed?.(e) : undefined;
        const changed = known && panelChanged(known.commits, known.rise);
        return changed ? { ...row, changed } : row;
      }),
    categories: input.categories.map(panelCategory),
    ...(input.catalogChanges && input.catalogChanges.length > 0 ? { catalogChanges: input.catalogChanges.map((c) => catalogChangeText(c, input.groupName)) } : {}),
    ...unavailable(input),
  };
}

function unavailable(input: PanelInput): Pick<PanelData, 'unavailable'> {
  const f = input.failures ?? {};
  const out: NonNullable<PanelData['unavailable']> = {};
  if (!input.daily && f.daily) out.daily = partUnavailableText('daily series', f.daily);
  if (!input.burnRates && f.burnRates) out.burnRates = partUnavailableText('burn rates', f.burnRates);
  if (!input.endpoints && f.endpoints) out.endpoints = partUnavailableText('top failing endpoints', f.endpoints);
  return Object.keys(out).length > 0 ? { unavailable: out } : {};
}

/** The stale banner's content from the failure that made the data stale. */
export function panelStale(failure: Failure, lastGoodAt: number | undefined): PanelStale {
  return { url: failure.url, status: failure.status, reasonText: staleReasonText(failure, lastGoodAt), lastGoodText: lastGoodAt === undefined ? undefined : utcTime(lastGoodAt) };
}

/**
 * The panel's "changed:" under an endpoint (issue 14 item 5): each commit's short sha (a link in
 * the webview) and `2026-11-20 "Fix board list" (Jane)`, then the day the spend rose; with no
 * commit, `no commit touched its code in the window`. Undefined when git could not say. The
 * webview sets every string as text; subjects and authors are kept on one line.
 */
export function panelChanged(changed: CommitsTouching, rise: SpendRiseText | undefined): PanelChanged | undefined {
  if (changed.reason !== undefined) return undefined;
  const rose = oneLine(spendRoseText(rise));
  if (changed.commits.length === 0) return { commits: [], text: `no commit touched its code in the window${rose}` };
  return {
    commits: changed.commits.map((c) => ({ sha: c.sha, shortSha: c.shortSha, text: `${commitDay(c)} "${oneLine(c.subject)}" (${oneLine(c.author)})` })),
    text: rose,
  };
}
