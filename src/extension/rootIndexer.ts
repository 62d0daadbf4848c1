/**
 * Keeps the WorkspaceIndex (src/sdk/mapping) of one `.budgetlens.yml` root current inside the
 * editor: opens the root (config + catalog), builds in the background with progress and
 * cancellation, and re-indexes the files its FileSystemWatcher reports (save, create, delete) and
 * the unsaved buffers WorkspaceIndexer hands it, debounced. WorkspaceIndexer (workspaceIndexer.ts)
 * owns one RootIndexer per root and routes documents to them.
 */
import * as vscode from 'vscode';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import {
  collectGarbage,
  CONFIG_FILE_NAME,
  findRipgrep,
  ignoredFieldsNote,
  initRubyParser,
  InputError,
  openWorkspace,
  toWorkspacePath,
  UNKNOWN_CATEGORY,
  vscodeRipgrep,
} from '../sdk';
import type { BuildStats, FileMapping, OpenedWorkspace } from '../sdk';
import { readSettings } from './settings';
import { notificationSafe } from './text/safeText';

/** 'buffer': re-index from the open editor's text (unsaved edits), not from disk. */
export type ChangeKind = 'changed' | 'deleted' | 'buffer';

export type IndexPhase = 'idle' | 'indexing' | 'ready' | 'failed';

export interface IndexerState {
  phase: IndexPhase;
  /** Files scanned / to scan while indexing. */
  progress?: { scanned: number; total: number };
  /** Why the last build failed (config or catalog error with file:line:col). */
  error?: string;
  lastBuild?: BuildStats;
}

/** What `onDidChangeMapping` reports: files of one root whose mapping changed. */
export interface MappingChange {
  index: RootIndexer;
  /** Root-relative paths. */
  files: readonly string[];
  /** A full build (or the root went away): every file may have changed, listed or not. */
  full: boolean;
}

/**
 * Files whose change means "start over": the config, the catalog it names and the adjustments
 * file it names (`adjustments: { file }`: the Prometheus backend applies what the opened config read).
 */
function isWorkspaceDefinition(root: string, ws: OpenedWorkspace | undefined, abs: string): boolean {
  // The catalog in use, whichever it is (a GitLab checkout's own config/feature_categories.yml too).
  const catalog = ws?.catalogOrigin;
  return abs === join(root, CONFIG_FILE_NAME) || abs === catalog?.stagesPath || abs === catalog?.featureCategoriesPath || abs === ws?.config?.adjustmentsFile;
}

function isDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** Files below a newly created folder, skipping dependency and VCS folders; capped. */
function filesUnder(dir: string, limit = 5000): string[] {
  const found: string[] = [];
  const stack = [dir];
  while (stack.length > 0 && found.length < limit) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === '.git' || e.name === 'vendor') continue;
      const p = join(current, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) found.push(p);
    }
  }
  return found;
}

/** Progress shown while a root builds: at most once per this many ms. */
const PROGRESS_EVERY_MS = 200;

/**
 * After a full build, a full garbage collection this many ms later (once the listeners have
 * redrawn from the new index): the previous index and the build's garbage are otherwise never
 * collected in an idle extension host (releaseMemory.ts).
 */
const COLLECT_AFTER_BUILD_MS = 1000;

const megabytes = (bytes: number): string => `${Math.round(bytes / 1048576)} MB`;

/** The one collection pending for the process: roots that finish building close together share it. */
let collectionTimer: NodeJS.Timeout | undefined;

function scheduleCollection(log: vscode.OutputChannel): void {
  if (collectionTimer !== undefined) clearTimeout(collectionTimer);
  collectionTimer = setTimeout(() => {
    collectionTimer = undefined;
    const started = performance.now();
    const collected = collectGarbage({ compact: true });
    const ms = Math.round(performance.now() - started);
    const m = process.memoryUsage();
    const how = collected ? `after a full compacting collection (${ms} ms)` : 'no collection available';
    try {
      log.appendLine(`memory ${how}: heap ${megabytes(m.heapUsed)} used of ${megabytes(m.heapTotal)}, rss ${megabytes(m.rss)}`);
    } catch {
      // The channel went with the extension: nothing to tell.
    }
  }, COLLECT_AFTER_BUILD_MS);
  // Never what keeps the process alive.
  collectionTimer.unref?.();
}

/** What a RootIndexer needs from the WorkspaceIndexer that owns it. */
export interface RootHooks {
  log: vscode.OutputChannel;
  /** Runs builds one at a time across roots (see WorkspaceIndexer.exclusive). */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  stateChanged(index: RootIndexer): void;
  mappingChanged(change: MappingChange): void;
  /** True when more than one root is open: messages then name the folder. */
  several(): boolean;
}

