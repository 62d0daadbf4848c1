/**
 * The per-file half of indexing: read one file safely and extract what can be extracted without
 * looking at other files. The cold index reads on the main thread and hands the Ruby extraction
 * to worker threads (scanFileDeferred, parseRubyOutcome, applyRubyParse); incremental updates do
 * both on the main thread (scanFile); either way it must stay a pure function of (path, bytes).
 *
 * Safety rules (each violation is a `file_skipped` finding, never an exception): files over
 * `maxFileBytes` are not read at all (a 50 MB generated file costs one fstat), files with a NUL
 * byte in the first 8 KB are binary, and a failed open/read is reported with its errno code.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Finding } from '../types';
// Direct imports, not '../ruby/index': this file is the scan worker's whole job, and the index
// module would pull the GraphQL parser's `yaml` (half the worker bundle) into every worker start.
import { extractRubyFacts } from '../ruby/factsExtractor';
import { TreeSitterNotLoaded } from '../ruby/parser';
import { mightDeclare, mightDeclareBytes, mustParse } from '../ruby/prefilter';
import type { RubyFileFacts } from '../ruby/types';
import { errorCode, skippedFinding } from './skipFindings';
import type { WalkedFileKind } from './fileWalker';

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8192;

const LOWER_F = 102;
const LOWER_U = 117;
const LOWER_E = 101;
const LOWER_S = 115;

/**
 * Comment annotations (`# @feature_category x`, `# @urgency high`, `// @endpoint "GET /x"`,
 * `// @slo workspace-starts`) are
 * rare, and this decides whether the main thread needs the text. One search for '@' (a memchr,
 * ~10x faster than a failed multi-character search) and a look at what follows each one: three
 * `includes` cost ~0.35 ms on a 220 KB controller, this ~0.04 ms, though Ruby has an `@` per
 * instance variable.
 */
export function hasAnnotationMarker(text: string): boolean {
  for (let i = text.indexOf('@'); i !== -1; i = text.indexOf('@', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === LOWER_F && text.startsWith('feature_category', i + 1)) return true;
    if (next === LOWER_U && text.startsWith('urgency', i + 1)) return true;
    if (next === LOWER_E && text.startsWith('endpoint', i + 1)) return true;
    if (next === LOWER_S && text.startsWith('slo', i + 1)) return true;
  }
  return false;
}

/** The words after '@' that make a comment annotation (hasAnnotationMarker). */
export const ANNOTATION_WORDS: readonly string[] = ['feature_category', 'urgency', 'endpoint', 'slo'];

const AT = 64;
const NEWLINE = 10;
const FEATURE_CATEGORY = Buffer.from('feature_category', 'latin1');
const URGENCY = Buffer.from('urgency', 'latin1');
const ENDPOINT = Buffer.from('endpoint', 'latin1');
const SLO = Buffer.from('slo', 'latin1');

/** True when `word` (ASCII) is at `at` in `buf`. */
function bytesAt(buf: Uint8Array, at: number, word: Uint8Array): boolean {
  if (at + word.length > buf.length) return false;
  for (let k = 0; k < word.length; k++) if (buf[at + k] !== word[k]) return false;
  return true;
}

/**
 * hasAnnotationMarker on the file's UTF-8 bytes, before (or instead of) decoding. The same answer:
 * the marker is ASCII, and an ASCII byte in UTF-8 is always that character (never inside a
 * multi-byte sequence, never swallowed into a replacement character by the decoder).
 */
export function hasAnnotationMarkerBytes(buf: Buffer): boolean {
  for (let i = buf.indexOf(AT); i !== -1; i = buf.indexOf(AT, i + 1)) {
    const next = buf[i + 1];
    if (next === LOWER_F && bytesAt(buf, i + 1, FEATURE_CATEGORY)) return true;
    if (next === LOWER_U && bytesAt(buf, i + 1, URGENCY)) return true;
    if (next === LOWER_E && bytesAt(buf, i + 1, ENDPOINT)) return true;
    if (next === LOWER_S && bytesAt(buf, i + 1, SLO)) return true;
  }
  return false;
}

