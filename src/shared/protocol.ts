/**
 * The only contract between the extension host and the budget panel webview. Both sides import
 * this file; the webview imports nothing else from src/. Each message says who sends it.
 *
 * The host sends display-ready text (rounded by the SDK's formatters in
 * src/extension/text/panelText.ts) and, for the chart only, the raw daily minutes. Every string
 * here may come from the backend: the webview renders each one with textContent, never as HTML.
 */

/** A budget's state as the tree and the panel colour it. */
export type BudgetState = 'exhausted' | 'overHalf' | 'fine' | 'noData';

/** A group's or a category's budget, worded. */
export interface PanelFigures {
  spentText: string;
  budgetText: string;
  remainingText: string;
  availabilityText: string;
  /** Spent / budget as a whole percentage: `30 %`. */
  spentShareText: string;
  state: BudgetState;
  /**
   * Present when manual adjustments apply (issue 15 item 3): the same figures without their spend.
   * The fields above stay as measured; the panel shows both, never one silently.
   */
  adjusted?: PanelAdjusted;
}

/** The adjusted figures of a group or category, worded, and the adjustments that applied. */
export interface PanelAdjusted {
  spentText: string;
  remainingText: string;
  availabilityText: string;
  spentShareText: string;
  state: BudgetState;
  adjustments: PanelAdjustment[];
}

/**
 * One manual adjustment as it applied: all text from the config (or a remote server), set with
 * textContent. `linkUrl` is set only when the link is an http(s) URL (checked by the host, see
 * safeText.ts safeHttpUrl); any other link arrives as `linkText`, shown as text.
 */
export interface PanelAdjustment {
  /** `2026-03-10 10:00 – 12:00 UTC`. */
  rangeText: string;
  /** `all groups`, `groups source_code, code_review (rails_request only)`. */
  scopeText: string;
  reason: string;
  linkUrl?: string;
  linkText?: string;
  /** `removed 80 failures of 320 measurements (counted 2026-03-10 10:00 – 12:00 UTC)`. */
  removedText: string;
}

/** The group's figures, worded. */
export interface PanelGroup extends PanelFigures {
  key: string;
  name: string;
  stage: string;
  /** `99.95 % over 28 d`, with the custom target's reason and review date when there is one. */
  targetText: string;
  /** The handbook's policy for this state: understand the spend / reliability work first / no data. */
  policyText: string;
  trafficShareText: string;
}

/** One day of the chart: budget-min spent that day and up to it (DailySeries). */
export interface PanelDay {
  date: string;
  spentMinutes: number;
  cumulativeSpentMinutes: number;
}

export interface PanelDaily {
  /** F3 of the window, the chart's budget line. */
  budgetMinutes: number;
  days: PanelDay[];
}

/** One row of the burn rates (F9-F11), worded. */
export interface PanelBurnRate {
  window: string;
  rateText: string;
  thresholdText: string;
  exceeded: boolean;
  exhaustionText: string;
}

/**
 * One of the group's top failing endpoints (F8 order), worded with its own figures (F15): minutes
 * and `50.00 % of team_planning's spend`, the share of its category's; `inWorkspace` says whether
 * "Go to code" can jump; `belowTarget` marks an own availability below the target.
 */
export interface PanelEndpoint {
  endpointId: string;
  category: string;
  failuresText: string;
  minutesText: string;
  shareText: string;
  ownAvailabilityText: string;
  belowTarget: boolean;
  inWorkspace: boolean;
  /** What changed (issue 14 item 5): the commits that touched its code in the window, once git has told; absent outside this workspace or git. */
  changed?: PanelChanged;
}

/** One commit that touched an endpoint's code: its short sha (a link: `showCommit`) and `2026-11-20 "Fix board list" (Jane)`. */
export interface PanelCommit {
  sha: string;
  shortSha: string;
  text: string;
}

/**
 * The commits (newest first, at most 3) and the text after them: ` — team_planning's spend rose
 * most on 2026-11-21`, or with no commit `no commit touched its code in the window` and the rise.
 */
export interface PanelChanged {
  commits: PanelCommit[];
  text: string;
}

/** One category of the group, worded. */
export interface PanelCategory extends PanelFigures {
  category: string;
}

/** One day of an objective's burn-down: the share of its budget left after that day (null before any event). */
export interface PanelBurnDownPoint {
  day: string;
  remainingFraction: number | null;
}

/** One objective (issue 13) of the group, worded: a tile with its burn-down. */
export interface PanelObjective {
  name: string;
  /** The objective's displayName, else its name. */
  displayName: string;
  /** `99.8 % over 28d · Occurrences`. */
  targetText: string;
  /** What it measures, in words. */
  sliText: string;
  /** `99.93 % ≥ 99.8 %`, or why it cannot be evaluated. */
  sliVsTargetText: string;
  /** `7 of 10 events (70.00 %)`; empty when it cannot be evaluated. */
  budgetLeftText: string;
  /** `burn 0.40x` over the last hour, or `no events in the last hour`. */
  burnText: string;
  /** `firing: 1h/5m above 14.4x`, when an alert fires. */
  alertText?: string;
  state: BudgetState;
  /** Undefined while the burn-down is on its way (or could not be loaded). */
  burnDown?: PanelBurnDownPoint[];
}

