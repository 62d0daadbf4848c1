/**
 * `ingestFiles`: GitLab NDJSON request and Sidekiq logs and metric event logs (eventLog.ts; plain or
 * gzip) -> the embedded store.
 * Each file is streamed, classified line by line (logClassifier) and aggregated per hour in
 * memory; closed hours go to the store writer (storeWriter, usually on a worker thread) inside
 * ONE transaction per file that commits only after the last line; while the writer thread
 * commits a file, the next one is already being parsed (its transaction starts right after, as
 * the writer runs requests in order). Each file is read as a source (sourceReader.ts): a file that
 * continues a known source (same head, same prefix hash) is parsed only after the offset already
 * consumed, and only complete lines are consumed; the source's new offset and prefix hash commit
 * in the same transaction as the counts. Files of one call with the same head wait for the
 * earlier one's commit; another process's commit in between is caught inside the write lock
 * (the file fails and writes nothing). Malformed lines are counted and listed
 * with their line numbers, never fatal; a file that cannot be read fails alone and writes nothing.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { StoreDatabase } from './storeSchema';
import { StoreError, openStoreDatabase } from './storeSchema';
import { describeStoreFailure, storeFailureKind } from './storeErrors';
import { HourlyAggregator } from './hourlyAggregator';
import { HourParser, classifyLogLine } from './logClassifier';
import { EventLineReader, isEventLine } from './eventLog';
import type { GraphqlUrgencyLookup } from './logClassifier';
import type { TimeRejectionCode } from '../budget/saneTime';
import { MAX_LINE_CHARS, isGzipFile } from './lineReader';
import { fileSha256 } from './fileHash';
import type { IngestedFileRecord, PreviousIngest, SourceRow, WriteOutcome } from './aggregateWriter';
import { findIngestedFile, findSources, previousOf } from './aggregateWriter';
import type { AggregateChunk } from './hourlyAggregator';
import type { SourceReadResult, SourceState } from './sourceReader';
import { readSource } from './sourceReader';
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
  /**
   * Malformed lines whose `time` had the right shape but was refused, by reason (saneTime.ts):
   * `impossible_date` (2026-02-30, month 13) and `time_out_of_range` (outside 1970-2100).
   * Absent when there were none. They are counted in `malformed` too.
   */
  rejectedTimes?: Partial<Record<TimeRejectionCode, number>>;
  /** Aggregate rows written (0 for duplicates and failures). */
  rowsWritten: number;
  /** ISO start of the first and last hour with events. */
  firstHour?: string;
  lastHour?: string;
  /** For a duplicate: when and under which name the same content was ingested. */
  previous?: PreviousIngest;
  /** Decompressed byte offsets: parsing started at `start` (a known source's end) and consumed through `consumed`. */
  start?: number;
  consumed?: number;
  /** Bytes of a partial last line, left for the next ingest. */
  pendingBytes?: number;
  /** The known source this file continued (under the name it was last read). */
  resumed?: { name: string; offset: number };
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

export interface ParseOptions {
  /** How many malformed lines to list (all are counted). */
  maxListed: number;
  /** See IngestOptions.graphqlUrgency. */
  graphqlUrgency?: GraphqlUrgencyLookup;
  /** Receives drained chunks of closed hours while parsing; without it all rows stay in the aggregate. */
  onChunk?: (chunk: AggregateChunk) => void;
  /** Known sources with this head fingerprint (the store's); none: the file is read from its start. */
  candidates?: (head: string) => SourceState[] | Promise<SourceState[]>;
}

/** Events between two drains of closed hours: small enough to bound memory, big enough to batch. */
const DRAIN_EVERY_EVENTS = 32_768;

/** Parses and aggregates the lines of one file its known source has not consumed yet. */
export async function aggregateLogFile(path: string, opts: ParseOptions): Promise<{ report: FileIngestReport; agg: HourlyAggregator; source: SourceReadResult }> {
  const report = emptyReport(path);
  const agg = new HourlyAggregator();
  const hours = new HourParser();
  const events = new EventLineReader(hours);
  const { maxListed, onChunk } = opts;
  const onMalformed = (line: number, reason: string, code?: TimeRejectionCode): void => {
    report.malformed++;
    if (code !== undefined) {
      const counts = (report.rejectedTimes ??= {});
      counts[code] = (counts[code] ?? 0) + 1;
    }
    if (report.malformedLines.length < maxListed) report.malformedLines.push({ line, reason });
  };
  let sinceDrain = 0;
  const source = await readSource(path, {
    candidates: opts.candidates ?? (() => []),
    onLine: (text, lineNumber) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Blank lines are not log lines, but not malformed either; checked here, off the hot path.
        if (text.trim().length === 0) report.ignored++;
        else onMalformed(lineNumber, 'invalid JSON');
        return;
      }
      if (isEventLine(parsed)) {
        // A metric event line (eventLog.ts): counters and histogram observations per minute.
        const ev = events.read(parsed);
        if (ev.kind === 'observation') {
          agg.addObservation(ev.series, ev.minute, ev.hour, ev.value);
          report.accepted++;
          if (onChunk && ++sinceDrain >= DRAIN_EVERY_EVENTS && agg.lastHour !== undefined) {
            sinceDrain = 0;
            onChunk(agg.drain(agg.lastHour - 1));
          }
        } else if (ev.kind === 'header') report.ignored++;
        else onMalformed(lineNumber, ev.reason);
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
        onMalformed(lineNumber, c.reason, c.code);
      }
    },
    onOverlong: (lineNumber) => onMalformed(lineNumber, `line longer than ${MAX_LINE_CHARS} characters, skipped`),
  });
  report.sha256 = source.prefixSha256;
  report.size = source.size;
  report.gzip = source.gzip;
  report.lines = source.newLines;
  report.start = source.start;
  report.consumed = source.consumed;
  report.pendingBytes = source.pendingBytes;
  if (agg.firstHour !== undefined) report.firstHour = new Date(agg.firstHour * HOUR_MS).toISOString();
  if (agg.lastHour !== undefined) report.lastHour = new Date(agg.lastHour * HOUR_MS).toISOString();
  return { report, agg, source };
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

