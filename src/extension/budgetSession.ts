/**
 * Which backend the editor's budget figures come from, and with which credentials: the settings
 * (`budgetLens.api.url`, else `budgetLens.prometheus.url`; the refresh interval), the URL's token
 * from SecretStorage (apiToken.ts, sent as Bearer), and the BudgetApi opened for them
 * (budgetBackend.ts). Prometheus needs the workspace's catalog: the first root's as soon as its
 * config and catalog are opened (RootIndexer.catalogWorkspace), before and while its index builds,
 * never waiting for the build. Set / Clear API Token, the 401 state ("needs a token") and the
 * once-per-URL-and-token "Set API Token" offer live here too.
 *
 * It fetches nothing: onDidChange tells BudgetData (budgetData.ts) that the client changed, and
 * whether the figures it holds belong to another server now (`urlChanged`).
 */
import * as vscode from 'vscode';
import type { BudgetApi, Catalog, ProjectConfig } from '../sdk';
import type { ApiTokenStore } from './apiToken';
import { promptForToken } from './apiToken';
import type { BackendChoice, BackendKind } from './budgetBackend';
import { backendLabel, chooseBackend, openBudgetApi } from './budgetBackend';
import type { Failure } from './budgetCache';
import { UnauthorizedOffer } from './budgetCache';
import { CONTRIBUTED_COMMANDS } from './commandIds';
import { localObjectives } from './developerGroup';
import { Disposable } from './disposable';
import type { BudgetLensSettings } from './settings';
import { readSettings } from './settings';
import type { FixCommands } from './text/budgetText';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** What changed when the session fired onDidChange. */
export interface SessionChange {
  /** Another server (or none): cached figures are not stale, they are wrong. */
  urlChanged: boolean;
  /** A new client (URL, token or catalog): answers of the old one are to be dropped. */
  clientChanged: boolean;
}

/** The chosen backend of some settings (also before Prometheus has its catalog). */
function choiceOf(settings: BudgetLensSettings): BackendChoice | undefined {
  return chooseBackend(settings.apiUrl, settings.prometheusUrl);
}

export class BudgetSession extends Disposable {
  private readonly changeEmitter = this.own(new vscode.EventEmitter<SessionChange>());
  /** The client, URL, token, interval or readiness changed (fired synchronously inside configure). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly offer = new UnauthorizedOffer();
  private clientValue: BudgetApi | undefined;
  private errorUrlValue = '';
  private kind: BackendKind | undefined;
  /** The catalog the Prometheus backend was opened with (a new root catalog brings a new client). */
  private catalog: Catalog | undefined;
  private url = '';
  private token: string | undefined;
  private intervalValue = 300_000;
  /** Bumped on every new client: BudgetData drops answers of an older one. */
  private generationValue = 0;
  /** Aborted when the client is replaced or the session disposed. */
  private abort = new AbortController();
  /** The backend answered 401 and nothing has succeeded since (cleared by a new URL, token or answer). */
  private unauthorized = false;
  /** The URL pair already reported as "both set", so the output channel says it once. */
  private bothSetLogged: string | undefined;

  constructor(
    private readonly indexer: WorkspaceIndexer,
    private readonly tokens: ApiTokenStore,
    private readonly log: vscode.OutputChannel,
  ) {
    super();
    this.onDispose(() => this.abort.abort());
    this.own(tokens.onDidChange(() => void this.configure()));
    // Prometheus needs a catalog: configure once a root has opened one, again when a build replaces it.
    this.own(
      indexer.onDidChangeState(() => {
        if (this.wantsPrometheus() && this.workspaceCatalog()?.catalog !== this.catalog) void this.configure();
      }),
    );
  }

  /** The open client, undefined without a backend (or while Prometheus waits for a catalog). */
  get client(): BudgetApi | undefined {
    return this.clientValue;
  }

  /** True when a backend is configured and ready (the adapters show figures only then). */
  get enabled(): boolean {
    return this.clientValue !== undefined;
  }

  /** The backend in use ('api' or 'prometheus'), undefined without one. */
  get backend(): BackendKind | undefined {
    return this.clientValue ? this.kind : undefined;
  }

