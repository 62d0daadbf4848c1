/**
 * Manual adjustments (issue 15 item 3), the pure part: reading an adjustment's instants, whether
 * two adjustments would remove the same spend twice, which part of a window an adjustment covers
 * as a source can count it, and taking the removed counts off the measured ones. No I/O; the
 * service (src/sdk/service/budgetService.ts) asks the source for the removed counts.
 */
import type { Adjustment, AdjustmentScope, ComponentCounts, SliCounts } from '../contract/budgetTypes';
import { dateRejection, instantRejection } from './saneTime';

/** `2026-03-10T10:00Z`, `2026-03-10T10:00:00Z`, `2026-03-10T12:00:00+02:00`: a zone is required. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d{1,3}))?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds of an adjustment's instant, or why it is refused. */
export function parseAdjustmentInstant(text: string): { ms: number } | { error: string } {
  const m = INSTANT.exec(text);
  if (!m) return { error: `"${text}" is not an ISO instant with a zone (e.g. 2026-03-10T10:00:00Z)` };
  const [, y, mo, d, h, mi, s] = m;
  const date = dateRejection(Number(y), Number(mo), Number(d));
  if (date) return { error: `"${text}": ${date.message}` };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return { error: `"${text}": not a time of day` };
  const ms = Date.parse(text);
  const out = Number.isNaN(ms) ? { message: 'not a valid time' } : instantRejection(ms);
  if (out) return { error: `"${text}": ${out.message}` };
  return { ms };
}

function intersects(a: readonly string[] | undefined, b: readonly string[] | undefined): string | undefined {
  if (a === undefined || b === undefined) return undefined;
  return a.find((x) => b.includes(x));
}

/**
 * What two scopes have in common that can be told without the catalog: `all` meets everything,
 * two group lists a common group, two category lists a common category; undefined when nothing
 * (a group list against a category list needs the catalog: catalog/adjustmentScopes.ts). Scopes
 * whose component lists are disjoint never meet.
 */
export function sharedScope(a: AdjustmentScope, b: AdjustmentScope): string | undefined {
  if (a.components && b.components && !a.components.some((c) => b.components!.includes(c))) return undefined;
  if (a.all || b.all) return 'all groups';
  const group = intersects(a.groups, b.groups);
  if (group !== undefined) return `group "${group}"`;
  const category = intersects(a.categories, b.categories);
  if (category !== undefined) return `category "${category}"`;
  return undefined;
}

/** [from, to) of both overlap (touching ranges, one's `to` the other's `from`, do not). */
export function rangesOverlap(a: Pick<Adjustment, 'from' | 'to'>, b: Pick<Adjustment, 'from' | 'to'>): boolean {
  return Date.parse(a.from) < Date.parse(b.to) && Date.parse(b.from) < Date.parse(a.to);
}

/** The part of a window an adjustment removes, as the source counts it: [startMs, endMs). */
export interface CountedRange {
  startMs: number;
  endMs: number;
}

/**
 * The part of the window [windowStartMs, windowEndMs) an adjustment covers, as a source with
 * buckets of `bucketMs` counts it (undefined: a source that counts any range, Prometheus).
 *
 * With buckets (the store, hourly): the range is widened to the buckets it touches (10:30-12:30
 * removes the buckets 10:00, 11:00 and 12:00: all the spend of the incident, and the rest of those
 * hours with it), and only buckets the window itself counts (start in the window) are removed.
 * The range starts on the first such bucket and ends at the window's end or the widened `to`.
 * Undefined when the window and the adjustment share no bucket (or no time).
 */
export function countedRange(adjustment: Pick<Adjustment, 'from' | 'to'>, windowStartMs: number, windowEndMs: number, bucketMs?: number): CountedRange | undefined {
  let from = Date.parse(adjustment.from);
  let to = Date.parse(adjustment.to);
  if (bucketMs !== undefined) {
    from = Math.floor(from / bucketMs) * bucketMs;
    to = Math.ceil(to / bucketMs) * bucketMs;
    // The first bucket the window counts (a bucket is counted when its start lies in the window).
    const firstBucket = Math.ceil(Math.max(from, windowStartMs) / bucketMs) * bucketMs;
    const endMs = Math.min(to, windowEndMs);
    return firstBucket < endMs ? { startMs: firstBucket, endMs } : undefined;
  }
  const startMs = Math.max(from, windowStartMs);
  const endMs = Math.min(to, windowEndMs);
  return startMs < endMs ? { startMs, endMs } : undefined;
}

/** Measured minus removed, per component and count; a count never goes below 0 (float noise of two range queries). */
export function subtractComponents(measured: readonly ComponentCounts[], removed: readonly ComponentCounts[]): ComponentCounts[] {
  const byComponent = new Map<string, SliCounts[]>();
  for (const r of removed) byComponent.set(r.component, [...(byComponent.get(r.component) ?? []), r.counts]);
  return measured.map((m) => {
    const off = byComponent.get(m.component) ?? [];
    const minus = (k: keyof SliCounts): number => Math.max(0, off.reduce((acc, c) => acc - c[k], m.counts[k]));
    return { ...m, counts: { apdexSuccess: minus('apdexSuccess'), apdexWeight: minus('apdexWeight'), ops: minus('ops'), errors: minus('errors') } };
  });
}

/** The rows of a component list an adjustment covers (all, or its `components`). */
export function componentsInScope(rows: readonly ComponentCounts[], scope: AdjustmentScope): ComponentCounts[] {
  return scope.components ? rows.filter((r) => scope.components!.includes(r.component)) : [...rows];
}

/** `all groups`, `groups code_review, source_code`, `categories team_planning` (+ `, components rails_request`). */
export function scopeText(scope: AdjustmentScope): string {
  const what = scope.all ? 'all groups' : scope.groups ? `group${scope.groups.length > 1 ? 's' : ''} ${scope.groups.join(', ')}` : `categor${(scope.categories ?? []).length > 1 ? 'ies' : 'y'} ${(scope.categories ?? []).join(', ')}`;
  return scope.components ? `${what} (${scope.components.join(', ')} only)` : what;
}
