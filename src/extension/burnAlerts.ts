/**
 * Burn-alert episodes (no vscode import; unit tested in Node). The Budget API evaluates the
 * two-window condition (domain.md F16) on every burn-rates answer; this decides when the editor
 * says so, so a burn that lasts ten refreshes is one notification, not ten.
 *
 * An episode of a scope (a group or a category, on one backend) starts with the first answer
 * that fires a tier while the scope has none open, and lasts while answers keep firing. It ends
 * once no answer has fired for EPISODE_QUIET_MS (30 min: six refreshes at the default 5 min, and
 * longer than a flapping short window's dips), noticed on the first observation after that; a
 * firing answer after the end starts a new episode. An episode notifies when it starts and once
 * more if it escalates from ticket to page; never on the way down.
 *
 * What is remembered (the EpisodeBook) is plain JSON: the watcher keeps it in workspaceState, so
 * a window reload within an episode does not notify it again.
 */
import type { BurnAlertTier } from '../sdk';

/** No firing answer for this long ends an episode. */
export const EPISODE_QUIET_MS = 30 * 60_000;

/** The workspaceState key of the EpisodeBook. */
export const EPISODE_STATE_KEY = 'budgetLens.burnEpisodes';

export interface Episode {
  tier: BurnAlertTier;
  /** When the first firing answer was fetched (ms). */
  startedAt: number;
  /** When the newest firing answer was fetched (ms). */
  lastFiringAt: number;
  /** The most severe tier notified so far in this episode. */
  notified: BurnAlertTier;
}

/** Open episodes by scope key (`<backend URL> group:<key>`, `... category:<name>`). */
export interface EpisodeBook {
  version: 1;
  episodes: Record<string, Episode>;
}

/** One answer: the tier that fires for a scope (null: none) and when it was fetched. */
export interface Observation {
  scope: string;
  tier: BurnAlertTier | null;
  fetchedAt: number;
}

/** A notification to show: the episode started, or escalated to page. */
export interface EpisodeNotice {
  scope: string;
  tier: BurnAlertTier;
  escalated: boolean;
}

export interface EpisodeStep {
  book: EpisodeBook;
  notices: EpisodeNotice[];
  /** Scopes whose episode ended at this step. */
  ended: string[];
  /** True when the book differs from the one given (worth saving). */
  changed: boolean;
}

const SEVERITY: Readonly<Record<BurnAlertTier, number>> = { ticket: 1, page: 2 };

export function emptyBook(): EpisodeBook {
  return { version: 1, episodes: {} };
}

/** A stored book, or an empty one for anything else (an older or damaged value). */
export function readBook(value: unknown): EpisodeBook {
  if (typeof value !== 'object' || value === null) return emptyBook();
  const v = value as Partial<EpisodeBook>;
  if (v.version !== 1 || typeof v.episodes !== 'object' || v.episodes === null) return emptyBook();
  const episodes: Record<string, Episode> = {};
  for (const [scope, e] of Object.entries(v.episodes)) {
    const ok = typeof e === 'object' && e !== null && (e.tier === 'page' || e.tier === 'ticket') && (e.notified === 'page' || e.notified === 'ticket') && Number.isFinite(e.startedAt) && Number.isFinite(e.lastFiringAt);
    if (ok) episodes[scope] = { tier: e.tier, startedAt: e.startedAt, lastFiringAt: e.lastFiringAt, notified: e.notified };
  }
  return { version: 1, episodes };
}

/**
 * Applies what is known at `now` to the book: ends quiet episodes, then lets each firing answer
 * start, extend or escalate its scope's episode. An answer older than EPISODE_QUIET_MS (a failing
 * backend's last good one) counts for nothing. Idempotent: the same answers observed again change
 * nothing and notify nothing.
 */
export function observe(book: EpisodeBook, observations: readonly Observation[], now: number): EpisodeStep {
  const episodes: Record<string, Episode> = {};
  const ended: string[] = [];
  for (const [scope, e] of Object.entries(book.episodes)) {
    if (now - e.lastFiringAt >= EPISODE_QUIET_MS) ended.push(scope);
    else episodes[scope] = { ...e };
  }
  let changed = ended.length > 0;
  const notices: EpisodeNotice[] = [];
  for (const o of observations) {
    if (o.tier === null || now - o.fetchedAt >= EPISODE_QUIET_MS) continue;
    const open = episodes[o.scope];
    if (!open) {
      episodes[o.scope] = { tier: o.tier, startedAt: o.fetchedAt, lastFiringAt: o.fetchedAt, notified: o.tier };
      notices.push({ scope: o.scope, tier: o.tier, escalated: false });
      changed = true;
      continue;
    }
    if (o.fetchedAt > open.lastFiringAt || o.tier !== open.tier) {
      open.lastFiringAt = Math.max(open.lastFiringAt, o.fetchedAt);
      open.tier = o.tier;
      changed = true;
    }
    if (SEVERITY[o.tier] > SEVERITY[open.notified]) {
      open.notified = o.tier;
      notices.push({ scope: o.scope, tier: o.tier, escalated: true });
    }
  }
  return { book: { version: 1, episodes }, notices, ended, changed };
}
