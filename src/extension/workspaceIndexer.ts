/**
 * Keeps one WorkspaceIndex (src/sdk/mapping) per `.budgetlens.yml` root current inside the editor.
 * Every workspace folder with a `.budgetlens.yml` at or above it (or any folder, when
 * `budgetLens.catalogPath` names a catalog) belongs to one root, and folders under the same root
 * share one RootIndexer. A RootIndexer opens its root (config + catalog), builds in the background
 * with progress and cancellation, and re-indexes the files its FileSystemWatcher reports (save,
 * create, delete), debounced. WorkspaceIndexer routes documents to their root, follows folders
 * added and removed at runtime, and merges the roots' events for the adapters (CodeLens, hover,
 * status bar, diagnostics); none of them triggers indexing.
 */
import * as vscode from 'vscode';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { CONFIG_FILE_NAME } from '../sdk/config/types';
import { InputError } from '../sdk/errors';
import { findWorkspaceRoot, openWorkspace, toWorkspacePath } from '../sdk/mapping/index/openWorkspace';
import type { OpenedWorkspace } from '../sdk/mapping/index/openWorkspace';
import type { BuildStats } from '../sdk/mapping/workspaceIndex';
import { INDEXING_CONTEXT_KEY } from './commandIds';
import { readSettings } from './settings';

/** 'buffer': re-index from the open editor's text (unsaved edits), not from disk. */
type ChangeKind = 'changed' | 'deleted' | 'buffer';

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

/** A document's index and its path inside that index's root. */
export interface Located {
  index: RootIndexer;
  file: string;
}

