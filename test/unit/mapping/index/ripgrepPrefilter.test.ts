/**
 * The ripgrep pre-filter (src/sdk/mapping/index/ripgrepPrefilter.ts) with the real ripgrep
 * (Debian's `ripgrep`, installed by scripts/install-system-deps.sh). Its one promise is that it
 * removes work and never changes the index:
 *   - a file ripgrep lists as clean is one the scanner would have found plain (checked file by
 *     file on contents built around every marker, near-misses, NUL bytes, encodings);
 *   - a whole index built with it equals the index built reading every file (the example
 *     workspace with its path rules, a tree of edge cases);
 *   - when ripgrep is missing, crashes half-way or hangs, the build reads what it did not list.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CountListParser,
  findRipgrep,
  prefilterPattern,
  ripgrepArgs,
  ripgrepPrefilter,
  ripgrepThreads,
  vscodeRipgrep,
} from '../../../../src/sdk/mapping/index/ripgrepPrefilter';
import { isPlainScan, scanBuffer } from '../../../../src/sdk/mapping/index/fileScanner';
import { MARKERS } from '../../../../src/sdk/mapping/ruby/prefilter';
import { openWorkspace } from '../../../../src/sdk/mapping/index/openWorkspace';
import type { WorkspaceIndex } from '../../../../src/sdk/mapping/index/workspaceIndex';
import { CATALOG_DIR, EXAMPLE_ROOT } from './exampleWorkspace';

const RG = findRipgrep() ?? 'rg-not-installed (apt-get install ripgrep)';
const MAX = 2 * 1024 * 1024;

function write(root: string, rel: string, data: string | Buffer): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), data);
}

/** Everything an index answers, in a form deepEqual can compare. */
function snapshot(index: WorkspaceIndex): unknown {
  return {
    files: index.files(),
    mappings: index.files().map((f) => index.fileMapping(f)),
    endpoints: index.endpoints(),
    findings: index.findings(),
    categories: index.categories(),
    nested: index.nestedRoots(),
  };
}

async function buildBoth(root: string): Promise<{ withRg: WorkspaceIndex; without: WorkspaceIndex }> {
  const a = await openWorkspace({ root, catalogDir: CATALOG_DIR, workers: 1, ripgrep: RG });
  const b = await openWorkspace({ root, catalogDir: CATALOG_DIR, workers: 1, ripgrep: false });
  await a.index.build();
  await b.index.build();
  return { withRg: a.index, without: b.index };
}

describe('CountListParser', () => {
  test('splits `path\\0count\\n` lines into clean and marked, across chunk boundaries', () => {
    const parser = new CountListParser();
    const out = Buffer.from('a.rb\x000\nb/c.rb\x001\nd e.rb\x000\nf.rb\x001\n');
    const marked: string[] = [];
    // One byte at a time: every cut position inside a path, after the NUL, before the newline.
    for (let i = 0; i < out.length; i++) marked.push(...parser.push(out.subarray(i, i + 1)));
    assert.deepEqual([...parser.clean], ['a.rb', 'd e.rb']);
    assert.deepEqual(marked, ['b/c.rb', 'f.rb']);
  });

  test('a path with a newline or a colon stays whole', () => {
    const parser = new CountListParser();
    assert.deepEqual(parser.push(Buffer.from('x\ny.rb\x001\nk:v.rb\x000\n')), ['x\ny.rb']);
    assert.deepEqual([...parser.clean], ['k:v.rb']);
  });

  test('a UTF-8 character cut between two chunks is decoded whole', () => {
    const parser = new CountListParser();
    const out = Buffer.from('café/ü.rb\x000\n');
    const cut = out.indexOf(0xc3) + 1; // between the two bytes of 'é'
    assert.deepEqual(parser.push(out.subarray(0, cut)), []);
    assert.deepEqual(parser.push(out.subarray(cut)), []);
    assert.deepEqual([...parser.clean], ['café/ü.rb']);
  });

  test('a line never completed (ripgrep killed) counts as neither', () => {
    const parser = new CountListParser();
    assert.deepEqual(parser.push(Buffer.from('a.rb\x000\nb.rb\x000')), []);
    assert.deepEqual([...parser.clean], ['a.rb']);
  });
});

