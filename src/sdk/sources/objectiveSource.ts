/**
 * An objective's figures from Prometheus (issue 13; docs/objectives.md "Prometheus"): turns an
 * ObjectiveSpec's SLI into PromQL (objectiveQueries.ts), asks the server, and hands the counts to
 * the objective engine (objectives/engine). Every query sent is returned with the figures, so
 * `budget-lens slo status` can show where a number came from.
 *
 * - One request per window: an SLI's parts (good or bad, and total) are joined in one expression
 *   (partsQuery) and told apart by a label; `queries` still lists each part's own expression.
 * - Occurrences: one instant query over the window at `at`.
 * - Timeslices / RatioTimeslices: one range query with step = timeSliceWindow, each point
 *   the slice's own count (`increase(x[5m])` at the slice's end); slices are laid from the
 *   window's start, so the last one ends at `at` for a rolling window.
 * - A threshold over a classic histogram is a bucket ratio (`x_bucket{le="16"}` over `x_count`);
 *   a threshold over any other expression (a histogram_quantile) is a per-slice value, Timeslices
 *   and RatioTimeslices only.
 * - Burn rates: Occurrences asks the same queries over each alert window; slice methods take the
 *   window's last slices (no extra queries).
 */
import type { ObjectiveSpec } from '../objectives/spec';
import type { ObjectiveBurnDownPoint, ObjectiveQuery } from '../contract/objectiveTypes';
import type { ObjectiveEvaluation, ObjectiveEvaluationOptions, ObjectiveEvaluator } from '../objectives/evaluator';
import type { BurnAlertResult, ObjectiveFigures } from '../objectives/engine';
import { MINUTE_MS, burnDownWith, evaluateObjectiveWith } from '../objectives/objectiveFlow';
import type { CountPart, CountRange, ObjectiveCounter } from '../objectives/objectiveFlow';
import type { CounterTerm, LabelMatcher } from '../objectives/objectiveQuery';
import type { PrometheusClient } from './prometheusClient';
import { histogramBoundsQuery, promDuration, windowCountQuery } from './objectiveQueries';

export { objectiveBurnTiers } from '../objectives/objectiveFlow';

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

const MAX_POINTS = 10_000;
const DAY_MS = 86_400_000;

