/**
 * In-memory hourly aggregation of a file's SLI events, so the store gets aggregate rows, not one
 * row per log line. Closed hours are drained in chunks while the file is still being parsed.
 */
import type { Component } from '../budget/types';
import type { SliEvent } from './logClassifier';

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
}

export const CHUNK_ROW_WIDTH = 6;

export interface EndpointHours {
  key: EndpointKey;
  /** Epoch hour -> counts. */
  hours: Map<number, CountsRow>;
}

export class HourlyAggregator {
  /**
   * Endpoint id -> its variants. An endpoint nearly always has one (component, category,
   * urgency), so the hot path is one Map lookup and three string compares, no key building.
   */
  private readonly byId = new Map<string, EndpointHours[]>();
  /** Smallest and largest epoch hour seen; undefined before the first event. */
  firstHour: number | undefined;
  lastHour: number | undefined;

  add(ev: Omit<SliEvent, 'kind'>): void {
    let variants = this.byId.get(ev.endpointId);
    if (variants === undefined) {
      variants = [];
      this.byId.set(ev.endpointId, variants);
    }
    let ep: EndpointHours | undefined;
    for (const v of variants) {
      if (v.key.category === ev.category && v.key.urgency === ev.urgency && v.key.component === ev.component) {
        ep = v;
        break;
      }
    }
    if (ep === undefined) {
      ep = {
        key: { endpointId: ev.endpointId, component: ev.component, category: ev.category, urgency: ev.urgency },
        hours: new Map(),
      };
      variants.push(ep);
    }
    let row = ep.hours.get(ev.hour);
    if (row === undefined) {
      row = { s: 0, w: 0, o: 0, e: 0 };
      ep.hours.set(ev.hour, row);
    }
    row.s += ev.s;
    row.w += ev.w;
    row.o += ev.o;
    row.e += ev.e;
    if (this.firstHour === undefined || ev.hour < this.firstHour) this.firstHour = ev.hour;
    if (this.lastHour === undefined || ev.hour > this.lastHour) this.lastHour = ev.hour;
  }

  *endpoints(): IterableIterator<EndpointHours> {
    for (const variants of this.byId.values()) yield* variants;
  }

  /**
   * Removes and returns the rows of hours before `beforeHour` (all rows when omitted), so a big
   * file's closed hours can be written while later lines are still being parsed.
   */
  drain(beforeHour = Infinity): AggregateChunk {
    const endpoints: EndpointKey[] = [];
    const values: number[] = [];
    for (const ep of this.endpoints()) {
      let index = -1;
      for (const [hour, c] of ep.hours) {
        if (hour >= beforeHour) continue;
        if (index < 0) index = endpoints.push(ep.key) - 1;
        values.push(index, hour, c.s, c.w, c.o, c.e);
        ep.hours.delete(hour);
      }
    }
    return { endpoints, rows: Float64Array.from(values) };
  }

  /** Number of (endpoint, hour) rows the aggregate holds. */
  get rowCount(): number {
    let n = 0;
    for (const ep of this.endpoints()) n += ep.hours.size;
    return n;
  }
}
