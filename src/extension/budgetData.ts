/**
 * The one owner of budget figures in the editor: it holds the BudgetApi of the configured backend
 * (budgetBackend.ts: a BudgetApiClient for `budgetLens.api.url`, or BudgetService over Prometheus
 * for `budgetLens.prometheus.url` with the workspace's catalog; token from SecretStorage per URL,
 * sent as Bearer), fetches what the adapters ask
 * for (category budgets of the lenses on screen, batched into one request; the status bar's group;
 * a category's top failing endpoints when its hover opens or its tree item expands; the budget
 * panel's group top endpoints, daily series and burn rates; a month's report for the report
 * command), keeps the last good answer per key
 * (budgetCache.ts), and refreshes on the interval, on Refresh Budget Data and on settings or token
 * changes. A failed refresh keeps the figures, marks them stale with the reason and fires
 * onDidChange; a 401 offers "Set API Token" once per URL and token. Dispose aborts what is in flight.
 *
 * Adapters never wait on the network for longer than ASK_TIMEOUT_MS; later answers arrive
 * through onDidChange.
 */
import * as vscode from 'vscode';
import type {
  BudgetApi,
  BurnRateRow,
  Catalog,
  CategoryBudget,
  DailySeries,
  EndpointRow,
  GroupBudget,
  MonthlyReport,
  ProjectConfig,
} from '../sdk';
import type { ApiTokenStore } from './apiToken';
import { promptForToken } from './apiToken';
import type { BackendChoice, BackendKind } from './budgetBackend';
import { backendLabel, chooseBackend, openBudgetApi } from './budgetBackend';
import type { CacheEntry, Failure } from './budgetCache';
import { BudgetCache, UnauthorizedOffer, failureOf } from './budgetCache';
import { CONTRIBUTED_COMMANDS } from './commandIds';
import type { LensFigure, LensFigures } from './mappingCodeLens';
import type { BudgetLensSettings } from './settings';
import { readSettings } from './settings';
import type { BackendProblem, FixCommands } from './text/budgetText';
import { HOVER_TOP_ENDPOINTS, backendProblemText, budgetFailureHoverLines, budgetHoverLines, failingReasonText, lensFiguresText, noDataLensText, staleReasonText } from './text/budgetText';
import type { LensSubject } from './text/mappingText';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** Longest an adapter waits for a first answer before showing what it has. */
const ASK_TIMEOUT_MS = 5_000;
/** Lens requests arriving within this many ms go out as one `/categories?names=` request. */
const BATCH_MS = 30;
/** How many of a group's top failing endpoints the budget panel asks for. */
export const PANEL_TOP_ENDPOINTS = 10;
/** Longest the report command waits for the report (the client's own timeout is 10 s per try). */
const REPORT_WAIT_MS = 60_000;

/** A month's report as cached: the answer and its meta.asOf (the CLI renders it as the evaluation time). */
export interface ReportAnswer {
  report: MonthlyReport;
  asOf: string;
}

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
  /** Monthly reports by month. */
  reports: BudgetKeyState[];
  /** How many times "Set API Token" was offered after a 401. */
  unauthorizedOffers: number;
  /** Requests sent to the backend since activation (one per BudgetApi call). */
  requests: number;
}

/** The budget panel's per-group requests besides the group itself. */
type GroupPart = 'groupTop' | 'daily' | 'burn';

/** What BudgetData.panelEntries returns: each part as cached, and when the requests it started settle. */
export interface PanelEntries {
  group: CacheEntry<GroupBudget> | undefined;
  topEndpoints: CacheEntry<EndpointRow[]> | undefined;
  daily: CacheEntry<DailySeries> | undefined;
  burnRates: CacheEntry<BurnRateRow[]> | undefined;
  categories: Array<[string, CacheEntry<CategoryBudget> | undefined]>;
  /** Settles when the requests this call started or found running are done; undefined when none were. */
  loaded: Promise<void> | undefined;
}

function keyStates<T>(cache: BudgetCache<T>): BudgetKeyState[] {
  return cache.keys().sort().map((key) => {
    const e = cache.get(key) ?? {};
    return { key, hasValue: e.value !== undefined, stale: cache.isStale(key), fetchedAt: e.fetchedAt, failure: e.failure };
  });
}

