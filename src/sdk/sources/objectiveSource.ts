/**
 * An objective's figures from Prometheus (issue 13; docs/objectives.md "Prometheus"): turns an
 * ObjectiveSpec's SLI into PromQL (objectiveQueries.ts), asks the server, and hands the counts to
 * the objective engine (objectives/engine). Every query sent is returned with the figures, so
 * `budget-lens slo status` can show where a number came from.
 *
 * - Occurrences: one instant query per part (good or bad, and total) over the window at `at`.
 * - Timeslices / RatioTimeslices: one range query per part with step = timeSliceWindow, each point
 *   the slice's own count (`increase(x[5m])` at the slice's end); slices are laid from the
 *   window's start, so the last one ends at `at` for a rolling window.
 * - A threshold over a classic histogram is a bucket ratio (`x_bucket{le="16"}` over `x_count`);
 *   a threshold over any other expression (a histogram_quantile) is a per-slice value, Timeslices
 *   and RatioTimeslices only.
 * - Burn rates: Occurrences asks the same queries over each alert window; slice methods take the
 *   window's last slices (no extra queries).
 */
import type { ObjectiveSpec, MetricQuery } from '../objectives/spec';
import type { ObjectiveBurnDownPoint, ObjectiveQuery } from '../contract/objectiveTypes';
import type { ObjectiveEvaluation, ObjectiveEvaluationOptions, ObjectiveEvaluator } from '../objectives/evaluator';
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
} from '../objectives/engine';
import type { BurnAlertResult, BurnAlertTier, BurnWindowCounts, EventCounts, ObjectiveFigures, SliceSample } from '../objectives/engine';
import type { PrometheusClient } from './prometheusClient';
import {
  ObjectiveQueryError,
  bucketMatcherFor,
  counterTermsOf,
  histogramBase,
  histogramBoundsQuery,
  histogramParts,
  parseSelector,
  promDuration,
  windowCountQuery,
  withLe,
  writtenLe,
} from './objectiveQueries';
import type { CounterTerm } from './objectiveQueries';

/** One PromQL expression Budget Lens sent, and why. */
export interface ExplainedQuery {
  /** good, bad, total (events), value / ratio (per slice), bounds (a histogram's le values). */
  role: 'good' | 'bad' | 'total' | 'value' | 'ratio' | 'bounds';
  query: string;
  /** instant at `at`, or a range with step (seconds). */
  kind: 'instant' | 'range';
  stepSeconds?: number;
  /** The window this query measures: the objective's ("28d") or a burn window ("1h"). */
  window: string;
}

export interface PrometheusObjectiveStatus {
  objective: string;
  figures: ObjectiveFigures;
  /** The measured part of the window: [start, end), ISO; `end` is the evaluation time. */
  range: { start: string; end: string; minutes: number };
  /** (bad / total) / (1 - T) over the last hour; null without events. */
  burnRate1h: number | null;
  burnAlerts: BurnAlertResult[];
  /** Every expression sent for the window and, for Occurrences, the burn windows. */
  queries: ExplainedQuery[];
  warnings: string[];
}

export interface PrometheusObjectiveOptions {
  /** Evaluation time; floored to the minute. Default now. */
  at?: Date;
  signal?: AbortSignal;
}

/** What the SLI measures, once resolved against the server (histogram bounds read). */
type Plan =
  | { kind: 'events'; numerator: 'good' | 'bad'; num: readonly CounterTerm[]; total: readonly CounterTerm[]; counter: boolean }
  | { kind: 'values'; query: string; op: 'lt' | 'lte' | 'gt' | 'gte'; threshold: string }
  | { kind: 'raw'; query: string; failure: boolean };

const MAX_POINTS = 10_000;
const MINUTE_MS = 60_000;

function queryText(q: MetricQuery | undefined, what: string, objective: string): string {
  if (q === undefined) throw new ObjectiveQueryError(`objective ${objective}: no ${what} query`, 'unsupported_sli');
  if (q.sourceType !== 'prometheus') {
    throw new ObjectiveQueryError(`objective ${objective}: the ${what} query's source type is ${q.sourceType}; only prometheus is evaluated here`, 'unsupported_sli');
  }
  const text = q.spec['query'];
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ObjectiveQueryError(`objective ${objective}: the ${what} query needs spec.query (a PromQL selector of the counter)`, 'unsupported_sli');
  }
  return text.trim();
}

