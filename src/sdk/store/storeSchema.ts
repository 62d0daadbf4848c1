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
 * Every aggregate row carries `ck`, a checksum of its counts, time and endpoint id (schema 3,
 * checksumSql below), recomputed by every write in SQL and verified by every read: a flipped
 * byte in a count is refused, never served (storeSource.ts, `budget-lens store check`).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeStoreFailure, storeFailureKind } from './storeErrors';

export type StoreDatabase = BetterSqlite3.Database;

/**
 * better-sqlite3, loaded with SQLite's URI filenames enabled (it reads SQLITE_USE_URI once, when
 * the addon first loads): a store on a read-only filesystem without its -shm file can only be
 * opened as `file:<path>?immutable=1`. If the addon was loaded earlier without it, that one
 * fallback fails with a clear error; everything else is unaffected (store paths are absolute).
 */
let sqlite: typeof BetterSqlite3 | undefined;
function Database(...args: ConstructorParameters<typeof BetterSqlite3>): StoreDatabase {
  if (!sqlite) {
    const before = process.env.SQLITE_USE_URI;
    process.env.SQLITE_USE_URI = '1';
    try {
      // Loaded on first open, not at import: the SDK's front door re-exports the store, and a
      // bundle that never opens one (the extension) must not need the native addon.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      sqlite = require('better-sqlite3') as typeof BetterSqlite3;
    } finally {
      if (before === undefined) delete process.env.SQLITE_USE_URI;
      else process.env.SQLITE_USE_URI = before;
    }
  }
  return new sqlite(...args);
}

/** The checksum's modulus (2^31 - 1, prime) and per-field multipliers (each < 2^31). */
const CK_MOD = 2147483647;
const CK_BASE = 1234567;
const CK_FACTORS = [48271, 69621, 16807, 39373, 1103515245, 2013265921] as const;

/**
 * SQL for an aggregate row's checksum from the SQL expressions of its endpoint id (0 for the
 * category tables, whose keys are text), its hour or day, and its counts s, w, o, e:
 * (BASE + sum of (x mod P) * F_i mod P) mod P, P = 2^31 - 1. Every product stays below 2^62, so
 * SQLite computes it in 64-bit integers exactly. A changed field changes the sum by
 * delta * F_i mod P, never 0 unless delta is a multiple of P, so any damage to one field is caught.
 * Pure arithmetic on purpose: a JavaScript function called per row cost ~4x the read (measured).
 */
export function checksumSql(endpoint: string, time: string, s: string, w: string, o: string, e: string): string {
  const terms = [endpoint, time, s, w, o, e].map((x, i) => `((${x}) % ${CK_MOD}) * ${CK_FACTORS[i]} % ${CK_MOD}`);
  return `((${CK_BASE} + ${terms.join(' + ')}) % ${CK_MOD})`;
}

/** The aggregate tables: name, endpoint-id expression (0 when keyed by category), time column. */
export const AGGREGATE_TABLES = [
  { table: 'hourly_endpoint', endpoint: 'endpoint', time: 'hour', hourly: true },
  { table: 'daily_endpoint', endpoint: 'endpoint', time: 'day', hourly: false },
  { table: 'hourly_category', endpoint: '0', time: 'hour', hourly: true },
  { table: 'daily_category', endpoint: '0', time: 'day', hourly: false },
] as const;

/** The checksum a row of `table` should have, over its own columns (optionally qualified `t.`). */
export function rowChecksumSql(table: (typeof AGGREGATE_TABLES)[number], qualifier = ''): string {
  const q = (c: string): string => (c === '0' ? c : `${qualifier}${c}`);
  return checksumSql(q(table.endpoint), q(table.time), q('s'), q('w'), q('o'), q('e'));
}

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
  // 3: a checksum per aggregate row (checksumSql), filled here for the rows already stored.
  AGGREGATE_TABLES.map(
    (t) => `ALTER TABLE ${t.table} ADD COLUMN ck INTEGER NOT NULL DEFAULT -1;
  UPDATE ${t.table} SET ck = ${rowChecksumSql(t)};`,
  ).join('\n'),
  // 4: metric event logs (eventLog.ts, docs/objectives.md "The embedded store"): one row per series
  // (metric + label set; a histogram's bucket bounds), per (series, minute, part) the minute's
  // count (part 0: a counter's increments or a histogram's _count; 1: _sum in millionths; 2 + i:
  // the observations in (bound i − 1, bound i], only when not 0: the cumulative bucket `le` =
  // bound i is the sum of parts 2 .. 2 + i), and per (series, minute) a DDSketch of its values.
  // metric_minutes' ck is checksumSql(series, minute, part, n, 0, 0); metric_sketches' ck is
  // computed in JavaScript over the blob (ddSketch.ts sketchChecksum).
  `
  CREATE TABLE IF NOT EXISTS metric_series (
    id INTEGER PRIMARY KEY,
    metric TEXT NOT NULL,
    labels TEXT NOT NULL,
    kind TEXT NOT NULL,
    bounds TEXT,
    UNIQUE (metric, labels)
  );
  CREATE TABLE IF NOT EXISTS metric_minutes (series INTEGER NOT NULL, minute INTEGER NOT NULL, part INTEGER NOT NULL, n INTEGER NOT NULL, ck INTEGER NOT NULL,
    PRIMARY KEY (series, minute, part)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS metric_sketches (series INTEGER NOT NULL, minute INTEGER NOT NULL, sketch BLOB NOT NULL, ck INTEGER NOT NULL,
    PRIMARY KEY (series, minute)) WITHOUT ROWID;
  `,
];

