/**
 * Window lengths ('28d', '7d', '6h', '30m', '2w'). The engine only needs the length in minutes;
 * where a window sits in time is the source's business (EvalOptions.at).
 */
import { BudgetInputError } from './budgetInputError';
import type { BudgetWindow } from '../contract/budgetTypes';

const UNIT_MINUTES: Readonly<Record<string, number>> = { m: 1, h: 60, d: 1440, w: 10080 };
const WINDOW_LABEL = /^(\d+)([mhdw])$/;

/** Longest window accepted: a year and a bit, enough for any report, small enough to stay exact. */
const MAX_MINUTES = 400 * 1440;

/**
 * '28d' -> { label: '28d', minutes: 40320 }. Throws BudgetInputError for anything that is not a
 * positive whole number followed by m, h, d or w.
 */
export function parseWindow(label: string): BudgetWindow {
  const match = WINDOW_LABEL.exec(label.trim());
  if (match === null) {
    throw new BudgetInputError(`window "${label}" is not a length like 28d, 7d, 6h, 30m or 2w`);
  }
  const count = Number(match[1]);
  const unit = match[2] as string;
  const minutes = count * (UNIT_MINUTES[unit] as number);
  if (count === 0) throw new BudgetInputError(`window "${label}" is empty`);
  if (minutes > MAX_MINUTES) throw new BudgetInputError(`window "${label}" is longer than 400 days`);
  return { label: `${count}${unit}`, minutes };
}

/** A window of a whole number of minutes with a label of your choosing (e.g. a calendar month). */
export function windowOfMinutes(minutes: number, label?: string): BudgetWindow {
  if (!Number.isInteger(minutes) || minutes <= 0) {
    throw new BudgetInputError(`window length ${minutes} min is not a positive whole number of minutes`);
  }
  return { label: label ?? `${minutes}m`, minutes };
}

/** The default budget window (GitLab: rolling 28 days). */
export const DEFAULT_WINDOW = '28d';

export const WINDOW_28D: BudgetWindow = Object.freeze({ label: '28d', minutes: 40320 });
export const WINDOW_7D: BudgetWindow = Object.freeze({ label: '7d', minutes: 10080 });

export function windowHours(window: BudgetWindow): number {
  return window.minutes / 60;
}

export function windowDays(window: BudgetWindow): number {
  return window.minutes / 1440;
}