/** Files whose change means "start over": the config and the catalog it names. */
function isWorkspaceDefinition(root: string, ws: OpenedWorkspace | undefined, abs: string): boolean {
  const catalog = ws?.config?.catalog;
  return abs === join(root, CONFIG_FILE_NAME) || abs === catalog?.stagesPath || abs === catalog?.featureCategoriesPath;
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

/** What a RootIndexer needs from the WorkspaceIndexer that owns it. */
interface RootHooks {
  log: vscode.OutputChannel;
  /** Runs builds one at a time across roots (see WorkspaceIndexer.exclusive). */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  stateChanged(index: RootIndexer): void;
  mappingChanged(change: MappingChange): void;
  /** True when more than one root is open: messages then name the folder. */
  several(): boolean;
}

/** The index of one `.budgetlens.yml` root, shared by the workspace folders at or below it. */
export class RootIndexer implements vscode.Disposable {
  private opened: OpenedWorkspace | undefined;
  private stateValue: IndexerState = { phase: 'idle' };
  private build: AbortController | undefined;
  private running: Promise<void> = Promise.resolve();
  /** Absolute path -> what happened; 'buffer' = an unsaved editor's text changed. */
  private readonly pending = new Map<string, ChangeKind>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly watcher: vscode.FileSystemWatcher;
  private stopIndexListener: (() => void) | undefined;
  private disposed = false;
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
    try {
      const { ws, stats } = await this.hooks.exclusive(async () => {
        controller.signal.throwIfAborted();
        // `catalogPath` is machine-overridable: a folder's own value wins over the user's.
        const catalogPath = readSettings(this.folders[0]?.uri).catalogPath;
        const opened = await openWorkspace({ root: this.root, catalogDir: catalogPath === '' ? undefined : catalogPath });
        try {
          controller.signal.throwIfAborted();
          const built = await opened.index.build(controller.signal, (scanned, total) => {
            this.setState({ phase: 'indexing', progress: { scanned, total } });
          });
          return { ws: opened, stats: built };
        } catch (e) {
          opened.index.dispose();
          throw e;
        }
      });
      if (this.disposed) {
        ws.index.dispose();
        return;
      }
      this.adopt(ws);
      this.builds++;
      this.setState({ phase: 'ready', lastBuild: stats });
      this.hooks.log.appendLine(`indexed ${stats.files} files, ${stats.endpoints} endpoints in ${Date.now() - started} ms (${this.root})`);
      this.hooks.mappingChanged({ index: this, files: ws.index.files(), full: true });
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
      if (this.build === controller) this.build = undefined;
    }
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
    const choice = await vscode.window.showErrorMessage(`Budget Lens could not index ${what}: ${message}`, ...(location ? [open] : []));
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
      this.hooks.log.appendLine(`config or catalog changed: re-indexing ${this.root}`);
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

/** Roots that appeared or went away (folders added or removed, a config created or deleted). */
export interface IndexesChange {
  added: readonly RootIndexer[];
  removed: readonly RootIndexer[];
}

/** Every root of the workspace, and the events of all of them for the adapters. */
export class WorkspaceIndexer implements vscode.Disposable {
  private readonly byRoot = new Map<string, RootIndexer>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Tail of the build queue shared by the roots. */
  private buildSlot: Promise<unknown> = Promise.resolve();
  private indexingContext = false;

  private readonly stateEmitter = new vscode.EventEmitter<RootIndexer>();
  /** A root's phase or progress changed. */
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly mappingEmitter = new vscode.EventEmitter<MappingChange>();
  /** A root's files whose mapping changed (every file after a full build). */
  readonly onDidChangeMapping = this.mappingEmitter.event;
  private readonly indexesEmitter = new vscode.EventEmitter<IndexesChange>();
  readonly onDidChangeIndexes = this.indexesEmitter.event;

  private readonly hooks: RootHooks;

  constructor(log: vscode.OutputChannel) {
    this.hooks = {
      log,
      exclusive: (task) => this.exclusive(task),
      stateChanged: (index) => this.onRootState(index),
      mappingChanged: (change) => this.mappingEmitter.fire(change),
      several: () => this.byRoot.size > 1,
    };
    // Created or deleted configs change which folders have a root (a watcher sees only inside folders).
    const configs = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`, false, true, false);
    this.disposables.push(
      this.stateEmitter,
      this.mappingEmitter,
      this.indexesEmitter,
      configs,
      configs.onDidCreate(() => this.syncFolders()),
      configs.onDidDelete(() => this.syncFolders()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.syncFolders()),
      // Unsaved edits move declarations: follow the buffer so lenses stay on their lines.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && e.document.uri.scheme === 'file') this.locate(e.document.uri)?.index.queue(e.document.uri, 'buffer');
      }),
      // A closed buffer's unsaved text is gone: go back to what is on disk.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === 'file') this.locate(d.uri)?.index.queue(d.uri, 'changed');
      }),
    );
  }

  /** The root a workspace folder belongs to: the nearest `.budgetlens.yml` at or above it. */
  static rootOf(folder: vscode.WorkspaceFolder): string | undefined {
    if (folder.uri.scheme !== 'file') return undefined;
    const root = findWorkspaceRoot(folder.uri.fsPath);
    if (root !== undefined) return root;
    // A catalog from the settings is enough to index a folder without a config file.
    return readSettings(folder.uri).catalogPath !== '' ? folder.uri.fsPath : undefined;
  }

  /** Every root's indexer, in the order of their first workspace folder. */
  get indexes(): RootIndexer[] {
    return [...this.byRoot.values()].sort((a, b) => (a.folders[0]?.index ?? 0) - (b.folders[0]?.index ?? 0));
  }

  /** The index a document belongs to: the innermost root holding it (nested configs win). */
  locate(uri: vscode.Uri): Located | undefined {
    if (uri.scheme !== 'file') return undefined;
    let best: RootIndexer | undefined;
    for (const index of this.byRoot.values()) {
      if (index.contains(uri.fsPath) && (!best || index.root.length > best.root.length)) best = index;
    }
    return best ? { index: best, file: toWorkspacePath(best.root, uri.fsPath) } : undefined;
  }

  /** All roots at once: indexing if any is, else failed if any failed, else ready if any is. */
  get state(): IndexerState {
    const indexes = this.indexes;
    const indexing = indexes.filter((i) => i.state.phase === 'indexing');
    if (indexing.length > 0) {
      let scanned = 0;
      let total = 0;
      for (const i of indexing) {
        scanned += i.state.progress?.scanned ?? 0;
        total += i.state.progress?.total ?? 0;
      }
      return { phase: 'indexing', progress: { scanned, total } };
    }
    const failed = indexes.filter((i) => i.state.phase === 'failed');
    if (failed.length > 0) {
      const error = indexes.length > 1 ? failed.map((i) => `${i.name}: ${i.state.error ?? ''}`).join('\n') : failed[0]?.state.error;
      return { phase: 'failed', error };
    }
    const ready = indexes.filter((i) => i.state.phase === 'ready');
    if (ready.length > 0) return { phase: 'ready', lastBuild: ready.length === 1 ? ready[0]?.state.lastBuild : undefined };
    return { phase: 'idle' };
  }

  /** Builds the roots that are not indexed yet (activation). */
  start(): void {
    this.syncFolders();
  }

  /**
   * Matches the roots to the workspace folders: a root no folder needs is disposed, a new one is
   * created and built; folders sharing a root share its index.
   */
  syncFolders(): void {
    const wanted = new Map<string, vscode.WorkspaceFolder[]>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const root = WorkspaceIndexer.rootOf(folder);
      if (root !== undefined) wanted.set(root, [...(wanted.get(root) ?? []), folder]);
    }
    const removed: RootIndexer[] = [];
    for (const [root, index] of this.byRoot) {
      if (wanted.has(root)) continue;
      this.byRoot.delete(root);
      removed.push(index);
    }
    const added: RootIndexer[] = [];
    for (const [root, folders] of wanted) {
      let index = this.byRoot.get(root);
      if (!index) {
        index = new RootIndexer(root, this.hooks);
        this.byRoot.set(root, index);
        added.push(index);
      }
      index.folders = folders;
    }
    if (added.length === 0 && removed.length === 0) return;
    for (const index of removed) {
      this.hooks.log.appendLine(`no workspace folder under ${index.root} any more: index closed`);
      index.dispose();
    }
    this.indexesEmitter.fire({ added, removed });
    for (const index of added) void index.reindex();
    this.updateIndexingContext();
  }

  /** Re-indexes the root holding `uri`, or every root (and picks up new ones) without one. */
  async reindex(uri?: vscode.Uri): Promise<void> {
    if (uri) {
      await this.locate(uri)?.index.reindex();
      return;
    }
    this.syncFolders();
    await Promise.all(this.indexes.map((i) => i.reindex()));
  }

  /** Cancels the build of the root holding `uri`, or every build without one. */
  cancel(uri?: vscode.Uri): void {
    const targets = uri ? [this.locate(uri)?.index] : this.indexes;
    for (const index of targets) index?.cancel();
  }

  /** Resolves once no root has a build or queued update left, and no root came or went meanwhile. */
  async whenIdle(): Promise<void> {
    for (;;) {
      const indexes = this.indexes;
      await Promise.all(indexes.map((i) => i.whenIdle()));
      const now = this.indexes;
      if (now.length === indexes.length && now.every((i, n) => i === indexes[n])) return;
    }
  }

  /**
   * Runs one build at a time across roots: two cold builds would split the same cores and both
   * finish late, while one after the other gives the first root its lenses in half the time.
   */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.buildSlot.catch(() => undefined).then(task);
    this.buildSlot = run.catch(() => undefined);
    return run;
  }

  private onRootState(index: RootIndexer): void {
    this.updateIndexingContext();
    this.stateEmitter.fire(index);
  }

  /** `budgetLens.indexing` (gates Cancel Indexing) is true while any root builds. */
  private updateIndexingContext(): void {
    const indexing = this.indexes.some((i) => i.state.phase === 'indexing');
    if (indexing === this.indexingContext) return;
    this.indexingContext = indexing;
    void vscode.commands.executeCommand('setContext', INDEXING_CONTEXT_KEY, indexing);
  }

  dispose(): void {
    for (const index of this.byRoot.values()) index.dispose();
    this.byRoot.clear();
    for (const d of this.disposables) d.dispose();
  }
}
