/**
 * In-memory hourly aggregation of a file's SLI events, so the store gets aggregate rows, not one
 * row per log line. Closed hours are drained in chunks while the file is still being parsed.
 *
 * `add` runs once per log line, so it is built for time-ordered logs: an endpoint's pending rows
 * sit in plain arrays in arrival order, and an event lands on the endpoint's newest row or
 * starts a new one after it, with no per-row Map or object. Out-of-order lines (stragglers) are
 * still counted exactly: they search the endpoint's few pending rows, or start a row of their own.
 */
import type { Component } from '../contract/budgetTypes';
import type { SliEvent } from './logClassifier';
import type { MetricChunk, SeriesKey } from './eventLog';
import { MetricAggregator } from './eventLog';

export interface EndpointKey {
  endpointId: string;
  component: Component;
  category: string;
  urgency: string;
}

/** Counts s, w, o, e; mutable while aggregating. */
export interface CountsRow {
  s: number;
  w: number;
  o: number;
  e: number;
}

/**
 * Drained aggregate rows in a form that crosses a thread boundary cheaply: endpoint keys once,
 * counts in one transferable Float64Array of [endpointIndex, hour, s, w, o, e] per row.
 */
export interface AggregateChunk {
  endpoints: EndpointKey[];
  rows: Float64Array;
  /** Metric event lines' rows (eventLog.ts), when the file had any. */
  metrics?: MetricChunk;
}

export const CHUNK_ROW_WIDTH = 6;

/** A read-only view of one endpoint's pending rows (tests, diagnostics). */
export interface EndpointHours {
  key: EndpointKey;
  /** Epoch hour -> counts. */
  hours: Map<number, CountsRow>;
}

/** Counts per pending row in EndpointRows.counts: s, w, o, e. */
const COUNTS = 4;

/** One endpoint variant's pending (not yet drained) rows. */
class EndpointRows {
  /** Epoch hour of each pending row, in arrival order. */
  hours: number[] = [];
  /** s, w, o, e of each pending row, flat, in the same order. */
  counts: number[] = [];
  /** Largest pending hour: an event after it starts a new row without a search. */
  maxHour = -Infinity;

  constructor(readonly key: EndpointKey) {}

  add(hour: number, s: number, w: number, o: number, e: number): void {
    const hours = this.hours;
    let at = hours.length - 1;
    if (hour > this.maxHour) {
      // The next hour of a time-ordered log: a new row at the end.
      at = hours.push(hour) - 1;
      this.counts.push(0, 0, 0, 0);
      this.maxHour = hour;
    } else if (hours[at] !== hour) {
      // A straggler: search the pending rows, newest first; start its own row when drained.
      while (at >= 0 && hours[at] !== hour) at--;
      if (at < 0) {
        at = hours.push(hour) - 1;
        this.counts.push(0, 0, 0, 0);
      }
    }
    const c = this.counts;
    const i = at * COUNTS;
    c[i] = (c[i] as number) + s;
    c[i + 1] = (c[i + 1] as number) + w;
    c[i + 2] = (c[i + 2] as number) + o;
    c[i + 3] = (c[i + 3] as number) + e;
  }
}

export class HourlyAggregator {
  /**
   * Endpoint id -> its variants. An endpoint nearly always has one (component, category,
   * urgency), so the hot path is one Map lookup and three string compares, no key building.
   */
  private readonly byId = new Map<string, EndpointRows[]>();
  /** Every variant in creation order: drained chunks list endpoints in a stable order. */
  private readonly all: EndpointRows[] = [];
  /** Smallest and largest epoch hour seen; undefined before the first event. */
  firstHour: number | undefined;
  lastHour: number | undefined;
  /** The file's metric event lines (eventLog.ts), per (series, minute). */
  readonly metrics = new MetricAggregator();

