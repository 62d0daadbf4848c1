/**
 * The status bar item: the active file's group (click -> Show Mapping of Current File), and the
 * indexing progress while its root builds (click -> cancel it) or the root's error (click ->
 * re-index it). In a multi-root workspace the active file's root decides.
 *
 * With a Budget API configured it shows the developer's group (developerGroup.ts:
 * `budgetLens.group`, else the active file's) and its remaining budget-min, on a warning background once the budget is
 * exhausted, with the stale reason in the tooltip when the figures are the last good ones. While
 * a burn alert fires for the group or an open category (burnAlertWatcher.ts) it leads with the
 * tier, `$(flame) 14.4× burn · …`, on the warning background, and opens the budget panel.
 */
import * as vscode from 'vscode';
import { primaryCategory } from '../sdk';
import { CONTRIBUTED_COMMANDS } from './commandIds';
import type { BudgetData } from './budgetData';
import type { BurnAlertWatcher } from './burnAlertWatcher';
import { developerGroup, groupObjectives, localCatalog, localObjectives } from './developerGroup';
import { Disposable } from './disposable';
import { isExhausted, noBudgetDataStatusBar, statusBarBudgetText, statusBarBudgetTooltip } from './text/budgetText';
import { burnStatusBarText, burnTooltipLine } from './text/burnAlertText';
import { catalogNote, categoryLensTitle, statusBarText } from './text/mappingText';
import { objectiveFiguresText, objectivesSummary } from './text/objectiveText';
import { oneLine, statusBarSafe } from './text/safeText';
import type { Located, WorkspaceIndexer } from './workspaceIndexer';

/** The theme color of an exhausted budget's item. */
const EXHAUSTED_BACKGROUND = 'statusBarItem.warningBackground';

/** What the item shows, also returned to the extension-host tests. */
export interface StatusBarState {
  visible: boolean;
  text: string;
  tooltip: string;
  command: string | undefined;
  /** A theme color id, set when the group's budget is exhausted. */
  backgroundColor?: string;
}

export class GroupStatusBar extends Disposable {
  private readonly item = this.own(vscode.window.createStatusBarItem('budgetLens.group', vscode.StatusBarAlignment.Left, 50));
  private enabled: boolean;
  private shown: StatusBarState = { visible: false, text: '', tooltip: '', command: undefined };

