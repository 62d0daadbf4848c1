/**
 * Parsing of the query values every Budget API entry point shares (HTTP `?window=&at=&limit=`,
 * CLI flags, local calls). Each failure is an InvalidQueryError naming the field, so the server
 * can answer 400 `{error: {code, message, field}}` without knowing the rules itself.
 */
import type { BudgetWindow } from '../contract/budgetTypes';
import { DEFAULT_WINDOW, parseWindow } from '../budget/window';
import { InvalidQueryError } from '../contract/serviceErrors';
import { dateRejection, instantRejection } from '../budget/saneTime';

/** Longest window we accept: a year of days keeps store scans and PromQL ranges bounded. */
export const MAX_WINDOW_MINUTES = 366 * 1440;
export const DEFAULT_ENDPOINT_LIMIT = 10;
export const MAX_ENDPOINT_LIMIT = 1000;

/** '28d' -> 40320 minutes, '6h' -> 360. Only whole days or hours, 1h up to 366d. */
export function parseWindowParam(label: string | undefined, field = 'window'): BudgetWindow {
  const value = label ?? DEFAULT_WINDOW;
  const m = /^([1-9][0-9]{0,5})([dh])$/.exec(value);
  if (!m) throw new InvalidQueryError(field, `expected a window like 28d, 7d or 6h, got '${value}'`);
  const minutes = Number(m[1]) * (m[2] === 'd' ? 1440 : 60);
  if (minutes > MAX_WINDOW_MINUTES) {
    throw new InvalidQueryError(field, `window '${value}' is longer than the maximum of 366d`);
  }
  return parseWindow(value);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * Unix seconds (`1793836800`, fractions allowed) or RFC 3339 (`2026-10-31T00:00:00Z`): a date
 * that exists (no 2026-02-30 rolled over to 03-02, no 24:00) in the years 1970-2100.
 */
export function parseAtParam(value: string, field = 'at'): Date {
  let ms: number;
  const rfc = RFC3339.exec(value);
  if (/^[0-9]{1,12}(\.[0-9]+)?$/.test(value)) {
    ms = Number(value) * 1000;
  } else if (rfc) {
    const [year, month, day, hour, minute, second] = rfc.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    const offH = rfc[9] === undefined ? 0 : Number(rfc[9]);
    const offM = rfc[10] === undefined ? 0 : Number(rfc[10]);
    const bad = dateRejection(year, month, day);
    if (bad) throw new InvalidQueryError(field, `'${value}': ${bad.message}`);
    if (hour > 23 || minute > 59 || second > 59 || offH > 23 || offM > 59) {
      throw new InvalidQueryError(field, `'${value}' is not a valid time of day (00:00:00 to 23:59:59, offset up to 23:59)`);
    }
    ms = Date.parse(value);
  } else {
    throw new InvalidQueryError(field, `expected unix seconds or an RFC 3339 time like 2026-10-31T00:00:00Z, got '${value}'`);
  }
  if (!Number.isFinite(ms)) throw new InvalidQueryError(field, `'${value}' is not a valid time`);
  const out = instantRejection(ms);
  if (out) throw new InvalidQueryError(field, `'${value}': ${out.message}`);
  return new Date(ms);
}

/** Refuses a window that would start before 1970-01-01 (its end, `at`, is checked by parseAtParam). */
export function checkWindowStart(window: BudgetWindow, at: Date, field = 'window'): void {
  const start = at.getTime() - window.minutes * 60_000;
  const out = instantRejection(start);
  if (out) throw new InvalidQueryError(field, `the ${window.label} window ending at ${at.toISOString()} would start at ${new Date(start).toISOString()}: ${out.message}`);
}

/** A positive integer up to MAX_ENDPOINT_LIMIT. */
export function parseLimitParam(value: string | undefined, field = 'limit'): number {
  if (value === undefined) return DEFAULT_ENDPOINT_LIMIT;
  if (!/^[0-9]{1,7}$/.test(value)) throw new InvalidQueryError(field, `expected a positive integer, got '${value}'`);
  const n = Number(value);
  if (n < 1 || n > MAX_ENDPOINT_LIMIT) {
    throw new InvalidQueryError(field, `expected 1..${MAX_ENDPOINT_LIMIT}, got ${n}`);
  }
  return n;
}

export interface MonthRange {
  month: string;
  start: Date;
  end: Date;
  window: BudgetWindow;
}

/** 'YYYY-MM' (years 1970-2100) -> the UTC calendar month [start, end) as a window ending at `end`. */
export function parseMonthParam(value: string, field = 'month'): MonthRange {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  if (!m) throw new InvalidQueryError(field, `expected a month like 2026-10, got '${value}'`);
  const bad = dateRejection(Number(m[1]), Number(m[2]), 1);
  if (bad) throw new InvalidQueryError(field, `'${value}': ${bad.message}`);
  return monthRange(Number(m[1]), Number(m[2]) - 1);
}

function monthRange(year: number, monthIndex: number): MonthRange {
  // Date.UTC maps years 0-99 to 1900-1999; the year is 1970-2100 here, so it is taken as is.
  const start = new Date(Date.UTC(year, monthIndex, 1));
  const end = new Date(Date.UTC(year, monthIndex + 1, 1));
  const month = `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
  const minutes = Math.round((end.getTime() - start.getTime()) / 60_000);
  return { month, start, end, window: { label: `${minutes / 1440}d`, minutes } };
}