  /** The configured backend kind, also while Prometheus waits for its catalog. */
  get configuredKind(): BackendKind | undefined {
    return this.kind;
  }

  /** The configured backend's URL ('' without one): the Budget API's, or Prometheus'. */
  get apiUrl(): string {
    return this.url;
  }

  /** The URL a failure names when the error carries none (the API's /api/v1 base, or Prometheus'). */
  get errorUrl(): string {
    return this.errorUrlValue;
  }

  /** How the output channel and notifications name the backend. */
  get label(): string {
    return backendLabel(this.kind ?? 'api');
  }

  /** True when the configured URL has a token in SecretStorage. */
  get hasToken(): boolean {
    return this.token !== undefined;
  }

  /** Milliseconds between refreshes (and the age at which a figure is fetched again). */
  get intervalMs(): number {
    return this.intervalValue;
  }

  get generation(): number {
    return this.generationValue;
  }

  /** Aborted when the client is replaced: requests of the old one stop. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** How many times "Set API Token" was offered after a 401 (the extension-host tests read it). */
  get unauthorizedOffers(): number {
    return this.offer.count;
  }

  /**
   * True when figures cannot come without a (new) token: the backend refused the last request with
   * HTTP 401 and nothing has succeeded since. The tree and the panel then say "Set API Token". A
   * server that needs no token (`npm start`'s) is never asked for one: the token is asked for only
   * after a 401, whatever the backend.
   */
  get needsToken(): boolean {
    return this.clientValue !== undefined && this.unauthorized;
  }

  /** The commands that fix a failing backend (the hover's links, Check Budget Backend's buttons, the panel's fixes). */
  get fixCommands(): FixCommands {
    return {
      retry: CONTRIBUTED_COMMANDS.refreshBudget,
      setUrl: this.kind === 'prometheus' ? CONTRIBUTED_COMMANDS.setPrometheusUrl : CONTRIBUTED_COMMANDS.setApiUrl,
      setToken: CONTRIBUTED_COMMANDS.setApiToken,
    };
  }

  private wantsPrometheus(): boolean {
    return choiceOf(readSettings())?.kind === 'prometheus';
  }

  /**
   * The first root's catalog and config, as soon as they are opened: a root's first build opens
   * them before it waits for the one-build-at-a-time slot (rootIndexer.ts), so Prometheus figures
   * never wait for an index.
   */
  private workspaceCatalog(): { catalog: Catalog; config: ProjectConfig | undefined } | undefined {
    for (const index of this.indexer.indexes) {
      const ws = index.catalogWorkspace;
      if (ws) return { catalog: ws.catalog, config: ws.config };
    }
    return undefined;
  }

  /** configure() calls started; a call that is not the newest when its token arrives does nothing. */
  private configureCalls = 0;

  /**
   * Reads the settings and the URL's token and opens the client they name. Fires onDidChange
   * (synchronously, before returning) when anything changed; nothing when all is as it was.
   */
  async configure(): Promise<void> {
    // Calls overlap (a settings change, a root's catalog, a token): only the newest may apply, or
    // an older call, resuming after its token lookup, would bring back the settings it read
    // before and clear the figures twice.
    const call = ++this.configureCalls;
    const settings = readSettings();
    const choice = choiceOf(settings);
    const token = choice ? await this.tokens.get(choice.url) : undefined;
    if (this.isDisposed || call !== this.configureCalls) return;
    const url = choice?.url ?? '';
    const intervalMs = settings.refreshIntervalSeconds * 1000;
    const ws = choice?.kind === 'prometheus' ? this.workspaceCatalog() : undefined;
    const catalog = ws?.catalog;
    const ready = choice !== undefined && (choice.kind === 'api' || catalog !== undefined);
    if (url === this.url && choice?.kind === this.kind && catalog === this.catalog && token === this.token && intervalMs === this.intervalValue && (this.clientValue !== undefined) === ready) return;
    const urlChanged = url !== this.url || choice?.kind !== this.kind;
    // A new catalog (a re-index) is like a new token: same server, the refresh decides.
    const clientChanged = urlChanged || token !== this.token || catalog !== this.catalog;
    if (clientChanged) {
      this.abort.abort();
      this.abort = new AbortController();
      this.generationValue++;
      this.unauthorized = false;
      this.offer.rearm();
    }
    this.url = url;
    this.kind = choice?.kind;
    this.catalog = catalog;
    this.token = token;
    this.intervalValue = intervalMs;
    // Prometheus evaluates the workspace's objectives here (read on every request: an edited OpenSLO file shows); a Budget API has its server's.
    const root = this.indexer.indexes[0]?.root;
    const objectives = { objectives: () => localObjectives(this.indexer), ...(root !== undefined ? { workspaceRoot: root } : {}) };
    // Prometheus applies the workspace's manual adjustments (adjusted figures beside the measured ones); a Budget API its server's.
    const opened = choice ? openBudgetApi(choice, token, catalog, ws?.config?.backend, objectives, ws?.config?.adjustments) : undefined;
    this.clientValue = opened?.api;
    this.errorUrlValue = opened?.errorUrl ?? '';
    this.logConfiguration(choice, settings);
    this.changeEmitter.fire({ urlChanged, clientChanged });
  }

