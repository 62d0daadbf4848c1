/**
 * Objectives from the embedded store (issue 13 item 5; docs/objectives.md "The embedded store"):
 * the ObjectiveEvaluator over the metric event logs' rows (eventLog.ts, schema 4). It runs the same
 * flow as the Prometheus source (objectives/objectiveFlow.ts): the query text is read the same way
 * (counter selectors, `sum(...)`, `+`/`-` terms, `x_bucket{le="16"}`, `x_count`, `x_sum`), and
 * the store sums the minutes of the matching series where Prometheus would take `increase`:
 *
 * - a range [from, to) sums the minutes from/60000 .. to/60000 − 1 (counter increments, a
 *   histogram's _count, _sum, or cumulative bucket of the `le` bound);
 * - a slice is the range ending at its end; every past slice is reported, a slice without rows
 *   is empty;
 * - `histogram_quantile(q, sum by (le) (rate(x_bucket[R])))` per slice: the DDSketches of the
 *   minutes [end − R, end) of the matching series merged, their q-quantile (within 1 %);
 * - a raw ratio `sum(rate(a[R])) / sum(rate(b[R]))` per slice: the sums of a and b over the
 *   minutes [end − R, end), divided (0 / 0 is an empty slice).
 *
 * Every row read is checked against its checksum; a damaged one refuses the evaluation
 * (StoreDamagedError), as StoreSource refuses damaged counts.
 */
import type { ObjectiveBurnDownPoint, ObjectiveQuery } from '../contract/objectiveTypes';
import type { ObjectiveEvaluation, ObjectiveEvaluationOptions, ObjectiveEvaluator } from '../objectives/evaluator';
import { MINUTE_MS, burnDownWith, evaluateObjectiveWith, minutesLabel } from '../objectives/objectiveFlow';
import type { CountRange, ObjectiveCounter } from '../objectives/objectiveFlow';
import { ObjectiveQueryError, formatSelector, histogramBase, parseQuantileQuery, parseRatioQuery } from '../objectives/objectiveQuery';
import type { CounterTerm, LabelMatcher, RatioQuery, Selector } from '../objectives/objectiveQuery';
import type { ObjectiveSpec } from '../objectives/spec';
import { DDSketch, sketchChecksum } from './ddSketch';
import { PART_BUCKET, PART_COUNT, PART_SUM, SUM_SCALE } from './eventLog';
import { StoreDamagedError } from './storeCheck';
import type { DamagedRow } from './storeCheck';
import type { StoreDatabase } from './storeSchema';
import { metricRowChecksumSql, openStoreDatabase } from './storeSchema';

/** The OpenSLO DataSource type of the store (lower-cased, as every source type is). */
export const STORE_SOURCE_TYPE = 'budget-lens-store';

interface SeriesRow {
  id: number;
  metric: string;
  labels: Record<string, string>;
  kind: 'counter' | 'histogram';
  bounds: number[] | null;
}

/** Prometheus's matcher semantics: a missing label is ""; regexes are anchored. */
function matches(labels: Record<string, string>, m: LabelMatcher): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

/** The `le` bound as Prometheus 2 writes it (16, 0.25) or +Inf. */
function leText(b: number): string {
  return String(b);
}

/** One selector resolved to stored rows: per series, the parts [from, to] to sum. */
interface Resolved {
  parts: Array<{ series: number; part: number; to: number }>;
  /** A _sum: the parts are in millionths. */
  scale: number;
}

const iso = (minute: number): string => new Date(minute * MINUTE_MS).toISOString().replace(':00.000Z', 'Z');

export class StoreObjectiveEvaluator implements ObjectiveEvaluator {
  readonly kind = 'store';
  private seriesCache: SeriesRow[] | undefined;

  constructor(
    private readonly db: StoreDatabase,
    private readonly path = 'store',
  ) {}

  private allSeries(): SeriesRow[] {
    this.seriesCache ??= (this.db.prepare('SELECT id, metric, labels, kind, bounds FROM metric_series ORDER BY id').all() as Array<{ id: number; metric: string; labels: string; kind: string; bounds: string | null }>).map(
      (r) => ({ id: r.id, metric: r.metric, labels: JSON.parse(r.labels) as Record<string, string>, kind: r.kind as 'counter' | 'histogram', bounds: r.bounds === null ? null : (JSON.parse(r.bounds) as number[]) }),
    );
    return this.seriesCache;
  }

