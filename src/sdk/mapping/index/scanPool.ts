/**
 * Scans many files for the cold index. This thread reads files and runs the cheap checks
 * (pre-filter, line count, annotation marker) and hands the Ruby extraction of the files that need
 * it (a fifth of a monolith) to a small pool of worker threads; a worker with no extraction waiting
 * takes a batch of unread files and reads, checks and extracts them itself, so the reading is
 * shared too. This thread extracts whenever it has nothing to read. Files are fed in while the
 * directory walk is still finding them (`add`). Falls back to extracting on this thread when
 * workers cannot start (e.g. a bundle shipped without dist/indexWorker.js): slower, same results.
 * Neither side loads tree-sitter until the subset parser refuses a skeleton (TreeSitterNotLoaded).
 *
 * Why extraction goes to the worker first: its input (the text) and output (the facts) are small,
 * while a file read there comes back as a scan; and the extractor's code is warmed up in one
 * isolate instead of two. Cold build of the 25,000-file benchmark on the shared 2-core machine:
 * workers reading and extracting their own share only 2,060-2,220 ms CPU, 1,145-1,213 ms wall;
 * this thread reading everything 1,860-1,910 ms CPU, 1,067-1,123 ms wall; with the idle worker
 * also reading (it then reads ~10 % of the files) 1,770-1,840 ms CPU, 995-1,035 ms wall. One
 * thread alone took ~1,500 ms CPU and ~935-995 ms wall there: on a busy 2-core machine a worker
 * (its start-up, its garbage collector and compiler threads, the facts crossing threads) about
 * pays for itself.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TreeSitterNotLoaded, initRubyParser } from '../ruby/parser';
import { applyRubyParse, parseRubyOutcome, plainScan, scanFileDeferred } from './fileScanner';
import type { RubyParseOutcome, ScannedFile } from './fileScanner';
import type { ParseRequest, ParseResponse, ScanItem, WorkerInit } from './workerProtocol';

/**
 * Files per extraction batch sent to a worker (~2-3 ms of work), and batches in flight per worker:
 * enough queued work (~8 ms) that a worker does not idle while this thread finishes a slice of
 * reading before it reads the worker's answer (16 x 2 left the worker idle: it extracted 56-60 %
 * of the files and the scan took ~770 ms; 32 x 3: ~700 ms).
 */
const PARSE_BATCH_SIZE = 32;
const PARSE_BATCHES_IN_FLIGHT = 3;
/**
 * Files per read batch a worker takes when no extraction is waiting: the worker reads and scans
 * them itself (extracting their Ruby facts too), so reading is shared instead of all on this thread.
 */
const READ_BATCH_SIZE = 24;

export interface ScanPoolOptions {
  workers: number;
  maxFileBytes: number;
  signal?: AbortSignal;
  /** Called after each batch with the number of files scanned so far (read, and extracted if needed). */
  onProgress?: (done: number, total: number) => void;
  /** Overrides findWorkerScript() (benchmarks run a freshly bundled worker). */
  workerScript?: string;
  /**
   * This thread extracts too when it has nothing to read, so `workers` threads of extraction cost
   * `workers - 1` extra workers. Default true; false leaves all extraction to the workers.
   */
  shareWithCaller?: boolean;
  /** WorkspaceIndexOptions.fullRead: every Ruby file extracted from its whole text (checks only). */
  fullRead?: boolean;
}

/**
 * Texts read and waiting for extraction, in characters, above which this thread extracts before it
 * reads on. Reading is faster than extracting, and with ripgrep's list in hand it had nothing else
 * to wait for: on a GitLab checkout it read nearly all 21,700 declaring files (104 MB of text)
 * before extracting most of them, and the peak RSS held them all.
 */
const MAX_PENDING_PARSE_CHARS = 4 << 20;

/** Files read per batch on this thread: results are stored (and progress reported) per batch. */
const CALLER_BATCH_SIZE = 12;

/**
 * This thread yields to the event loop after this much work. A yield per batch of 12 made ~1,000
 * event-loop turns per cold build of the benchmark tree once a batch took well under a
 * millisecond (the promise and async-hook bookkeeping of each turn showed in the profile).
 */
const CALLER_SLICE_MS = 4;

/** dist/indexWorker.js in a bundle; the .ts source next to this file under tsx. */
export function findWorkerScript(): string | undefined {
  const candidates = [join(__dirname, 'indexWorker.js'), join(__dirname, 'indexWorker.ts'), join(__dirname, 'index', 'indexWorker.ts')];
  return candidates.find((c) => existsSync(c));
}

