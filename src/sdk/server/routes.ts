/**
 * The Budget API route table: one entry per `GET /api/v1/...` route with its query parameters,
 * response schema and handler. The server dispatches from it and the OpenAPI document is
 * generated from it, so the two cannot drift apart.
 */
import type { BudgetApi, QueryOptions } from '../contract/apiTypes';
import type { ResponseSchemaName } from '../contract/apiSchemas';
import type { Scope } from '../contract/budgetSource';
import { InvalidQueryError } from '../contract/serviceErrors';
import { parseAtParam, parseLimitParam } from '../service/queryParams';
import { MAX_ENDPOINT_IDS } from '../service/budgetService';

export const API_PREFIX = '/api/v1';

export type QueryParamName = 'window' | 'at' | 'limit' | 'names' | 'month' | 'ids';

export interface ParsedQuery {
  window?: string;
  at?: Date;
  limit?: number;
  names?: string[];
  month?: string;
  ids?: string[];
}

export interface RouteContext {
  api: BudgetApi;
  params: Record<string, string>;
  query: ParsedQuery;
  signal: AbortSignal;
}

export interface RouteSpec {
  operationId: string;
  /** Relative to API_PREFIX, path parameters in braces: `/groups/{key}`. */
  path: string;
  summary: string;
  query: readonly QueryParamName[];
  /** Query parameters that must be present. */
  requiredQuery?: readonly QueryParamName[];
  schema: ResponseSchemaName;
  /** Routes that read the backend (rather than describing the server). */
  data: boolean;
  handle(ctx: RouteContext): Promise<unknown>;
}

