/**
 * The PromQL Budget Lens builds for objectives (docs/objectives.md "Prometheus"): exact strings,
 * the counter-expression reader, and the `le` rule (numeric: `16` and `16.0` are one bound; a
 * threshold that is no bound is refused with the nearest ones).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ObjectiveQueryError,
  bucketMatcherFor,
  counterTermsOf,
  formatSelector,
  histogramBoundsQuery,
  histogramParts,
  parseCounterExpression,
  parseSelector,
  promDuration,
  windowCountQuery,
} from '../../../src/sdk/sources/objectiveQueries';

const W28D = 28 * 1440;

describe('objective PromQL builders', () => {
  test('durations: whole days, hours, else minutes', () => {
    assert.equal(promDuration(W28D), '28d');
    assert.equal(promDuration(60), '1h');
    assert.equal(promDuration(5), '5m');
    assert.equal(promDuration(90), '90m');
    assert.throws(() => promDuration(0), RangeError);
  });

  test('a counter selector, bare or in sum(...): sum(increase(sel[W]))', () => {
    const bare = counterTermsOf('gitpod_ws_manager_workspace_starts_total{cluster="eu"}', 'total');
    assert.equal(windowCountQuery(bare, true, W28D), 'sum(increase(gitpod_ws_manager_workspace_starts_total{cluster="eu"}[28d]))');
    const summed = counterTermsOf('sum by (cluster) (gitpod_ws_manager_workspace_starts_failure_total)', 'bad');
    assert.equal(windowCountQuery(summed, true, 60), 'sum(increase(gitpod_ws_manager_workspace_starts_failure_total[1h]))');
    assert.equal(windowCountQuery(counterTermsOf('sum(x_total) by (a)', 'x'), true, 5), 'sum(increase(x_total[5m]))');
  });

  test('counter: false sums the samples as given: sum(sum_over_time(sel[W]))', () => {
    assert.equal(windowCountQuery(counterTermsOf('starts:per_minute{job="ws"}', 'total'), false, W28D), 'sum(sum_over_time(starts:per_minute{job="ws"}[28d]))');
  });

  test('terms joined by + and -: each term increased, absent terms count 0', () => {
    const terms = counterTermsOf('sum(gitpod_ws_manager_workspace_starts_total) - sum(gitpod_ws_manager_workspace_starts_failure_total)', 'good');
    assert.equal(
      windowCountQuery(terms, true, W28D),
      '(sum(increase(gitpod_ws_manager_workspace_starts_total[28d])) or vector(0)) - (sum(increase(gitpod_ws_manager_workspace_starts_failure_total[28d])) or vector(0))',
    );
    assert.equal(windowCountQuery(counterTermsOf('a + b', 'x'), true, 60), '(sum(increase(a[1h])) or vector(0)) + (sum(increase(b[1h])) or vector(0))');
  });

  test('rates, divisions and subqueries are refused with what to write', () => {
    for (const q of ['sum(rate(x_total[5m]))', 'a / b', 'x_total offset 1h', 'histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))']) {
      assert.equal(parseCounterExpression(q), undefined, q);
      assert.throws(() => counterTermsOf(q, 'objective o: good'), (e: unknown) => e instanceof ObjectiveQueryError && /not a counter selector: write the counter itself/.test(e.message));
    }
  });

  test('selectors: matchers of every op, escapes, __name__, quotes re-written as PromQL', () => {
    const sel = parseSelector(`{__name__="x_bucket", job=~"a|b", path!='/x', le="16", msg!~"say \\"hi\\""}`);
    assert.ok(sel);
    assert.equal(formatSelector(sel), 'x_bucket{job=~"a|b",path!="/x",le="16",msg!~"say \\"hi\\""}');
    assert.equal(parseSelector('a - b'), undefined);
  });

  test('histogram bounds query: count by (le) over the window, le dropped from the matchers', () => {
    assert.equal(
      histogramBoundsQuery('gitpod_ws_manager_workspace_startup_seconds', [{ name: 'le', op: '=', value: '120' }, { name: 'cluster', op: '=', value: 'eu' }], W28D),
      'count by (le) (count_over_time(gitpod_ws_manager_workspace_startup_seconds_bucket{cluster="eu"}[28d]))',
    );
  });

  test('le is matched numerically: "16" and "16.0" are one bound; both stored -> a regex of both', () => {
    const prom2 = ['1', '2', '4', '8', '16', '32', '64', '128', '+Inf'];
    const prom3 = ['1.0', '2.0', '4.0', '8.0', '16.0', '32.0', '64.0', '128.0', '+Inf'];
    assert.deepEqual(bucketMatcherFor('x_seconds', '16', prom2), { name: 'le', op: '=', value: '16' });
    assert.deepEqual(bucketMatcherFor('x_seconds', '16', prom3), { name: 'le', op: '=', value: '16.0' });
    assert.deepEqual(bucketMatcherFor('x_seconds', '16.0', prom2), { name: 'le', op: '=', value: '16' });
    assert.deepEqual(bucketMatcherFor('x_seconds', '16', [...prom2, ...prom3]), { name: 'le', op: '=~', value: '16|16\\.0' });
    assert.deepEqual(bucketMatcherFor('x_seconds', '0.1', ['0.05', '0.1', '+Inf']), { name: 'le', op: '=', value: '0.1' });
    const parts = histogramParts('x_seconds', [{ name: 'job', op: '=', value: 'a' }], bucketMatcherFor('x_seconds', '16', [...prom2, ...prom3]));
    assert.equal(formatSelector(parts.bucket), 'x_seconds_bucket{job="a",le=~"16|16\\\\.0"}');
    assert.equal(formatSelector(parts.count), 'x_seconds_count{job="a"}');
  });

  test('a threshold that is no bucket bound is refused with the nearest bounds (Gitpod: 2 min is the 128 s bucket)', () => {
    const bounds = ['1', '2', '4', '8', '16', '32', '64', '128', '+Inf'];
    assert.throws(
      () => bucketMatcherFor('gitpod_ws_manager_workspace_startup_seconds', '120', bounds),
      (e: unknown) => e instanceof ObjectiveQueryError && e.code === 'not_a_bucket_bound' && e.message === '120 s is not a bucket bound of gitpod_ws_manager_workspace_startup_seconds; nearest: 64, 128',
    );
    assert.throws(() => bucketMatcherFor('x_bytes', '0.5', bounds), { message: '0.5 is not a bucket bound of x_bytes; nearest: 1' });
    assert.throws(() => bucketMatcherFor('x_seconds', '200', bounds), /200 s is not a bucket bound of x_seconds; nearest: 128, \+Inf/);
    assert.throws(() => bucketMatcherFor('x_seconds', '16', []), (e: unknown) => e instanceof ObjectiveQueryError && e.code === 'no_histogram');
  });
});
