/**
 * How an objective is evaluated, whatever backend counts its events (issue 13; docs/objectives.md
 * "Prometheus" and "The embedded store"): the SLI is planned once (ratio parts, a histogram's
 * bucket ratio with the bound checked against the stored `le` values, a per-slice value), the
 * backend answers counts for ranges and per-slice samples, and the engine does every division.
 * The Prometheus source (sources/objectiveSource.ts) and the store (store/storeObjectives.ts)
 * both run this flow, so the same counts give the same figures, the same slices and the same
 * burn windows.
 *
 * - Occurrences: the parts over the window [start, at) and over each burn window [at − m, at).
 * - Timeslices / RatioTimeslices: slices laid from the window's start, ends start + slice,
 *   start + 2 slices, ..., start + n slices <= at; burn windows take the window's last slices.
 * - burnDown: one point per UTC day from the window's start to `at`.
 */
import type { ObjectiveBurnDownPoint, ObjectiveQuery } from '../contract/objectiveTypes';
import {
  DEFAULT_BURN_ALERT_TIERS,
  burnAlertWindows,
  burnCountsOf,
  burnRate,
  evaluateBurnAlerts,
  evaluateObjective,
  meetsThreshold,
  occurrenceFigures,
  ratioTimesliceFigures,
  tierOfAlertCondition,
  timesliceFigures,
  windowRange,
} from './engine';
import type { BurnAlertTier, BurnWindowCounts, EventCounts, ObjectiveFigures, RatioTimesliceFigures, SliceSample, TimesliceFigures } from './engine';
import type { ObjectiveEvaluation } from './evaluator';
import { ObjectiveQueryError, bucketMatcherFor, counterTermsOf, histogramBase, histogramParts, parseSelector, withLe, writtenLe } from './objectiveQuery';
import type { CounterTerm, LabelMatcher } from './objectiveQuery';
import type { MetricQuery, ObjectiveSpec } from './spec';

export const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** What the SLI measures, once resolved against the backend (histogram bounds read). */
export type ObjectivePlan =
  | { kind: 'events'; numerator: 'good' | 'bad'; num: readonly CounterTerm[]; total: readonly CounterTerm[]; counter: boolean }
  | { kind: 'values'; query: string; op: 'lt' | 'lte' | 'gt' | 'gte'; threshold: string }
  | { kind: 'raw'; query: string; failure: boolean };

/** A range [from, to) in epoch ms and the label of the window it measures ("28d", "1h"). */
export interface CountRange {
  from: number;
  to: number;
  window: string;
}

/** One part of an events SLI: the numerator (good or bad) or the total, as counter terms. */
export interface CountPart {
  role: 'good' | 'bad' | 'total';
  terms: readonly CounterTerm[];
}

/**
 * What a backend answers for the flow. Each method records what it evaluated in `queries`
 * (ObjectiveQuery: PromQL for Prometheus, the store's description of what it summed).
 */
export interface ObjectiveCounter {
  /** Which backend ("prometheus", "store"): named in refusals. */
  readonly kind: string;
  /** The query source types this backend evaluates, lower-cased (an objective of another type is refused). */
  readonly sourceTypes: readonly string[];
  /** The stored `le` values of `base`'s buckets with these matchers in the range. */
  bounds(base: string, matchers: readonly LabelMatcher[], range: CountRange): Promise<string[]>;
  /** Events of the terms over the range; undefined when the backend has no series for them. */
  count(role: 'good' | 'bad' | 'total', terms: readonly CounterTerm[], counter: boolean, range: CountRange): Promise<number | undefined>;
  /** Events of the terms per slice, by slice end (ms); an absent end is an unreported slice. */
  sliceCounts(role: 'good' | 'bad' | 'total', terms: readonly CounterTerm[], counter: boolean, ends: readonly number[], sliceMinutes: number, window: string): Promise<Map<number, number>>;
  /** The expression's value per slice, by slice end; null is a slice without events (empty), absent is unreported. */
  sliceValues(role: 'value' | 'ratio', query: string, ends: readonly number[], sliceMinutes: number, window: string): Promise<Map<number, number | null>>;
  /**
   * Optional: several parts' events over one range in one request (Prometheus: the parts joined
   * with `or`), in the order given; without it the flow calls count() per part.
   */
  countParts?(parts: readonly CountPart[], counter: boolean, range: CountRange): Promise<Array<number | undefined>>;
  /** Optional: several parts' events per slice in one request; without it, sliceCounts() per part. */
  slicePartCounts?(parts: readonly CountPart[], counter: boolean, ends: readonly number[], sliceMinutes: number, window: string): Promise<Array<Map<number, number>>>;
  /**
   * Optional: the parts' events per day of the burn-down (keyed by the day's end), in fewer
   * requests than one count() per part and day (Prometheus: one range query with a 1-day step).
   */
  dayCounts?(parts: readonly CountPart[], counter: boolean, days: ReadonlyArray<{ start: number; end: number }>): Promise<Array<Map<number, number>>>;
  readonly queries: ObjectiveQuery[];
  readonly warnings: string[];
}

