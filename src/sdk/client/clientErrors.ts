/**
 * Typed errors of BudgetApiClient. Each names the URL and the HTTP status (0 when no response
 * arrived) and has a static `.is()` guard, so callers branch without instanceof chains across
 * bundles (GitLens-style).
 */

export abstract class BudgetApiError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number,
    /** The server's `error.code` when it sent one. */
    readonly code?: string,
  ) {
    super(`${message} (${status ? `HTTP ${status}` : 'no response'} from ${url})`);
  }

  static is(e: unknown): e is BudgetApiError {
    return e instanceof BudgetApiError;
  }
}

/** 401: no token or a wrong one (set BUDGET_LENS_TOKEN). */
export class UnauthorizedError extends BudgetApiError {
  override readonly name = 'UnauthorizedError';
  static override is(e: unknown): e is UnauthorizedError {
    return e instanceof UnauthorizedError;
  }
}

/** 404: unknown group, category or route. */
export class NotFoundError extends BudgetApiError {
  override readonly name = 'NotFoundError';
  static override is(e: unknown): e is NotFoundError {
    return e instanceof NotFoundError;
  }
}

/** 400: the server rejected a parameter; `field` names it. */
export class InvalidRequestError extends BudgetApiError {
  override readonly name = 'InvalidRequestError';
  constructor(message: string, url: string, status: number, code: string | undefined, readonly field: string | undefined) {
    super(message, url, status, code);
  }
  static override is(e: unknown): e is InvalidRequestError {
    return e instanceof InvalidRequestError;
  }
}

/** 502/503/504, a timeout or a network error, after the retries ran out. */
export class UnavailableError extends BudgetApiError {
  override readonly name = 'UnavailableError';
  static override is(e: unknown): e is UnavailableError {
    return e instanceof UnavailableError;
  }
}

/** The body is not what the schema says (or not JSON, or an unexpected status); `detail` has the ajv path. */
export class BadResponseError extends BudgetApiError {
  override readonly name = 'BadResponseError';
  static override is(e: unknown): e is BadResponseError {
    return e instanceof BadResponseError;
  }
}

/** The caller's AbortSignal fired. */
export class RequestCancelledError extends BudgetApiError {
  override readonly name = 'RequestCancelledError';
  static override is(e: unknown): e is RequestCancelledError {
    return e instanceof RequestCancelledError;
  }
}

/** The answer went over the byte limit (`maxResponseBytes`); the request was aborted, not retried. */
export class ResponseTooLargeError extends BudgetApiError {
  override readonly name = 'ResponseTooLargeError';
  constructor(
    message: string,
    url: string,
    status: number,
    readonly limitBytes: number,
  ) {
    super(message, url, status);
  }
  static override is(e: unknown): e is ResponseTooLargeError {
    return e instanceof ResponseTooLargeError;
  }
}
