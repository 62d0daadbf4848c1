/**
 * The workspace index: every file's feature categories and endpoints, kept current as files
 * change. The editor wraps it (CodeLens, hover, "jump to offender"); the CLI's `map`,
 * `endpoints` and `lint` read it once. No vscode import: it runs in plain Node.
 *
 * Cold build: walk (fileWalker), feeding each directory's files to be read on this thread as it
 * goes, their Ruby facts extracted on worker threads (scanPool) -> resolve on this thread, where
 * the class registry lives (inheritance and EE prepends cross files). Incremental
 * update: one file is re-read and re-parsed, then it and the files that depend on the classes it
 * defines (transitively) are re-resolved; nothing else is touched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initRubyParser, parseGraphqlOperations, resolveRubyFile } from '../ruby/index';
import { ROUTES_DEPENDENCY, viewsDependency } from '../ruby/factsExtractor';
import { viewTemplate } from '../ruby/railsRoutes';
import { parseGraphqlDocument } from '../graphqlDocuments';
import type { RubyResolveContext } from '../ruby/index';
import type { CategoryRange, Endpoint, FileMapping, Finding, LineObjectives, ObjectiveRange } from '../types';
import { objectiveSegments, objectivesAtLine } from '../objectiveAttachment';
import type { ObjectiveAttachments, ObjectiveSegment } from '../objectiveAttachment';
import { isGitIgnored } from './fileWalker';
import type { WalkedFileKind } from './fileWalker';
import { countLinesBytes, scanFile, scanText } from './fileScanner';
import type { ScannedFile } from './fileScanner';
import { pathKinds, scanTree, scanTreeInThread } from './treeScan';
import type { PathKinds, TreeScanOptions } from './treeScan';
import { IndexState } from './indexState';
import type { FileRecord } from './indexState';
import { categoryAtLine, mergeFileMapping } from './mappingMerge';
import type { AnnotationScanner, PathCategoryLookup } from './mappingMerge';

export type { AnnotationScan, AnnotationScanner, PathCategoryLookup } from './mappingMerge';
export { categoryAtLine, primaryCategory } from './mappingMerge';
export { defaultWorkers } from './treeScan';

export interface WorkspaceIndexOptions {
  /** Absolute path of the workspace root; every file path the index reports is relative to it. */
  root: string;
  /** Known feature categories (catalog.knownCategories): anything else is an `unknown_category` finding. */
  knownCategories: ReadonlySet<string>;
  /** Grape mount prefix (`mapping.grapeMountPrefix`), default '/api/:version'. */
  grapeMountPrefix?: string;
  /** `mapping.exclude` globs, relative to the root (CODEOWNERS semantics, as path rules). */
  exclude?: readonly string[];
  /** `mapping.pathRules`, compiled (last match wins): file -> category. */
  pathRules?: PathCategoryLookup;
  /** Comment annotations scanner (`# @feature_category x`). */
  annotations?: AnnotationScanner;
  /** The project's objectives, their path rules and categories (objectivesAt); `@slo` ranges come from the annotations. */
  objectives?: ObjectiveAttachments;
  /** Workspace-relative path of graphql_known_operations.yml; default: any file with that name. */
  graphqlOperations?: string;
  /** Threads scanning during the cold build, this one included; default defaultWorkers(cores). 1: this thread only. */
  workers?: number;
  /** The worker entry; default dist/indexWorker.js next to the bundle, or the .ts source under tsx. */
  workerScript?: string;
  maxFileBytes?: number;
  /**
   * A ripgrep binary for the cold build's pre-filter (index/ripgrepPrefilter.ts): the files it
   * finds no marker in are never opened here. Without one every file is read here.
   */
  ripgrep?: string;
  /**
   * Internal, for checks (test/unit/mapping/index/prefilterProperty.test.ts, `npm run
   * check:prefilter`): no pre-filter of any kind (ripgrep, the byte markers) and no skeleton:
   * every Ruby source file is read and its whole text parsed by tree-sitter. Slow; the index it
   * builds is the reference the default one must equal.
   */
  fullRead?: boolean;
  /**
   * Runs the cold build's walk and scan (reading, skeletons, parsing) in a worker thread of its
   * own that ends with the scan (treeScan.ts, scanTreeInThread): its heap, the texts and trees and
   * their garbage, is freed then, and this thread only turns the answer into the index. For a
   * long-lived process shared with other work (the editor's extension host); a short one (the
   * CLI) gains nothing from it. Same index either way.
   */
  isolatedScan?: boolean;
}