  /** The metric names the store holds (histograms by their base name). */
  metrics(): string[] {
    return [...new Set(this.allSeries().map((s) => s.metric))].sort();
  }

  private seriesOf(metric: string, matchers: readonly LabelMatcher[], kind?: 'counter' | 'histogram'): SeriesRow[] {
    return this.allSeries().filter((s) => s.metric === metric && (kind === undefined || s.kind === kind) && matchers.every((m) => matches(s.labels, m)));
  }

  /** The (series, part) rows a selector names, as Prometheus would name its series. */
  private resolve(sel: Selector): Resolved {
    const others = sel.matchers.filter((m) => m.name !== 'le');
    const m = sel.metric;
    if (m.endsWith('_bucket')) {
      const parts: Resolved['parts'] = [];
      const le = sel.matchers.filter((x) => x.name === 'le');
      for (const s of this.seriesOf(histogramBase(m), others, 'histogram')) {
        const bounds = s.bounds ?? [];
        const les = [...bounds.map(leText), '+Inf'];
        les.forEach((text, i) => {
          // `le` matched as Prometheus matches the label's text (the flow names the stored spelling).
          // The cumulative bucket: parts PART_BUCKET .. PART_BUCKET + i; +Inf is the count.
          if (le.every((x) => matches({ le: text }, x))) parts.push(i === bounds.length ? { series: s.id, part: PART_COUNT, to: PART_COUNT } : { series: s.id, part: PART_BUCKET, to: PART_BUCKET + i });
        });
      }
      return { parts, scale: 1 };
    }
    if (m.endsWith('_count')) return { parts: this.seriesOf(m.slice(0, -'_count'.length), others, 'histogram').map((s) => ({ series: s.id, part: PART_COUNT, to: PART_COUNT })), scale: 1 };
    if (m.endsWith('_sum')) return { parts: this.seriesOf(m.slice(0, -'_sum'.length), others, 'histogram').map((s) => ({ series: s.id, part: PART_SUM, to: PART_SUM })), scale: SUM_SCALE };
    return { parts: this.seriesOf(m, others, 'counter').map((s) => ({ series: s.id, part: PART_COUNT, to: PART_COUNT })), scale: 1 };
  }

  private damaged(rows: Array<{ series: number; minute: number }>, table: string): never {
    const byId = new Map(this.allSeries().map((s) => [s.id, s]));
    const described: DamagedRow[] = rows.map((r) => {
      const s = byId.get(r.series);
      return {
        table,
        category: null,
        component: null,
        endpoint: s === undefined ? `#${r.series}` : `${s.metric}${Object.keys(s.labels).length === 0 ? '' : JSON.stringify(s.labels)}`,
        start: iso(r.minute),
        end: iso(r.minute + 1),
      };
    });
    throw new StoreDamagedError(this.path, described);
  }

  /**
   * Sums of the resolved parts per group of minutes: group = floor((minute − base) / width), for
   * minutes in [fromMinute, toMinute). Checks every row's checksum.
   */
  private sums(res: Resolved, fromMinute: number, toMinute: number, base: number, width: number): Map<number, number> {
    const out = new Map<number, number>();
    if (res.parts.length === 0) return out;
    const rows = this.db
      .prepare(
        `SELECT (minute - CAST(@base AS INTEGER)) / CAST(@width AS INTEGER) AS g, SUM(n) AS n, MAX(${metricRowChecksumSql()} <> ck) AS bad
         FROM metric_minutes WHERE series = @series AND part BETWEEN @part AND @partTo AND minute >= @from AND minute < @to GROUP BY g`,
      )
      .raw();
    for (const p of res.parts) {
      for (const [g, n, bad] of rows.all({ base, width, series: p.series, part: p.part, partTo: p.to, from: fromMinute, to: toMinute }) as Array<[number, number, number]>) {
        if (bad) this.damaged(this.badMinuteRows(p, fromMinute, toMinute), 'metric_minutes');
        out.set(g, (out.get(g) ?? 0) + n);
      }
    }
    if (res.scale !== 1) for (const [g, n] of out) out.set(g, n / res.scale);
    return out;
  }

  private badMinuteRows(p: { series: number; part: number; to: number }, from: number, to: number): Array<{ series: number; minute: number }> {
    return this.db
      .prepare(`SELECT series, minute FROM metric_minutes WHERE series = ? AND part BETWEEN ? AND ? AND minute >= ? AND minute < ? AND ${metricRowChecksumSql()} <> ck LIMIT 100`)
      .all(p.series, p.part, p.to, from, to) as Array<{ series: number; minute: number }>;
  }

