/**
 * A rebuild's previous index can be collected (the extension host's Re-index Workspace: RootIndexer
 * builds a new workspace, adopts it and disposes the old one): nothing in the SDK (module caches,
 * the scan thread, listeners, the resolve context) keeps it reachable. And collectGarbage
 * (releaseMemory.ts), which the extension runs after every full build, really collects, without
 * leaving a `gc` global behind.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { openWorkspace } from '../../../../src/sdk/mapping/index/openWorkspace';
import type { OpenedWorkspace } from '../../../../src/sdk/mapping/index/openWorkspace';
import { collectGarbage } from '../../../../src/sdk/mapping/index/releaseMemory';
import { findRipgrep } from '../../../../src/sdk/mapping/index/ripgrepPrefilter';
import { CATALOG_DIR, EXAMPLE_ROOT } from './exampleWorkspace';

/** Collects until `ref` is cleared (finalization may need more than one cycle), at most a few times. */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 5 && ref.deref() !== undefined; i++) {
    await new Promise((r) => setImmediate(r));
    assert.equal(collectGarbage(), true);
  }
  return ref.deref() === undefined;
}

describe('releasing a replaced index', () => {
  test('collectGarbage collects and leaves no gc global behind', async () => {
    let garbage: object[] | undefined = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const ref = new WeakRef(garbage);
    garbage = undefined;
    assert.equal(await collected(ref), true);
    let more: object[] | undefined = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const compacted = new WeakRef(more);
    more = undefined;
    await new Promise((r) => setImmediate(r));
    assert.equal(collectGarbage({ compact: true }), true);
    assert.equal(compacted.deref(), undefined);
    assert.equal(typeof runInNewContext('typeof gc'), 'string');
    assert.equal(runInNewContext('typeof gc'), typeof (globalThis as { gc?: unknown }).gc);
  });

  const ripgrep = findRipgrep();
  for (const isolatedScan of [true, false]) {
    test(`the previous index is collectable after a rebuild (${isolatedScan ? 'isolated scan' : 'scan on this thread'})`, async () => {
      const open = async (): Promise<OpenedWorkspace> => {
        const ws = await openWorkspace({ root: EXAMPLE_ROOT, catalogDir: CATALOG_DIR, ripgrep: ripgrep ?? false, isolatedScan });
        await ws.index.build();
        return ws;
      };
      // What RootIndexer does: a listener on the index in use, a new workspace built while the old
      // one is alive and answering, then the old one's listener stopped and the index disposed.
      let old: OpenedWorkspace | undefined = await open();
      const stop = old.index.onDidChange(() => undefined);
      await old.index.updateFile('app/controllers/projects/issues_controller.rb');
      const ref = new WeakRef(old.index);
      const next = await open();
      assert.deepEqual(next.index.endpoints(), old.index.endpoints());
      stop();
      old.index.dispose();
      old = undefined;
      assert.equal(await collected(ref), true, 'the replaced WorkspaceIndex is still reachable');
      assert.ok(next.index.endpoints().length > 10);
    });
  }
});
