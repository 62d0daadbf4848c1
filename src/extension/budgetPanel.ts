/**
 * The budget panel's host side: one webview panel (revealed if open) showing the developer's
 * group (developerGroup.ts): its budget, daily spend, burn rates, top failing endpoints and
 * categories, as BudgetData knows them now (reading asks for what is unknown or old; its
 * onDidChange posts again). The webview (webview/main.ts) speaks only the typed messages
 * of src/shared/protocol.ts: it says `ready` before the host posts anything (the handshake of
 * vscode-pull-request-github's src/common/webview.ts), then gets a `state` and a `stale` message
 * whenever what it shows changes; `goToEndpoint`, `refresh`, `chooseGroup`, `monthlyReport` and
 * `showCommit` come back. A top endpoint of this workspace carries the commits that touched its
 * code in the window (commitHistory.ts, as known now; its onDidChange posts again).
 *
 * The page: panelHtml.ts (strict CSP with a nonce); localResourceRoots are dist/ and media/ only.
 * A serializer restores the panel after a reload with the same options.
 */
import * as vscode from 'vscode';
import { spendRiseDay } from '../sdk';
import type { HostToWebview, PanelFix, PanelStale, PanelView, WebviewToHost } from '@shared/protocol';
import { isWebviewToHost } from '@shared/protocol';
import type { CacheEntry } from './budgetCache';
import { CONTRIBUTED_COMMANDS } from './commandIds';
import type { BudgetData } from './budgetData';
import type { BudgetSession } from './budgetSession';
import type { CommitHistory, ShowCommitOutcome } from './commitHistory';
import { showCommit } from './commitHistory';
import { StickyGroup, chooseGroup, definesEndpoint, groupObjectives, localCatalog, localObjectives } from './developerGroup';
import { Disposable } from './disposable';
import type { JumpTarget } from './navigation';
import { goToEndpoint, goToObjective } from './navigation';
import { newNonce, panelHtml } from './panelHtml';
import { affects, readSettings } from './settings';
import { failingReasonText } from './text/budgetText';
import type { ReportOutcome } from './reportCommand';
import { monthlyReport } from './reportCommand';
import { panelData, panelStale } from './text/panelText';
import { panelObjectiveOf } from './text/objectiveText';
import type { WorkspaceIndexer } from './workspaceIndexer';

export const BUDGET_PANEL_VIEW_TYPE = 'budgetLens.budgetPanel';
/** How many posted messages the test hook keeps. */
const KEPT_MESSAGES = 50;

/** What `_testState` reports about the panel (tests only). */
export interface PanelTestState {
  open: boolean;
  /** The webview said `ready` since the panel was (re)created. */
  ready: boolean;
  /** The latest posted messages, oldest first. */
  posted: HostToWebview[];
}

