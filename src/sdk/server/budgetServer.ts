/**
 * The Budget API server (`budget-lens serve`): plain node:http, JSON under /api/v1, routes from
 * routes.ts, OpenAPI at /api/v1/openapi.json. Stateless apart from a short-TTL response cache, so
 * replicas can sit behind a load balancer. Every request has a deadline; a slow backend is a 503
 * with a reason, never a hung client.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { BudgetApi } from '../contract/apiTypes';
import { apiErrorAnswer } from '../service/apiErrors';
import { BackendTimeoutError, InvalidQueryError } from '../contract/serviceErrors';
import { BearerAuth, WWW_AUTHENTICATE } from './bearerAuth';
import { HostCheck } from './hostCheck';
import { buildOpenApiDocument, OPENAPI_PATH } from './openapi';
import type { ResponseCacheOptions } from './responseCache';
import { ResponseCache } from './responseCache';
import type { ParsedQuery, QueryParamName, RouteSpec } from './routes';
import { API_PREFIX, matchRoute, parseQuery } from './routes';

export type LogSink = (entry: Record<string, unknown>) => void;

/** One JSON object per line on stderr. */
export const stderrLog: LogSink = (entry) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

/** The header of the server's own warm-up request (BudgetServer.warmUp), with a value only it knows. */
const WARM_UP_HEADER = 'x-budget-lens-warm-up';

/** The largest request line + headers the server reads: 500 percent-encoded endpoint ids fit. */
export const MAX_REQUEST_HEAD_BYTES = 64 * 1024;

export interface BudgetServerOptions {
  api: BudgetApi;
  /** Require `Authorization: Bearer <token>` on data routes. Never logged. */
  token?: string;
  cache?: ResponseCacheOptions;
  /** Per-request deadline for the backend. Default 10 s. */
  deadlineMs?: number;
  /** Default: JSON lines to stderr. */
  log?: LogSink;
  /** Shown by /healthz: 'store' or 'prometheus'. */
  sourceKind?: string;
  /** Called once after the last in-flight request finished (closes the source). */
  onClose?: () => Promise<void>;
  /** After this long, shutdown cuts connections that are still busy. Default 10 s. */
  shutdownGraceMs?: number;
  /** Host names served besides IP literals, localhost and this machine's name (hostCheck.ts). */
  allowedHosts?: readonly string[];
}

/** The query parameters any route takes: their values are logged, any other's is not (a `?token=` must not reach the log). */
const LOGGED_QUERY_PARAMS: ReadonlySet<string> = new Set<QueryParamName>(['window', 'at', 'limit', 'names', 'month', 'ids']);

