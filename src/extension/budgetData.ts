/**
 * The editor's budget figures as known now. Every read returns at once what is cached (a
 * `Known` entry: the last good value, the failure since, and whether a request for it is on its
 * way) and, when the key is unknown or old, starts fetching it; onDidChange fires when a request
 * settles or the session changes, and readers render again. Nothing here waits on the network for
 * a reader: adapters never await a figure.
 *
 * What it fetches through the session's client (budgetSession.ts): category budgets (requests
 * arriving within BATCH_MS go out as one `/categories?names=` request), groups, a category's top
 * failing endpoints, the budget panel's per-group top endpoints, daily series and burn rates, the
 * burn-alert evaluation of the scopes burnAlertWatcher.ts names (the developer's group and the
 * visible categories, each refresh), and a month's report. It refreshes what was asked for (plus the visible editors' categories) on the
 * session's interval and on Refresh Budget Data. A failed fetch keeps the last good value, marked
 * stale with the reason (budgetCache.ts). A new server clears everything; a new token or catalog
 * keeps the figures until the refresh it starts decides.
 */
import * as vscode from 'vscode';
import type { BudgetApi, BurnAlert, BurnRateRow, CategoryBudget, DailySeries, EndpointBudget, EndpointRow, GroupBudget, MonthlyReport, ObjectiveBudget, ObjectiveDetail, ResultMeta, Scope } from '../sdk';
import type { CacheEntry, Failure, Known } from './budgetCache';
import { BudgetCache, failureOf } from './budgetCache';
import type { BudgetSession, SessionChange } from './budgetSession';
import { Disposable } from './disposable';
import { HOVER_TOP_ENDPOINTS } from './text/budgetText';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** Lens requests arriving within this many ms go out as one `/categories?names=` request. */
const BATCH_MS = 30;
/** How many of a group's top failing endpoints the budget panel asks for. */
export const PANEL_TOP_ENDPOINTS = 10;

/** A month's report as cached: the answer and its meta.asOf (the CLI renders it as the evaluation time). */
export interface ReportAnswer {
  report: MonthlyReport;
  asOf: string;
}

/** The budget panel's per-group requests besides the group itself. */
type GroupPart = 'groupTop' | 'daily' | 'burn';
type FetchKind = 'category' | 'endpoint' | 'categoryDaily' | 'group' | 'top' | 'report' | 'alert' | 'objective' | 'objectiveDetail' | GroupPart;

/** The most endpoint ids one `/endpoints?ids=` request carries (the server's limit). */
const MAX_ENDPOINT_IDS = 500;

/** A scope's key in the burnAlerts cache: `group:<key>` or `category:<name>`. */
export function scopeKey(scope: Scope): string {
  return 'group' in scope ? `group:${scope.group}` : `category:${scope.category}`;
}

/** What the budget panel shows for a group, as known now. */
export interface PanelEntries {
  group: Known<GroupBudget>;
  topEndpoints: Known<EndpointRow[]>;
  daily: Known<DailySeries>;
  burnRates: Known<BurnRateRow[]>;
  categories: Array<[string, Known<CategoryBudget>]>;
  /** True while any of them is on its way. */
  loading: boolean;
}

/** Every cache, read-only, for the test state and the Check Budget Backend command. */
export interface BudgetCaches {
  categories: BudgetCache<CategoryBudget>;
  groups: BudgetCache<GroupBudget>;
  topEndpoints: BudgetCache<EndpointRow[]>;
  groupTopEndpoints: BudgetCache<EndpointRow[]>;
  daily: BudgetCache<DailySeries>;
  burnRates: BudgetCache<BurnRateRow[]>;
  /** The F16 alert evaluation per scope (scopeKey); null when the server answers without one (older than it). */
  burnAlerts: BudgetCache<BurnAlert | null>;
  reports: BudgetCache<ReportAnswer>;
  /** Each endpoint's own figures (F15), by endpoint id: the endpoint lenses and hover. */
  endpoints: BudgetCache<EndpointBudget>;
  /** A category's daily series (the explained hover's sparkline), by category. */
  categoryDaily: BudgetCache<DailySeries>;
  /** The meta (window, provenance) of the answer each key came in, by `kind:key` (`category:team_planning`). */
  metas: BudgetCache<ResultMeta>;
  /** Objectives that are not GitLab's (issue 13), by name: the lenses, hover, tree and panel tiles. */
  objectives: BudgetCache<ObjectiveBudget>;
  /** An objective with its burn-down (the panel's chart), by name. */
  objectiveDetails: BudgetCache<ObjectiveDetail>;
}

