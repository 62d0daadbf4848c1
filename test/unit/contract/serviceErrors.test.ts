import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendError } from '../../../src/sdk/contract/serviceErrors';
import { PrometheusError } from '../../../src/sdk/sources/prometheusClient';

describe('BackendError: unavailable (503, retry later) vs broken (502)', () => {
  const url = 'http://127.0.0.1:9090/api/v1/query';
  test('unreachable or overloaded backends are unavailable', () => {
    assert.equal(new BackendError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).unavailable, true);
    assert.equal(new BackendError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })).unavailable, true);
    assert.equal(new BackendError(new PrometheusError('cannot reach', 'network', url)).unavailable, true);
    assert.equal(new BackendError(new PrometheusError('slow', 'timeout', url)).unavailable, true);
    assert.equal(new BackendError(new PrometheusError('HTTP 503', 'http', url, { status: 503 })).unavailable, true);
  });

  test('backends that answer wrongly are not', () => {
    assert.equal(new BackendError(new PrometheusError('rejected', 'query', url, { status: 400, errorType: 'bad_data' })).unavailable, false);
    assert.equal(new BackendError(new PrometheusError('HTTP 401', 'http', url, { status: 401 })).unavailable, false);
    assert.equal(new BackendError(new Error('no such table: daily_category')).unavailable, false);
    assert.equal(new BackendError('a string').unavailable, false);
  });

  test('the message keeps the cause', () => {
    const e = new BackendError(new PrometheusError(`cannot reach ${url}: ECONNREFUSED`, 'network', url));
    assert.equal(e.message, `backend failed: cannot reach ${url}: ECONNREFUSED`);
    assert.ok(PrometheusError.is(e.cause));
  });
});
