/**
 * The times Budget Lens accepts anywhere (log lines, `at`, `month`, a window's start): real
 * calendar dates in the years 1970-2100. Date.parse and Date.UTC are lenient (2026-02-30 becomes
 * 03-02, years 0-99 become 1900-1999, 9999 is fine), so every parser checks here first and says
 * which rule failed. Pure, no I/O.
 */

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2100;
/** 1970-01-01T00:00:00Z, inclusive. */
export const MIN_TIME_MS = 0;
/** 2101-01-01T00:00:00Z, exclusive (Date.UTC(2101, 0, 1)). */
export const END_TIME_MS = 4_133_980_800_000;
const HOUR_MS = 3_600_000;
/** The epoch hours of the accepted range: [0, 1_148_328). */
export const END_TIME_HOUR = END_TIME_MS / HOUR_MS;

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-12) of a year, by the Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** impossible_date: 2026-02-30, month 13, hour 24; time_out_of_range: before 1970 or after 2100. */
export type TimeRejectionCode = 'impossible_date' | 'time_out_of_range';
export interface TimeRejection {
  code: TimeRejectionCode;
  message: string;
}

/** Why a year is refused, or undefined for 1970-2100. */
export function yearRejection(year: number): TimeRejection | undefined {
  if (year >= MIN_YEAR && year <= MAX_YEAR) return undefined;
  return { code: 'time_out_of_range', message: `year ${String(year).padStart(4, '0')} is outside ${MIN_YEAR}-${MAX_YEAR}` };
}

/**
 * Why a calendar date (month 1-12 expected, day 1-31) is refused: a month or day that does not
 * exist (2026-02-30, 2026-13-01) or a year outside 1970-2100; undefined when it is fine.
 */
export function dateRejection(year: number, month: number, day: number): TimeRejection | undefined {
  if (month < 1 || month > 12) return { code: 'impossible_date', message: `month ${String(month).padStart(2, '0')} does not exist` };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) {
    return { code: 'impossible_date', message: `${MONTH_NAMES[month - 1]} ${year} has ${days} days, not ${day}` };
  }
  return yearRejection(year);
}

/** Why an instant is refused (before 1970 or from 2101 on), or undefined. */
export function instantRejection(ms: number): TimeRejection | undefined {
  if (!Number.isFinite(ms)) return { code: 'impossible_date', message: 'not a time' };
  if (ms >= MIN_TIME_MS && ms < END_TIME_MS) return undefined;
  const year = new Date(ms).getUTCFullYear();
  return { code: 'time_out_of_range', message: `${Number.isNaN(year) ? 'the time' : `year ${year}`} is outside ${MIN_YEAR}-${MAX_YEAR}` };
}
