/**
 * `ingestFiles`: GitLab NDJSON request and Sidekiq logs (plain or gzip) -> the embedded store.
 * Each file is streamed, classified line by line (logClassifier) and aggregated per hour in
 * memory; closed hours go to the store writer (storeWriter, usually on a worker thread) inside
 * ONE transaction per file that commits only after the last line; while the writer thread
 * commits a file, the next one is already being parsed (its transaction starts right after, as
 * the writer runs requests in order). Each file's sha256 is computed alongside (fileHash): a
 * file already ingested stops early and adds nothing; a copy of a file whose commit is still
 * running is caught by the commit, inside the write lock. Malformed lines are counted and listed
 * with their line numbers, never fatal; a file that cannot be read fails alone and writes nothing.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { StoreDatabase } from './storeSchema';
import { openStoreDatabase } from './storeSchema';
import { HourlyAggregator } from './hourlyAggregator';
import { HourParser, classifyLogLine } from './logClassifier';
import type { GraphqlUrgencyLookup } from './logClassifier';
import { MAX_LINE_CHARS, forEachLine, isGzipFile } from './lineReader';
import { fileSha256 } from './fileHash';
import type { IngestedFileRecord, PreviousIngest, WriteOutcome } from './aggregateWriter';
import { findIngestedFile } from './aggregateWriter';
import type { AggregateChunk } from './hourlyAggregator';
import type { FileHash } from './fileHash';
import { HOUR_MS } from './windowBuckets';
import type { StoreWriter, WriterMode } from './storeWriter';
import { openStoreWriter } from './storeWriter';

export interface MalformedLine {
  /** 1-based line number in the (decompressed) file. */
  line: number;
  reason: string;
}

export type FileIngestStatus = 'ingested' | 'duplicate' | 'failed';

export interface FileIngestReport {
  file: string;
  status: FileIngestStatus;
  /** Hex sha256 of the file's bytes; absent when the file could not be read. */
  sha256?: string;
  size: number;
  gzip: boolean;
  lines: number;
  /** Lines that became SLI events. */
  accepted: number;
  /** Blank lines and Sidekiq lines with a job_status other than done/fail (e.g. start). */
  ignored: number;
  malformed: number;
  /** The first `maxMalformedListed` malformed lines, in file order. */
  malformedLines: MalformedLine[];
  /** Aggregate rows written (0 for duplicates and failures). */
  rowsWritten: number;
  /** ISO start of the first and last hour with events. */
  firstHour?: string;
  lastHour?: string;
  /** For a duplicate: when and under which name the same content was ingested. */
  previous?: PreviousIngest;
  /** For a failure: why the file could not be read. */
  error?: string;
}

export interface IngestReport {
  store: string;
  /** Where the SQLite writes ran: a worker thread alongside the parsing, or the calling thread. */
  writer: 'thread' | 'main';
  files: FileIngestReport[];
  totals: { files: number; ingested: number; duplicates: number; failed: number; accepted: number; malformed: number };
}

export interface IngestOptions {
  /** How many malformed lines to list per file (all are counted). Default 10. */
  maxMalformedListed?: number;
  /** Clock for `ingested_at`; tests pin it. */
  now?: () => Date;
  /** Called after each file, e.g. to print progress. */
  onFile?: (report: FileIngestReport) => void;
  /** Where SQLite writes run: a worker thread alongside the parsing (auto, the default) or here. */
  writer?: WriterMode;
  /**
   * A GraphQL operation's urgency (GitLab does not log it; it looks it up by operation), e.g. from
   * the workspace index's `graphql:<Operation>` endpoints. Unknown operations: `default`.
   */
  graphqlUrgency?: GraphqlUrgencyLookup;
}

function emptyReport(file: string): FileIngestReport {
  return { file, status: 'failed', size: 0, gzip: false, lines: 0, accepted: 0, ignored: 0, malformed: 0, malformedLines: [], rowsWritten: 0 };
}

/** Thrown inside the line loop to stop parsing early (a duplicate found mid-file). */
class ParseStopped extends Error {}

