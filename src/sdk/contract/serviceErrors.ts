/**
 * Errors BudgetService raises for bad queries. The HTTP server maps them to status codes
 * (InvalidQueryError -> 400 naming the field, UnknownScopeError -> 404); local callers (CLI,
 * extension) print their message, which already says what and where.
 */
import { PrometheusError } from '../sources/prometheusClient';

/** A query parameter is malformed (window, at, limit, month, names...). */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }

  static is(e: unknown): e is InvalidQueryError {
    return e instanceof InvalidQueryError;
  }
}

/** A group or category the catalog does not know. */
export class UnknownScopeError extends Error {
  override readonly name = 'UnknownScopeError';
  constructor(
    readonly kind: 'group' | 'category',
    readonly key: string,
    /** The closest known key, for "did you mean". */
    readonly suggestion?: string,
  ) {
    super(`unknown ${kind} '${key}'${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`}`);
  }

  static is(e: unknown): e is UnknownScopeError {
    return e instanceof UnknownScopeError;
  }
}

/** Error codes of a backend that is down or unreachable, rather than one that answered badly. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'SQLITE_BUSY', 'SQLITE_CANTOPEN']);

function isUnavailable(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  // Prometheus: unreachable, too slow, or a 5xx from it (or the proxy in front of it).
  if (PrometheusError.is(cause)) {
    // An answer over the byte limit stays over it on a retry: broken, not unavailable.
    if (cause.kind === 'too_large') return false;
    return cause.kind === 'network' || cause.kind === 'timeout' || (cause.details.status ?? 0) >= 500;
  }
  return false;
}

/**
 * The BudgetSource failed (Prometheus down, store file gone...). Wraps the cause so the server
 * can tell backend failures (502/503) from its own bugs (500).
 */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  /** True when the backend looks unreachable (worth a retry later) rather than broken. */
  readonly unavailable: boolean;
  /** Set when the backend's answer went over the byte limit (PrometheusError `too_large`): that limit. */
  readonly tooLargeLimitBytes: number | undefined;
  constructor(cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`backend failed: ${message}`, { cause });
    this.unavailable = isUnavailable(cause);
    this.tooLargeLimitBytes = PrometheusError.is(cause) && cause.kind === 'too_large' ? cause.details.limitBytes : undefined;
  }

  static is(e: unknown): e is BackendError {
    return e instanceof BackendError;
  }
}

/** The backend did not answer within the per-request deadline. */
export class BackendTimeoutError extends Error {
  override readonly name = 'BackendTimeoutError';
  constructor(readonly deadlineMs: number) {
    super(`backend did not answer within ${deadlineMs} ms`);
  }

  static is(e: unknown): e is BackendTimeoutError {
    return e instanceof BackendTimeoutError;
  }
}