export interface ScannedFile {
  file: string;
  kind: WalkedFileKind;
  bytes: number;
  /** Number of lines (a trailing newline does not start a new line); 0 for skipped files. */
  lineCount: number;
  /** Ruby facts, when the file is Ruby and might declare something. */
  ruby?: RubyFileFacts;
  /**
   * The text, only for files the main thread still has to read: annotated files, the GraphQL
   * operations file and `.graphql` documents. Everything else stays in the worker.
   */
  text?: string;
  /** True when the file contains an annotation marker. */
  annotated: boolean;
  /** Skips and parse errors. */
  findings: Finding[];
  /** True when the file was not indexed at all (too big, binary, unreadable). */
  skipped: boolean;
}

export function isRubyPath(file: string): boolean {
  return file.endsWith('.rb') || file.endsWith('.rake');
}

export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/**
 * countLines on UTF-8 bytes: a 0x0A byte is always a '\n' of the decoded text and every '\n'
 * is one, so the counts agree (a file ending in a truncated sequence ends in U+FFFD, not '\n',
 * and its last byte is not 0x0A either).
 */
export function countLinesBytes(buf: Buffer): number {
  const length = buf.length;
  if (length === 0) return 0;
  let lines = 1;
  for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, i + 1)) lines++;
  return buf[length - 1] === NEWLINE ? lines - 1 : lines;
}

/**
 * The scan of a file that neither declares nor annotates (four of five files of a monolith):
 * indexed with nothing in it, no facts, no annotation, no findings, no text kept.
 */
export function plainScan(file: string, kind: WalkedFileKind, bytes: number, lineCount: number): ScannedFile {
  return { file, kind, bytes, lineCount, annotated: false, findings: [], skipped: false };
}

/** Whether `scan` is exactly plainScan(file, kind, bytes, lineCount) (a worker sends those as two numbers). */
export function isPlainScan(scan: ScannedFile): boolean {
  return !scan.annotated && !scan.skipped && scan.findings.length === 0 && scan.ruby === undefined && scan.text === undefined;
}

function skipped(file: string, kind: WalkedFileKind, bytes: number, finding: Finding): ScannedFile {
  return { file, kind, bytes, lineCount: 0, annotated: false, findings: [finding], skipped: true };
}

/** One read buffer per thread, reused for every file (no per-file allocation for 25,000 files). */
let readBuffer: Buffer | undefined;

function tooBig(file: string, kind: WalkedFileKind, size: number, maxFileBytes: number): ScannedFile {
  const mb = (size / 1048576).toFixed(1);
  return skipped(file, kind, size, skippedFinding(file, `file skipped: ${mb} MB is over the ${maxFileBytes / 1048576} MB limit`));
}

/**
 * Reads `abs` (at most `maxFileBytes` + 1 bytes) and scans it; never throws for I/O or parse
 * failures. Synchronous on purpose: it runs in dedicated worker threads, where promise round
 * trips per file cost more than the parse on a 25,000-file tree. O_NONBLOCK keeps a FIFO from
 * blocking the open; a read that fails on something that is not a regular file says so.
 */
export function scanFile(abs: string, file: string, kind: WalkedFileKind, maxFileBytes = DEFAULT_MAX_FILE_BYTES, fullRead = false): ScannedFile {
  return parsed(scanFileDeferred(abs, file, kind, maxFileBytes, fullRead), fullRead);
}

/**
 * A scan whose Ruby extraction is left to the caller (the scan pool hands it to a worker thread):
 * `parseText` is the text to extract from when the file needs it (parseRubyOutcome, then
 * applyRubyParse). Reading and extracting apart give exactly what scanFile gives.
 */
export interface DeferredScan {
  scan: ScannedFile;
  parseText?: string;
}

function parsed(deferred: DeferredScan, fullRead = false): ScannedFile {
  if (deferred.parseText !== undefined) applyRubyParse(deferred.scan, parseRubyOutcome(deferred.scan.file, deferred.parseText, fullRead));
  return deferred.scan;
}

/** The Ruby extractor's answer for one file: its facts, or the message of its crash. */
export type RubyParseOutcome = RubyFileFacts | string;

/**
 * Runs the extractor; a crash must not take the index down, it is reported like a syntax error.
 * `fullRead` (the reference the pre-filter checks compare with, WorkspaceIndexOptions.fullRead):
 * tree-sitter parses the whole text, no skeleton, no subset parser, no tree kept for re-parsing.
 */
