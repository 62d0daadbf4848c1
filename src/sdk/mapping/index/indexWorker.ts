/**
 * Worker-thread entry of the cold index: reads and scans batches of files in parallel with the
 * main thread (tree-sitter parsing is CPU-bound and web-tree-sitter is synchronous). Cross-file
 * resolution stays on the main thread, which owns the class registry.
 *
 * Bundled as dist/indexWorker.js next to the CLI and extension bundles, and started with no
 * Node options (scanPool.bundledWorkerExecArgv); under tsx (tests) the .ts file runs through
 * tsx's CommonJS hook. The benchmark bundles it like the build does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initRubyParser } from '../ruby/parser';
import { isPlainScan, scanFile } from './fileScanner';
import type { ScannedFile } from './fileScanner';
import type { ScanRequest, ScanResponse, WorkerInit } from './workerProtocol';

async function start(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('indexWorker must run in a worker thread');
  const init = workerData as WorkerInit;
  let initError: string | undefined;
  try {
    await initRubyParser();
  } catch (e) {
    initError = e instanceof Error ? e.message : String(e);
  }
  port.on('message', (req: ScanRequest) => {
    if (initError !== undefined) {
      port.postMessage({ id: req.id, error: `tree-sitter failed to load: ${initError}` } satisfies ScanResponse);
      return;
    }
    try {
      const results: ScannedFile[] = [];
      const plain: number[] = [];
      req.items.forEach((it, i) => {
        const scan = scanFile(it.abs, it.file, it.kind, init.maxFileBytes);
        if (isPlainScan(scan)) plain.push(i, scan.bytes, scan.lineCount);
        else results.push(scan);
      });
      port.postMessage({ id: req.id, results, plain } satisfies ScanResponse);
    } catch (e) {
      port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies ScanResponse);
    }
  });
  port.postMessage({ id: -1, ready: true } satisfies ScanResponse);
}

void start();