function queryText(q: MetricQuery | undefined, what: string, spec: ObjectiveSpec, counter: ObjectiveCounter): string {
  if (q === undefined) throw new ObjectiveQueryError(`objective ${spec.name}: no ${what} query`, 'unsupported_sli');
  if (!counter.sourceTypes.includes(q.sourceType)) {
    throw new ObjectiveQueryError(`objective ${spec.name}: the ${what} query's source type is ${q.sourceType}; the ${counter.kind} evaluates ${counter.sourceTypes.join(' and ')} queries`, 'unsupported_sli');
  }
  const text = q.spec['query'];
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ObjectiveQueryError(`objective ${spec.name}: the ${what} query needs spec.query (a PromQL selector of the counter)`, 'unsupported_sli');
  }
  return text.trim();
}

/** Replaces the `le` of every bucket selector by the stored spellings of that bound (or refuses it). */
async function resolveBuckets(terms: readonly CounterTerm[], range: CountRange, counter: ObjectiveCounter): Promise<CounterTerm[]> {
  const out: CounterTerm[] = [];
  for (const t of terms) {
    const le = writtenLe(t.selector);
    if (!t.selector.metric.endsWith('_bucket') || le === undefined) {
      out.push(t);
      continue;
    }
    const base = histogramBase(t.selector.metric);
    const stored = await counter.bounds(base, t.selector.matchers.filter((m) => m.name !== 'le'), range);
    out.push({ sign: t.sign, selector: withLe(t.selector, bucketMatcherFor(base, le, stored)) });
  }
  return out;
}

/** The SLI's plan: ratio parts, a bucket ratio (bounds read from the backend) or a per-slice value. */
export async function planObjective(spec: ObjectiveSpec, range: CountRange, counter: ObjectiveCounter): Promise<ObjectivePlan> {
  const sli = spec.sli;
  const slices = spec.budgetingMethod !== 'Occurrences';
  if (sli.kind === 'ratio') {
    if (sli.form === 'raw') {
      if (!slices) {
        throw new ObjectiveQueryError(
          `objective ${spec.name}: a raw ratio has no events to count for Occurrences; use Timeslices or RatioTimeslices, or good/bad over total`,
          'unsupported_sli',
        );
      }
      return { kind: 'raw', query: queryText(sli.raw, 'raw', spec, counter), failure: sli.rawType === 'failure' };
    }
    const numerator = sli.form;
    const num = counterTermsOf(queryText(sli[numerator], numerator, spec, counter), `objective ${spec.name}: ${numerator}`);
    const total = counterTermsOf(queryText(sli.total, 'total', spec, counter), `objective ${spec.name}: total`);
    return {
      kind: 'events',
      numerator,
      num: await resolveBuckets(num, range, counter),
      total: await resolveBuckets(total, range, counter),
      counter: sli.counter,
    };
  }
  const text = queryText(sli.metric, 'threshold metric', spec, counter);
  const sel = parseSelector(text);
  if (sel !== undefined) {
    // A classic histogram: the share of observations at or under the threshold.
    const base = histogramBase(sel.metric);
    const stored = await counter.bounds(base, sel.matchers.filter((m) => m.name !== 'le'), range);
    const le = bucketMatcherFor(base, sli.threshold, stored);
    const { bucket, count } = histogramParts(base, sel.matchers, le);
    const under = sli.op === 'lt' || sli.op === 'lte';
    return { kind: 'events', numerator: under ? 'good' : 'bad', num: [{ sign: 1, selector: bucket }], total: [{ sign: 1, selector: count }], counter: true };
  }
  if (!slices) {
    throw new ObjectiveQueryError(
      `objective ${spec.name}: a threshold over "${text}" is one value per evaluation, not events: write the histogram (x or x_bucket{...}) for a bucket ratio, or use Timeslices for a per-slice value`,
      'unsupported_sli',
    );
  }
  return { kind: 'values', query: text, op: sli.op, threshold: sli.threshold };
}