  constructor(
    private readonly indexer: WorkspaceIndexer,
    private readonly budget: BudgetData,
    enabled: boolean,
    private readonly burn?: BurnAlertWatcher,
  ) {
    super();
    this.enabled = enabled;
    if (burn) this.own(burn.onDidChange(() => this.update()));
    this.item.name = 'Budget Lens: group of the current file';
    this.ownAll(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      indexer.onDidChangeState(() => this.update()),
      indexer.onDidChangeIndexes(() => this.update()),
      budget.onDidChange(() => this.update()),
      indexer.onDidChangeMapping(({ index, files }) => {
        const active = this.active();
        if (active?.index === index && files.includes(active.file)) this.update();
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

  /** The active editor's document: its root and path there, if it is under one. */
  private active(): Located | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri ? this.indexer.locate(uri) : undefined;
  }

  update(): void {
    const active = this.active();
    const next = this.compute(active);
    this.shown = next;
    if (!next.visible) {
      this.item.hide();
      return;
    }
    this.item.text = next.text;
    this.item.tooltip = next.tooltip;
    this.item.backgroundColor = next.backgroundColor ? new vscode.ThemeColor(next.backgroundColor) : undefined;
    // Cancel and re-index act on the active file's root (every root when no file is active).
    const args = active && next.command !== CONTRIBUTED_COMMANDS.showMapping ? [active.index.uriOf(active.file)] : [];
    this.item.command = next.command === undefined ? undefined : { title: next.text, command: next.command, arguments: args };
    this.item.show();
  }

  /** The active file's root decides (indexing, failed, or its group); without one, all roots do. */
  private compute(active: Located | undefined): StatusBarState {
    const hidden: StatusBarState = { visible: false, text: '', tooltip: '', command: undefined };
    if (!this.enabled) return hidden;
    const state = active ? active.index.state : this.indexer.state;
    const where = active && this.indexer.indexes.length > 1 ? ` (${active.index.name})` : '';
    if (state.phase === 'indexing') {
      const p = state.progress;
      const count = p && p.total > 0 ? ` ${p.scanned}/${p.total}` : '';
      return { visible: true, text: `$(sync~spin) Budget Lens: indexing${count}`, tooltip: `Indexing feature categories${where}. Click to cancel.`, command: CONTRIBUTED_COMMANDS.cancelIndexing };
    }
    if (state.phase === 'failed') {
      return { visible: true, text: '$(warning) Budget Lens', tooltip: `Indexing failed${where}: ${state.error ?? ''}\nClick to re-index.`, command: CONTRIBUTED_COMMANDS.reindex };
    }
    const ws = active?.index.current;
    const mapping = active && ws ? ws.index.fileMapping(active.file) : undefined;
    const category = mapping && (mapping.categories.length > 0 || mapping.endpoints.length > 0) ? primaryCategory(mapping).category : undefined;
    // The same "my group" as the tree and the panel (developerGroup.ts), without their stickiness:
    // the status bar follows the active file.
    const budgetState = this.budgetState(developerGroup(this.indexer));
    if (budgetState) return budgetState;
    if (!active || !ws || category === undefined) return hidden;
    return {
      visible: true,
      text: `$(organization) ${statusBarText(category, ws.catalog)}`,
      tooltip: `${active.file}${where}: ${categoryLensTitle(category, ws.catalog)}\n${catalogNote(ws.catalogOrigin.label)}\nClick to show the file's mapping.`,
      command: CONTRIBUTED_COMMANDS.showMapping,
    };
  }

  /** The group's budget, once the API has answered for it (or failed before any answer). */
  private budgetState(group: string | undefined): StatusBarState | undefined {
    if (group === undefined || group === '') return undefined;
    // What is known now (undefined without a backend); an unknown group is fetched and announced by onDidChange.
    const entry = this.budget.group(group);
    const firing = this.burn?.firing;
    if (entry?.value && firing) {
      // A burn alert's tier while it fires (burnAlertWatcher.ts): the flame, the group's figures, the panel on click.
      return {
        visible: true,
        text: `${burnStatusBarText(firing.evaluation)} · ${statusBarBudgetText(entry.value, entry.failure !== undefined)}`,
        tooltip: `${burnTooltipLine(firing.label, firing.evaluation)}\n${statusBarBudgetTooltip(entry.value, entry.failure, entry.fetchedAt)}\nClick to open the budget panel.`,
        command: CONTRIBUTED_COMMANDS.openBudgetPanel,
        backgroundColor: EXHAUSTED_BACKGROUND,
      };
    }
    if (entry?.value && entry.value.remainingMinutes === null) {
      // No availability data, but objectives (a workspace measured by its OpenSLO files): their summary.
      const categories = localCatalog(this.indexer)?.group(group)?.categories ?? entry.value.categories;
      const names = groupObjectives(localObjectives(this.indexer), group, categories).map((o) => o.name);
      const entries = names.map((n) => this.budget.objective(n));
      const summary = objectivesSummary(entries);
      if (summary) {
        const stale = summary.stale || entry.failure !== undefined;
        const lines = names.map((n, i) => oneLine(`${n}: ${entries[i]?.value ? objectiveFiguresText(entries[i]!.value!, entries[i]!.failure !== undefined) : 'loading…'}`));
        return {
          visible: true,
          text: `${stale ? '$(warning)' : '$(pulse)'} ${statusBarSafe(entry.value.name)}: ${summary.text}${stale ? ' (stale)' : ''}`,
          tooltip: [oneLine(`${entry.value.name} (${group}): its objectives`), ...lines, 'Availability: no request or job data for its categories in the window.', 'Click to open the budget panel.'].join('\n'),
          command: CONTRIBUTED_COMMANDS.openBudgetPanel,
          ...(summary.state === 'exhausted' ? { backgroundColor: EXHAUSTED_BACKGROUND } : {}),
        };
      }
    }
    if (entry?.value) {
      const stale = entry.failure !== undefined;
      return {
        visible: true,
        text: `${stale ? '$(warning)' : '$(organization)'} ${statusBarBudgetText(entry.value, stale)}`,
        tooltip: `${statusBarBudgetTooltip(entry.value, entry.failure, entry.fetchedAt)}\n${stale ? 'Click to check the budget backend.' : 'Click to refresh the budget data.'}`,
        command: stale ? CONTRIBUTED_COMMANDS.checkBackend : CONTRIBUTED_COMMANDS.refreshBudget,
        ...(isExhausted(entry.value) ? { backgroundColor: EXHAUSTED_BACKGROUND } : {}),
      };
    }
    if (entry?.failure) {
      // Never loaded: the group's name from the local catalog, what failed, and the fix on click.
      const name = localCatalog(this.indexer)?.group(group)?.name ?? group;
      const shown = noBudgetDataStatusBar(name, group, entry.failure);
      return { visible: true, text: `$(warning) ${shown.text}`, tooltip: shown.tooltip, command: CONTRIBUTED_COMMANDS.checkBackend };
    }
    return undefined;
  }
}