/**
 * The Node options a bundled worker starts with: none, except the profilers' (`--cpu-prof*`,
 * `--heap-prof*`), so profiling a cold build still covers the worker. By default a worker inherits
 * the parent's execArgv, and under `node --import tsx` (benchmarks, tests) that made every bundled
 * worker load tsx's hooks first (cjs-module-lexer, ESM loader hooks): bench:index's cold build
 * took ~190 ms more CPU and ~95 ms more wall (median of 6 runs each). The bundle needs no
 * loader; the product never has one.
 */
export function bundledWorkerExecArgv(parent: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const arg = parent[i] as string;
    if (!PROFILER_FLAG.test(arg)) continue;
    kept.push(arg);
    // `--cpu-prof-dir /tmp/p` (value as the next argument) as well as `--cpu-prof-dir=/tmp/p`.
    const next = parent[i + 1];
    if (PROFILER_VALUE_FLAG.test(arg) && next !== undefined) {
      kept.push(next);
      i++;
    }
  }
  return kept;
}

const PROFILER_FLAG = /^--(cpu|heap)-prof(-|=|$)/;
const PROFILER_VALUE_FLAG = /^--(cpu|heap)-prof-(dir|name|interval)$/;

/**
 * A worker on the bundled .js directly; on the .ts source through tsx's CommonJS hook, because a
 * worker does not get the parent's `--import tsx` hooks for its entry file (Node 20).
 */
export function startWorker(script: string, init: WorkerInit): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, { workerData: init, execArgv: bundledWorkerExecArgv(process.execArgv) });
  // Resolved from the source tree (where tsx is a devDependency); createRequire keeps bundlers
  // from trying to resolve a dev-only package at build time.
  const tsx = createRequire(script).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, { eval: true, workerData: init });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('indexing cancelled', 'AbortError');
}

interface ParseJob {
  /** Index of the file's result. */
  at: number;
  text: string;
}

interface PooledWorker {
  worker: Worker;
  ready: boolean;
  /**
   * Batches sent and not answered yet: request id -> the result indices of its files (an
   * extraction batch), or the first index of a read batch.
   */
  inFlight: Map<number, number[] | number>;
}

/** One cold build's scan: read what is added until `finish`, extract with the workers, terminate them. */
export class ScanPool {
  private readonly workers: PooledWorker[] = [];
  private readonly queue: ScanItem[] = [];
  private readonly results: ScannedFile[] = [];
  /** Index of the next queued item not read yet. */
  private next = 0;
  /**
   * Files read that need their Ruby facts extracted, in order: result index and text. Entries
   * before `nextParse` are taken (by a worker or this thread) and emptied, so a text is not kept
   * once it is handed over (18 MB of them on the benchmark tree).
   */
  private readonly toParse: (ParseJob | undefined)[] = [];
  private nextParse = 0;
  /** Characters of the texts in `toParse` not taken yet (MAX_PENDING_PARSE_CHARS). */
  private pendingParseChars = 0;
  /**
   * Extractions this thread took and found needing tree-sitter (the subset parser refused the
   * skeleton): sent to a worker rather than loading tree-sitter here too. The first use of
   * tree-sitter in a thread costs ~140 ms and ~300 ms of compiler CPU for ~500 skeletons, so a
   * build pays it once, in the worker.
   */
  private readonly forWorkers: ParseJob[] = [];
  /** Results complete (read, and extracted when needed). */
  private done = 0;
  private ended = false;
  private settled = false;
  private requestId = 0;
  private failure: Error | undefined;
  private parserReady: Promise<void> | undefined;
  /** Wakes the calling thread's loop when items arrive or the input ends. */
  private wake: (() => void) | undefined;
  private readonly finished: Promise<ScannedFile[]>;
  private resolveFinished!: (results: ScannedFile[]) => void;
  private rejectFinished!: (error: Error) => void;
  private readonly onAbort = (): void => this.fail(abortError(this.options.signal as AbortSignal));

  private constructor(private readonly options: ScanPoolOptions) {
    this.finished = new Promise<ScannedFile[]>((resolve, reject) => {
      this.resolveFinished = resolve;
      this.rejectFinished = reject;
    });
    // Rejections surface through finish(); until then they must not count as unhandled.
    this.finished.catch(() => undefined);
  }

  /** Starts the workers (without waiting for them) and this thread's loop. */
  static start(options: ScanPoolOptions): ScanPool {
    const pool = new ScanPool(options);
    if (options.signal?.aborted) pool.onAbort();
    else options.signal?.addEventListener('abort', pool.onAbort, { once: true });
    const script = options.workers > 1 ? (options.workerScript ?? findWorkerScript()) : undefined;
    const threads = script === undefined ? 0 : options.shareWithCaller === false ? options.workers : options.workers - 1;
    for (let w = 0; w < threads; w++) pool.startWorker(script as string);
    pool.callerLoop().catch((e: unknown) => pool.fail(e instanceof Error ? e : new Error(String(e))));
    return pool;
  }

