/**
 * Errors BudgetService raises for bad queries. The HTTP server maps them to status codes
 * (InvalidQueryError -> 400 naming the field, UnknownScopeError -> 404); local callers (CLI,
 * extension) print their message, which already says what and where.
 *
 * A backend failure is wrapped in BackendError, which reads what the backend's own error says
 * about itself through BackendFault: the service never knows a backend's error classes.
 */

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
    readonly kind: 'group' | 'category' | 'objective',
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

/** What a backend's error says about the failure; a backend's error class implements ReportsBackendFault. */
export interface BackendFault {
  /** Unreachable, too slow, or a 5xx from it (or a proxy in front of it): worth a retry later. */
  unavailable: boolean;
  /** Set when the answer went over the byte limit on one backend answer (boundedBody.ts): that limit. */
  tooLargeLimitBytes?: number;
}

/** An error that describes itself as a backend failure (PrometheusError does). */
export interface ReportsBackendFault {
  backendFault(): BackendFault;
}

/** The fault an error reports about itself, if it reports one. */
export function backendFaultOf(e: unknown): BackendFault | undefined {
  const f = (e as Partial<ReportsBackendFault> | null | undefined)?.backendFault;
  return typeof f === 'function' ? f.call(e) : undefined;
}

function isUnavailable(cause: unknown, fault: BackendFault | undefined): boolean {
  if (fault !== undefined) return fault.unavailable;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.has(code);
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
    const fault = backendFaultOf(cause);
    this.unavailable = isUnavailable(cause, fault);
    this.tooLargeLimitBytes = fault?.tooLargeLimitBytes;
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
