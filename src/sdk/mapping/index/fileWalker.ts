/**
 * Finds the files the workspace index reads: source files that can declare or annotate a feature
 * category, plus GitLab's `graphql_known_operations.yml` and every `.graphql` document. Honours `.gitignore` (nested ones too,
 * each relative to its own directory), `mapping.exclude` globs, and always skips `node_modules`,
 * `vendor` and `.git`.
 *
 * Directory symlinks are never followed, so a symlink loop cannot make the walk run forever;
 * file symlinks are followed once (a dangling or looping one is reported, not fatal). Anything
 * that is not a regular file (FIFO, socket, device) is reported and skipped: opening a FIFO would
 * block the whole index.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { CONFIG_FILE_NAME } from '../../config/types';
import { compileGlobList } from '../pathRules';
import { viewTemplate } from '../ruby/railsRoutes';
import type { Finding } from '../types';
import { errorCode, skippedFinding } from './skipFindings';

export { errorCode, skippedFinding } from './skipFindings';

/** Extensions of files that may carry a category (Ruby declarations or comment annotations). */
export const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.rb', '.rake', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.py', '.go', '.java', '.kt', '.rs',
]);

/** Directories never indexed, whatever .gitignore says. */
export const ALWAYS_SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', 'vendor', '.git']);

export const GRAPHQL_OPERATIONS_BASENAME = 'graphql_known_operations.yml';

export interface WalkOptions {
  /** Globs relative to the root (`mapping.exclude`), CODEOWNERS semantics like path rules. */
  exclude?: readonly string[];
  /** Workspace-relative path of the GraphQL operations file, if configured. */
  graphqlOperations?: string;
  signal?: AbortSignal;
  /** Called with each directory's files as soon as they are found (the scan starts on them). */
  onFiles?: (files: WalkedFile[]) => void;
}

/** `graphql`: the generated graphql_known_operations.yml; `graphql_document`: a `.graphql` file. */
export type WalkedFileKind = 'source' | 'graphql' | 'graphql_document';

export interface WalkedFile {
  /** Workspace-relative, '/' separators. */
  file: string;
  kind: WalkedFileKind;
}

export interface WalkResult {
  files: WalkedFile[];
  /** Skipped entries (symlinked directories, FIFOs, dangling symlinks). */
  findings: Finding[];
  /** Directories read. */
  directories: number;
  /**
   * Rails view templates (`app/views/<controller>/<action>.*`, not partials), listed, never read:
   * an action with a template and a route but no method is still an action.
   */
  views: string[];
  /**
   * Sub-directories with a `.budgetlens.yml` of their own, workspace-relative: separate projects
   * (their own catalog, rules and index), so this walk does not go into them.
   */
  nestedRoots: string[];
}


interface IgnoreScope {
  /** Workspace-relative directory the rules belong to ('' for the root). */
  dir: string;
  rules: Ignore;
  /** ignoreLiterals(): a path it does not match is one no rule matches (undefined: ask `rules`). */
  literals: RegExp | undefined;
}

/** Never matches: a .gitignore without rules. */
const NO_LITERAL = /(?!)/;

/**
 * One literal per rule of a .gitignore, as a case-insensitive regex (the `ignore` package ignores
 * case by default), such that every path a rule matches contains that rule's literal: the longest
 * run between its wildcards, slashes at its ends trimmed (a rule matching a directory matches a
 * prefix of every path below it, so the literal is in those paths too). Undefined when a rule has
 * no such run (`*`), or uses what this does not read (escapes, brackets, leading spaces): then
 * every path is asked of the rules. Why: a root .gitignore of ~140 rules is ~140 regexes per path,
 * ~800 ms of a GitLab checkout's cold build (95,000 paths), and the package caches every path it
 * is asked about; one regex of literals rules out nearly all of them at once.
 */
