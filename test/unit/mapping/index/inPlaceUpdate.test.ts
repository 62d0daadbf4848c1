/**
 * Edits that keep a file's endpoint ids (a category or urgency changed, a method body edited)
 * update the lookup tables in place instead of dropping and re-adding every endpoint. These tests
 * check that the in-place path leaves the index exactly as a fresh build of the same files would,
 * including the owner of a duplicated endpoint id and the category -> files index.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceIndex } from '../../../../src/sdk/mapping/index/workspaceIndex';
import { copyExample, openExample } from './exampleWorkspace';

const TREE = 'app/controllers/projects/tree_controller.rb';
const MERGE_WORKER = 'app/workers/merge_worker.rb';
const COPY = 'app/workers/zz_copy/merge_worker.rb';

/** Everything a client can read from the index, in a comparable form. */
function snapshot(index: WorkspaceIndex): unknown {
  const categories = index.categories();
  return {
    endpoints: index.endpoints(),
    categories,
    byCategory: categories.map((c) => index.byCategory(c)),
    mapped: index.mappedFiles().map((f) => index.fileMapping(f)),
    findings: index.findings(),
    lookups: index.endpoints().map((e) => index.endpoint(e.id)),
  };
}

describe('in-place updates of files whose endpoint ids are unchanged', () => {
  let root: string;
  let index: WorkspaceIndex;
  before(async () => {
    root = copyExample();
    mkdirSync(join(root, 'app/workers/zz_copy'), { recursive: true });
    writeFileSync(join(root, COPY), readFileSync(join(root, MERGE_WORKER)));
    index = (await openExample(root, 1)).index;
    await index.build();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a category change moves the file between categories and updates the endpoint lookup', async () => {
    const before = index.byCategory('source_code_management').files;
    assert.ok(before.includes(TREE));
    const text = readFileSync(join(root, TREE), 'utf8').replace('feature_category :source_code_management', 'feature_category :wiki');
    await index.updateFile(TREE, text);
    assert.equal(index.endpoint('Projects::TreeController#show')?.category, 'wiki');
    assert.ok(index.byCategory('wiki').files.includes(TREE));
    assert.ok(!index.byCategory('source_code_management').files.includes(TREE));
    // The looked-up endpoint is the one in the file's current mapping, not a stale copy.
    assert.equal(index.endpoint('Projects::TreeController#show'), index.fileMapping(TREE)?.endpoints[0]);
  });

  test('a duplicated id keeps its owner (first file by path) whichever copy is edited', async () => {
    const copyText = readFileSync(join(root, COPY), 'utf8').replace('urgency :high', 'urgency :low');
    await index.updateFile(COPY, copyText);
    assert.equal(index.endpoint('MergeWorker')?.file, MERGE_WORKER);
    assert.equal(index.endpoint('MergeWorker')?.urgency, 'high');
    const ownerText = readFileSync(join(root, MERGE_WORKER), 'utf8').replace('feature_category :code_review_workflow', 'feature_category :wiki');
    await index.updateFile(MERGE_WORKER, ownerText);
    assert.equal(index.endpoint('MergeWorker')?.file, MERGE_WORKER);
    assert.equal(index.endpoint('MergeWorker')?.category, 'wiki');
  });

  test('after a series of edits the index reads exactly like a fresh build of the same files', async () => {
    // Write the editor texts to disk so a fresh build sees the same files.
    const edits: [string, (t: string) => string][] = [
      [TREE, (t) => t.replace('feature_category :source_code_management', 'feature_category :wiki').replace('urgency :low, [:show]', 'urgency :high, [:show]')],
      [MERGE_WORKER, (t) => t.replace('feature_category :code_review_workflow', 'feature_category :wiki')],
      [COPY, (t) => t.replace('urgency :high', 'urgency :low')],
      // A body edit: the skeleton is unchanged, every line after it moves down one.
      [TREE, (t) => t.replace('    return render_404 unless @commit\n', '    return render_404 unless @commit\n    log_access\n')],
      // A typo category: same ids, a new finding.
      [MERGE_WORKER, (t) => t.replace('feature_category :wiki', 'feature_category :wikki')],
    ];
    for (const [file, edit] of edits) {
      const text = edit(readFileSync(join(root, file), 'utf8'));
      writeFileSync(join(root, file), text);
      await index.updateFile(file, text);
    }
    const fresh = (await openExample(root, 1)).index;
    await fresh.build();
    assert.deepEqual(snapshot(index), snapshot(fresh));
    assert.equal(index.endpoint('Projects::TreeController#show')?.urgency, 'high');
    assert.ok(index.findings().some((f) => f.code === 'unknown_category' && f.file === MERGE_WORKER));
  });
});
