/**
 * `npm run check:prefilter -- --tree <path>`: on a real checkout, the index built the default way
 * (ripgrep and the byte pre-filter rule files out, skeletons, the subset parser) must equal the
 * index built by reading every Ruby file and parsing its whole text with tree-sitter
 * (WorkspaceIndexOptions.fullRead). Prints both builds' figures and every file whose mapping
 * differs; exits 1 when any does. Files that map nothing either way and differ only by a
 * `parse_error` of the full read are listed apart (compareSnapshots: tree-sitter-ruby's own gaps
 * inside bodies the skeleton leaves out). Not a benchmark: the full read is slow on purpose.
 *
 * Options: --tree <path> (required), --catalog <dir> (default: the bundled GitLab snapshot),
 * --limit <n> differences printed (default 50).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openWorkspace } from '../src/sdk/mapping/index/openWorkspace';
import { compareSnapshots, indexSnapshot } from '../test/support/indexSnapshot';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { tree: { type: 'string' }, catalog: { type: 'string' }, limit: { type: 'string' } } });
  if (values.tree === undefined) {
    console.error('usage: npm run check:prefilter -- --tree <path> [--catalog <dir>] [--limit n]');
    return 2;
  }
  const root = resolve(values.tree);
  const catalogDir = resolve(values.catalog ?? `${__dirname}/../catalog/gitlab`);
  const limit = Number(values.limit ?? '50');

  const build = async (fullRead: boolean): Promise<ReturnType<typeof indexSnapshot>> => {
    const { index } = await openWorkspace({ root, catalogDir, workers: 1, fullRead });
    const t = performance.now();
    const stats = await index.build();
    const snap = indexSnapshot(index);
    const endpoints = [...snap.values()].reduce((n, m) => n + m.endpoints.length, 0);
    console.log(
      `${fullRead ? 'full read (every Ruby file, whole text, tree-sitter)' : 'default (pre-filters, skeletons, subset parser)'}: ` +
        `${((performance.now() - t) / 1000).toFixed(1)} s, ${stats.files} files, ${stats.parsed} Ruby files extracted` +
        `${stats.prefilter ? `, ${stats.prefilter.ruledOut} ruled out by ripgrep unopened` : ''}; ${snap.size} files mapped, ${endpoints} endpoints`,
    );
    index.dispose();
    return snap;
  };
  const filtered = await build(false);
  const full = await build(true);
  const { differences, referenceParseErrors } = compareSnapshots(full, filtered);
  if (referenceParseErrors.length > 0) {
    console.log(
      `${referenceParseErrors.length} files map nothing either way and differ only by a parse_error of the full read ` +
        `(tree-sitter-ruby refusing valid Ruby inside a body the skeleton leaves out; not a dropped declaration):`,
    );
    for (const d of referenceParseErrors.slice(0, limit)) console.log(`  ${d}`);
  }
  for (const d of differences.slice(0, limit)) console.log(`  ${d}`);
  if (differences.length > limit) console.log(`  ... and ${differences.length - limit} more`);
  console.log(differences.length === 0
      ? `EQUAL: the pre-filtered index equals the full-read index${referenceParseErrors.length > 0 ? ' (but for the parse errors of the full read above)' : ''}`
      : `DIFFERENT: ${differences.length} files`);
  return differences.length === 0 ? 0 : 1;
}

void main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 2;
  },
);