export class BudgetData extends Disposable {
  private readonly changeEmitter = this.own(new vscode.EventEmitter<void>());
  /** What a reader sees may have changed: a request settled, or the backend changed. */
  readonly onDidChange = this.changeEmitter.event;
  readonly caches: BudgetCaches = {
    categories: new BudgetCache<CategoryBudget>(),
    groups: new BudgetCache<GroupBudget>(),
    topEndpoints: new BudgetCache<EndpointRow[]>(),
    groupTopEndpoints: new BudgetCache<EndpointRow[]>(),
    daily: new BudgetCache<DailySeries>(),
    burnRates: new BudgetCache<BurnRateRow[]>(),
    burnAlerts: new BudgetCache<BurnAlert | null>(),
    reports: new BudgetCache<ReportAnswer>(),
    endpoints: new BudgetCache<EndpointBudget>(),
    categoryDaily: new BudgetCache<DailySeries>(),
    metas: new BudgetCache<ResultMeta>(),
    objectives: new BudgetCache<ObjectiveBudget>(),
    objectiveDetails: new BudgetCache<ObjectiveDetail>(),
  };
  /** The scopes whose burn alerts each refresh fetches (burnAlertWatcher.ts sets it: the developer's group and the open categories). */
  private alertScopes: () => Scope[] = () => [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private timerMs = 0;
  /** Categories waiting for the next batch, and its timer. */
  private readonly pending = new Set<string>();
  private batchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Endpoint ids waiting for the next batch (one `/endpoints?ids=` request), and its timer. */
  private readonly pendingEndpoints = new Set<string>();
  private endpointTimer: ReturnType<typeof setTimeout> | undefined;
  /** Objective names waiting for the next batch (one `/objectives?names=` request), and its timer. */
  private readonly pendingObjectives = new Set<string>();
  private objectiveTimer: ReturnType<typeof setTimeout> | undefined;
  /** `${kind}:${key}` -> the request on its way. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Categories the server answered 404 for on their own (left out of batches until the URL changes). */
  private readonly unknownToServer = new Set<string>();
  /** The same for objective names. */
  private readonly objectivesUnknownToServer = new Set<string>();
  private requestCount = 0;
  /** The latest refresh, for commands that report when it is done (Refresh Budget Data, Set API Token). */
  private lastRefresh: Promise<void> = Promise.resolve();

  constructor(
    private readonly session: BudgetSession,
    private readonly indexer: WorkspaceIndexer,
    private readonly log: vscode.OutputChannel,
  ) {
    super();
    this.onDispose(() => {
      if (this.timer) clearInterval(this.timer);
      if (this.batchTimer) clearTimeout(this.batchTimer);
      if (this.endpointTimer) clearTimeout(this.endpointTimer);
      if (this.objectiveTimer) clearTimeout(this.objectiveTimer);
    });
    this.own(session.onDidChange((change) => this.sessionChanged(change)));
  }

  /** Requests sent to the backend since activation (one per BudgetApi call). */
  get requests(): number {
    return this.requestCount;
  }

  private sessionChanged(change: SessionChange): void {
    if (change.clientChanged) {
      this.pending.clear();
      this.pendingEndpoints.clear();
      this.inFlight.clear();
      if (this.batchTimer) clearTimeout(this.batchTimer);
      this.batchTimer = undefined;
      if (this.endpointTimer) clearTimeout(this.endpointTimer);
      this.endpointTimer = undefined;
      this.pendingObjectives.clear();
      if (this.objectiveTimer) clearTimeout(this.objectiveTimer);
      this.objectiveTimer = undefined;
    }
    if (change.urlChanged) {
      this.unknownToServer.clear();
      this.objectivesUnknownToServer.clear();
      for (const cache of Object.values(this.caches) as Array<BudgetCache<unknown>>) cache.clear();
    }
    const client = this.session.client;
    if (this.timer && (!client || this.timerMs !== this.session.intervalMs || change.clientChanged)) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (client && !this.timer) {
      this.timerMs = this.session.intervalMs;
      this.timer = setInterval(() => void this.refresh(), this.timerMs);
    }
    // The refresh starts first (its requests are in flight synchronously), so readers told of the
    // change see "loading" rather than a failure of the old token.
    if (client) void this.refresh();
    this.changeEmitter.fire();
  }

  /** Fetches every key asked for so far, plus the categories of the visible editors. Resolves when all settled. */
  refresh(): Promise<void> {
    this.lastRefresh = this.refreshNow();
    return this.lastRefresh;
  }

  /** Resolves when the latest refresh has settled (the session's commands wait for the refresh they caused). */
  whenRefreshed(): Promise<void> {
    return this.lastRefresh;
  }

  private async refreshNow(): Promise<void> {
    if (!this.session.client) return;
    const c = this.caches;
    const visible = this.visibleMappings();
    const names = new Set([...c.categories.keys(), ...visible.categories]);
    // Every endpoint on screen (and any asked for before) in one request.
    const ids = new Set([...c.endpoints.keys(), ...visible.endpoints]);
    const objectives = new Set([...c.objectives.keys(), ...visible.objectives]);
    await Promise.all([
      objectives.size > 0 ? this.fetchObjectives([...objectives]) : undefined,
      ...c.objectiveDetails.keys().map((name) => this.fetchObjectiveDetail(name)),
      names.size > 0 ? this.fetchCategories([...names]) : undefined,
      ids.size > 0 ? this.fetchEndpoints([...ids]) : undefined,
      ...c.categoryDaily.keys().map((category) => this.fetchCategoryDaily(category)),
      ...c.groups.keys().map((key) => this.fetchGroup(key)),
      ...c.topEndpoints.keys().map((category) => this.fetchTop(category)),
      ...c.groupTopEndpoints.keys().map((key) => this.fetchGroupPart('groupTop', key)),
      ...c.daily.keys().map((key) => this.fetchGroupPart('daily', key)),
      ...c.burnRates.keys().map((key) => this.fetchGroupPart('burn', key)),
      ...this.alertScopes().map((scope) => this.fetchAlert(scope)),
    ]);
  }

  /** Which scopes' burn alerts the refresh fetches (only the ones asked now: a closed file's category drops out). */
  setAlertScopes(scopes: () => Scope[]): void {
    this.alertScopes = scopes;
  }

  // ---- what is known now (each read starts a fetch when the key is unknown or old) ----

  /** A category's figures; undefined without a backend. */
  category(name: string): Known<CategoryBudget> | undefined {
    if (!this.session.client) return undefined;
    this.askCategory(name);
    return this.known(this.caches.categories, 'category', name);
  }

  /**
   * An endpoint's own figures (F15); undefined without a backend. Ids asked within BATCH_MS go
   * out as one `/endpoints?ids=` request (a screen's lenses resolve together).
   */
  endpoint(id: string): Known<EndpointBudget> | undefined {
    if (!this.session.client) return undefined;
    if (!this.pendingEndpoints.has(id) && this.wants('endpoint', this.caches.endpoints, id)) {
      this.pendingEndpoints.add(id);
      this.endpointTimer ??= setTimeout(() => {
        this.endpointTimer = undefined;
        const ids = [...this.pendingEndpoints];
        this.pendingEndpoints.clear();
        void this.fetchEndpoints(ids);
      }, BATCH_MS);
    }
    return this.known(this.caches.endpoints, 'endpoint', id);
  }

  /**
   * An objective's status (issue 13); undefined without a backend. Names asked within BATCH_MS go
   * out as one `/objectives?names=` request (the objectives on screen resolve together).
   */
  objective(name: string): Known<ObjectiveBudget> | undefined {
    if (!this.session.client) return undefined;
    if (!this.pendingObjectives.has(name) && this.wants('objective', this.caches.objectives, name)) {
      this.pendingObjectives.add(name);
      this.objectiveTimer ??= setTimeout(() => {
        this.objectiveTimer = undefined;
        const names = [...this.pendingObjectives];
        this.pendingObjectives.clear();
        void this.fetchObjectives(names);
      }, BATCH_MS);
    }
    const known = this.known(this.caches.objectives, 'objective', name);
    return this.pendingObjectives.has(name) ? { ...known, loading: true } : known;
  }

  /** An objective with its day-by-day burn-down (the panel's chart); undefined without a backend. */
  objectiveDetail(name: string): Known<ObjectiveDetail> | undefined {
    if (!this.session.client) return undefined;
    if (this.wants('objectiveDetail', this.caches.objectiveDetails, name)) void this.fetchObjectiveDetail(name);
    return this.known(this.caches.objectiveDetails, 'objectiveDetail', name);
  }

  /** A category's daily series, for the explained hover's sparkline; undefined without a backend. */
  categoryDaily(category: string): Known<DailySeries> | undefined {
    if (!this.session.client) return undefined;
    if (this.wants('categoryDaily', this.caches.categoryDaily, category)) void this.fetchCategoryDaily(category);
    return this.known(this.caches.categoryDaily, 'categoryDaily', category);
  }

  /** The meta of the answer a category's, an endpoint's or a group's top endpoints came in (window, provenance); undefined until one came. */
  meta(kind: 'category' | 'endpoint' | 'groupTop' | 'group', key: string): ResultMeta | undefined {
    return this.caches.metas.get(`${kind}:${key}`)?.value;
  }

  /** A group's figures; undefined without a backend. */
  group(key: string): Known<GroupBudget> | undefined {
    if (!this.session.client) return undefined;
    if (this.wants('group', this.caches.groups, key)) void this.fetchGroup(key);
    return this.known(this.caches.groups, 'group', key);
  }

  /** A category's top failing endpoints (the hover's 3, the tree's); undefined without a backend. */
  topEndpoints(category: string): Known<EndpointRow[]> | undefined {
    if (!this.session.client) return undefined;
    if (this.wants('top', this.caches.topEndpoints, category)) void this.fetchTop(category);
    return this.known(this.caches.topEndpoints, 'top', category);
  }

  /** A scope's burn-alert evaluation (F16); undefined without a backend. */
  burnAlert(scope: Scope): Known<BurnAlert | null> | undefined {
    if (!this.session.client) return undefined;
    const key = scopeKey(scope);
    if (this.wants('alert', this.caches.burnAlerts, key)) void this.fetchAlert(scope);
    return this.known(this.caches.burnAlerts, 'alert', key);
  }

  /**
   * A scope's top failing endpoints over `window` (the burning window), for Go to Top Offender.
   * The one read here that waits for the network: a command's, never an adapter's; not cached.
   */
  async topOffenders(scope: Scope, window: string, limit = PANEL_TOP_ENDPOINTS): Promise<EndpointRow[]> {
    const client = this.session.client;
    if (!client) return [];
    this.requestCount++;
    const { data } = await client.topEndpoints(scope, { window, limit, signal: this.session.signal });
    return data.endpoints;
  }

  /** A month's report ('YYYY-MM'); undefined without a backend. Reports are not part of the periodic refresh. */
  report(month: string): Known<ReportAnswer> | undefined {
    if (!this.session.client) return undefined;
    if (this.wants('report', this.caches.reports, month)) void this.fetchReport(month);
    return this.known(this.caches.reports, 'report', month);
  }

  /**
   * What the budget panel shows for a group: the group, its top failing endpoints, daily series,
   * burn rates and its categories' figures; undefined without a backend.
   */
  panel(key: string, categories: readonly string[]): PanelEntries | undefined {
    if (!this.session.client) return undefined;
    const c = this.caches;
    const group = this.group(key);
    if (!group) return undefined;
    for (const part of ['groupTop', 'daily', 'burn'] as const) {
      if (this.wants(part, this.partCache(part), key)) void this.fetchGroupPart(part, key);
    }
    // A category the server said it does not know is not asked again until the URL changes.
    for (const name of categories) if (!this.unknownToServer.has(name)) this.askCategory(name);
    const entries: PanelEntries = {
      group,
      topEndpoints: this.known(c.groupTopEndpoints, 'groupTop', key),
      daily: this.known(c.daily, 'daily', key),
      burnRates: this.known(c.burnRates, 'burn', key),
      categories: categories.map((name) => [name, this.known(c.categories, 'category', name)]),
      loading: false,
    };
    entries.loading = [entries.group, entries.topEndpoints, entries.daily, entries.burnRates, ...entries.categories.map(([, k]) => k)].some((k) => k.loading);
    return entries;
  }

  /**
   * The newest failure of any key that has not succeeded since (the backend's current problem),
   * and the newest good answer of any key.
   */
  problem(): { failure: Failure | undefined; lastGoodAt: number | undefined } {
    let failure: Failure | undefined;
    let lastGoodAt: number | undefined;
    for (const cache of Object.values(this.caches) as Array<BudgetCache<unknown>>) {
      for (const key of cache.keys()) {
        const e = cache.get(key);
        if (e?.failure && (failure === undefined || e.failure.at > failure.at)) failure = e.failure;
        if (e?.fetchedAt !== undefined && e.failure === undefined && (lastGoodAt === undefined || e.fetchedAt > lastGoodAt)) lastGoodAt = e.fetchedAt;
      }
    }
    return { failure, lastGoodAt };
  }

  private known<T>(cache: BudgetCache<T>, kind: FetchKind, key: string): Known<T> {
    const entry: CacheEntry<T> = cache.get(key) ?? {};
    const loading = this.inFlight.has(`${kind}:${key}`) || (kind === 'category' && this.pending.has(key)) || (kind === 'endpoint' && this.pendingEndpoints.has(key));
    return { ...entry, loading };
  }

  /** True when `key` is neither on its way nor fresh. */
  private wants<T>(kind: FetchKind, cache: BudgetCache<T>, key: string): boolean {
    return !this.inFlight.has(`${kind}:${key}`) && cache.needsFetch(key, Date.now(), this.session.intervalMs);
  }

  // ---- fetching ----

  /** Adds a category to the next batch unless it is fresh or on its way. */
  private askCategory(category: string): void {
    if (this.pending.has(category) || !this.wants('category', this.caches.categories, category)) return;
    this.pending.add(category);
    this.batchTimer ??= setTimeout(() => {
      this.batchTimer = undefined;
      const names = [...this.pending];
      this.pending.clear();
      // Synchronously in flight (fetch registers its keys before its first await): never a moment unasked.
      void this.fetchCategories(names);
    }, BATCH_MS);
  }

  /**
   * One request for all `names`. The server answers 404 for the whole batch when it does not know
   * one of them (its catalog may differ from the workspace's): then each is asked alone, and those
   * it does not know are left out of later batches until the URL changes.
   */
  private fetchCategories(names: string[]): Promise<void> {
    return this.batchOrEach(names, this.caches.categories, this.unknownToServer, (batch) =>
      this.fetch('category', batch, this.caches.categories, (client, signal) => client.categories(batch, { signal }), (data) => data.map((c) => [c.category, c])),
    );
  }

  /**
   * One request for the names the server is not known to lack. A name it does not know answers
   * 404 for the whole batch: then each is asked alone, so the others still show (and that one
   * says it is unknown), and it is left out of later batches until the URL changes.
   */
  private async batchOrEach<T>(names: string[], cache: BudgetCache<T>, unknown: Set<string>, ask: (batch: string[]) => Promise<void>): Promise<void> {
    const asked = names.filter((n) => !unknown.has(n));
    if (asked.length === 0) return;
    await ask(asked);
    if (asked.length < 2 || !asked.some((n) => cache.get(n)?.failure?.status === 404)) return;
    await Promise.all(asked.map((n) => ask([n])));
    for (const n of asked) if (cache.get(n)?.failure?.status === 404) unknown.add(n);
  }

  /** One request per MAX_ENDPOINT_IDS ids (a screen holds far fewer: one request). */
  private async fetchEndpoints(ids: string[]): Promise<void> {
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += MAX_ENDPOINT_IDS) chunks.push(ids.slice(i, i + MAX_ENDPOINT_IDS));
    await Promise.all(
      chunks.map((chunk) =>
        this.fetch('endpoint', chunk, this.caches.endpoints, (client, signal) => client.endpoints(chunk, { signal }), (data) => data.endpoints.map((e): [string, EndpointBudget] => [e.endpointId, e])),
      ),
    );
  }