export interface IndexChangeEvent {
  /** Workspace-relative files whose mapping may have changed. */
  files: string[];
}

export interface BuildStats {
  files: number;
  /** Files handed to the Ruby parser (the rest failed the cheap pre-filter). */
  parsed: number;
  skipped: number;
  /** Bytes this process read (files ripgrep ruled out are not read). */
  bytes: number;
  /** The ripgrep pre-filter: files it ruled out, or why it was not used (absent: not configured). */
  prefilter?: { ripgrep: string; ruledOut: number; error?: string };
  classes: number;
  endpoints: number;
  ms: number;
  /**
   * Where the time went: directory walk (the files it has found are already being read and
   * parsed), the rest of read + parse after the walk, cross-file resolution.
   */
  phases: { walkMs: number; scanMs: number; resolveMs: number };
}

export interface UpdateStats {
  /** Files re-read and re-parsed (the changed file only). */
  parsed: string[];
  /** Files re-resolved: the changed file and its dependents. */
  resolved: string[];
  ms: number;
}

export type IndexListener = (event: IndexChangeEvent) => void;

/**
 * Files resolved between event-loop turns in a cold build: ~40 us each while the code is cold
 * (5,009 Ruby files in ~200 ms on the benchmark tree), so ~20 ms a slice, as the 2,000 files of
 * every kind (~400 Ruby ones) between turns were before plain files were skipped.
 */
const RESOLVE_SLICE = 500;

export class WorkspaceIndex {
  private state = new IndexState();
  /** View templates the index knows of (the walk's list, then watcher updates). */
  private views = new Set<string>();
  /** Sub-directories with their own .budgetlens.yml, found by the last walk (walkWorkspace). */
  private nested: readonly string[] = [];
  /**
   * Files changed while a build was reading the tree (file -> editor text, or undefined for
   * "read from disk"): the build may have read them before the change, so they are re-applied
   * once it swaps its state in.
   */
  private changedDuringBuild: Map<string, string | undefined> | undefined;
  private readonly listeners = new Set<IndexListener>();
  private readonly paths: PathKinds;
  private readonly ctx: RubyResolveContext;
  /** Total resolveRubyFile calls since creation (tests check incremental work with it). */
  resolveCalls = 0;
  lastBuild: BuildStats | undefined;
  lastUpdate: UpdateStats | undefined;

  constructor(readonly options: WorkspaceIndexOptions) {
    this.paths = pathKinds(options);
    this.ctx = {
      lookupClass: (name) => this.state.lookupClass(name),
      mountersOf: (name) => this.state.mountersOf(name),
      railsRoutes: () => this.state.railsRoutes(),
      templatesOf: (path) => this.state.templatesOf(path),
      knownCategories: options.knownCategories,
      grapeMountPrefix: options.grapeMountPrefix ?? '/api/:version',
    };
  }