export function ignoreLiterals(text: string): RegExp | undefined {
  const literals: string[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trimEnd();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('!')) line = line.slice(1);
    if (/^\s|[[\]\\]/.test(line)) return undefined;
    let best = '';
    for (const part of line.split(/[*?]/)) {
      const literal = part.replace(/^\/+|\/+$/g, '');
      if (literal.length > best.length) best = literal;
    }
    if (best === '') return undefined;
    literals.push(best.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&'));
  }
  return literals.length === 0 ? NO_LITERAL : new RegExp(literals.join('|'), 'i');
}

function ignoreScope(dir: string, text: string): IgnoreScope {
  return { dir, rules: ignore().add(text), literals: ignoreLiterals(text) };
}

/** Classifies a workspace-relative path, or undefined when the index does not read it. */
export function classifyPath(file: string, graphqlOperations?: string): WalkedFileKind | undefined {
  // Index arithmetic instead of slicing out the base name: the walk classifies every file it
  // sees (25,000 on the benchmark tree, ~11 ms and 2 MB of short strings while the code is cold).
  const slash = file.lastIndexOf('/');
  const isGraphqlBase = file.length - slash - 1 === GRAPHQL_OPERATIONS_BASENAME.length && file.endsWith(GRAPHQL_OPERATIONS_BASENAME);
  if (graphqlOperations ? file === graphqlOperations : isGraphqlBase) return 'graphql';
  const dot = file.lastIndexOf('.');
  // The extension's dot must be in the base name and not its first character ('.rb' is a hidden file).
  if (dot <= slash + 1) return undefined;
  if (file.endsWith('.rb')) return 'source'; // most files of a Ruby monolith
  // Always read, like the operations file: an operation without any annotation is still an endpoint.
  if (file.endsWith('.graphql')) return 'graphql_document';
  return SOURCE_EXTENSIONS.has(file.slice(dot)) ? 'source' : undefined;
}

function isIgnored(scopes: readonly IgnoreScope[], rel: string, isDir: boolean): boolean {
  for (const scope of scopes) {
    const local = scope.dir === '' ? rel : rel.slice(scope.dir.length + 1);
    const path = isDir ? `${local}/` : local;
    if (scope.literals !== undefined && !scope.literals.test(path)) continue;
    if (scope.rules.ignores(path)) return true;
  }
  return false;
}

async function readGitignore(absDir: string, dir: string): Promise<IgnoreScope | undefined> {
  try {
    return ignoreScope(dir, await readFile(join(absDir, '.gitignore'), 'utf8'));
  } catch {
    return undefined; // no .gitignore here (or unreadable: then nothing is ignored by it)
  }
}

function readGitignoreSync(absDir: string, dir: string): IgnoreScope | undefined {
  try {
    return ignoreScope(dir, readFileSync(join(absDir, '.gitignore'), 'utf8'));
  } catch {
    return undefined; // unreadable: then nothing is ignored by it
  }
}

/**
 * Whether one workspace-relative file is ignored by the .gitignore files on its path (or lies in
 * an always-skipped or ignored directory). For single-file updates from a watcher, so that build
 * output written under an ignored directory never enters the index.
 */
export async function isGitIgnored(root: string, file: string): Promise<boolean> {
  const segments = file.split('/');
  const scopes: IgnoreScope[] = [];
  for (let depth = 0; depth < segments.length; depth++) {
    const dir = segments.slice(0, depth).join('/');
    const scope = await readGitignore(dir === '' ? root : join(root, dir), dir);
    if (scope) scopes.push(scope);
    const rel = segments.slice(0, depth + 1).join('/');
    const isDir = depth < segments.length - 1;
    if (isDir && ALWAYS_SKIPPED_DIRS.has(segments[depth] as string)) return true;
    if (isIgnored(scopes, rel, isDir)) return true;
  }
  return false;
}

/** A sync walk yields to the event loop after this much work, as async directory reads did. */
const WALK_SLICE_MS = 4;