  /** One `/objectives?names=` request for `names` (batchOrEach: an unknown name alone). */
  private fetchObjectives(names: string[]): Promise<void> {
    return this.batchOrEach(names, this.caches.objectives, this.objectivesUnknownToServer, (batch) =>
      this.fetch('objective', batch, this.caches.objectives, (client, signal) => client.objectives({ names: batch, signal }), (data) => data.map((o): [string, ObjectiveBudget] => [o.name, o])),
    );
  }

  private fetchObjectiveDetail(name: string): Promise<void> {
    return this.fetch('objectiveDetail', [name], this.caches.objectiveDetails, (client, signal) => client.objective(name, { signal }), (data) => [[name, data]]);
  }

  private fetchCategoryDaily(category: string): Promise<void> {
    return this.fetch('categoryDaily', [category], this.caches.categoryDaily, (client, signal) => client.daily({ category }, { signal }), (data) => [[category, data]]);
  }

  private fetchGroup(key: string): Promise<void> {
    return this.fetch('group', [key], this.caches.groups, (client, signal) => client.group(key, { signal }), (data) => [[key, data]]);
  }

  private fetchTop(category: string): Promise<void> {
    const running = this.inFlight.get(`top:${category}`);
    if (running) return running;
    return this.fetch('top', [category], this.caches.topEndpoints, (client, signal) => client.topEndpoints({ category }, { signal, limit: HOVER_TOP_ENDPOINTS }), (data) => [[category, data.endpoints]]);
  }

