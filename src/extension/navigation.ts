/**
 * Moving around the code from the index: Go to Endpoint (every endpoint id of every indexed root,
 * or one id: the tree's, the hover's and the panel's links), Show Mapping of Current File, and
 * the one way to open a file at a line (revealLine). Commands, the panel and tests call these.
 */
import * as vscode from 'vscode';
import { relative } from 'node:path';
import { objectiveTargetText } from '../sdk';
import type { Endpoint } from '../sdk';
import { catalogNote, codeLensTitle, formatSeconds } from './text/mappingText';
import { notificationSafe } from './text/safeText';
import type { RootIndexer } from './rootIndexer';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** Where a jump landed (returned so callers and tests can check it); `file` is root-relative. */
export interface JumpTarget {
  file: string;
  line: number;
}

type EndpointPick = vscode.QuickPickItem & { endpoint: Endpoint; index: RootIndexer };
type LinePick = vscode.QuickPickItem & { line: number };

/** Opens `file` of a root at 1-based `line`, cursor at the line start, revealed in the middle. */
export async function revealLine(index: RootIndexer, file: string, line: number): Promise<JumpTarget> {
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  const editor = await vscode.window.showTextDocument(index.uriOf(file), { selection: new vscode.Range(position, position), preview: false });
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  return { file, line };
}

/** The indexed roots, the active file's first: an id both define resolves where the user is. */
function readyIndexes(indexer: WorkspaceIndexer): RootIndexer[] {
  const uri = vscode.window.activeTextEditor?.document.uri;
  const activeIndex = uri ? indexer.locate(uri)?.index : undefined;
  const ready = indexer.indexes.filter((i) => i.current !== undefined);
  return activeIndex && ready.includes(activeIndex) ? [activeIndex, ...ready.filter((i) => i !== activeIndex)] : ready;
}

/** Go to Endpoint's items: every endpoint of every indexed root, the folder named when there are several. */
export function endpointPicks(indexer: WorkspaceIndexer): EndpointPick[] {
  const several = indexer.indexes.length > 1;
  return indexer.indexes.flatMap((index) =>
    (index.current?.index.endpoints() ?? []).map((e) => ({
      label: e.id,
      description: `${e.category} · ${e.urgency} (${formatSeconds(e.thresholdS)})`,
      detail: several ? `${index.name} · ${e.file}:${e.line}` : `${e.file}:${e.line}`,
      endpoint: e,
      index,
    })),
  );
}

/** Jumps to an endpoint's definition by id: the jump "top offender" will reuse. */
export async function goToEndpoint(indexer: WorkspaceIndexer, id?: string): Promise<JumpTarget | undefined> {
  await indexer.whenIdle();
  const ready = readyIndexes(indexer);
  if (ready.length === 0) {
    void vscode.window.showWarningMessage('Budget Lens: the workspace is not indexed (indexing failed or is still running; see the Budget Lens output).');
    return undefined;
  }
  let target: { endpoint: Endpoint; index: RootIndexer } | undefined;
  if (typeof id === 'string') {
    for (const index of ready) {
      const endpoint = index.current?.index.endpoint(id);
      if (endpoint) {
        target = { endpoint, index };
        break;
      }
    }
    if (!target) {
      void vscode.window.showWarningMessage(notificationSafe(`Budget Lens: no endpoint '${id}' in this workspace.`));
      return undefined;
    }
  } else {
    const placeHolder = indexer.indexes.length > 1 ? 'Endpoint id, category, folder or file' : 'Endpoint id, category or file';
    target = await vscode.window.showQuickPick(endpointPicks(indexer), { title: 'Go to Endpoint', placeHolder, matchOnDescription: true, matchOnDetail: true });
  }
  return target ? revealLine(target.index, target.endpoint.file, target.endpoint.line) : undefined;
}

/**
 * Lists the active file's categories and endpoints in a QuickPick (pick one to jump to it).
 * Returns the listed labels without waiting for the pick, so tests can read them.
 */
