/**
 * Writes one file's aggregate into the store in ONE transaction: either every row of the file
 * lands together with its `ingested_files` record, or nothing does (a crash, a kill or an error
 * mid-way leaves the store exactly as before the file).
 *
 * AggregateSink holds the transaction open while the file is parsed: drained chunks of closed
 * hours are added as they come (hourly tables at once, daily rollups at commit), so the writes can
 * run on another thread alongside the parsing (storeWriter.ts). All writes add to existing
 * counts, so a late line for an already written hour is simply added again.
 */
import type { Statement } from 'better-sqlite3';
import type { StoreDatabase } from './storeSchema';
import { AGGREGATE_TABLES, checksumSql } from './storeSchema';
import type { MetricChunk, SeriesKey } from './eventLog';
import { DDSketch, sketchChecksum } from './ddSketch';

type AggregateTable = (typeof AGGREGATE_TABLES)[number];
import type { AggregateChunk, CountsRow, HourlyAggregator } from './hourlyAggregator';
import { CHUNK_ROW_WIDTH } from './hourlyAggregator';

export interface IngestedFileRecord {
  /** Hex sha256 of the source's consumed bytes after this ingest (its prefix hash). */
  sha256: string;
  name: string;
  size: number;
  gzip: boolean;
  /** Lines, accepted, ignored, malformed: what this ingest added (the lines after `source.start`). */
  lines: number;
  accepted: number;
  ignored: number;
  malformed: number;
  /** Absent only for aggregates written directly (benchmarks, tests): no source is recorded. */
  source?: SourceUpdate;
}

/** The source a file's lines came from, as the commit must record it (sourceReader.ts). */
export interface SourceUpdate {
  head: string;
  /** The source continued and its state when the file was read, re-checked inside the write lock. */
  resumed?: { id: number; consumed: number; prefixSha256: string };
  /** Ids of the sources with this head when the file was read: a new one meanwhile is a conflict. */
  seenIds: number[];
  start: number;
  consumed: number;
  /** Complete lines in the consumed bytes (from the file's start). */
  lines: number;
}

/** A known source, with its cumulative counts. */
export interface SourceRow {
  id: number;
  consumed: number;
  prefixSha256: string;
  lines: number;
  accepted: number;
  ignored: number;
  malformed: number;
  name: string;
  updatedAt: string;
}

export function findSources(db: StoreDatabase, head: string): SourceRow[] {
  return db
    .prepare(
      'SELECT id, consumed, prefix_sha256 AS prefixSha256, lines, accepted, ignored, malformed, name, updated_at AS updatedAt FROM sources WHERE head = ? ORDER BY consumed',
    )
    .all(head) as SourceRow[];
}

export function sourceById(db: StoreDatabase, id: number): SourceRow | undefined {
  return db
    .prepare('SELECT id, consumed, prefix_sha256 AS prefixSha256, lines, accepted, ignored, malformed, name, updated_at AS updatedAt FROM sources WHERE id = ?')
    .get(id) as SourceRow | undefined;
}

export function previousOf(row: SourceRow): PreviousIngest {
  return { name: row.name, ingestedAt: row.updatedAt, lines: row.lines, accepted: row.accepted, ignored: row.ignored, malformed: row.malformed };
}

export interface PreviousIngest {
  name: string;
  ingestedAt: string;
  lines: number;
  accepted: number;
  ignored: number;
  malformed: number;
}

export type WriteOutcome =
  | { kind: 'written'; rows: number; sourceId: number | null }
  | { kind: 'duplicate'; previous: PreviousIngest }
  /** Another ingest changed this file's source between the read and the commit: nothing written. */
  | { kind: 'conflict' };

/**
 * Test hook (integration test "killed mid-ingest"): when set to N, the process SIGKILLs itself
 * after writing N aggregate rows inside the open transaction. Never set in normal use.
 */
export const KILL_AFTER_ROWS_ENV = 'BUDGET_LENS_TEST_KILL_AFTER_ROWS';

const HOURS_PER_DAY = 24;

/** metric_minutes rows per multi-row upsert. */
const MINUTE_BATCH = 200;

/**
 * Adds to counts with multi-row `INSERT ... ON CONFLICT DO UPDATE` statements: one native call
 * per BATCH_ROWS rows instead of one per row, and a flush writes the remainder in smaller
 * prepared batch sizes (a chunk's tail of up to 511 rows would otherwise be 511 calls). Keys are
 * unique within one batch (callers add each key once per flush), which a multi-row upsert requires.
 */