  private fetchReport(month: string): Promise<void> {
    return this.fetch(
      'report',
      [month],
      this.caches.reports,
      async (client, signal) => {
        const { data, meta } = await client.report(month, { signal });
        return { data: { report: data, asOf: meta.asOf } };
      },
      (answer) => [[month, answer]],
    );
  }

  private fetchAlert(scope: Scope): Promise<void> {
    const key = scopeKey(scope);
    const running = this.inFlight.get(`alert:${key}`);
    if (running) return running;
    return this.fetch(
      'alert',
      [key],
      this.caches.burnAlerts,
      async (client, signal) => ({ data: (await client.burnRates(scope, { signal })).alert ?? null }),
      (alert) => [[key, alert]],
    );
  }

  private partCache(part: GroupPart): BudgetCache<unknown> {
    return part === 'groupTop' ? this.caches.groupTopEndpoints : part === 'daily' ? this.caches.daily : this.caches.burnRates;
  }

  /** One of the panel's per-group requests. */
  private fetchGroupPart(part: GroupPart, key: string): Promise<void> {
    const scope = { group: key };
    const c = this.caches;
    if (part === 'groupTop') return this.fetch(part, [key], c.groupTopEndpoints, (client, signal) => client.topEndpoints(scope, { signal, limit: PANEL_TOP_ENDPOINTS }), (data) => [[key, data.endpoints]]);
    if (part === 'daily') return this.fetch(part, [key], c.daily, (client, signal) => client.daily(scope, { signal }), (data) => [[key, data]]);
    return this.fetch(part, [key], c.burnRates, (client, signal) => client.burnRates(scope, { signal }), (data) => [[key, data]]);
  }

