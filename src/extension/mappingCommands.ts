/**
 * The "Budget Lens" commands: Show Mapping of Current File, Go to Endpoint…, Re-index Workspace,
 * Cancel Indexing, Show Version, Set / Clear API Token, Refresh Budget Data (the last three act on
 * BudgetData), Open Budget Panel, Choose Group…, Monthly Error-Budget Report (reportCommand.ts),
 * and the internal `_testState` the extension-host tests read.
 * The handler table is typed by command id, so a command missing here fails to compile and the
 * manifest check (test/unit/extension-manifest) keeps package.json in step.
 */
import * as vscode from 'vscode';
import { rubyParserKind } from '../sdk';
import type { Endpoint } from '../sdk';
import { isWebviewToHost } from '@shared/protocol';
import type { BudgetData, BudgetTestState } from './budgetData';
import type { BudgetPanel, PanelTestState } from './budgetPanel';
import { chooseGroup } from './developerGroup';
import type { FirstContact, FirstContactTestState } from './firstContact';
import { setBackendUrl } from './firstContact';
import { monthlyReport } from './reportCommand';
import type { GroupTreeProvider, TreeItemState } from './groupTree';
import type { CommandId } from './commandIds';
import { CONTRIBUTED_COMMANDS, INTERNAL_COMMANDS } from './commandIds';
import type { StatusBarState } from './statusBar';
import { catalogNote, codeLensTitle, formatSeconds } from './text/mappingText';
import { notificationSafe } from './text/safeText';
import type { IndexerState, RootIndexer } from './rootIndexer';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** One root's part of `budgetLens._testState`. */
export interface IndexTestState {
  /** The workspace folder names sharing the root, comma-separated. */
  name: string;
  root: string;
  /** The workspace folders (fsPath) under the root. */
  folders: string[];
  phase: IndexerState['phase'];
  error?: string;
  files: number;
  endpoints: number;
  /** Successful full builds of this root since it was opened. */
  builds: number;
  /** Which catalog the root uses, as the tooltips word it (once indexed). */
  catalog?: string;
  /** 'directory' (budgetLens.catalogPath), 'config' (.budgetlens.yml) or 'bundled'. */
  catalogKind?: string;
  /** The last build's ripgrep pre-filter (which binary, files ruled out), if it ran. */
  prefilter?: { ripgrep: string; ruledOut: number; error?: string };
}

/** A Go to Endpoint item as `_testState` reports it with `{ picks: true }`. */
export interface PickTestState {
  label: string;
  description?: string;
  detail?: string;
}

/** What `budgetLens._testState` returns (tests only; not a public API). */
export interface TestState {
  /** All roots at once (WorkspaceIndexer.state); files and endpoints are summed. */
  phase: IndexerState['phase'];
  error?: string;
  /** The first root's, once indexed. */
  root?: string;
  files: number;
  endpoints: number;
  statusBar: StatusBarState;
  indexes: IndexTestState[];
  /** The tree-sitter binding loaded so far ('native' or 'wasm'), if any skeleton needed it. */
  rubyParser?: string;
  picks?: PickTestState[];
  budget: BudgetTestState;
  /** The Group budget tree fully expanded, with `{ tree: true }` (walking it fetches like a user expanding it). */
  tree?: TreeItemState[];
  panel: PanelTestState;
  firstContact: FirstContactTestState;
  /** When activate() ran (Date.now() in the extension host). */
  activatedAt: number;
}

export interface CommandDeps {
  indexer: WorkspaceIndexer;
  statusBar: () => StatusBarState;
  budget: BudgetData;
  tree: GroupTreeProvider;
  panel: BudgetPanel;
  firstContact: FirstContact;
  version: string;
  /** When activate() ran (Date.now()): the installed-.vsix test measures activation -> first lens from it. */
  activatedAt: number;
  /**
   * Whether Set API Token takes the token as an argument (the extension-host tests, which cannot
   * type into the password box). Otherwise any extension could plant a token by calling the command.
   */
  tokenArgument: boolean;
}

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

/** Reindex and cancel take the Uri of a file (the status bar passes the active one) to act on its root only. */
function uriArg(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri ? arg : undefined;
}