  /** One metric event line's observation. */
  addObservation(series: SeriesKey, minute: number, hour: number, value: number): void {
    this.metrics.add(series, minute, value);
    if (this.firstHour === undefined || hour < this.firstHour) this.firstHour = hour;
    if (this.lastHour === undefined || hour > this.lastHour) this.lastHour = hour;
  }

  add(ev: Omit<SliEvent, 'kind'>): void {
    let variants = this.byId.get(ev.endpointId);
    if (variants === undefined) {
      variants = [];
      this.byId.set(ev.endpointId, variants);
    }
    let ep: EndpointRows | undefined;
    for (const v of variants) {
      if (v.key.category === ev.category && v.key.urgency === ev.urgency && v.key.component === ev.component) {
        ep = v;
        break;
      }
    }
    if (ep === undefined) {
      ep = new EndpointRows({ endpointId: ev.endpointId, component: ev.component, category: ev.category, urgency: ev.urgency });
      variants.push(ep);
      this.all.push(ep);
    }
    const hour = ev.hour;
    ep.add(hour, ev.s, ev.w, ev.o, ev.e);
    if (this.firstHour === undefined || hour < this.firstHour) this.firstHour = hour;
    if (this.lastHour === undefined || hour > this.lastHour) this.lastHour = hour;
  }

  /** The pending rows per endpoint, as Maps (a copy: changing it changes nothing here). */
  *endpoints(): IterableIterator<EndpointHours> {
    for (const ep of this.all) {
      const hours = new Map<number, CountsRow>();
      ep.hours.forEach((hour, r) => {
        const c = ep.counts;
        const i = r * COUNTS;
        hours.set(hour, { s: c[i] as number, w: c[i + 1] as number, o: c[i + 2] as number, e: c[i + 3] as number });
      });
      yield { key: ep.key, hours };
    }
  }

  /**
   * Removes and returns the rows of hours before `beforeHour` (all rows when omitted), so a big
   * file's closed hours can be written while later lines are still being parsed.
   */
  drain(beforeHour = Infinity): AggregateChunk {
    const endpoints: EndpointKey[] = [];
    let total = 0;
    for (const ep of this.all) total += ep.hours.length;
    const rows = new Float64Array(total * CHUNK_ROW_WIDTH);
    let out = 0;
    for (const ep of this.all) {
      const { hours, counts } = ep;
      if (hours.length === 0) continue;
      let index = -1;
      let kept = 0;
      for (let r = 0; r < hours.length; r++) {
        const hour = hours[r] as number;
        const i = r * COUNTS;
        if (hour < beforeHour) {
          if (index < 0) index = endpoints.push(ep.key) - 1;
          rows[out] = index;
          rows[out + 1] = hour;
          rows[out + 2] = counts[i] as number;
          rows[out + 3] = counts[i + 1] as number;
          rows[out + 4] = counts[i + 2] as number;
          rows[out + 5] = counts[i + 3] as number;
          out += CHUNK_ROW_WIDTH;
        } else {
          // Still open: compact it towards the front, in order.
          if (kept !== r) {
            hours[kept] = hour;
            const k = kept * COUNTS;
            counts[k] = counts[i] as number;
            counts[k + 1] = counts[i + 1] as number;
            counts[k + 2] = counts[i + 2] as number;
            counts[k + 3] = counts[i + 3] as number;
          }
          kept++;
        }
      }
      hours.length = kept;
      counts.length = kept * COUNTS;
      // maxHour stays: a later event for a drained hour is a straggler and gets a row of its own.
      if (kept === 0) ep.maxHour = -Infinity;
    }
    const metrics = this.metrics.drain(beforeHour * 60);
    return { endpoints, rows: out === rows.length ? rows : rows.slice(0, out), ...(metrics ? { metrics } : {}) };
  }

  /** Number of (endpoint, hour) rows the aggregate holds. */
  get rowCount(): number {
    let n = this.metrics.pending;
    for (const ep of this.all) n += ep.hours.length;
    return n;
  }
}
