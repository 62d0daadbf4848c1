/**
 * Reads a log file as a *source*: content identified by what it holds, not by its path.
 *
 * A source is the byte stream a log writes (decompressed for a .gz). The store keeps, per source,
 * its head fingerprint (sha256 of its first line, at most HEAD_MAX_BYTES), how many bytes of
 * complete lines were consumed and the sha256 of those bytes (storeSchema.ts, `sources`). A file
 * whose head matches a known source and whose first `consumed` bytes hash the same continues that
 * source at its offset: a grown live log reads only what was appended, its rotated copy (.1) adds
 * only what was written before the rotation, a .gz of already-read bytes adds nothing. Anything
 * else (a truncated file's new content, a file replaced with different content) is a new source.
 *
 * Only complete lines (ending in \n) are consumed: a partial last line is left for the next read,
 * which sees it complete. Prefix checks hash on this thread (nothing is parsed meanwhile); the hash
 * of the bytes parsed from offset 0 of a big file runs on a worker thread, fed the chunks this
 * thread reads (transferred, not copied), so hashing costs the parsing thread nothing.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { MAX_LINE_CHARS } from './lineReader';

/** The head fingerprint covers the first line, or this many bytes of a longer first line. */
export const HEAD_MAX_BYTES = 4096;

const CHUNK_BYTES = 1 << 20;
const NL = 0x0a;

/** What the store knows about a source: enough to recognise and continue it. */
export interface SourceState {
  id: number;
  /** Bytes of complete lines consumed (decompressed). */
  consumed: number;
  /** Hex sha256 of those bytes. */
  prefixSha256: string;
  /** Complete lines in those bytes. */
  lines: number;
}

/** A source being continued: its state and the open hash of its prefix. */
interface LiveSource {
  state: SourceState;
  head: string;
  hash: Hash;
}

export interface SourceReadResult {
  gzip: boolean;
  /** Bytes read from the file as stored (compressed for gzip). */
  size: number;
  /** Hex sha256 of the first line (capped); absent when the file holds no complete line yet. */
  head?: string;
  /** The known source this file continued (its state before this read). */
  resumed?: SourceState;
  /** Decompressed offset where parsing started (the continued source's `consumed`, else 0). */
  start: number;
  /** Bytes of complete lines from the file's start through the last one read. */
  consumed: number;
  /** Hex sha256 of the first `consumed` bytes. */
  prefixSha256: string;
  /** Complete lines in the first `consumed` bytes. */
  lines: number;
  /** Lines parsed by this read (after `start`). */
  newLines: number;
  /** Bytes after the last complete line: a partial line, left for the next read. */
  pendingBytes: number;
}

export interface SourceReadOptions {
  /** The known sources whose head is `head` (any order). */
  candidates: (head: string) => SourceState[] | Promise<SourceState[]>;
  onLine: (text: string, lineNumber: number) => void;
  onOverlong?: (lineNumber: number) => void;
  /** Hash parsed bytes on a worker thread when parsing starts at 0 and the file is at least this big. */
  workerMinBytes?: number;
}

const WORKER_MIN_BYTES = 8 << 20;

