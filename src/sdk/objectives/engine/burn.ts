/**
 * Burn rates and multi-window burn-rate alerts for objectives (domain.md F9, F11; the Google SRE
 * workbook's multiwindow, multi-burn-rate alerts).
 *
 *   burn rate over a window = (bad / total in that window) / (1 - T)
 *
 * 1 spends the budget exactly over the window's length; 14.4 spends a 30-day budget in ~2 days.
 * For Timeslices the events are slices (bad slices of the judged ones), for RatioTimeslices the
 * slices' bad ratios (spent of judged): burnCountsOf turns any figures into the counts burnRate takes.
 *
 * A tier fires when both its long and its short window burn strictly above `factor` (op `gt`, the
 * workbook's `> 14.4 * (1 - T)`, as the GitLab burn alert does); a tier may say `gte` instead, or,
 * as an OpenSLO AlertCondition may, `lt` / `lte`. Two guards:
 * - Unreachable tiers: every event bad burns at 1 / (1 - T), the most a window can burn. A tier
 *   whose factor is above that (or equal to it, for `gt`) can never fire: a 90 % target caps the
 *   burn at 10x, so a 14.4x tier is dead. It is returned as `unreachable` with the reason, and
 *   burnAlertWindows does not ask for its counts.
 * - Low traffic: a handful of events must not page anyone. The short window (the only window of a
 *   single-window tier) needs at least minShortWindowEvents(target, factor) =
 *   ceil(5 / (factor * (1 - T))) events: the events at which crossing the factor takes 5 bad ones
 *   (MIN_BAD_EVENTS_TO_FIRE; one to four are one user retrying, not a rate). 99.95 % at 14.4x:
 *   5 / 0.0072 = 694.4 -> 695; at 6x: 1,667; 99.9 % at 14.4x: 348. Below it the tier says
 *   `low_traffic` and does not fire. `lt` / `lte` tiers are not guarded.
 */
import { BudgetInputError } from '../../budget/budgetInputError';
import type { ExactDecimal } from '../../budget/exactDecimal';
import { ONE, dec, toNumber } from '../../budget/exactDecimal';
import { readEvents } from './counts';
import type { EventCounts, SliceOutcomes } from './counts';
import type { OccurrenceFigures } from './occurrences';
import type { RatioTimesliceFigures } from './ratioTimeslices';
import { objectiveTarget } from './target';
import type { TimesliceFigures } from './timeslices';
import type { BurnAlertOp, BurnAlertTier, BurnAlertResult } from '../../contract/objectiveTypes';
export type { BurnAlertOp, BurnAlertTier, BurnAlertState, BurnAlertResult } from '../../contract/objectiveTypes';



/** The workbook's tiers for a 30-day budget: 2 % in 1 h, 5 % in 6 h, 10 % in 3 d. */
export const DEFAULT_BURN_ALERT_TIERS: readonly BurnAlertTier[] = Object.freeze([
  Object.freeze({ longWindowMinutes: 60, shortWindowMinutes: 5, factor: '14.4' }),
  Object.freeze({ longWindowMinutes: 360, shortWindowMinutes: 30, factor: '6' }),
  Object.freeze({ longWindowMinutes: 4320, shortWindowMinutes: 360, factor: '1' }),
]);

/** The low-traffic guard in bad events: the short window must be large enough that crossing the factor takes 5. */
export const MIN_BAD_EVENTS_TO_FIRE = 5;

function burnExact(counts: EventCounts, allowed: ExactDecimal, what: string): { rate: ExactDecimal | null; total: number } {
  const ev = readEvents(counts, what);
  if (!ev.totalExact.gt(0)) return { rate: null, total: ev.total };
  return { rate: ev.badExact.div(ev.totalExact).div(allowed), total: ev.total };
}

/**
 * (bad / total) / (1 - T), exact, rounded once. 72 bad of 10,000 at 0.9995 -> 14.4.
 * Null when the window has no events; bad is clamped to [0, total].
 */
export function burnRate(counts: EventCounts, target: string): number | null {
  const { rate } = burnExact(counts, objectiveTarget(target).allowed, 'burn window');
  return rate === null ? null : toNumber(rate);
}

/** The most any window can burn: every event bad, 1 / (1 - T). 0.9 -> 10; 0.999 -> 1000. */
export function maxBurnRate(target: string): number {
  return toNumber(ONE.div(objectiveTarget(target).allowed));
}

