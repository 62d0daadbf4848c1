/**
 * Comparing two workspace indexes, for the pre-filter checks: the default index (ripgrep, the
 * byte pre-filter, skeletons, the subset parser) against the reference that reads every Ruby file
 * and parses its whole text (WorkspaceIndexOptions.fullRead). Used by
 * test/unit/mapping/index/prefilterProperty.test.ts and `npm run check:prefilter`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileMapping } from '../../src/sdk/mapping/types';
import type { WorkspaceIndex } from '../../src/sdk/mapping/index/workspaceIndex';
import { firstValueDifference } from './treeDump';

/** What an index answers per file: its mapping (ranges, endpoints, findings), for files with any. */
export function indexSnapshot(index: WorkspaceIndex): Map<string, FileMapping> {
  const out = new Map<string, FileMapping>();
  for (const file of index.mappedFiles()) {
    const mapping = index.fileMapping(file);
    if (mapping && (mapping.categories.length > 0 || mapping.endpoints.length > 0 || mapping.findings.length > 0)) out.set(file, mapping);
  }
  return out;
}

export interface SnapshotComparison {
  /** One line per file whose mapping differs (the reference is the full read). */
  differences: string[];
  /**
   * Files that map nothing either way and differ only by `parse_error` findings of the full read:
   * tree-sitter-ruby refusing valid Ruby (a method chain on a block's `end`, `end.and_return('a' => 1)`)
   * inside bodies the skeleton leaves out. The reference's error, not a dropped declaration.
   */
  referenceParseErrors: string[];
}

function onlyReferenceParseErrors(e: FileMapping, g: FileMapping | undefined): boolean {
  if (e.categories.length > 0 || e.endpoints.length > 0) return false;
  if (g !== undefined && (g.categories.length > 0 || g.endpoints.length > 0)) return false;
  const kept = g?.findings ?? [];
  const extra = e.findings.filter((f) => !kept.some((k) => JSON.stringify(k) === JSON.stringify(f)));
  return extra.length > 0 && extra.length === e.findings.length - kept.length && extra.every((f) => f.code === 'parse_error');
}

/** Compares the pre-filtered index's snapshot (`got`) with the full read's (`expected`). */
export function compareSnapshots(expected: Map<string, FileMapping>, got: Map<string, FileMapping>): SnapshotComparison {
  const differences: string[] = [];
  const referenceParseErrors: string[] = [];
  for (const file of [...new Set([...expected.keys(), ...got.keys()])].sort()) {
    const e = expected.get(file);
    const g = got.get(file);
    if (e === undefined) {
      differences.push(`${file}: mapped only by the pre-filtered index: ${JSON.stringify(g).slice(0, 300)}`);
      continue;
    }
    const d = g === undefined ? 'dropped by the pre-filtered index' : firstValueDifference(e, g);
    if (d === undefined) continue;
    const first = e.findings.find((f) => !(g?.findings ?? []).some((k) => JSON.stringify(k) === JSON.stringify(f)));
    if (onlyReferenceParseErrors(e, g)) {
      referenceParseErrors.push(`${file}:${first?.line}: ${first?.message}`);
      continue;
    }
    differences.push(
      g === undefined
        ? `${file}: ${d} (the full read maps ${e.endpoints.length} endpoints, ${e.categories.length} ranges, ${e.findings.length} findings${first ? `; ${first.code} at line ${first.line}: ${first.message}` : ''})`
        : `${file}: ${d}`,
    );
  }
  return { differences, referenceParseErrors };
}

/** A generated tree as one text (`=== path` lines before each file), so the shrinker can drop lines of any file. */
export function treeToText(files: ReadonlyMap<string, string>): string {
  return [...files].map(([path, text]) => `=== ${path}\n${text}`).join('\n');
}

/** treeToText's inverse; text before the first `=== path` line is dropped. */
export function treeFromText(text: string): Map<string, string> {
  const files = new Map<string, string>();
  let path: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (path !== undefined) files.set(path, files.has(path) ? `${files.get(path)}\n${lines.join('\n')}` : lines.join('\n'));
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('=== ')) {
      flush();
      path = line.slice(4);
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return files;
}

export function writeTree(root: string, files: ReadonlyMap<string, string>): void {
  for (const [path, text] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