/**
 * Walks `root` breadth-first, returning files sorted by path so every run indexes in the same
 * order. Directories are read synchronously, a few milliseconds' worth between event-loop turns:
 * 16 async reads in flight cost 66-78 ms of CPU and ~50 ms wall on the benchmark's 904
 * directories against 50 and 35 ms read in turn (the promise and thread-pool round trip per
 * directory is most of the work), and the cold build's scan starts when the walk ends.
 */
export async function walkWorkspace(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const excluded = options.exclude?.length ? compileGlobList(options.exclude) : undefined;
  const files: WalkedFile[] = [];
  const findings: Finding[] = [];
  const nestedRoots: string[] = [];
  const views: string[] = [];
  let directories = 0;

  /** Reads one directory; queues its sub-directories with the ignore scopes they inherit. */
  const visit = (dir: string, inherited: readonly IgnoreScope[], queue: QueuedDir[]): void => {
    const abs = dir === '' ? root : join(root, dir);
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (e) {
      findings.push(skippedFinding(dir || '.', `directory skipped: cannot read (${errorCode(e)})`, 'warning'));
      return;
    }
    directories++;
    if (dir !== '' && entries.some((d) => d.name === CONFIG_FILE_NAME && !d.isDirectory())) {
      // A nested project (its own .budgetlens.yml): indexed as its own root, never twice.
      nestedRoots.push(dir);
      return;
    }
    const own = entries.some((d) => d.name === '.gitignore') ? readGitignoreSync(abs, dir) : undefined;
    const scopes = own ? [...inherited, own] : inherited;
    const local: WalkedFile[] = [];
    for (const entry of entries) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name)) continue;
        if (isIgnored(scopes, rel, true) || (excluded && (excluded(rel) || excluded(`${rel}/`)))) continue;
        queue.push({ dir: rel, scopes });
        continue;
      }
      const kind = classifyPath(rel, options.graphqlOperations);
      if (!kind && !entry.isSymbolicLink()) {
        if (entry.isFile() && viewTemplate(rel) !== undefined && !isIgnored(scopes, rel, false) && !excluded?.(rel)) views.push(rel);
        continue;
      }
      if (isIgnored(scopes, rel, false) || excluded?.(rel)) continue;
      if (entry.isSymbolicLink()) {
        // Symlinks are rare: stat each one so a linked directory is reported, never followed.
        const target = statOrError(join(root, rel));
        if (!kind) {
          if (!(target instanceof Error) && target.isDirectory()) findings.push(skippedFinding(rel, 'directory symlink not followed'));
        } else if (target instanceof Error) {
          findings.push(skippedFinding(rel, `file skipped: unreadable symlink (${errorCode(target)})`, 'warning'));
        } else if (target.isDirectory()) {
          findings.push(skippedFinding(rel, 'directory symlink not followed'));
        } else if (target.isFile()) {
          local.push({ file: rel, kind });
        } else {
          findings.push(skippedFinding(rel, 'file skipped: not a regular file'));
        }
        continue;
      }
      if (!kind) continue;
      if (!entry.isFile()) {
        findings.push(skippedFinding(rel, 'file skipped: not a regular file (FIFO, socket or device)'));
        continue;
      }
      local.push({ file: rel, kind });
    }
    for (const f of local) files.push(f);
    if (local.length > 0) options.onFiles?.(local);
  };

  const queue: QueuedDir[] = [{ dir: '', scopes: [] }];
  let sliceStart = performance.now();
  for (let next = 0; next < queue.length; next++) {
    options.signal?.throwIfAborted();
    const { dir, scopes } = queue[next] as QueuedDir;
    visit(dir, scopes, queue);
    if (performance.now() - sliceStart >= WALK_SLICE_MS) {
      await new Promise((r) => setImmediate(r)); // the extension host, and the scan workers' messages
      sliceStart = performance.now();
    }
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, findings, directories, nestedRoots: nestedRoots.sort(), views: views.sort() };
}

interface QueuedDir {
  dir: string;
  scopes: readonly IgnoreScope[];
}

function statOrError(path: string): Stats | Error {
  try {
    return statSync(path);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