/** The events burnRate takes for figures of any budgeting method (see the header). */
export function burnCountsOf(figures: OccurrenceFigures | TimesliceFigures | RatioTimesliceFigures): EventCounts {
  switch (figures.method) {
    case 'Occurrences':
      return { bad: Math.min(Math.max(figures.bad, 0), figures.total), total: figures.total };
    case 'Timeslices':
      return sliceBurnCounts({ good: figures.goodSlices, bad: figures.badSlices, empty: figures.emptySlices });
    case 'RatioTimeslices':
      return { bad: figures.spentSlices, total: figures.judgedSlices };
  }
}

/** Timeslices: bad slices of the judged (good + bad) ones; empty slices do not burn. */
export function sliceBurnCounts(outcomes: SliceOutcomes): EventCounts {
  return { bad: outcomes.bad, total: outcomes.good + outcomes.bad };
}

/**
 * F11 in minutes: remaining fraction * window minutes / burn rate, the time the budget lasts if the
 * window keeps burning at this rate. R = 0.6, burn 2, 28 d -> 12,096 min (8.4 d). Null when nothing
 * burns (no data, or a rate <= 0); 0 when the budget is already gone.
 */
export function timeToExhaustionMinutes(remainingFraction: number | null, rate: number | null, windowMinutes: number): number | null {
  if (remainingFraction === null || rate === null || !(rate > 0)) return null;
  if (remainingFraction <= 0) return 0;
  return toNumber(dec(remainingFraction).times(dec(windowMinutes)).div(dec(rate)));
}

function factorOf(tier: BurnAlertTier): ExactDecimal {
  let f: ExactDecimal;
  try {
    f = dec(tier.factor);
  } catch {
    throw new BudgetInputError(`burn-rate factor "${String(tier.factor)}" is not a number`);
  }
  if (!f.isFinite() || !f.gt(0)) throw new BudgetInputError(`burn-rate factor ${String(tier.factor)} must be greater than 0`);
  return f;
}

function assertWindow(minutes: number | undefined, name: string): void {
  if (minutes === undefined) return;
  if (!Number.isFinite(minutes) || minutes <= 0) throw new BudgetInputError(`${name} ${String(minutes)} must be a positive number of minutes`);
}