describe('ripgrep pre-filter: what it may rule out', () => {
  let root: string;
  const contents = new Map<string, Buffer>();
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'bl-rg-'));
    const texts: Record<string, string | Buffer> = {
      'plain.rb': 'class Plain\n  def x; end\nend\n',
      'empty.rb': '',
      'near_miss.rb': 'feature_categor\nurgenc\nControlle\nAPI::Bas\nGrape::AP\nWorke\nSidekiq::Jo\n@endpoin\n',
      'case.rb': 'FEATURE_CATEGORY URGENCY controller worker grape::api\n',
      'endpoint_word.ts': '// the endpoint we call\nconst endpoint = 1;\n',
      'crlf.rb': 'class A\r\n  feature_category :team_planning\r\nend\r\n',
      'utf8.rb': '# café ☕ — feature_category :wiki\n',
      'late_nul.rb': Buffer.concat([Buffer.from('x'.repeat(70_000)), Buffer.from([0]), Buffer.from('\n')]),
      'early_nul.rb': Buffer.from([0x23, 0x00, 0x0a]),
      'utf16.rb': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('feature_category :wiki\n', 'utf16le')]),
      'utf16_plain.rb': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('class Plain\nend\n', 'utf16le')]),
      'annotated.py': '# @feature_category team_planning\ndef f():\n    pass\n',
      'at_urgency.js': '// @urgency high\n',
      'at_endpoint.go': '// @endpoint "GET /x"\n',
      'split.rb': 'feature_\ncategory\n',
      '.hidden.rb': 'class H\n  feature_category :wiki\nend\n',
      '.hidden_dir/plain.rb': 'class P\nend\n',
    };
    // Every marker alone, at the start, the end and in the middle of a long line.
    for (const [i, word] of [...MARKERS, '@feature_category', '@urgency', '@endpoint'].entries()) {
      texts[`marker_${i}_start.rb`] = `${word} x\n`;
      texts[`marker_${i}_end.rb`] = `${'y'.repeat(5000)}${word}`;
      texts[`marker_${i}_mid.ts`] = `a\n${'z'.repeat(100_000)} ${word} z\n`;
    }
    for (const [rel, data] of Object.entries(texts)) {
      write(root, rel, data);
      contents.set(rel, Buffer.isBuffer(data) ? data : Buffer.from(data));
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('every file ripgrep lists as clean is one the scanner finds plain, and it lists the plain ones', async () => {
    const { clean, error } = await ripgrepPrefilter(RG, root, { maxFileBytes: MAX });
    assert.equal(error, undefined);
    for (const file of clean) {
      const data = contents.get(file);
      assert.ok(data, `ripgrep listed ${file}, which the test did not write`);
      assert.ok(isPlainScan(scanBuffer(file, 'source', data)), `${file} is clean for ripgrep but not plain for the scanner`);
    }
    // And it does rule out the plain ones (else it would be no pre-filter at all): the files
    // without any marker, hidden ones included, whatever their case or near-miss spelling.
    assert.deepEqual(
      [...clean].sort(),
      ['.hidden_dir/plain.rb', 'case.rb', 'empty.rb', 'endpoint_word.ts', 'near_miss.rb', 'plain.rb', 'split.rb'],
    );
  });

  test('the marked files are reported as ripgrep finds them', async () => {
    const marked: string[] = [];
    const { clean } = await ripgrepPrefilter(RG, root, { maxFileBytes: MAX, onMarked: (files) => marked.push(...files) });
    // Binary files (a NUL) are neither: ripgrep stops at the NUL and leaves them to the scanner.
    const binary = ['early_nul.rb', 'late_nul.rb', 'utf16.rb', 'utf16_plain.rb'];
    assert.deepEqual([...marked, ...clean, ...binary].sort(), [...contents.keys()].sort());
    assert.ok(marked.includes('crlf.rb') && marked.includes('.hidden.rb') && marked.includes('annotated.py'));
  });

  test('the pattern holds every marker of the scanner and nothing looser than a marker', () => {
    const pattern = prefilterPattern();
    for (const marker of MARKERS) assert.ok(pattern.split('|').includes(marker.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')), marker);
    assert.ok(pattern.split('|').includes('@endpoint'));
    assert.ok(!pattern.split('|').includes('endpoint'), 'a bare "endpoint" would mark most TypeScript files');
    const args = ripgrepArgs(MAX);
    assert.equal(args[args.indexOf('--max-filesize') + 1], String(MAX));
    assert.ok(args.includes('--no-config') && args.includes('--hidden') && args.includes('--no-mmap'));
  });

  test('files over the size limit are not listed, so the scanner reports them', async () => {
    const big = mkdtempSync(join(tmpdir(), 'bl-rg-big-'));
    try {
      write(big, 'small.rb', 'x\n');
      write(big, 'big.rb', 'x'.repeat(4096) + '\n');
      const { clean } = await ripgrepPrefilter(RG, big, { maxFileBytes: 1024 });
      assert.deepEqual([...clean], ['small.rb']);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });
});

describe('ripgrep pre-filter: the index is the same with it', () => {
  test('example workspace (path rules, annotations, GraphQL, Grape, workers, lint findings)', async () => {
    const { withRg, without } = await buildBoth(EXAMPLE_ROOT);
    assert.deepEqual(snapshot(withRg), snapshot(without));
    assert.equal(withRg.lastBuild?.prefilter?.error, undefined);
    // The example's plain files (models, helpers, specs, the path-ruled TypeScript) are not opened.
    assert.ok((withRg.lastBuild?.prefilter?.ruledOut ?? 0) > 0, JSON.stringify(withRg.lastBuild?.prefilter));
    assert.equal(without.lastBuild?.prefilter, undefined);
  });

  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'bl-rg-tree-'));
    cpSync(EXAMPLE_ROOT, root, { recursive: true });
    // A path rule over files without markers: their whole-file range needs their line count,
    // which the index counts only then (the files were never opened in the build).
    const config = readFileSync(join(root, '.budgetlens.yml'), 'utf8').replace(
      'pathRules:\n',
      'pathRules:\n    - pattern: "lib/plain/**"\n      category: wiki\n',
    );
    write(root, '.budgetlens.yml', config.replaceAll('../../catalog', join(CATALOG_DIR, '..')));
    write(root, 'lib/plain/three_lines.rb', 'module Plain\n  X = 1\nend\n');
    write(root, 'lib/plain/no_newline_at_end.rb', 'module Plain\n  Y = 2\n\n\nend');
    write(root, 'lib/plain/empty.rb', '');
    write(root, 'lib/plain/binary.rb', Buffer.from([0x00, 0x01]));
    write(root, 'lib/plain/annotated.rb', '# @feature_category team_planning\nmodule A\nend\n');
    // Ignored, excluded, nested and always-skipped places: the walk decides, not ripgrep.
    write(root, '.gitignore', 'generated/\n');
    write(root, 'generated/thing_controller.rb', 'class ThingController < ApplicationController\n  feature_category :wiki\nend\n');
    write(root, 'tmp/cache_controller.rb', 'class CacheController < ApplicationController\n  feature_category :wiki\nend\n');
    write(root, 'node_modules/x/y_worker.rb', 'class YWorker\n  include ApplicationWorker\nend\n');
    write(root, 'nested/.budgetlens.yml', 'mapping: {}\n');
    write(root, 'nested/app/controllers/n_controller.rb', 'class NController < ApplicationController\n  feature_category :wiki\nend\n');
    // Names ripgrep prints in its own way, and a symlinked file it does not follow.
    write(root, 'app/models/with space.rb', 'class WithSpace\nend\n');
    write(root, 'app/models/new\nline.rb', 'class NewLine\nend\n');
    write(root, 'app/models/target.rb', 'class Target\nend\n');
    symlinkSync(join(root, 'app/models/target.rb'), join(root, 'app/models/link.rb'));
    write(root, 'app/controllers/hidden/.dot_controller.rb', 'class DotController < ApplicationController\n  feature_category :wiki\nend\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a tree of edge cases: path rules over unopened files, ignored, nested, odd names, symlinks', async () => {
    const { withRg, without } = await buildBoth(root);
    assert.deepEqual(snapshot(withRg), snapshot(without));
    // The path-ruled files were counted after all (hand count: 3 lines; 5 lines without a final newline).
    assert.deepEqual(withRg.categoryAt('lib/plain/three_lines.rb', 3), {
      category: 'wiki', scope: 'file', name: 'lib/plain/three_lines.rb', startLine: 1, endLine: 3, attribution: 'path_rule',
    });
    assert.equal(withRg.categoryAt('lib/plain/no_newline_at_end.rb', 5)?.endLine, 5);
    assert.equal(withRg.fileMapping('nested/app/controllers/n_controller.rb'), undefined);
    assert.equal(withRg.fileMapping('generated/thing_controller.rb'), undefined);
    assert.equal(withRg.endpoint('DotController#index'), undefined); // no action, but the class is indexed:
    assert.ok(withRg.files().includes('app/controllers/hidden/.dot_controller.rb'));
  });

  test('the same after an incremental update of a file the build never opened', async () => {
    const { withRg, without } = await buildBoth(root);
    const text = 'module Plain\n  X = 1\n  Y = 2\nend\n';
    await withRg.updateFile('lib/plain/three_lines.rb', text);
    await without.updateFile('lib/plain/three_lines.rb', text);
    assert.deepEqual(snapshot(withRg), snapshot(without));
    assert.equal(withRg.categoryAt('lib/plain/three_lines.rb', 4)?.endLine, 4);
  });
});