export interface ParseOptions {
  /** How many malformed lines to list (all are counted). */
  maxListed: number;
  /** See IngestOptions.graphqlUrgency. */
  graphqlUrgency?: GraphqlUrgencyLookup;
  /** Receives drained chunks of closed hours while parsing; without it all rows stay in the aggregate. */
  onChunk?: (chunk: AggregateChunk) => void;
  /** Called with the file's hash as soon as it is known (hashing runs alongside the parse). */
  onHash?: (hash: FileHash) => void;
  /** Polled every few thousand lines; returning true stops the parse with ParseStopped. */
  shouldStop?: () => boolean;
}

/** Events between two drains of closed hours: small enough to bound memory, big enough to batch. */
const DRAIN_EVERY_EVENTS = 32_768;
const STOP_POLL_LINES = 4_096;

/** Parses and aggregates one file. Touches the store only through `onChunk`. */
export async function aggregateLogFile(path: string, opts: ParseOptions): Promise<{ report: FileIngestReport; agg: HourlyAggregator }> {
  const report = emptyReport(path);
  const agg = new HourlyAggregator();
  const hours = new HourParser();
  const { maxListed, onChunk, shouldStop } = opts;
  const onMalformed = (line: number, reason: string): void => {
    report.malformed++;
    if (report.malformedLines.length < maxListed) report.malformedLines.push({ line, reason });
  };
  const { size } = await stat(path);
  const hashing = fileSha256(path, size).then((h) => {
    opts.onHash?.(h);
    return h;
  });
  hashing.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  let sinceDrain = 0;
  const read = await forEachLine(path, (text, lineNumber) => {
    if (shouldStop && lineNumber % STOP_POLL_LINES === 0 && shouldStop()) throw new ParseStopped();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Blank lines are not log lines, but not malformed either; checked here, off the hot path.
      if (text.trim().length === 0) report.ignored++;
      else onMalformed(lineNumber, 'invalid JSON');
      return;
    }
    const c = classifyLogLine(parsed, hours, opts.graphqlUrgency);
    if (c.kind === 'event') {
      agg.add(c);
      report.accepted++;
      // Logs are in time order: hours before the previous one are closed; later stragglers are
      // added to the written counts, so draining early never loses an event.
      if (onChunk && ++sinceDrain >= DRAIN_EVERY_EVENTS && agg.lastHour !== undefined) {
        sinceDrain = 0;
        onChunk(agg.drain(agg.lastHour - 1));
      }
    } else if (c.kind === 'ignored') {
      report.ignored++;
    } else {
      onMalformed(lineNumber, c.reason);
    }
  }, (lineNumber) => onMalformed(lineNumber, `line longer than ${MAX_LINE_CHARS} characters, skipped`));
  const hash = await hashing;
  if (hash.size !== read.size) throw new Error(`file changed while being read (${hash.size} then ${read.size} bytes); ingest it once it is complete`);
  report.sha256 = hash.sha256;
  report.size = read.size;
  report.gzip = read.gzip;
  report.lines = read.lines;
  if (agg.firstHour !== undefined) report.firstHour = new Date(agg.firstHour * HOUR_MS).toISOString();
  if (agg.lastHour !== undefined) report.lastHour = new Date(agg.lastHour * HOUR_MS).toISOString();
  return { report, agg };
}

async function duplicateReport(path: string, sha256: string, previous: PreviousIngest): Promise<FileIngestReport> {
  const { size } = await stat(path);
  return {
    ...emptyReport(path),
    status: 'duplicate',
    sha256,
    size,
    gzip: await isGzipFile(path),
    // The counts of the earlier ingest of the same bytes: this one stopped as soon as it knew.
    lines: previous.lines,
    accepted: previous.accepted,
    ignored: previous.ignored,
    malformed: previous.malformed,
    previous,
  };
}

function failed(path: string, e: unknown): FileIngestReport {
  return { ...emptyReport(path), error: e instanceof Error ? e.message : String(e) };
}

/** A file whose parsing is done; its commit may still be running on the writer thread. */
interface ParsedFile {
  done: Promise<FileIngestReport>;
}

function parsedFile(report: FileIngestReport): ParsedFile {
  return { done: Promise.resolve(report) };
}

function beginFailed(path: string, e: unknown): FileIngestReport {
  // Typically SQLITE_BUSY: another process held the store's write lock past the busy timeout.
  return failed(path, new Error(`cannot start writing to the store: ${e instanceof Error ? e.message : String(e)}`));
}