export const QUERY_PARAM_DOCS: Record<QueryParamName, { description: string; schema: Record<string, unknown> }> = {
  window: { description: "Window length: '28d' (default), '7d', or any 'Nd' / 'Nh' up to 366d.", schema: { type: 'string', pattern: '^[1-9][0-9]*[dh]$' } },
  at: { description: 'Evaluation time (the instant the window ends): unix seconds or RFC 3339, a date that exists in 1970-2100. Default now.', schema: { type: 'string' } },
  limit: { description: 'Number of endpoints, 1..1000 (default 10).', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
  names: { description: "Comma-separated names: feature categories on /categories (all catalog categories when omitted), objectives on /objectives (all the project's when omitted).", schema: { type: 'string' } },
  ids: {
    description: `Comma-separated endpoint ids exactly as the backend reports them (\`Projects::IssuesController#index\`, \`GET /api/:version/projects/:id/issues\`, a worker class, \`graphql:Operation\`), percent-encoded; 1..${MAX_ENDPOINT_IDS}, duplicates answered once. An id holding a comma cannot be asked for.`,
    schema: { type: 'string', minLength: 1 },
  },
  month: { description: "Calendar month 'YYYY-MM' (UTC), 1970-01 to 2100-12.", schema: { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' } },
};

const DATA_QUERY: readonly QueryParamName[] = ['window', 'at'];

function options(ctx: RouteContext): QueryOptions {
  return { window: ctx.query.window, at: ctx.query.at, signal: ctx.signal };
}

function groupScope(ctx: RouteContext): Scope {
  return { group: ctx.params['key'] ?? '' };
}

function categoryScope(ctx: RouteContext): Scope {
  return { category: ctx.params['name'] ?? '' };
}

export const routes: readonly RouteSpec[] = [
  {
    operationId: 'health', path: '/healthz', summary: 'Liveness: the server is up (does not query the backend).',
    query: [], schema: 'Health', data: false,
    handle: () => Promise.resolve(null), // answered by the server itself
  },
  {
    operationId: 'listGroups', path: '/groups', summary: 'Every group of the catalog with its budget figures and traffic share.',
    query: DATA_QUERY, schema: 'GroupList', data: true,
    handle: (ctx) => ctx.api.groups(options(ctx)),
  },
  {
    operationId: 'getGroup', path: '/groups/{key}', summary: 'One group by normalised key.',
    query: DATA_QUERY, schema: 'Group', data: true,
    handle: (ctx) => ctx.api.group(ctx.params['key'] ?? '', options(ctx)),
  },
  {
    operationId: 'getGroupEndpoints', path: '/groups/{key}/endpoints', summary: "The group's top failing endpoints (F8).",
    query: [...DATA_QUERY, 'limit'], schema: 'TopEndpoints', data: true,
    handle: (ctx) => ctx.api.topEndpoints(groupScope(ctx), { ...options(ctx), limit: ctx.query.limit }),
  },
  {
    operationId: 'getGroupDaily', path: '/groups/{key}/daily', summary: 'Per-day failures and cumulative spend against the budget line.',
    query: DATA_QUERY, schema: 'DailySeries', data: true,
    handle: (ctx) => ctx.api.daily(groupScope(ctx), options(ctx)),
  },
  {
    operationId: 'getGroupBurnRates', path: '/groups/{key}/burn-rates', summary: 'Burn rates over 1h, 6h and 3d against the 28d policy thresholds.',
    query: ['at'], schema: 'BurnRates', data: true,
    handle: (ctx) => ctx.api.burnRates(groupScope(ctx), { at: ctx.query.at, signal: ctx.signal }),
  },
  {
    operationId: 'listCategories', path: '/categories', summary: 'Feature categories by name with their budget figures.',
    query: [...DATA_QUERY, 'names'], schema: 'CategoryList', data: true,
    handle: (ctx) => ctx.api.categories(ctx.query.names ?? [], options(ctx)),
  },
  {
    operationId: 'getCategory', path: '/categories/{name}', summary: 'One feature category.',
    query: DATA_QUERY, schema: 'CategoryList', data: true,
    handle: (ctx) => ctx.api.categories([ctx.params['name'] ?? ''], options(ctx)),
  },
  {
    operationId: 'getCategoryEndpoints', path: '/categories/{name}/endpoints', summary: "The category's top failing endpoints (F8).",
    query: [...DATA_QUERY, 'limit'], schema: 'TopEndpoints', data: true,
    handle: (ctx) => ctx.api.topEndpoints(categoryScope(ctx), { ...options(ctx), limit: ctx.query.limit }),
  },
  {
    operationId: 'listEndpoints', path: '/endpoints', summary: "Each endpoint's own figures over the window (F15): failures, own availability against the target, budget-minutes and share of its category's spend, its rank among the category's offenders. One request for every endpoint on screen.",
    query: [...DATA_QUERY, 'ids'], requiredQuery: ['ids'], schema: 'EndpointBudgets', data: true,
    handle: (ctx) => ctx.api.endpoints(ctx.query.ids ?? [], options(ctx)),
  },
  {
    operationId: 'getCategoryDaily', path: '/categories/{name}/daily', summary: 'Per-day failures and cumulative spend of a category.',
    query: DATA_QUERY, schema: 'DailySeries', data: true,
    handle: (ctx) => ctx.api.daily(categoryScope(ctx), options(ctx)),
  },
  {
    operationId: 'getCategoryBurnRates', path: '/categories/{name}/burn-rates', summary: 'Burn rates of a category.',
    query: ['at'], schema: 'BurnRates', data: true,
    handle: (ctx) => ctx.api.burnRates(categoryScope(ctx), { at: ctx.query.at, signal: ctx.signal }),
  },
  {
    operationId: 'listObjectives', path: '/objectives', summary: "The project's objectives (OpenSLO files and .budgetlens.yml, issue 13), each over its own window at `at`: SLI vs target, budget left, status, the last hour's burn rate, burn alerts and every query evaluated. An objective that cannot be evaluated has `figures: null` and `error`; the others are unaffected. One request for every objective on screen.",
    query: ['at', 'names'], schema: 'ObjectiveList', data: true,
    handle: (ctx) => ctx.api.objectives({ names: ctx.query.names, at: ctx.query.at, signal: ctx.signal }),
  },
  {
    operationId: 'getObjective', path: '/objectives/{name}', summary: "One objective with its burn-down: the share of its budget left after each UTC day of its window up to `at`. A name with '/' (an OpenSLO SLO with several objectives) is percent-encoded.",
    query: ['at'], schema: 'Objective', data: true,
    handle: (ctx) => ctx.api.objective(ctx.params['name'] ?? '', { at: ctx.query.at, signal: ctx.signal }),
  },
  {
    operationId: 'getReport', path: '/report', summary: 'The monthly error-budget report per stage group.',
    query: ['month'], requiredQuery: ['month'], schema: 'MonthlyReport', data: true,
    handle: (ctx) => ctx.api.report(ctx.query.month ?? '', { signal: ctx.signal }),
  },
];

export interface RouteMatch {
  route: RouteSpec;
  params: Record<string, string>;
}

/** Matches a path relative to API_PREFIX; throws InvalidQueryError for undecodable segments. */
export function matchRoute(path: string): RouteMatch | undefined {
  const segments = path.split('/').slice(1);
  for (const route of routes) {
    const pattern = route.path.split('/').slice(1);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i] ?? '';
      const s = segments[i] ?? '';
      if (p.startsWith('{')) {
        if (s === '') ok = false;
        else params[p.slice(1, -1)] = decodeSegment(s);
      } else {
        ok = p === s;
      }
    }
    if (ok) return { route, params };
  }
  return undefined;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new InvalidQueryError('path', `'${s}' is not valid percent-encoding`);
  }
}