/** The query string for the request log: known parameters as sent, the values of any other redacted. */
export function loggedQuery(search: URLSearchParams): string {
  const parts: string[] = [];
  for (const [key, value] of search) parts.push(`${encodeURIComponent(key)}=${LOGGED_QUERY_PARAMS.has(key) ? encodeURIComponent(value) : '[redacted]'}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

interface ErrorBody {
  status: number;
  code: string;
  message: string;
  field?: string;
  headers?: Record<string, string>;
}

export class BudgetServer {
  readonly http: Server;
  readonly cache: ResponseCache;
  private readonly auth: BearerAuth | undefined;
  private readonly hosts: HostCheck;
  private readonly deadlineMs: number;
  private readonly log: LogSink;
  private readonly openApiBody: Buffer;
  private closing: Promise<void> | undefined;
  private readonly warmUpNonce = randomBytes(16).toString('hex');

  constructor(private readonly opts: BudgetServerOptions) {
    this.auth = opts.token ? new BearerAuth(opts.token) : undefined;
    this.hosts = new HostCheck(opts.allowedHosts);
    this.cache = new ResponseCache(opts.cache);
    this.deadlineMs = opts.deadlineMs ?? 10_000;
    this.log = opts.log ?? stderrLog;
    this.openApiBody = Buffer.from(JSON.stringify(buildOpenApiDocument({ withAuth: this.auth !== undefined })));
    // 64 KiB of request head (Node's default is 16): `/endpoints?ids=` carries every endpoint on screen.
    this.http = createServer({ maxHeaderSize: MAX_REQUEST_HEAD_BYTES }, (req, res) => {
      // handle() answers every error itself; this only guards against a throwing log sink.
      this.handle(req, res).catch(() => res.destroy());
    });
    // Slow or stalled clients must not hold sockets for Node's defaults (5 min per request).
    this.http.headersTimeout = 10_000;
    this.http.requestTimeout = 30_000;
  }

  /**
   * One GET of `path` (under /api/v1) to itself over loopback, after listen: the first use of the
   * request path (node:http, the query parsing, the cache, JSON and the ETag of a large answer)
   * is then not the first client's. Logged as `warm-up request`, never as a client's `request`
   * (a per-server random header value tells it apart). Returns the status.
   */
  async warmUp(path: string): Promise<number> {
    const headers: Record<string, string> = { [WARM_UP_HEADER]: this.warmUpNonce };
    if (this.opts.token) headers['authorization'] = `Bearer ${this.opts.token}`;
    const res = await fetch(`${this.url}${API_PREFIX}${path}`, { headers });
    await res.arrayBuffer();
    return res.status;
  }

  /** Listens (127.0.0.1 unless told otherwise; port 0 picks a free one) and returns the base URL. */
  listen(port: number, host = '127.0.0.1'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve(this.url);
      });
    });
  }

  get url(): string {
    const addr = this.http.address() as AddressInfo | null;
    if (!addr) throw new Error('server is not listening');
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${host}:${addr.port}`;
  }

  /**
   * Graceful shutdown: stop accepting, let in-flight requests finish (cutting them after the
   * grace period), then close the source. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await new Promise<void>((resolve) => {
        this.http.close(() => resolve());
        this.http.closeIdleConnections();
        const force = setTimeout(() => this.http.closeAllConnections(), this.opts.shutdownGraceMs ?? 10_000);
        force.unref();
      });
      await this.opts.onClose?.();
    })();
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let cache: 'hit' | 'miss' | undefined;
    let url = new URL('http://localhost/');
    try {
      // Absolute-form request targets can be unparsable ('GET http://[ HTTP/1.1').
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        throw new InvalidQueryError('path', 'the request target is not a valid URL');
      }
      const refusal = this.hosts.refusal(req.headers.host);
      if (refusal !== undefined) {
        this.sendError(res, { status: 421, code: 'host_not_allowed', message: refusal });
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        this.sendError(res, { status: 405, code: 'method_not_allowed', message: `${req.method ?? ''} is not allowed; the API is read-only`, headers: { Allow: 'GET, HEAD' } });
        return;
      }
      const rel = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : undefined;
      if (rel === OPENAPI_PATH) {
        this.send(res, 200, this.openApiBody);
        return;
      }
      const match = rel === undefined ? undefined : matchRoute(rel);
      if (!match) {
        this.sendError(res, { status: 404, code: 'not_found', message: `no route GET ${url.pathname}; see ${API_PREFIX}${OPENAPI_PATH}` });
        return;
      }
      if (!match.route.data) {
        this.send(res, 200, JSON.stringify({ status: 'ok', source: this.opts.sourceKind ?? 'unknown' }));
        return;
      }
      if (this.auth && !this.auth.accepts(req.headers.authorization)) {
        this.sendError(res, { status: 401, code: 'unauthorized', message: 'missing or wrong bearer token', headers: { 'WWW-Authenticate': WWW_AUTHENTICATE } });
        return;
      }
      const query = parseQuery(match.route, url.searchParams);
      const key = ResponseCache.key(rel ?? '', url.searchParams);
      const result = await this.cache.getOrProduce(key, query.at !== undefined, () =>
        this.runWithDeadline(match.route, match.params, query),
      );
      cache = result.hit ? 'hit' : 'miss';
      const headers = { 'X-Cache': cache, ETag: result.value.etag };
      if (req.headers['if-none-match'] === result.value.etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      this.send(res, 200, result.value.body, headers);
    } catch (e) {
      this.sendError(res, this.describeError(e));
    } finally {
      const entry: Record<string, unknown> = {
        level: res.statusCode >= 500 ? 'error' : 'info',
        msg: req.headers[WARM_UP_HEADER] === this.warmUpNonce ? 'warm-up request' : 'request',
        method: req.method,
        path: url.pathname,
        query: loggedQuery(url.searchParams),
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 100) / 100,
      };
      if (cache) entry['cache'] = cache;
      this.log(entry);
    }
  }

  /** Runs a route against the API, aborting it and answering 503 when the deadline passes. */
  private async runWithDeadline(route: RouteSpec, params: Record<string, string>, query: ParsedQuery): Promise<string> {
    const controller = new AbortController();
    const timeout = new BackendTimeoutError(this.deadlineMs);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(timeout);
        controller.abort(timeout);
      }, this.deadlineMs);
    });
    try {
      const result = await Promise.race([route.handle({ api: this.opts.api, params, query, signal: controller.signal }), deadline]);
      return JSON.stringify(result);
    } finally {
      clearTimeout(timer);
    }
  }

  private describeError(e: unknown): ErrorBody {
    const answer = apiErrorAnswer(e);
    if (answer.fault === 'internal') this.log({ level: 'error', msg: 'internal error', error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    const { status, code, message, field, retryAfterSeconds } = answer;
    return {
      status,
      code,
      message,
      ...(field !== undefined ? { field } : {}),
      ...(retryAfterSeconds !== undefined ? { headers: { 'Retry-After': String(retryAfterSeconds) } } : {}),
    };
  }

  private send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      // Once shutting down, ask keep-alive clients to go so the server can finish closing.
      ...(this.closing ? { Connection: 'close' } : {}),
      ...headers,
    });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }

  private sendError(res: ServerResponse, err: ErrorBody): void {
    const error: Record<string, string> = { code: err.code, message: err.message };
    if (err.field !== undefined) error['field'] = err.field;
    this.send(res, err.status, JSON.stringify({ error }), err.headers);
  }
}