/** Everything the panel shows for one group. */
export interface PanelData {
  group: PanelGroup;
  daily: PanelDaily | undefined;
  burnRates: PanelBurnRate[] | undefined;
  endpoints: PanelEndpoint[] | undefined;
  categories: PanelCategory[];
  /** The objectives attached to the group or its categories (issue 13); absent when the project has none. */
  objectives?: PanelObjective[];
  /**
   * The catalog changes inside the group's window (issue 15 item 1, the answer's `meta.catalogChanges`),
   * worded: `team_planning moved from Project Management to Knowledge on 2026-11-15`. Shown as text
   * under the header; absent when nothing moved.
   */
  catalogChanges?: string[];
  /**
   * Why a part that has never loaded is missing (its request failed): shown instead of
   * "Loading…", which would never end. Parts with data, or still on their way, have none.
   */
  unavailable?: { daily?: string; burnRates?: string; endpoints?: string };
}

/** A fix the error view offers as a button: Refresh (retry), the backend's URL setting, the token. */
export type PanelFix = 'refresh' | 'changeUrl' | 'setToken';

/** What the panel shows: loading, an error without any data (with the fixes it offers), or the data. */
export type PanelView =
  | { kind: 'loading'; groupKey: string | undefined }
  | { kind: 'error'; title: string; message: string; fixes?: PanelFix[] }
  | { kind: 'ready'; data: PanelData };

/** Why the shown data is the last good one (the banner): URL, status, time of the last good data. */
export interface PanelStale {
  url: string;
  /** HTTP status, 0 when no response arrived. */
  status: number;
  /** `Stale since … UTC: <the client's message>. Showing the data of … UTC.` */
  reasonText: string;
  /** `2026-11-22 11:03:04 UTC`, or undefined before any good data. */
  lastGoodText: string | undefined;
}

// ---- host -> webview ----

/** Host -> webview: what to show (sent after `ready`, and whenever the data changes). */
export interface StateMessage {
  type: 'state';
  view: PanelView;
}

/** Host -> webview: the shown data became stale (with why) or fresh again (`stale: null`). */
export interface StaleMessage {
  type: 'stale';
  stale: PanelStale | null;
}

// ---- webview -> host ----

/** Webview -> host: the panel has loaded its script and can receive messages. */
export interface ReadyMessage {
  type: 'ready';
}

/** Webview -> host: "Go to code" on an endpoint row; the host jumps through the index. */
export interface GoToEndpointMessage {
  type: 'goToEndpoint';
  endpointId: string;
}

/** Webview -> host: the Refresh button. */
export interface RefreshMessage {
  type: 'refresh';
}

/** Webview -> host: the Choose Group button (the host shows the quick pick). */
export interface ChooseGroupMessage {
  type: 'chooseGroup';
}

/** Webview -> host: the Monthly Report button (the host runs Monthly Error-Budget Report: month quick pick, document beside). */
export interface MonthlyReportMessage {
  type: 'monthlyReport';
}

/** Webview -> host: a fix button of the error view (the host runs Set API URL / Set API Token). */
export interface FixMessage {
  type: 'fix';
  fix: 'changeUrl' | 'setToken';
}

/** Webview -> host: a commit's sha on an endpoint row; the host runs Show Commit (`git show <sha> -- <the endpoint's file>`). */
export interface ShowCommitMessage {
  type: 'showCommit';
  endpointId: string;
  sha: string;
}

/** Webview -> host: an objective tile's name; the host opens its definition (Go to Objective). */
export interface OpenObjectiveMessage {
  type: 'openObjective';
  name: string;
}

export type WebviewToHost = ReadyMessage | GoToEndpointMessage | RefreshMessage | ChooseGroupMessage | MonthlyReportMessage | FixMessage | ShowCommitMessage | OpenObjectiveMessage;
export type HostToWebview = StateMessage | StaleMessage;

/** Narrows what arrived from the webview (it is untyped at runtime). */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; endpointId?: unknown; fix?: unknown; sha?: unknown; name?: unknown };
  switch (m.type) {
    case 'ready':
    case 'refresh':
    case 'chooseGroup':
    case 'monthlyReport':
      return true;
    case 'goToEndpoint':
      return typeof m.endpointId === 'string';
    case 'fix':
      return m.fix === 'changeUrl' || m.fix === 'setToken';
    case 'showCommit':
      return typeof m.endpointId === 'string' && typeof m.sha === 'string' && /^[0-9a-f]{7,64}$/.test(m.sha);
    case 'openObjective':
      return typeof m.name === 'string';
    default:
      return false;
  }
}
