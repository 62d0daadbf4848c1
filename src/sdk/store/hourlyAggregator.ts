/**
 * In-memory hourly aggregation of a file's SLI events, so a file becomes one short write
 * transaction of aggregate rows instead of one row per log line.
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

export interface EndpointHours {
  key: EndpointKey;
  /** Epoch hour -> counts. */
  hours: Map<number, CountsRow>;
}

export class HourlyAggregator {
  private readonly byKey = new Map<string, EndpointHours>();
  /** Smallest and largest epoch hour seen; undefined before the first event. */
  firstHour: number | undefined;
  lastHour: number | undefined;

  add(ev: SliEvent): void {
    // A tab cannot occur in the four fields of a well-formed line, and a collision would only
    // merge two rows that differ by a tab: harmless for counting.
    const k = `${ev.component}\t${ev.endpointId}\t${ev.category}\t${ev.urgency}`;
    let ep = this.byKey.get(k);
    if (ep === undefined) {
      ep = {
        key: { endpointId: ev.endpointId, component: ev.component, category: ev.category, urgency: ev.urgency },
        hours: new Map(),
      };
      this.byKey.set(k, ep);
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

  endpoints(): IterableIterator<EndpointHours> {
    return this.byKey.values();
  }

  /** Number of (endpoint, hour) rows the aggregate holds. */
  get rowCount(): number {
    let n = 0;
    for (const ep of this.byKey.values()) n += ep.hours.size;
    return n;
  }
}

export function addCounts(into: CountsRow, from: CountsRow): void {
  into.s += from.s;
  into.w += from.w;
  into.o += from.o;
  into.e += from.e;
}

/** Sums per-key rows into a map, creating rows on first use. */
export function accumulate<K>(map: Map<K, CountsRow>, key: K, from: CountsRow): void {
  const row = map.get(key);
  if (row === undefined) map.set(key, { s: from.s, w: from.w, o: from.o, e: from.e });
  else addCounts(row, from);
}
