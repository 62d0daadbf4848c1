/**
 * The one error -> Budget API answer table (src/sdk/service/apiErrors.ts): what `budget-lens serve`
 * answers, and the statuses the editor's local backend (budgetCache.ts failureOf) gives the same errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiErrorAnswer } from '../../../src/sdk/service/apiErrors';
import { BackendError, BackendTimeoutError, InvalidQueryError, UnknownScopeError } from '../../../src/sdk/contract/serviceErrors';
import { PrometheusError } from '../../../src/sdk/sources/prometheusClient';
import { failureOf } from '../../../src/extension/budgetCache';

const url = 'http://127.0.0.1:9090/api/v1/query';

describe('apiErrorAnswer', () => {
  test('request errors: 400 naming the field, 404 per scope kind', () => {
    assert.deepEqual(apiErrorAnswer(new InvalidQueryError('window', 'bad')), { status: 400, code: 'invalid_parameter', message: 'window: bad', field: 'window', fault: 'request' });
    assert.deepEqual(apiErrorAnswer(new UnknownScopeError('group', 'nope')), { status: 404, code: 'unknown_group', message: "unknown group 'nope'", field: 'key', fault: 'request' });
    assert.deepEqual(apiErrorAnswer(new UnknownScopeError('category', 'x', 'y')), {
      status: 404,
      code: 'unknown_category',
      message: "unknown category 'x'; did you mean 'y'?",
      field: 'name',
      fault: 'request',
    });
  });

  test('backend errors: 503 with a retry for timeouts and unreachable backends, 502 otherwise', () => {
    const timeout = new BackendTimeoutError(250);
    for (const e of [timeout, new BackendError(timeout)]) {
      assert.deepEqual(apiErrorAnswer(e), { status: 503, code: 'backend_timeout', message: 'backend did not answer within 250 ms', retryAfterSeconds: 1, fault: 'backend' });
    }
    const down = new BackendError(new PrometheusError('cannot reach', 'network', url));
    assert.deepEqual(apiErrorAnswer(down), { status: 503, code: 'backend_unavailable', message: down.message, retryAfterSeconds: 1, fault: 'backend' });
    const broken = new BackendError(new Error('no such table: daily_category'));
    assert.deepEqual(apiErrorAnswer(broken), { status: 502, code: 'backend_error', message: broken.message, fault: 'backend' });
    const big = new BackendError(new PrometheusError('too large', 'too_large', url, { limitBytes: 1024 }));
    assert.deepEqual(apiErrorAnswer(big), { status: 502, code: 'backend_too_large', message: big.message, fault: 'backend' });
  });

  test('anything else is a 500 that does not leak the error', () => {
    for (const e of [new Error('secret detail'), 'a string', undefined]) {
      assert.deepEqual(apiErrorAnswer(e), { status: 500, code: 'internal_error', message: 'internal server error (see the server log)', fault: 'internal' });
    }
  });

  test("the editor's local backend fails a request error with the status the server answers", () => {
    for (const e of [new InvalidQueryError('at', 'not a time'), new UnknownScopeError('category', 'nope')]) {
      const f = failureOf(e, 'local:/x', 7);
      assert.equal(f.status, apiErrorAnswer(e).status);
      assert.equal(f.message, e.message);
    }
  });
});
