/**
 * Which group the tree, the panel (and the status bar's rule) are about: `budgetLens.group`, else
 * the group of the active file's category; and the local catalog and index lookups they share.
 */
import * as vscode from 'vscode';
import { objectiveGroupKey, primaryCategory } from '../sdk';
import type { GitLabCatalog, ObjectiveSpec } from '../sdk';
import { Disposable } from './disposable';
import { readSettings } from './settings';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** The group of the active file's primary category, if the file is indexed and its category valid. */
export function activeFileGroup(indexer: WorkspaceIndexer): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  const located = uri ? indexer.locate(uri) : undefined;
  const ws = located?.index.current;
  const mapping = located && ws ? ws.index.fileMapping(located.file) : undefined;
  if (!ws || !mapping || (mapping.categories.length === 0 && mapping.endpoints.length === 0)) return undefined;
  const category = primaryCategory(mapping).category;
  return ws.catalog.isValidCategory(category) ? ws.catalog.groupOf(category).key : undefined;
}

/** `budgetLens.group`, else the active file's group. */
export function developerGroup(indexer: WorkspaceIndexer): string | undefined {
  return readSettings().group || activeFileGroup(indexer);
}

/**
 * developerGroup that keeps the last group while no file gives one: focusing the budget panel
 * (a webview, so no active text editor) or the Output must not make the tree and panel forget it.
 */
export class StickyGroup extends Disposable {
  private last: string | undefined;

  /** Watches the active editor and the index from now on, so a panel opened later knows the file's group. */
  constructor(private readonly indexer: WorkspaceIndexer) {
    super();
    this.ownAll(
      vscode.window.onDidChangeActiveTextEditor(() => this.current()),
      indexer.onDidChangeState(() => this.current()),
      indexer.onDidChangeIndexes(() => this.current()),
    );
    this.current();
  }

  current(): string | undefined {
    const key = developerGroup(this.indexer);
    if (key !== undefined) this.last = key;
    return this.last;
  }
}

/** The catalog of the active file's root, else of the first indexed root. */
export function localCatalog(indexer: WorkspaceIndexer): GitLabCatalog | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  const active = uri ? indexer.locate(uri)?.index.current : undefined;
  return active?.catalog ?? indexer.indexes.find((i) => i.current !== undefined)?.current?.catalog;
}

/** True when an indexed root defines the endpoint (Go to Endpoint can jump to it). */
/** Every objective of the indexed roots (issue 13), the first root's first when two define a name. */
export function localObjectives(indexer: WorkspaceIndexer): ObjectiveSpec[] {
  const byName = new Map<string, ObjectiveSpec>();
  for (const index of indexer.indexes) for (const o of index.current?.objectives.objectives ?? []) if (!byName.has(o.name)) byName.set(o.name, o);
  return [...byName.values()];
}

/** The objectives attached to a group: its own (`group`) and its categories' (`category`). */
export function groupObjectives(objectives: readonly ObjectiveSpec[], group: string, categories: readonly string[]): ObjectiveSpec[] {
  // Group keys compared as objectiveAttachments compares them (`-` and `_` alike, lower case).
  const own = new Set(categories);
  return objectives.filter((o) => (o.category !== undefined ? own.has(o.category) : o.group !== undefined && objectiveGroupKey(o.group) === objectiveGroupKey(group)));
}

export function definesEndpoint(indexer: WorkspaceIndexer, endpointId: string): boolean {
  return indexer.indexes.some((i) => i.current?.index.endpoint(endpointId) !== undefined);
}

/** Choose Group: a quick pick of the catalog's groups; the pick (or `key`) goes into `budgetLens.group` (user settings). */
export async function chooseGroup(indexer: WorkspaceIndexer, key?: string): Promise<string | undefined> {
  let picked = key;
  if (picked === undefined) {
    const catalog = localCatalog(indexer);
    if (!catalog) {
      void vscode.window.showWarningMessage('Budget Lens: no catalog loaded (the workspace is not indexed yet).');
      return undefined;
    }
    const current = developerGroup(indexer);
    const items = [...catalog.groups.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((g) => ({ label: g.name, description: `${g.key} · ${g.stageDisplayName}`, detail: g.categories.join(', '), key: g.key, picked: g.key === current }));
    const pick = await vscode.window.showQuickPick(items, { title: 'Budget Lens: Choose Group', placeHolder: 'Group name, key, stage or category', matchOnDescription: true, matchOnDetail: true });
    picked = pick?.key;
  }
  if (picked === undefined) return undefined;
  await vscode.workspace.getConfiguration('budgetLens').update('group', picked, vscode.ConfigurationTarget.Global);
  return picked;
}