  /** Listens for mapping changes; returns the disposer (which does not keep the index alive). */
  onDidChange(listener: IndexListener): () => void {
    const listeners = this.listeners;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /**
   * Indexes the whole workspace. On cancellation (AbortSignal) it rejects with an AbortError and
   * the previous index stays in place untouched. `onProgress` is called as files are scanned.
   */
  async build(signal?: AbortSignal, onProgress?: (scanned: number, total: number) => void): Promise<BuildStats> {
    const changed = new Map<string, string | undefined>();
    this.changedDuringBuild = changed;
    try {
      const stats = await this.buildOnce(signal, onProgress);
      this.changedDuringBuild = undefined;
      for (const [file, text] of changed) await this.updateFile(file, text);
      return stats;
    } finally {
      if (this.changedDuringBuild === changed) this.changedDuringBuild = undefined;
    }
  }

  private async buildOnce(signal: AbortSignal | undefined, onProgress: ((scanned: number, total: number) => void) | undefined): Promise<BuildStats> {
    const started = performance.now();
    const { fullRead } = this.options;
    const ripgrep = fullRead ? undefined : this.options.ripgrep;
    const scanOptions: TreeScanOptions = {
      root: this.options.root,
      exclude: this.options.exclude,
      graphqlOperations: this.options.graphqlOperations,
      workers: this.options.workers,
      workerScript: this.options.workerScript,
      maxFileBytes: this.options.maxFileBytes,
      ripgrep,
      fullRead,
      nested: this.nested,
    };
    const { walk, scans, prefilter: listed, walkMs } = this.options.isolatedScan
      ? await scanTreeInThread(scanOptions, signal, onProgress)
      : await scanTree(scanOptions, signal, onProgress);
    const byFile = new Map<string, ScannedFile>();
    for (const scan of scans) byFile.set(scan.file, scan);
    signal?.throwIfAborted();
    const walked = started + walkMs;
    const scanned = performance.now();

    const next = new IndexState();
    next.walkFindings = walk.findings;
    for (const view of walk.views) next.setView(view, true);
    this.nested = walk.nestedRoots;
    let parsed = 0;
    let skipped = 0;
    let bytes = 0;
    let unread = 0;
    // Only files with something to map are resolved: in a fresh state a plain file's mapping is
    // already "none" (resolving it was a no-op setMapping, 20,000 times on the benchmark tree).
    const toResolve: string[] = [];
    // In walk order (sorted by path), whatever order the directories were read and scanned in.
    for (const { file } of walk.files) {
      const scan = byFile.get(file);
      // Not scanned: ripgrep found no marker in it, so it maps to nothing but a path rule.
      const record = scan ? this.toRecord(scan) : { file, scanFindings: [] };
      if (scan) {
        if (scan.ruby) parsed++;
        if (scan.skipped) skipped++;
        bytes += scan.bytes;
      } else {
        unread++;
      }
      next.putRecord(record);
      if (!this.isPlain(record)) toResolve.push(record.file);
    }
    // The resolve context reads the state being built; swap only once it is complete.
    const previous = this.state;
    const previousViews = this.views;
    this.state = next;
    this.views = new Set(walk.views);
    try {
      for (let i = 0; i < toResolve.length; i++) {
        if (i > 0 && i % RESOLVE_SLICE === 0) {
          await new Promise((r) => setImmediate(r)); // stay responsive inside the extension host
          signal?.throwIfAborted();
        }
        this.resolve(toResolve[i] as string);
      }
    } catch (e) {
      this.state = previous;
      this.views = previousViews;
      throw e;
    }
    const done = performance.now();
    this.lastBuild = {
      files: walk.files.length,
      parsed,
      skipped: skipped + walk.findings.length,
      bytes,
      ...(ripgrep && listed ? { prefilter: { ripgrep, ruledOut: unread, ...(listed.error ? { error: listed.error } : {}) } } : {}),
      classes: next.classCount(),
      endpoints: next.endpointCount(),
      ms: done - started,
      phases: { walkMs: walked - started, scanMs: scanned - walked, resolveMs: done - scanned },
    };
    if (this.listeners.size > 0) this.emit([...next.records.keys()]);
    return this.lastBuild;
  }

  /**
   * Re-indexes one file after a change: from `text` (an unsaved editor buffer) or from disk.
   * A file that is gone is removed. Files the index never reads (other extensions, excluded
   * globs, .gitignore'd paths) are ignored.
   */
  async updateFile(file: string, text?: string): Promise<UpdateStats> {
    const started = performance.now();
    this.changedDuringBuild?.set(file, text);
    if (viewTemplate(file) !== undefined) {
      const present = text !== undefined || existsSync(join(this.options.root, file));
      // A new template passes the walk's checks first: skipped dirs, nested projects, exclude, .gitignore.
      const outside = this.outside(file) || (present && !this.views.has(file) && (await isGitIgnored(this.options.root, file)));
      return this.updateView(file, present && !outside, started);
    }
    const kind = this.kindOf(file);
    // A file the index already holds passed the walk's .gitignore check; a new one is checked now.
    const ignored = kind !== undefined && !this.state.records.has(file) && (await isGitIgnored(this.options.root, file));
    if (!kind || ignored) return (this.lastUpdate = { parsed: [], resolved: [], ms: performance.now() - started });
    await initRubyParser();
    const scan: ScannedFile =
      text !== undefined
        ? scanText(file, kind, text, undefined, this.options.fullRead)
        : scanFile(join(this.options.root, file), file, kind, this.options.maxFileBytes, this.options.fullRead);
    if (text === undefined && scan.skipped && scan.findings.some((f) => /ENOENT/.test(f.message))) {
      return this.removeFile(file);
    }
    return this.applyRecord(file, this.toRecord(scan), started, scan.ruby ? [file] : []);
  }

  /**
   * The mapping of one file read on its own, without touching the index: what the editor shows
   * for a file opened while the cold build is still reading the tree (lenses within a second
   * instead of after the build). Classes of other files are looked up in the index as it is now
   * (empty during a first build), so a file that inherits its category shows only what it
   * declares itself until the build ends and the real mapping replaces this one. Undefined for a
   * file the index does not read (its extension, an excluded glob, a nested project).
   */
  async previewFile(file: string, text?: string): Promise<FileMapping | undefined> {
    const kind = viewTemplate(file) === undefined ? this.kindOf(file) : undefined;
    if (!kind) return undefined;
    await initRubyParser();
    const scan: ScannedFile =
      text !== undefined ? scanText(file, kind, text) : scanFile(join(this.options.root, file), file, kind, this.options.maxFileBytes);
    const record = this.toRecord(scan);
    return this.mappingOf(record);
  }

  /**
   * A view template appeared or went (its content never matters): the files of its controller
   * are re-resolved, since a template with a route is an action even without a method.
   */
  private updateView(file: string, present: boolean, started: number): UpdateStats {
    const known = this.views.has(file);
    if (known === present) return (this.lastUpdate = { parsed: [], resolved: [], ms: performance.now() - started });
    if (present) this.views.add(file);
    else this.views.delete(file);
    const dir = this.state.setView(file, present) as string;
    const resolved = [...this.state.dependentsOf([viewsDependency(dir)])].filter((f) => this.state.records.has(f)).sort();
    for (const f of resolved) this.resolve(f);
    this.lastUpdate = { parsed: [], resolved, ms: performance.now() - started };
    this.emit(resolved);
    return this.lastUpdate;
  }

  /** Forgets a deleted file and re-resolves what depended on its classes. */
  removeFile(file: string): UpdateStats {
    if (viewTemplate(file) !== undefined) return this.updateView(file, false, performance.now());
    this.changedDuringBuild?.set(file, undefined);
    return this.applyRecord(file, undefined, performance.now(), []);
  }

  private applyRecord(file: string, record: FileRecord | undefined, started: number, parsed: string[]): UpdateStats {
    const old = this.state.records.get(file);
    const names = new Set([...IndexState.definedNames(old), ...IndexState.definedNames(record)]);
    // A routes file changed: every controller may have gained or lost actions.
    if (old?.ruby?.railsRoutes || record?.ruby?.railsRoutes) names.add(ROUTES_DEPENDENCY);
    // What this file mounted or included before and after: those routes run where it runs.
    const mounted = this.state.mountedFilesOf([...(old?.ruby?.classes ?? []), ...(record?.ruby?.classes ?? [])]);
    if (record) this.state.putRecord(record);
    else this.state.dropRecord(file);
    const affected = this.state.dependentsOf(names);
    for (const f of mounted) affected.add(f);
    if (record) affected.add(file);
    const resolved = [...affected].filter((f) => this.state.records.has(f)).sort();
    for (const f of resolved) this.resolve(f);
    const changed = record ? resolved : [...resolved, file].sort();
    this.lastUpdate = { parsed, resolved, ms: performance.now() - started };
    this.emit(changed);
    return this.lastUpdate;
  }

  // ---- lookups -------------------------------------------------------------------------------

  /** The merged mapping of one file; an indexed file with nothing in it maps to no ranges. */
  fileMapping(file: string): FileMapping | undefined {
    const mapping = this.state.mappings.get(file);
    if (mapping) return mapping;
    return this.state.records.has(file) ? { file, categories: [], endpoints: [], findings: [] } : undefined;
  }

  /** Reverse lookup for "jump to offender": endpoint id -> its definition. */
  endpoint(id: string): Endpoint | undefined {
    return this.state.endpoint(id);
  }

  /** The innermost, highest-precedence range at a 1-based line (hover, CodeLens). */
  categoryAt(file: string, line: number): CategoryRange | undefined {
    const mapping = this.state.mappings.get(file);
    return mapping ? categoryAtLine(mapping.categories, line) : undefined;
  }

  /**
   * The objectives that apply at a 1-based line, and why: the innermost `@slo` range around it,
   * else the file's `objectives.pathRules` rule, else the objectives of the line's category and
   * its group (objectiveAttachment.ts). Undefined when none apply or the file is not indexed.
   */
  objectivesAt(file: string, line: number): LineObjectives | undefined {
    if (!this.state.records.has(file)) return undefined;
    const mapping = this.state.mappings.get(file);
    return objectivesAtLine({ file, line, mapping, attachments: this.options.objectives, category: mapping && categoryAtLine(mapping.categories, line)?.category });
  }

  /** The file cut into line ranges with the same objectivesAt answer (`budget-lens map`); lines without objectives left out. */
  objectiveSegments(file: string): ObjectiveSegment[] {
    const record = this.state.records.get(file);
    if (!record) return [];
    const mapping = this.state.mappings.get(file);
    if (!mapping?.objectives && !this.options.objectives) return [];
    const lineCount = record.lineCount ?? countLinesBytes(readFileSafe(join(this.options.root, file)));
    const categoryAt = (line: number): string | undefined => (mapping ? categoryAtLine(mapping.categories, line)?.category : undefined);
    return objectiveSegments({ file, mapping, attachments: this.options.objectives, lineCount, categoryAt });
  }

  /** Every `@slo` range of the workspace with its file, sorted by file then line. */
  objectiveAnnotations(): Array<ObjectiveRange & { file: string }> {
    const out: Array<ObjectiveRange & { file: string }> = [];
    for (const [file, m] of this.state.mappings) for (const r of m.objectives ?? []) out.push({ ...r, file });
    return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.startLine - b.startLine);
  }