const HASH_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hash = createHash('sha256');
let mark;
parentPort.on('message', (m) => {
  if (m === 'mark') mark = hash.copy();
  else if (m === 'end') parentPort.postMessage(hash.digest('hex'));
  else if (m === 'endAtMark') parentPort.postMessage(mark.digest('hex'));
  else hash.update(new Uint8Array(m.buffer, m.offset, m.length));
});
`;

/** A sha256 fed from this thread, computed on another one. */
class WorkerHash {
  private readonly worker = new Worker(HASH_WORKER_SOURCE, { eval: true });

  update(buf: Buffer, start: number, end: number): void {
    if (end <= start) return;
    // A chunk read for this file owns its memory: hand it over; anything else is copied.
    if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength && buf.buffer instanceof ArrayBuffer) {
      this.worker.postMessage({ buffer: buf.buffer, offset: start, length: end - start }, [buf.buffer]);
    } else {
      const copy = Buffer.from(buf.subarray(start, end));
      this.worker.postMessage({ buffer: copy.buffer, offset: copy.byteOffset, length: copy.length }, [copy.buffer as ArrayBuffer]);
    }
  }

  /** Remembers the hash so far (before an overlong partial line). */
  mark(): void {
    this.worker.postMessage('mark');
  }

  /** The digest of everything sent, or of everything before the last mark. */
  async digest(atMark = false): Promise<string> {
    try {
      return await new Promise<string>((resolve, reject) => {
        this.worker.once('message', resolve);
        this.worker.once('error', reject);
        this.worker.postMessage(atMark ? 'endAtMark' : 'end');
      });
    } finally {
      void this.worker.terminate();
    }
  }

  abort(): void {
    void this.worker.terminate();
  }
}

async function isGzip(fh: FileHandle): Promise<boolean> {
  const magic = Buffer.alloc(2);
  const { bytesRead } = await fh.read(magic, 0, 2, 0);
  return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
}

/** Decompressed chunks of the file from `start` (plain files only seek; gzip starts at 0). */
function chunks(path: string, gzip: boolean, start: number, counted: { size: number }): AsyncIterable<Buffer> {
  const raw = createReadStream(path, { start: gzip ? 0 : start, highWaterMark: CHUNK_BYTES });
  raw.on('data', (c: Buffer | string) => (counted.size += c.length));
  if (!gzip) return raw as AsyncIterable<Buffer>;
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip) as AsyncIterable<Buffer>;
}

function headOf(first: Buffer): string | undefined {
  const nl = first.indexOf(NL);
  if (nl === -1 && first.length < HEAD_MAX_BYTES) return undefined;
  const end = nl === -1 ? HEAD_MAX_BYTES : Math.min(nl + 1, HEAD_MAX_BYTES);
  return createHash('sha256').update(first.subarray(0, end)).digest('hex');
}

/** Outcome of one pass over the file. */
type Pass = { kind: 'done'; result: SourceReadResult } | { kind: 'retry'; candidates: SourceState[] };

/**
 * Reads `path` (or `opts.handle`) as a source: continues the longest known source its prefix
 * matches, parses the complete lines after that, and reports the new state. Rejects when the
 * file cannot be read or a gzip stream is corrupt.
 */
export async function readSource(path: string, opts: SourceReadOptions): Promise<SourceReadResult> {
  const fh = await open(path, 'r');
  try {
    const gzip = await isGzip(fh);
    // First read the head to find the candidates, then pass over the file; a candidate that
    // turns out not to match after its prefix was skipped means one more pass without it.
    const head = await readHead(path, gzip);
    let candidates = head === undefined ? [] : [...(await opts.candidates(head))];
    for (;;) {
      const pass = await onePass(path, fh, gzip, head, candidates, opts);
      if (pass.kind === 'done') return pass.result;
      candidates = pass.candidates;
    }
  } finally {
    await fh.close();
  }
}

async function readHead(path: string, gzip: boolean): Promise<string | undefined> {
  const parts: Buffer[] = [];
  let n = 0;
  const counted = { size: 0 };
  const it = chunks(path, gzip, 0, counted)[Symbol.asyncIterator]();
  try {
    while (n < HEAD_MAX_BYTES) {
      const next = await it.next();
      if (next.done) break;
      const b = next.value as Buffer;
      parts.push(b);
      n += b.length;
      if (b.indexOf(NL) !== -1) break;
    }
  } finally {
    await it.return?.();
  }
  return headOf(Buffer.concat(parts).subarray(0, HEAD_MAX_BYTES));
}

/**
 * Skips (hashing only) up to the longest candidate's offset, checking each candidate's prefix hash
 * on the way; parses from there when the longest matches, else asks for a pass with the longest
 * candidate that did match (or none).
 */
async function onePass(path: string, fh: FileHandle, gzip: boolean, head: string | undefined, candidates: SourceState[], opts: SourceReadOptions): Promise<Pass> {
  if (candidates.length === 0) return { kind: 'done', result: await parsePass(path, fh, gzip, opts) };
  const sorted = [...candidates].sort((a, b) => a.consumed - b.consumed);
  const target = sorted[sorted.length - 1] as SourceState;
  const hash = createHash('sha256');
  const counted = { size: 0 };
  let pos = 0;
  let last = -1;
  let matched: SourceState | undefined;
  let next = 0;
  const it = chunks(path, gzip, 0, counted)[Symbol.asyncIterator]();
  let rest: Buffer | undefined;
  try {
    while (pos < target.consumed) {
      const r = await it.next();
      if (r.done) break;
      let buf = r.value as Buffer;
      while (buf.length > 0 && pos < target.consumed) {
        const stop = (sorted[next] as SourceState).consumed;
        const take = Math.min(buf.length, stop - pos);
        hash.update(buf.subarray(0, take));
        last = buf[take - 1] as number;
        pos += take;
        buf = buf.subarray(take);
        while (next < sorted.length && (sorted[next] as SourceState).consumed === pos) {
          const c = sorted[next++] as SourceState;
          if (last === NL && hash.copy().digest('hex') === c.prefixSha256) matched = c;
        }
      }
      if (pos === target.consumed) rest = buf;
    }
  } finally {
    if (matched !== target) await it.return?.();
  }
  if (matched !== target) return { kind: 'retry', candidates: matched ? [matched] : [] };
  // The longest candidate matches: parse what follows it, continuing the same stream.
  const live: LiveSource = { state: target, head: head as string, hash };
  return { kind: 'done', result: await parseFrom(it, rest ?? Buffer.alloc(0), counted, 0, gzip, opts, live) };
}

/** Parses the file from its start (no known source continues into it). */
async function parsePass(path: string, fh: FileHandle, gzip: boolean, opts: SourceReadOptions): Promise<SourceReadResult> {
  const counted = { size: 0 };
  const { size } = await fh.stat();
  const it = chunks(path, gzip, 0, counted)[Symbol.asyncIterator]();
  return parseFrom(it, Buffer.alloc(0), counted, size, gzip, opts, undefined);
}

/**
 * Parses complete lines from the iterator (after `first`, the rest of a chunk already read),
 * continuing `live` when given (its hash covers everything before), else from offset 0.
 */
async function parseFrom(
  it: AsyncIterator<Buffer>,
  first: Buffer,
  counted: { size: number },
  fileSize: number,
  gzip: boolean,
  opts: SourceReadOptions,
  live: LiveSource | undefined,
): Promise<SourceReadResult> {
  const start = live ? live.state.consumed : 0;
  let lineNumber = live ? live.state.lines : 0;
  const onOverlong = opts.onOverlong ?? (() => undefined);
  // From 0 in a big file: hash on a worker. Otherwise here (a continued prefix's state is here).
  const useWorker = !live && fileSize >= (opts.workerMinBytes ?? WORKER_MIN_BYTES) / (gzip ? 8 : 1);
  /** From 0: the first bytes, for the head fingerprint. */
  const headParts: Buffer[] = [];
  let headBytes = live ? HEAD_MAX_BYTES : 0;
  const worker = useWorker ? new WorkerHash() : undefined;
  const hash = live ? live.hash : createHash('sha256');
  const update = (b: Buffer, s: number, e: number): void => {
    if (worker) worker.update(b, s, e);
    else if (e > s) hash.update(b.subarray(s, e));
  };
  let consumed = start;
  let newLines = 0;
  /** Bytes of the current partial line, in order. */
  let carry: Buffer[] = [];
  let carryBytes = 0;
  /** The partial line is longer than MAX_LINE_CHARS: its bytes are hashed, not kept. */
  let overlong = false;
  /** While overlong: the hash before the partial line (restored if the line never ends). */
  let beforeOverlong: Hash | undefined;
  const emit = (line: string): void => {
    lineNumber++;
    newLines++;
    if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    opts.onLine(line.endsWith('\r') ? line.slice(0, -1) : line, lineNumber);
  };
  const emitLines = (str: string): void => {
    let s = 0;
    let nl = str.indexOf('\n', s);
    while (nl !== -1) {
      emit(str.slice(s, nl));
      s = nl + 1;
      nl = str.indexOf('\n', s);
    }
  };
  const onChunk = (buf: Buffer): void => {
    if (headBytes < HEAD_MAX_BYTES) {
      headParts.push(Buffer.from(buf.subarray(0, HEAD_MAX_BYTES - headBytes)));
      headBytes += Math.min(buf.length, HEAD_MAX_BYTES - headBytes);
    }
    const firstNl = buf.indexOf(NL);
    if (firstNl === -1) {
      if (overlong) {
        update(Buffer.from(buf), 0, buf.length);
        carryBytes += buf.length;
        return;
      }
      carry.push(Buffer.from(buf));
      carryBytes += buf.length;
      if (carryBytes > MAX_LINE_CHARS) {
        // Keep the bytes out of memory: hash them now, remember the hash from before them.
        overlong = true;
        if (worker) worker.mark();
        else beforeOverlong = hash.copy();
        for (const c of carry) update(c, 0, c.length);
        carry = [];
      }
      return;
    }
    const lastNl = buf.lastIndexOf(NL);
    // The line the carry started ends at firstNl.
    if (overlong) {
      lineNumber++;
      newLines++;
      onOverlong(lineNumber);
      overlong = false;
      beforeOverlong = undefined;
    } else if (carry.length > 0) {
      carry.push(buf.subarray(0, firstNl + 1));
      const line = Buffer.concat(carry);
      for (const c of carry.slice(0, -1)) update(c, 0, c.length);
      emitLines(line.toString('utf8'));
    } else {
      emitLines(buf.toString('utf8', 0, firstNl + 1));
    }
    consumed += carryBytes + firstNl + 1;
    if (lastNl > firstNl) {
      emitLines(buf.toString('utf8', firstNl + 1, lastNl + 1));
      consumed += lastNl - firstNl;
    }
    carry = lastNl + 1 < buf.length ? [Buffer.from(buf.subarray(lastNl + 1))] : [];
    carryBytes = buf.length - lastNl - 1;
    // Last: hands the chunk's memory to the hash worker.
    update(buf, 0, lastNl + 1);
  };
  try {
    if (first.length > 0) onChunk(Buffer.from(first));
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      onChunk(r.value);
    }
  } catch (e) {
    worker?.abort();
    throw e;
  }
  // An overlong partial line at the end waits like any partial line: the hash from before it.
  let prefixSha256: string;
  let finalHash = hash;
  if (worker) prefixSha256 = await worker.digest(overlong);
  else {
    if (overlong && beforeOverlong) finalHash = beforeOverlong;
    prefixSha256 = finalHash.copy().digest('hex');
  }
  const head = live ? live.head : consumed > 0 ? headOf(Buffer.concat(headParts).subarray(0, Math.min(consumed, HEAD_MAX_BYTES))) : undefined;
  return {
    gzip,
    size: counted.size,
    head,
    resumed: live?.state,
    start,
    consumed,
    prefixSha256,
    lines: lineNumber,
    newLines,
    pendingBytes: carryBytes,
  };
}
