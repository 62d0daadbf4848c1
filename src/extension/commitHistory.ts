/**
 * "What changed?" (issue 14 item 5): the commits that touched a top offender's code within the
 * budget window, as known now. Like BudgetData, a read returns at once what is cached (and
 * whether git is on its way) and starts `git log` for an unknown key; onDidChange fires when it
 * settles, and the hover and the panel render again. No provider awaits git.
 *
 * An endpoint is looked up in the workspace index (any root that defines it): its file and its
 * lines (the action's or route's range when the index has one, else its definition read from the
 * file, src/sdk definitionLines). The window is rounded out to whole UTC days, so a key stays the
 * same between refreshes of the budget figures; entries expire after CACHE_MS. At most
 * MAX_RUNNING git processes at a time. Local git only (src/sdk commitsTouching: no network).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommitsTouching, LineRange } from '../sdk';
import { commitText, commitsTouching, definitionLines, wholeDays } from '../sdk';
import { Disposable } from './disposable';
import { notificationSafe } from './text/safeText';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** Commits listed per endpoint. */
export const CHANGED_COMMITS = 3;
const CACHE_MS = 5 * 60_000;
const MAX_RUNNING = 2;
const MAX_ENTRIES = 200;

/** An endpoint's commits as known now. */
export interface KnownCommits {
  /** The answer once git has told (commits, or none with the reason). */
  value?: CommitsTouching;
  /** Where it was looked up (the `git show` of a commit is run there, on that file). */
  root?: string;
  file?: string;
  loading: boolean;
}

interface Entry {
  value?: CommitsTouching;
  root: string;
  file: string;
  at: number;
}

export class CommitHistory extends Disposable {
  private readonly changeEmitter = this.own(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changeEmitter.event;
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Set<string>();
  private readonly queue: Array<() => Promise<void>> = [];
  private running = 0;
  private readonly abort = new AbortController();
  /** git processes started (tests). */
  runs = 0;

  constructor(private readonly indexer: WorkspaceIndexer) {
    super();
    this.onDispose(() => this.abort.abort());
    // A re-indexed file may have moved its lines: what was asked is asked again.
    this.own(indexer.onDidChangeIndexes(() => this.entries.clear()));
  }

  /** Where the index puts `endpointId`: its root, file and 1-based line; undefined outside this workspace. */
  private locate(endpointId: string): { root: string; file: string; line: number; range?: LineRange } | undefined {
    for (const r of this.indexer.indexes) {
      const ws = r.current;
      const e = ws?.index.endpoint(endpointId);
      if (!ws || !e) continue;
      const own = ws.index.fileMapping(e.file)?.categories.find((c) => (c.scope === 'action' || c.scope === 'route') && c.startLine === e.line && c.endLine >= c.startLine);
      return { root: r.root, file: e.file, line: e.line, ...(own ? { range: { startLine: own.startLine, endLine: own.endLine } } : {}) };
    }
    return undefined;
  }

  /**
   * The commits that touched `endpointId`'s code in `window` (the budget answer's), as known now;
   * undefined when the workspace does not define it or the window is not a window.
   */
  commits(endpointId: string, window: { start: string; end: string } | undefined): KnownCommits | undefined {
    const where = this.locate(endpointId);
    const days = window && wholeDays(window);
    if (!where || !days || this.isDisposed) return undefined;
    const key = [where.root, where.file, where.line, days.since.toISOString(), days.until.toISOString()].join('\0');
    const entry = this.entries.get(key);
    const fresh = entry !== undefined && Date.now() - entry.at < CACHE_MS;
    if (!fresh && !this.inFlight.has(key)) this.start(key, where, days);
    return { value: entry?.value, root: where.root, file: where.file, loading: this.inFlight.has(key) };
  }

  private start(key: string, where: { root: string; file: string; line: number; range?: LineRange }, days: { since: Date; until: Date }): void {
    this.inFlight.add(key);
    this.queue.push(async () => {
      try {
        const lines = where.range ?? (await this.definitionOf(where.root, where.file, where.line));
        this.runs++;
        const value = await commitsTouching(where.root, where.file, lines, { ...days, limit: CHANGED_COMMITS, signal: this.abort.signal });
        if (this.isDisposed) return;
        this.entries.set(key, { value, root: where.root, file: where.file, at: Date.now() });
        if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      } finally {
        this.inFlight.delete(key);
        if (!this.isDisposed) this.changeEmitter.fire();
      }
    });
    this.pump();
  }

  private pump(): void {
    while (this.running < MAX_RUNNING && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void job().finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  /** The definition's lines from the file as saved (git knows the saved lines, not the editor's). */
  private async definitionOf(root: string, file: string, line: number): Promise<LineRange | undefined> {
    try {
      return definitionLines(await readFile(path.join(root, file), 'utf8'), line, file);
    } catch {
      return undefined;
    }
  }
}

/** What Show Commit did (returned for the tests): the document it opened, or why not. */
export interface ShowCommitOutcome {
  sha: string;
  file?: string;
  /** The opened document's text (`git show <sha> -- <file>`). */
  text?: string;
  reason?: string;
}

/**
 * Show Commit (the hover's and the panel's sha links): `git show <sha> -- <file>` of the endpoint's
 * file, run locally where the index found it, opened beside as an untitled diff document. The
 * endpoint id, not a path, comes in: a link can name no file of its own.
 */
export async function showCommit(indexer: WorkspaceIndexer, endpointId: unknown, sha: unknown): Promise<ShowCommitOutcome | undefined> {
  if (typeof endpointId !== 'string' || typeof sha !== 'string') return undefined;
  const root = indexer.indexes.find((r) => r.current?.index.endpoint(endpointId) !== undefined);
  const file = root?.current?.index.endpoint(endpointId)?.file;
  if (!root || file === undefined) {
    void vscode.window.showWarningMessage(notificationSafe(`Budget Lens: ${endpointId} is not defined in this workspace.`));
    return { sha, reason: 'not in this workspace' };
  }
  const answer = await commitText(root.root, sha, file);
  if ('reason' in answer) {
    void vscode.window.showWarningMessage(notificationSafe(`Budget Lens: git show ${sha} -- ${file} failed: ${answer.reason}`));
    return { sha, file, reason: answer.reason };
  }
  const document = await vscode.workspace.openTextDocument({ language: 'diff', content: answer.text });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  return { sha, file, text: answer.text };
}