  /** Endpoints and files attributed to one category. */
  byCategory(category: string): { endpoints: Endpoint[]; files: string[] } {
    return { endpoints: this.endpoints().filter((e) => e.category === category), files: this.state.filesOfCategory(category) };
  }

  /** Every endpoint, sorted by file then line. */
  endpoints(): Endpoint[] {
    return this.state.allEndpoints();
  }

  /** Categories that appear anywhere in the workspace. */
  categories(): string[] {
    return this.state.categories();
  }

  /** Sub-directories that are projects of their own (a nested .budgetlens.yml): not indexed here. */
  nestedRoots(): readonly string[] {
    return this.nested;
  }

  /** Indexed files, sorted (including skipped ones, which carry a finding). */
  files(): string[] {
    return [...this.state.records.keys()].sort();
  }

  /** Files with at least one range, endpoint or finding, sorted. */
  mappedFiles(): string[] {
    return [...this.state.mappings.keys()].sort();
  }

  /** All findings (lint), sorted by file, line, column, message. */
  findings(): Finding[] {
    const all = [...this.state.walkFindings];
    for (const m of this.state.mappings.values()) all.push(...m.findings);
    return all.sort(
      (a, b) =>
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
    );
  }

  dispose(): void {
    this.listeners.clear();
  }