/** Validates the query string against the route: unknown, repeated and malformed values are 400s. */
export function parseQuery(route: RouteSpec, search: URLSearchParams): ParsedQuery {
  const seen = new Set<string>();
  for (const key of search.keys()) {
    if (!(route.query as readonly string[]).includes(key)) {
      const allowed = route.query.length ? `allowed: ${route.query.join(', ')}` : 'this route takes none';
      throw new InvalidQueryError(key, `unknown query parameter '${key}' (${allowed})`);
    }
    if (seen.has(key)) throw new InvalidQueryError(key, `query parameter '${key}' given more than once`);
    seen.add(key);
  }
  for (const required of route.requiredQuery ?? []) {
    if (!search.has(required)) throw new InvalidQueryError(required, `query parameter '${required}' is required`);
  }
  const q: ParsedQuery = {};
  const window = search.get('window');
  if (window !== null) q.window = window;
  const at = search.get('at');
  if (at !== null) q.at = parseAtParam(at);
  const limit = search.get('limit');
  if (limit !== null) q.limit = parseLimitParam(limit);
  const names = search.get('names');
  if (names !== null) {
    q.names = names.split(',').map((n) => n.trim());
    if (q.names.some((n) => n === '')) throw new InvalidQueryError('names', `empty name in '${names}'`);
  }
  const month = search.get('month');
  if (month !== null) q.month = month;
  const ids = search.get('ids');
  if (ids !== null) q.ids = parseIdsParam(ids);
  return q;
}

/** `ids`: comma-separated, none empty, 1..MAX_ENDPOINT_IDS distinct ids (400 otherwise). */
export function parseIdsParam(raw: string): string[] {
  const ids = raw.split(',');
  if (ids.some((id) => id.trim() === '')) throw new InvalidQueryError('ids', `empty endpoint id in '${raw.length > 80 ? `${raw.slice(0, 80)}…` : raw}'`);
  const distinct = [...new Set(ids)];
  if (distinct.length > MAX_ENDPOINT_IDS) throw new InvalidQueryError('ids', `at most ${MAX_ENDPOINT_IDS} endpoint ids, got ${distinct.length}`);
  return distinct;
}
