/**
 * tree-sitter is loaded once per cold build, in the worker: a skeleton the subset parser refuses
 * that this thread happens to take is handed to the worker instead of loading tree-sitter here
 * too (its first use costs ~140 ms and ~300 ms of compiler CPU per thread). Its own process (node
 * --test runs each file apart), so tree-sitter is not loaded on this thread before the scan.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanPool } from '../../../../src/sdk/mapping/index/scanPool';
import { scanFile } from '../../../../src/sdk/mapping/index/fileScanner';
import type { ScanItem } from '../../../../src/sdk/mapping/index/workerProtocol';
import { initRubyParser, rubyParserLoaded } from '../../../../src/sdk/mapping/ruby/parser';

const MAX = 2 * 1024 * 1024;
const root = mkdtempSync(join(tmpdir(), 'bl-lazy-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a 2-thread scan with refused skeletons loads tree-sitter only in the worker, same results', async () => {
  mkdirSync(join(root, 'app'), { recursive: true });
  const items: ScanItem[] = [];
  // 120 controllers, every other one with a heredoc (refused by the subset parser).
  for (let i = 0; i < 120; i++) {
    const file = `app/c_${String(i).padStart(3, '0')}_controller.rb`;
    const heredoc = i % 2 === 0 ? '  HELP = <<~TEXT\n    help\n  TEXT\n' : '';
    writeFileSync(join(root, file), `class C${i}Controller < ApplicationController\n  feature_category :wiki\n${heredoc}\n  def show\n  end\nend\n`);
    items.push({ abs: join(root, file), file, kind: 'source' });
  }
  assert.equal(rubyParserLoaded(), false);
  const pool = ScanPool.start({ workers: 2, maxFileBytes: MAX });
  for (let i = 0; i < items.length; i += 10) {
    pool.add(items.slice(i, i + 10));
    await new Promise((r) => setImmediate(r));
  }
  const results = await pool.finish();
  assert.equal(rubyParserLoaded(), false, 'this thread loaded tree-sitter during the scan');
  await initRubyParser();
  assert.deepEqual(results, items.map((it) => scanFile(it.abs, it.file, it.kind, MAX)));
  // Each controller's `def show` (line 4, or 7 after the 3-line heredoc) made it through either parser.
  assert.deepEqual(
    results.map((r) => r.ruby?.classes[0]?.actions[0]?.line),
    items.map((_, i) => (i % 2 === 0 ? 7 : 4)),
  );
});