  private logConfiguration(choice: BackendChoice | undefined, settings: BudgetLensSettings): void {
    const both = choice?.ignoredPrometheusUrl !== undefined ? `${choice.url} ${choice.ignoredPrometheusUrl}` : undefined;
    if (both !== undefined && both !== this.bothSetLogged) {
      this.log.appendLine(`budgetLens.api.url and budgetLens.prometheus.url are both set: using the Budget API ${choice?.url}, not Prometheus ${choice?.ignoredPrometheusUrl}`);
    }
    this.bothSetLogged = both;
    if (!choice) this.log.appendLine('Budget figures: no backend configured (budgetLens.api.url and budgetLens.prometheus.url are empty)');
    else if (!this.clientValue) this.log.appendLine(`Prometheus ${this.url}: waiting for the workspace's catalog (its config and catalog files) before fetching budget figures`);
    else this.log.appendLine(`${backendLabel(choice.kind)} ${this.url}: ${this.token ? 'with a token' : 'no token'}, refresh every ${settings.refreshIntervalSeconds} s`);
  }

  /** An answer arrived: a 401 state ends. Returns true when that changed what readers see. */
  answered(): boolean {
    if (!this.unauthorized) return false;
    this.unauthorized = false;
    return true;
  }

  /**
   * A request failed with `failure`: a 401 makes the session need a token, and offers "Set API
   * Token" once per URL and token. Returns true when the 401 state changed.
   */
  failed(failure: Failure): boolean {
    if (!failure.unauthorized) return false;
    const changed = !this.unauthorized;
    this.unauthorized = true;
    if (this.offer.shouldOffer(`${this.url}#${this.generationValue}`)) this.offerToken(failure);
    return changed;
  }

  private offerToken(failure: Failure): void {
    const action = 'Set API Token';
    void vscode.window
      .showWarningMessage(`Budget Lens: the ${this.label} at ${this.url} refused the request (HTTP ${failure.status}). Budget figures stay as they were, marked stale.`, action)
      .then((picked) => {
        if (picked === action) void vscode.commands.executeCommand(CONTRIBUTED_COMMANDS.setApiToken);
      });
  }

  /** Set API Token: from the argument (extension-host tests only) or a password box; stored for the current URL. */
  async setToken(arg?: string): Promise<boolean> {
    const choice = choiceOf(readSettings());
    if (!choice) {
      void vscode.window.showWarningMessage('Budget Lens: set budgetLens.api.url or budgetLens.prometheus.url first; the token is stored for that URL.');
      return false;
    }
    const token = arg ?? (await promptForToken(choice.url, backendLabel(choice.kind)));
    if (token === undefined || token.trim() === '') return false;
    await this.tokens.store(choice.url, token.trim());
    this.log.appendLine(`${backendLabel(choice.kind)} ${choice.url}: token stored`);
    await this.configure();
    return true;
  }

  async clearToken(): Promise<void> {
    const choice = choiceOf(readSettings());
    if (!choice) return;
    await this.tokens.delete(choice.url);
    this.log.appendLine(`${backendLabel(choice.kind)} ${choice.url}: token cleared`);
    await this.configure();
  }
}
