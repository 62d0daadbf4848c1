/**
 * The status bar item: the active file's group (click -> Show Mapping of Current File), and the
 * indexing progress while a build runs (click -> cancel it).
 */
import * as vscode from 'vscode';
import { primaryCategory } from '../sdk/mapping/workspaceIndex';
import { CONTRIBUTED_COMMANDS } from './commandIds';
import { categoryLensTitle, statusBarText } from './text/mappingText';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** What the item shows, also returned to the extension-host tests. */
export interface StatusBarState {
  visible: boolean;
  text: string;
  tooltip: string;
  command: string | undefined;
}

export class GroupStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('budgetLens.group', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private enabled: boolean;
  private shown: StatusBarState = { visible: false, text: '', tooltip: '', command: undefined };

  constructor(
    private readonly indexer: WorkspaceIndexer,
    enabled: boolean,
  ) {
    this.enabled = enabled;
    this.item.name = 'Budget Lens: group of the current file';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      indexer.onDidChangeState(() => this.update()),
      indexer.onDidChangeMapping((files) => {
        const active = this.activeFile();
        if (active !== undefined && files.includes(active)) this.update();
      }),
    );
    this.update();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.update();
  }

  get state(): StatusBarState {
    return { ...this.shown };
  }

  private activeFile(): string | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri ? this.indexer.relativePath(uri) : undefined;
  }

  update(): void {
    const next = this.compute();
    this.shown = next;
    if (!next.visible) {
      this.item.hide();
      return;
    }
    this.item.text = next.text;
    this.item.tooltip = next.tooltip;
    this.item.command = next.command;
    this.item.show();
  }

  private compute(): StatusBarState {
    const hidden: StatusBarState = { visible: false, text: '', tooltip: '', command: undefined };
    if (!this.enabled) return hidden;
    const state = this.indexer.state;
    if (state.phase === 'indexing') {
      const p = state.progress;
      const count = p && p.total > 0 ? ` ${p.scanned}/${p.total}` : '';
      return { visible: true, text: `$(sync~spin) Budget Lens: indexing${count}`, tooltip: 'Indexing feature categories. Click to cancel.', command: CONTRIBUTED_COMMANDS.cancelIndexing };
    }
    if (state.phase === 'failed') {
      return { visible: true, text: '$(warning) Budget Lens', tooltip: `Indexing failed: ${state.error ?? ''}\nClick to re-index.`, command: CONTRIBUTED_COMMANDS.reindex };
    }
    const ws = this.indexer.current;
    const file = this.activeFile();
    if (!ws || file === undefined) return hidden;
    const mapping = ws.index.fileMapping(file);
    if (!mapping || (mapping.categories.length === 0 && mapping.endpoints.length === 0)) return hidden;
    const { category } = primaryCategory(mapping);
    return {
      visible: true,
      text: `$(organization) ${statusBarText(category, ws.catalog)}`,
      tooltip: `${file}: ${categoryLensTitle(category, ws.catalog)}\nClick to show the file's mapping.`,
      command: CONTRIBUTED_COMMANDS.showMapping,
    };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
