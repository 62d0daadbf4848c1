/**
 * Issue 10 item 5: the pre-filters and the skeleton never drop a declaring file. Over generated
 * GitLab-style trees (test/support/gitlabStyleTree.ts), the index built the default way (ripgrep
 * and the byte pre-filter rule files out, skeletons, the subset parser in front of tree-sitter)
 * must equal the index built by reading every Ruby file and parsing its whole text with
 * tree-sitter (WorkspaceIndexOptions.fullRead): same files mapped, same ranges, endpoints and
 * findings. A failing tree is shrunk (test/support/shrink.ts) to the few lines that show it.
 * `npm run check:prefilter -- --tree <checkout>` runs the same comparison on a real tree.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openWorkspace } from '../../../../src/sdk/mapping/index/openWorkspace';
import { findRipgrep } from '../../../../src/sdk/mapping/index/ripgrepPrefilter';
import { gitlabStyleTree } from '../../../support/gitlabStyleTree';
import { compareSnapshots, indexSnapshot, treeFromText, treeToText, writeTree } from '../../../support/indexSnapshot';
import type { SnapshotComparison } from '../../../support/indexSnapshot';
import { shrinkAsync } from '../../../support/shrink';
import { CATALOG_DIR } from './exampleWorkspace';

const CASES = 120 * Math.max(1, Number(process.env.PREFILTER_PROPERTY_SCALE ?? '1') || 1);
const SEED = Number(process.env.PREFILTER_PROPERTY_SEED ?? '20261205');
const RG = findRipgrep();

const scratch = mkdtempSync(join(tmpdir(), 'bl-prefilter-property-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;

interface Built {
  comparison: SnapshotComparison;
  endpoints: { id: string; kind: string; file: string }[];
  extracted: number;
  ruledOut: number;
  /** parse_error findings in either index. */
  parseErrors: number;
}

async function compareOn(files: ReadonlyMap<string, string>): Promise<Built> {
  const root = join(scratch, String(dirs++));
  writeTree(root, files);
  const filtered = await openWorkspace({ root, catalogDir: CATALOG_DIR, workers: 1, ...(RG ? { ripgrep: RG } : { ripgrep: false }) });
  const full = await openWorkspace({ root, catalogDir: CATALOG_DIR, workers: 1, fullRead: true });
  const stats = await filtered.index.build();
  await full.index.build();
  const comparison = compareSnapshots(indexSnapshot(full.index), indexSnapshot(filtered.index));
  rmSync(root, { recursive: true, force: true });
  const parseErrors = [...full.index.findings(), ...filtered.index.findings()].filter((f) => f.code === 'parse_error').length;
  return { comparison, endpoints: filtered.index.endpoints(), extracted: stats.parsed, ruledOut: stats.prefilter?.ruledOut ?? 0, parseErrors };
}

function fails(c: SnapshotComparison): boolean {
  // Generated trees are valid Ruby that tree-sitter parses: a parse error on either side is a difference too.
  return c.differences.length > 0 || c.referenceParseErrors.length > 0;
}

/**
 * While shrinking, a candidate still fails only if it is still valid Ruby (no parse error either
 * way) and the indexes still differ: dropping lines must not trade the failure for a broken file.
 */
function stillFails(b: Built): boolean {
  return b.parseErrors === 0 && b.comparison.differences.length > 0;
}

describe('pre-filter property: the pre-filtered index equals the full-read index', () => {
  test(`${CASES} generated GitLab-style trees (seed ${SEED})`, async () => {
    const kinds = new Map<string, number>();
    let eeRoutes = 0;
    let extracted = 0;
    let ruledOut = 0;
    for (let i = 0; i < CASES; i++) {
      const seed = SEED + i;
      const files = gitlabStyleTree(seed);
      const built = await compareOn(files);
      if (fails(built.comparison)) {
        const small = built.parseErrors === 0 ? await shrinkAsync(treeToText(files), async (text) => stillFails(await compareOn(treeFromText(text))), { characters: false }) : treeToText(files);
        const c = (await compareOn(treeFromText(small))).comparison;
        assert.fail(
          `tree of seed ${seed} (PREFILTER_PROPERTY_SEED=${seed}): the indexes differ\n  ${[...c.differences, ...c.referenceParseErrors].join('\n  ')}\n` +
            `shrunk tree:\n${small}`,
        );
      }
      for (const e of built.endpoints) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
      eeRoutes += built.endpoints.filter((e) => e.file.startsWith('ee/lib/ee/api/')).length;
      extracted += built.extracted;
      ruledOut += built.ruledOut;
    }
    // Not vacuous: every kind of declaring file occurs, and the pre-filter had files to rule out.
    assert.ok((kinds.get('rails') ?? 0) > 100, `controller actions: ${JSON.stringify([...kinds])}`);
    assert.ok((kinds.get('grape') ?? 0) > 100, `Grape routes: ${JSON.stringify([...kinds])}`);
    assert.ok((kinds.get('sidekiq') ?? 0) > 50, `workers: ${JSON.stringify([...kinds])}`);
    assert.ok(eeRoutes > 20, `routes of EE prepended modules: ${eeRoutes}`);
    assert.ok(extracted > CASES * 3, `Ruby files extracted: ${extracted}`);
    if (RG) assert.ok(ruledOut > CASES / 2, `files ripgrep ruled out: ${ruledOut}`);
  });

  test('the comparison sees a dropped declaration (a marker-less file the full read maps)', async () => {
    // A Grape API subclassing another with nothing but a route: the one form the byte pre-filter
    // cannot see (gitlabStyleTree's header). The property must notice it, or it proves nothing.
    const files = new Map([
      ['lib/api/base_things.rb', "module API\n  class BaseThings < ::API::Base\n    feature_category :wiki\n  end\nend\n"],
      ['lib/api/more_things.rb', "module API\n  class MoreThings < BaseThings\n    get 'more' do\n    end\n  end\nend\n"],
    ]);
    const { comparison } = await compareOn(files);
    assert.equal(comparison.differences.length, 1, comparison.differences.join('\n'));
    assert.match(comparison.differences[0] ?? '', /^lib\/api\/more_things\.rb: dropped by the pre-filtered index \(the full read maps 1 endpoints/);
  });
});