/** Replaces the `le` of every bucket selector by the stored spellings of that bound (or refuses it). */
async function resolveBuckets(
  terms: readonly CounterTerm[],
  windowMinutes: number,
  ask: (role: 'bounds', query: string) => Promise<string[]>,
): Promise<CounterTerm[]> {
  const out: CounterTerm[] = [];
  for (const t of terms) {
    const le = writtenLe(t.selector);
    if (!t.selector.metric.endsWith('_bucket') || le === undefined) {
      out.push(t);
      continue;
    }
    const base = histogramBase(t.selector.metric);
    const stored = await ask('bounds', histogramBoundsQuery(base, t.selector.matchers, windowMinutes));
    out.push({ sign: t.sign, selector: withLe(t.selector, bucketMatcherFor(base, le, stored)) });
  }
  return out;
}

async function planOf(spec: ObjectiveSpec, windowMinutes: number, ask: (role: 'bounds', query: string) => Promise<string[]>): Promise<Plan> {
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
      return { kind: 'raw', query: queryText(sli.raw, 'raw', spec.name), failure: sli.rawType === 'failure' };
    }
    const numerator = sli.form;
    const num = counterTermsOf(queryText(sli[numerator], numerator, spec.name), `objective ${spec.name}: ${numerator}`);
    const total = counterTermsOf(queryText(sli.total, 'total', spec.name), `objective ${spec.name}: total`);
    return {
      kind: 'events',
      numerator,
      num: await resolveBuckets(num, windowMinutes, ask),
      total: await resolveBuckets(total, windowMinutes, ask),
      counter: sli.counter,
    };
  }
  const text = queryText(sli.metric, 'threshold metric', spec.name);
  const sel = parseSelector(text);
  if (sel !== undefined) {
    // A classic histogram: the share of observations at or under the threshold.
    const base = histogramBase(sel.metric);
    const stored = await ask('bounds', histogramBoundsQuery(base, sel.matchers, windowMinutes));
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

function one(values: readonly { value: number }[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((s, v) => s + v.value, 0);
}

function events(numerator: 'good' | 'bad', num: number | undefined, total: number | undefined): EventCounts {
  const t = total ?? 0;
  const n = num ?? 0;
  return numerator === 'good' ? { good: n, total: t } : { bad: n, total: t };
}

type SeriesAsk = (role: ExplainedQuery['role'], query: string) => Promise<Map<number, number>>;

/** One sample per slice ending at `ends` from the range queries `series` sends (step = slice). */
async function sliceSamplesOf(plan: Plan, ends: readonly number[], slice: number, series: SeriesAsk): Promise<SliceSample[]> {
  if (plan.kind === 'events') {
    const [num, total] = await Promise.all([
      series(plan.numerator, windowCountQuery(plan.num, plan.counter, slice)),
      series('total', windowCountQuery(plan.total, plan.counter, slice)),
    ]);
    return ends.map((t) => (total.has(t) ? events(plan.numerator, num.get(t), total.get(t)) : null));
  }
  if (plan.kind === 'values') {
    const values = await series('value', plan.query);
    return ends.map((t) => {
      const v = values.get(t);
      return v === undefined ? null : meetsThreshold(v, plan.op, plan.threshold) ? 1 : 0;
    });
  }
  const ratios = await series('ratio', plan.query);
  return ends.map((t) => {
    const v = ratios.get(t);
    return v === undefined ? null : plan.failure ? 1 - v : v;
  });
}

/** Evaluates one objective against Prometheus at `at`. Throws ObjectiveQueryError (refused SLI) or PrometheusError. */
export async function evaluatePrometheusObjective(
  client: PrometheusClient,
  spec: ObjectiveSpec,
  opts: PrometheusObjectiveOptions = {},
): Promise<PrometheusObjectiveStatus> {
  const atMs = Math.floor((opts.at ?? new Date()).getTime() / MINUTE_MS) * MINUTE_MS;
  const at = new Date(atMs);
  const range = windowRange(spec.window, atMs);
  const elapsed = Math.floor((Math.min(atMs, range.end) - range.start) / MINUTE_MS);
  const windowLabel = spec.window.label;
  const queries: ExplainedQuery[] = [];
  const warnings: string[] = [];
  const instant = async (role: ExplainedQuery['role'], query: string, window: string): Promise<{ labels: Record<string, string>; value: number }[]> => {
    queries.push({ role, query, kind: 'instant', window });
    const ans = await client.query(query, at, opts.signal);
    warnings.push(...ans.warnings);
    return ans.result;
  };
  const askBounds = async (role: 'bounds', query: string): Promise<string[]> =>
    (await instant(role, query, windowLabel)).map((s) => s.labels['le']).filter((x): x is string => x !== undefined);

  if (elapsed <= 0) throw new ObjectiveQueryError(`objective ${spec.name}: its window starts at ${new Date(range.start).toISOString()}, nothing to measure yet`, 'unsupported_sli');
  const plan = await planOf(spec, elapsed, askBounds);
  const tiers = objectiveBurnTiers(spec);
  const burnMinutes = [...new Set([...burnAlertWindows(spec.target, tiers), 60])].sort((a, b) => a - b);
  const result = (figures: ObjectiveFigures, burnWindows: BurnWindowCounts[]): PrometheusObjectiveStatus => {
    const hour = burnWindows.find((w) => w.minutes === 60);
    return {
      objective: spec.name,
      figures,
      range: { start: new Date(range.start).toISOString(), end: at.toISOString(), minutes: elapsed },
      burnRate1h: hour === undefined ? null : burnRate(hour.counts, spec.target),
      burnAlerts: evaluateBurnAlerts(burnWindows, { target: spec.target, tiers }),
      queries,
      warnings,
    };
  };

  if (spec.budgetingMethod === 'Occurrences') {
    if (plan.kind !== 'events') throw new ObjectiveQueryError(`objective ${spec.name}: Occurrences needs events`, 'unsupported_sli');
    const countsOver = async (minutes: number, window: string): Promise<EventCounts> => {
      const [num, total] = await Promise.all([
        instant(plan.numerator, windowCountQuery(plan.num, plan.counter, minutes), window),
        instant('total', windowCountQuery(plan.total, plan.counter, minutes), window),
      ]);
      return events(plan.numerator, one(num), one(total));
    };
    const counts = await countsOver(elapsed, windowLabel);
    const burnWindows: BurnWindowCounts[] = [];
    for (const m of burnMinutes) burnWindows.push({ minutes: m, counts: await countsOver(m, promDuration(m)) });
    const figures = evaluateObjective(spec, { kind: 'events', counts }, { windowMinutes: range.minutes });
    return result(figures, burnWindows);
  }

  // Slices: ends at start + slice, start + 2 slices, ..., start + n slices <= at.
  const slice = spec.timeSliceWindowMinutes;
  if (slice === undefined) throw new ObjectiveQueryError(`objective ${spec.name}: ${spec.budgetingMethod} needs a timeSliceWindow`, 'unsupported_sli');
  const n = Math.floor(elapsed / slice);
  const stepS = slice * 60;
  const ends = Array.from({ length: n }, (_, i) => range.start + (i + 1) * slice * MINUTE_MS);
  const series = async (role: ExplainedQuery['role'], query: string): Promise<Map<number, number>> => {
    queries.push({ role, query, kind: 'range', stepSeconds: stepS, window: windowLabel });
    const byTime = new Map<number, number>();
    for (let i = 0; i < ends.length; i += MAX_POINTS) {
      const chunk = ends.slice(i, i + MAX_POINTS);
      const ans = await client.queryRange(query, new Date(chunk[0]!), new Date(chunk[chunk.length - 1]!), stepS, opts.signal);
      warnings.push(...ans.warnings);
      for (const s of ans.result) for (const [t, v] of s.points) byTime.set(Math.round(t * 1000), (byTime.get(Math.round(t * 1000)) ?? 0) + v);
    }
    return byTime;
  };
  const samples = await sliceSamplesOf(plan, ends, slice, series);
  const figures = evaluateObjective(spec, { kind: 'slices', samples }, { windowMinutes: range.minutes });
  const burnWindows = burnMinutes.map((m): BurnWindowCounts => {
    const k = Math.min(Math.floor(m / slice), samples.length);
    const last = k === 0 ? [] : samples.slice(samples.length - k);
    const sub = { windowMinutes: Math.max(k, 1) * slice, sliceMinutes: slice, target: spec.target };
    const f = spec.budgetingMethod === 'Timeslices' ? timesliceFigures(last, { ...sub, timeSliceTarget: spec.timeSliceTarget }) : ratioTimesliceFigures(last, sub);
    return { minutes: m, counts: burnCountsOf(f) };
  });
  return result(figures, burnWindows);
}

const DAY_MS = 86_400_000;

/** The budget left as the burn-down shows it: the share, null before any event or judged slice. */
function burnDownPoint(end: number, remainingFraction: number | null, spent: number): ObjectiveBurnDownPoint {
  return { day: new Date(end - 1).toISOString().slice(0, 10), end: new Date(end).toISOString(), remainingFraction, spent };
}

/**
 * The window's burn-down from Prometheus: one point per UTC day from the window's start to `at`
 * (the first and the last day may be partial), the budget left after each day from the counts
 * cumulated since the window's start (docs/objectives.md "Burn-down").
 *
 * - Occurrences: per part, one range query `sum(increase(x[1d]))` with a 1-day step whose points
 *   are the whole UTC days' ends, and one instant query for each partial day at the window's
 *   edges (none for a whole-day window ending at midnight). The budget after a day is the
 *   engine's over the events so far, as the figures count it.
 * - Timeslices / RatioTimeslices: the same range queries as the figures (step = slice); a day's
 *   point is the engine's figures over the slices that ended by then, against the whole window.
 */
export async function prometheusObjectiveBurnDown(
  client: PrometheusClient,
  spec: ObjectiveSpec,
  opts: PrometheusObjectiveOptions = {},
): Promise<{ points: ObjectiveBurnDownPoint[]; queries: ExplainedQuery[] }> {
  const atMs = Math.floor((opts.at ?? new Date()).getTime() / MINUTE_MS) * MINUTE_MS;
  const range = windowRange(spec.window, atMs);
  const elapsed = Math.floor((Math.min(atMs, range.end) - range.start) / MINUTE_MS);
  if (elapsed <= 0) throw new ObjectiveQueryError(`objective ${spec.name}: its window starts at ${new Date(range.start).toISOString()}, nothing to measure yet`, 'unsupported_sli');
  const from = atMs - elapsed * MINUTE_MS;
  const windowLabel = spec.window.label;
  const queries: ExplainedQuery[] = [];
  const instant = async (role: ExplainedQuery['role'], query: string, at: number, window: string): Promise<{ labels: Record<string, string>; value: number }[]> => {
    queries.push({ role, query, kind: 'instant', window });
    return (await client.query(query, new Date(at), opts.signal)).result;
  };
  const ranged = async (role: ExplainedQuery['role'], query: string, ends: readonly number[], stepMinutes: number, window: string): Promise<Map<number, number>> => {
    const stepS = stepMinutes * 60;
    queries.push({ role, query, kind: 'range', stepSeconds: stepS, window });
    const byTime = new Map<number, number>();
    for (let i = 0; i < ends.length; i += MAX_POINTS) {
      const chunk = ends.slice(i, i + MAX_POINTS);
      const ans = await client.queryRange(query, new Date(chunk[0]!), new Date(chunk[chunk.length - 1]!), stepS, opts.signal);
      for (const s of ans.result) for (const [t, v] of s.points) byTime.set(Math.round(t * 1000), (byTime.get(Math.round(t * 1000)) ?? 0) + v);
    }
    return byTime;
  };
  const plan = await planOf(spec, elapsed, async (role, query) =>
    (await instant(role, query, atMs, windowLabel)).map((s) => s.labels['le']).filter((x): x is string => x !== undefined),
  );
  // Day boundaries: the window's start, every UTC midnight inside it, `at`.
  const bounds = [from];
  for (let d = Math.floor(from / DAY_MS) + 1; d * DAY_MS < atMs; d++) bounds.push(d * DAY_MS);
  bounds.push(atMs);
  const days = bounds.slice(1).map((end, i) => ({ start: bounds[i]!, end }));
  const points: ObjectiveBurnDownPoint[] = [];

  if (spec.budgetingMethod === 'Occurrences') {
    if (plan.kind !== 'events') throw new ObjectiveQueryError(`objective ${spec.name}: Occurrences needs events`, 'unsupported_sli');
    const whole = days.filter((d) => d.end - d.start === DAY_MS).map((d) => d.end);
    const partial = days.filter((d) => d.end - d.start !== DAY_MS);
    const perDay = async (role: 'good' | 'bad' | 'total', terms: readonly CounterTerm[]): Promise<Map<number, number>> => {
      const [full, ...edges] = await Promise.all([
        whole.length > 0 ? ranged(role, windowCountQuery(terms, plan.counter, 1440), whole, 1440, '1d') : Promise.resolve(new Map<number, number>()),
        ...partial.map(async (d) => {
          const minutes = (d.end - d.start) / MINUTE_MS;
          return [d.end, one(await instant(role, windowCountQuery(terms, plan.counter, minutes), d.end, promDuration(minutes))) ?? 0] as const;
        }),
      ]);
      for (const [end, v] of edges) full.set(end, v);
      return full;
    };
    const [num, total] = await Promise.all([perDay(plan.numerator, plan.num), perDay('total', plan.total)]);
    let n = 0;
    let t = 0;
    for (const d of days) {
      const dayNum = num.get(d.end) ?? 0;
      const dayTotal = total.get(d.end) ?? 0;
      n += dayNum;
      t += dayTotal;
      const f = occurrenceFigures(events(plan.numerator, n, t), spec.target);
      points.push(burnDownPoint(d.end, f.remainingFraction, plan.numerator === 'bad' ? dayNum : Math.max(0, dayTotal - dayNum)));
    }
    return { points, queries };
  }

  const slice = spec.timeSliceWindowMinutes;
  if (slice === undefined) throw new ObjectiveQueryError(`objective ${spec.name}: ${spec.budgetingMethod} needs a timeSliceWindow`, 'unsupported_sli');
  const ends = Array.from({ length: Math.floor(elapsed / slice) }, (_, i) => range.start + (i + 1) * slice * MINUTE_MS);
  const samples = await sliceSamplesOf(plan, ends, slice, (role, query) => ranged(role, query, ends, slice, windowLabel));
  const sub = { windowMinutes: range.minutes, sliceMinutes: slice, target: spec.target };
  let i = 0;
  let spentBefore = 0;
  for (const d of days) {
    while (i < ends.length && ends[i]! <= d.end) i++;
    const upTo = samples.slice(0, i);
    const f = spec.budgetingMethod === 'Timeslices' ? timesliceFigures(upTo, { ...sub, timeSliceTarget: spec.timeSliceTarget }) : ratioTimesliceFigures(upTo, sub);
    const spent = f.method === 'Timeslices' ? f.badSlices : f.spentSlices;
    points.push(burnDownPoint(d.end, f.remainingFraction, spent - spentBefore));
    spentBefore = spent;
  }
  return { points, queries };
}

/**
 * Objectives for BudgetService (objectives/evaluator.ts) from Prometheus: evaluate is
 * evaluatePrometheusObjective, burnDown prometheusObjectiveBurnDown, both over one client.
 */
export class PrometheusObjectiveEvaluator implements ObjectiveEvaluator {
  readonly kind = 'prometheus';

  constructor(readonly client: PrometheusClient) {}

  /** The Prometheus base URL (the answers' provenance). */
  get source(): string {
    return this.client.baseUrl;
  }

  async evaluate(spec: ObjectiveSpec, opts: ObjectiveEvaluationOptions = {}): Promise<ObjectiveEvaluation> {
    return evaluatePrometheusObjective(this.client, spec, opts);
  }

  burnDown(spec: ObjectiveSpec, opts: ObjectiveEvaluationOptions = {}): Promise<{ points: ObjectiveBurnDownPoint[]; queries: ObjectiveQuery[] }> {
    return prometheusObjectiveBurnDown(this.client, spec, opts);
  }
}
