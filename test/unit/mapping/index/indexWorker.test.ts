/**
 * The index worker speaks the pool's protocol: `read` batches it reads and scans itself (plain
 * files back as numbers, the rest as scans), `files` batches it only extracts; it starts without
 * tree-sitter and loads it the first time the subset parser refuses a skeleton.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { findWorkerScript } from '../../../../src/sdk/mapping/index/scanPool';
import { parseRubyOutcome, plainScan, scanFile } from '../../../../src/sdk/mapping/index/fileScanner';
import type { ParseRequest, ParseResponse, ScanItem } from '../../../../src/sdk/mapping/index/workerProtocol';
import { initRubyParser } from '../../../../src/sdk/mapping/ruby/index';
import { buildSkeleton } from '../../../../src/sdk/mapping/ruby/skeleton';
import { parseSubset } from '../../../../src/sdk/mapping/ruby/subsetParser';

const MAX = 2 * 1024 * 1024;

/** A skeleton the subset parser refuses (a heredoc), so only tree-sitter can extract it. */
const REFUSED = [
  'class RefusedController < ApplicationController',
  '  feature_category :wiki',
  '  HELP = <<~TEXT',
  '    help',
  '  TEXT',
  '',
  '  def show',
  '  end',
  'end',
  '',
].join('\n');
const ACCEPTED = 'class OkController < ApplicationController\n  feature_category :wiki\n\n  def show\n  end\nend\n';
const PLAIN = 'class Plain\n  def x\n  end\nend\n';
const ANNOTATED = '# @feature_category team_planning\nclass Annotated\nend\n';

function startWorker(): Worker {
  const script = findWorkerScript() as string;
  const tsx = createRequire(script).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, { eval: true, workerData: { maxFileBytes: MAX } });
}

function request(worker: Worker, req: ParseRequest): Promise<ParseResponse> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: ParseResponse): void => {
      if (msg.id !== req.id) return;
      worker.off('message', onMessage);
      resolve(msg);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.postMessage(req);
  });
}

describe('index worker', () => {
  let root: string;
  const items: ScanItem[] = [];
  let worker: Worker;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'bl-worker-'));
    mkdirSync(join(root, 'app'), { recursive: true });
    const files: [string, string][] = [
      ['app/plain.rb', PLAIN],
      ['app/ok_controller.rb', ACCEPTED],
      ['app/annotated.rb', ANNOTATED],
      ['app/refused_controller.rb', REFUSED],
      ['app/plain2.rb', 'module Nothing\nend\n'],
    ];
    for (const [file, text] of files) {
      writeFileSync(join(root, file), text);
      items.push({ abs: join(root, file), file, kind: 'source' });
    }
    worker = startWorker();
    // `ready` comes at once: the worker does not wait for tree-sitter.
    await new Promise<void>((resolve) => worker.once('message', (m: ParseResponse) => (m.ready ? resolve() : undefined)));
    await initRubyParser(); // this thread's reference results use tree-sitter where needed
  });
  after(async () => {
    await worker.terminate();
    rmSync(root, { recursive: true, force: true });
  });

  test('the refused fixture really is outside the subset (so the worker must load tree-sitter)', () => {
    assert.equal(parseSubset(buildSkeleton(REFUSED).text), undefined);
    assert.notEqual(parseSubset(buildSkeleton(ACCEPTED).text), undefined);
  });

  test('a read batch: plain files as [position, bytes, lines], the others as scans equal to scanFile here', async () => {
    const res = await request(worker, { id: 1, read: items });
    assert.equal(res.error, undefined);
    // plain.rb (0) and plain2.rb (4): 4 lines / 2 lines, byte lengths of their texts.
    assert.deepEqual(res.plain, [0, Buffer.byteLength(PLAIN), 4, 4, Buffer.byteLength('module Nothing\nend\n'), 2]);
    const expected = items.map((it) => scanFile(it.abs, it.file, it.kind, MAX));
    assert.deepEqual(
      res.scans?.map((s) => s.at),
      [1, 2, 3],
    );
    for (const { at, scan } of res.scans ?? []) assert.deepEqual(scan, expected[at]);
    // The plain ones rebuild to exactly what scanFile gives.
    assert.deepEqual(plainScan(items[0]!.file, 'source', res.plain![1]!, res.plain![2]!), expected[0]);
    // The refused file was extracted with tree-sitter, loaded on demand: its action is there.
    assert.deepEqual(res.scans?.find((s) => s.at === 3)?.scan.ruby?.classes[0]?.actions.map((a) => [a.name, a.line]), [['show', 7]]);
  });

  test('a files batch: outcomes equal parseRubyOutcome here, in order', async () => {
    const texts = [ACCEPTED, REFUSED];
    const res = await request(worker, { id: 2, files: texts.map((text, i) => ({ file: `f${i}.rb`, text })) });
    assert.deepEqual(res.outcomes, texts.map((text, i) => parseRubyOutcome(`f${i}.rb`, text)));
  });

  test('a file that cannot be read comes back as a skipped scan, not an error', async () => {
    const gone: ScanItem = { abs: join(root, 'app/gone.rb'), file: 'app/gone.rb', kind: 'source' };
    const res = await request(worker, { id: 3, read: [gone] });
    assert.equal(res.plain?.length, 0);
    assert.equal(res.scans?.[0]?.scan.skipped, true);
    assert.match(res.scans?.[0]?.scan.findings[0]?.message ?? '', /cannot read \(ENOENT\)/);
    assert.ok(readFileSync(items[0]!.abs)); // the others are still there
  });
});
