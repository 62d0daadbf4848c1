/**
 * Worker-thread entry of the cold index: extracts the Ruby facts of files the main thread has read
 * and found worth parsing, and reads and scans a share of the files itself (scanPool explains the
 * split); the cross-file resolution stays on the main thread, where the class registry lives.
 *
 * tree-sitter is loaded only when the subset parser refuses a skeleton (TreeSitterNotLoaded): most
 * builds of a GitLab-style tree never need it here, and loading it cost ~45 ms at every start.
 *
 * With `tree` in its workerData it is instead the thread a whole cold scan runs in (walk,
 * ripgrep, reading and extraction: treeScan.ts, scanTreeInThread), answering once.
 *
 * Bundled as dist/indexWorker.js next to the CLI and extension bundles, and started with no
 * Node options (scanPool.bundledWorkerExecArgv); under tsx (tests) the .ts file runs through
 * tsx's CommonJS hook. The benchmark bundles it like the build does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TreeSitterNotLoaded, initRubyParser } from '../ruby/parser';
import { applyRubyParse, isPlainScan, parseRubyOutcome, scanFileDeferred } from './fileScanner';
import type { RubyParseOutcome, ScannedFile } from './fileScanner';
import { runTreeScanWorker } from './treeScan';
import type { ParseRequest, ParseResponse, TreeScanMessage, WorkerInit } from './workerProtocol';

/** Runs `work`; if it needed tree-sitter before it was loaded, loads it and runs `work` again. */
async function withParser<T>(work: () => T): Promise<T> {
  try {
    return work();
  } catch (e) {
    if (!(e instanceof TreeSitterNotLoaded)) throw e;
    await initRubyParser();
    return work();
  }
}

async function answer(req: ParseRequest, maxFileBytes: number, fullRead: boolean): Promise<ParseResponse> {
  if (req.files !== undefined) {
    const outcomes: RubyParseOutcome[] = [];
    for (const f of req.files) outcomes.push(await withParser(() => parseRubyOutcome(f.file, f.text, fullRead)));
    return { id: req.id, outcomes };
  }
  const plain: number[] = [];
  const scans: { at: number; scan: ScannedFile }[] = [];
  const items = req.read ?? [];
  for (let at = 0; at < items.length; at++) {
    const it = items[at]!;
    const { scan, parseText } = scanFileDeferred(it.abs, it.file, it.kind, maxFileBytes, fullRead);
    if (parseText !== undefined) applyRubyParse(scan, await withParser(() => parseRubyOutcome(scan.file, parseText, fullRead)));
    if (isPlainScan(scan)) plain.push(at, scan.bytes, scan.lineCount);
    else scans.push({ at, scan });
  }
  return { id: req.id, plain, scans };
}

function start(): void {
  const port = parentPort;
  if (!port) throw new Error('indexWorker must run in a worker thread');
  const { maxFileBytes, fullRead = false, tree } = workerData as WorkerInit;
  if (tree !== undefined) {
    runTreeScanWorker(tree, (msg: TreeScanMessage) => port.postMessage(msg));
    return;
  }
  port.on('message', (req: ParseRequest) => {
    answer(req, maxFileBytes, fullRead).then(
      (res) => port.postMessage(res),
      (e: unknown) => port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies ParseResponse),
    );
  });
  port.postMessage({ id: -1, ready: true } satisfies ParseResponse);
}

start();
