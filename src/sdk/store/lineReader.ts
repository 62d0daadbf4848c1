/**
 * Streams the lines of a plain or gzip file (detected by the magic bytes 1f 8b, not the name).
 * Only one chunk and one partial line are ever in memory. Hashing is separate (fileHash.ts) so
 * it can run on another thread while this one parses.
 * The ingest and its benchmark baseline both read through here, so the benchmark compares the
 * parsing and classification cost alone.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

const CHUNK_BYTES = 1 << 20;

export interface LineReadResult {
  /** Bytes read from the file (compressed bytes for a gzip file). */
  size: number;
  gzip: boolean;
  /** Number of lines seen (a final newline does not start an extra line). */
  lines: number;
}

export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await fh.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Longer lines are not held in memory: they are skipped and reported through `onOverlong`. */
export const MAX_LINE_CHARS = 4 << 20;

/**
 * Calls `onLine(text, lineNumber)` for every line (1-based numbers, '\r\n' tolerated, a UTF-8
 * byte order mark dropped). A line longer than MAX_LINE_CHARS (a binary file, a runaway log
 * entry) goes to `onOverlong` instead, so memory stays bounded.
 * Rejects when the file cannot be read or the gzip stream is corrupt.
 */
export async function forEachLine(
  path: string,
  onLine: (line: string, lineNumber: number) => void,
  onOverlong: (lineNumber: number) => void = () => undefined,
): Promise<LineReadResult> {
  const gzip = await isGzipFile(path);
  let size = 0;
  const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  let text: NodeJS.ReadableStream = raw;
  if (gzip) {
    // pipe() reads with 'data' events, so a second 'data' listener sees every compressed chunk.
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    raw.on('data', (chunk: Buffer | string) => (size += chunk.length));
    raw.on('error', (e) => gunzip.destroy(e));
    text = raw.pipe(gunzip);
  }

  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNumber = 0;
  /** Inside a line already reported as overlong: drop text up to its newline. */
  let skipping = false;
  const emit = (line: string): void => {
    lineNumber++;
    if (skipping) {
      skipping = false;
      return;
    }
    if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    onLine(line.endsWith('\r') ? line.slice(0, -1) : line, lineNumber);
  };
  for await (const chunk of text) {
    const buf = chunk as Buffer;
    if (!gzip) size += buf.length;
    const str = carry + decoder.write(buf);
    let start = 0;
    let nl = str.indexOf('\n', start);
    while (nl !== -1) {
      emit(str.slice(start, nl));
      start = nl + 1;
      nl = str.indexOf('\n', start);
    }
    carry = start === 0 ? str : str.slice(start);
    if (carry.length > MAX_LINE_CHARS) {
      if (!skipping) onOverlong(lineNumber + 1);
      skipping = true;
      carry = '';
    }
  }
  carry += decoder.end();
  if (carry.length > 0 || skipping) emit(carry);
  return { size, gzip, lines: lineNumber };
}
