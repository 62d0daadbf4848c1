/**
 * Which stored buckets a window covers. A window of `minutes` ending at `at` covers the hour
 * buckets whose start lies in [at - window, at). Whole UTC days inside that hour range are read
 * from the daily rollups and only the ragged edges from the hourly tables.
 *
 * The store's finest granularity is the hour: a window shorter than an hour (the burn-rate
 * alert's 5 m and 30 m, domain.md F16) is read as one hour ending at `at`, i.e. the same buckets as
 * `1h` (the hour bucket in progress, or the last one when `at` is on the hour). Read strictly,
 * most 5 m windows would hold no bucket start at all and answer "no data".
 */
import type { BudgetWindow } from '../contract/budgetTypes';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const HOURS_PER_DAY = 24;

export interface WindowBuckets {
  startMs: number;
  endMs: number;
  /** Epoch hours [firstHour, endHour): every hour bucket in the window. */
  firstHour: number;
  endHour: number;
  /** Epoch days [firstDay, endDay) read from the daily rollups (empty when equal). */
  firstDay: number;
  endDay: number;
  /** Hours read from the hourly tables: [headStart, headEnd) and [tailStart, tailEnd). */
  headStart: number;
  headEnd: number;
  tailStart: number;
  tailEnd: number;
  /** UTC days (epoch days) the window touches, for zero-filled daily series. */
  calendarDays: number[];
}

/** Windows under an hour are read as an hour (the store's finest granularity). */
export const FINEST_WINDOW_MINUTES = 60;

export function windowBuckets(window: BudgetWindow, at: Date): WindowBuckets {
  const endMs = at.getTime();
  if (!Number.isFinite(endMs)) throw new RangeError('evaluation time `at` is not a valid date');
  if (!Number.isInteger(window.minutes) || window.minutes <= 0) throw new RangeError(`window minutes must be a positive integer, got ${window.minutes}`);
  const startMs = endMs - Math.max(window.minutes, FINEST_WINDOW_MINUTES) * 60_000;
  // Hour h is in the window iff startMs <= h * HOUR_MS < endMs.
  return hourRangeBuckets(Math.ceil(startMs / HOUR_MS), Math.ceil(endMs / HOUR_MS), startMs, endMs);
}

/**
 * The buckets of the epoch hours [firstHour, endHour) (whole days from the daily rollups, the edges
 * hourly): a window's, or the part of it one catalog was in force (catalog history, storeSource.ts).
 * `startMs`/`endMs` (default the hours' edges) only set calendarDays and the bounds reported.
 */
export function hourRangeBuckets(firstHour: number, endHour: number, startMs = firstHour * HOUR_MS, endMs = endHour * HOUR_MS): WindowBuckets {
  const fullFirstDay = Math.ceil(firstHour / HOURS_PER_DAY);
  const fullEndDay = Math.floor(endHour / HOURS_PER_DAY);
  const hasFullDays = fullFirstDay < fullEndDay;
  const calendarDays: number[] = [];
  for (let d = Math.floor(startMs / DAY_MS); d <= Math.floor((endMs - 1) / DAY_MS); d++) calendarDays.push(d);
  return {
    startMs,
    endMs,
    firstHour,
    endHour,
    firstDay: hasFullDays ? fullFirstDay : 0,
    endDay: hasFullDays ? fullEndDay : 0,
    headStart: firstHour,
    headEnd: hasFullDays ? fullFirstDay * HOURS_PER_DAY : endHour,
    tailStart: hasFullDays ? fullEndDay * HOURS_PER_DAY : endHour,
    tailEnd: endHour,
    calendarDays,
  };
}

export function epochDayToDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
