/**
 * A small client for the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`), spoken by
 * Prometheus, Thanos, Mimir and VictoriaMetrics alike. It returns parsed samples and turns every
 * failure into a typed PrometheusError naming the URL: `status: error` bodies (with Prometheus'
 * errorType), HTTP statuses (401, 5xx), timeouts, cancellation, unreachable servers and bodies
 * that are not the documented JSON. NaN/Inf samples are dropped and reported as warnings, since
 * a count of NaN is bad data, not a number. Every answer is read as a stream and bounded
 * (`maxResponseBytes`, src/sdk/contract/boundedBody.ts): past the limit the request is aborted, kind `too_large`.
 */
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { bodyText, checkMaxResponseBytes, parseJsonInTurn, readBoundedBody, ResponseTooLargeError } from '../contract/boundedBody';
import type { BackendFault, ReportsBackendFault } from '../contract/serviceErrors';

export type PrometheusErrorKind = 'query' | 'http' | 'timeout' | 'aborted' | 'network' | 'bad_response' | 'too_large' | 'config';

export class PrometheusError extends Error implements ReportsBackendFault {
  override readonly name = 'PrometheusError';
  constructor(
    message: string,
    readonly kind: PrometheusErrorKind,
    /** The full URL requested (base URL + API path). */
    readonly url: string,
    readonly details: {
      status?: number;
      /** Prometheus' `errorType`, e.g. `bad_data`, `timeout`, `execution`. */
      errorType?: string;
      query?: string;
      /** `too_large`: the limit the answer went over. */
      limitBytes?: number;
    } = {},
  ) {
    super(message);
  }

  static is(e: unknown): e is PrometheusError {
    return e instanceof PrometheusError;
  }

  /** Read by the service's BackendError (contract/serviceErrors.ts), which knows no backend's classes. */
  backendFault(): BackendFault {
    // An answer over the byte limit stays over it on a retry: broken, not unavailable.
    if (this.kind === 'too_large') return { unavailable: false, tooLargeLimitBytes: this.details.limitBytes };
    // Unreachable, too slow, or a 5xx from Prometheus (or the proxy in front of it).
    return { unavailable: this.kind === 'network' || this.kind === 'timeout' || (this.details.status ?? 0) >= 500 };
  }
}

