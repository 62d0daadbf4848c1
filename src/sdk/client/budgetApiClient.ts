/**
 * BudgetApiClient: the Budget API over HTTP against `budget-lens serve` (axios). A default
 * timeout, cancellation bridged to axios `signal`, retries with exponential backoff for 502/503/
 * 504 and network errors only (never 4xx), typed errors naming URL and status, and every body
 * validated against the shared schema before anybody reads it. Bodies are read as streams and
 * bounded (`maxResponseBytes`, src/sdk/contract/boundedBody.ts): past the limit, ResponseTooLargeError.
 */
import type { ObjectiveBudget, ObjectiveDetail } from '../contract/objectiveTypes';
import type { Readable } from 'node:stream';
import axios from 'axios';
import type { AxiosInstance, AxiosResponse } from 'axios';
import { bodyText, checkMaxResponseBytes, parseJsonInTurn, readBoundedBody, ResponseTooLargeError as BodyTooLarge } from '../contract/boundedBody';
import type { ResponseSchemaName } from '../contract/apiSchemas';
import type {
  ApiResult,
  BudgetApi,
  BurnRatesResult,
  CategoryBudget,
  DailySeries,
  EndpointBudgets,
  GroupBudget,
  MonthlyReport,
  QueryOptions,
  TopEndpoints,
} from '../contract/apiTypes';
import type { Scope } from '../contract/budgetSource';
import {
  BadResponseError,
  InvalidRequestError,
  NotFoundError,
  RequestCancelledError,
  ResponseTooLargeError,
  UnauthorizedError,
  UnavailableError,
} from './clientErrors';
import { schemaProblem } from './responseValidator';

export interface BudgetApiClientOptions {
  /** Server base URL, e.g. http://127.0.0.1:7464 (the client adds /api/v1). */
  baseUrl: string;
  /** Bearer token (BUDGET_LENS_TOKEN); sent only in the Authorization header. */
  token?: string;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  /** Extra attempts after a retryable failure. Default 3. */
  retries?: number;
  /** First backoff; doubles each retry (with jitter). Default 200 ms. */
  retryBaseDelayMs?: number;
  /** The most bytes one answer may have (after decompression). Default 8 MiB (DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

type Params = Record<string, string | number | undefined>;

const RETRYABLE_STATUS = new Set([502, 503, 504]);

interface ServerErrorBody {
  error?: { code?: unknown; message?: unknown; field?: unknown };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function scopePath(scope: Scope): string {
  return 'group' in scope ? `/groups/${encodeURIComponent(scope.group)}` : `/categories/${encodeURIComponent(scope.category)}`;
}

function dataParams(q: QueryOptions | undefined): Params {
  return { window: q?.window, at: q?.at?.toISOString() };
}

export class BudgetApiClient implements BudgetApi {
  private readonly http: AxiosInstance;
  private readonly retries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxResponseBytes: number;
  readonly apiBase: string;

  constructor(opts: BudgetApiClientOptions) {
    this.apiBase = `${opts.baseUrl.replace(/\/+$/, '')}/api/v1`;
    this.retries = opts.retries ?? 3;
    this.retryBaseDelayMs = opts.retryBaseDelayMs ?? 200;
    this.maxResponseBytes = checkMaxResponseBytes(opts.maxResponseBytes);
    this.http = axios.create({
      baseURL: this.apiBase,
      timeout: opts.timeoutMs ?? 10_000,
      headers: { Accept: 'application/json', ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}) },
      // Every status comes back as a response; this class decides what is an error.
      validateStatus: () => true,
      // A stream, counted and cut off at maxResponseBytes; JSON parsed here, so a non-JSON body is
      // a BadResponseError, not a string.
      responseType: 'stream',
      proxy: false,
    });
  }

  groups(q?: QueryOptions): Promise<ApiResult<GroupBudget[]>> {
    return this.get('/groups', dataParams(q), 'GroupList', q?.signal);
  }

  group(key: string, q?: QueryOptions): Promise<ApiResult<GroupBudget>> {
    return this.get(`/groups/${encodeURIComponent(key)}`, dataParams(q), 'Group', q?.signal);
  }

  categories(names: string[], q?: QueryOptions): Promise<ApiResult<CategoryBudget[]>> {
    return this.get('/categories', { ...dataParams(q), names: names.length ? names.join(',') : undefined }, 'CategoryList', q?.signal);
  }

  topEndpoints(scope: Scope, q?: QueryOptions & { limit?: number }): Promise<ApiResult<TopEndpoints>> {
    return this.get(`${scopePath(scope)}/endpoints`, { ...dataParams(q), limit: q?.limit }, 'TopEndpoints', q?.signal);
  }

  /** GET /endpoints?ids=a,b,c: one request for every id (the server reads up to 64 KiB of URL). */
  endpoints(ids: string[], q?: QueryOptions): Promise<ApiResult<EndpointBudgets>> {
    return this.get('/endpoints', { ...dataParams(q), ids: ids.join(',') }, 'EndpointBudgets', q?.signal);
  }

