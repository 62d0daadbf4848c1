/**
 * Metric event logs for objectives (issue 13 item 5; docs/objectives.md "The embedded store"):
 * NDJSON, one observation per line, aggregated per (series, minute) like Prometheus would hold
 * them, so the store answers an objective's counter and classic-histogram queries exactly.
 *
 *   {"time":"2026-11-20T10:00:03.120Z","metric":"gitpod_ws_manager_workspace_starts_total","labels":{"type":"regular"}}
 *   {"time":"2026-11-20T10:00:03.120Z","metric":"gitpod_ws_manager_workspace_startup_seconds","labels":{"type":"regular"},"value":12.4}
 *   {"buckets":{"gitpod_ws_manager_workspace_startup_seconds":[2,4,8,16,32,64,128,256,512,1024]}}
 *
 * - A metric ending in `_total` is a counter: the line is `value` increments (a whole number >= 0,
 *   default 1). Any other metric is a histogram: `value` (a finite number >= 0, required) is one
 *   observation, counted in `_count`, `_sum`, every bucket whose bound is >= it, and the minute's
 *   sketch. Names ending in `_bucket`, `_count` or `_sum` are refused (the store derives them).
 * - `labels`: an object of string values (optional; `le` and `__name__` refused).
 * - A header line (`buckets`, no `time`) sets a histogram's bounds for the rest of the file;
 *   without one, DEFAULT_BUCKETS. A series keeps the bounds it was first stored with: a file that
 *   declares others fails whole and writes nothing.
 * - Anything else is malformed (counted, listed with its line number, never stored), as in the
 *   request logs.
 */
import { DDSketch } from './ddSketch';
import type { HourParser } from './logClassifier';

/** Gitpod-like powers of two seconds, then +Inf (implicit). */
export const DEFAULT_BUCKETS: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

const MINUTE_MS = 60_000;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A metric (+ label set) as stored: labels as canonical JSON (keys sorted). */
export interface SeriesKey {
  metric: string;
  /** JSON of the labels with sorted keys: `{"type":"regular"}`, `{}`. */
  labels: string;
  kind: 'counter' | 'histogram';
  /** Histogram bounds (finite, increasing); absent for counters. */
  bounds?: number[];
}

export type EventLineResult =
  | { kind: 'observation'; minute: number; hour: number; series: SeriesKey; value: number }
  | { kind: 'header' }
  | { kind: 'malformed'; reason: string };

/** Is this parsed line a metric event line (or header), not a request or job line? */
export function isEventLine(line: unknown): line is Record<string, unknown> {
  if (line === null || typeof line !== 'object' || Array.isArray(line)) return false;
  const l = line as Record<string, unknown>;
  return l['metric'] !== undefined || (l['buckets'] !== undefined && l['time'] === undefined);
}

function canonicalLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = labels[k] as string;
  return JSON.stringify(out);
}

/** Reads one file's event lines: keeps the header's bounds and the last series looked up. */
export class EventLineReader {
  private readonly bounds = new Map<string, number[]>();
  private readonly seriesCache = new Map<string, SeriesKey>();

  constructor(private readonly hours: HourParser) {}

  read(l: Record<string, unknown>): EventLineResult {
    if (l['metric'] === undefined) return this.header(l['buckets']);
    const metric = l['metric'];
    if (typeof metric !== 'string' || !METRIC_NAME.test(metric)) return { kind: 'malformed', reason: '"metric" is not a metric name' };
    if (/_(bucket|count|sum)$/.test(metric)) return { kind: 'malformed', reason: `"metric" ${metric}: log the observation itself; the store derives _bucket, _count and _sum` };
    const hour = this.hours.parse(l['time']);
    if (hour === undefined) return { kind: 'malformed', reason: this.hours.rejection };
    const time = l['time'] as string;
    // Fast path for UTC `...THH:MM...Z`: the hour is checked, the minute is two digits.
    let minute: number;
    const mm = time.length >= 16 && time[13] === ':' && time.endsWith('Z') ? Number(time.slice(14, 16)) : NaN;
    if (Number.isInteger(mm) && mm >= 0 && mm < 60) minute = hour * 60 + mm;
    else minute = Math.floor(Date.parse(time) / MINUTE_MS);
    if (!Number.isFinite(minute)) return { kind: 'malformed', reason: 'invalid "time"' };
    const rawLabels = l['labels'] ?? {};
    if (rawLabels === null || typeof rawLabels !== 'object' || Array.isArray(rawLabels)) return { kind: 'malformed', reason: '"labels" is not an object' };
    const counter = metric.endsWith('_total');
    const v = l['value'];
    let value: number;
    if (counter) {
      value = v === undefined ? 1 : (v as number);
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return { kind: 'malformed', reason: `"value" of counter ${metric} must be a whole number >= 0 (increments)` };
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return { kind: 'malformed', reason: `"value" of histogram ${metric} must be a finite number >= 0 (an observation)` };
      value = v;
    }
    const labels = rawLabels as Record<string, unknown>;
    let cacheKey = metric;
    for (const k in labels) {
      const lv = labels[k];
      if (typeof lv !== 'string') return { kind: 'malformed', reason: `label "${k}" is not a string` };
      if (!LABEL_NAME.test(k) || k === 'le' || k.startsWith('__')) return { kind: 'malformed', reason: `label name "${k}" is not allowed` };
      cacheKey += `\u0000${k}\u0000${lv}`;
    }
    let series = this.seriesCache.get(cacheKey);
    if (series === undefined) {
      series = {
        metric,
        labels: canonicalLabels(labels as Record<string, string>),
        kind: counter ? 'counter' : 'histogram',
        ...(counter ? {} : { bounds: this.bounds.get(metric) ?? [...DEFAULT_BUCKETS] }),
      };
      if (this.seriesCache.size < 10_000) this.seriesCache.set(cacheKey, series);
    }
    return { kind: 'observation', minute, hour, series, value };
  }