  // ---- internals -----------------------------------------------------------------------------

  /** What the index reads `file` as; undefined for a file it never reads (kind, skipped directory, nested project, excluded). */
  private kindOf(file: string): WalkedFileKind | undefined {
    return this.paths.kindOf(file, this.nested);
  }

  /** A path the index never reads: in an always-skipped directory, a nested project, or excluded. */
  private outside(file: string): boolean {
    return this.paths.outside(file, this.nested);
  }

  private toRecord(scan: ScannedFile): FileRecord {
    // The scan is dropped once it is a record, so its findings list becomes the record's (no copy
    // of 25,000 mostly empty lists in a cold build).
    const record: FileRecord = { file: scan.file, lineCount: scan.lineCount, scanFindings: scan.findings };
    if (scan.ruby) record.ruby = scan.ruby;
    const text = scan.text;
    if (text !== undefined && scan.kind === 'graphql') {
      record.graphql = guard(scan.file, record.scanFindings, () => parseGraphqlOperations(scan.file, text, this.ctx));
    }
    if (text !== undefined && scan.kind === 'graphql_document') {
      // Its `# @feature_category:` comments are read by the document parser, not the annotation scanner.
      record.graphql = guard(scan.file, record.scanFindings, () => parseGraphqlDocument(scan.file, text, this.ctx));
    }
    const scanner = this.options.annotations;
    if (text !== undefined && scan.annotated && scanner && scan.kind !== 'graphql_document') {
      const knownCategories = this.options.knownCategories;
      record.annotations = guard(scan.file, record.scanFindings, () => scanner(scan.file, text, knownCategories));
    }
    return record;
  }

