/**
 * Keeps one WorkspaceIndex (src/sdk/mapping) current inside the editor: opens the workspace
 * (`.budgetlens.yml` + catalog) on activation, builds in the background with progress and
 * cancellation, and re-indexes files a FileSystemWatcher reports (save, create, delete), debounced.
 * The adapters (CodeLens, hover, status bar, diagnostics) read `current` and listen to
 * `onDidChangeMapping`; none of them triggers indexing.
 */
import * as vscode from 'vscode';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

/** Files whose change means "start over": the config and the catalog it names. */
function isWorkspaceDefinition(ws: OpenedWorkspace, abs: string): boolean {
  const catalog = ws.config?.catalog;
  return abs === join(ws.root, CONFIG_FILE_NAME) || abs === catalog?.stagesPath || abs === catalog?.featureCategoriesPath;
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

export class WorkspaceIndexer implements vscode.Disposable {
  private opened: OpenedWorkspace | undefined;
  private stateValue: IndexerState = { phase: 'idle' };
  private build: AbortController | undefined;
  private running: Promise<void> = Promise.resolve();
  /** Absolute path -> what happened; 'buffer' = an unsaved editor's text changed. */
  private readonly pending = new Map<string, ChangeKind>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private watcher: vscode.FileSystemWatcher | undefined;
  private stopIndexListener: (() => void) | undefined;

  private readonly stateEmitter = new vscode.EventEmitter<IndexerState>();
  /** Phase or progress changed. */
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly mappingEmitter = new vscode.EventEmitter<readonly string[]>();
  /** Workspace-relative files whose mapping changed (every file after a full build). */
  readonly onDidChangeMapping = this.mappingEmitter.event;

  constructor(private readonly log: vscode.OutputChannel) {
    this.disposables.push(
      this.stateEmitter,
      this.mappingEmitter,
      // Unsaved edits move declarations: follow the buffer so lenses stay on their lines.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && e.document.uri.scheme === 'file' && this.opened) this.queue(e.document.uri, 'buffer');
      }),
      // A closed buffer's unsaved text is gone: go back to what is on disk.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === 'file' && this.opened) this.queue(d.uri, 'changed');
      }),
    );
  }

  /** The indexed workspace, once a build has succeeded (kept while a re-index runs). */
  get current(): OpenedWorkspace | undefined {
    return this.stateValue.phase === 'failed' ? undefined : this.opened;
  }

  get state(): IndexerState {
    return this.stateValue;
  }

  /** The root to index: the nearest `.budgetlens.yml` at or above a workspace folder. */
  static findRoot(): string | undefined {
    const settings = readSettings();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const root = findWorkspaceRoot(folder.uri.fsPath);
      if (root !== undefined) return root;
      // A catalog from the settings is enough to index a workspace without a config file.
      if (settings.catalogPath !== '') return folder.uri.fsPath;
    }
    return undefined;
  }

  /** Workspace-relative path of a document, or undefined when it is outside the indexed root. */
  relativePath(uri: vscode.Uri): string | undefined {
    const ws = this.current;
    if (!ws || uri.scheme !== 'file') return undefined;
    const rel = toWorkspacePath(ws.root, uri.fsPath);
    return rel.startsWith('..') || rel === '' ? undefined : rel;
  }

  uriOf(file: string): vscode.Uri | undefined {
    const ws = this.current;
    return ws ? vscode.Uri.file(join(ws.root, file)) : undefined;
  }

  /** Cancels any build in progress and indexes the workspace from scratch. */
  reindex(): Promise<void> {
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
    if (controller.signal.aborted) return;
    const root = WorkspaceIndexer.findRoot();
    if (root === undefined) {
      this.setState({ phase: 'idle' });
      return;
    }
    this.setState({ phase: 'indexing', progress: { scanned: 0, total: 0 } });
    void vscode.commands.executeCommand('setContext', INDEXING_CONTEXT_KEY, true);
    const started = Date.now();
    try {
      const catalogPath = readSettings().catalogPath;
      const ws = await openWorkspace({ root, catalogDir: catalogPath === '' ? undefined : catalogPath });
      controller.signal.throwIfAborted();
      const stats = await ws.index.build(controller.signal, (scanned, total) => {
        this.setState({ phase: 'indexing', progress: { scanned, total } });
      });
      this.adopt(ws);
      this.setState({ phase: 'ready', lastBuild: stats });
      this.log.appendLine(`indexed ${stats.files} files, ${stats.endpoints} endpoints in ${Date.now() - started} ms (${root})`);
      this.mappingEmitter.fire(ws.index.files());
    } catch (e) {
      if (controller.signal.aborted) {
        // Cancelled: keep whatever index was there before.
        this.log.appendLine('indexing cancelled');
        this.setState(this.opened ? { ...this.stateValue, phase: 'ready', progress: undefined } : { phase: 'idle' });
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      this.log.appendLine(`indexing failed: ${message}`);
      this.setState({ phase: 'failed', error: message });
      void this.reportFailure(e, message);
    } finally {
      void vscode.commands.executeCommand('setContext', INDEXING_CONTEXT_KEY, false);
      if (this.build === controller) this.build = undefined;
    }
  }

  /** Swaps in a freshly built workspace and (re)starts watching its root. */
  private adopt(ws: OpenedWorkspace): void {
    const previous = this.opened;
    this.stopIndexListener?.();
    this.opened = ws;
    previous?.index.dispose();
    // Incremental updates report the files they re-resolved (dependents included).
    this.stopIndexListener = ws.index.onDidChange((event) => this.mappingEmitter.fire(event.files));
    if (previous?.root !== ws.root || !this.watcher) {
      this.watcher?.dispose();
      this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(ws.root), '**/*'));
      this.watcher.onDidChange((uri) => this.queue(uri, 'changed'));
      this.watcher.onDidCreate((uri) => this.queue(uri, 'changed'));
      this.watcher.onDidDelete((uri) => this.queue(uri, 'deleted'));
    }
  }

  private async reportFailure(e: unknown, message: string): Promise<void> {
    const open = 'Open';
    const location = InputError.is(e) ? e.location : undefined;
    const choice = await vscode.window.showErrorMessage(`Budget Lens could not index the workspace: ${message}`, ...(location ? [open] : []));
    if (choice === open && location && existsSync(location.file)) {
      const position = new vscode.Position(Math.max(0, location.line - 1), Math.max(0, location.column - 1));
      await vscode.window.showTextDocument(vscode.Uri.file(location.file), { selection: new vscode.Range(position, position) });
    }
  }

  private queue(uri: vscode.Uri, kind: ChangeKind): void {
    const abs = uri.fsPath;
    const ws = this.opened;
    if (!ws || toWorkspacePath(ws.root, abs).startsWith('..')) return;
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
    const ws = this.opened;
    if (!ws) return;
    if (batch.some(([abs, kind]) => kind !== 'buffer' && isWorkspaceDefinition(ws, abs))) {
      this.log.appendLine('config or catalog changed: re-indexing');
      const controller = new AbortController();
      this.build = controller;
      await this.runBuild(controller);
      return;
    }
    const onDisk = batch.filter(([, kind]) => kind !== 'buffer').length;
    if (onDisk > 0) this.log.appendLine(`re-indexing ${onDisk} changed path(s)`);
    for (const [abs, kind] of batch) {
      const file = toWorkspacePath(ws.root, abs);
      if (file.startsWith('..')) continue;
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
          for (const f of filesUnder(abs)) await ws.index.updateFile(toWorkspacePath(ws.root, f));
        } else {
          await ws.index.updateFile(file);
        }
      } catch (e) {
        this.log.appendLine(`re-indexing ${file} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private setState(next: IndexerState): void {
    this.stateValue = next;
    this.stateEmitter.fire(next);
  }

  dispose(): void {
    this.build?.abort();
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.stopIndexListener?.();
    this.watcher?.dispose();
    this.opened?.index.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