export class BudgetPanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private ready = false;
  private posted: HostToWebview[] = [];
  private lastState = '';
  private lastStale = '';
  private readonly group: StickyGroup;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly indexer: WorkspaceIndexer,
    private readonly session: BudgetSession,
    private readonly budget: BudgetData,
    private readonly commits?: CommitHistory,
  ) {
    super();
    this.onDispose(() => this.panel?.dispose());
    this.group = this.own(new StickyGroup(indexer));
    this.ownAll(
      budget.onDidChange(() => this.post()),
      ...(commits ? [commits.onDidChange(() => this.post())] : []),
      indexer.onDidChangeIndexes(() => this.post()),
      vscode.window.onDidChangeActiveTextEditor(() => this.post()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'group')) this.post();
      }),
      vscode.window.registerWebviewPanelSerializer(BUDGET_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => this.adopt(panel),
      }),
    );
  }

  /** Open Budget Panel: one panel, revealed when it is already open. */
  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(BUDGET_PANEL_VIEW_TYPE, 'Budget Lens: Group Budget', vscode.ViewColumn.Active, this.options());
    this.adopt(panel);
  }

  private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  /** Takes a new or restored panel: options reset (a restored one keeps nothing of ours), page, listeners. */
  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    this.lastState = '';
    this.lastStale = '';
    panel.webview.options = this.options();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'budget-lens.svg');
    const webview = panel.webview;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      title: 'Budget Lens: Group Budget',
    });
    this.panelDisposables.push(
      webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewToHost(m)) void this.handle(m);
      }),
      // Hidden, the webview is torn down (no retainContextWhenHidden): nothing is posted until its
      // script runs again on the next show and says `ready`.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
        this.panel = undefined;
        this.ready = false;
      }),
    );
  }

  /** A message from the webview (the extension-host tests call this through `_testPanelMessage`). */
  async handle(message: WebviewToHost): Promise<JumpTarget | ReportOutcome | ShowCommitOutcome | undefined> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.lastState = '';
        this.lastStale = '';
        this.post();
        return undefined;
      case 'goToEndpoint':
        return goToEndpoint(this.indexer, message.endpointId);
      case 'refresh':
        await this.budget.refresh();
        return undefined;
      case 'chooseGroup':
        await chooseGroup(this.indexer);
        return undefined;
      case 'monthlyReport':
        return monthlyReport(this.session, this.budget);
      case 'fix':
        await vscode.commands.executeCommand(message.fix === 'setToken' ? CONTRIBUTED_COMMANDS.setApiToken : this.session.fixCommands.setUrl);
        return undefined;
      case 'showCommit':
        return showCommit(this.indexer, message.endpointId, message.sha);
      case 'openObjective':
        return goToObjective(this.indexer, message.name);
    }
  }

  /** Posts the state and the stale banner when they changed; reading BudgetData asks for what is missing. */
  private post(): void {
    if (!this.panel || !this.ready) return;
    const { view, stale } = this.compute();
    this.send({ type: 'state', view }, 'state');
    this.send({ type: 'stale', stale }, 'stale');
  }

  private send(message: HostToWebview, kind: 'state' | 'stale'): void {
    const json = JSON.stringify(message);
    if ((kind === 'state' ? this.lastState : this.lastStale) === json) return;
    if (kind === 'state') this.lastState = json;
    else this.lastStale = json;
    this.posted.push(message);
    if (this.posted.length > KEPT_MESSAGES) this.posted.shift();
    void this.panel?.webview.postMessage(message);
  }

  private compute(): { view: PanelView; stale: PanelStale | null } {
    if (!this.session.enabled) {
      // Prometheus waits for a root's catalog; without either URL there is nothing to ask.
      const { apiUrl, prometheusUrl } = readSettings();
      if (apiUrl === '' && prometheusUrl !== '') return { view: { kind: 'loading', groupKey: this.group.current() }, stale: null };
      return { view: { kind: 'error', title: 'No Budget API configured', message: 'Set budgetLens.api.url to the URL of `budget-lens serve`, or budgetLens.prometheus.url to a Prometheus-compatible server.', fixes: ['changeUrl'] }, stale: null };
    }
    // Only after the server said 401: a server without a token (npm start's) is never asked for one.
    if (this.session.needsToken) {
      return { view: { kind: 'error', title: 'No API token', message: `${this.session.apiUrl} answered HTTP 401: run "Budget Lens: Set API Token" for it.`, fixes: ['setToken', 'changeUrl'] }, stale: null };
    }
    const key = this.group.current();
    if (key === undefined) return { view: { kind: 'error', title: 'No group', message: 'Open a file of your group, or choose a group (Budget Lens: Choose Group).' }, stale: null };
    const catalogCategories = localCatalog(this.indexer)?.group(key)?.categories;
    const known = catalogCategories ?? this.budget.group(key)?.value?.categories ?? [];
    const e = this.budget.panel(key, known);
    if (!e) return { view: { kind: 'loading', groupKey: key }, stale: null };
    const group = e.group.value;
    if (!group) {
      // A failure is shown only when nothing is on its way that could replace it (a new token's refresh).
      if (e.group.failure && !e.loading) {
        const name = localCatalog(this.indexer)?.group(key)?.name ?? key;
        const fixes: PanelFix[] = e.group.failure.unauthorized ? ['refresh', 'setToken', 'changeUrl'] : ['refresh', 'changeUrl'];
        return { view: { kind: 'error', title: `No budget data for ${name}`, message: failingReasonText(e.group.failure), fixes }, stale: null };
      }
      return { view: { kind: 'loading', groupKey: key }, stale: null };
    }
    const categories = e.categories.flatMap(([, c]) => (c.value ? [c.value] : []));
    const data = panelData({
      group,
      daily: e.daily.value,
      burnRates: e.burnRates.value,
      endpoints: e.topEndpoints.value,
      categories,
      inWorkspace: (id) => definesEndpoint(this.indexer, id),
      // What changed (issue 14 item 5): git's answer as known now over the top endpoints' window, the day the category's spend rose.
      changed: (row) => {
        const commits = this.commits?.commits(row.endpointId, this.budget.meta('groupTop', key)?.window)?.value;
        if (!commits) return undefined;
        const rise = spendRiseDay(this.budget.categoryDaily(row.category)?.value?.days ?? []);
        return { commits, ...(rise ? { rise: { date: rise.date, of: row.category } } : {}) };
      },
      // A part that failed with nothing to show, and no request on its way: why, not "Loading…".
      failures: e.loading ? {} : { daily: e.daily.failure, burnRates: e.burnRates.failure, endpoints: e.topEndpoints.failure },
      // Catalog history (issue 15 item 1): what moved inside the group's window, with the local catalog's names.
      catalogChanges: this.budget.meta('group', key)?.catalogChanges ?? [],
      groupName: (k) => localCatalog(this.indexer)?.group(k)?.name,
    });
    // The group's objectives (issue 13): a tile each, with its burn-down once that has come.
    const objectives = groupObjectives(localObjectives(this.indexer), key, known).map((o) => ({ name: o.name, entry: this.budget.objective(o.name), detail: this.budget.objectiveDetail(o.name) }));
    if (objectives.length > 0) data.objectives = objectives.map((o) => panelObjectiveOf(o.name, o.entry, o.detail?.value));
    const entries: Array<CacheEntry<unknown>> = [e.group, e.daily, e.burnRates, e.topEndpoints, ...e.categories.map(([, c]) => c), ...objectives.flatMap((o) => (o.entry ? [o.entry] : []))];
    const failing = entries.find((x) => x.failure !== undefined);
    const goodTimes = entries.flatMap((x) => (x.fetchedAt !== undefined ? [x.fetchedAt] : []));
    const stale = failing?.failure ? panelStale(failing.failure, goodTimes.length > 0 ? Math.min(...goodTimes) : undefined) : null;
    return { view: { kind: 'ready', data }, stale };
  }

  state(): PanelTestState {
    return { open: this.panel !== undefined, ready: this.ready, posted: [...this.posted] };
  }
}
