/**
 * Worker-thread entry of the cold index: extracts the Ruby facts of the files the main thread
 * has read and found worth parsing (parsing is CPU-bound and synchronous); the main thread does
 * the reading and the cheap checks (scanPool explains why), and the cross-file resolution, where
 * the class registry lives.
 *
 * Bundled as dist/indexWorker.js next to the CLI and extension bundles, and started with no
 * Node options (scanPool.bundledWorkerExecArgv); under tsx (tests) the .ts file runs through
 * tsx's CommonJS hook. The benchmark bundles it like the build does.
 */
import { parentPort } from 'node:worker_threads';
import { initRubyParser } from '../ruby/parser';
import { parseRubyOutcome } from './fileScanner';
import type { ParseRequest, ParseResponse } from './workerProtocol';

async function start(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('indexWorker must run in a worker thread');
  let initError: string | undefined;
  try {
    await initRubyParser();
  } catch (e) {
    initError = e instanceof Error ? e.message : String(e);
  }
  port.on('message', (req: ParseRequest) => {
    if (initError !== undefined) {
      port.postMessage({ id: req.id, error: `tree-sitter failed to load: ${initError}` } satisfies ParseResponse);
      return;
    }
    try {
      const outcomes = req.files.map((f) => parseRubyOutcome(f.file, f.text));
      port.postMessage({ id: req.id, outcomes } satisfies ParseResponse);
    } catch (e) {
      port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies ParseResponse);
    }
  });
  port.postMessage({ id: -1, ready: true } satisfies ParseResponse);
}

void start();