/** The tiers of an objective: its own AlertConditions, else the workbook's defaults. */
export function objectiveBurnTiers(spec: Pick<ObjectiveSpec, 'alerts'>): readonly BurnAlertTier[] {
  if (spec.alerts === undefined || spec.alerts.length === 0) return DEFAULT_BURN_ALERT_TIERS;
  return spec.alerts.map((a) => tierOfAlertCondition({ condition: a.condition, op: a.op, threshold: a.threshold, lookbackWindowMinutes: a.lookbackWindowMinutes }));
}

function events(numerator: 'good' | 'bad', num: number | undefined, total: number | undefined): EventCounts {
  const t = total ?? 0;
  const n = num ?? 0;
  return numerator === 'good' ? { good: n, total: t } : { bad: n, total: t };
}

/** The numerator and the total of an events plan, in that order. */
function partsOf(plan: Extract<ObjectivePlan, { kind: 'events' }>): [CountPart, CountPart] {
  return [
    { role: plan.numerator, terms: plan.num },
    { role: 'total', terms: plan.total },
  ];
}

/** The parts' events over a range: one request where the backend can (countParts), else one per part. */
function countBoth(counter: ObjectiveCounter, plan: Extract<ObjectivePlan, { kind: 'events' }>, r: CountRange): Promise<Array<number | undefined>> {
  const parts = partsOf(plan);
  if (counter.countParts) return counter.countParts(parts, plan.counter, r);
  return Promise.all(parts.map((p) => counter.count(p.role, p.terms, plan.counter, r)));
}