export interface PrometheusClientOptions {
  url: string;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** Sent with every request, e.g. `{ Authorization: 'Bearer …' }`. */
  headers?: Record<string, string>;
  /** The most bytes one answer may have (after decompression); default 8 MiB (DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

/** One series of an instant vector, with its finite value. */
export interface VectorSample {
  labels: Record<string, string>;
  value: number;
}

/** One series of a range query (matrix), finite points only. */
export interface MatrixSeries {
  labels: Record<string, string>;
  /** [unix seconds, value] */
  points: Array<[number, number]>;
}

export interface QueryAnswer<T> {
  result: T[];
  /** The server's `warnings` (partial responses) plus dropped NaN/Inf samples. */
  warnings: string[];
}

interface ApiBody {
  status?: unknown;
  data?: { resultType?: unknown; result?: unknown };
  errorType?: unknown;
  error?: unknown;
  warnings?: unknown;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class PrometheusClient {
  readonly baseUrl: string;
  private readonly http: AxiosInstance;
  private readonly timeoutMs: number;
  readonly maxResponseBytes: number;

  constructor(opts: PrometheusClientOptions) {
    this.baseUrl = opts.url.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = checkMaxResponseBytes(opts.maxResponseBytes);
    this.http = axios.create({
      baseURL: this.baseUrl,
      headers: { ...opts.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      // Non-2xx bodies still carry Prometheus' {status:'error', errorType, error}; read them ourselves.
      validateStatus: () => true,
      // A stream, counted and cut off at maxResponseBytes (readBoundedBody), then parsed here.
      responseType: 'stream',
    });
  }

  /** Instant query evaluated at `time`. POST form keeps long `=~` regexes out of the URL. */
  async query(expr: string, time: Date, signal?: AbortSignal): Promise<QueryAnswer<VectorSample>> {
    const body = await this.post('/api/v1/query', { query: expr, time: unixSeconds(time) }, expr, signal);
    const url = this.baseUrl + '/api/v1/query';
    if (body.data?.resultType !== 'vector' || !Array.isArray(body.data.result)) {
      throw new PrometheusError(`${url} answered resultType ${String(body.data?.resultType)}, expected vector`, 'bad_response', url, { query: expr });
    }
    const warnings = serverWarnings(body);
    const result: VectorSample[] = [];
    for (const item of body.data.result as unknown[]) {
      const { labels, raw } = parseVectorItem(item, url, expr);
      const value = parseSampleValue(raw);
      if (value === undefined) warnings.push(badSampleWarning(labels, raw, expr));
      else result.push({ labels, value });
    }
    return { result, warnings };
  }

  /** Range query: points at start, start + step, … <= end. */
  async queryRange(expr: string, start: Date, end: Date, stepSeconds: number, signal?: AbortSignal): Promise<QueryAnswer<MatrixSeries>> {
    const form = { query: expr, start: unixSeconds(start), end: unixSeconds(end), step: String(stepSeconds) };
    const body = await this.post('/api/v1/query_range', form, expr, signal);
    const url = this.baseUrl + '/api/v1/query_range';
    if (body.data?.resultType !== 'matrix' || !Array.isArray(body.data.result)) {
      throw new PrometheusError(`${url} answered resultType ${String(body.data?.resultType)}, expected matrix`, 'bad_response', url, { query: expr });
    }
    const warnings = serverWarnings(body);
    const result: MatrixSeries[] = [];
    for (const item of body.data.result as unknown[]) {
      const rec = item as { metric?: unknown; values?: unknown };
      if (!isLabelSet(rec.metric) || !Array.isArray(rec.values)) {
        throw new PrometheusError(`${url} answered a malformed matrix series`, 'bad_response', url, { query: expr });
      }
      const points: Array<[number, number]> = [];
      for (const p of rec.values as unknown[]) {
        if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'string') {
          throw new PrometheusError(`${url} answered a malformed matrix point`, 'bad_response', url, { query: expr });
        }
        const value = parseSampleValue(p[1]);
        if (value === undefined) warnings.push(badSampleWarning(rec.metric, p[1], expr));
        else points.push([p[0], value]);
      }
      result.push({ labels: rec.metric, points });
    }
    return { result, warnings };
  }

  private async post(path: string, form: Record<string, string>, expr: string, signal?: AbortSignal): Promise<ApiBody> {
    const url = this.baseUrl + path;
    // Also tell the server, so it stops evaluating a query nobody will wait for.
    form = { ...form, timeout: `${Math.max(1, Math.ceil(this.timeoutMs / 1000))}s` };
    const timeout = AbortSignal.timeout(this.timeoutMs);
    // Ours: cut the request off once the answer passes maxResponseBytes.
    const tooLarge = new AbortController();
    const combined = AbortSignal.any(signal ? [signal, timeout, tooLarge.signal] : [timeout, tooLarge.signal]);
    let res: AxiosResponse<Readable>;
    let data: unknown;
    try {
      res = await this.http.post<Readable>(path, new URLSearchParams(form).toString(), { signal: combined, timeout: this.timeoutMs });
      const raw = await readBoundedBody(res.data, {
        url,
        limitBytes: this.maxResponseBytes,
        contentLength: res.headers['content-length'],
        signal: combined,
        abort: () => tooLarge.abort(),
      });
      try {
        data = await parseJsonInTurn(bodyText(raw.bytes));
      } catch {
        // Not JSON: the status (or the shape check below) says what went wrong.
        data = undefined;
      } finally {
        raw.release();
      }
    } catch (e) {
      if (ResponseTooLargeError.is(e)) {
        throw new PrometheusError(e.message, 'too_large', url, { query: expr, limitBytes: e.limitBytes });
      }
      if (signal?.aborted) throw new PrometheusError(`request to ${url} was cancelled`, 'aborted', url, { query: expr });
      if (timeout.aborted || (axios.isAxiosError(e) && (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT'))) {
        throw new PrometheusError(`${url} did not answer within ${this.timeoutMs} ms`, 'timeout', url, { query: expr });
      }
      const reason = e instanceof Error ? e.message : String(e);
      throw new PrometheusError(`cannot reach ${url}: ${reason}`, 'network', url, { query: expr });
    }
    const body = (typeof data === 'object' && data !== null ? data : {}) as ApiBody;
    if (body.status === 'error') {
      const errorType = typeof body.errorType === 'string' ? body.errorType : 'unknown';
      const error = typeof body.error === 'string' ? body.error : 'no message';
      throw new PrometheusError(`${url} (HTTP ${res.status}) rejected the query: ${errorType}: ${error}`, 'query', url, {
        status: res.status,
        errorType,
        query: expr,
      });
    }
    if (res.status < 200 || res.status >= 300) {
      const hint = res.status === 401 || res.status === 403 ? ' (check the auth headers)' : '';
      throw new PrometheusError(`${url} answered HTTP ${res.status}${hint}`, 'http', url, { status: res.status, query: expr });
    }
    if (body.status !== 'success') {
      throw new PrometheusError(`${url} (HTTP ${res.status}) did not answer Prometheus API JSON`, 'bad_response', url, {
        status: res.status,
        query: expr,
      });
    }
    return body;
  }
}

function unixSeconds(d: Date): string {
  return (d.getTime() / 1000).toFixed(3);
}

function serverWarnings(body: ApiBody): string[] {
  return Array.isArray(body.warnings) ? body.warnings.map((w) => `server warning: ${String(w)}`) : [];
}

function isLabelSet(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');
}

function parseVectorItem(item: unknown, url: string, expr: string): { labels: Record<string, string>; raw: string } {
  const rec = item as { metric?: unknown; value?: unknown };
  if (!isLabelSet(rec.metric) || !Array.isArray(rec.value) || typeof rec.value[1] !== 'string') {
    throw new PrometheusError(`${url} answered a malformed vector sample`, 'bad_response', url, { query: expr });
  }
  return { labels: rec.metric, raw: rec.value[1] };
}

/** Prometheus sends values as strings; "NaN", "+Inf", "-Inf" are not counts. */
export function parseSampleValue(raw: string): number | undefined {
  const v = Number(raw);
  return Number.isFinite(v) ? v : undefined;
}

function badSampleWarning(labels: Record<string, string>, raw: string, expr: string): string {
  const sel = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return `dropped a ${raw} sample {${sel}} (bad data, not a count) from: ${expr}`;
}