  private header(buckets: unknown): EventLineResult {
    if (buckets === null || typeof buckets !== 'object' || Array.isArray(buckets)) return { kind: 'malformed', reason: '"buckets" must map histogram names to bound lists' };
    for (const [metric, list] of Object.entries(buckets as Record<string, unknown>)) {
      if (!METRIC_NAME.test(metric) || metric.endsWith('_total')) return { kind: 'malformed', reason: `"buckets": ${metric} is not a histogram name` };
      if (!Array.isArray(list) || list.length === 0 || list.some((b, i) => typeof b !== 'number' || !Number.isFinite(b) || (i > 0 && b <= (list[i - 1] as number)))) {
        return { kind: 'malformed', reason: `"buckets": the bounds of ${metric} must be increasing finite numbers (+Inf is implicit)` };
      }
      if ([...this.seriesCache.values()].some((s) => s.metric === metric)) return { kind: 'malformed', reason: `"buckets": ${metric} was already observed in this file with other bounds` };
      this.bounds.set(metric, list as number[]);
    }
    return { kind: 'header' };
  }
}

/** Drained metric rows: series once, minute parts as [seriesIndex, minute, part, n] rows, sketches as blobs. */
export interface MetricChunk {
  series: SeriesKey[];
  /** [seriesIndex, minute, part, n] per row. */
  parts: Float64Array;
  sketches: Array<{ series: number; minute: number; sketch: Uint8Array }>;
}

export const PART_COUNT = 0;
export const PART_SUM = 1;
/** Part of the observations in (bound i − 1, bound i]: PART_BUCKET + i (stored only when not 0). */
export const PART_BUCKET = 2;
/** _sum is stored in millionths of the value (whole numbers: summed and checksummed exactly in SQL). */
export const SUM_SCALE = 1_000_000;

interface MinuteAcc {
  count: number;
  sumMicro: number;
  /** Non-cumulative: observations per bucket (index = first bound >= value; bounds.length = +Inf only). */
  buckets?: number[];
  sketch?: DDSketch;
}

/** Per (series, minute) counts of a file's event lines, drained by minute like HourlyAggregator. */
export class MetricAggregator {
  private readonly series = new Map<string, { key: SeriesKey; minutes: Map<number, MinuteAcc> }>();
  firstMinute: number | undefined;
  lastMinute: number | undefined;
  pending = 0;

  add(key: SeriesKey, minute: number, value: number): void {
    const id = `${key.metric}${key.labels}`;
    let s = this.series.get(id);
    if (s === undefined) this.series.set(id, (s = { key, minutes: new Map() }));
    let acc = s.minutes.get(minute);
    if (acc === undefined) {
      acc = { count: 0, sumMicro: 0 };
      if (key.kind === 'histogram') {
        acc.buckets = new Array<number>((key.bounds as number[]).length + 1).fill(0);
        acc.sketch = new DDSketch();
      }
      s.minutes.set(minute, acc);
      this.pending++;
    }
    if (key.kind === 'counter') {
      acc.count += value;
    } else {
      acc.count++;
      acc.sumMicro += Math.round(value * SUM_SCALE);
      const bounds = key.bounds as number[];
      let i = 0;
      while (i < bounds.length && value > (bounds[i] as number)) i++;
      const bk = acc.buckets as number[];
      bk[i] = (bk[i] as number) + 1;
      (acc.sketch as DDSketch).add(value);
    }
    if (this.firstMinute === undefined || minute < this.firstMinute) this.firstMinute = minute;
    if (this.lastMinute === undefined || minute > this.lastMinute) this.lastMinute = minute;
  }

  /** Removes and returns the minutes before `beforeMinute` (all when omitted). */
  drain(beforeMinute = Infinity): MetricChunk | undefined {
    const series: SeriesKey[] = [];
    const parts: number[] = [];
    const sketches: MetricChunk['sketches'] = [];
    for (const s of this.series.values()) {
      let index = -1;
      for (const [minute, acc] of s.minutes) {
        if (minute >= beforeMinute) continue;
        if (index < 0) index = series.push(s.key) - 1;
        parts.push(index, minute, PART_COUNT, acc.count);
        if (s.key.kind === 'histogram') {
          parts.push(index, minute, PART_SUM, acc.sumMicro);
          // Per bucket, only the observations in (bound i−1, bound i], and only when there are any:
          // the cumulative bucket `le` = bound i is the sum of parts PART_BUCKET..PART_BUCKET + i;
          // +Inf is the count.
          const b = acc.buckets as number[];
          for (let i = 0; i < b.length - 1; i++) if ((b[i] as number) > 0) parts.push(index, minute, PART_BUCKET + i, b[i] as number);
          sketches.push({ series: index, minute, sketch: (acc.sketch as DDSketch).encode() });
        }
        s.minutes.delete(minute);
        this.pending--;
      }
    }
    if (series.length === 0) return undefined;
    return { series, parts: Float64Array.from(parts), sketches };
  }
}
