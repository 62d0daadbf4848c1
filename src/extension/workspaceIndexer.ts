/**
 * Every root of the workspace, indexed inside the editor. Each workspace folder belongs to one
 * root: the nearest `.budgetlens.yml` at or above it, else the folder itself (indexed with
 * `budgetLens.catalogPath`'s catalog, or the bundled GitLab catalog: a GitLab checkout with no
 * configuration gets its lenses at once), and folders under the same root share one RootIndexer
 * (rootIndexer.ts: build, watcher, incremental updates). WorkspaceIndexer routes documents to
 * their root, follows folders added and removed at runtime, and merges the roots' events for the
 * adapters (CodeLens, hover, status bar, diagnostics); none of them triggers indexing.
 */
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME, findWorkspaceRoot, toWorkspacePath } from '../sdk';
import { INDEXING_CONTEXT_KEY } from './commandIds';
import { Disposable } from './disposable';
import { RootIndexer } from './rootIndexer';
import type { IndexerState, MappingChange, RootHooks } from './rootIndexer';

/** A document's index and its path inside that index's root. */
export interface Located {
  index: RootIndexer;
  file: string;
}

/** Roots that appeared or went away (folders added or removed, a config created or deleted). */
export interface IndexesChange {
  added: readonly RootIndexer[];
  removed: readonly RootIndexer[];
}

/** Every root of the workspace, and the events of all of them for the adapters. */
export class WorkspaceIndexer extends Disposable {
  private readonly byRoot = new Map<string, RootIndexer>();
  /** Tail of the build queue shared by the roots. */
  private buildSlot: Promise<unknown> = Promise.resolve();
  private indexingContext = false;

  private readonly stateEmitter = this.own(new vscode.EventEmitter<RootIndexer>());
  /** A root's phase or progress changed. */
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly mappingEmitter = this.own(new vscode.EventEmitter<MappingChange>());
  /** A root's files whose mapping changed (every file after a full build). */
  readonly onDidChangeMapping = this.mappingEmitter.event;
  private readonly indexesEmitter = this.own(new vscode.EventEmitter<IndexesChange>());
  readonly onDidChangeIndexes = this.indexesEmitter.event;

  private readonly hooks: RootHooks;

  constructor(log: vscode.OutputChannel) {
    super();
    // Owned after the emitters, so disposed before them.
    this.onDispose(() => {
      for (const index of this.byRoot.values()) index.dispose();
      this.byRoot.clear();
    });
    this.hooks = {
      log,
      exclusive: (task) => this.exclusive(task),
      stateChanged: (index) => this.onRootState(index),
      mappingChanged: (change) => this.mappingEmitter.fire(change),
      several: () => this.byRoot.size > 1,
    };
    // Created or deleted configs change which folders have a root (a watcher sees only inside folders).
    const configs = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`, false, true, false);
    this.ownAll(
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

  /**
   * The root a workspace folder belongs to: the nearest `.budgetlens.yml` at or above it, else the
   * folder itself (its catalog is the setting's or the bundled one). Only local folders.
   */
  static rootOf(folder: vscode.WorkspaceFolder): string | undefined {
    if (folder.uri.scheme !== 'file') return undefined;
    return findWorkspaceRoot(folder.uri.fsPath) ?? folder.uri.fsPath;
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
   * Runs one build at a time across roots: each cold build already uses two worker threads, so two
   * at once would split the same cores and both finish late; one after the other, the first root
   * (the first folder's) gets its lenses sooner.
   */
  /**
   * Holds every build that has not started yet until the returned function is called (the
   * extension-host tests' stand-in for a tree so big that its build is still running when an
   * editor opens; only registered as a command in test mode).
   */
  holdBuilds(): () => void {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((done) => (release = done));
    this.buildSlot = this.buildSlot.then(() => gate);
    return release;
  }

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
}