/** Resolves when `p` settles, the token is cancelled, or `ms` pass, whichever is first. */
function bounded(p: Promise<unknown>, token: vscode.CancellationToken | undefined, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const sub = token?.onCancellationRequested(() => finish());
    const finish = (): void => {
      clearTimeout(timer);
      sub?.dispose();
      resolve();
    };
    p.then(finish, finish);
  });
}

export class BudgetData implements LensFigures, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly categories = new BudgetCache<CategoryBudget>();
  private readonly groups = new BudgetCache<GroupBudget>();
  private readonly top = new BudgetCache<EndpointRow[]>();
  private readonly groupTop = new BudgetCache<EndpointRow[]>();
  private readonly daily = new BudgetCache<DailySeries>();
  private readonly burn = new BudgetCache<BurnRateRow[]>();
  private readonly reports = new BudgetCache<ReportAnswer>();
  private readonly offer = new UnauthorizedOffer();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private client: BudgetApi | undefined;
  /** The URL a failure names when the error carries none (the API's /api/v1 base, or Prometheus'). */
  private errorUrl = '';
  private kind: BackendKind | undefined;
  /** The catalog the Prometheus backend was built with (a new index build brings a new one). */
  private catalog: Catalog | undefined;
  /** The URL pair already reported as "both set", so the output channel says it once. */
  private bothSetLogged: string | undefined;
  private url = '';
  private token: string | undefined;
  /** Bumped on every new client: answers of an older one are dropped. */
  private generation = 0;
  private tokenGeneration = 0;
  /** The backend answered 401 and nothing has succeeded since (cleared by a new URL, token or answer). */
  private unauthorized = false;
  private abort = new AbortController();
  private timer: ReturnType<typeof setInterval> | undefined;
  private intervalMs = 300_000;
  private pending = new Set<string>();
  private batch: { promise: Promise<void>; timer: ReturnType<typeof setTimeout> } | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Categories the server answered 404 for on their own (left out of batches until the URL changes). */
  private readonly unknownToServer = new Set<string>();
  private requests = 0;
  private disposed = false;
  /** The latest refresh: a configure() that finds nothing new waits for it (a token set twice at once). */
  private lastRefresh: Promise<void> = Promise.resolve();

  constructor(
    private readonly indexer: WorkspaceIndexer,
    private readonly tokens: ApiTokenStore,
    private readonly log: vscode.OutputChannel,
  ) {
    this.disposables.push(
      tokens.onDidChange(() => void this.configure()),
      // Prometheus needs the workspace's catalog: configure once an index has it, again when a build replaces it.
      indexer.onDidChangeState(() => {
        if (this.wantsPrometheus() && this.workspaceCatalog()?.catalog !== this.catalog) void this.configure();
      }),
    );
  }

  /** True when a backend is configured and ready (the adapters show figures only then). */
  get enabled(): boolean {
    return this.client !== undefined;
  }

  /** True when the configured URL has a token in SecretStorage. */
  get hasToken(): boolean {
    return this.token !== undefined;
  }

  /**
   * True when figures cannot come without a (new) token: the backend refused the last request with
   * HTTP 401 and nothing has succeeded since. The tree and the panel then say "Set API Token". A
   * server that needs no token (`npm start`'s) is never asked for one: the token is asked for only
   * after a 401, whatever the backend.
   */
  get needsToken(): boolean {
    return this.client !== undefined && this.unauthorized;
  }

  /** The backend in use ('api' or 'prometheus'), undefined without one. */
  get backend(): BackendKind | undefined {
    return this.client ? this.kind : undefined;
  }

  /** The chosen backend of the current settings (also before the catalog is there). */
  private static choice(settings: BudgetLensSettings): BackendChoice | undefined {
    return chooseBackend(settings.apiUrl, settings.prometheusUrl);
  }

  private wantsPrometheus(): boolean {
    return BudgetData.choice(readSettings())?.kind === 'prometheus';
  }

  /** The first root's indexed workspace (its catalog and config): what a Prometheus backend uses. */
  private workspaceCatalog(): { catalog: Catalog; config: ProjectConfig | undefined } | undefined {
    for (const index of this.indexer.indexes) {
      const ws = index.current;
      if (ws) return { catalog: ws.catalog, config: ws.config };
    }
    return undefined;
  }

  /**
   * Reads the settings and the URL's token; a new URL drops every cached figure, a new token
   * keeps them until the refresh it triggers decides. Then refreshes (unless nothing changed).
   */
  async configure(): Promise<void> {
    const settings = readSettings();
    const choice = BudgetData.choice(settings);
    const token = choice ? await this.tokens.get(choice.url) : undefined;
    if (this.disposed) return;
    const url = choice?.url ?? '';
    const intervalMs = settings.refreshIntervalSeconds * 1000;
    const ws = choice?.kind === 'prometheus' ? this.workspaceCatalog() : undefined;
    const catalog = ws?.catalog;
    const ready = choice !== undefined && (choice.kind === 'api' || catalog !== undefined);
    if (url === this.url && choice?.kind === this.kind && catalog === this.catalog && token === this.token && intervalMs === this.intervalMs && (this.client !== undefined) === ready) return this.lastRefresh;
    const urlChanged = url !== this.url || choice?.kind !== this.kind;
    // A new catalog (a re-index) is like a new token: same server, the refresh decides.
    if (urlChanged || token !== this.token || catalog !== this.catalog) {
      this.abort.abort();
      this.abort = new AbortController();
      this.generation++;
      this.tokenGeneration++;
      this.unauthorized = false;
      this.offer.rearm();
      this.pending.clear();
      this.inFlight.clear();
    }
    if (urlChanged) {
      this.unknownToServer.clear();
      this.categories.clear();
      this.groups.clear();
      this.top.clear();
      this.groupTop.clear();
      this.daily.clear();
      this.burn.clear();
      this.reports.clear();
    }
    this.url = url;
    this.kind = choice?.kind;
    this.catalog = catalog;
    this.token = token;
    this.intervalMs = intervalMs;
    const opened = choice ? openBudgetApi(choice, token, catalog, ws?.config?.backend) : undefined;
    this.client = opened?.api;
    this.errorUrl = opened?.errorUrl ?? '';
    if (this.timer) clearInterval(this.timer);
    this.timer = this.client ? setInterval(() => void this.refresh(), this.intervalMs) : undefined;
    const both = choice?.ignoredPrometheusUrl !== undefined ? `${choice.url} ${choice.ignoredPrometheusUrl}` : undefined;
    if (both !== undefined && both !== this.bothSetLogged) {
      this.log.appendLine(`budgetLens.api.url and budgetLens.prometheus.url are both set: using the Budget API ${choice?.url}, not Prometheus ${choice?.ignoredPrometheusUrl}`);
    }
    this.bothSetLogged = both;
    if (!choice) this.log.appendLine('Budget figures: no backend configured (budgetLens.api.url and budgetLens.prometheus.url are empty)');
    else if (!this.client) this.log.appendLine(`Prometheus ${this.url}: waiting for the workspace's catalog (the index) before fetching budget figures`);
    else this.log.appendLine(`${backendLabel(choice.kind)} ${this.url}: ${token ? 'with a token' : 'no token'}, refresh every ${settings.refreshIntervalSeconds} s`);
    // The refresh starts first (its requests are in flight synchronously), so readers told of the
    // change see "loading" rather than a failure of the old token.
    const refreshed = this.client ? this.refresh() : undefined;
    this.changeEmitter.fire();
    await refreshed;
  }

  /** Fetches every key asked for so far, plus the categories of the visible editors. */
  refresh(): Promise<void> {
    this.lastRefresh = this.refreshNow();
    return this.lastRefresh;
  }

  private async refreshNow(): Promise<void> {
    if (!this.client) return;
    const names = new Set([...this.categories.keys(), ...this.visibleCategories()]);
    await Promise.all([
      names.size > 0 ? this.fetchCategories([...names]) : undefined,
      ...this.groups.keys().map((key) => this.fetchGroup(key)),
      ...this.top.keys().map((category) => this.fetchTop(category)),
      ...this.groupTop.keys().map((key) => this.fetchGroupPart('groupTop', key)),
      ...this.daily.keys().map((key) => this.fetchGroupPart('daily', key)),
      ...this.burn.keys().map((key) => this.fetchGroupPart('burn', key)),
    ]);
  }

  // ---- what the adapters ask ----

  /** The lens suffix of a category (the LensFigures seam); waits briefly for a first answer. */
  async figuresFor(subject: LensSubject, token: vscode.CancellationToken): Promise<LensFigure | undefined> {
    const entry = await this.categoryEntry(subject.category, token);
    if (entry?.value) return { text: lensFiguresText(entry.value, entry.failure !== undefined), ...(entry.failure ? { problem: staleReasonText(entry.failure, entry.fetchedAt) } : {}) };
    // Never loaded and failing: say so on the lens (with what failed), never a silent plain lens.
    if (entry?.failure) return { text: noDataLensText(entry.failure), problem: failingReasonText(entry.failure) };
    return undefined;
  }

  /** The commands that fix a failing backend (the hover's links, Check Budget Backend's buttons). */
  get fixCommands(): FixCommands {
    return {
      retry: CONTRIBUTED_COMMANDS.refreshBudget,
      setUrl: this.kind === 'prometheus' ? CONTRIBUTED_COMMANDS.setPrometheusUrl : CONTRIBUTED_COMMANDS.setApiUrl,
      setToken: CONTRIBUTED_COMMANDS.setApiToken,
    };
  }

  /**
   * The newest failure of any key that has not succeeded since (the backend's current problem),
   * and the newest good answer of any key.
   */
  problem(): { failure: Failure | undefined; lastGoodAt: number | undefined } {
    let failure: Failure | undefined;
    let lastGoodAt: number | undefined;
    const caches: Array<BudgetCache<unknown>> = [this.categories, this.groups, this.top, this.groupTop, this.daily, this.burn, this.reports];
    for (const cache of caches) {
      for (const key of cache.keys()) {
        const e = cache.get(key);
        if (e?.failure && (failure === undefined || e.failure.at > failure.at)) failure = e.failure;
        if (e?.fetchedAt !== undefined && e.failure === undefined && (lastGoodAt === undefined || e.fetchedAt > lastGoodAt)) lastGoodAt = e.fetchedAt;
      }
    }
    return { failure, lastGoodAt };
  }

  /** Check Budget Backend: what failed and the buttons that fix it (returned for the tests; the message is not awaited). */
  checkBackend(): BackendProblem {
    if (!this.client) {
      const message = this.kind === undefined ? 'Budget Lens: no budget backend is set (budgetLens.api.url or budgetLens.prometheus.url).' : `Budget Lens: ${backendLabel(this.kind)} ${this.url} waits for the workspace's catalog (indexing).`;
      const problem: BackendProblem = { message, actions: ['Change URL', 'Show Log'] };
      void this.offerFixes(problem);
      return problem;
    }
    const { failure, lastGoodAt } = this.problem();
    const problem = backendProblemText(backendLabel(this.kind ?? 'api'), this.url, failure, lastGoodAt);
    void this.offerFixes(problem);
    return problem;
  }

  private async offerFixes(problem: BackendProblem): Promise<void> {
    const show = problem.actions.includes('Retry') ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const picked = await show(problem.message, ...problem.actions);
    const fix = this.fixCommands;
    if (picked === 'Retry') await vscode.commands.executeCommand(fix.retry);
    else if (picked === 'Change URL') await vscode.commands.executeCommand(this.kind === undefined ? CONTRIBUTED_COMMANDS.setApiUrl : fix.setUrl);
    else if (picked === 'Set API Token') await vscode.commands.executeCommand(fix.setToken);
    else if (picked === 'Show Log') this.log.show(true);
  }

  /** A category's cached figures, fetching them if they are unknown or old (bounded wait). */
  async categoryEntry(category: string, token?: vscode.CancellationToken): Promise<CacheEntry<CategoryBudget> | undefined> {
    if (!this.client) return undefined;
    const asked = this.askCategory(category);
    if (this.categories.get(category)?.value === undefined) await bounded(asked, token, ASK_TIMEOUT_MS);
    return this.categories.get(category);
  }

  /** The group's cached figures; an unknown or old group is fetched and announced by onDidChange. */
  groupEntry(key: string): CacheEntry<GroupBudget> | undefined {
    if (!this.client) return undefined;
    this.askGroup(key);
    return this.groups.get(key);
  }

  /** The hover's budget section for a category, or undefined without an API or figures. */
  async hoverLines(category: string, groupName: string, inWorkspace: (id: string) => boolean, token: vscode.CancellationToken): Promise<string[] | undefined> {
    if (!this.client) return undefined;
    const topAsked = this.top.needsFetch(category, Date.now(), this.intervalMs) ? this.fetchTop(category) : Promise.resolve();
    const entry = await this.categoryEntry(category, token);
    if (token.isCancellationRequested) return undefined;
    if (!entry?.value) return entry?.failure ? budgetFailureHoverLines(category, entry.failure, this.fixCommands) : undefined;
    const groupKey = entry.value.group;
    this.askGroup(groupKey);
    await Promise.all([
      this.top.get(category)?.value ? undefined : bounded(topAsked, token, ASK_TIMEOUT_MS),
      this.groups.get(groupKey)?.value ? undefined : bounded(this.inFlight.get(`group:${groupKey}`) ?? Promise.resolve(), token, ASK_TIMEOUT_MS),
    ]);
    if (token.isCancellationRequested) return undefined;
    const top = this.top.get(category);
    const failure = entry.failure ?? top?.failure;
    return budgetHoverLines({ figures: entry.value, groupName, group: this.groups.get(groupKey)?.value, topEndpoints: top?.value, inWorkspace, failure, lastGoodAt: entry.fetchedAt });
  }

  /** A category's cached figures without waiting; unknown or old ones are fetched (onDidChange announces them). */
  peekCategory(category: string): CacheEntry<CategoryBudget> | undefined {
    if (!this.client) return undefined;
    void this.askCategory(category);
    return this.categories.get(category);
  }

  /** A category's cached top failing endpoints (the hover's 3) without waiting; fetched when unknown or old. */
  peekTopEndpoints(category: string): CacheEntry<EndpointRow[]> | undefined {
    if (!this.client) return undefined;
    if (!this.inFlight.has(`top:${category}`) && this.top.needsFetch(category, Date.now(), this.intervalMs)) void this.fetchTop(category);
    return this.top.get(category);
  }

  /**
   * What the budget panel shows for a group, as cached, asking for whatever is unknown or old:
   * the group, its top failing endpoints, daily series, burn rates and its categories' figures.
   * `loaded` resolves when the requests this call started (or found running) have settled.
   */
  panelEntries(key: string, categories: readonly string[]): PanelEntries | undefined {
    if (!this.client) return undefined;
    this.askGroup(key);
    const waits: Array<Promise<void>> = [];
    const groupRunning = this.inFlight.get(`group:${key}`);
    if (groupRunning) waits.push(groupRunning);
    for (const part of ['groupTop', 'daily', 'burn'] as const) {
      const running = this.inFlight.get(`${part}:${key}`);
      if (running) waits.push(running);
      else if (this.partCache(part).needsFetch(key, Date.now(), this.intervalMs)) waits.push(this.fetchGroupPart(part, key));
    }
    for (const c of categories) {
      // A category the server said it does not know is not asked again (nor waited for) until the URL changes.
      if (this.unknownToServer.has(c)) continue;
      if (this.inFlight.has(`category:${c}`) || this.categories.needsFetch(c, Date.now(), this.intervalMs)) waits.push(this.askCategory(c));
    }
    const loaded = waits.length > 0 ? Promise.all(waits).then(() => undefined) : undefined;
    return {
      group: this.groups.get(key),
      topEndpoints: this.groupTop.get(key),
      daily: this.daily.get(key),
      burnRates: this.burn.get(key),
      categories: categories.map((c) => [c, this.categories.get(c)]),
      loaded,
    };
  }

  /**
   * The report of `month` ('YYYY-MM') for the report command: the cached answer, fetched first when
   * unknown or old (and waited for: a user asked for it). A failed fetch keeps the last good report
   * and marks it stale like every other figure. Reports are not part of the periodic refresh: the
   * opened document does not change, and the next command run fetches again once the entry is old.
   */
  async reportEntry(month: string, token?: vscode.CancellationToken): Promise<CacheEntry<ReportAnswer> | undefined> {
    if (!this.client) return undefined;
    const running = this.inFlight.get(`report:${month}`);
    const asked = running ?? (this.reports.needsFetch(month, Date.now(), this.intervalMs) ? this.fetchReport(month) : undefined);
    if (asked) await bounded(asked, token, REPORT_WAIT_MS);
    return this.reports.get(month);
  }

  /** The configured backend's URL ('' without one): the Budget API's, or Prometheus'. */
  get apiUrl(): string {
    return this.url;
  }

  // ---- tokens ----

  /** Set API Token: from the argument (extension-host tests only) or a password box; stored for the current URL. */
  async setToken(arg?: string): Promise<boolean> {
    const choice = BudgetData.choice(readSettings());
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
    const choice = BudgetData.choice(readSettings());
    if (!choice) return;
    await this.tokens.delete(choice.url);
    this.log.appendLine(`${backendLabel(choice.kind)} ${choice.url}: token cleared`);
    await this.configure();
  }

  state(): BudgetTestState {
    return {
      url: this.url,
      backend: this.backend,
      hasToken: this.token !== undefined,
      needsToken: this.needsToken,
      categories: keyStates(this.categories),
      groups: keyStates(this.groups),
      topEndpoints: keyStates(this.top),
      groupTopEndpoints: keyStates(this.groupTop),
      daily: keyStates(this.daily),
      burnRates: keyStates(this.burn),
      reports: keyStates(this.reports),
      unauthorizedOffers: this.offer.count,
      requests: this.requests,
    };
  }

  // ---- fetching ----

  /** Adds a category to the next batch unless it is fresh or on its way; resolves when its answer is in. */
  private askCategory(category: string): Promise<void> {
    const running = this.inFlight.get(`category:${category}`);
    if (running) return running;
    if (!this.categories.needsFetch(category, Date.now(), this.intervalMs)) return Promise.resolve();
    this.pending.add(category);
    this.batch ??= this.scheduleBatch();
    return this.batch.promise;
  }

  private scheduleBatch(): { promise: Promise<void>; timer: ReturnType<typeof setTimeout> } {
    let resolveBatch!: () => void;
    const promise = new Promise<void>((resolve) => (resolveBatch = resolve));
    const timer = setTimeout(() => {
      this.batch = undefined;
      const names = [...this.pending];
      this.pending.clear();
      void this.fetchCategories(names).then(resolveBatch);
    }, BATCH_MS);
    return { promise, timer };
  }

  /** Fetches a group unless it is fresh or on its way. */
  private askGroup(key: string): void {
    if (!this.inFlight.has(`group:${key}`) && this.groups.needsFetch(key, Date.now(), this.intervalMs)) void this.fetchGroup(key);
  }

  /**
   * One request for all `names`. The server answers 404 for the whole batch when it does not know
   * one of them (its catalog may differ from the workspace's): then each is asked alone, and those
   * it does not know are left out of later batches until the URL changes.
   */
  private async fetchCategories(names: string[]): Promise<void> {
    const asked = names.filter((n) => !this.unknownToServer.has(n));
    const one = (batch: string[]): Promise<void> =>
      this.fetch('category', batch, this.categories, (client, signal) => client.categories(batch, { signal }), (data) => data.map((c) => [c.category, c]));
    await one(asked);
    if (asked.length < 2 || !asked.some((n) => this.categories.get(n)?.failure?.status === 404)) return;
    await Promise.all(asked.map((n) => one([n])));
    for (const n of asked) if (this.categories.get(n)?.failure?.status === 404) this.unknownToServer.add(n);
  }

  private fetchGroup(key: string): Promise<void> {
    return this.fetch('group', [key], this.groups, (client, signal) => client.group(key, { signal }), (data) => [[key, data]]);
  }

  private fetchTop(category: string): Promise<void> {
    const running = this.inFlight.get(`top:${category}`);
    if (running) return running;
    return this.fetch('top', [category], this.top, (client, signal) => client.topEndpoints({ category }, { signal, limit: HOVER_TOP_ENDPOINTS }), (data) => [[category, data.endpoints]]);
  }

  private fetchReport(month: string): Promise<void> {
    return this.fetch(
      'report',
      [month],
      this.reports,
      async (client, signal) => {
        const { data, meta } = await client.report(month, { signal });
        return { data: { report: data, asOf: meta.asOf } };
      },
      (answer) => [[month, answer]],
    );
  }

  private partCache(part: 'groupTop'): BudgetCache<EndpointRow[]>;
  private partCache(part: 'daily'): BudgetCache<DailySeries>;
  private partCache(part: 'burn'): BudgetCache<BurnRateRow[]>;
  private partCache(part: GroupPart): BudgetCache<unknown>;
  private partCache(part: GroupPart): BudgetCache<unknown> {
    return part === 'groupTop' ? this.groupTop : part === 'daily' ? this.daily : this.burn;
  }

  /** One of the panel's per-group requests. */
  private fetchGroupPart(part: GroupPart, key: string): Promise<void> {
    const scope = { group: key };
    if (part === 'groupTop') return this.fetch(part, [key], this.groupTop, (client, signal) => client.topEndpoints(scope, { signal, limit: PANEL_TOP_ENDPOINTS }), (data) => [[key, data.endpoints]]);
    if (part === 'daily') return this.fetch(part, [key], this.daily, (client, signal) => client.daily(scope, { signal }), (data) => [[key, data]]);
    return this.fetch(part, [key], this.burn, (client, signal) => client.burnRates(scope, { signal }), (data) => [[key, data]]);
  }

  /**
   * One request for `keys`: good answers replace the cached ones; a failure marks every key
   * stale (keeping its value) and is logged once with its URL and status. onDidChange fires
   * when what a reader sees changed. Answers of a replaced client are dropped.
   */
  private fetch<R, T>(
    kind: 'category' | 'group' | 'top' | 'report' | GroupPart,
    keys: string[],
    cache: BudgetCache<T>,
    call: (client: BudgetApi, signal: AbortSignal) => Promise<{ data: R }>,
    entries: (data: R) => Array<[string, T]>,
  ): Promise<void> {
    const client = this.client;
    if (!client || keys.length === 0) return Promise.resolve();
    const label = backendLabel(this.kind ?? 'api');
    const errorUrl = this.errorUrl;
    const generation = this.generation;
    const signal = this.abort.signal;
    const run = async (): Promise<void> => {
      this.requests++;
      let changed = false;
      try {
        const { data } = await call(client, signal);
        if (generation !== this.generation || this.disposed) return;
        const wasFailing = keys.some((k) => cache.get(k)?.failure !== undefined);
        const now = Date.now();
        if (this.unauthorized) {
          this.unauthorized = false;
          changed = true;
        }
        for (const [key, value] of entries(data)) changed = cache.succeed(key, value, now) || changed;
        if (wasFailing) this.log.appendLine(`${label} ${errorUrl}: answering again`);
      } catch (e) {
        if (generation !== this.generation || this.disposed || signal.aborted) return;
        const failure = failureOf(e, errorUrl, Date.now());
        for (const key of keys) changed = cache.fail(key, failure) || changed;
        if (failure.unauthorized && !this.unauthorized) {
          this.unauthorized = true;
          changed = true;
        }
        if (changed) this.log.appendLine(`${label} ${failure.url}: ${failure.status ? `HTTP ${failure.status}` : 'no response'}`);
        if (failure.unauthorized && this.offer.shouldOffer(`${this.url}#${this.tokenGeneration}`)) this.offerToken(failure);
      }
      if (changed) this.changeEmitter.fire();
    };
    const done = run().finally(() => {
      for (const key of keys) if (this.inFlight.get(`${kind}:${key}`) === done) this.inFlight.delete(`${kind}:${key}`);
    });
    for (const key of keys) this.inFlight.set(`${kind}:${key}`, done);
    return done;
  }

  private offerToken(failure: Failure): void {
    const action = 'Set API Token';
    void vscode.window
      .showWarningMessage(`Budget Lens: the ${backendLabel(this.kind ?? 'api')} at ${this.url} refused the request (HTTP ${failure.status}). Budget figures stay as they were, marked stale.`, action)
      .then((picked) => {
        if (picked === action) void vscode.commands.executeCommand(CONTRIBUTED_COMMANDS.setApiToken);
      });
  }

  /** Valid categories of the files in the visible editors (what the lenses on screen need). */
  private visibleCategories(): string[] {
    const names = new Set<string>();
    for (const editor of vscode.window.visibleTextEditors) {
      const located = this.indexer.locate(editor.document.uri);
      const ws = located?.index.current;
      const mapping = located && ws?.index.fileMapping(located.file);
      if (!ws || !mapping) continue;
      for (const c of [...mapping.categories.map((r) => r.category), ...mapping.endpoints.map((e) => e.category)]) {
        if (ws.catalog.isValidCategory(c)) names.add(c);
      }
    }
    return [...names];
  }

  dispose(): void {
    this.disposed = true;
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    if (this.batch) clearTimeout(this.batch.timer);
    for (const d of this.disposables) d.dispose();
  }
}