/** The index of one root (a `.budgetlens.yml`'s, or a folder without one), shared by the workspace folders at or below it. */
export class RootIndexer implements vscode.Disposable {
  private opened: OpenedWorkspace | undefined;
  /** The workspace a build in progress has opened (config and catalog read, index not built yet). */
  private building: OpenedWorkspace | undefined;
  /** While a build reads the config and catalog: settles when `building` is set (or the build failed). */
  private opening: Promise<unknown> | undefined;
  private stateValue: IndexerState = { phase: 'idle' };
  private build: AbortController | undefined;
  private running: Promise<void> = Promise.resolve();
  /** Absolute path -> what happened; 'buffer' = an unsaved editor's text changed. */
  private readonly pending = new Map<string, ChangeKind>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly watcher: vscode.FileSystemWatcher;
  private stopIndexListener: (() => void) | undefined;
  private disposed = false;
  /** The ignored-fields note last logged, so a re-index does not repeat it. */
  private notedFields: string | undefined;
  /** Successful full builds so far (tests tell a re-indexed root from one left alone). */
  builds = 0;
  /** The workspace folders under this root, in workspace order (WorkspaceIndexer keeps it current). */
  folders: readonly vscode.WorkspaceFolder[] = [];

  constructor(
    readonly root: string,
    private readonly hooks: RootHooks,
  ) {
    // Watched from the start, not from the first good build: fixing a broken config re-indexes.
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '**/*'));
    this.watcher.onDidChange((uri) => this.queue(uri, 'changed'));
    this.watcher.onDidCreate((uri) => this.queue(uri, 'changed'));
    this.watcher.onDidDelete((uri) => this.queue(uri, 'deleted'));
  }

  /** The folder names users see (`gitlab-style`, or `app, lib` for two folders of one root). */
  get name(): string {
    return this.folders.length > 0 ? this.folders.map((f) => f.name).join(', ') : basename(this.root);
  }

  /** The indexed workspace, once a build has succeeded (kept while a re-index runs). */
  get current(): OpenedWorkspace | undefined {
    return this.stateValue.phase === 'failed' ? undefined : this.opened;
  }

  get state(): IndexerState {
    return this.stateValue;
  }

  /**
   * Before the first build of this root ends: a file's mapping read on its own (its own
   * declarations; what it inherits from other files comes with the build), so an editor opened
   * early has its lenses at once. Undefined once a build has succeeded (use `current`), before the
   * config and catalog are read, or for a file the index does not read.
   */
  async preview(file: string, text: string): Promise<{ ws: OpenedWorkspace; mapping: FileMapping } | undefined> {
    // An editor opened while the first build still reads the config and catalog (tens of ms to a
    // second on a busy machine) waits for them rather than get no lenses until the build ends.
    const asked = performance.now();
    if (this.current === undefined && this.building === undefined) await this.opening?.catch(() => undefined);
    const ws = this.building;
    if (this.current !== undefined || ws === undefined) return undefined;
    try {
      const reading = performance.now();
      const read = await ws.index.previewFile(file, text);
      if (read === undefined || this.building !== ws || this.current !== undefined) return undefined;
      // Where the first lens's time goes, for whoever asks why it came late (and bench/workbench.mjs).
      const ms = (t: number): string => `${Math.round(t)} ms`;
      this.hooks.log.appendLine(
        `preview of ${file}: read in ${ms(performance.now() - reading)} after ${ms(reading - asked)} waiting for the config and catalog (extension host up ${process.uptime().toFixed(1)} s)`,
      );
      // `unknown` here mostly means "declared in a file not read yet" (a parent, a concern): the
      // build will say; a lens claiming it now would be wrong half the time.
      const known = <T extends { category: string }>(items: readonly T[]): T[] => items.filter((i) => i.category !== UNKNOWN_CATEGORY);
      return { ws, mapping: { ...read, endpoints: known(read.endpoints), categories: known(read.categories) } };
    } catch (e) {
      this.hooks.log.appendLine(`preview of ${file} failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** The catalog to title lenses with: the built workspace's, else the one a first build has opened. */
  get catalogWorkspace(): OpenedWorkspace | undefined {
    return this.current ?? this.building;
  }

  /** True for an absolute path strictly inside the root. */
  contains(abs: string): boolean {
    const rel = toWorkspacePath(this.root, abs);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  }

  /** Root-relative path of a document, or undefined when it is outside the root. */
  relativePath(uri: vscode.Uri): string | undefined {
    return uri.scheme === 'file' && this.contains(uri.fsPath) ? toWorkspacePath(this.root, uri.fsPath) : undefined;
  }

  uriOf(file: string): vscode.Uri {
    return vscode.Uri.file(join(this.root, file));
  }

  /** Cancels any build in progress and indexes the root from scratch. */
  reindex(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.build?.abort();
    const controller = new AbortController();
    this.build = controller;
    this.running = this.running.catch(() => undefined).then(() => this.runBuild(controller));
    return this.running;
  }

  /** Stops the build in progress; the previous index (if any) stays in use. */
  cancel(): void {
    this.build?.abort(new vscode.CancellationError());
  }

  /** Resolves once no build or queued file update is left (tests, commands that need data). */
  async whenIdle(): Promise<void> {
    for (;;) {
      const running = this.running;
      await running.catch(() => undefined);
      if (this.flushTimer !== undefined) await this.flushNow();
      if (running === this.running && this.flushTimer === undefined) return;
    }
  }

  private async runBuild(controller: AbortController): Promise<void> {
    if (controller.signal.aborted || this.disposed) return;
    this.setState({ phase: 'indexing', progress: { scanned: 0, total: 0 } });
    const started = Date.now();
    // How long the extension host's thread was kept from answering (lenses, hovers) during the build.
    const stalls = monitorEventLoopDelay({ resolution: 20 });
    stalls.enable();
    try {
      // Config and catalog first, outside the one-build-at-a-time slot: they are cheap, and with
      // them an editor opened while this root waits or builds gets its lenses (preview()).
      // `catalogPath` is machine-overridable: a folder's own value wins over the user's.
      const { catalogPath, useRipgrep } = readSettings(this.folders[0]?.uri);
      // The build parses in its own thread; a preview (an editor opened meanwhile) parses here. The
      // parser loads now, beside the config and catalog, not when the first editor asks (a
      // quarter of a second off the first lens on a GitLab checkout). A failure says itself there.
      if (this.builds === 0) void initRubyParser().catch(() => undefined);
      const opening = openWorkspace({
        root: this.root,
        catalogDir: catalogPath === '' ? undefined : catalogPath,
        catalogDirSource: 'budgetLens.catalogPath',
        // VS Code's own ripgrep, else one on PATH; the index is the same without it, only slower.
        ripgrep: useRipgrep ? (vscodeRipgrep(vscode.env.appRoot) ?? findRipgrep() ?? false) : false,
        // The walk, the reading and the parsing in a thread that ends with them: the extension
        // host (long-lived, shared) keeps the index, not the build's texts, trees and garbage.
        isolatedScan: true,
      });
      this.opening = opening;
      let opened: OpenedWorkspace;
      try {
        opened = await opening;
      } finally {
        if (this.opening === opening) this.opening = undefined;
      }
      this.building = opened;
      // The catalog is known now (catalogWorkspace), before the build waits for its slot: tell the
      // listeners (Prometheus budget figures need only the catalog, never the built index).
      this.hooks.stateChanged(this);
      let built: BuildStats;
      try {
        built = await this.hooks.exclusive(async () => {
          controller.signal.throwIfAborted();
          let shown = 0;
          return opened.index.build(controller.signal, (scanned, total) => {
            // Every listener redraws (status bar, tree, lenses' state): a few times a second is enough.
            const now = Date.now();
            if (now - shown < PROGRESS_EVERY_MS) return;
            shown = now;
            this.setState({ phase: 'indexing', progress: { scanned, total } });
          });
        });
      } catch (e) {
        opened.index.dispose();
        throw e;
      } finally {
        if (this.building === opened) this.building = undefined;
      }
      const ws = opened;
      const stats = built;
      if (this.disposed) {
        ws.index.dispose();
        return;
      }
      this.adopt(ws);
      this.builds++;
      this.setState({ phase: 'ready', lastBuild: stats });
      const prefilter = stats.prefilter;
      const unopened = prefilter && !prefilter.error ? `, ${prefilter.ruledOut} ruled out by ripgrep unopened` : '';
      stalls.disable();
      const stalled = `longest stall of the extension host ${Math.round(stalls.max / 1e6)} ms, p99 ${Math.round(stalls.percentile(99) / 1e6)} ms`;
      this.hooks.log.appendLine(`indexed ${stats.files} files${unopened}, ${stats.endpoints} endpoints in ${Date.now() - started} ms; ${stalled} (${this.root}); catalog: ${ws.catalogOrigin.label}`);
      // GitLab's current stages.yml has many fields Budget Lens does not read: said once per root and catalog.
      const note = ignoredFieldsNote(ws.catalog.stagesFile, ws.catalog.ignoredFields);
      if (note !== undefined && note !== this.notedFields) this.hooks.log.appendLine(note);
      this.notedFields = note;
      if (prefilter?.error) this.hooks.log.appendLine(`ripgrep pre-filter not used (${prefilter.ripgrep}): ${prefilter.error}; every file was read`);
      this.hooks.mappingChanged({ index: this, files: ws.index.files(), full: true });
      this.collectSoon();
    } catch (e) {
      if (this.disposed) return;
      if (controller.signal.aborted) {
        // Cancelled: keep whatever index was there before.
        this.hooks.log.appendLine(`indexing cancelled (${this.root})`);
        this.setState(this.opened ? { ...this.stateValue, phase: 'ready', progress: undefined } : { phase: 'idle' });
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      this.hooks.log.appendLine(`indexing failed (${this.root}): ${message}`);
      this.setState({ phase: 'failed', error: message });
      void this.reportFailure(e, message);
    } finally {
      stalls.disable();
      if (this.build === controller) this.build = undefined;
    }
  }

  /**
   * Collects the garbage a full build leaves (the previous index, the build's own allocations)
   * once things have settled, and logs the extension host's memory then (bench:workbench reads it).
   */
  private collectSoon(): void {
    scheduleCollection(this.hooks.log);
  }

  /** Swaps in a freshly built workspace. */
  private adopt(ws: OpenedWorkspace): void {
    const previous = this.opened;
    this.stopIndexListener?.();
    this.opened = ws;
    previous?.index.dispose();
    // Incremental updates report the files they re-resolved (dependents included).
    this.stopIndexListener = ws.index.onDidChange((event) => this.hooks.mappingChanged({ index: this, files: event.files, full: false }));
  }

  private async reportFailure(e: unknown, message: string): Promise<void> {
    const open = 'Open';
    const location = InputError.is(e) ? e.location : undefined;
    const what = this.hooks.several() ? `the folder ${this.name}` : 'the workspace';
    const choice = await vscode.window.showErrorMessage(notificationSafe(`Budget Lens could not index ${what}: ${message}`), ...(location ? [open] : []));
    if (choice === open && location && existsSync(location.file)) {
      const position = new vscode.Position(Math.max(0, location.line - 1), Math.max(0, location.column - 1));
      await vscode.window.showTextDocument(vscode.Uri.file(location.file), { selection: new vscode.Range(position, position) });
    }
  }

  /** Queues a change under the root (the watcher's, or an editor buffer's from WorkspaceIndexer). */
  queue(uri: vscode.Uri, kind: ChangeKind): void {
    const abs = uri.fsPath;
    if (this.disposed || !this.contains(abs)) return;
    // Before a first good build only the config matters: a fix to it starts the build again.
    if (!this.opened && !(kind !== 'buffer' && isWorkspaceDefinition(this.root, undefined, abs))) return;
    // A save reports 'changed' from the watcher; an open editor's text is still the truth then.
    this.pending.set(abs, kind === 'changed' && this.openDocument(abs)?.isDirty ? 'buffer' : kind);
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => void this.flushNow(), readSettings().reindexDelayMs);
  }

  /** Applies the queued file changes, after any build in progress. */
  private flushNow(): Promise<void> {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    if (batch.length === 0) return this.running;
    this.running = this.running.catch(() => undefined).then(() => this.applyChanges(batch));
    return this.running;
  }

  private openDocument(abs: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === abs && !d.isClosed);
  }

  private async applyChanges(batch: ReadonlyArray<readonly [string, ChangeKind]>): Promise<void> {
    if (this.disposed) return;
    const ws = this.opened;
    if (!ws || batch.some(([abs, kind]) => kind !== 'buffer' && isWorkspaceDefinition(this.root, ws, abs))) {
      this.hooks.log.appendLine(`config, catalog or adjustments changed: re-indexing ${this.root}`);
      const controller = new AbortController();
      this.build = controller;
      await this.runBuild(controller);
      return;
    }
    const onDisk = batch.filter(([, kind]) => kind !== 'buffer').length;
    if (onDisk > 0) this.hooks.log.appendLine(`re-indexing ${onDisk} changed path(s) in ${this.root}`);
    for (const [abs, kind] of batch) {
      const file = toWorkspacePath(this.root, abs);
      try {
        const buffer = kind === 'buffer' ? this.openDocument(abs) : undefined;
        if (buffer) {
          await ws.index.updateFile(file, buffer.getText());
        } else if (kind === 'deleted') {
          // A deleted folder is reported once, not per file: forget everything under it.
          const gone = ws.index.files().filter((f) => f === file || f.startsWith(`${file}/`));
          for (const f of gone) ws.index.removeFile(f);
        } else if (isDirectory(abs)) {
          // A created folder (checkout, unzip, mkdir + write) may be reported without its files.
          for (const f of filesUnder(abs)) await ws.index.updateFile(toWorkspacePath(this.root, f));
        } else {
          await ws.index.updateFile(file);
        }
      } catch (e) {
        this.hooks.log.appendLine(`re-indexing ${file} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private setState(next: IndexerState): void {
    this.stateValue = next;
    this.hooks.stateChanged(this);
  }

  dispose(): void {
    this.disposed = true;
    this.build?.abort();
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pending.clear();
    this.stopIndexListener?.();
    this.watcher.dispose();
    this.opened?.index.dispose();
    this.opened = undefined;
  }
}