export function parseRubyOutcome(file: string, text: string, fullRead = false): RubyParseOutcome {
  try {
    return fullRead ? extractRubyFacts(file, text, { skeleton: false, reuseTrees: false }) : extractRubyFacts(file, text);
  } catch (e) {
    // Not a crash: this thread has not loaded tree-sitter yet; the caller loads it and retries.
    if (e instanceof TreeSitterNotLoaded) throw e;
    return `could not parse Ruby: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Puts an extraction's outcome into its file's scan: the facts, or a parse_error finding. */
export function applyRubyParse(scan: ScannedFile, outcome: RubyParseOutcome): void {
  if (typeof outcome !== 'string') {
    scan.ruby = outcome;
    return;
  }
  scan.findings.push({ code: 'parse_error', severity: 'warning', message: outcome, file: scan.file, line: 1, column: 1 });
}

/**
 * scanFile without the Ruby extraction (DeferredScan). `fullRead`: every Ruby source file is
 * extracted, whatever the pre-filter says (WorkspaceIndexOptions.fullRead).
 */
export function scanFileDeferred(abs: string, file: string, kind: WalkedFileKind, maxFileBytes = DEFAULT_MAX_FILE_BYTES, fullRead = false): DeferredScan {
  if (!readBuffer || readBuffer.length !== maxFileBytes + 1) readBuffer = Buffer.allocUnsafe(maxFileBytes + 1);
  const buf = readBuffer;
  let fd: number | undefined;
  let length = 0;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
    for (;;) {
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buf.length) return { scan: tooBig(file, kind, fstatSync(fd).size, maxFileBytes) };
    }
  } catch (e) {
    const notRegular = fd !== undefined && !safeIsFile(fd);
    const finding = notRegular
      ? skippedFinding(file, 'file skipped: not a regular file')
      : skippedFinding(file, `file skipped: cannot read (${errorCode(e)})`, 'warning');
    return { scan: skipped(file, kind, 0, finding) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return scanBufferDeferred(file, kind, buf.subarray(0, length), maxFileBytes, fullRead);
}

function safeIsFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/** Scans bytes already in memory (an editor buffer, or what scanFile read). */
export function scanBuffer(file: string, kind: WalkedFileKind, buf: Buffer, maxFileBytes = DEFAULT_MAX_FILE_BYTES): ScannedFile {
  return parsed(scanBufferDeferred(file, kind, buf, maxFileBytes));
}

function scanBufferDeferred(file: string, kind: WalkedFileKind, buf: Buffer, maxFileBytes: number, fullRead = false): DeferredScan {
  if (buf.length > maxFileBytes) return { scan: tooBig(file, kind, buf.length, maxFileBytes) };
  // One search of the whole file instead of `subarray(0, 8 KB).includes(0)`: no view allocated
  // per file (~8 ms of 25,000 files on the main thread), and a text file has no NUL to stop at.
  const nul = buf.indexOf(0);
  if (nul !== -1 && nul < BINARY_SNIFF_BYTES) {
    return { scan: skipped(file, kind, buf.length, skippedFinding(file, 'file skipped: binary (NUL byte in the first 8 KB)')) };
  }
  const declares = kind === 'source' && isRubyPath(file) && (fullRead || mightDeclareBytes(buf) || mustParse(file));
  // Most files of a big tree (80 % of the benchmark's 25,000) neither declare nor annotate: their
  // lines are counted on the bytes and the text is never decoded. Decoding them made 55 MB of
  // strings for nothing; decode + string checks took 45-50 ms over those files, the byte checks
  // 42 ms (cold, one thread), and the strings no longer reach the garbage collector.
  if (!declares && kind === 'source' && !hasAnnotationMarkerBytes(buf)) {
    return { scan: plainScan(file, kind, buf.length, countLinesBytes(buf)) };
  }
  const text = buf.toString('utf8');
  const scan = decodedScan(file, kind, text, buf.length);
  return declares ? { scan, parseText: text } : { scan };
}

export function scanText(file: string, kind: WalkedFileKind, text: string, bytes = Buffer.byteLength(text), fullRead = false): ScannedFile {
  const scan = decodedScan(file, kind, text, bytes);
  return parsed(kind === 'source' && isRubyPath(file) && (fullRead || mightDeclare(text) || mustParse(file)) ? { scan, parseText: text } : { scan }, fullRead);
}

/** A decoded file's scan before any Ruby extraction. */
function decodedScan(file: string, kind: WalkedFileKind, text: string, bytes: number): ScannedFile {
  const annotated = hasAnnotationMarker(text);
  const result: ScannedFile = { file, kind, bytes, lineCount: countLines(text), annotated, findings: [], skipped: false };
  if (kind !== 'source' || annotated) result.text = text;
  return result;
}