  daily(scope: Scope, q?: QueryOptions): Promise<ApiResult<DailySeries>> {
    return this.get(`${scopePath(scope)}/daily`, dataParams(q), 'DailySeries', q?.signal);
  }

  burnRates(scope: Scope, q?: Omit<QueryOptions, 'window'>): Promise<BurnRatesResult> {
    return this.get(`${scopePath(scope)}/burn-rates`, { at: q?.at?.toISOString() }, 'BurnRates', q?.signal);
  }

  /** GET /objectives?names=a,b: every objective on screen in one request (all without names). */
  objectives(q?: Omit<QueryOptions, 'window'> & { names?: string[] }): Promise<ApiResult<ObjectiveBudget[]>> {
    const names = q?.names !== undefined && q.names.length > 0 ? q.names.join(',') : undefined;
    return this.get('/objectives', { at: q?.at?.toISOString(), names }, 'ObjectiveList', q?.signal);
  }

  /** GET /objectives/{name}: one objective with its burn-down; NotFoundError (404) for an unknown name. */
  objective(name: string, q?: Omit<QueryOptions, 'window'>): Promise<ApiResult<ObjectiveDetail>> {
    return this.get(`/objectives/${encodeURIComponent(name)}`, { at: q?.at?.toISOString() }, 'Objective', q?.signal);
  }

  report(month: string, q?: Omit<QueryOptions, 'window' | 'at'>): Promise<ApiResult<MonthlyReport>> {
    return this.get('/report', { month }, 'MonthlyReport', q?.signal);
  }

  /** GET /healthz: resolves when the server is up. */
  health(signal?: AbortSignal): Promise<{ status: 'ok'; source: string }> {
    return this.get('/healthz', {}, 'Health', signal);
  }

  private async get<T>(path: string, params: Params, schema: ResponseSchemaName, signal: AbortSignal | undefined): Promise<T> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, String(v));
    const rel = query.size ? `${path}?${query.toString()}` : path;
    const url = this.apiBase + rel;
    for (let attempt = 0; ; attempt++) {
      let response: { status: number; data: string } | undefined;
      let networkError: unknown;
      const tooLarge = new AbortController();
      let status = 0;
      try {
        const res: AxiosResponse<Readable> = await this.http.get<Readable>(rel, { signal: signal ? AbortSignal.any([signal, tooLarge.signal]) : tooLarge.signal });
        status = res.status;
        const raw = await readBoundedBody(res.data, {
          url,
          limitBytes: this.maxResponseBytes,
          contentLength: res.headers['content-length'],
          ...(signal ? { signal } : {}),
          abort: () => tooLarge.abort(),
        });
        // The text is what is parsed later: the bytes go back to the process budget now.
        response = { status, data: bodyText(raw.bytes) };
        raw.release();
      } catch (e) {
        // Over the limit now is over it on a retry too: no retry.
        if (BodyTooLarge.is(e)) throw new ResponseTooLargeError(e.message.replace(`${url} `, 'the server '), url, status, e.limitBytes);
        if (signal?.aborted || axios.isCancel(e)) throw new RequestCancelledError('request cancelled', url, 0);
        networkError = e;
      }
      const retryable = response ? RETRYABLE_STATUS.has(response.status) : !isTimeout(networkError);
      if (retryable && attempt < this.retries) {
        const delay = this.retryBaseDelayMs * 2 ** attempt * (0.75 + Math.random() / 2);
        try {
          await sleep(delay, signal);
        } catch {
          throw new RequestCancelledError('request cancelled', url, 0);
        }
        continue;
      }
      if (!response) {
        const reason = networkError instanceof Error ? networkError.message : String(networkError);
        throw new UnavailableError(`Budget API unreachable: ${reason}`, url, 0);
      }
      return await this.decode<T>(response, url, schema);
    }
  }

  private async decode<T>(response: { status: number; data: string }, url: string, schema: ResponseSchemaName): Promise<T> {
    let body: unknown;
    try {
      body = await parseJsonInTurn(response.data);
    } catch {
      throw new BadResponseError(`response is not JSON: ${String(response.data).slice(0, 80)}`, url, response.status);
    }
    const status = response.status;
    if (status !== 200) {
      const err = (body as ServerErrorBody | null)?.error;
      const message = typeof err?.message === 'string' ? err.message : `unexpected status ${status}`;
      const code = typeof err?.code === 'string' ? err.code : undefined;
      if (status === 400) return this.fail(new InvalidRequestError(message, url, status, code, typeof err?.field === 'string' ? err.field : undefined));
      if (status === 401) return this.fail(new UnauthorizedError(message, url, status, code));
      if (status === 404) return this.fail(new NotFoundError(message, url, status, code));
      if (RETRYABLE_STATUS.has(status)) return this.fail(new UnavailableError(message, url, status, code));
      return this.fail(new BadResponseError(message, url, status, code));
    }
    const problem = schemaProblem(schema, body);
    if (problem !== null) throw new BadResponseError(`response does not match schema ${schema}: ${problem}`, url, status);
    return body as T;
  }

  private fail(e: Error): never {
    throw e;
  }
}

function isTimeout(e: unknown): boolean {
  return axios.isAxiosError(e) && (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT');
}
