/**
 * Damaged aggregate rows: rows whose stored checksum (`ck`, storeSchema.ts checksumSql) does not
 * match their counts, time and endpoint. StoreSource refuses a read that touches one
 * (StoreDamagedError names the rows); `budget-lens store check` lists every one, after SQLite's
 * own `PRAGMA quick_check` of the file's structure.
 */
import type { StoreDatabase } from './storeSchema';
import { AGGREGATE_TABLES, StoreError, metricRowChecksumSql, openStoreDatabase, rowChecksumSql } from './storeSchema';
import { sketchChecksum } from './ddSketch';
import { HOUR_MS } from './windowBuckets';

const DAY_MS = 24 * HOUR_MS;

export interface DamagedRow {
  /** An aggregate table, or metric_minutes / metric_sketches (metric event logs: `endpoint` names the series). */
  table: string;
  /** The row's category, or for endpoint rows the category of its endpoint (if that resolves). */
  category: string | null;
  component: string | null;
  /** Endpoint rows only: the endpoint's id ("GET /api/:version/projects"), or `#<row id>` when unknown. */
  endpoint?: string;
  /** The hour or UTC day the counts are for, as ISO instants [start, end). */
  start: string;
  end: string;
}

/** Restricts the search to what one read touched: its categories and its time ranges. */
export interface DamageFilter {
  categories: string[];
  /** [start, end) in epoch hours (hourly tables) and epoch days (daily tables). */
  hours: Array<[number, number]>;
  days: Array<[number, number]>;
}

export function describeDamagedRow(r: DamagedRow): string {
  if (r.table.startsWith('metric_')) return `${r.table} ${r.endpoint ?? '?'} ${r.start}..${r.end}`;
  const what = r.endpoint !== undefined ? `endpoint ${r.endpoint} (${r.category ?? '?'}, ${r.component ?? '?'})` : `category ${r.category ?? '?'} (${r.component ?? '?'})`;
  return `${r.table} ${what} ${r.start}..${r.end}`;
}

/** A read touched counts whose checksum does not match: they are refused, never served. */
export class StoreDamagedError extends StoreError {
  constructor(
    path: string,
    readonly rows: DamagedRow[],
  ) {
    super('', path);
    const listed = rows.slice(0, 5).map(describeDamagedRow).join('; ');
    const more = rows.length > 5 ? ` and ${rows.length - 5} more` : '';
    this.message = `store ${path} is damaged: counts fail their checksum in ${listed}${more}; refusing to serve them (run 'budget-lens store check --store ${path}')`;
  }
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString().replace(':00.000Z', 'Z');
}

/** Damaged rows, at most `limit`, optionally only those a read with `filter` touched. */
export function findDamagedRows(db: StoreDatabase, filter?: DamageFilter, limit = 100): DamagedRow[] {
  const out: DamagedRow[] = [];
  for (const t of AGGREGATE_TABLES) {
    if (out.length >= limit) break;
    const params: Record<string, string | number> = { limit: limit - out.length };
    const where = [`${rowChecksumSql(t, 'a.')} <> a.ck`];
    if (filter) {
      const ranges = t.hourly ? filter.hours : filter.days;
      const parts = ranges.map(([from, to], i) => {
        params[`from${i}`] = from;
        params[`to${i}`] = to;
        return `(a.${t.time} >= @from${i} AND a.${t.time} < @to${i})`;
      });
      where.push(parts.length > 0 ? `(${parts.join(' OR ')})` : 'false');
      params.categories = JSON.stringify(filter.categories);
      where.push(`${t.endpoint === '0' ? 'a.category' : 'en.category'} IN (SELECT value FROM json_each(@categories))`);
    }
    const sql =
      t.endpoint === '0'
        ? `SELECT a.category AS category, a.component AS component, NULL AS endpoint, NULL AS endpointRow, a.${t.time} AS time
             FROM ${t.table} a WHERE ${where.join(' AND ')} ORDER BY a.${t.time} LIMIT @limit`
        : `SELECT en.category AS category, en.component AS component, en.endpoint_id AS endpoint, a.endpoint AS endpointRow, a.${t.time} AS time
             FROM ${t.table} a LEFT JOIN endpoints en ON en.id = a.endpoint WHERE ${where.join(' AND ')} ORDER BY a.${t.time} LIMIT @limit`;
    const rows = db.prepare(sql).all(params) as Array<{ category: string | null; component: string | null; endpoint: string | null; endpointRow: number | null; time: number }>;
    const unit = t.hourly ? HOUR_MS : DAY_MS;
    for (const r of rows) {
      out.push({
        table: t.table,
        category: r.category,
        component: r.component,
        ...(t.endpoint === '0' ? {} : { endpoint: r.endpoint ?? `#${r.endpointRow}` }),
        start: isoOf(r.time * unit),
        end: isoOf((r.time + 1) * unit),
      });
    }
  }
  if (!filter && out.length < limit) out.push(...findDamagedMetricRows(db, limit - out.length));
  return out;
}

