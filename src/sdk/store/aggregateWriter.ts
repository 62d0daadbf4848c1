/**
 * Writes one file's aggregate into the store in ONE transaction: either every row of the file
 * lands together with its `ingested_files` record, or nothing does (a crash, a kill or an error
 * mid-way leaves the store exactly as before the file).
 */
import type { Statement } from 'better-sqlite3';
import type { StoreDatabase } from './storeSchema';
import type { CountsRow, HourlyAggregator } from './hourlyAggregator';
import { accumulate } from './hourlyAggregator';

export interface IngestedFileRecord {
  sha256: string;
  name: string;
  size: number;
  gzip: boolean;
  lines: number;
  accepted: number;
  ignored: number;
  malformed: number;
}

export interface PreviousIngest {
  name: string;
  ingestedAt: string;
}

export type WriteOutcome = { kind: 'written'; rows: number } | { kind: 'duplicate'; previous: PreviousIngest };

/**
 * Test hook (integration test "killed mid-ingest"): when set to N, the process SIGKILLs itself
 * after writing N aggregate rows inside the open transaction. Never set in normal use.
 */
export const KILL_AFTER_ROWS_ENV = 'BUDGET_LENS_TEST_KILL_AFTER_ROWS';

const HOURS_PER_DAY = 24;

/**
 * Adds to counts with multi-row `INSERT ... ON CONFLICT DO UPDATE` statements: one native call
 * per BATCH_ROWS rows instead of one per row, the main cost of writing a big file's aggregate.
 * Keys are unique within one file's aggregate, so no row conflicts with another of its batch.
 */
class BatchedUpsert {
  private static readonly BATCH_ROWS = 128;
  private readonly single: Statement;
  private readonly batch: Statement;
  private readonly width: number;
  private buffer: Array<string | number> = [];

  constructor(db: StoreDatabase, table: string, keys: string[], counts: string[]) {
    const columns = [...keys, ...counts];
    this.width = columns.length;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const sql = (rows: number): string =>
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${counts.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;
    this.single = db.prepare(sql(1));
    this.batch = db.prepare(sql(BatchedUpsert.BATCH_ROWS));
  }

  add(...values: Array<string | number>): void {
    for (const v of values) this.buffer.push(v);
    if (this.buffer.length === this.width * BatchedUpsert.BATCH_ROWS) {
      this.batch.run(this.buffer);
      this.buffer = [];
    }
  }

  flush(): void {
    for (let i = 0; i < this.buffer.length; i += this.width) this.single.run(this.buffer.slice(i, i + this.width));
    this.buffer = [];
  }
}

export function findIngestedFile(db: StoreDatabase, sha256: string): PreviousIngest | undefined {
  const row = db.prepare('SELECT name, ingested_at FROM ingested_files WHERE sha256 = ?').get(sha256) as
    | { name: string; ingested_at: string }
    | undefined;
  return row ? { name: row.name, ingestedAt: row.ingested_at } : undefined;
}

export function writeFileAggregate(
  db: StoreDatabase,
  agg: HourlyAggregator,
  file: IngestedFileRecord,
  ingestedAt: Date,
  env: NodeJS.ProcessEnv = process.env,
): WriteOutcome {
  const killAfter = env[KILL_AFTER_ROWS_ENV] ? Number(env[KILL_AFTER_ROWS_ENV]) : Infinity;
  const upsertEndpoint = db.prepare(
    `INSERT INTO endpoints (endpoint_id, component, category, urgency) VALUES (?, ?, ?, ?)
     ON CONFLICT (endpoint_id, component, category, urgency) DO UPDATE SET urgency = excluded.urgency RETURNING id`,
  );
  const upsertHourlyEndpoint = new BatchedUpsert(db, 'hourly_endpoint', ['endpoint', 'hour'], ['s', 'w', 'o', 'e']);
  const upsertDailyEndpoint = new BatchedUpsert(db, 'daily_endpoint', ['endpoint', 'day'], ['s', 'w', 'o', 'e']);
  const upsertHourlyCategory = new BatchedUpsert(db, 'hourly_category', ['category', 'hour', 'component'], ['s', 'w', 'o', 'e']);
  const upsertDailyCategory = new BatchedUpsert(db, 'daily_category', ['category', 'day', 'component'], ['s', 'w', 'o', 'e']);
  const insertFile = db.prepare(
    `INSERT INTO ingested_files (sha256, name, size, gzip, lines, accepted, ignored, malformed, first_hour, last_hour, ingested_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  let rows = 0;
  const wrote = (): void => {
    rows++;
    if (rows >= killAfter) process.kill(process.pid, 'SIGKILL');
  };

  const tx = db.transaction((): WriteOutcome => {
    // Checked again inside the write lock: another process may have ingested the same file meanwhile.
    const previous = findIngestedFile(db, file.sha256);
    if (previous) return { kind: 'duplicate', previous };
    // Category rollups per (category, component), then hour / day.
    const catHours = new Map<string, { category: string; component: string; hours: Map<number, CountsRow> }>();
    for (const ep of agg.endpoints()) {
      const { endpointId, component, category, urgency } = ep.key;
      const { id } = upsertEndpoint.get(endpointId, component, category, urgency) as { id: number };
      const days = new Map<number, CountsRow>();
      const catKey = JSON.stringify([category, component]);
      let perCat = catHours.get(catKey);
      if (!perCat) catHours.set(catKey, (perCat = { category, component, hours: new Map() }));
      for (const [hour, c] of ep.hours) {
        upsertHourlyEndpoint.add(id, hour, c.s, c.w, c.o, c.e);
        wrote();
        accumulate(days, Math.floor(hour / HOURS_PER_DAY), c);
        accumulate(perCat.hours, hour, c);
      }
      for (const [day, c] of days) {
        upsertDailyEndpoint.add(id, day, c.s, c.w, c.o, c.e);
        wrote();
      }
    }
    for (const { category, component, hours } of catHours.values()) {
      const days = new Map<number, CountsRow>();
      for (const [hour, c] of hours) {
        upsertHourlyCategory.add(category, hour, component, c.s, c.w, c.o, c.e);
        wrote();
        accumulate(days, Math.floor(hour / HOURS_PER_DAY), c);
      }
      for (const [day, c] of days) {
        upsertDailyCategory.add(category, day, component, c.s, c.w, c.o, c.e);
        wrote();
      }
    }
    for (const u of [upsertHourlyEndpoint, upsertDailyEndpoint, upsertHourlyCategory, upsertDailyCategory]) u.flush();
    insertFile.run(
      file.sha256,
      file.name,
      file.size,
      file.gzip ? 1 : 0,
      file.lines,
      file.accepted,
      file.ignored,
      file.malformed,
      agg.firstHour ?? null,
      agg.lastHour ?? null,
      ingestedAt.toISOString(),
    );
    return { kind: 'written', rows };
  });
  return tx.immediate();
}
