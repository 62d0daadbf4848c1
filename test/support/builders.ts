/**
 * Typed test builders (vscode-pull-request-github `src/test/builders/` style): API responses
 * built from defaults + overrides instead of pasted JSON, the real GitLab catalog, and an
 * in-memory BudgetSource for tests that are about the service or the server, not a backend.
 */
import { join } from 'node:path';
import type { BudgetFigures, Component, SliCounts } from '../../src/sdk/contract/budgetTypes';
import { loadCatalog } from '../../src/sdk/catalog/catalogParser';
import type { CatalogConfigInput } from '../../src/sdk/catalog/catalogParser';
import type { Catalog } from '../../src/sdk/catalog/types';
import type { ApiResult, GroupBudget } from '../../src/sdk/contract/apiTypes';
import type {
  BudgetSource,
  CategoryCounts,
  DailyCounts,
  EndpointCounts,
  EvalOptions,
  GroupCounts,
  ResultMeta,
  Scope,
  Sourced,
} from '../../src/sdk/contract/budgetSource';

/** The real GitLab catalog (81 groups) shipped with the shared fixtures. */
export const GITLAB_FIXTURES = join(__dirname, '..', '..', 'catalog', 'gitlab');

export function gitlabCatalog(config?: CatalogConfigInput): Promise<Catalog> {
  return loadCatalog({
    stagesPath: join(GITLAB_FIXTURES, 'stages.yml'),
    featureCategoriesPath: join(GITLAB_FIXTURES, 'feature_categories.yml'),
    ...(config ? { config } : {}),
  });
}

// ---- API response builders -----------------------------------------------------------------

export function aResultMeta(overrides: Partial<ResultMeta> = {}): ResultMeta {
  return {
    window: { label: '28d', minutes: 40320, start: '2026-10-01T00:00:00.000Z', end: '2026-10-29T00:00:00.000Z' },
    asOf: '2026-10-29T00:00:00.000Z',
    provenance: { kind: 'store', source: '/tmp/store.db', queries: ['SELECT ...'] },
    ...overrides,
  };
}

/** domain.md F1-F7 worked example: s=9990 w=10000 o=10000 e=5 over 28 d at 99.95 %. */
export function aBudgetFigures(overrides: Partial<BudgetFigures> = {}): BudgetFigures {
  return {
    target: '99.95',
    window: { label: '28d', minutes: 40320 },
    counts: { apdexSuccess: 9990, apdexWeight: 10000, ops: 10000, errors: 5 },
    failures: 15,
    measurements: 20000,
    availability: 0.99925,
    budgetMinutes: 20.16,
    spentMinutes: 30.24,
    remainingMinutes: -10.08,
    remainingFraction: -0.5,
    costOfOneFailureMinutes: 2.016,
    status: 'over_budget',
    lowTraffic: false,
    warnings: [],
    ...overrides,
  };
}

export function aGroupBudget(overrides: Partial<GroupBudget> = {}): GroupBudget {
  return {
    ...aBudgetFigures(),
    group: 'project_management',
    name: 'Project Management',
    stage: 'plan',
    categories: ['team_planning', 'service_desk'],
    ignoredComponents: [],
    trafficShare: 1,
    ...overrides,
  };
}

export function anApiResult<T>(data: T, meta: ResultMeta = aResultMeta()): ApiResult<T> {
  return { meta, data };
}

// ---- the shared scenario --------------------------------------------------------------------
// Described with its hand-computed figures at the top of test/unit/service/budgetService.test.ts.

/** The evaluation time of the scenario: 28 d window 2026-10-01 .. 2026-10-29. */
export const SCENARIO_AT = new Date('2026-10-29T00:00:00Z');

