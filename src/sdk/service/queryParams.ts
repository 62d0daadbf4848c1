/**
 * Parsing of the query values every Budget API entry point shares (HTTP `?window=&at=&limit=`,
 * CLI flags, local calls). Each failure is an InvalidQueryError naming the field, so the server
 * can answer 400 `{error: {code, message, field}}` without knowing the rules itself.
 */
import type { BudgetWindow } from '../budget/types';
import { DEFAULT_WINDOW, parseWindow } from '../budget/window';
import { InvalidQueryError } from './serviceErrors';

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

/** Unix seconds (`1793836800`, fractions allowed) or RFC 3339 (`2026-10-31T00:00:00Z`). */
export function parseAtParam(value: string, field = 'at'): Date {
  let ms: number;
  if (/^[0-9]{1,12}(\.[0-9]+)?$/.test(value)) {
    ms = Number(value) * 1000;
  } else if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value)) {
    ms = Date.parse(value);
  } else {
    throw new InvalidQueryError(field, `expected unix seconds or an RFC 3339 time like 2026-10-31T00:00:00Z, got '${value}'`);
  }
  if (!Number.isFinite(ms)) throw new InvalidQueryError(field, `'${value}' is not a valid time`);
  return new Date(ms);
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

/** 'YYYY-MM' -> the UTC calendar month [start, end) as a window ending at `end`. */
export function parseMonthParam(value: string, field = 'month'): MonthRange {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value);
  if (!m) throw new InvalidQueryError(field, `expected a month like 2026-10, got '${value}'`);
  return monthRange(Number(m[1]), Number(m[2]) - 1);
}

function monthRange(year: number, monthIndex: number): MonthRange {
  const start = new Date(Date.UTC(year, monthIndex, 1));
  const end = new Date(Date.UTC(year, monthIndex + 1, 1));
  const month = `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
  const minutes = Math.round((end.getTime() - start.getTime()) / 60_000);
  return { month, start, end, window: { label: `${minutes / 1440}d`, minutes } };
}