export async function showMapping(indexer: WorkspaceIndexer): Promise<string[]> {
  await indexer.whenIdle();
  const uri = vscode.window.activeTextEditor?.document.uri;
  const located = uri ? indexer.locate(uri) : undefined;
  const ws = located?.index.current;
  const mapping = ws && located ? ws.index.fileMapping(located.file) : undefined;
  if (!ws || !located || !mapping) {
    void vscode.window.showInformationMessage('Budget Lens: the current file is not part of an indexed workspace.');
    return [];
  }
  const { index, file } = located;
  const picks: LinePick[] = [];
  for (const r of mapping.categories) {
    picks.push({ label: `$(tag) ${codeLensTitle(r.category, ws.catalog, undefined)}`, description: `${r.scope} ${r.name}`, detail: `lines ${r.startLine}-${r.endLine} · ${r.attribution}`, line: r.startLine });
  }
  for (const e of mapping.endpoints) {
    picks.push({ label: `$(symbol-method) ${e.id}`, description: `${e.category} · ${e.urgency} (${formatSeconds(e.thresholdS)})`, detail: `line ${e.line} · ${e.attribution}`, line: e.line });
  }
  for (const f of mapping.findings) {
    picks.push({ label: `$(warning) ${f.message}`, description: f.code, detail: `line ${f.line}:${f.column}`, line: f.line });
  }
  if (picks.length === 0) picks.push({ label: 'No feature category, endpoint or finding in this file', line: 1 });
  // Which catalog named the groups above (the bundled snapshot and its date, or the user's); picking it does nothing.
  picks.push({ label: `$(book) ${catalogNote(ws.catalogOrigin.label)}`, line: 0 });
  void vscode.window.showQuickPick(picks, { title: `Budget Lens mapping of ${file}`, matchOnDescription: true }).then((picked) => {
    if (picked && picked.line > 0 && mapping.categories.length + mapping.endpoints.length + mapping.findings.length > 0) void revealLine(index, file, picked.line);
  });
  return picks.map((p) => p.label.replace(/^\$\([\w-]+\) /, ''));
}

type ObjectivePick = vscode.QuickPickItem & { index: RootIndexer; file: string; line: number };

/** Go to Objective's items: every objective of every indexed root, with where it is defined. */
export function objectivePicks(indexer: WorkspaceIndexer): ObjectivePick[] {
  const several = indexer.indexes.length > 1;
  return indexer.indexes.flatMap((index) =>
    (index.current?.objectives.objectives ?? []).map((o) => {
      const file = relative(index.root, o.location.file) || o.location.file;
      return {
        label: o.name,
        description: `${objectiveTargetText(o)} over ${o.window.label} · ${o.budgetingMethod}`,
        detail: several ? `${index.name} · ${file}:${o.location.line}` : `${file}:${o.location.line}`,
        index,
        file,
        line: o.location.line,
      };
    }),
  );
}

/**
 * Opens an objective's definition (its OpenSLO document or `.budgetlens.yml` entry) by name, the
 * root named first when given (lenses pass theirs); without a name, a QuickPick of them all.
 */
export async function goToObjective(indexer: WorkspaceIndexer, name?: string, root?: string): Promise<JumpTarget | undefined> {
  await indexer.whenIdle();
  const picks = objectivePicks(indexer);
  if (picks.length === 0) {
    void vscode.window.showWarningMessage('Budget Lens: no objectives in this workspace (objectives: in .budgetlens.yml lists OpenSLO files and native ones).');
    return undefined;
  }
  let target: ObjectivePick | undefined;
  if (typeof name === 'string') {
    target = picks.find((p) => p.label === name && (root === undefined || p.index.root === root)) ?? picks.find((p) => p.label === name);
    if (!target) {
      void vscode.window.showWarningMessage(notificationSafe(`Budget Lens: no objective '${name}' in this workspace.`));
      return undefined;
    }
  } else {
    target = await vscode.window.showQuickPick(picks, { title: 'Go to Objective', placeHolder: 'Objective name, target or file', matchOnDescription: true, matchOnDetail: true });
  }
  return target ? revealLine(target.index, target.file, target.line) : undefined;
}