function testState(deps: CommandDeps, withPicks: boolean, withTree: boolean): TestState {
  const { indexer } = deps;
  const indexes: IndexTestState[] = indexer.indexes.map((i) => ({
    name: i.name,
    root: i.root,
    folders: i.folders.map((f) => f.uri.fsPath),
    phase: i.state.phase,
    error: i.state.error,
    files: i.current?.index.files().length ?? 0,
    endpoints: i.current?.index.endpoints().length ?? 0,
    builds: i.builds,
    catalog: i.current?.catalogOrigin.label,
    catalogKind: i.current?.catalogOrigin.kind,
    prefilter: i.state.lastBuild?.prefilter,
  }));
  const state = indexer.state;
  return {
    phase: state.phase,
    error: state.error,
    root: indexer.indexes[0]?.current?.root,
    files: indexes.reduce((n, i) => n + i.files, 0),
    endpoints: indexes.reduce((n, i) => n + i.endpoints, 0),
    statusBar: deps.statusBar(),
    rubyParser: rubyParserKind(),
    indexes,
    budget: deps.budget.state(),
    ...(withTree ? { tree: deps.tree.items() } : {}),
    panel: deps.panel.state(),
    firstContact: deps.firstContact.state,
    activatedAt: deps.activatedAt,
    ...(withPicks ? { picks: endpointPicks(indexer).map(({ label, description, detail }) => ({ label, description, detail })) } : {}),
  };
}

export function registerMappingCommands(deps: CommandDeps): vscode.Disposable[] {
  const { indexer } = deps;
  let releaseBuilds: (() => void) | undefined;
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [CONTRIBUTED_COMMANDS.showVersion]: () => vscode.window.showInformationMessage(`Budget Lens ${deps.version}`),
    [CONTRIBUTED_COMMANDS.showMapping]: () => showMapping(indexer),
    [CONTRIBUTED_COMMANDS.goToEndpoint]: (id?: unknown) => goToEndpoint(indexer, typeof id === 'string' ? id : undefined),
    [CONTRIBUTED_COMMANDS.reindex]: (uri?: unknown) => indexer.reindex(uriArg(uri)),
    [CONTRIBUTED_COMMANDS.cancelIndexing]: (uri?: unknown) => indexer.cancel(uriArg(uri)),
    // A string argument sets the token without the input box (scripts and the extension-host tests).
    [CONTRIBUTED_COMMANDS.setApiToken]: (token?: unknown) => deps.budget.setToken(deps.tokenArgument && typeof token === 'string' ? token : undefined),
    [CONTRIBUTED_COMMANDS.clearApiToken]: () => deps.budget.clearToken(),
    [CONTRIBUTED_COMMANDS.refreshBudget]: () => deps.budget.refresh(),
    [CONTRIBUTED_COMMANDS.checkBackend]: () => deps.budget.checkBackend(),
    [CONTRIBUTED_COMMANDS.openBudgetPanel]: () => deps.panel.show(),
    // A string argument picks the group without the quick pick (the extension-host tests).
    [CONTRIBUTED_COMMANDS.chooseGroup]: (key?: unknown) => chooseGroup(indexer, typeof key === 'string' ? key : undefined),
    [CONTRIBUTED_COMMANDS.monthlyReport]: (month?: unknown) => monthlyReport(deps.budget, month),
    // A string argument is the URL (checked like the input box's): scripts and the extension-host tests.
    [CONTRIBUTED_COMMANDS.setApiUrl]: (url?: unknown) => setBackendUrl('api.url', url),
    [CONTRIBUTED_COMMANDS.setPrometheusUrl]: (url?: unknown) => setBackendUrl('prometheus.url', url),
    [CONTRIBUTED_COMMANDS.createConfig]: (folder?: unknown) => deps.firstContact.createConfig(folder),
    // A string argument is the picked path (no file dialog); a Uri second argument names the folder.
    [CONTRIBUTED_COMMANDS.pickCatalog]: (path?: unknown, folder?: unknown) => deps.firstContact.pickCatalog(path, folder),
    [INTERNAL_COMMANDS.testPanelMessage]: (message?: unknown) => (isWebviewToHost(message) ? deps.panel.handle(message) : undefined),
    // Test mode only (deps.tokenArgument): any other caller could stall indexing with it.
    [INTERNAL_COMMANDS.testHoldIndexing]: (hold?: unknown) => {
      if (!deps.tokenArgument) return false;
      if (hold === true) releaseBuilds ??= indexer.holdBuilds();
      else {
        releaseBuilds?.();
        releaseBuilds = undefined;
      }
      return true;
    },
    [INTERNAL_COMMANDS.testState]: async (options?: unknown): Promise<TestState> => {
      await indexer.whenIdle();
      const withPicks = typeof options === 'object' && options !== null && (options as { picks?: unknown }).picks === true;
      const withTree = typeof options === 'object' && options !== null && (options as { tree?: unknown }).tree === true;
      return testState(deps, withPicks, withTree);
    },
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
