/**
 * WorkspaceIndexOptions.isolatedScan (the extension host's cold builds): the walk and scan run in
 * a thread of their own (treeScan.ts, scanTreeInThread) and the index is the same as the one built
 * on this thread, with and without the ripgrep pre-filter; a cancelled build keeps the index.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getPriority } from 'node:os';
import { openWorkspace } from '../../../../src/sdk/mapping/index/openWorkspace';
import type { OpenedWorkspace } from '../../../../src/sdk/mapping/index/openWorkspace';
import { findRipgrep } from '../../../../src/sdk/mapping/index/ripgrepPrefilter';
import { SCAN_THREAD_NICE, lowerScanThreadPriority, scanTreeInThread } from '../../../../src/sdk/mapping/index/treeScan';
import { CATALOG_DIR, EXAMPLE_ROOT, copyExample } from './exampleWorkspace';

/** Everything the index answers, in a comparable form. */
function dump(ws: OpenedWorkspace): unknown {
  const index = ws.index;
  const { ms: _ms, phases: _phases, ...build } = index.lastBuild ?? ({} as NonNullable<typeof index.lastBuild>);
  return {
    files: index.files(),
    mappings: index.files().map((f) => index.fileMapping(f)),
    endpoints: index.endpoints(),
    findings: index.findings(),
    categories: index.categories(),
    nested: index.nestedRoots(),
    build,
  };
}

async function built(root: string, options: { isolatedScan: boolean; ripgrep: string | false }): Promise<OpenedWorkspace> {
  const ws = await openWorkspace({ root, catalogDir: CATALOG_DIR, ...options });
  await ws.index.build();
  return ws;
}

describe('isolated scan', () => {
  const ripgrep = findRipgrep();
  for (const rg of [false, ...(ripgrep ? [ripgrep] : [])] as const) {
    test(`the same index as a scan on this thread (${rg === false ? 'no ripgrep' : 'ripgrep'})`, async () => {
      const here = await built(EXAMPLE_ROOT, { isolatedScan: false, ripgrep: rg });
      const isolated = await built(EXAMPLE_ROOT, { isolatedScan: true, ripgrep: rg });
      assert.ok(here.index.endpoints().length > 10);
      assert.deepEqual(dump(isolated), dump(here));
    });
  }

  test('a rebuild picks up changes and an incremental update works after it', async () => {
    const root = copyExample();
    try {
      const ws = await built(root, { isolatedScan: true, ripgrep: false });
      const file = 'app/controllers/isolated_probe_controller.rb';
      writeFileSync(join(root, file), 'class IsolatedProbeController < ApplicationController\n  feature_category :wiki\n\n  def show\n  end\nend\n');
      await ws.index.build();
      assert.equal(ws.index.fileMapping(file)?.categories[0]?.category, 'wiki');
      await ws.index.updateFile(file, 'class IsolatedProbeController < ApplicationController\n  feature_category :team_planning\n\n  def show\n  end\nend\n');
      assert.equal(ws.index.fileMapping(file)?.categories[0]?.category, 'team_planning');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('cancelled: rejects and keeps the previous index', async () => {
    const ws = await built(EXAMPLE_ROOT, { isolatedScan: true, ripgrep: false });
    const before = dump(ws);
    const controller = new AbortController();
    const building = ws.index.build(controller.signal);
    controller.abort();
    await assert.rejects(building, (e: Error) => e.name === 'AbortError');
    assert.deepEqual(dump(ws), before);
  });

  test('the scan thread runs at a lower priority on Linux; this thread keeps its own', async () => {
    const mine = getPriority(0);
    const scan = await scanTreeInThread({ root: EXAMPLE_ROOT });
    assert.ok(scan.scans.length > 0);
    if (process.platform === 'linux') assert.equal(scan.threadNice, Math.max(mine, SCAN_THREAD_NICE));
    else assert.equal(scan.threadNice, undefined);
    assert.equal(getPriority(0), mine, 'the calling thread is untouched');
    // Elsewhere (pid 0 is the whole process there) and with the override 0: nothing is changed.
    assert.equal(lowerScanThreadPriority({}, 'darwin'), undefined);
    assert.equal(lowerScanThreadPriority({ BUDGET_LENS_SCAN_NICE: '0' }, 'linux'), undefined);
    assert.equal(getPriority(0), mine);
  });
});
