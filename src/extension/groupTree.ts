/**
 * The "Group budget" sidebar tree: the developer's group (developerGroup.ts) -> its categories
 * with their budget figures -> each category's top failing endpoints, which jump to their code
 * through Go to Endpoint when the workspace defines them. Everything is what BudgetData knows now
 * (reading asks for what is unknown or old); items appear as answers arrive through onDidChange.
 *
 * Without a backend URL, or once the backend refused a request with HTTP 401, the tree is empty,
 * so the view's welcome content (package.json `viewsWelcome`, gated by the `budgetLens.needsToken`
 * context key set here) says what to do. A server that needs no token is never asked for one.
 */
import * as vscode from 'vscode';
import type { BudgetFigures, EndpointRow, GroupBudget } from '../sdk';
import type { BudgetState } from '@shared/protocol';
import type { BudgetData } from './budgetData';
import type { BudgetSession } from './budgetSession';
import { CONTRIBUTED_COMMANDS } from './commandIds';
import { StickyGroup, definesEndpoint, groupObjectives, localCatalog, localObjectives } from './developerGroup';
import { objectiveState, objectiveTreeDescription, objectiveTreeTooltip, objectivesSummary } from './text/objectiveText';
import { Disposable } from './disposable';
import { affects } from './settings';
import type { CacheEntry, Failure } from './budgetCache';
import { failingReasonText, failureSummary, noDataLensText, staleReasonText, statusBarBudgetTooltip } from './text/budgetText';
import { budgetState, catalogChangeText, categoryTooltip, endpointBelowTarget, endpointDescription, endpointRowLabels, endpointTooltip, figuresDescription } from './text/panelText';
import { oneLine } from './text/safeText';
import type { WorkspaceIndexer } from './workspaceIndexer';

export const GROUP_TREE_VIEW_ID = 'budgetLens.groupTree';
/** True once the backend answered 401 and until something succeeds (the welcome content offers "Set API Token"). */
export const NEEDS_TOKEN_CONTEXT_KEY = 'budgetLens.needsToken';

type Node =
  | { kind: 'group'; key: string }
  | { kind: 'category'; name: string }
  /** `label`: the short id (endpointRowLabels), the full one in the tooltip. */
  | { kind: 'endpoint'; row: EndpointRow; target: string | undefined; label: string }
  /** Every objective of the workspace (issue 13), under one node of its own. */
  | { kind: 'objectives' }
  | { kind: 'objective'; name: string; parent: string }
  | { kind: 'message'; text: string; tooltip?: string; problem?: boolean; command?: string };

/** One item as `_testState` reports it (depth 0 = the group). */
export interface TreeItemState {
  depth: number;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  color?: string;
  command?: { command: string; arguments: unknown[] };
}

const STATE_ICONS: Record<BudgetState, [string, string | undefined]> = {
  exhausted: ['error', 'charts.red'],
  overHalf: ['warning', 'charts.yellow'],
  fine: ['pass', 'charts.green'],
  noData: ['circle-outline', undefined],
};

function stateIcon(state: BudgetState): vscode.ThemeIcon {
  const [id, color] = STATE_ICONS[state];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/** Figures that are the last good ones: no green check (or red cross) for data that may have changed. */
const STALE_ICON = new vscode.ThemeIcon('history', new vscode.ThemeColor('list.warningForeground'));
/** No figures, and the backend failed: what a user must act on. */
const FAILING_ICON = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));

/**
 * A group or category item's look from its entry of the budget data: figures with the state icon
 * (a history icon when stale), a warning with what failed when nothing ever loaded, else loading.
 * `tooltipOf` words the figures' tooltip (the group's and a category's differ).
 */
function entryLook<T extends BudgetFigures>(
  entry: CacheEntry<T> | undefined,
  plainIcon: string,
  tooltipOf: (value: T, failure: Failure | undefined, at: number | undefined) => string,
): { description: string; tooltip: string | undefined; icon: vscode.ThemeIcon } {
  if (entry?.value !== undefined) {
    const stale = entry.failure !== undefined;
    return {
      description: figuresDescription(entry.value, stale),
      tooltip: tooltipOf(entry.value, entry.failure, entry.fetchedAt),
      icon: stale ? STALE_ICON : stateIcon(budgetState(entry.value)),
    };
  }
  if (entry?.failure) return { description: noDataLensText(entry.failure), tooltip: failingReasonText(entry.failure), icon: FAILING_ICON };
  return { description: 'loading…', tooltip: undefined, icon: new vscode.ThemeIcon(plainIcon) };
}

