/**
 * What `map`, `endpoints` and `lint` share: their common flags (`--root`, `--catalog`, `--json`,
 * path filters), opening and indexing the workspace, and the aligned-text formatting.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import {
  attributionRank,
  findGitLabCheckout,
  findWorkspaceRoot,
  ignoredFieldsNote,
  InputError,
  MissingCatalogError,
  openWorkspace,
  toWorkspacePath,
} from '../sdk';
import type {
  AttributionSource,
  CategoryRange,
  Endpoint,
  FileMapping,
  Finding,
  GitLabCatalog,
  OpenedWorkspace,
} from '../sdk';
import type { CliIo } from './io';
import { UsageError } from './io';

export const COMMON_OPTIONS = {
  root: { type: 'string' },
  catalog: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export interface CommonFlags {
  root?: string;
  catalog?: string;
  json: boolean;
  help: boolean;
}

/** parseArgs with bad flags turned into UsageError (exit 2). */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  allowPositionals: boolean,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

export interface IndexedWorkspace extends OpenedWorkspace {
  /** Workspace-relative path prefixes to show; empty means everything. */
  filters: string[];
}

/**
 * The root is `--root`, else the nearest `.budgetlens.yml` above the first path (or the cwd),
 * else the GitLab checkout holding it (a config/feature_categories.yml above it), else the first
 * path when it is a directory (its folder when it is a file), else the cwd.
 */
function chooseRoot(io: CliIo, flags: CommonFlags, paths: string[]): string {
  if (flags.root !== undefined) {
    const root = resolve(io.cwd, flags.root);
    if (!existsSync(root)) throw new UsageError(`--root: no such directory: ${flags.root}`);
    return root;
  }
  const first = paths[0] !== undefined ? resolve(io.cwd, paths[0]) : io.cwd;
  const configured = findWorkspaceRoot(first) ?? findGitLabCheckout(first);
  if (configured !== undefined) return configured;
  if (paths[0] === undefined) return io.cwd;
  return statSync(first).isDirectory() ? first : dirname(first);
}

export async function loadIndexedWorkspace(io: CliIo, flags: CommonFlags, paths: string[] = []): Promise<IndexedWorkspace> {
  for (const p of paths) if (!existsSync(resolve(io.cwd, p))) throw new UsageError(`no such file or directory: ${p}`);
  const root = chooseRoot(io, flags, paths);
  const filters = paths.map((p) => {
    const rel = toWorkspacePath(root, resolve(io.cwd, p));
    if (rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`${p} is outside the workspace root ${root}`);
    return rel;
  });
  let opened: OpenedWorkspace;
  try {
    opened = await openWorkspace({ root, catalogDir: flags.catalog !== undefined ? resolve(io.cwd, flags.catalog) : undefined, catalogDirSource: '--catalog' });
  } catch (e) {
    if (e instanceof MissingCatalogError) throw new UsageError(e.message);
    throw e;
  }
  await opened.index.build();
  const note = ignoredFieldsNote(opened.catalog.stagesFile, opened.catalog.ignoredFields);
  if (note !== undefined) io.stderr.write(`note: ${note}\n`);
  return { ...opened, filters: filters.filter((f) => f !== '') };
}

/** `catalog: GitLab catalog snapshot 2025-04-04 (runbooks 8df1fb73), bundled`: which catalog map, endpoints and lint used. */
export function catalogLine(ws: OpenedWorkspace): string {
  return `catalog: ${ws.catalogOrigin.label}`;
}

export function isInFilters(file: string, filters: readonly string[]): boolean {
  return filters.length === 0 || filters.some((f) => file === f || file.startsWith(`${f}/`));
}

/** Left-aligned columns separated by two spaces; trailing spaces trimmed. */
export function alignColumns(rows: readonly string[][], indent = ''): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => (indent + row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).trimEnd());
}

/** `1 file`, `2 files`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function formatThreshold(seconds: number): string {
  return `${seconds}s`;
}

export interface CategoryRow {
  category: string;
  group: string;
  stage: string;
  attribution: AttributionSource;
}

/** A file's distinct categories in order of first appearance; `unknown` when it has none. */
export function fileCategories(mapping: FileMapping, catalog: GitLabCatalog): CategoryRow[] {
  const seen = new Map<string, { line: number; attribution: AttributionSource }>();
  const note = (category: string, line: number, attribution: AttributionSource): void => {
    const prev = seen.get(category);
    if (!prev || line < prev.line) seen.set(category, { line, attribution });
  };
  // A range wholly covered by a stronger one (a path rule under a file annotation) never applies.
  const shadowed = (r: CategoryRange): boolean =>
    mapping.categories.some((o) => attributionRank(o.attribution) > attributionRank(r.attribution) && o.startLine <= r.startLine && o.endLine >= r.endLine);
  for (const r of mapping.categories) if (!shadowed(r)) note(r.category, r.startLine, r.attribution);
  for (const ep of mapping.endpoints) note(ep.category, ep.line, ep.attribution);
  if (seen.size === 0) seen.set('unknown', { line: 0, attribution: 'unknown' });
  return [...seen.entries()]
    .sort((a, b) => a[1].line - b[1].line || (a[0] < b[0] ? -1 : 1))
    .map(([category, { attribution }]) => {
      const group = catalog.groupOf(category);
      return { category, group: group.key, stage: group.stage, attribution };
    });
}

export interface EndpointRow extends Endpoint {
  group: string;
  stage: string;
}

export function endpointRow(ep: Endpoint, catalog: GitLabCatalog): EndpointRow {
  const group = catalog.groupOf(ep.category);
  return { ...ep, group: group.key, stage: group.stage };
}

/** `file:line:col: severity: message [code]`, with the closest known name when there is one. */
export function formatFinding(f: Finding): string {
  const hint = f.suggestion !== undefined && !f.message.includes(f.suggestion) ? ` (did you mean "${f.suggestion}"?)` : '';
  return `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message}${hint} [${f.code}]`;
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeLines(io: CliIo, lines: readonly string[]): void {
  if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
}

/** InputError from config/catalog loading: `file:line:col: message` on stderr, exit 1. */
export function reportInputError(io: CliIo, command: string, e: unknown): number {
  if (e instanceof InputError) {
    io.stderr.write(`budget-lens ${command}: ${e.message}\n`);
    return 1;
  }
  throw e;
}
