/**
 * The byte limit on a backend's answer (issue 12): the Prometheus client and BudgetApiClient read
 * every body as a stream through readBoundedBody, which refuses a Content-Length over the limit
 * before reading any of the body, counts the (inflated) bytes as they arrive and, past the limit,
 * aborts the request at once. So a 50 MB answer costs at most the limit in memory and one JSON.parse
 * of at most the limit on the event loop, and the caller gets an error naming the limit and the URL.
 */
import type { Readable } from 'node:stream';

/**
 * 8 MiB = 8,388,608 bytes. A group budget runs 5 Prometheus queries at once, so one request can
 * hold 5 x 8 MiB = 40 MiB of answers before the first over the limit cancels the rest: `serve`
 * (~80 MB at rest) stays under 150 MB under 50 MB answers (bench/backendLimit.ts; 16 MiB
 * measured 150 MB). Answers the source asks for (sums by category, group or endpoint) are far smaller.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(
    readonly url: string,
    readonly limitBytes: number,
    /** The Content-Length the server declared, when that was over the limit. */
    readonly declaredBytes?: number,
  ) {
    super(
      declaredBytes !== undefined
        ? `${url} declared an answer of Content-Length ${declaredBytes}, over the limit of ${limitBytes} bytes on one backend answer`
        : `${url} answered more than ${limitBytes} bytes (the limit on one backend answer); the request was aborted`,
    );
  }

  static is(e: unknown): e is ResponseTooLargeError {
    return e instanceof ResponseTooLargeError;
  }
}

/** Validates a configured limit: a positive integer number of bytes. */
export function checkMaxResponseBytes(value: number | undefined, what = 'maxResponseBytes'): number {
  if (value === undefined) return DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer number of bytes, got ${value}`);
  return value;
}

export interface BoundedReadOptions {
  url: string;
  limitBytes: number;
  /** The response's Content-Length header, if any. */
  contentLength?: unknown;
  /** Aborts the read (the stream is destroyed with the signal's reason). */
  signal?: AbortSignal;
  /** Cancels the underlying request (the caller's AbortController). */
  abort(): void;
}

/**
 * The bytes of backend answers this process holds at once, over every request (issue 12): 16 MiB,
 * two answers at the per-answer limit. Readers past it wait (their streams pause, so the rest stays
 * in the socket) until another reader lets go, except the oldest reader still reading, which
 * always goes on, so the wait always ends. Held at most: this budget, plus one answer at the
 * per-answer limit, plus a chunk per reader. Three requests of five 50 MiB answers once held
 * 15 x 8 MiB before the limits cut them (174-180 MB RSS; bench/backendLimit.ts).
 */
export const DEFAULT_PROCESS_BODY_BYTES = 16 * 1024 * 1024;

const held = {
  bytes: 0,
  limit: DEFAULT_PROCESS_BODY_BYTES,
  /** Readers still reading, oldest first. */
  reading: [] as symbol[],
  waiters: new Set<() => void>(),
  /** The most held at once since the last reset (tests and benches read it). */
  peak: 0,
};

/** Sets the process-wide budget (a positive integer number of bytes); returns the one before. */
export function setProcessBodyBudget(bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new RangeError(`the process-wide answer budget must be a positive integer number of bytes, got ${bytes}`);
  const before = held.limit;
  held.limit = bytes;
  wakeReaders();
  return before;
}

/** What the budget holds now and the most it held since the last call with reset (tests, benches). */
export function processBodyBytes(reset = false): { held: number; peak: number; readers: number } {
  const out = { held: held.bytes, peak: held.peak, readers: held.reading.length };
  if (reset) held.peak = held.bytes;
  return out;
}

function wakeReaders(): void {
  for (const w of [...held.waiters]) w();
}

/** Resolves once the budget has room again (or this reader became the oldest); rejects on abort. */
function roomOrTurn(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (): void => {
      held.waiters.delete(done);
      signal?.removeEventListener('abort', aborted);
      resolve();
    };
    const aborted = (): void => {
      held.waiters.delete(done);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal?.aborted) return aborted();
    held.waiters.add(done);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/** A body read within the limits; `release` gives its bytes back to the process budget (once parsed). */
export interface BoundedBody {
  bytes: Buffer;
  release(): void;
}

/**
 * The whole body, at most `limitBytes`; throws ResponseTooLargeError (after aborting) past it.
 * Its bytes count against the process-wide budget (DEFAULT_PROCESS_BODY_BYTES) until `release`.
 */
export async function readBoundedBody(body: Readable, o: BoundedReadOptions): Promise<BoundedBody> {
  const stop = (): void => {
    o.abort();
    body.destroy();
  };
  const declared = typeof o.contentLength === 'string' && /^\d+$/.test(o.contentLength) ? Number(o.contentLength) : typeof o.contentLength === 'number' ? o.contentLength : undefined;
  if (declared !== undefined && declared > o.limitBytes) {
    stop();
    throw new ResponseTooLargeError(o.url, o.limitBytes, declared);
  }
  if (o.signal?.aborted) {
    stop();
    throw o.signal.reason;
  }
  const onAbort = (): void => {
    body.destroy(o.signal?.reason instanceof Error ? o.signal.reason : new Error('aborted'));
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const me = Symbol('reader');
  held.reading.push(me);
  let mine = 0;
  const giveBack = (): void => {
    held.bytes -= mine;
    mine = 0;
    wakeReaders();
  };
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      total += buf.length;
      if (total > o.limitBytes) {
        stop();
        throw new ResponseTooLargeError(o.url, o.limitBytes);
      }
      chunks.push(buf);
      mine += buf.length;
      held.bytes += buf.length;
      held.peak = Math.max(held.peak, held.bytes);
      // Over the process budget: wait (the stream pauses) unless this is the oldest reader.
      while (held.bytes > held.limit && held.reading[0] !== me) await roomOrTurn(o.signal);
    }
  } catch (e) {
    giveBack();
    throw e;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    held.reading.splice(held.reading.indexOf(me), 1);
    wakeReaders();
  }
  let released = false;
  return {
    bytes: Buffer.concat(chunks, total),
    release: () => {
      if (released) return;
      released = true;
      giveBack();
    },
  };
}

/** UTF-8 text of a body, without a byte-order mark (JSON.parse refuses one). */
export function bodyText(buf: Buffer): string {
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Answers over this many characters are parsed one at a time, each after a turn of the event loop
 * (parseJsonInTurn). 256 Ki characters parse in about 2 ms, so smaller answers go straight through.
 */
export const PARSE_IN_TURN_ABOVE_CHARS = 256 * 1024;

/** The end of the queue of big parses: each waits for the one before it. */
let parseQueue: Promise<unknown> = Promise.resolve();

/**
 * JSON.parse of a backend answer that never starves the rest of the process: a big answer (over
 * PARSE_IN_TURN_ABOVE_CHARS) waits for the big parses before it and then for one turn of the event
 * loop (setImmediate, after pending I/O), so between two big parses the server answers /healthz
 * and other requests. Without the queue, five 6 MiB answers arriving together were parsed back
 * to back and stalled /healthz for 0.3-0.8 s; with it, a stall is at most one parse
 * (bench/backendLimit.ts). Throws SyntaxError like JSON.parse.
 */
export function parseJsonInTurn(text: string): Promise<unknown> {
  if (text.length <= PARSE_IN_TURN_ABOVE_CHARS) {
    try {
      return Promise.resolve(JSON.parse(text));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  const parsed = parseQueue.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => JSON.parse(text) as unknown);
  parseQueue = parsed.catch(() => undefined);
  return parsed;
}