/** The log could not be read (a store read that failed meanwhile says so itself: StoreError). */
function readFailed(path: string, e: unknown): FileIngestReport {
  if (StoreError.is(e)) return failed(path, e);
  return failed(path, new Error(`cannot read: ${e instanceof Error ? e.message : String(e)}`));
}

/** A message describeStoreFailure wrote (the writer thread sends words, not the error's code). */
const DESCRIBED = /^(disk full while|store is|permission denied|cannot open|not a Budget Lens store|I\/O error while|failed while)/;

/** The file's counts could not be committed: the writer's message already says what failed (storeErrors.ts). */
function writeFailed(path: string, storePath: string, e: unknown): FileIngestReport {
  const message = e instanceof Error ? e.message : String(e);
  if (DESCRIBED.test(message)) return failed(path, e);
  if (storeFailureKind(e, storePath) !== 'other') return failed(path, new Error(describeStoreFailure(e, storePath, 'writing')));
  return failed(path, new Error(`cannot write to the store ${storePath}: ${message}`));
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
async function ingestOne(db: StoreDatabase, writer: StoreWriter, path: string, opts: IngestOptions, ctx: IngestContext): Promise<ParsedFile> {
  // A store from before sources (schema 1): its whole-file hashes still make duplicates.
  if (ctx.legacy) {
    try {
      const { size } = await stat(path);
      const h = await fileSha256(path, size);
      const previous = findIngestedFile(db, h.sha256);
      if (previous) return parsedFile(await duplicateReport(path, h.sha256, previous));
    } catch (e) {
      return parsedFile(readFailed(path, e));
    }
  }
  // Files of this call with the same head wait for the earlier one's commit, so a copy or a
  // continuation within one call sees what the earlier file consumed.
  let release: () => void = () => undefined;
  const mine = new Promise<void>((resolve) => (release = resolve));
  let head: string | undefined;
  let seen: SourceRow[] = [];
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
      candidates: async (h) => {
        head = h;
        const before = ctx.inflight.get(h);
        ctx.inflight.set(h, mine);
        await before;
        try {
          seen = findSources(db, h);
        } catch (e) {
          throw new StoreError(describeStoreFailure(e, undefined, 'reading', ctx.storePath), ctx.storePath);
        }
        return seen;
      },
    });
  } catch (e) {
    release();
    await beginning;
    await writer.rollback();
    return parsedFile(readFailed(path, e));
  }
  const { report, agg, source } = parsed;
  const begun = await beginning;
  if (begun !== undefined) {
    release();
    await writer.rollback();
    return parsedFile(beginFailed(path, begun.error));
  }
  const resumedRow = source.resumed ? seen.find((r) => r.id === source.resumed?.id) : undefined;
  if (resumedRow) {
    report.resumed = { name: resumedRow.name, offset: source.start };
    report.previous = previousOf(resumedRow);
  }
  if (source.newLines === 0 || source.head === undefined) {
    // Nothing new: the content was consumed before (a duplicate), or holds no complete line yet.
    release();
    await writer.rollback();
    // A duplicate reports the counts of the content it repeats, as the source holds them.
    if (!resumedRow) return parsedFile({ ...report, status: 'ingested' });
    const { lines, accepted, ignored, malformed } = resumedRow;
    return parsedFile({ ...report, status: 'duplicate', lines, accepted, ignored, malformed });
  }
  writer.write(agg.drain());
  const record: IngestedFileRecord = {
    sha256: source.prefixSha256,
    name: basename(path),
    size: report.size,
    gzip: report.gzip,
    lines: report.lines,
    accepted: report.accepted,
    ignored: report.ignored,
    malformed: report.malformed,
    source: {
      head: source.head ?? head ?? '',
      resumed: source.resumed ? { id: source.resumed.id, consumed: source.resumed.consumed, prefixSha256: source.resumed.prefixSha256 } : undefined,
      seenIds: seen.map((r) => r.id),
      start: source.start,
      consumed: source.consumed,
      lines: source.lines,
    },
  };
  const done = writer.commit(record, (opts.now ?? (() => new Date()))()).then(
    (outcome: WriteOutcome): FileIngestReport =>
      outcome.kind === 'duplicate'
        ? { ...report, status: 'duplicate', previous: outcome.previous }
        : outcome.kind === 'conflict'
          ? failed(path, new Error('another ingest read this log meanwhile; nothing written, ingest the file again'))
          : { ...report, status: 'ingested', rowsWritten: outcome.rows },
    (e: unknown) => writeFailed(path, ctx.storePath, e),
  );
  void done.finally(release);
  return { done };
}

interface IngestContext {
  storePath: string;
  /** The store has rows from before sources (schema 1). */
  legacy: boolean;
  /** Head fingerprint -> settles when the last file of this call with that head is committed. */
  inflight: Map<string, Promise<void>>;
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
    const ctx: IngestContext = { storePath, legacy: db.prepare('SELECT 1 FROM ingested_files WHERE source IS NULL LIMIT 1').get() !== undefined, inflight: new Map() };
    for (const file of files) {
      const { done } = await ingestOne(db, writer, file, opts, ctx);
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