class BatchedUpsert {
  /** Statement sizes in rows, largest first; the last must be 1. */
  private static readonly SIZES = [512, 64, 8, 1] as const;
  private readonly statements: Statement[];
  private readonly width: number;
  /** Bound values of the pending rows; reused, only its first `used` entries are pending. */
  private buffer: Array<string | number>;
  private used = 0;

  constructor(db: StoreDatabase, table: AggregateTable, keys: string[], counts: string[]) {
    const columns = [...keys, ...counts];
    this.width = columns.length;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    // The row checksum (schema 3) is computed here, in SQL, from the values inserted or from the
    // summed counts on conflict (SET expressions see the row's old values).
    const value = (c: string): string => (c === '0' ? c : `column${columns.indexOf(c) + 1}`);
    const insertCk = checksumSql(value(table.endpoint), value(table.time), value('s'), value('w'), value('o'), value('e'));
    const sum = (c: string): string => `${c} + excluded.${c}`;
    const updateCk = checksumSql(table.endpoint, table.time, sum('s'), sum('w'), sum('o'), sum('e'));
    const sql = (rows: number): string =>
      `INSERT INTO ${table.table} (${columns.join(', ')}, ck)
       SELECT ${columns.map((c) => value(c)).join(', ')}, ${insertCk} FROM (VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}) WHERE true
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${counts.map((c) => `${c} = ${sum(c)}`).join(', ')}, ck = ${updateCk}`;
    this.statements = BatchedUpsert.SIZES.map((rows) => db.prepare(sql(rows)));
    this.buffer = new Array<string | number>(this.width * BatchedUpsert.SIZES[0]).fill(0);
  }

  /** Queues one row: key values then s, w, o, e (no rest parameters: this runs per row). */
  add(k1: string | number, k2: string | number, k3: string | number | undefined, s: number, w: number, o: number, e: number): void {
    const b = this.buffer;
    let i = this.used;
    b[i++] = k1;
    b[i++] = k2;
    if (k3 !== undefined) b[i++] = k3;
    b[i++] = s;
    b[i++] = w;
    b[i++] = o;
    b[i++] = e;
    this.used = i;
    if (i === b.length) {
      (this.statements[0] as Statement).run(b);
      this.used = 0;
    }
  }

  flush(): void {
    let from = 0;
    for (let k = 1; k < BatchedUpsert.SIZES.length; k++) {
      const size = this.width * (BatchedUpsert.SIZES[k] as number);
      const statement = this.statements[k] as Statement;
      while (this.used - from >= size) {
        statement.run(this.buffer.slice(from, from + size));
        from += size;
      }
    }
    this.used = 0;
  }

  discard(): void {
    this.used = 0;
  }
}

/** A version-1 ingest (whole-file hash, before sources) of the same bytes. */
export function findIngestedFile(db: StoreDatabase, sha256: string): PreviousIngest | undefined {
  const row = db.prepare('SELECT name, ingested_at, lines, accepted, ignored, malformed FROM ingested_files WHERE sha256 = ? AND source IS NULL').get(sha256) as
    | { name: string; ingested_at: string; lines: number; accepted: number; ignored: number; malformed: number }
    | undefined;
  return row
    ? { name: row.name, ingestedAt: row.ingested_at, lines: row.lines, accepted: row.accepted, ignored: row.ignored, malformed: row.malformed }
    : undefined;
}

interface CategoryDays {
  category: string;
  component: string;
  /** Hour or day -> counts. */
  days: Map<number, CountsRow>;
}

function categoryBucket(map: Map<string, Map<string, CategoryDays>>, category: string, component: string): CategoryDays {
  let byComponent = map.get(category);
  if (!byComponent) map.set(category, (byComponent = new Map()));
  let bucket = byComponent.get(component);
  if (!bucket) byComponent.set(component, (bucket = { category, component, days: new Map() }));
  return bucket;
}

function addCounts(map: Map<number, CountsRow>, key: number, s: number, w: number, o: number, e: number): void {
  const row = map.get(key);
  if (row === undefined) {
    map.set(key, { s, w, o, e });
  } else {
    row.s += s;
    row.w += w;
    row.o += o;
    row.e += e;
  }
}

