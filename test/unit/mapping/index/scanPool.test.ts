/**
 * The scan pool fed while the walk runs: items added in several chunks come back in the order
 * they were added, with the same results as scanning each file on this thread, whether a worker
 * thread or only this thread does the work; cancellation and a missing worker script behave.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanPool, bundledWorkerExecArgv } from '../../../../src/sdk/mapping/index/scanPool';
import { scanFile } from '../../../../src/sdk/mapping/index/fileScanner';
import type { ScanItem } from '../../../../src/sdk/mapping/index/workerProtocol';
import { initRubyParser } from '../../../../src/sdk/mapping/ruby/index';

const MAX = 2 * 1024 * 1024;

describe('ScanPool', () => {
  let root: string;
  const items: ScanItem[] = [];
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'bl-pool-'));
    mkdirSync(join(root, 'app'), { recursive: true });
    // 300 files: some declaring (parsed), some plain, one annotated; enough for several worker batches.
    for (let i = 0; i < 300; i++) {
      const file = `app/f_${String(i).padStart(3, '0')}.rb`;
      // Every 30th controller has a heredoc, which the subset parser refuses: tree-sitter parses
      // it, loaded on demand by whichever thread meets it first (the worker, when there is one).
      const text =
        i % 30 === 0
          ? `class F${i}Controller < ApplicationController\n  feature_category :wiki\n  HELP = <<~TEXT\n    help\n  TEXT\n\n  def show\n  end\nend\n`
          : i % 3 === 0
          ? `class F${i}Controller < ApplicationController\n  feature_category :wiki\n\n  def show\n  end\nend\n`
          : i === 7
            ? '# @feature_category team_planning\nclass Plain\nend\n'
            : `class Plain${i}\n  def x\n  end\nend\n`;
      writeFileSync(join(root, file), text);
      items.push({ abs: join(root, file), file, kind: 'source' });
    }
    await initRubyParser();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const expected = (): unknown[] => items.map((it) => scanFile(it.abs, it.file, it.kind, MAX));

  for (const workers of [1, 2]) {
    test(`${workers} thread(s): chunks added over several turns come back in order, as scanned on this thread`, async () => {
      let progress = 0;
      const pool = ScanPool.start({ workers, maxFileBytes: MAX, onProgress: (done) => (progress = done) });
      for (let i = 0; i < items.length; i += 25) {
        pool.add(items.slice(i, i + 25));
        await new Promise((r) => setImmediate(r));
      }
      const results = await pool.finish();
      assert.deepEqual(results, expected());
      assert.equal(progress, items.length);
      // Every third file declares; the annotated one passes the pre-filter too ('@feature_category').
      assert.equal(results.filter((r) => r.ruby).length, 101);
    });
  }

  test('every extraction on the worker (no sharing): the same results as scanned on this thread', async () => {
    const pool = ScanPool.start({ workers: 2, maxFileBytes: MAX, shareWithCaller: false });
    for (let i = 0; i < items.length; i += 50) {
      pool.add(items.slice(i, i + 50));
      await new Promise((r) => setImmediate(r));
    }
    const results = await pool.finish();
    assert.deepEqual(results, expected());
    // 100 controllers and the annotated file 7 were extracted, all by the worker.
    assert.equal(results.filter((r) => r.ruby).length, 101);
  });

  test('a worker that dies after taking work fails the scan (its batches would be lost)', async () => {
    const script = join(root, 'dying-worker.js');
    writeFileSync(
      script,
      `const { parentPort } = require('node:worker_threads');
parentPort.on('message', () => process.exit(3));
parentPort.postMessage({ id: -1, ready: true });`,
    );
    const pool = ScanPool.start({ workers: 2, maxFileBytes: MAX, workerScript: script, shareWithCaller: false });
    await assert.rejects(pool.scan(items), /index worker exited \(code 3\)/);
  });

  test('a pre-aborted signal rejects finish() with AbortError', async () => {
    const pool = ScanPool.start({ workers: 2, maxFileBytes: MAX, signal: AbortSignal.abort() });
    pool.add(items);
    await assert.rejects(pool.finish(), { name: 'AbortError' });
  });

  test('a worker script that does not load: this thread scans everything, same results', async () => {
    const pool = ScanPool.start({ workers: 2, maxFileBytes: MAX, workerScript: join(root, 'no-such-worker.js') });
    pool.add(items.slice(0, 150));
    // Let the worker's load error arrive before the rest is added.
    await new Promise((r) => setTimeout(r, 200));
    pool.add(items.slice(150));
    assert.deepEqual(await pool.finish(), expected());
  });

  test('closed before finish (the walk failed): the rest is not scanned and finish() rejects', async () => {
    let progress = 0;
    const pool = ScanPool.start({ workers: 2, maxFileBytes: MAX, onProgress: (done) => (progress = done) });
    pool.add(items);
    await pool.close();
    const scannedAtClose = progress;
    await assert.rejects(pool.finish(), /closed/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(progress, scannedAtClose);
    assert.ok(progress < items.length);
  });

  test('nothing added: finish() resolves with no results', async () => {
    const pool = ScanPool.start({ workers: 2, maxFileBytes: MAX });
    assert.deepEqual(await pool.finish(), []);
  });

  test('a bundled (.js) worker does not inherit the parent\'s --import tsx', async () => {
    // This test process runs under `--import tsx`; a stand-in worker answers each file to extract
    // with its own execArgv as the extractor's crash message, and without sharing every
    // extraction goes to it. items[0] declares (a controller), so it is extracted.
    assert.ok(process.execArgv.join(' ').includes('tsx'), 'precondition: the tests run under tsx');
    const script = join(root, 'echo-worker.js');
    writeFileSync(
      script,
      `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (req) => parentPort.postMessage({ id: req.id, outcomes: req.files.map(() => JSON.stringify(process.execArgv)) }));
parentPort.postMessage({ id: -1, ready: true });`,
    );
    const pool = ScanPool.start({ workers: 2, maxFileBytes: MAX, workerScript: script, shareWithCaller: false });
    const results = await pool.scan(items.slice(0, 1));
    assert.deepEqual(results.map((r) => r.findings.map((f) => f.message)), [['[]']]);
  });
});

describe('bundledWorkerExecArgv', () => {
  test('drops loaders and other options, keeps the profilers\' flags with their values', () => {
    assert.deepEqual(bundledWorkerExecArgv(['--import', 'tsx', '--enable-source-maps', '--inspect=9229']), []);
    assert.deepEqual(bundledWorkerExecArgv(['--cpu-prof', '--cpu-prof-dir=/tmp/p', '--import', 'tsx']), ['--cpu-prof', '--cpu-prof-dir=/tmp/p']);
    // The value as a separate argument travels with its flag; a lone --heap-prof takes no value.
    assert.deepEqual(bundledWorkerExecArgv(['--heap-prof', '--heap-prof-dir', '/tmp/h', '--require', 'x']), ['--heap-prof', '--heap-prof-dir', '/tmp/h']);
    // Names that only start like a profiler flag are not profiler flags.
    assert.deepEqual(bundledWorkerExecArgv(['--cpu-profile-x', '--cpu-prof-interval', '100']), ['--cpu-prof-interval', '100']);
  });
});