  /**
   * One request for `keys`: good answers replace the cached ones; a failure marks every key
   * stale (keeping its value) and is logged once with its URL and status. onDidChange fires when
   * it settles (a reader showing "loading" must hear of it, whether or not the value changed).
   * Answers of a replaced client are dropped.
   */
  private fetch<R, T>(
    kind: FetchKind,
    keys: string[],
    cache: BudgetCache<T>,
    call: (client: BudgetApi, signal: AbortSignal) => Promise<{ data: R; meta?: ResultMeta }>,
    entries: (data: R) => Array<[string, T]>,
  ): Promise<void> {
    const session = this.session;
    const client = session.client;
    if (!client || keys.length === 0) return Promise.resolve();
    const { label, errorUrl, generation, signal } = { label: session.label, errorUrl: session.errorUrl, generation: session.generation, signal: session.signal };
    const current = (): boolean => generation === session.generation && !this.isDisposed;
    const run = async (): Promise<void> => {
      this.requestCount++;
      try {
        const { data, meta } = await call(client, signal);
        if (!current()) return;
        const wasFailing = keys.some((k) => cache.get(k)?.failure !== undefined);
        const now = Date.now();
        session.answered();
        for (const [key, value] of entries(data)) {
          cache.succeed(key, value, now);
          if (meta) this.caches.metas.succeed(`${kind}:${key}`, meta, now);
        }
        if (wasFailing) this.log.appendLine(`${label} ${errorUrl}: answering again`);
      } catch (e) {
        if (!current() || signal.aborted) return;
        const failure = failureOf(e, errorUrl, Date.now());
        let changed = false;
        for (const key of keys) changed = cache.fail(key, failure) || changed;
        if (session.failed(failure)) changed = true;
        if (changed) this.log.appendLine(`${label} ${failure.url}: ${failure.status ? `HTTP ${failure.status}` : 'no response'}`);
      }
    };
    const done = run().finally(() => {
      let settled = false;
      for (const key of keys) {
        if (this.inFlight.get(`${kind}:${key}`) !== done) continue;
        this.inFlight.delete(`${kind}:${key}`);
        settled = true;
      }
      if (settled && current()) this.changeEmitter.fire();
    });
    for (const key of keys) this.inFlight.set(`${kind}:${key}`, done);
    return done;
  }

  /** Valid categories of the files in the visible editors (what the lenses on screen need). */
  visibleCategories(): string[] {
    return this.visibleMappings().categories;
  }

  /** Valid categories and the endpoint ids of the files in the visible editors (what the lenses on screen need). */
  private visibleMappings(): { categories: string[]; endpoints: string[]; objectives: string[] } {
    const names = new Set<string>();
    const endpoints = new Set<string>();
    const objectives = new Set<string>();
    for (const editor of vscode.window.visibleTextEditors) {
      const located = this.indexer.locate(editor.document.uri);
      const ws = located?.index.current;
      const mapping = located && ws?.index.fileMapping(located.file);
      if (!ws || !mapping) continue;
      for (const c of [...mapping.categories.map((r) => r.category), ...mapping.endpoints.map((e) => e.category)]) {
        if (ws.catalog.isValidCategory(c)) names.add(c);
      }
      for (const e of mapping.endpoints) if (ws.catalog.isValidCategory(e.category)) endpoints.add(e.id);
      for (const segment of ws.index.objectiveSegments(located.file)) for (const o of segment.objectives) objectives.add(o);
    }
    return { categories: [...names], endpoints: [...endpoints], objectives: [...objectives] };
  }
}
