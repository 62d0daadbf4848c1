/**
 * Scans many files with a small pool of worker threads (one per core, 2 on the target machine),
 * handing out batches as workers free up so one slow file does not stall a whole share. Falls
 * back to scanning on the calling thread when workers cannot start (e.g. a bundle shipped without
 * dist/indexWorker.js): slower, same results.
 */
import { existsSync } from 'node:fs';
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
}

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
  const tsx = require.resolve('tsx/cjs');
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
    results.push(...(await Promise.all(batch.map((it) => scanFile(it.abs, it.file, it.kind, options.maxFileBytes)))));
    options.onProgress?.(results.length, items.length);
  }
  return results;
}

/** Scans `items` in parallel; results come back in input order. Rejects with an AbortError when cancelled. */
export async function scanInParallel(items: readonly ScanItem[], options: ScanPoolOptions): Promise<ScannedFile[]> {
  const script = findWorkerScript();
  const workerCount = Math.min(options.workers, Math.ceil(items.length / BATCH_SIZE));
  if (!script || workerCount <= 1) return scanOnThisThread(items, options);
  options.signal?.throwIfAborted();

  const results: ScannedFile[] = new Array<ScannedFile>(items.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let requestId = 0;
  const inFlight = new Map<number, number>(); // request id -> start index

  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        reject(e);
      };
      const onAbort = (): void => fail(abortError(options.signal as AbortSignal));
      options.signal?.addEventListener('abort', onAbort, { once: true });

      const feed = (worker: Worker): void => {
        if (next >= items.length) return;
        const start = next;
        next = Math.min(items.length, next + BATCH_SIZE);
        const id = requestId++;
        inFlight.set(id, start);
        worker.postMessage({ id, items: items.slice(start, next) } satisfies ScanRequest);
      };

      for (let w = 0; w < workerCount; w++) {
        const worker = startWorker(script, { maxFileBytes: options.maxFileBytes });
        workers.push(worker);
        worker.on('error', (e) => fail(e));
        worker.on('message', (msg: ScanResponse) => {
          if (settled) return;
          if (msg.ready) return feed(worker);
          if (msg.error !== undefined || !msg.results) return fail(new Error(`index worker failed: ${msg.error ?? 'no results'}`));
          const start = inFlight.get(msg.id) ?? 0;
          inFlight.delete(msg.id);
          for (let i = 0; i < msg.results.length; i++) results[start + i] = msg.results[i] as ScannedFile;
          done += msg.results.length;
          options.onProgress?.(done, items.length);
          if (done === items.length) {
            settled = true;
            options.signal?.removeEventListener('abort', onAbort);
            resolve();
            return;
          }
          feed(worker);
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