  /** What the store summed, for `queries` ("explain the number"). */
  private describe(terms: readonly CounterTerm[], window: string): string {
    return terms.map((t, i) => `${i === 0 ? (t.sign === -1 ? '- ' : '') : t.sign === -1 ? ' - ' : ' + '}sum of ${formatSelector(t.selector)}`).join('') + ` over ${window}`;
  }

  private counter(): ObjectiveCounter {
    const queries: ObjectiveQuery[] = [];
    const warnings: string[] = [];
    const termSums = (terms: readonly CounterTerm[], fromMinute: number, toMinute: number, base: number, width: number): { sums: Map<number, number>; any: boolean } => {
      const sums = new Map<number, number>();
      let any = false;
      for (const t of terms) {
        const res = this.resolve(t.selector);
        if (res.parts.length > 0) any = true;
        for (const [g, n] of this.sums(res, fromMinute, toMinute, base, width)) sums.set(g, (sums.get(g) ?? 0) + t.sign * n);
      }
      return { sums, any };
    };
    return {
      kind: 'store',
      queries,
      warnings,
      sourceTypes: ['prometheus', STORE_SOURCE_TYPE],
      bounds: async (base, matchers, r) => {
        queries.push({ role: 'bounds', query: `bucket bounds of ${formatSelector({ metric: `${base}_bucket`, matchers: [...matchers] })}`, kind: 'instant', window: r.window });
        const from = r.from / MINUTE_MS;
        const to = r.to / MINUTE_MS;
        const has = this.db.prepare('SELECT 1 FROM metric_minutes WHERE series = ? AND part = 0 AND minute >= ? AND minute < ? LIMIT 1').pluck();
        const les = new Set<string>();
        for (const s of this.seriesOf(base, matchers, 'histogram')) {
          if (has.get(s.id, from, to) === undefined) continue;
          for (const b of s.bounds ?? []) les.add(leText(b));
          les.add('+Inf');
        }
        return [...les];
      },
      count: async (role, terms, _counter, r: CountRange) => {
        queries.push({ role, query: this.describe(terms, r.window), kind: 'instant', window: r.window });
        const from = r.from / MINUTE_MS;
        const { sums, any } = termSums(terms, from, r.to / MINUTE_MS, from, r.to / MINUTE_MS - from);
        if (!any || (terms.length === 1 && sums.size === 0)) return undefined;
        return sums.get(0) ?? 0;
      },
      sliceCounts: async (role, terms, _counter, ends, slice, window) => {
        queries.push({ role, query: this.describe(terms, minutesLabel(slice)), kind: 'range', stepSeconds: slice * 60, window });
        const out = new Map<number, number>();
        if (ends.length === 0) return out;
        const base = ends[0]! / MINUTE_MS - slice;
        const { sums } = termSums(terms, base, ends[ends.length - 1]! / MINUTE_MS, base, slice);
        ends.forEach((end, i) => out.set(end, sums.get(i) ?? 0));
        return out;
      },
      sliceValues: async (role, query, ends, slice, window) => {
        if (role === 'ratio') {
          const ratio = parseRatioQuery(query);
          if (ratio === undefined) {
            throw new ObjectiveQueryError(
              `the store evaluates a raw ratio only as rates of stored counters, sum(rate(a[5m])) / sum(rate(b[5m])) (terms joined by + and -, one range); "${query}" is not one`,
              'unsupported_query',
            );
          }
          const r = minutesLabel(ratio.rangeMinutes);
          queries.push({ role, query: `(${this.describe(ratio.numerator, r)}) / (${this.describe(ratio.denominator, r)}) ending at each slice end`, kind: 'range', stepSeconds: slice * 60, window });
          return this.ratios(ratio, ends, termSums);
        }
        const q = parseQuantileQuery(query);
        if (q === undefined) {
          throw new ObjectiveQueryError(
            `the store evaluates a per-slice value only as histogram_quantile(q, sum by (le) (rate(x_bucket[5m]))) over a stored histogram; "${query}" is not one`,
            'unsupported_query',
          );
        }
        queries.push({ role, query: `p${+(q.quantile * 100).toFixed(4)} of ${formatSelector({ metric: q.base, matchers: q.matchers })} per ${minutesLabel(slice)} slice (DDSketch, 1 % relative), observations of the ${minutesLabel(q.rangeMinutes)} ending at each slice end`, kind: 'range', stepSeconds: slice * 60, window });
        return this.quantiles(q.base, q.matchers, q.quantile, q.rangeMinutes, ends);
      },
    };
  }

