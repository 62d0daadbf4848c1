/**
 * Scans many files with a small pool of worker threads (one per core, 2 on the target machine),
 * handing out batches as workers free up so one slow file does not stall a whole share. Files are
 * fed in while the directory walk is still finding them (`add`), so a worker starts parsing as
 * soon as its tree-sitter is loaded instead of after the whole walk; the calling thread scans its
 * share once the walk is done, without waiting for a worker that is not ready yet (a small tree is
 * often done before one is). Falls back to scanning on the calling thread when
 * workers cannot start (e.g. a bundle shipped without dist/indexWorker.js): slower, same results.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { initRubyParser } from '../ruby/parser';
import { plainScan, scanFile } from './fileScanner';
import type { ScannedFile } from './fileScanner';
import type { ScanItem, ScanRequest, ScanResponse, WorkerInit } from './workerProtocol';

const BATCH_SIZE = 48;

export interface ScanPoolOptions {
  workers: number;
  maxFileBytes: number;
  signal?: AbortSignal;
  /** Called after each batch with the number of files scanned so far. */
  onProgress?: (done: number, total: number) => void;
  /** Overrides findWorkerScript() (benchmarks run a freshly bundled worker). */
  workerScript?: string;
  /**
   * The calling thread scans too, in small batches between event-loop turns, so `workers`
   * threads of parsing cost `workers - 1` extra tree-sitter instances (the calling thread loads
   * one anyway for incremental updates). Default true.
   */
  shareWithCaller?: boolean;
}

/** Smaller batches on the calling thread: results are stored (and progress reported) per batch. */
const CALLER_BATCH_SIZE = 12;

/**
 * The calling thread yields to the event loop after this much scanning. A yield per batch of 12
 * made ~1,000 event-loop turns per cold build of the benchmark tree once a batch took well under
 * a millisecond (the promise and async-hook bookkeeping of each turn showed in the profile).
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
function startWorker(script: string, init: WorkerInit): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, { workerData: init, execArgv: bundledWorkerExecArgv(process.execArgv) });
  // Resolved from the source tree (where tsx is a devDependency); createRequire keeps bundlers
  // from trying to resolve a dev-only package at build time.
  const tsx = createRequire(script).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, { eval: true, workerData: init });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('indexing cancelled', 'AbortError');
}

interface PooledWorker {
  worker: Worker;
  ready: boolean;
  /** Batches sent and not answered yet: request id -> index of its first item. */
  inFlight: Map<number, number>;
}

/** One cold build's workers: start, scan what is added until `finish`, terminate. */
export class ScanPool {
  private readonly workers: PooledWorker[] = [];
  private readonly queue: ScanItem[] = [];
  private readonly results: ScannedFile[] = [];
  /** Index of the next queued item nobody has taken yet. */
  private next = 0;
  private done = 0;
  private ended = false;
  private settled = false;
  private requestId = 0;
  private failure: Error | undefined;
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

  /** Starts the workers (without waiting for them) and the calling thread's share. */
  static start(options: ScanPoolOptions): ScanPool {
    const pool = new ScanPool(options);
    if (options.signal?.aborted) pool.onAbort();
    else options.signal?.addEventListener('abort', pool.onAbort, { once: true });
    const script = options.workers > 1 ? (options.workerScript ?? findWorkerScript()) : undefined;
    const threads = script === undefined ? 0 : options.shareWithCaller === false ? options.workers : options.workers - 1;
    for (let w = 0; w < threads; w++) pool.startWorker(script as string);
    if (options.shareWithCaller !== false || pool.workers.length === 0) pool.startCallerLoop();
    return pool;
  }

  private callerRunning = false;

  private startCallerLoop(): void {
    if (this.callerRunning) return;
    this.callerRunning = true;
    this.callerLoop().catch((e: unknown) => this.fail(e instanceof Error ? e : new Error(String(e))));
  }

  /**
   * A worker that fails before it is ready (no script, a bundle that does not load) has taken no
   * work: it is dropped and this thread carries on with its share, as when workers are off.
   * After it has taken work, its failure fails the scan (its batches would be lost).
   */
  private workerFailed(pooled: PooledWorker, error: Error): void {
    if (this.settled) return;
    if (pooled.ready) return this.fail(error);
    const at = this.workers.indexOf(pooled);
    if (at < 0) return;
    this.workers.splice(at, 1);
    void pooled.worker.terminate();
    this.startCallerLoop();
  }

