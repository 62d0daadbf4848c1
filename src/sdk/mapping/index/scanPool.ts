/**
 * Scans many files with a small pool of worker threads (one per core, 2 on the target machine),
 * handing out batches as workers free up so one slow file does not stall a whole share. Workers
 * are started before the directory walk so their start-up (tree-sitter's wasm) overlaps it.
 * Falls back to scanning on the calling thread when workers cannot start (e.g. a bundle shipped
 * without dist/indexWorker.js): slower, same results.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { initRubyParser } from '../ruby/index';
import { scanFile } from './fileScanner';
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

/** Smaller batches on the calling thread keep each event-loop stall short (~5-10 ms). */
const CALLER_BATCH_SIZE = 12;

/** dist/indexWorker.js in a bundle; the .ts source next to this file under tsx. */
export function findWorkerScript(): string | undefined {
  const candidates = [join(__dirname, 'indexWorker.js'), join(__dirname, 'indexWorker.ts'), join(__dirname, 'index', 'indexWorker.ts')];
  return candidates.find((c) => existsSync(c));
}

/**
 * A worker on the bundled .js directly; on the .ts source through tsx's CommonJS hook, because a
 * worker does not get the parent's `--import tsx` hooks for its entry file (Node 20).
 */
function startWorker(script: string, init: WorkerInit): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, { workerData: init });
  // Resolved from the source tree (where tsx is a devDependency); createRequire keeps bundlers
  // from trying to resolve a dev-only package at build time.
  const tsx = createRequire(script).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, { eval: true, workerData: init });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('indexing cancelled', 'AbortError');
}

export async function scanOnThisThread(items: readonly ScanItem[], options: ScanPoolOptions): Promise<ScannedFile[]> {
  await initRubyParser();
  const results: ScannedFile[] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) {
    options.signal?.throwIfAborted();
    const batch = items.slice(i, i + BATCH_SIZE);
    for (const it of batch) results.push(scanFile(it.abs, it.file, it.kind, options.maxFileBytes));
    options.onProgress?.(results.length, items.length);
    // Yield between batches so a main-thread scan does not freeze its event loop.
    await new Promise((r) => setImmediate(r));
  }
  return results;
}

interface PooledWorker {
  worker: Worker;
  ready: Promise<void>;
}

/** One cold build's workers: start, scan once, terminate. */
export class ScanPool {
  private readonly workers: PooledWorker[] = [];
  private failure: Error | undefined;

  private constructor(private readonly options: ScanPoolOptions) {}

  /** Starts the workers without waiting for them. */
  static start(options: ScanPoolOptions): ScanPool {
    const pool = new ScanPool(options);
    const script = options.workers > 1 ? (options.workerScript ?? findWorkerScript()) : undefined;
    if (!script) return pool;
    const threads = options.shareWithCaller === false ? options.workers : options.workers - 1;
    if (options.shareWithCaller !== false) void initRubyParser().catch(() => undefined); // loads during the walk
    for (let w = 0; w < threads; w++) {
      const worker = startWorker(script, { maxFileBytes: options.maxFileBytes });
      const ready = new Promise<void>((resolve, reject) => {
        const onMessage = (msg: ScanResponse): void => {
          if (!msg.ready) return;
          worker.off('message', onMessage);
          resolve();
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
      });
      ready.catch((e: unknown) => (pool.failure ??= e instanceof Error ? e : new Error(String(e))));
      pool.workers.push({ worker, ready });
    }
    return pool;
  }

  /** Scans `items`; results come back in input order. Rejects with an AbortError when cancelled. */
  async scan(items: readonly ScanItem[]): Promise<ScannedFile[]> {
    const { signal } = this.options;
    try {
      signal?.throwIfAborted();
      // Few files: not worth a round trip through the workers.
      if (this.workers.length === 0 || items.length <= BATCH_SIZE) return await scanOnThisThread(items, this.options);
      await Promise.all(this.workers.map((w) => w.ready));
      if (this.failure) throw this.failure;
      return await this.scanWithWorkers(items);
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private scanWithWorkers(items: readonly ScanItem[]): Promise<ScannedFile[]> {
    const { signal, onProgress } = this.options;
    const results: ScannedFile[] = new Array<ScannedFile>(items.length);
    const inFlight = new Map<number, number>(); // request id -> start index
    let next = 0;
    let done = 0;
    let requestId = 0;
    return new Promise<ScannedFile[]>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(results);
      };
      const onAbort = (): void => finish(abortError(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort, { once: true });

      const take = (size: number): { start: number; end: number } | undefined => {
        if (next >= items.length) return undefined;
        const start = next;
        next = Math.min(items.length, next + size);
        return { start, end: next };
      };
      const store = (start: number, scanned: readonly ScannedFile[]): void => {
        for (let i = 0; i < scanned.length; i++) results[start + i] = scanned[i] as ScannedFile;
        done += scanned.length;
        onProgress?.(done, items.length);
        if (done === items.length) finish();
      };
      const feed = (worker: Worker): void => {
        const batch = take(BATCH_SIZE);
        if (!batch) return;
        const id = requestId++;
        inFlight.set(id, batch.start);
        worker.postMessage({ id, items: items.slice(batch.start, batch.end) } satisfies ScanRequest);
      };

      if (this.options.shareWithCaller !== false) {
        const callerLoop = async (): Promise<void> => {
          await initRubyParser();
          for (let batch = take(CALLER_BATCH_SIZE); batch && !settled; batch = take(CALLER_BATCH_SIZE)) {
            const scanned: ScannedFile[] = [];
            for (let i = batch.start; i < batch.end; i++) {
              const it = items[i] as ScanItem;
              scanned.push(scanFile(it.abs, it.file, it.kind, this.options.maxFileBytes));
            }
            store(batch.start, scanned);
            await new Promise((r) => setImmediate(r));
          }
        };
        callerLoop().catch((e: unknown) => finish(e instanceof Error ? e : new Error(String(e))));
      }

      for (const { worker } of this.workers) {
        worker.on('error', (e) => finish(e));
        worker.on('message', (msg: ScanResponse) => {
          if (settled || msg.ready) return;
          if (msg.error !== undefined || !msg.results) return finish(new Error(`index worker failed: ${msg.error ?? 'no results'}`));
          const start = inFlight.get(msg.id) ?? 0;
          inFlight.delete(msg.id);
          store(start, msg.results);
          if (!settled) feed(worker);
        });
        // Two batches in flight per worker, so a worker never idles waiting for the main thread.
        feed(worker);
        feed(worker);
      }
    });
  }
}
