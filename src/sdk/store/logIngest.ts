/**
 * `ingestFiles`: GitLab NDJSON request and Sidekiq logs (plain or gzip) -> the embedded store.
 * Each file is streamed, classified line by line (logClassifier), aggregated per hour in memory
 * and written in one transaction (aggregateWriter). Malformed lines are counted and listed with
 * their line numbers, never fatal; a file that cannot be read fails alone and writes nothing.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { StoreDatabase } from './storeSchema';
import { openStoreDatabase } from './storeSchema';
import { HourlyAggregator } from './hourlyAggregator';
import { HourParser, classifyLogLine } from './logClassifier';
import { forEachLine } from './lineReader';
import { fileSha256 } from './fileHash';
import type { PreviousIngest } from './aggregateWriter';
import { findIngestedFile, writeFileAggregate } from './aggregateWriter';

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
}

const HOUR_MS = 3_600_000;

function emptyReport(file: string): FileIngestReport {
  return { file, status: 'failed', size: 0, gzip: false, lines: 0, accepted: 0, ignored: 0, malformed: 0, malformedLines: [], rowsWritten: 0 };
}

/** Parses and aggregates one file without touching the store. */
export async function aggregateLogFile(
  path: string,
  maxListed: number,
): Promise<{ report: FileIngestReport; agg: HourlyAggregator }> {
  const report = emptyReport(path);
  const agg = new HourlyAggregator();
  const hours = new HourParser();
  const onMalformed = (line: number, reason: string): void => {
    report.malformed++;
    if (report.malformedLines.length < maxListed) report.malformedLines.push({ line, reason });
  };
  const { size } = await stat(path);
  const hashing = fileSha256(path, size);
  hashing.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  const read = await forEachLine(path, (text, lineNumber) => {
    if (text.length === 0 || text.trim().length === 0) {
      report.ignored++;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      onMalformed(lineNumber, 'invalid JSON');
      return;
    }
    const c = classifyLogLine(parsed, hours);
    if (c.kind === 'event') {
      agg.add(c.event);
      report.accepted++;
    } else if (c.kind === 'ignored') {
      report.ignored++;
    } else {
      onMalformed(lineNumber, c.reason);
    }
  });
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

async function ingestOne(db: StoreDatabase, path: string, opts: IngestOptions): Promise<FileIngestReport> {
  let parsed: Awaited<ReturnType<typeof aggregateLogFile>>;
  try {
    parsed = await aggregateLogFile(path, opts.maxMalformedListed ?? 10);
  } catch (e) {
    return { ...emptyReport(path), error: e instanceof Error ? e.message : String(e) };
  }
  const { report, agg } = parsed;
  const sha256 = report.sha256 as string;
  const previous = findIngestedFile(db, sha256);
  if (previous) return { ...report, status: 'duplicate', previous };
  const outcome = writeFileAggregate(
    db,
    agg,
    {
      sha256,
      name: basename(path),
      size: report.size,
      gzip: report.gzip,
      lines: report.lines,
      accepted: report.accepted,
      ignored: report.ignored,
      malformed: report.malformed,
    },
    (opts.now ?? (() => new Date()))(),
  );
  if (outcome.kind === 'duplicate') return { ...report, status: 'duplicate', previous: outcome.previous };
  return { ...report, status: 'ingested', rowsWritten: outcome.rows };
}

/**
 * Ingests `files` into the store at `storePath` (created and migrated when missing), in order,
 * one transaction per file. Never throws for a bad file or bad lines: see each file's report.
 * Throws StoreError only when the store itself cannot be opened.
 */
export async function ingestFiles(storePath: string, files: string[], opts: IngestOptions = {}): Promise<IngestReport> {
  const db = openStoreDatabase(storePath);
  const reports: FileIngestReport[] = [];
  try {
    for (const file of files) {
      const r = await ingestOne(db, file, opts);
      reports.push(r);
      opts.onFile?.(r);
    }
  } finally {
    db.close();
  }
  return {
    store: storePath,
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