/** PromQL-style duration of whole minutes (40320 -> 28d, 60 -> 1h, 90 -> 90m). */
export function minutesLabel(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

interface Laid {
  atMs: number;
  range: ReturnType<typeof windowRange>;
  elapsed: number;
}

function lay(spec: ObjectiveSpec, at: Date | undefined): Laid {
  const atMs = Math.floor((at ?? new Date()).getTime() / MINUTE_MS) * MINUTE_MS;
  const range = windowRange(spec.window, atMs);
  const elapsed = Math.floor((Math.min(atMs, range.end) - range.start) / MINUTE_MS);
  if (elapsed <= 0) throw new ObjectiveQueryError(`objective ${spec.name}: its window starts at ${new Date(range.start).toISOString()}, nothing to measure yet`, 'unsupported_sli');
  return { atMs, range, elapsed };
}

/** The slice samples of the window's slices ending at `ends` (a slice method's input). */
async function sliceSamples(plan: ObjectivePlan, ends: readonly number[], slice: number, window: string, counter: ObjectiveCounter): Promise<SliceSample[]> {
  if (plan.kind === 'events') {
    const parts = partsOf(plan);
    const [num, total] = counter.slicePartCounts
      ? await counter.slicePartCounts(parts, plan.counter, ends, slice, window)
      : await Promise.all(parts.map((p) => counter.sliceCounts(p.role, p.terms, plan.counter, ends, slice, window)));
    if (num === undefined || total === undefined) throw new Error('slicePartCounts answered fewer parts than asked');
    return ends.map((t) => (total.has(t) ? events(plan.numerator, num.get(t), total.get(t)) : null));
  }
  if (plan.kind === 'values') {
    const values = await counter.sliceValues('value', plan.query, ends, slice, window);
    return ends.map((t): SliceSample => {
      const v = values.get(t);
      if (v === undefined) return null;
      // NaN: Prometheus's answer for a slice without observations (histogram_quantile of nothing).
      if (v === null || Number.isNaN(v)) return { good: 0, total: 0 };
      return meetsThreshold(v, plan.op, plan.threshold) ? 1 : 0;
    });
  }
  const ratios = await counter.sliceValues('ratio', plan.query, ends, slice, window);
  return ends.map((t): SliceSample => {
    const v = ratios.get(t);
    if (v === undefined) return null;
    // NaN: 0 / 0 from Prometheus, a slice without events.
    if (v === null || Number.isNaN(v)) return { good: 0, total: 0 };
    return plan.failure ? 1 - v : v;
  });
}

function sliceEnds(spec: ObjectiveSpec, laid: Laid): { slice: number; ends: number[] } {
  const slice = spec.timeSliceWindowMinutes;
  if (slice === undefined) throw new ObjectiveQueryError(`objective ${spec.name}: ${spec.budgetingMethod} needs a timeSliceWindow`, 'unsupported_sli');
  const n = Math.floor(laid.elapsed / slice);
  return { slice, ends: Array.from({ length: n }, (_, i) => laid.range.start + (i + 1) * slice * MINUTE_MS) };
}

function sliceFiguresOf(spec: ObjectiveSpec, samples: readonly SliceSample[], windowMinutes: number, slice: number): TimesliceFigures | RatioTimesliceFigures {
  const opts = { windowMinutes, sliceMinutes: slice, target: spec.target };
  return spec.budgetingMethod === 'Timeslices' ? timesliceFigures(samples, { ...opts, timeSliceTarget: spec.timeSliceTarget }) : ratioTimesliceFigures(samples, opts);
}

/** Evaluates one objective at `at` with a backend's counts. Throws ObjectiveQueryError (refused SLI) or the backend's error. */
export async function evaluateObjectiveWith(counter: ObjectiveCounter, spec: ObjectiveSpec, opts: { at?: Date } = {}): Promise<ObjectiveEvaluation> {
  const laid = lay(spec, opts.at);
  const { atMs, range, elapsed } = laid;
  const windowLabel = spec.window.label;
  const whole: CountRange = { from: atMs - elapsed * MINUTE_MS, to: atMs, window: windowLabel };
  const plan = await planObjective(spec, whole, counter);
  const tiers = objectiveBurnTiers(spec);
  const burnMinutes = [...new Set([...burnAlertWindows(spec.target, tiers), 60])].sort((a, b) => a - b);
  const result = (figures: ObjectiveFigures, burnWindows: BurnWindowCounts[]): ObjectiveEvaluation => {
    const hour = burnWindows.find((w) => w.minutes === 60);
    return {
      objective: spec.name,
      figures,
      range: { start: new Date(range.start).toISOString(), end: new Date(atMs).toISOString(), minutes: elapsed },
      burnRate1h: hour === undefined ? null : burnRate(hour.counts, spec.target),
      burnAlerts: evaluateBurnAlerts(burnWindows, { target: spec.target, tiers }),
      queries: counter.queries,
      warnings: counter.warnings,
    };
  };

  if (spec.budgetingMethod === 'Occurrences') {
    if (plan.kind !== 'events') throw new ObjectiveQueryError(`objective ${spec.name}: Occurrences needs events`, 'unsupported_sli');
    const countsOver = async (r: CountRange): Promise<EventCounts> => {
      const [num, total] = await countBoth(counter, plan, r);
      return events(plan.numerator, num, total);
    };
    const counts = await countsOver(whole);
    const burnWindows: BurnWindowCounts[] = [];
    for (const m of burnMinutes) burnWindows.push({ minutes: m, counts: await countsOver({ from: atMs - m * MINUTE_MS, to: atMs, window: minutesLabel(m) }) });
    const figures = evaluateObjective(spec, { kind: 'events', counts }, { windowMinutes: range.minutes });
    return result(figures, burnWindows);
  }

  const { slice, ends } = sliceEnds(spec, laid);
  const samples = await sliceSamples(plan, ends, slice, windowLabel, counter);
  const figures = evaluateObjective(spec, { kind: 'slices', samples }, { windowMinutes: range.minutes });
  const burnWindows = burnMinutes.map((m): BurnWindowCounts => {
    const k = Math.min(Math.floor(m / slice), samples.length);
    const last = k === 0 ? [] : samples.slice(samples.length - k);
    return { minutes: m, counts: burnCountsOf(sliceFiguresOf(spec, last, Math.max(k, 1) * slice, slice)) };
  });
  return result(figures, burnWindows);
}

function remainingOf(f: { remainingFraction: number | null }): number | null {
  return f.remainingFraction;
}

/**
 * The window's burn-down with a backend's counts: one point per UTC day from the window's start
 * to `at` (the first and last days may be partial), each the budget left after that day from the
 * counts cumulated since the window's start, the budget being the whole window's as in the
 * figures (Occurrences: of the events so far).
 */
export async function burnDownWith(counter: ObjectiveCounter, spec: ObjectiveSpec, opts: { at?: Date } = {}): Promise<{ points: ObjectiveBurnDownPoint[]; queries: ObjectiveQuery[] }> {
  const laid = lay(spec, opts.at);
  const { atMs, range, elapsed } = laid;
  const from = atMs - elapsed * MINUTE_MS;
  const whole: CountRange = { from, to: atMs, window: spec.window.label };
  const plan = await planObjective(spec, whole, counter);
  const dayEnds: number[] = [];
  for (let d = Math.floor(from / DAY_MS) + 1; d * DAY_MS < atMs; d++) dayEnds.push(d * DAY_MS);
  dayEnds.push(atMs);
  const points: ObjectiveBurnDownPoint[] = [];
  const point = (end: number, remainingFraction: number | null, spent: number): ObjectiveBurnDownPoint => ({
    day: new Date(end - 1).toISOString().slice(0, 10),
    end: new Date(end).toISOString(),
    remainingFraction,
    spent,
  });
  if (spec.budgetingMethod === 'Occurrences') {
    if (plan.kind !== 'events') throw new ObjectiveQueryError(`objective ${spec.name}: Occurrences needs events`, 'unsupported_sli');
    const days = dayEnds.map((end, i) => ({ start: i === 0 ? from : dayEnds[i - 1]!, end }));
    const perDay = async (): Promise<Array<Map<number, number>>> => {
      if (counter.dayCounts) return counter.dayCounts(partsOf(plan), plan.counter, days);
      const out = [new Map<number, number>(), new Map<number, number>()];
      for (const d of days) {
        const counts = await countBoth(counter, plan, { from: d.start, to: d.end, window: minutesLabel((d.end - d.start) / MINUTE_MS) });
        counts.forEach((c, i) => out[i]!.set(d.end, c ?? 0));
      }
      return out;
    };
    const [num = new Map<number, number>(), tot = new Map<number, number>()] = await perDay();
    let n = 0;
    let total = 0;
    for (const d of days) {
      const dayNum = num.get(d.end) ?? 0;
      const dayTotal = tot.get(d.end) ?? 0;
      n += dayNum;
      total += dayTotal;
      points.push(point(d.end, remainingOf(occurrenceFigures(events(plan.numerator, n, total), spec.target)), plan.numerator === 'bad' ? dayNum : Math.max(0, dayTotal - dayNum)));
    }
    return { points, queries: counter.queries };
  }
  const { slice, ends } = sliceEnds(spec, laid);
  const samples = await sliceSamples(plan, ends, slice, spec.window.label, counter);
  let i = 0;
  let prevBurn = 0;
  for (const end of dayEnds) {
    while (i < ends.length && ends[i]! <= end) i++;
    const upTo = samples.slice(0, i);
    const f = sliceFiguresOf(spec, upTo, range.minutes, slice);
    const burnt = spec.budgetingMethod === 'Timeslices' ? (f.method === 'Timeslices' ? f.badSlices : 0) : f.method === 'RatioTimeslices' ? f.spentSlices : 0;
    points.push(point(end, i === 0 ? null : remainingOf(f), burnt - prevBurn));
    prevBurn = burnt;
  }
  return { points, queries: counter.queries };
}