function tierName(tier: BurnAlertTier): string {
  if (tier.name !== undefined) return tier.name;
  const w = (m: number): string => (m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`);
  const windows = tier.shortWindowMinutes === undefined ? w(tier.longWindowMinutes) : `${w(tier.longWindowMinutes)}/${w(tier.shortWindowMinutes)}`;
  const op = tier.op ?? 'gt';
  return `${windows} ${op === 'gt' ? 'above' : op === 'gte' ? 'at least' : op === 'lt' ? 'below' : 'at most'} ${String(tier.factor)}x`;
}

/**
 * The low-traffic guard: the events the short window needs before a tier may fire,
 * ceil(MIN_BAD_EVENTS_TO_FIRE / (factor * (1 - T))), exact. 0.9995 at 14.4 -> 695; at 6 -> 1,667.
 */
export function minShortWindowEvents(target: string, factor: string | number): number {
  const { allowed } = objectiveTarget(target);
  const f = factorOf({ longWindowMinutes: 1, factor });
  return toNumber(dec(MIN_BAD_EVENTS_TO_FIRE).div(f.times(allowed)).ceil());
}

/** Why a tier can never fire, or null when it can: a factor at or above the cap for `gt`, above it for `gte`. */
export function unreachableReason(target: string, factor: string | number, op: BurnAlertOp = 'gt'): string | null {
  const { allowed } = objectiveTarget(target);
  const max = ONE.div(allowed);
  const f = factorOf({ longWindowMinutes: 1, factor });
  const dead = op === 'gt' ? f.gte(max) : op === 'gte' ? f.gt(max) : false;
  if (!dead) return null;
  const needs = op === 'gt' ? 'above' : 'at least';
  return `a target of ${target} caps the burn rate at ${toNumber(max)}x (every event bad), so a burn ${needs} ${String(factor)}x can never happen`;
}

function holds(rate: ExactDecimal, op: BurnAlertOp, factor: ExactDecimal): boolean {
  const c = rate.cmp(factor);
  return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
}

/** An OpenSLO burnrate AlertCondition as the definitions read it (ObjectiveSpec alerts): one lookback window. */
export interface AlertConditionLike {
  /** The condition's name, for messages. */
  condition?: string;
  op: BurnAlertOp;
  /** The burn rate, a decimal string ("14.4"). */
  threshold: string;
  lookbackWindowMinutes: number;
}

/** A single-window tier from an OpenSLO AlertCondition (its lookbackWindow, threshold and op). */
export function tierOfAlertCondition(c: AlertConditionLike): BurnAlertTier {
  return { longWindowMinutes: c.lookbackWindowMinutes, factor: c.threshold, op: c.op, ...(c.condition === undefined ? {} : { name: c.condition }) };
}

/**
 * The window lengths (minutes) whose counts evaluateBurnAlerts needs: the long and short windows
 * of the reachable tiers, ascending, each once.
 */
export function burnAlertWindows(target: string, tiers: readonly BurnAlertTier[] = DEFAULT_BURN_ALERT_TIERS): number[] {
  const minutes = new Set<number>();
  for (const tier of tiers) {
    if (unreachableReason(target, tier.factor, tier.op) !== null) continue;
    minutes.add(tier.longWindowMinutes);
    if (tier.shortWindowMinutes !== undefined) minutes.add(tier.shortWindowMinutes);
  }
  return [...minutes].sort((a, b) => a - b);
}

/** Counts of one alert window: the last `minutes` minutes up to the evaluation time. */
export interface BurnWindowCounts {
  minutes: number;
  counts: EventCounts;
}



export interface BurnAlertOptions {
  /** T as a ratio string ("0.999"). */
  target: string;
  /** Default DEFAULT_BURN_ALERT_TIERS (an objective's own AlertConditions otherwise). */
  tiers?: readonly BurnAlertTier[];
  /** Replaces the low-traffic rule with a fixed minimum of events (0 turns the guard off). */
  minShortWindowEvents?: number;
}

/**
 * Evaluates every tier over the windows' counts (one entry per window length: burnAlertWindows).
 * Throws BudgetInputError when a reachable tier's window has no entry.
 */
export function evaluateBurnAlerts(windows: readonly BurnWindowCounts[], opts: BurnAlertOptions): BurnAlertResult[] {
  const { allowed } = objectiveTarget(opts.target);
  const byMinutes = new Map<number, EventCounts>();
  for (const w of windows) byMinutes.set(w.minutes, w.counts);
  const countsFor = (minutes: number): EventCounts => {
    const c = byMinutes.get(minutes);
    if (c === undefined) throw new BudgetInputError(`no counts for the ${minutes}-minute burn-rate window`);
    return c;
  };
  if (opts.minShortWindowEvents !== undefined && !(opts.minShortWindowEvents >= 0)) {
    throw new BudgetInputError(`minShortWindowEvents ${String(opts.minShortWindowEvents)} must be >= 0`);
  }
  return (opts.tiers ?? DEFAULT_BURN_ALERT_TIERS).map((tier): BurnAlertResult => {
    assertWindow(tier.longWindowMinutes, 'longWindowMinutes');
    assertWindow(tier.shortWindowMinutes, 'shortWindowMinutes');
    const factor = factorOf(tier);
    const name = tierName(tier);
    const op = tier.op ?? 'gt';
    if (!['gt', 'gte', 'lt', 'lte'].includes(op)) throw new BudgetInputError(`burn-rate op "${String(op)}" is not gt, gte, lt or lte`);
    const guardedOp = op === 'gt' || op === 'gte';
    const minEvents = guardedOp ? (opts.minShortWindowEvents ?? minShortWindowEvents(opts.target, tier.factor)) : 0;
    const reason = unreachableReason(opts.target, tier.factor, op);
    const common = { tier, name, factor: toNumber(factor), minShortWindowEvents: minEvents };
    if (reason !== null) {
      return { ...common, state: 'unreachable', firing: false, longBurnRate: null, shortBurnRate: null, guardedWindowEvents: null, reason };
    }
    const long = burnExact(countsFor(tier.longWindowMinutes), allowed, `${tier.longWindowMinutes}-minute window`);
    const short = tier.shortWindowMinutes === undefined ? null : burnExact(countsFor(tier.shortWindowMinutes), allowed, `${tier.shortWindowMinutes}-minute window`);
    const guarded = short ?? long;
    const rates = {
      longBurnRate: long.rate === null ? null : toNumber(long.rate),
      shortBurnRate: short === null || short.rate === null ? null : toNumber(short.rate),
      guardedWindowEvents: guarded.total,
    };
    if (long.rate === null || (short !== null && short.rate === null)) return { ...common, ...rates, state: 'no_data', firing: false };
    if (guarded.total < minEvents) return { ...common, ...rates, state: 'low_traffic', firing: false };
    const firing = holds(long.rate, op, factor) && (short === null || (short.rate !== null && holds(short.rate, op, factor)));
    return { ...common, ...rates, state: firing ? 'firing' : 'quiet', firing };
  });
}