/** The checksum of a metric_minutes row over its own columns (optionally qualified `t.`). */
export function metricRowChecksumSql(qualifier = ''): string {
  return checksumSql(`${qualifier}series`, `${qualifier}minute`, `${qualifier}part`, `${qualifier}n`, '0', '0');
}

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
 * The store cannot be written: its file, its folder or its filesystem is read-only. Reading it
 * still works (`serve`, `report`); `ingest` says so with this error.
 */
export class StoreReadOnlyError extends StoreError {
  constructor(
    path: string,
    readonly reason: string,
  ) {
    super('', path);
    this.message = `store ${path} is read-only (${reason}); ingest needs write access`;
  }
}

/** Codes of a store whose file or folder cannot be written (the OS's, or SQLite's about it). */
const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_IOERR_LOCK']);

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Why the store file or its folder is not writable, or undefined when both are. */
function notWritableReason(path: string): string | undefined {
  for (const p of existsSync(path) ? [path, dirname(path)] : [dirname(path)]) {
    try {
      accessSync(p, constants.W_OK);
    } catch (e) {
      const code = codeOf(e);
      if (code === 'EROFS') return `read-only filesystem at ${p}`;
      if (code === 'EACCES' || code === 'EPERM') return `no write permission on ${p}`;
    }
  }
  return undefined;
}

function readOnlyError(path: string, e: unknown): StoreReadOnlyError | undefined {
  const code = codeOf(e);
  if (code === undefined || !READ_ONLY_CODES.has(code)) return undefined;
  const reason = notWritableReason(path);
  if (reason !== undefined) return new StoreReadOnlyError(path, reason);
  // SQLite says read-only although the OS reports both writable (e.g. a mount option): say what SQLite said.
  if (code === 'SQLITE_READONLY') return new StoreReadOnlyError(path, e instanceof Error ? e.message : code);
  return undefined;
}

/**
 * Opens a store for reading. A WAL store needs its -shm file; when the folder is read-only (a
 * read-only mount, a snapshot) and there is none, SQLite cannot open it normally, so it is opened
 * immutable: nothing can change it there anyway. Unless a -wal file holds writes not yet in the
 * database file: immutable would silently ignore them, so that is refused.
 */
function openReadonly(path: string): StoreDatabase {
  let db: StoreDatabase | undefined;
  try {
    db = Database(path, { readonly: true, fileMustExist: true, timeout: 10_000 });
    currentVersion(db); // the first read opens the WAL index
    return db;
  } catch (e) {
    db?.close();
    const code = codeOf(e);
    if (!existsSync(path) || (code !== 'SQLITE_CANTOPEN' && code !== 'SQLITE_IOERR_LOCK' && code !== 'SQLITE_READONLY')) {
      throw new StoreError(describeStoreFailure(e, undefined, 'opening', path), path);
    }
    const wal = `${path}-wal`;
    if (existsSync(wal) && statSync(wal).size > 0) {
      throw new StoreError(
        `cannot open store read-only (${e instanceof Error ? e.message : String(e)}): its folder is not writable and ${wal} holds writes not yet in the store; open it once where it is writable (budget-lens store check) to fold them in`,
        path,
      );
    }
    try {
      db = Database(`${pathToFileURL(path).href}?immutable=1`, { readonly: true, fileMustExist: true });
      currentVersion(db);
      return db;
    } catch {
      // URI filenames are off (better-sqlite3 was loaded before this module): read the file into
      // memory instead, marked as a rollback-journal database (header bytes 18-19 = 1) since an
      // in-memory copy has no WAL. Costs the file's size in memory; it is the last resort.
      try {
        const bytes = readFileSync(path);
        if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
        db = Database(bytes, { readonly: true });
        currentVersion(db);
        return db;
      } catch (e2) {
        throw new StoreError(`cannot open store read-only: ${e instanceof Error ? e.message : String(e)}; from memory: ${e2 instanceof Error ? e2.message : String(e2)}`, path);
      }
    }
  }
}

/**
 * Opens (creating and migrating when writable) the store at `path`. Read-only opens require an
 * existing store at the current schema version and never write; they work on a read-only
 * filesystem too. A writable open of a store that cannot be written throws StoreReadOnlyError.
 */
export function openStoreDatabase(path: string, opts: { readonly?: boolean } = {}): StoreDatabase {
  const readonly = opts.readonly ?? false;
  let db: StoreDatabase;
  if (readonly) {
    db = openReadonly(path);
  } else {
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = Database(path, { timeout: 10_000 });
    } catch (e) {
      throw readOnlyError(path, e) ?? new StoreError(describeStoreFailure(e, undefined, 'opening', path), path);
    }
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
    if (!readonly) {
      const ro = readOnlyError(path, e);
      if (ro) throw ro;
    }
    // A full disk or a read-only file is not "not a store": say which (storeErrors.ts).
    if (storeFailureKind(e) !== 'other') throw new StoreError(describeStoreFailure(e, undefined, readonly ? 'reading' : 'writing', path), path);
    throw new StoreError(`not a Budget Lens store: ${e instanceof Error ? e.message : String(e)}`, path);
  }
  return db;
}