export const SCENARIO: MemoryRow[] = [
  { category: 'team_planning', endpointId: 'Projects::IssuesController#index', urgency: 'low', hour: '2026-10-05T10:00:00Z', counts: { apdexWeight: 450, apdexSuccess: 440, ops: 450, errors: 0 } },
  { category: 'team_planning', endpointId: 'GET /api/:version/projects/:id/issues', hour: '2026-10-20T12:00:00Z', counts: { apdexWeight: 9550, apdexSuccess: 9550, ops: 9550, errors: 5 } },
  { category: 'source_code_management', endpointId: 'Projects::TreeController#show', hour: '2026-10-10T08:00:00Z', counts: { apdexWeight: 3000, apdexSuccess: 3000, ops: 3000, errors: 0 } },
  { category: 'source_code_management', endpointId: 'graphql:getBlobInfo', component: 'graphql_query', hour: '2026-10-10T08:00:00Z', counts: { apdexWeight: 1000, apdexSuccess: 500, ops: 1000, errors: 0 } },
  { category: 'wiki', endpointId: 'Projects::WikisController#show', hour: '2026-10-02T00:00:00Z', counts: { apdexWeight: 40000, apdexSuccess: 40000, ops: 40000, errors: 0 } },
  { category: 'wiki', endpointId: 'Projects::WikisController#show', hour: '2026-10-28T23:30:00Z', counts: { apdexWeight: 10000, apdexSuccess: 9980, ops: 10000, errors: 0 } },
  // September and August: project_management over budget again (f=15 of m=20000 each month).
  { category: 'team_planning', endpointId: 'Projects::IssuesController#index', hour: '2026-09-10T10:00:00Z', counts: { apdexWeight: 10000, apdexSuccess: 9990, ops: 10000, errors: 5 } },
  { category: 'team_planning', endpointId: 'Projects::IssuesController#index', hour: '2026-08-10T10:00:00Z', counts: { apdexWeight: 10000, apdexSuccess: 9990, ops: 10000, errors: 5 } },
];

export async function scenarioCatalog(): Promise<Catalog> {
  return gitlabCatalog({
    defaultTarget: '99.95',
    groups: {
      source_code: {
        ignoredComponents: ['graphql_query'],
        customTarget: { target: '99.80', reason: 'Gitaly migration', reviewDate: '2026-09-30' },
      },
    },
  });
}

// ---- in-memory BudgetSource ----------------------------------------------------------------

/** Counts of one endpoint in one hour. */
export interface MemoryRow {
  category: string;
  endpointId: string;
  component?: Component;
  urgency?: string;
  /** Any instant inside the hour the counts belong to (ISO string). */
  hour: string;
  counts: Partial<SliCounts>;
  hasErrorSli?: boolean;
}

/**
 * `ok` answers; `hang` never resolves (ignores the signal); `fail` rejects like a vanished
 * backend (ECONNREFUSED); `broken` rejects like a backend that answers nonsense.
 */
export type MemoryBehaviour = 'ok' | 'hang' | 'fail' | 'broken';

function add(into: SliCounts, from: Partial<SliCounts>): void {
  into.apdexSuccess += from.apdexSuccess ?? 0;
  into.apdexWeight += from.apdexWeight ?? 0;
  into.ops += from.ops ?? 0;
  into.errors += from.errors ?? 0;
}

const zero = (): SliCounts => ({ apdexSuccess: 0, apdexWeight: 0, ops: 0, errors: 0 });

export class MemorySource implements BudgetSource {
  readonly kind = 'store' as const;
  behaviour: MemoryBehaviour = 'ok';
  /** Source calls so far, by method: lets tests see cache hits spare the backend. */
  readonly calls: Record<string, number> = {};
  closed = false;
  delayMs = 0;