function one(values: readonly { value: number }[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((s, v) => s + v.value, 0);
}

/** The label that tells the parts of a joined query apart (partsQuery). */
export const PART_LABEL = 'budget_lens_part';

/**
 * Several parts in one expression: each part labelled with its index and joined with `or`
 * (`label_replace(<good>, "budget_lens_part", "0", "", "") or label_replace(<total>, …, "1", …)`),
 * so a window costs one request whatever the number of parts. Each part is a `sum(...)` with no
 * labels of its own, so `or` keeps every part; a part with no series is absent from the answer,
 * as it would be alone.
 */
export function partsQuery(queries: readonly string[]): string {
  if (queries.length === 1) return queries[0]!;
  return queries.map((q, i) => `label_replace(${q}, "${PART_LABEL}", "${i}", "", "")`).join(' or ');
}

/** The index of the part a series answers (0 for a query of one part). */
function partOf(labels: Record<string, string>, parts: number): number {
  if (parts === 1) return 0;
  const i = Number(labels[PART_LABEL]);
  return Number.isInteger(i) && i >= 0 && i < parts ? i : -1;
}

/**
 * The flow's counts from Prometheus: each range's parts one instant query at the range's end,
 * slices one range query with step = slice, the parts joined (partsQuery). `queries` lists each
 * part's own expression (what a user pastes into Prometheus), `requests` what was sent.
 */
function prometheusCounter(client: PrometheusClient, signal: AbortSignal | undefined): ObjectiveCounter {
  const queries: ExplainedQuery[] = [];
  const warnings: string[] = [];
  const instant = async (role: ExplainedQuery['role'], query: string, at: number, window: string): Promise<{ labels: Record<string, string>; value: number }[]> => {
    queries.push({ role, query, kind: 'instant', window });
    const ans = await client.query(query, new Date(at), signal);
    warnings.push(...ans.warnings);
    return ans.result;
  };
  const minutesOf = (r: CountRange): number => Math.round((r.to - r.from) / MINUTE_MS);
  /** The parts' values at `at`: one request; undefined for a part with no series. */
  const instantParts = async (parts: readonly CountPart[], counter: boolean, minutes: number, at: number, window: string): Promise<Array<number | undefined>> => {
    const exprs = parts.map((p) => windowCountQuery(p.terms, counter, minutes));
    parts.forEach((p, i) => queries.push({ role: p.role, query: exprs[i]!, kind: 'instant', window }));
    const ans = await client.query(partsQuery(exprs), new Date(at), signal);
    warnings.push(...ans.warnings);
    return parts.map((_, i) => one(ans.result.filter((s) => partOf(s.labels, parts.length) === i)));
  };
  /** Per part, its points by time (ms): one range request (chunked past MAX_POINTS). */
  const seriesParts = async (parts: ReadonlyArray<{ role: ExplainedQuery['role']; query: string }>, ends: readonly number[], sliceMinutes: number, window: string): Promise<Array<Map<number, number>>> => {
    const stepS = sliceMinutes * 60;
    for (const p of parts) queries.push({ role: p.role, query: p.query, kind: 'range', stepSeconds: stepS, window });
    const out = parts.map(() => new Map<number, number>());
    const expr = partsQuery(parts.map((p) => p.query));
    for (let i = 0; i < ends.length; i += MAX_POINTS) {
      const chunk = ends.slice(i, i + MAX_POINTS);
      const ans = await client.queryRange(expr, new Date(chunk[0]!), new Date(chunk[chunk.length - 1]!), stepS, signal);
      warnings.push(...ans.warnings);
      for (const s of ans.result) {
        const byTime = out[partOf(s.labels, parts.length)];
        if (byTime === undefined) continue;
        for (const [t, v] of s.points) byTime.set(Math.round(t * 1000), (byTime.get(Math.round(t * 1000)) ?? 0) + v);
      }
    }
    return out;
  };
  const countQueries = (parts: readonly CountPart[], counter: boolean, minutes: number): Array<{ role: ExplainedQuery['role']; query: string }> =>
    parts.map((p) => ({ role: p.role, query: windowCountQuery(p.terms, counter, minutes) }));
  return {
    kind: 'prometheus source',
    queries,
    warnings,
    sourceTypes: ['prometheus'],
    bounds: async (base: string, matchers: readonly LabelMatcher[], r: CountRange) =>
      (await instant('bounds', histogramBoundsQuery(base, matchers, minutesOf(r)), r.to, r.window)).map((s) => s.labels['le']).filter((x): x is string => x !== undefined),
    count: async (role, terms: readonly CounterTerm[], counter, r) => (await instantParts([{ role, terms }], counter, minutesOf(r), r.to, r.window))[0],
    countParts: (parts, counter, r) => instantParts(parts, counter, minutesOf(r), r.to, r.window),
    sliceCounts: async (role, terms, counter, ends, slice, window) => (await seriesParts(countQueries([{ role, terms }], counter, slice), ends, slice, window))[0]!,
    slicePartCounts: (parts, counter, ends, slice, window) => seriesParts(countQueries(parts, counter, slice), ends, slice, window),
    sliceValues: async (role, query, ends, slice, window) => (await seriesParts([{ role, query }], ends, slice, window))[0]!,
    // The burn-down's days: one range query `sum(increase(x[1d]))` with a 1-day step whose points
    // are the whole UTC days' ends, and one instant query per partial day at the window's edges;
    // the parts joined in each.
    dayCounts: async (parts, counter, days) => {
      const whole = days.filter((d) => d.end - d.start === DAY_MS).map((d) => d.end);
      const partial = days.filter((d) => d.end - d.start !== DAY_MS);
      const [full, ...edges] = await Promise.all([
        whole.length > 0 ? seriesParts(countQueries(parts, counter, 1440), whole, 1440, '1d') : Promise.resolve(parts.map(() => new Map<number, number>())),
        ...partial.map(async (d) => {
          const minutes = (d.end - d.start) / MINUTE_MS;
          return [d.end, await instantParts(parts, counter, minutes, d.end, promDuration(minutes))] as const;
        }),
      ]);
      for (const [end, values] of edges) values.forEach((v, i) => full[i]!.set(end, v ?? 0));
      return full;
    },
  };
}

/** Evaluates one objective against Prometheus at `at`. Throws ObjectiveQueryError (refused SLI) or PrometheusError. */
export async function evaluatePrometheusObjective(
  client: PrometheusClient,
  spec: ObjectiveSpec,
  opts: PrometheusObjectiveOptions = {},
): Promise<PrometheusObjectiveStatus> {
  return evaluateObjectiveWith(prometheusCounter(client, opts.signal), spec, { at: opts.at });
}

/**
 * The window's burn-down from Prometheus: one point per UTC day from the window's start to `at`
 * (the first and the last day may be partial), the budget left after each day from the counts
 * cumulated since the window's start (docs/objectives.md "Burn-down").
 *
 * - Occurrences: one range query `sum(increase(x[1d]))` with a 1-day step (the parts joined)
 *   whose points are the whole UTC days' ends, and one instant query for each partial day at the
 *   window's edges (none for a whole-day window ending at midnight). The budget after a day is the
 *   engine's over the events so far, as the figures count it.
 * - Timeslices / RatioTimeslices: the same range queries as the figures (step = slice); a day's
 *   point is the engine's figures over the slices that ended by then, against the whole window.
 */
export async function prometheusObjectiveBurnDown(
  client: PrometheusClient,
  spec: ObjectiveSpec,
  opts: PrometheusObjectiveOptions = {},
): Promise<{ points: ObjectiveBurnDownPoint[]; queries: ExplainedQuery[] }> {
  return burnDownWith(prometheusCounter(client, opts.signal), spec, { at: opts.at });
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