  /** A record that maps to nothing: no facts, no GraphQL, no annotations, no findings, no path rules. */
  private isPlain(record: FileRecord): boolean {
    return !record.ruby && !record.graphql && !record.annotations && record.scanFindings.length === 0 && !this.options.pathRules;
  }

  private resolve(file: string): void {
    const record = this.state.records.get(file);
    if (!record) return;
    // Most files of a big tree declare nothing: no mapping to build.
    this.state.setMapping(file, this.isPlain(record) ? undefined : this.mappingOf(record));
  }

  /** A record's merged mapping (declarations, annotations, path rule, findings) against the current state. */
  private mappingOf(record: FileRecord): FileMapping | undefined {
    if (this.isPlain(record)) return undefined;
    const file = record.file;
    let declared: FileMapping | undefined = record.graphql;
    const scanFindings = [...record.scanFindings];
    const facts = record.ruby;
    if (facts) {
      this.resolveCalls++;
      scanFindings.push(...facts.findings);
      declared = guard(file, scanFindings, () => resolveRubyFile(facts, this.ctx));
    }
    const skipped = record.scanFindings.some((f) => f.code === 'file_skipped');
    const pathRuleCategory = skipped ? undefined : this.options.pathRules?.(file);
    return mergeFileMapping({
      file,
      // A file the cold build never opened (ripgrep ruled it out) is counted when a path rule
      // needs its length, and only then.
      lineCount: record.lineCount ?? (pathRuleCategory === undefined ? 0 : (record.lineCount = this.countLinesOnDisk(file))),
      declared,
      annotations: record.annotations,
      pathRuleCategory,
      scanFindings,
    });
  }

  /** Lines of a file on disk; 0 when it cannot be read (the watcher reports what became of it). */
  private countLinesOnDisk(file: string): number {
    try {
      return countLinesBytes(readFileSync(join(this.options.root, file)));
    } catch {
      return 0;
    }
  }

  private emit(files: string[]): void {
    if (files.length === 0) return;
    const event = { files };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener must not break the index or the other listeners.
      }
    }
  }
}

/** A file's bytes, empty when it cannot be read. */
function readFileSafe(abs: string): Buffer {
  try {
    return readFileSync(abs);
  } catch {
    return Buffer.alloc(0);
  }
}

/** Runs an extractor; a crash becomes a parse_error finding on the file instead of failing the index. */
function guard<T>(file: string, findings: Finding[], run: () => T): T | undefined {
  try {
    return run();
  } catch (e) {
    findings.push({ code: 'parse_error', severity: 'warning', message: `extractor failed: ${e instanceof Error ? e.message : String(e)}`, file, line: 1, column: 1 });
    return undefined;
  }
}