export class GroupTreeProvider extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly changeEmitter = this.own(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly view: vscode.TreeView<Node>;
  private shownGroup: string | undefined;
  private needsTokenContext: boolean | undefined;
  private readonly group: StickyGroup;

  constructor(
    private readonly indexer: WorkspaceIndexer,
    private readonly session: BudgetSession,
    private readonly budget: BudgetData,
  ) {
    super();
    this.group = this.own(new StickyGroup(indexer));
    this.view = this.own(vscode.window.createTreeView(GROUP_TREE_VIEW_ID, { treeDataProvider: this, showCollapseAll: true }));
    this.ownAll(
      budget.onDidChange(() => this.update()),
      indexer.onDidChangeIndexes(() => this.update()),
      indexer.onDidChangeState(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => {
        // Only a different group redraws the tree (switching between files of one group does not).
        if (this.group.current() !== this.shownGroup) this.update();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'group')) this.update();
      }),
    );
    this.update();
  }

  update(): void {
    if (this.needsTokenContext !== this.session.needsToken) {
      this.needsTokenContext = this.session.needsToken;
      void vscode.commands.executeCommand('setContext', NEEDS_TOKEN_CONTEXT_KEY, this.needsTokenContext);
    }
    this.changeEmitter.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!this.session.enabled && !this.session.needsToken && !node && localObjectives(this.indexer).length > 0) {
      // No backend, but objectives: list them (each opens its definition) under the way to their figures.
      return [
        { kind: 'message', text: 'No budget backend: set its URL to see figures', tooltip: 'Budget Lens: Set Budget API URL (or Set Prometheus URL) names where the figures come from.', command: CONTRIBUTED_COMMANDS.setApiUrl },
        { kind: 'objectives' },
      ];
    }
    if (!this.session.enabled && node?.kind === 'objectives') return localObjectives(this.indexer).map((o) => ({ kind: 'objective', name: o.name, parent: 'objectives' }));
    if (!this.session.enabled || this.session.needsToken) return [];
    if (!node) {
      const key = this.group.current();
      this.shownGroup = key;
      // A workspace with objectives (OpenSLO files, native ones) gets them all under a node of their own.
      const objectives: Node[] = localObjectives(this.indexer).length > 0 ? [{ kind: 'objectives' }] : [];
      if (key === undefined) {
        // Objectives without a GitLab-style catalog: the Objectives tree is all there is to show.
        if (objectives.length > 0 && this.indexer.indexes.every((i) => i.catalogWorkspace?.catalogOrigin.kind !== 'config' && i.catalogWorkspace?.catalogOrigin.kind !== 'directory')) return objectives;
        return [{ kind: 'message', text: 'Open a file of your group, or choose a group', tooltip: 'Budget Lens: Choose Group sets budgetLens.group.' }, ...objectives];
      }
      return [{ kind: 'group', key }, ...objectives];
    }
    if (node.kind === 'objectives') return localObjectives(this.indexer).map((o) => ({ kind: 'objective', name: o.name, parent: 'objectives' }));
    if (node.kind === 'group') {
      const catalog = localCatalog(this.indexer);
      const entry = this.budget.group(node.key);
      const names = catalog?.group(node.key)?.categories ?? entry?.value?.categories ?? [];
      // The group's objectives (its own and its categories') after its categories.
      const objectives: Node[] = groupObjectives(localObjectives(this.indexer), node.key, names).map((o) => ({ kind: 'objective', name: o.name, parent: `group:${node.key}` }));
      const categories: Node[] = [...names.map((name): Node => ({ kind: 'category', name })), ...objectives];
      // A failing backend (stale or never loaded): first, what failed, and a click that offers the fix.
      if (entry?.failure) {
        const text = `${entry.value ? 'Stale' : 'No budget data'}: ${failureSummary(entry.failure)}`;
        return [{ kind: 'message', text, tooltip: `${staleReasonText(entry.failure, entry.fetchedAt)}\nClick to check the budget backend.`, problem: true }, ...categories];
      }
      return categories;
    }
    if (node.kind === 'category') {
      const top = this.budget.topEndpoints(node.name);
      if (!top?.value) return top?.failure ? [{ kind: 'message', text: `no endpoint data (${failureSummary(top.failure)})`, tooltip: `${failingReasonText(top.failure)}\nClick to check the budget backend.`, problem: true }] : [];
      const failing = top.value.filter((e) => e.failures > 0);
      // The category's target decides which rows are below it (its figures are on the tree already).
      const target = this.budget.category(node.name)?.value?.target;
      // Short ids, so the figures fit beside them at the side bar's default width (full ones where two would read alike).
      const labels = endpointRowLabels(failing.map((row) => row.endpointId));
      return failing.length > 0
        ? failing.map((row) => ({ kind: 'endpoint', row, target, label: labels.get(row.endpointId) ?? row.endpointId }))
        : [{ kind: 'message', text: 'No failing endpoint in the window' }];
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return this.groupItem(node.key);
      case 'category':
        return this.categoryItem(node.name);
      case 'endpoint':
        return this.endpointItem(node.row, node.target, node.label);
      case 'objectives': {
        const item = new vscode.TreeItem('Objectives', vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'objectives';
        item.iconPath = new vscode.ThemeIcon('target');
        item.tooltip = 'The objectives of this workspace (OpenSLO files and .budgetlens.yml), each over its own window.';
        return item;
      }
      case 'objective':
        return this.objectiveItem(node.name, node.parent);
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.tooltip = node.tooltip;
        item.iconPath = node.problem ? FAILING_ICON : new vscode.ThemeIcon('info');
        if (node.problem) item.command = { title: 'Check Budget Backend', command: CONTRIBUTED_COMMANDS.checkBackend, arguments: [] };
        else if (node.command) item.command = { title: node.text, command: node.command, arguments: [] };
        return item;
      }
    }
  }

  private groupItem(key: string): vscode.TreeItem {
    const entry = this.budget.group(key);
    // Labels are plain text, but a backend name must not bring its own line breaks.
    const name = oneLine(entry?.value?.name ?? localCatalog(this.indexer)?.group(key)?.name ?? key);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `group:${key}`;
    item.contextValue = 'group';
    // The group's tooltip says what moved in its window (catalog history, issue 15 item 1).
    const changes = (this.budget.meta('group', key)?.catalogChanges ?? []).map((c) => catalogChangeText(c, (k) => localCatalog(this.indexer)?.group(k)?.name));
    const look = entryLook(entry, 'organization', (v: GroupBudget, f, at) => statusBarBudgetTooltip(v, f, at, changes));
    item.description = look.description;
    item.iconPath = look.icon;
    item.tooltip = look.tooltip ?? `${name} (${oneLine(key)})`;
    if (entry?.value && entry.value.remainingMinutes === null) {
      // No availability data, but objectives: the row says how they stand (the status bar's words).
      const categories = localCatalog(this.indexer)?.group(key)?.categories ?? entry.value.categories;
      const summary = objectivesSummary(groupObjectives(localObjectives(this.indexer), key, categories).map((o) => this.budget.objective(o.name)));
      if (summary) {
        item.description = `${summary.text}${summary.stale ? ' (stale)' : ''}`;
        item.iconPath = summary.stale ? STALE_ICON : stateIcon(summary.state);
        item.tooltip = `${item.tooltip}\nIts objectives: ${summary.text}.`;
      }
    }
    return item;
  }

  private categoryItem(name: string): vscode.TreeItem {
    const entry = this.budget.category(name);
    const item = new vscode.TreeItem(oneLine(name), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `category:${name}`;
    item.contextValue = 'category';
    const look = entryLook(entry, 'tag', categoryTooltip);
    item.description = look.description;
    item.iconPath = look.icon;
    item.tooltip = look.tooltip;
    return item;
  }

  private objectiveItem(name: string, parent: string): vscode.TreeItem {
    const entry = this.budget.objective(name);
    const item = new vscode.TreeItem(oneLine(name), vscode.TreeItemCollapsibleState.None);
    item.id = `${parent}/objective:${name}`;
    item.contextValue = 'objective';
    item.description = objectiveTreeDescription(entry);
    item.tooltip = objectiveTreeTooltip(name, entry, entry?.failure);
    if (entry?.value) item.iconPath = entry.failure ? STALE_ICON : entry.value.figures === null ? FAILING_ICON : stateIcon(objectiveState(entry.value));
    else item.iconPath = entry?.failure ? FAILING_ICON : new vscode.ThemeIcon('target');
    item.command = { title: 'Go to Objective', command: CONTRIBUTED_COMMANDS.openObjective, arguments: [name] };
    return item;
  }

  private endpointItem(row: EndpointRow, target: string | undefined, label: string): vscode.TreeItem {
    const below = target !== undefined && endpointBelowTarget(row, target);
    const inWorkspace = definesEndpoint(this.indexer, row.endpointId);
    const item = new vscode.TreeItem(oneLine(label), vscode.TreeItemCollapsibleState.None);
    item.id = `endpoint:${row.category}:${row.endpointId}`;
    item.description = endpointDescription(row);
    item.tooltip = endpointTooltip(row, inWorkspace, target);
    item.contextValue = inWorkspace ? 'endpoint' : 'endpointElsewhere';
    // Below the target: the warning icon (the tooltip says so); else what a click does.
    item.iconPath = below ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon(inWorkspace ? 'symbol-method' : 'circle-slash');
    if (inWorkspace) item.command = { title: 'Go to code', command: CONTRIBUTED_COMMANDS.goToEndpoint, arguments: [row.endpointId] };
    return item;
  }

  /** Every item, depth first, as the view would show them fully expanded (tests only). */
  items(): TreeItemState[] {
    const out: TreeItemState[] = [];
    const walk = (nodes: Node[], depth: number): void => {
      for (const node of nodes) {
        const item = this.getTreeItem(node);
        const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath : undefined;
        out.push({
          depth,
          label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
          description: typeof item.description === 'string' ? item.description : undefined,
          tooltip: typeof item.tooltip === 'string' ? item.tooltip : undefined,
          icon: icon?.id,
          color: icon?.color?.id,
          ...(item.command ? { command: { command: item.command.command, arguments: item.command.arguments ?? [] } } : {}),
        });
        walk(this.getChildren(node), depth + 1);
      }
    };
    walk(this.getChildren(), 0);
    return out;
  }
}
