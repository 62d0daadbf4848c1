/**
 * The embedded store's SQLite schema and its migrations (better-sqlite3, WAL mode).
 *
 * Layout, designed for the reads StoreSource does:
 * - `endpoints`: one row per (endpoint_id, component, category, urgency), a small table; it also
 *   answers "which categories have data" without touching the counts.
 * - `hourly_endpoint` / `daily_endpoint`: counts per endpoint and epoch hour / UTC day (epoch day).
 * - `hourly_category` / `daily_category`: the same summed per (category, component), so group and
 *   category reads never scan per-endpoint rows. A window reads whole days from the daily table
 *   and only its ragged edges from the hourly one.
 * - `sources`: one row per log stream, identified by content (head fingerprint, bytes consumed,
 *   sha256 of those bytes), so re-ingesting resumes at the offset (sourceReader.ts).
 * - `ingested_files`: one row per ingest that added lines (which source, from and to which offset).
 * Primary keys lead with the entity and then the time, so "this category over this window" is a
 * range scan of a covering WITHOUT ROWID b-tree.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeStoreFailure, storeFailureKind } from './storeErrors';

export type StoreDatabase = Database.Database;

/** Counts columns shared by every aggregate table. */
const COUNTS = 's INTEGER NOT NULL, w INTEGER NOT NULL, o INTEGER NOT NULL, e INTEGER NOT NULL';

/** Migrations in order; index + 1 is the schema version each one produces. Append only. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE endpoints (
    id INTEGER PRIMARY KEY,
    endpoint_id TEXT NOT NULL,
    component TEXT NOT NULL,
    category TEXT NOT NULL,
    urgency TEXT NOT NULL,
    UNIQUE (endpoint_id, component, category, urgency)
  );
  CREATE INDEX endpoints_by_category ON endpoints (category, id);
  CREATE TABLE hourly_endpoint (endpoint INTEGER NOT NULL, hour INTEGER NOT NULL, ${COUNTS},
    PRIMARY KEY (endpoint, hour)) WITHOUT ROWID;
  CREATE TABLE daily_endpoint (endpoint INTEGER NOT NULL, day INTEGER NOT NULL, ${COUNTS},
    PRIMARY KEY (endpoint, day)) WITHOUT ROWID;
  CREATE TABLE hourly_category (category TEXT NOT NULL, hour INTEGER NOT NULL, component TEXT NOT NULL, ${COUNTS},
    PRIMARY KEY (category, hour, component)) WITHOUT ROWID;
  CREATE TABLE daily_category (category TEXT NOT NULL, day INTEGER NOT NULL, component TEXT NOT NULL, ${COUNTS},
    PRIMARY KEY (category, day, component)) WITHOUT ROWID;
  CREATE TABLE ingested_files (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    gzip INTEGER NOT NULL,
    lines INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    ignored INTEGER NOT NULL,
    malformed INTEGER NOT NULL,
    first_hour INTEGER,
    last_hour INTEGER,
    ingested_at TEXT NOT NULL
  );
  `,
  // 2: sources (sourceReader.ts): each log stream by content, with how far it was read, so a grown
  // or rotated file continues where the last ingest stopped. ingested_files stays: one row per
  // ingest that added lines (its sha256 is the source's prefix hash after it); rows from version 1
  // hold whole-file hashes, still checked so files ingested before the upgrade stay duplicates.
  `
  CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    head TEXT NOT NULL,
    consumed INTEGER NOT NULL,
    prefix_sha256 TEXT NOT NULL,
    lines INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    ignored INTEGER NOT NULL,
    malformed INTEGER NOT NULL,
    name TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX sources_by_head ON sources (head, consumed);
  ALTER TABLE ingested_files ADD COLUMN source INTEGER;
  ALTER TABLE ingested_files ADD COLUMN start_offset INTEGER;
  ALTER TABLE ingested_files ADD COLUMN end_offset INTEGER;
  `,
];

export const STORE_SCHEMA_VERSION = MIGRATIONS.length;

/** Thrown when a store file is unusable: wrong schema version, not a database, missing (read-only). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
  }

  static is(e: unknown): e is StoreError {
    return e instanceof StoreError;
  }
}

function currentVersion(db: StoreDatabase): number {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  return row?.version ?? 0;
}

function migrate(db: StoreDatabase, path: string): void {
  const apply = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const from = currentVersion(db);
    if (from > STORE_SCHEMA_VERSION) {
      throw new StoreError(`schema version ${from} is newer than this Budget Lens (${STORE_SCHEMA_VERSION}); upgrade Budget Lens`, path);
    }
    for (let v = from; v < STORE_SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string);
    db.exec('DELETE FROM schema_version');
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(STORE_SCHEMA_VERSION);
  });
  // IMMEDIATE: two processes opening a fresh store at once must not both run migration 1.
  apply.immediate();
}

/**
 * Opens (creating and migrating when writable) the store at `path`. Read-only opens require an
 * existing store at the current schema version and never write.
 */
export function openStoreDatabase(path: string, opts: { readonly?: boolean } = {}): StoreDatabase {
  const readonly = opts.readonly ?? false;
  if (!readonly) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw new StoreError(describeStoreFailure(e, undefined, 'opening'), path);
    }
  }
  let db: StoreDatabase;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: 10_000 });
  } catch (e) {
    throw new StoreError(describeStoreFailure(e, undefined, 'opening'), path);
  }
  try {
    if (readonly) {
      const v = currentVersion(db);
      if (v !== STORE_SCHEMA_VERSION) {
        throw new StoreError(`schema version ${v}, expected ${STORE_SCHEMA_VERSION}; open it writable once (budget-lens ingest) to migrate`, path);
      }
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, path);
    }
  } catch (e) {
    db.close();
    if (StoreError.is(e)) throw e;
    // A full disk or a read-only file is not "not a store": say which (storeErrors.ts).
    if (storeFailureKind(e) !== 'other') throw new StoreError(describeStoreFailure(e, undefined, readonly ? 'reading' : 'writing'), path);
    throw new StoreError(`not a Budget Lens store: ${e instanceof Error ? e.message : String(e)}`, path);
  }
  return db;
}