  /**
   * A worker that fails before it is ready (no script, a bundle that does not load) has taken no
   * work: it is dropped and this thread extracts in its place, as when workers are off. After it
   * has taken work, its failure fails the scan (its batches would be lost).
   */
  private workerFailed(pooled: PooledWorker, error: Error): void {
    if (this.settled) return;
    if (pooled.ready) return this.fail(error);
    const at = this.workers.indexOf(pooled);
    if (at < 0) return;
    this.workers.splice(at, 1);
    void pooled.worker.terminate();
    this.wakeCaller();
  }

  /** Queues files to scan (the walk calls this per directory). */
  add(items: readonly ScanItem[]): void {
    if (this.settled || items.length === 0) return;
    for (let i = 0; i < items.length; i++) this.queue.push(items[i] as ScanItem);
    this.wakeCaller();
  }

  /** No more files: resolves with every result, in the order the items were added. */
  finish(): Promise<ScannedFile[]> {
    this.ended = true;
    this.wakeCaller();
    this.checkDone();
    return this.finished.finally(() => this.close());
  }

  /** Scans `items`; results come back in input order. Rejects with an AbortError when cancelled. */
  scan(items: readonly ScanItem[]): Promise<ScannedFile[]> {
    this.add(items);
    return this.finish();
  }