/**
 * Parses one file into an open transaction and queues its commit. Resolves once the parsing is
 * done, NOT the commit: the caller parses the next file while the writer thread commits this
 * one (the writer runs requests in order, so the next file's transaction starts after it).
 */
async function ingestOne(db: StoreDatabase, writer: StoreWriter, path: string, opts: IngestOptions): Promise<ParsedFile> {
  let known: { sha256: string; previous: PreviousIngest } | undefined;
  // Not awaited before parsing: the writer takes the lock (and, for the first file, finishes
  // starting up) while this thread parses; chunks queue behind it. A failed begin is reported
  // below, and the chunks it turned away are rolled back.
  const beginning = writer.begin().then(
    () => undefined,
    (e: unknown) => ({ error: e }),
  );
  let parsed: Awaited<ReturnType<typeof aggregateLogFile>>;
  try {
    parsed = await aggregateLogFile(path, {
      maxListed: opts.maxMalformedListed ?? 10,
      graphqlUrgency: opts.graphqlUrgency,
      onChunk: (chunk) => writer.write(chunk),
      onHash: (h) => {
        const previous = findIngestedFile(db, h.sha256);
        if (previous) known = { sha256: h.sha256, previous };
      },
      shouldStop: () => known !== undefined,
    });
  } catch (e) {
    await beginning;
    await writer.rollback();
    if (e instanceof ParseStopped && known) return parsedFile(await duplicateReport(path, known.sha256, known.previous));
    return parsedFile(failed(path, e));
  }
  const { report, agg } = parsed;
  const begun = await beginning;
  if (begun !== undefined) {
    await writer.rollback();
    return parsedFile(beginFailed(path, begun.error));
  }
  if (known) {
    await writer.rollback();
    return parsedFile({ ...report, status: 'duplicate', previous: known.previous });
  }
  writer.write(agg.drain());
  const record: IngestedFileRecord = {
    sha256: report.sha256 as string,
    name: basename(path),
    size: report.size,
    gzip: report.gzip,
    lines: report.lines,
    accepted: report.accepted,
    ignored: report.ignored,
    malformed: report.malformed,
  };
  const done = writer.commit(record, (opts.now ?? (() => new Date()))()).then(
    (outcome: WriteOutcome): FileIngestReport =>
      outcome.kind === 'duplicate' ? { ...report, status: 'duplicate', previous: outcome.previous } : { ...report, status: 'ingested', rowsWritten: outcome.rows },
    (e: unknown) => failed(path, e),
  );
  return { done };
}

/**
 * Ingests `files` into the store at `storePath` (created and migrated when missing), in order,
 * one transaction per file. Never throws for a bad file or bad lines: see each file's report.
 * Throws StoreError only when the store itself cannot be opened.
 */
export async function ingestFiles(storePath: string, files: string[], opts: IngestOptions = {}): Promise<IngestReport> {
  const db = openStoreDatabase(storePath);
  const reports: FileIngestReport[] = [];
  let writer: StoreWriter | undefined;
  let threaded = false;
  try {
    writer = await openStoreWriter(storePath, opts.writer);
    threaded = writer.threaded;
    // Reports in file order, each as soon as its commit is done, while later files parse.
    let reported: Promise<void> = Promise.resolve();
    let callbackError: { error: unknown } | undefined;
    for (const file of files) {
      const { done } = await ingestOne(db, writer, file, opts);
      reported = reported.then(async () => {
        const r = await done;
        reports.push(r);
        try {
          opts.onFile?.(r);
        } catch (e) {
          callbackError ??= { error: e };
        }
      });
    }
    await reported;
    if (callbackError) throw callbackError.error;
  } finally {
    await writer?.close();
    db.close();
  }
  return {
    store: storePath,
    writer: threaded ? 'thread' : 'main',
    files: reports,
    totals: {
      files: reports.length,
      ingested: reports.filter((r) => r.status === 'ingested').length,
      duplicates: reports.filter((r) => r.status === 'duplicate').length,
      failed: reports.filter((r) => r.status === 'failed').length,
      accepted: reports.reduce((n, r) => n + (r.status === 'ingested' ? r.accepted : 0), 0),
      malformed: reports.reduce((n, r) => n + r.malformed, 0),
    },
  };
}
