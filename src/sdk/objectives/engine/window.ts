/**
 * Where an objective's window sits in time: [start, end) for an evaluation time.
 *
 * - Rolling (`28d`): the `minutes` before the evaluation time, [at - minutes, at).
 * - Calendar (`1M` from startTime in timeZone): the period that contains the evaluation time. The
 *   periods are laid out in the zone's wall-clock time from startTime: period k starts at
 *   startTime + k * count units (k may be negative: the calendar runs backwards too), d and w as
 *   whole local days, M, Q (3 months) and Y (12 months) as calendar months. So a calendar day
 *   across a DST change is 23 or 25 hours, March 2026 in Europe/Berlin is 44,580 minutes and
 *   February 2026 is 40,320: N slices of a month differ month to month.
 *   A start day the month lacks (the 31st) is the month's last day, each period counted from
 *   startTime itself (Jan 31, Feb 28, Mar 31, ...). A local time that does not exist (02:30 on
 *   the day clocks spring forward) is moved forward by the gap; one that occurs twice takes the
 *   earlier instant (as Temporal's "compatible" disambiguation).
 *
 * Zones come from Intl (IANA names); an unknown zone or an impossible startTime is a
 * BudgetInputError. Times are epoch milliseconds.
 */
import { BudgetInputError } from '../../budget/budgetInputError';
import { daysInMonth, dateRejection, instantRejection } from '../../budget/saneTime';
import type { ObjectiveWindow } from '../spec';

export interface WindowRange {
  /** Inclusive, epoch ms. */
  start: number;
  /** Exclusive, epoch ms. */
  end: number;
  /** (end - start) in minutes: 40,320 for February 2026, 44,640 for March (UTC). */
  minutes: number;
  /** Minutes from start to the evaluation time (rolling: all of them). */
  elapsedMinutes: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A wall-clock date-time (month 1-12). */
interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new BudgetInputError(`time zone "${timeZone}" is not an IANA zone name like "UTC" or "Europe/Berlin"`);
    }
    if (formatters.size > 100) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of an instant in a zone. */
function localTimeOf(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

function wallAsUtc(t: LocalTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** The zone's offset (local - UTC, ms) at an instant, to the second. */
function offsetAt(ms: number, timeZone: string): number {
  const floored = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(localTimeOf(floored, timeZone)) - floored;
}

/** The instant of a wall-clock time in a zone (gap: moved forward by the gap; overlap: the earlier). */
export function instantOfLocalTime(t: LocalTime, timeZone: string): number {
  const wall = wallAsUtc(t);
  // Transitions are more than a day apart: the offsets a day either side are the two candidates.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const valid = [before, after].map((o) => wall - o).filter((ms) => offsetAt(ms, timeZone) === wall - ms);
  if (valid.length > 0) return Math.min(...valid);
  // In the gap: read the wall clock with the offset from before the jump (02:30 -> 03:30).
  return wall - before;
}

const START_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** "2022-01-01T12:00:00" (or "2022-01-01 12:00", "2022-01-01") -> its wall clock, checked. */
export function parseStartTime(text: string): LocalTime {
  const m = START_TIME.exec(text.trim());
  if (m === null) throw new BudgetInputError(`startTime "${text}" is not a local date-time like 2022-01-01T00:00:00`);
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number, number];
  const rejected = dateRejection(year, month, day);
  if (rejected !== undefined) throw new BudgetInputError(`startTime "${text}": ${rejected.message}`);
  if (hour > 23 || minute > 59 || second > 59) throw new BudgetInputError(`startTime "${text}": ${hour}:${minute}:${second} is not a time of day`);
  return { year, month, day, hour, minute, second };
}

type CalendarWindow = Extract<ObjectiveWindow, { kind: 'calendar' }>;

/** The wall clock of period k's start: startTime + k * step units. */
function periodStart(start: LocalTime, unit: CalendarWindow['unit'], step: number, k: number): LocalTime {
  if (unit === 'd' || unit === 'w') {
    const days = k * step * (unit === 'w' ? 7 : 1);
    const d = new Date(Date.UTC(start.year, start.month - 1, start.day + days));
    return { ...start, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }
  const months = k * step * (unit === 'Q' ? 3 : unit === 'Y' ? 12 : 1);
  const index = start.year * 12 + (start.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { ...start, year, month, day: Math.min(start.day, daysInMonth(year, month)) };
}

/** Rough period index of a wall clock, to start the search near the answer. */
function roughIndex(start: LocalTime, at: LocalTime, unit: CalendarWindow['unit'], step: number): number {
  if (unit === 'd' || unit === 'w') {
    const days = (Date.UTC(at.year, at.month - 1, at.day) - Date.UTC(start.year, start.month - 1, start.day)) / DAY_MS;
    return Math.floor(days / (step * (unit === 'w' ? 7 : 1)));
  }
  const months = (at.year - start.year) * 12 + (at.month - start.month);
  return Math.floor(months / (step * (unit === 'Q' ? 3 : unit === 'Y' ? 12 : 1)));
}

function assertInstant(at: number): void {
  const rejected = instantRejection(at);
  if (rejected !== undefined) throw new BudgetInputError(`evaluation time: ${rejected.message}`);
}

/** The window [start, end) an objective is evaluated over at `at` (epoch ms, or a Date). */
export function windowRange(window: ObjectiveWindow, at: number | Date): WindowRange {
  const atMs = typeof at === 'number' ? at : at.getTime();
  assertInstant(atMs);
  if (window.kind === 'rolling') {
    if (!Number.isFinite(window.minutes) || window.minutes <= 0) throw new BudgetInputError(`window ${window.label} has no length`);
    return { start: atMs - window.minutes * MINUTE_MS, end: atMs, minutes: window.minutes, elapsedMinutes: window.minutes };
  }
  if (!Number.isSafeInteger(window.count) || window.count <= 0) throw new BudgetInputError(`calendar window ${window.label}: count must be a whole number > 0`);
  if (!['d', 'w', 'M', 'Q', 'Y'].includes(window.unit)) throw new BudgetInputError(`calendar window ${window.label}: unit ${String(window.unit)} is not d, w, M, Q or Y`);
  const start = parseStartTime(window.startTime);
  const zone = window.timeZone;
  const instantOf = (k: number): number => instantOfLocalTime(periodStart(start, window.unit, window.count, k), zone);
  let k = roughIndex(start, localTimeOf(atMs, zone), window.unit, window.count);
  // The wall-clock guess can be one period off around a period's first hours (DST, the 31st).
  while (instantOf(k) > atMs) k--;
  while (instantOf(k + 1) <= atMs) k++;
  const s = instantOf(k);
  const e = instantOf(k + 1);
  return { start: s, end: e, minutes: (e - s) / MINUTE_MS, elapsedMinutes: (atMs - s) / MINUTE_MS };
}

/** The window's length in minutes at `at` (rolling: fixed; calendar: the current period's). */
export function windowMinutesAt(window: ObjectiveWindow, at: number | Date): number {
  return window.kind === 'rolling' ? window.minutes : windowRange(window, at).minutes;
}