function seriesName(metric: string | null, labels: string | null, id: number): string {
  if (metric === null) return `#${id}`;
  return labels === null || labels === '{}' ? metric : `${metric}${labels}`;
}

/** Damaged rows of the metric event logs' tables (schema 4): minute counts in SQL, sketches here. */
export function findDamagedMetricRows(db: StoreDatabase, limit = 100): DamagedRow[] {
  const out: DamagedRow[] = [];
  const minuteIso = (m: number): string => isoOf(m * 60_000);
  const row = (table: string, r: { series: number; metric: string | null; labels: string | null; minute: number }): DamagedRow => ({
    table,
    category: null,
    component: null,
    endpoint: seriesName(r.metric, r.labels, r.series),
    start: minuteIso(r.minute),
    end: minuteIso(r.minute + 1),
  });
  const minutes = db
    .prepare(
      `SELECT a.series AS series, s.metric AS metric, s.labels AS labels, a.minute AS minute FROM metric_minutes a LEFT JOIN metric_series s ON s.id = a.series
       WHERE ${metricRowChecksumSql('a.')} <> a.ck ORDER BY a.minute LIMIT ?`,
    )
    .all(limit) as Array<{ series: number; metric: string | null; labels: string | null; minute: number }>;
  for (const r of minutes) out.push(row('metric_minutes', r));
  if (out.length >= limit) return out;
  const sketches = db.prepare('SELECT a.series AS series, s.metric AS metric, s.labels AS labels, a.minute AS minute, a.sketch AS sketch, a.ck AS ck FROM metric_sketches a LEFT JOIN metric_series s ON s.id = a.series');
  for (const r of sketches.iterate() as Iterable<{ series: number; metric: string | null; labels: string | null; minute: number; sketch: Uint8Array; ck: number }>) {
    if (sketchChecksum(r.series, r.minute, r.sketch) !== r.ck) out.push(row('metric_sketches', r));
    if (out.length >= limit) break;
  }
  return out;
}

export interface StoreCheckResult {
  path: string;
  /** `PRAGMA quick_check`'s lines: ['ok'] for a sound file. */
  quickCheck: string[];
  rowsChecked: number;
  damaged: DamagedRow[];
  /** Set when reading the rows failed (SQLite found the file corrupt): the check could not finish. */
  error?: string;
  /** True when more damaged rows exist than listed. */
  truncated: boolean;
  healthy: boolean;
}

/** Checks the whole store: the file's structure, then every aggregate row's checksum. */
export function checkStore(path: string, opts: { readonly?: boolean; limit?: number } = {}): StoreCheckResult {
  const db = openStoreDatabase(path, { readonly: opts.readonly ?? true });
  try {
    const quickCheck = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check);
    let rowsChecked = 0;
    const limit = opts.limit ?? 100;
    let damaged: DamagedRow[] = [];
    let error: string | undefined;
    try {
      for (const t of [...AGGREGATE_TABLES.map((a) => a.table), 'metric_minutes', 'metric_sketches']) rowsChecked += (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
      damaged = findDamagedRows(db, undefined, limit + 1);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const truncated = damaged.length > limit;
    if (truncated) damaged.length = limit;
    const healthy = error === undefined && quickCheck.length === 1 && quickCheck[0] === 'ok' && damaged.length === 0;
    return { path, quickCheck, rowsChecked, damaged, truncated, healthy, ...(error !== undefined ? { error } : {}) };
  } finally {
    db.close();
  }
}