describe('ripgrep pre-filter: when ripgrep fails', () => {
  let bin: string;
  before(() => {
    bin = mkdtempSync(join(tmpdir(), 'bl-rg-bin-'));
  });
  after(() => rmSync(bin, { recursive: true, force: true }));

  /** A stand-in for ripgrep (the thing under test is the index's handling of its failure). */
  function script(name: string, body: string): string {
    const path = join(bin, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  test('a missing binary: the build reads every file and says why', async () => {
    const a = await openWorkspace({ root: EXAMPLE_ROOT, catalogDir: CATALOG_DIR, workers: 1, ripgrep: join(bin, 'no-such-rg') });
    const b = await openWorkspace({ root: EXAMPLE_ROOT, catalogDir: CATALOG_DIR, workers: 1, ripgrep: false });
    await a.index.build();
    await b.index.build();
    assert.deepEqual(snapshot(a.index), snapshot(b.index));
    assert.match(a.index.lastBuild?.prefilter?.error ?? '', /^cannot run .*no-such-rg: spawn .* ENOENT$/);
    assert.equal(a.index.lastBuild?.prefilter?.ruledOut, 0);
  });

  test('ripgrep killed half-way: what it listed whole stands, the cut entry and the rest are read', async () => {
    // Lists one real plain file (path-ruled: its line count is read later), then half of a line naming a controller as clean, then dies.
    const rg = script('dying-rg', `printf 'app/assets/javascripts/repository/blob_viewer.ts\\0000\\napp/controllers/projects/issues_controller.rb\\0000'; kill -9 $$`);
    const result = await ripgrepPrefilter(rg, EXAMPLE_ROOT, { maxFileBytes: MAX });
    assert.deepEqual([...result.clean], ['app/assets/javascripts/repository/blob_viewer.ts']);
    assert.match(result.error ?? '', /exited with SIGKILL/);
    const a = await openWorkspace({ root: EXAMPLE_ROOT, catalogDir: CATALOG_DIR, workers: 1, ripgrep: rg });
    const b = await openWorkspace({ root: EXAMPLE_ROOT, catalogDir: CATALOG_DIR, workers: 1, ripgrep: false });
    await a.index.build();
    await b.index.build();
    assert.deepEqual(snapshot(a.index), snapshot(b.index));
    assert.ok(a.index.endpoint('Projects::IssuesController#index'), 'the cut entry was read');
  });

  test('a ripgrep that hangs is stopped at the timeout and nothing is ruled out', async () => {
    const rg = script('hanging-rg', `printf 'a.rb\\0000\\n'; exec sleep 30`);
    const started = Date.now();
    const result = await ripgrepPrefilter(rg, EXAMPLE_ROOT, { maxFileBytes: MAX, timeoutMs: 300 });
    assert.match(result.error ?? '', /did not finish within 300 ms/);
    assert.ok(Date.now() - started < 10_000);
  });

  test('cancelling the build kills ripgrep and rejects with an AbortError', async () => {
    const rg = script('slow-rg', 'exec sleep 30');
    const { index } = await openWorkspace({ root: EXAMPLE_ROOT, catalogDir: CATALOG_DIR, workers: 1, ripgrep: rg });
    const controller = new AbortController();
    const build = index.build(controller.signal);
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(build, (e: Error) => e.name === 'AbortError');
  });
});

describe('finding ripgrep', () => {
  test('BUDGET_LENS_RIPGREP names it or turns it off; else rg on PATH', () => {
    assert.equal(findRipgrep({ BUDGET_LENS_RIPGREP: 'off', PATH: '/usr/bin' }), undefined);
    assert.equal(findRipgrep({ BUDGET_LENS_RIPGREP: '/opt/rg', PATH: '' }), '/opt/rg');
    assert.equal(findRipgrep({ PATH: '/nonexistent:/also-not' }), undefined);
    const dir = mkdtempSync(join(tmpdir(), 'bl-rg-path-'));
    try {
      writeFileSync(join(dir, 'rg'), '#!/bin/sh\n');
      chmodSync(join(dir, 'rg'), 0o755);
      assert.equal(findRipgrep({ PATH: `/nonexistent:${dir}` }), join(dir, 'rg'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("VS Code's own ripgrep under its application root (server layout and desktop asar)", () => {
    const app = mkdtempSync(join(tmpdir(), 'bl-rg-app-'));
    try {
      assert.equal(vscodeRipgrep(app), undefined);
      const unpacked = join(app, 'node_modules.asar.unpacked/@vscode/ripgrep/bin/rg');
      write(app, 'node_modules.asar.unpacked/@vscode/ripgrep/bin/rg', '#!/bin/sh\n');
      chmodSync(unpacked, 0o755);
      assert.equal(vscodeRipgrep(app), unpacked);
      const plain = join(app, 'node_modules/@vscode/ripgrep/bin/rg');
      write(app, 'node_modules/@vscode/ripgrep/bin/rg', '#!/bin/sh\n');
      chmodSync(plain, 0o755);
      assert.equal(vscodeRipgrep(app), plain);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});

describe('ripgrep threads', () => {
  test('all cores but the one the index thread runs on, at least one', () => {
    assert.equal(ripgrepThreads(1), 1);
    assert.equal(ripgrepThreads(2), 1);
    assert.equal(ripgrepThreads(8), 7);
    const args = ripgrepArgs(MAX, 3);
    assert.equal(args[args.indexOf('--threads') + 1], '3');
  });
});
