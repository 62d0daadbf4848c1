/**
 * The "Budget Lens" commands: Show Mapping of Current File, Go to Endpoint…, Re-index Workspace,
 * Cancel Indexing, Show Version, and the internal `_testState` the extension-host tests read.
 * The handler table is typed by command id, so a command missing here fails to compile and the
 * manifest check (test/unit/extension-manifest) keeps package.json in step.
 */
import * as vscode from 'vscode';
import type { Endpoint } from '../sdk/mapping/types';
import type { CommandId } from './commandIds';
import { CONTRIBUTED_COMMANDS, INTERNAL_COMMANDS } from './commandIds';
import type { StatusBarState } from './statusBar';
import { categoryLensTitle, formatSeconds } from './text/mappingText';
import type { IndexerState, WorkspaceIndexer } from './workspaceIndexer';

/** What `budgetLens._testState` returns (tests only; not a public API). */
export interface TestState {
  phase: IndexerState['phase'];
  error?: string;
  root?: string;
  files: number;
  endpoints: number;
  statusBar: StatusBarState;
}

export interface CommandDeps {
  indexer: WorkspaceIndexer;
  statusBar: () => StatusBarState;
  version: string;
}

/** Where a jump landed (returned so callers and tests can check it). */
export interface JumpTarget {
  file: string;
  line: number;
}

type EndpointPick = vscode.QuickPickItem & { endpoint: Endpoint };
type LinePick = vscode.QuickPickItem & { line: number };

/** Opens `file` at 1-based `line`, cursor at the line start, revealed in the middle. */
export async function revealLine(indexer: WorkspaceIndexer, file: string, line: number): Promise<JumpTarget | undefined> {
  const uri = indexer.uriOf(file);
  if (!uri) return undefined;
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  const editor = await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: false });
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  return { file, line };
}

/** Jumps to an endpoint's definition by id: the jump "top offender" will reuse. */
export async function goToEndpoint(indexer: WorkspaceIndexer, id?: string): Promise<JumpTarget | undefined> {
  await indexer.whenIdle();
  const ws = indexer.current;
  if (!ws) {
    void vscode.window.showWarningMessage('Budget Lens: the workspace is not indexed (no .budgetlens.yml found, or indexing failed).');
    return undefined;
  }
  let endpoint: Endpoint | undefined;
  if (typeof id === 'string') {
    endpoint = ws.index.endpoint(id);
    if (!endpoint) {
      void vscode.window.showWarningMessage(`Budget Lens: no endpoint '${id}' in this workspace.`);
      return undefined;
    }
  } else {
    const picks: EndpointPick[] = ws.index.endpoints().map((e) => ({
      label: e.id,
      description: `${e.category} · ${e.urgency} (${formatSeconds(e.thresholdS)})`,
      detail: `${e.file}:${e.line}`,
      endpoint: e,
    }));
    const picked = await vscode.window.showQuickPick(picks, { title: 'Go to Endpoint', placeHolder: 'Endpoint id, category or file', matchOnDescription: true, matchOnDetail: true });
    endpoint = picked?.endpoint;
  }
  return endpoint ? revealLine(indexer, endpoint.file, endpoint.line) : undefined;
}

/**
 * Lists the active file's categories and endpoints in a QuickPick (pick one to jump to it).
 * Returns the listed labels without waiting for the pick, so tests can read them.
 */
export async function showMapping(indexer: WorkspaceIndexer): Promise<string[]> {
  await indexer.whenIdle();
  const ws = indexer.current;
  const uri = vscode.window.activeTextEditor?.document.uri;
  const file = uri ? indexer.relativePath(uri) : undefined;
  const mapping = ws && file !== undefined ? ws.index.fileMapping(file) : undefined;
  if (!ws || file === undefined || !mapping) {
    void vscode.window.showInformationMessage('Budget Lens: the current file is not part of an indexed workspace.');
    return [];
  }
  const picks: LinePick[] = [];
  for (const r of mapping.categories) {
    picks.push({ label: `$(tag) ${categoryLensTitle(r.category, ws.catalog)}`, description: `${r.scope} ${r.name}`, detail: `lines ${r.startLine}-${r.endLine} · ${r.attribution}`, line: r.startLine });
  }
  for (const e of mapping.endpoints) {
    picks.push({ label: `$(symbol-method) ${e.id}`, description: `${e.category} · ${e.urgency} (${formatSeconds(e.thresholdS)})`, detail: `line ${e.line} · ${e.attribution}`, line: e.line });
  }
  for (const f of mapping.findings) {
    picks.push({ label: `$(warning) ${f.message}`, description: f.code, detail: `line ${f.line}:${f.column}`, line: f.line });
  }
  if (picks.length === 0) picks.push({ label: 'No feature category, endpoint or finding in this file', line: 1 });
  void vscode.window.showQuickPick(picks, { title: `Budget Lens mapping of ${file}`, matchOnDescription: true }).then((picked) => {
    if (picked && mapping.categories.length + mapping.endpoints.length + mapping.findings.length > 0) void revealLine(indexer, file, picked.line);
  });
  return picks.map((p) => p.label.replace(/^\$\([\w-]+\) /, ''));
}

export function registerMappingCommands(deps: CommandDeps): vscode.Disposable[] {
  const { indexer } = deps;
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [CONTRIBUTED_COMMANDS.showVersion]: () => vscode.window.showInformationMessage(`Budget Lens ${deps.version}`),
    [CONTRIBUTED_COMMANDS.showMapping]: () => showMapping(indexer),
    [CONTRIBUTED_COMMANDS.goToEndpoint]: (id?: unknown) => goToEndpoint(indexer, typeof id === 'string' ? id : undefined),
    [CONTRIBUTED_COMMANDS.reindex]: () => indexer.reindex(),
    [CONTRIBUTED_COMMANDS.cancelIndexing]: () => indexer.cancel(),
    [INTERNAL_COMMANDS.testState]: async (): Promise<TestState> => {
      await indexer.whenIdle();
      const ws = indexer.current;
      return {
        phase: indexer.state.phase,
        error: indexer.state.error,
        root: ws?.root,
        files: ws?.index.files().length ?? 0,
        endpoints: ws?.index.endpoints().length ?? 0,
        statusBar: deps.statusBar(),
      };
    },
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
