/**
 * The one table from an error BudgetService (or the server's deadline around it) raised to the
 * Budget API's answer: HTTP status, `error.code`, message, the field at fault and whether a retry
 * may help. `budget-lens serve` answers with it; the editor's local backend (BudgetService over
 * Prometheus, src/extension/budgetCache.ts) gives its failures the same statuses, so both
 * backends fail the same way. The way back, a status and code to a typed error, is
 * BudgetApiClient's (client/clientErrors.ts).
 */
import { BackendError, BackendTimeoutError, InvalidQueryError, UnknownScopeError } from '../contract/serviceErrors';

/** Whose fault: the request (4xx), the backend behind the service (502/503), or a bug (500). */
export type ApiErrorFault = 'request' | 'backend' | 'internal';

export interface ApiErrorAnswer {
  status: number;
  /** The body's `error.code`: invalid_parameter, unknown_group, backend_timeout... */
  code: string;
  message: string;
  /** The query or path parameter at fault (400, 404). */
  field?: string;
  /** Set on the answers a client may retry (503): the `Retry-After` seconds. */
  retryAfterSeconds?: number;
  fault: ApiErrorFault;
}

/** The message of a 500: the error itself goes to the server's log, never to the client. */
export const INTERNAL_ERROR_MESSAGE = 'internal server error (see the server log)';

/** The Budget API's answer to an error; anything unknown is a 500 `internal_error`. */
export function apiErrorAnswer(e: unknown): ApiErrorAnswer {
  if (InvalidQueryError.is(e)) return { status: 400, code: 'invalid_parameter', message: e.message, field: e.field, fault: 'request' };
  if (UnknownScopeError.is(e)) {
    return { status: 404, code: `unknown_${e.kind}`, message: e.message, field: e.kind === 'group' ? 'key' : 'name', fault: 'request' };
  }
  const timeout = BackendTimeoutError.is(e) ? e : BackendError.is(e) && BackendTimeoutError.is(e.cause) ? e.cause : undefined;
  if (timeout !== undefined) {
    return { status: 503, code: 'backend_timeout', message: timeout.message, retryAfterSeconds: 1, fault: 'backend' };
  }
  if (BackendError.is(e) && e.tooLargeLimitBytes !== undefined) {
    // The message names the backend URL and the limit (src/sdk/contract/boundedBody.ts).
    return { status: 502, code: 'backend_too_large', message: e.message, fault: 'backend' };
  }
  if (BackendError.is(e)) {
    return e.unavailable
      ? { status: 503, code: 'backend_unavailable', message: e.message, retryAfterSeconds: 1, fault: 'backend' }
      : { status: 502, code: 'backend_error', message: e.message, fault: 'backend' };
  }
  return { status: 500, code: 'internal_error', message: INTERNAL_ERROR_MESSAGE, fault: 'internal' };
}