  async close(): Promise<void> {
    // Closed before finishing (the walk failed): nothing more is scanned, finish() rejects.
    if (!this.settled) this.fail(new Error('scan cancelled: the pool was closed'));
    this.options.signal?.removeEventListener('abort', this.onAbort);
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private startWorker(script: string): void {
    const pooled: PooledWorker = { worker: startWorker(script, { maxFileBytes: this.options.maxFileBytes, fullRead: this.options.fullRead === true }), ready: false, inFlight: new Map() };
    const { worker } = pooled;
    worker.on('error', (e) => this.workerFailed(pooled, e));
    // A worker gone without an error event would leave its batches unanswered forever.
    worker.on('exit', (code) => this.workerFailed(pooled, new Error(`index worker exited (code ${code})`)));
    worker.on('message', (msg: ParseResponse) => {
      if (this.settled) return;
      if (msg.ready) {
        pooled.ready = true;
        this.feedUpTo(pooled);
        return;
      }
      const indices = pooled.inFlight.get(msg.id);
      if (typeof indices === 'number') {
        if (msg.error !== undefined || !msg.plain || !msg.scans) return this.fail(new Error(`index worker failed: ${msg.error ?? 'no results'}`));
        pooled.inFlight.delete(msg.id);
        this.applyRead(indices, msg.plain, msg.scans);
        this.feedUpTo(pooled);
        return;
      }
      if (msg.error !== undefined || !msg.outcomes || !indices || msg.outcomes.length !== indices.length) {
        return this.fail(new Error(`index worker failed: ${msg.error ?? 'no results'}`));
      }
      pooled.inFlight.delete(msg.id);
      for (let i = 0; i < indices.length; i++) applyRubyParse(this.results[indices[i] as number] as ScannedFile, msg.outcomes[i] as RubyParseOutcome);
      this.completed(indices.length);
      this.feedUpTo(pooled);
    });
    this.workers.push(pooled);
  }

  /**
   * Keeps a worker busy: texts waiting for extraction first, else a batch of unread files for it
   * to read and scan itself.
   */
  private feedUpTo(pooled: PooledWorker): void {
    while (!this.settled && pooled.inFlight.size < PARSE_BATCHES_IN_FLIGHT) {
      const id = this.requestId;
      const batch =
        this.forWorkers.length > 0
          ? this.forWorkers.splice(0, PARSE_BATCH_SIZE)
          : this.takeParses(Math.min(this.toParse.length, this.nextParse + PARSE_BATCH_SIZE));
      if (batch.length > 0) {
        pooled.inFlight.set(id, batch.map((p) => p.at));
        const files = batch.map((p) => ({ file: (this.results[p.at] as ScannedFile).file, text: p.text }));
        pooled.worker.postMessage({ id, files } satisfies ParseRequest);
      } else if (this.next < this.queue.length) {
        const start = this.next;
        this.next = Math.min(this.queue.length, start + READ_BATCH_SIZE);
        pooled.inFlight.set(id, start);
        pooled.worker.postMessage({ id, read: this.queue.slice(start, this.next) } satisfies ParseRequest);
      } else {
        return;
      }
      this.requestId++;
    }
  }

  /** A worker's read batch from result index `start`: plain files as numbers, the others as scans. */
  private applyRead(start: number, plain: number[], scans: { at: number; scan: ScannedFile }[]): void {
    for (let i = 0; i < plain.length; i += 3) {
      const at = start + (plain[i] as number);
      const it = this.queue[at] as ScanItem;
      this.results[at] = plainScan(it.file, it.kind, plain[i + 1] as number, plain[i + 2] as number);
    }
    for (const { at, scan } of scans) this.results[start + at] = scan;
    this.completed(plain.length / 3 + scans.length);
  }

  /** Takes the queued extractions up to `end` (exclusive), dropping the queue's hold on their texts. */
  private takeParses(end: number): ParseJob[] {
    const jobs: ParseJob[] = [];
    for (; this.nextParse < end; this.nextParse++) {
      const job = this.toParse[this.nextParse] as ParseJob;
      jobs.push(job);
      this.pendingParseChars -= job.text.length;
      this.toParse[this.nextParse] = undefined;
    }
    return jobs;
  }

  private feedWorkers(): void {
    for (const w of this.workers) if (w.ready) this.feedUpTo(w);
  }

  private completed(count: number): void {
    this.done += count;
    this.options.onProgress?.(this.done, this.queue.length);
    this.checkDone();
  }

  private checkDone(): void {
    if (this.settled || !this.ended || this.done < this.queue.length) return;
    if (this.failure) return this.fail(this.failure);
    this.settled = true;
    this.wakeCaller();
    this.resolveFinished(this.results);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    if (this.settled) return;
    this.settled = true;
    this.wakeCaller();
    this.rejectFinished(error);
  }

  private wakeCaller(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Reads (and pre-checks) files `start` to `end`; queues the ones that need extracting. */
  private read(start: number, end: number): void {
    let plain = 0;
    for (let i = start; i < end; i++) {
      const it = this.queue[i] as ScanItem;
      const { scan, parseText } = scanFileDeferred(it.abs, it.file, it.kind, this.options.maxFileBytes, this.options.fullRead === true);
      this.results[i] = scan;
      if (parseText === undefined) plain++;
      else {
        this.toParse.push({ at: i, text: parseText });
        this.pendingParseChars += parseText.length;
      }
    }
    this.feedWorkers();
    this.completed(plain);
  }

  /** This thread extracts when no worker is there to, or when it is asked to share. */
  private callerMayParse(): boolean {
    return this.options.shareWithCaller !== false || this.workers.length === 0;
  }

  /**
   * Extracts a few queued files here. tree-sitter is loaded only for a file the subset parser
   * refuses: a build whose skeletons it all reads never loads it on this thread.
   */
  private async parseHere(): Promise<void> {
    const sliceStart = performance.now();
    while (!this.settled) {
      // Jobs left for workers that are gone (failed before they were ready) come back here.
      const orphan = this.workers.length === 0 ? this.forWorkers.shift() : undefined;
      if (orphan === undefined && this.nextParse >= this.toParse.length) break;
      const job = orphan ?? (this.takeParses(this.nextParse + 1)[0] as ParseJob);
      const scan = this.results[job.at] as ScannedFile;
      let outcome: RubyParseOutcome;
      try {
        outcome = parseRubyOutcome(scan.file, job.text, this.options.fullRead === true);
      } catch (e) {
        if (!(e instanceof TreeSitterNotLoaded)) throw e;
        if (this.workers.length > 0) {
          this.forWorkers.push(job);
          this.feedWorkers();
          continue;
        }
        this.parserReady ??= initRubyParser();
        await this.parserReady;
        outcome = parseRubyOutcome(scan.file, job.text, this.options.fullRead === true);
      }
      applyRubyParse(scan, outcome);
      this.completed(1);
      if (performance.now() - sliceStart >= CALLER_SLICE_MS) break;
    }
  }

  /**
   * This thread's loop: read what the walk has found, a few milliseconds between event-loop turns
   * (the walk and the workers' answers run in between); when there is nothing to read, extract
   * what no worker has taken; sleep while there is neither.
   */
  private async callerLoop(): Promise<void> {
    while (!this.settled) {
      const backlog = this.pendingParseChars > MAX_PENDING_PARSE_CHARS && this.callerMayParse();
      if (this.next < this.queue.length && !backlog) {
        const sliceStart = performance.now();
        while (!this.settled && this.next < this.queue.length && this.pendingParseChars <= MAX_PENDING_PARSE_CHARS) {
          const start = this.next;
          this.next = Math.min(this.queue.length, start + CALLER_BATCH_SIZE);
          this.read(start, this.next);
          if (performance.now() - sliceStart >= CALLER_SLICE_MS) break;
        }
      } else if ((this.nextParse < this.toParse.length && this.callerMayParse()) || (this.workers.length === 0 && this.forWorkers.length > 0)) {
        await this.parseHere();
      } else {
        if (this.settled) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      await new Promise((r) => setImmediate(r));
    }
  }
}
