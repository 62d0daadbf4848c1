/**
 * What the internal `budgetLens._testState` command returns (tests only; not a public API): every
 * root's index, the status bar, the budget session and caches, the tree, the panel, first contact.
 * Read-only: building it asks for nothing (except the tree, which fetches like a user expanding it).
 */
import { rubyParserKind } from '../sdk';
import type { PanelTestState, BudgetPanel } from './budgetPanel';
import type { BudgetCache } from './budgetCache';
import type { Failure } from './budgetCache';
import type { BackendKind } from './budgetBackend';
import type { BudgetData } from './budgetData';
import type { BudgetSession } from './budgetSession';
import type { BurnAlertTestState, BurnAlertWatcher } from './burnAlertWatcher';
import type { FirstContact, FirstContactTestState } from './firstContact';
import type { GroupTreeProvider, TreeItemState } from './groupTree';
import type { MappingCodeLensProvider } from './mappingCodeLens';
import { endpointPicks } from './navigation';
import type { IndexerState } from './rootIndexer';
import type { StatusBarState } from './statusBar';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** One key's state as `_testState` reports it. */
export interface BudgetKeyState {
  key: string;
  hasValue: boolean;
  stale: boolean;
  fetchedAt?: number;
  failure?: Failure;
}

/** What `_testState` reports about the budget data (tests only). */
export interface BudgetTestState {
  url: string;
  /** The backend in use; undefined without one (or while Prometheus waits for the catalog). */
  backend: BackendKind | undefined;
  hasToken: boolean;
  /** The backend refused the last request (HTTP 401) and nothing has succeeded since: ask for a token. */
  needsToken: boolean;
  categories: BudgetKeyState[];
  groups: BudgetKeyState[];
  topEndpoints: BudgetKeyState[];
  /** The budget panel's per-group data: top endpoints, daily series, burn rates. */
  groupTopEndpoints: BudgetKeyState[];
  daily: BudgetKeyState[];
  burnRates: BudgetKeyState[];
  /** Burn-alert evaluations by scope (`group:<key>`, `category:<name>`). */
  burnAlerts: BudgetKeyState[];
  /** Monthly reports by month. */
  reports: BudgetKeyState[];
  /** How many times "Set API Token" was offered after a 401. */
  unauthorizedOffers: number;
  /** Requests sent to the backend since activation (one per BudgetApi call). */
  requests: number;
}

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
  /** How many times budget data made the lenses redraw (onDidChangeCodeLenses fired for an answer or a new backend). */
  lensRefreshes: number;
  /** The Group budget tree fully expanded, with `{ tree: true }` (walking it fetches like a user expanding it). */
  tree?: TreeItemState[];
  panel: PanelTestState;
  firstContact: FirstContactTestState;
  /** Burn alerts: episodes, the notifications shown, the scope firing now. */
  burnAlerts: BurnAlertTestState;
  /** When activate() ran (Date.now() in the extension host). */
  activatedAt: number;
}

/** Where the test state is read from (the context's adapters). */
export interface TestStateSources {
  indexer: WorkspaceIndexer;
  statusBar: () => StatusBarState;
  codeLens: MappingCodeLensProvider;
  session: BudgetSession;
  budget: BudgetData;
  burnAlerts: BurnAlertWatcher;
  tree: GroupTreeProvider;
  panel: BudgetPanel;
  firstContact: FirstContact;
  /** When activate() ran (Date.now()). */
  activatedAt: number;
}

function keyStates<T>(cache: BudgetCache<T>): BudgetKeyState[] {
  return cache.keys().sort().map((key) => {
    const e = cache.get(key) ?? {};
    return { key, hasValue: e.value !== undefined, stale: cache.isStale(key), fetchedAt: e.fetchedAt, failure: e.failure };
  });
}

/** The budget session and every cache, as the budget suites read them. */
export function budgetTestState(session: BudgetSession, budget: BudgetData): BudgetTestState {
  const c = budget.caches;
  return {
    url: session.apiUrl,
    backend: session.backend,
    hasToken: session.hasToken,
    needsToken: session.needsToken,
    categories: keyStates(c.categories),
    groups: keyStates(c.groups),
    topEndpoints: keyStates(c.topEndpoints),
    groupTopEndpoints: keyStates(c.groupTopEndpoints),
    daily: keyStates(c.daily),
    burnRates: keyStates(c.burnRates),
    burnAlerts: keyStates(c.burnAlerts),
    reports: keyStates(c.reports),
    unauthorizedOffers: session.unauthorizedOffers,
    requests: budget.requests,
  };
}

export function testState(deps: TestStateSources, withPicks: boolean, withTree: boolean): TestState {
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
    budget: budgetTestState(deps.session, deps.budget),
    lensRefreshes: deps.codeLens.refreshesForBudget,
    ...(withTree ? { tree: deps.tree.items() } : {}),
    panel: deps.panel.state(),
    firstContact: deps.firstContact.state,
    burnAlerts: deps.burnAlerts.testState,
    activatedAt: deps.activatedAt,
    ...(withPicks ? { picks: endpointPicks(indexer).map(({ label, description, detail }) => ({ label, description, detail })) } : {}),
  };
}
