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

describe('BackendError reads a backend fault through the contract, not a backend class', () => {
  class OtherBackendError extends Error {
    constructor(private readonly fault: { unavailable: boolean; tooLargeLimitBytes?: number }) {
      super('other backend failed');
    }
    backendFault() {
      return this.fault;
    }
  }
  test('any error reporting its fault is worded the same way as a PrometheusError', () => {
    assert.equal(new BackendError(new OtherBackendError({ unavailable: true })).unavailable, true);
    const tooLarge = new BackendError(new OtherBackendError({ unavailable: false, tooLargeLimitBytes: 1024 }));
    assert.equal(tooLarge.unavailable, false);
    assert.equal(tooLarge.tooLargeLimitBytes, 1024);
    const prometheus = new BackendError(new PrometheusError('too big', 'too_large', 'http://x/api/v1/query', { limitBytes: 2048 }));
    assert.deepEqual([prometheus.unavailable, prometheus.tooLargeLimitBytes], [false, 2048]);
  });
});
