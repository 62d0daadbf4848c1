/**
 * The staleness rules of the editor's budget data (src/extension/budgetCache.ts), in plain Node:
 * the last good value survives failures and is marked stale with the reason; a failing key is not
 * asked again before the refresh interval; a 401 offers the token box once per URL and token.
 * Errors are the SDK client's real typed errors, so URL and status come from where they do in use.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BadResponseError, UnauthorizedError, UnavailableError } from '../../../src/sdk/client/clientErrors';
import { BudgetCache, UnauthorizedOffer, failureOf } from '../../../src/extension/budgetCache';
import { BackendError, InvalidQueryError, UnknownScopeError } from '../../../src/sdk/contract/serviceErrors';
import { PrometheusError } from '../../../src/sdk/sources/prometheusClient';

const URL_TP = 'http://127.0.0.1:7464/api/v1/categories?names=team_planning';
const T0 = Date.parse('2026-11-22T11:00:00Z');
const MINUTE = 60_000;

describe('failureOf', () => {
  test('a typed client error keeps its URL and status; a 401 is recognised', () => {
    const f = failureOf(new UnauthorizedError('invalid bearer token', URL_TP, 401, 'unauthorized'), 'http://fallback', T0);
    assert.deepEqual(f, { url: URL_TP, status: 401, message: `invalid bearer token (HTTP 401 from ${URL_TP})`, unauthorized: true, at: T0 });
  });

  test('no response is status 0 and says so', () => {
    const f = failureOf(new UnavailableError('Budget API unreachable: connect ECONNREFUSED 127.0.0.1:7464', URL_TP, 0), 'http://fallback', T0);
    assert.equal(f.status, 0);
    assert.equal(f.unauthorized, false);
    assert.match(f.message, /\(no response from http:\/\/127\.0\.0\.1:7464\/api\/v1\/categories\?names=team_planning\)$/);
  });

  test('a bad body and a foreign error', () => {
    assert.equal(failureOf(new BadResponseError('response does not match schema CategoryList: /0 must have required property', URL_TP, 200), 'x', T0).status, 200);
    assert.deepEqual(failureOf(new TypeError('boom'), 'http://127.0.0.1:7464/api/v1', T0), { url: 'http://127.0.0.1:7464/api/v1', status: 0, message: 'boom', unauthorized: false, at: T0 });
  });
});

describe('failureOf with BudgetService over Prometheus', () => {
  const QUERY = 'http://127.0.0.1:9090/api/v1/query';

  test('a 401 from Prometheus, wrapped by BudgetService: the query URL, the status, unauthorized', () => {
    const cause = new PrometheusError(`${QUERY} answered HTTP 401 (check the auth headers)`, 'http', QUERY, { status: 401 });
    assert.deepEqual(failureOf(new BackendError(cause), 'http://127.0.0.1:9090', T0), {
      url: QUERY,
      status: 401,
      message: `Prometheus: ${QUERY} answered HTTP 401 (check the auth headers)`,
      unauthorized: true,
      at: T0,
    });
  });

  test('Prometheus gone or too slow: status 0, "no response"; a 503 keeps its status', () => {
    const gone = failureOf(new BackendError(new PrometheusError(`cannot reach ${QUERY}: connect ECONNREFUSED 127.0.0.1:9090`, 'network', QUERY)), 'x', T0);
    assert.deepEqual([gone.url, gone.status, gone.unauthorized], [QUERY, 0, false]);
    assert.equal(gone.message, `Prometheus: cannot reach ${QUERY}: connect ECONNREFUSED 127.0.0.1:9090 (no response)`);
    const slow = failureOf(new BackendError(new PrometheusError(`${QUERY} did not answer within 10000 ms`, 'timeout', QUERY)), 'x', T0);
    assert.equal(slow.message, `Prometheus: ${QUERY} did not answer within 10000 ms (no response)`);
    const busy = failureOf(new BackendError(new PrometheusError(`${QUERY} answered HTTP 503`, 'http', QUERY, { status: 503 })), 'x', T0);
    assert.deepEqual([busy.status, busy.message], [503, `Prometheus: ${QUERY} answered HTTP 503`]);
  });

  test("BudgetService's own refusals get the Budget API's statuses (a 404 splits a lens batch)", () => {
    const unknown = failureOf(new UnknownScopeError('category', 'team_planing', 'team_planning'), 'http://127.0.0.1:9090', T0);
    assert.deepEqual(unknown, { url: 'http://127.0.0.1:9090', status: 404, message: "unknown category 'team_planing'; did you mean 'team_planning'?", unauthorized: false, at: T0 });
    assert.equal(failureOf(new InvalidQueryError('window', 'not a window'), 'x', T0).status, 400);
  });
});

describe('BudgetCache', () => {
  const down = failureOf(new UnavailableError('Budget API unreachable', URL_TP, 0), URL_TP, T0 + 5 * MINUTE);

  test('fresh after a success, stale after a later failure, fresh again after the next success', () => {
    const c = new BudgetCache<number>();
    assert.equal(c.succeed('team_planning', 4.032, T0), true);
    assert.equal(c.isStale('team_planning'), false);
    assert.equal(c.fail('team_planning', down), true);
    assert.equal(c.isStale('team_planning'), true);
    assert.deepEqual(c.get('team_planning'), { value: 4.032, fetchedAt: T0, failure: down });
    assert.equal(c.succeed('team_planning', 4.032, T0 + 10 * MINUTE), true, 'leaving the stale state is a change even with the same value');
    assert.deepEqual(c.get('team_planning'), { value: 4.032, fetchedAt: T0 + 10 * MINUTE });
  });

  test('a failure before any success leaves no value and is not "stale"', () => {
    const c = new BudgetCache<number>();
    c.fail('wiki', down);
    assert.equal(c.get('wiki')?.value, undefined);
    assert.equal(c.isStale('wiki'), false);
    assert.equal(c.get('wiki')?.failure, down);
  });

  test('reports a change only when a reader would see one', () => {
    const c = new BudgetCache<{ spent: number }>();
    assert.equal(c.succeed('k', { spent: 1 }, T0), true);
    assert.equal(c.succeed('k', { spent: 1 }, T0 + MINUTE), false);
    assert.equal(c.succeed('k', { spent: 2 }, T0 + 2 * MINUTE), true);
    assert.equal(c.fail('k', down), true);
    assert.equal(c.fail('k', { ...down, at: down.at + MINUTE }), false, 'the same failure again is no news');
    assert.equal(c.fail('k', { ...down, status: 503, message: 'backend timeout (HTTP 503 from x)' }), true);
  });

  test('a key is fetched when unknown or when its last attempt, good or failed, is an interval old', () => {
    const c = new BudgetCache<number>();
    const interval = 5 * MINUTE;
    assert.equal(c.needsFetch('k', T0, interval), true);
    c.succeed('k', 1, T0);
    assert.equal(c.needsFetch('k', T0 + interval - 1, interval), false);
    assert.equal(c.needsFetch('k', T0 + interval, interval), true);
    // Failed at T0 + 5 min: lenses asking meanwhile do not hammer a server that is down.
    c.fail('k', down);
    assert.equal(c.needsFetch('k', T0 + 6 * MINUTE, interval), false);
    assert.equal(c.needsFetch('k', T0 + 10 * MINUTE, interval), true);
  });

  test('clear forgets everything (a new API URL)', () => {
    const c = new BudgetCache<number>();
    c.succeed('a', 1, T0);
    c.fail('b', down);
    c.clear();
    assert.deepEqual(c.keys(), []);
  });
});

describe('UnauthorizedOffer', () => {
  test('once per URL and token, again after re-arming', () => {
    const o = new UnauthorizedOffer();
    assert.equal(o.shouldOffer('http://a#1'), true);
    assert.equal(o.shouldOffer('http://a#1'), false);
    assert.equal(o.shouldOffer('http://a#1'), false);
    assert.equal(o.count, 1);
    assert.equal(o.shouldOffer('http://a#2'), true, 'a new token that is wrong too is worth saying');
    o.rearm();
    assert.equal(o.shouldOffer('http://a#2'), true);
    assert.equal(o.count, 3);
  });
});