  /** Queues files to scan (the walk calls this per directory). */
  add(items: readonly ScanItem[]): void {
    if (this.settled || items.length === 0) return;
    for (const it of items) this.queue.push(it);
    for (const w of this.workers) if (w.ready) this.feedUpTo(w, 2);
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
    const pooled: PooledWorker = { worker: startWorker(script, { maxFileBytes: this.options.maxFileBytes }), ready: false, inFlight: new Map() };
    const { worker } = pooled;
    worker.on('error', (e) => this.workerFailed(pooled, e));
    // A worker gone without an error event would leave its batches unanswered forever.
    worker.on('exit', (code) => this.workerFailed(pooled, new Error(`index worker exited (code ${code})`)));
    worker.on('message', (msg: ScanResponse) => {
      if (this.settled) return;
      if (msg.ready) {
        pooled.ready = true;
        // Two batches in flight per worker, so a worker never idles waiting for the main thread.
        this.feedUpTo(pooled, 2);
        return;
      }
      if (msg.error !== undefined || !msg.results) return this.fail(new Error(`index worker failed: ${msg.error ?? 'no results'}`));
      const start = pooled.inFlight.get(msg.id) ?? 0;
      pooled.inFlight.delete(msg.id);
      this.store(start, this.unpack(start, msg.results, msg.plain ?? []));
      this.feedUpTo(pooled, 2);
    });
    this.workers.push(pooled);
  }

  private take(size: number): { start: number; end: number } | undefined {
    if (this.next >= this.queue.length) return undefined;
    const start = this.next;
    this.next = Math.min(this.queue.length, this.next + size);
    return { start, end: this.next };
  }

  private feedUpTo(pooled: PooledWorker, inFlight: number): void {
    while (!this.settled && pooled.inFlight.size < inFlight) {
      const batch = this.take(BATCH_SIZE);
      if (!batch) return;
      const id = this.requestId++;
      pooled.inFlight.set(id, batch.start);
      pooled.worker.postMessage({ id, items: this.queue.slice(batch.start, batch.end) } satisfies ScanRequest);
    }
  }

  /** A worker's answer in batch order: its plain files rebuilt from the items sent (workerProtocol). */
  private unpack(start: number, others: readonly ScannedFile[], plain: readonly number[]): ScannedFile[] {
    if (plain.length === 0) return others as ScannedFile[];
    const scanned: ScannedFile[] = [];
    let other = 0;
    for (let p = 0; p < plain.length; p += 3) {
      const at = plain[p] as number;
      while (scanned.length < at) scanned.push(others[other++] as ScannedFile);
      const item = this.queue[start + at] as ScanItem;
      scanned.push(plainScan(item.file, item.kind, plain[p + 1] as number, plain[p + 2] as number));
    }
    while (other < others.length) scanned.push(others[other++] as ScannedFile);
    return scanned;
  }

  private store(start: number, scanned: readonly ScannedFile[]): void {
    if (this.settled) return;
    for (let i = 0; i < scanned.length; i++) this.results[start + i] = scanned[i] as ScannedFile;
    this.done += scanned.length;
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

  /**
   * With workers, this thread leaves the scanning to them while the walk still runs: it is what
   * feeds them (its directory reads complete between event-loop turns), and a worker loading
   * tree-sitter next to a busy calling thread took up to ~900 ms instead of ~150 ms on the 2-core
   * machine, so scanning here early made cold builds slower, not faster. Once the walk is done
   * (or when there is no worker) it scans its share.
   */
  private callerShouldScan(): boolean {
    return this.ended || this.workers.length === 0;
  }

  /**
   * The calling thread's share: small batches between event-loop turns (the walk's directory
   * reads and the workers' answers run in between), sleeping while the queue is empty.
   */
  private async callerLoop(): Promise<void> {
    await initRubyParser(); // loads while the walk runs
    while (!this.settled) {
      const batch = this.callerShouldScan() ? this.take(CALLER_BATCH_SIZE) : undefined;
      if (!batch) {
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const sliceStart = performance.now();
      for (let next: { start: number; end: number } | undefined = batch; next; next = this.take(CALLER_BATCH_SIZE)) {
        const scanned: ScannedFile[] = [];
        for (let i = next.start; i < next.end; i++) {
          const it = this.queue[i] as ScanItem;
          scanned.push(scanFile(it.abs, it.file, it.kind, this.options.maxFileBytes));
        }
        this.store(next.start, scanned);
        if (this.settled || performance.now() - sliceStart >= CALLER_SLICE_MS) break;
      }
      await new Promise((r) => setImmediate(r));
    }
  }
}