  constructor(
    private readonly catalog: Catalog,
    private readonly rows: readonly MemoryRow[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async begin(method: string, opts: EvalOptions): Promise<{ rows: MemoryRow[]; meta: ResultMeta }> {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    if (this.behaviour === 'hang') await new Promise<never>(() => {});
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.behaviour === 'fail') throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9090'), { code: 'ECONNREFUSED' });
    if (this.behaviour === 'broken') throw new Error('no such table: daily_category');
    const end = opts.at ?? this.now();
    const start = new Date(end.getTime() - opts.window.minutes * 60_000);
    const rows = this.rows.filter((r) => {
      const t = Date.parse(r.hour);
      return t >= start.getTime() && t < end.getTime();
    });
    const meta: ResultMeta = {
      window: { label: opts.window.label, minutes: opts.window.minutes, start: start.toISOString(), end: end.toISOString() },
      asOf: end.toISOString(),
      provenance: { kind: 'store', source: 'memory', queries: [`memory:${method}(${opts.window.label})`] },
    };
    return { rows, meta };
  }

  private components(rows: readonly MemoryRow[]): Array<{ component: Component; counts: SliCounts; hasErrorSli: boolean }> {
    const by = new Map<Component, { component: Component; counts: SliCounts; hasErrorSli: boolean }>();
    for (const r of rows) {
      const component = r.component ?? 'rails_request';
      const entry = by.get(component) ?? { component, counts: zero(), hasErrorSli: r.hasErrorSli ?? true };
      add(entry.counts, r.counts);
      by.set(component, entry);
    }
    return [...by.values()];
  }

  private groupKeyOf(category: string): string {
    return this.catalog.groupOf(category).key;
  }

  private inScope(r: MemoryRow, scope: Scope): boolean {
    return 'group' in scope ? this.groupKeyOf(r.category) === scope.group : r.category === scope.category;
  }

  async groupCounts(opts: EvalOptions & { groups?: string[] }): Promise<Sourced<GroupCounts[]>> {
    const { rows, meta } = await this.begin('groupCounts', opts);
    const keys = opts.groups ?? [...new Set(rows.map((r) => this.groupKeyOf(r.category)))];
    const data = keys
      .map((group) => ({ group, components: this.components(rows.filter((r) => this.groupKeyOf(r.category) === group)) }))
      .filter((g) => g.components.length > 0);
    return { meta, data };
  }

  async categoryCounts(opts: EvalOptions & { categories?: string[] }): Promise<Sourced<CategoryCounts[]>> {
    const { rows, meta } = await this.begin('categoryCounts', opts);
    const names = opts.categories ?? [...new Set(rows.map((r) => r.category))];
    const data = names
      .map((category) => ({ category, components: this.components(rows.filter((r) => r.category === category)) }))
      .filter((c) => c.components.length > 0);
    return { meta, data };
  }

  async endpointCounts(opts: EvalOptions & { scope: Scope; limit?: number }): Promise<Sourced<EndpointCounts[]>> {
    const { rows, meta } = await this.begin('endpointCounts', opts);
    const by = new Map<string, EndpointCounts>();
    for (const r of rows.filter((row) => this.inScope(row, opts.scope))) {
      const component = r.component ?? 'rails_request';
      const key = `${r.endpointId}\u0000${component}`;
      const e = by.get(key) ?? {
        endpointId: r.endpointId,
        component,
        category: r.category,
        urgency: r.urgency ?? 'default',
        counts: zero(),
        hasErrorSli: r.hasErrorSli ?? true,
      };
      add(e.counts, r.counts);
      by.set(key, e);
    }
    const f = (e: EndpointCounts): number => e.counts.apdexWeight - e.counts.apdexSuccess + e.counts.errors;
    const data = [...by.values()].sort((a, b) => f(b) - f(a));
    return { meta, data: opts.limit === undefined ? data : data.slice(0, opts.limit) };
  }

  async endpointCountsById(opts: EvalOptions & { endpointIds: string[] }): Promise<Sourced<EndpointCounts[]>> {
    const { rows, meta } = await this.begin('endpointCountsById', opts);
    const wanted = new Set(opts.endpointIds);
    const by = new Map<string, EndpointCounts>();
    for (const r of rows.filter((row) => wanted.has(row.endpointId))) {
      const component = r.component ?? 'rails_request';
      const key = `${r.endpointId}\u0000${component}\u0000${r.category}`;
      const e = by.get(key) ?? { endpointId: r.endpointId, component, category: r.category, urgency: r.urgency ?? 'default', counts: zero(), hasErrorSli: r.hasErrorSli ?? true };
      add(e.counts, r.counts);
      by.set(key, e);
    }
    return { meta, data: [...by.values()] };
  }

  async dailyCounts(opts: EvalOptions & { scope: Scope }): Promise<Sourced<DailyCounts[]>> {
    const { rows, meta } = await this.begin('dailyCounts', opts);
    const data: DailyCounts[] = [];
    const first = Date.parse(meta.window.start.slice(0, 10));
    for (let t = first; t < Date.parse(meta.window.end); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      const dayRows = rows.filter((r) => this.inScope(r, opts.scope) && r.hour.startsWith(date));
      data.push({ date, components: this.components(dayRows) });
    }
    return { meta, data };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