export class AggregateSink {
  private readonly upsertEndpoint: Statement;
  private readonly hourlyEndpoint: BatchedUpsert;
  private readonly dailyEndpoint: BatchedUpsert;
  private readonly hourlyCategory: BatchedUpsert;
  private readonly dailyCategory: BatchedUpsert;
  private readonly insertFile: Statement;
  private readonly insertSource: Statement;
  private readonly updateSource: Statement;
  private readonly sourceIds: Statement;
  private readonly killAfter: number;
  private readonly upsertSeries: Statement;
  private readonly upsertMinute: Statement;
  private readonly upsertMinutes: Statement;
  private readonly readSketch: Statement;
  private readonly writeSketch: Statement;
  /** Per transaction: series key -> row id. */
  private seriesIds = new Map<string, number>();
  /** Per transaction: endpoint key -> row id (ids of a rolled-back transaction must be forgotten). */
  private endpointIds = new Map<string, number>();
  private endpointDays = new Map<number, Map<number, CountsRow>>();
  /** category -> component -> day counts. */
  private categoryDays = new Map<string, Map<string, CategoryDays>>();
  private rows = 0;
  private firstHour: number | undefined;
  private lastHour: number | undefined;

  constructor(
    private readonly db: StoreDatabase,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.killAfter = env[KILL_AFTER_ROWS_ENV] ? Number(env[KILL_AFTER_ROWS_ENV]) : Infinity;
    // Chunks of closed hours touch every endpoint's key range, all over the tables; with
    // SQLite's default 2 MB page cache a long transaction keeps spilling and re-reading pages.
    db.pragma('cache_size = -65536');
    this.upsertEndpoint = db.prepare(
      `INSERT INTO endpoints (endpoint_id, component, category, urgency) VALUES (?, ?, ?, ?)
       ON CONFLICT (endpoint_id, component, category, urgency) DO UPDATE SET urgency = excluded.urgency RETURNING id`,
    );
    const counts = ['s', 'w', 'o', 'e'];
    const [hourlyEndpoint, dailyEndpoint, hourlyCategory, dailyCategory] = AGGREGATE_TABLES;
    this.hourlyEndpoint = new BatchedUpsert(db, hourlyEndpoint, ['endpoint', 'hour'], counts);
    this.dailyEndpoint = new BatchedUpsert(db, dailyEndpoint, ['endpoint', 'day'], counts);
    this.hourlyCategory = new BatchedUpsert(db, hourlyCategory, ['category', 'hour', 'component'], counts);
    this.dailyCategory = new BatchedUpsert(db, dailyCategory, ['category', 'day', 'component'], counts);
    this.insertFile = db.prepare(
      `INSERT INTO ingested_files (sha256, name, size, gzip, lines, accepted, ignored, malformed, first_hour, last_hour, ingested_at, source, start_offset, end_offset)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertSource = db.prepare(
      `INSERT INTO sources (head, consumed, prefix_sha256, lines, accepted, ignored, malformed, name, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.updateSource = db.prepare(
      `UPDATE sources SET consumed = ?, prefix_sha256 = ?, lines = ?, accepted = accepted + ?, ignored = ignored + ?,
       malformed = malformed + ?, name = ?, updated_at = ? WHERE id = ? AND consumed = ? AND prefix_sha256 = ?`,
    );
    this.sourceIds = db.prepare('SELECT id FROM sources WHERE head = ?').pluck();
    this.upsertSeries = db.prepare(
      `INSERT INTO metric_series (metric, labels, kind, bounds) VALUES (?, ?, ?, ?)
       ON CONFLICT (metric, labels) DO UPDATE SET metric = metric RETURNING id, kind, bounds`,
    );
    // Multi-row upserts (MINUTE_BATCH rows per call, then one by one); SQLite applies the rows in
    // order, so a key twice in one batch is added twice, as two calls would.
    const minuteSql = (rows: number): string =>
      `INSERT INTO metric_minutes (series, minute, part, n, ck)
       SELECT column1, column2, column3, column4, ${checksumSql('column1', 'column2', 'column3', 'column4', '0', '0')}
       FROM (VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?)').join(', ')}) WHERE true
       ON CONFLICT (series, minute, part) DO UPDATE SET n = n + excluded.n, ck = ${checksumSql('series', 'minute', 'part', 'n + excluded.n', '0', '0')}`;
    this.upsertMinutes = db.prepare(minuteSql(MINUTE_BATCH));
    this.upsertMinute = db.prepare(minuteSql(1));
    this.readSketch = db.prepare('SELECT sketch FROM metric_sketches WHERE series = ? AND minute = ?').pluck();
    this.writeSketch = db.prepare('INSERT OR REPLACE INTO metric_sketches (series, minute, sketch, ck) VALUES (?, ?, ?, ?)');
  }

  private seriesId(key: SeriesKey): number {
    const k = `${key.metric}${key.labels}`;
    let id = this.seriesIds.get(k);
    if (id !== undefined) return id;
    const bounds = key.bounds ? JSON.stringify(key.bounds) : null;
    const row = this.upsertSeries.get(key.metric, key.labels, key.kind, bounds) as { id: number; kind: string; bounds: string | null };
    if (row.kind !== key.kind || row.bounds !== bounds) {
      const was = row.kind === 'histogram' ? `a histogram with bounds ${row.bounds ?? '[]'}` : 'a counter';
      const now = key.kind === 'histogram' ? `a histogram with bounds ${bounds ?? '[]'}` : 'a counter';
      throw new Error(`metric ${key.metric}${key.labels === '{}' ? '' : key.labels} is stored as ${was}; this file has it as ${now} (a series keeps its bounds: declare the same "buckets")`);
    }
    id = row.id;
    this.seriesIds.set(k, id);
    return id;
  }

  /** A chunk's metric rows: minute parts added in SQL (checksummed there), sketches merged here. */
  private writeMetrics(m: MetricChunk): void {
    const ids = m.series.map((k) => this.seriesId(k));
    const p = m.parts;
    for (let i = 1; i < p.length; i += 4) {
      const hour = Math.floor((p[i] as number) / 60);
      if (this.firstHour === undefined || hour < this.firstHour) this.firstHour = hour;
      if (this.lastHour === undefined || hour > this.lastHour) this.lastHour = hour;
    }
    const batch = new Array<number>(MINUTE_BATCH * 4);
    let i = 0;
    for (; i + MINUTE_BATCH * 4 <= p.length; i += MINUTE_BATCH * 4) {
      for (let k = 0; k < MINUTE_BATCH * 4; k += 4) {
        batch[k] = ids[p[i + k] as number] as number;
        batch[k + 1] = p[i + k + 1] as number;
        batch[k + 2] = p[i + k + 2] as number;
        batch[k + 3] = p[i + k + 3] as number;
      }
      this.upsertMinutes.run(batch);
      for (let k = 0; k < MINUTE_BATCH; k++) this.wrote();
    }
    for (; i < p.length; i += 4) {
      this.upsertMinute.run(ids[p[i] as number], p[i + 1], p[i + 2], p[i + 3]);
      this.wrote();
    }
    for (const sk of m.sketches) {
      const series = ids[sk.series] as number;
      const old = this.readSketch.get(series, sk.minute) as Uint8Array | undefined;
      let bytes = sk.sketch;
      if (old !== undefined) {
        const merged = DDSketch.decode(old);
        merged.merge(DDSketch.decode(bytes));
        bytes = merged.encode();
      }
      this.writeSketch.run(series, sk.minute, bytes, sketchChecksum(series, sk.minute, bytes));
      this.wrote();
    }
  }

  /** Starts the file's transaction, taking the write lock now (IMMEDIATE), not at the first write. */
  begin(): void {
    this.discard();
    this.db.exec('BEGIN IMMEDIATE');
  }

  private wrote(): void {
    this.rows++;
    if (this.rows >= this.killAfter) process.kill(process.pid, 'SIGKILL');
  }

  private endpointId(key: AggregateChunk['endpoints'][number]): number {
    const k = JSON.stringify([key.endpointId, key.component, key.category, key.urgency]);
    let id = this.endpointIds.get(k);
    if (id === undefined) {
      id = (this.upsertEndpoint.get(key.endpointId, key.component, key.category, key.urgency) as { id: number }).id;
      this.endpointIds.set(k, id);
    }
    return id;
  }

  /** Adds a chunk: hourly rows now, daily rollups accumulated until commit. */
  write(chunk: AggregateChunk): void {
    if (!this.db.inTransaction) throw new Error('AggregateSink.write outside a transaction');
    // Per chunk endpoint: its row id and the accumulators its rows feed, looked up once, so the
    // per-row loop below does no key building.
    const ids = chunk.endpoints.map((k) => this.endpointId(k));
    const categoryHours = new Map<string, Map<string, CategoryDays>>();
    const catHours = chunk.endpoints.map((k) => categoryBucket(categoryHours, k.category, k.component).days);
    const catDays = chunk.endpoints.map((k) => categoryBucket(this.categoryDays, k.category, k.component).days);
    const epDays = ids.map((id) => {
      let days = this.endpointDays.get(id);
      if (!days) this.endpointDays.set(id, (days = new Map()));
      return days;
    });
    if (chunk.metrics) this.writeMetrics(chunk.metrics);
    const r = chunk.rows;
    for (let i = 0; i < r.length; i += CHUNK_ROW_WIDTH) {
      const ep = r[i] as number;
      const hour = r[i + 1] as number;
      const s = r[i + 2] as number;
      const w = r[i + 3] as number;
      const o = r[i + 4] as number;
      const e = r[i + 5] as number;
      this.hourlyEndpoint.add(ids[ep] as number, hour, undefined, s, w, o, e);
      this.wrote();
      if (this.firstHour === undefined || hour < this.firstHour) this.firstHour = hour;
      if (this.lastHour === undefined || hour > this.lastHour) this.lastHour = hour;
      const day = Math.floor(hour / HOURS_PER_DAY);
      addCounts(epDays[ep] as Map<number, CountsRow>, day, s, w, o, e);
      addCounts(catHours[ep] as Map<number, CountsRow>, hour, s, w, o, e);
      addCounts(catDays[ep] as Map<number, CountsRow>, day, s, w, o, e);
    }
    this.hourlyEndpoint.flush();
    for (const byComponent of categoryHours.values()) {
      for (const { category, component, days: hours } of byComponent.values()) {
        for (const [hour, c] of hours) {
          this.hourlyCategory.add(category, hour, component, c.s, c.w, c.o, c.e);
          this.wrote();
        }
      }
    }
    this.hourlyCategory.flush();
  }

  /**
   * Records the file's source (its new offset and prefix hash) and commits, in the same
   * transaction as the counts. Unless the source changed since the file was read (checked inside
   * the write lock: another process ingested it meanwhile): then everything is rolled back.
   */
  commit(file: IngestedFileRecord, ingestedAt: string): WriteOutcome {
    if (!this.db.inTransaction) throw new Error('AggregateSink.commit outside a transaction');
    const src = file.source;
    const seen = new Set(src?.seenIds);
    const now = src ? (this.sourceIds.all(src.head) as number[]).filter((id) => !seen.has(id)) : [];
    if (now.length > 0) {
      this.rollback();
      return { kind: 'conflict' };
    }
    for (const [id, days] of this.endpointDays) {
      for (const [day, c] of days) {
        this.dailyEndpoint.add(id, day, undefined, c.s, c.w, c.o, c.e);
        this.wrote();
      }
    }
    this.dailyEndpoint.flush();
    for (const byComponent of this.categoryDays.values()) {
      for (const { category, component, days } of byComponent.values()) {
        for (const [day, c] of days) {
          this.dailyCategory.add(category, day, component, c.s, c.w, c.o, c.e);
          this.wrote();
        }
      }
    }
    this.dailyCategory.flush();
    let sourceId: number | null = null;
    if (!src) {
      // no source to record
    } else if (src.resumed) {
      const r = src.resumed;
      const changed = this.updateSource.run(src.consumed, file.sha256, src.lines, file.accepted, file.ignored, file.malformed, file.name, ingestedAt, r.id, r.consumed, r.prefixSha256);
      if (changed.changes !== 1) {
        this.rollback();
        return { kind: 'conflict' };
      }
      sourceId = r.id;
    } else {
      sourceId = (
        this.insertSource.get(src.head, src.consumed, file.sha256, src.lines, file.accepted, file.ignored, file.malformed, file.name, ingestedAt) as { id: number }
      ).id;
    }
    this.insertFile.run(
      file.sha256,
      file.name,
      file.size,
      file.gzip ? 1 : 0,
      file.lines,
      file.accepted,
      file.ignored,
      file.malformed,
      this.firstHour ?? null,
      this.lastHour ?? null,
      ingestedAt,
      sourceId,
      src?.start ?? null,
      src?.consumed ?? null,
    );
    this.db.exec('COMMIT');
    const rows = this.rows;
    this.discard();
    return { kind: 'written', rows, sourceId };
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.discard();
  }

  private discard(): void {
    this.endpointIds = new Map();
    this.seriesIds = new Map();
    this.endpointDays = new Map();
    this.categoryDays = new Map();
    for (const u of [this.hourlyEndpoint, this.dailyEndpoint, this.hourlyCategory, this.dailyCategory]) u.discard();
    this.rows = 0;
    this.firstHour = undefined;
    this.lastHour = undefined;
  }
}

/** Writes a whole in-memory aggregate as one file, in one transaction (no threads involved). */
export function writeFileAggregate(db: StoreDatabase, agg: HourlyAggregator, file: IngestedFileRecord, ingestedAt: Date, env?: NodeJS.ProcessEnv): WriteOutcome {
  const sink = new AggregateSink(db, env);
  sink.begin();
  try {
    sink.write(agg.drain());
    return sink.commit(file, ingestedAt.toISOString());
  } catch (e) {
    sink.rollback();
    throw e;
  }
}
