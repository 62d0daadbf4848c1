/**
 * The windows a monthly report can cover.
 *
 * - `calendar` (the default): the UTC calendar month [1st 00:00, 1st of next month 00:00), e.g.
 *   2026-10 = 31 d = 44640 min. A report "for October" then counts exactly October's events and
 *   consecutive months never overlap, which "months over budget in a row" needs.
 * - `rolling`: GitLab's dashboards and its monthly report use a rolling 28 days ending on the
 *   report date (the 4th of the following month by default): 2026-10 -> [2026-10-07, 2026-11-04).
 *   It matches what teams see on the dashboard on report day, at the price of overlapping the
 *   previous month's window by a few days.
 *
 * Both give `minutes`, the window length the figures use (budget = (1 - T) * minutes).
 */
import { BudgetInputError } from '../budget/budgetInputError';
import type { BudgetWindow } from '../contract/budgetTypes';
import { dateRejection, instantRejection, yearRejection } from '../budget/saneTime';

export type ReportWindowMode = 'calendar' | 'rolling';

export interface ReportWindow {
  /** 'YYYY-MM' the report is about. */
  month: string;
  mode: ReportWindowMode;
  /** ISO instant, inclusive. */
  start: string;
  /** ISO instant, exclusive: the evaluation time of the window. */
  end: string;
  minutes: number;
  window: BudgetWindow;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const DAY_MS = 86_400_000;
const ROLLING_DAYS = 28;
/** GitLab publishes the monthly report on the 4th. */
export const REPORT_DAY_OF_MONTH = 4;

/** 'YYYY-MM' (years 1970-2100) -> [year, monthIndex 0-11]; throws BudgetInputError naming the bad value. */
export function parseMonth(month: string): [number, number] {
  const match = MONTH.exec(month);
  if (match === null) throw new BudgetInputError(`month "${month}" is not a month like 2026-10`);
  const bad = dateRejection(Number(match[1]), Number(match[2]), 1);
  if (bad) throw new BudgetInputError(`month "${month}": ${bad.message}`);
  return [Number(match[1]), Number(match[2]) - 1];
}

function formatMonth(year: number, monthIndex: number): string {
  const d = new Date(Date.UTC(year, monthIndex, 1));
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month `offset` months before (negative: after). previousMonthOf('2026-01') -> '2025-12'. */
export function previousMonthOf(month: string, offset = 1): string {
  const [year, monthIndex] = parseMonth(month);
  return formatMonth(year, monthIndex - offset);
}

function windowOf(month: string, mode: ReportWindowMode, start: Date, end: Date): ReportWindow {
  const minutes = Math.round((end.getTime() - start.getTime()) / 60_000);
  return {
    month,
    mode,
    start: start.toISOString(),
    end: end.toISOString(),
    minutes,
    // '31d' for October, as the service's month ranges label it.
    window: { label: `${minutes / 1440}d`, minutes },
  };
}

/** monthWindow('2026-10') -> 2026-10-01T00:00Z .. 2026-11-01T00:00Z, 44640 min. */
export function monthWindow(month: string): ReportWindow {
  const [year, monthIndex] = parseMonth(month);
  return windowOf(month, 'calendar', new Date(Date.UTC(year, monthIndex, 1)), new Date(Date.UTC(year, monthIndex + 1, 1)));
}

/**
 * Rolling 28 days ending at 00:00 UTC of the report date (default: the 4th of the following
 * month). rollingReportWindow('2026-10') -> 2026-10-07T00:00Z .. 2026-11-04T00:00Z, 40320 min.
 */
export function rollingReportWindow(month: string, reportDate?: string): ReportWindow {
  const [year, monthIndex] = parseMonth(month);
  let end: Date;
  if (reportDate === undefined) {
    end = new Date(Date.UTC(year, monthIndex + 1, REPORT_DAY_OF_MONTH));
  } else {
    end = new Date(`${reportDate}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(reportDate) || Number.isNaN(end.getTime()) || end.toISOString().slice(0, 10) !== reportDate) {
      throw new BudgetInputError(`report date "${reportDate}" is not a date like 2026-11-04`);
    }
    // The round trip above lets any year through (0026, 9999): the same 1970-2100 as everywhere.
    const bad = yearRejection(end.getUTCFullYear());
    if (bad) throw new BudgetInputError(`report date "${reportDate}": ${bad.message}`);
  }
  const start = new Date(end.getTime() - ROLLING_DAYS * DAY_MS);
  const early = instantRejection(start.getTime());
  if (early) throw new BudgetInputError(`report date "${reportDate ?? end.toISOString().slice(0, 10)}": the ${ROLLING_DAYS}-day window would start at ${start.toISOString()}: ${early.message}`);
  return windowOf(month, 'rolling', start, end);
}

/** The window of a month in the given mode (rolling: ending on that month's default report date). */
export function reportWindow(month: string, mode: ReportWindowMode = 'calendar'): ReportWindow {
  return mode === 'calendar' ? monthWindow(month) : rollingReportWindow(month);
}