  /**
   * Per slice end: numerator / denominator of the events in [end − R, end) (a rate's ratio is
   * its increases' ratio: the same R on both sides); null when the denominator has no events
   * (0 / 0, an empty slice), as Prometheus's NaN is read.
   */
  private ratios(
    q: RatioQuery,
    ends: readonly number[],
    termSums: (terms: readonly CounterTerm[], fromMinute: number, toMinute: number, base: number, width: number) => { sums: Map<number, number> },
  ): Map<number, number | null> {
    const out = new Map<number, number | null>();
    if (ends.length === 0) return out;
    const base = ends[0]! / MINUTE_MS - q.rangeMinutes;
    const last = ends[ends.length - 1]! / MINUTE_MS;
    // Per minute (width 1) from base, then running totals so each slice is a difference.
    const cumulative = (terms: readonly CounterTerm[]): Float64Array => {
      const { sums } = termSums(terms, base, last, base, 1);
      const c = new Float64Array(last - base + 1);
      for (let i = 0; i < last - base; i++) c[i + 1] = c[i]! + (sums.get(i) ?? 0);
      return c;
    };
    const num = cumulative(q.numerator);
    const den = cumulative(q.denominator);
    for (const end of ends) {
      const hi = end / MINUTE_MS - base;
      const lo = hi - q.rangeMinutes;
      const d = den[hi]! - den[lo]!;
      out.set(end, d === 0 ? null : (num[hi]! - num[lo]!) / d);
    }
    return out;
  }

  /** Per slice end: the quantile of the observations in [end − range, end), null when none. */
  private quantiles(base: string, matchers: readonly LabelMatcher[], quantile: number, rangeMinutes: number, ends: readonly number[]): Map<number, number | null> {
    const out = new Map<number, number | null>();
    if (ends.length === 0) return out;
    const series = this.seriesOf(base, matchers, 'histogram');
    const first = ends[0]! / MINUTE_MS - rangeMinutes;
    const last = ends[ends.length - 1]! / MINUTE_MS;
    // Blobs are kept as read (a few hundred bytes each) and decoded when their slice is computed:
    // 28 days of minutes decoded at once would hold millions of bucket counts.
    const byMinute = new Map<number, Uint8Array[]>();
    const stmt = this.db.prepare('SELECT minute, sketch, ck FROM metric_sketches WHERE series = ? AND minute >= ? AND minute < ?').raw();
    const bad: Array<{ series: number; minute: number }> = [];
    for (const s of series) {
      for (const [minute, blob, ck] of stmt.all(s.id, first, last) as Array<[number, Uint8Array, number]>) {
        if (sketchChecksum(s.id, minute, blob) !== ck) {
          bad.push({ series: s.id, minute });
          continue;
        }
        const have = byMinute.get(minute);
        if (have === undefined) byMinute.set(minute, [blob]);
        else have.push(blob);
      }
    }
    if (bad.length > 0) this.damaged(bad, 'metric_sketches');
    const parts: Uint8Array[] = [];
    for (const end of ends) {
      const e = end / MINUTE_MS;
      parts.length = 0;
      for (let m = e - rangeMinutes; m < e; m++) {
        const blobs = byMinute.get(m);
        if (blobs !== undefined) parts.push(...blobs);
      }
      out.set(end, DDSketch.quantileOfBlobs(parts, quantile));
    }
    return out;
  }

  async evaluate(spec: ObjectiveSpec, opts: ObjectiveEvaluationOptions = {}): Promise<ObjectiveEvaluation> {
    return evaluateObjectiveWith(this.counter(), spec, { at: opts.at });
  }

  async burnDown(spec: ObjectiveSpec, opts: ObjectiveEvaluationOptions = {}): Promise<{ points: ObjectiveBurnDownPoint[]; queries: ObjectiveQuery[] }> {
    return burnDownWith(this.counter(), spec, { at: opts.at });
  }

  close(): void {
    this.db.close();
  }
}

/** Opens the store at `path` read-only for objectives. Throws StoreError when it cannot be opened. */
export function openStoreObjectiveEvaluator(path: string): StoreObjectiveEvaluator {
  return new StoreObjectiveEvaluator(openStoreDatabase(path, { readonly: true }), path);
}
