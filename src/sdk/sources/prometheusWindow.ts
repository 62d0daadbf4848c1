/**
 * Window arithmetic for the Prometheus source: where a window starts and ends, and how it splits
 * into UTC days for daily series.
 *
 * Daily series: full UTC days are evaluated with one range query per counter kind (step 1d,
 * `[1d]` ranges ending at each midnight); the clipped first and last day of a window that does not
 * start or end at midnight get an instant query each, with a range equal to their clipped length.
 * So the days add up to the window and a daily series costs at most 3 queries per counter kind.
 */
import type { BudgetWindow } from '../contract/budgetTypes';
import type { ResultMeta } from '../contract/budgetSource';

const DAY_MS = 86_400_000;

export interface WindowBounds {
  start: Date;
  end: Date;
}

/** Ends at `at` (default now), truncated to whole seconds so PromQL ranges are exact. */
export function windowBounds(window: BudgetWindow, at: Date | undefined): WindowBounds {
  const endMs = Math.floor((at ?? new Date()).getTime() / 1000) * 1000;
  return { start: new Date(endMs - window.minutes * 60_000), end: new Date(endMs) };
}

export function windowMeta(window: BudgetWindow, b: WindowBounds): Pick<ResultMeta, 'window' | 'asOf'> {
  return {
    window: { label: window.label, minutes: window.minutes, start: b.start.toISOString(), end: b.end.toISOString() },
    asOf: b.end.toISOString(),
  };
}

/** One UTC day's part of the window: [start, end). */
export interface DaySegment {
  date: string;
  start: Date;
  end: Date;
  full: boolean;
}

export function daySegments(b: WindowBounds): DaySegment[] {
  const out: DaySegment[] = [];
  for (let d = Math.floor(b.start.getTime() / DAY_MS) * DAY_MS; d < b.end.getTime(); d += DAY_MS) {
    const start = Math.max(d, b.start.getTime());
    const end = Math.min(d + DAY_MS, b.end.getTime());
    out.push({
      date: new Date(d).toISOString().slice(0, 10),
      start: new Date(start),
      end: new Date(end),
      full: end - start === DAY_MS,
    });
  }
  return out;
}

/** Full days are consecutive: they lie between the clipped first and last segment. */
export function fullDayRun(segments: readonly DaySegment[]): { first: DaySegment; last: DaySegment } | undefined {
  const full = segments.filter((s) => s.full);
  const first = full[0];
  const last = full[full.length - 1];
  return first && last ? { first, last } : undefined;
}
