/**
 * The per-slice percentile query both backends read (objectives/objectiveQuery.ts parseQuantileQuery).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuantileQuery, parseRatioQuery } from '../../../src/sdk/objectives/objectiveQuery';

test('histogram_quantile(q, sum by (le) (rate(x_bucket{...}[R]))) is read as its parts', () => {
  assert.deepEqual(parseQuantileQuery('histogram_quantile(0.95, sum by (le) (rate(api_request_duration_seconds_bucket[5m])))'), {
    quantile: 0.95,
    base: 'api_request_duration_seconds',
    matchers: [],
    rangeMinutes: 5,
  });
  // `by (le)` after the aggregation, increase instead of rate, matchers (le dropped), hours.
  assert.deepEqual(parseQuantileQuery('histogram_quantile(.5, sum(increase(x_bucket{job="a",le="1"}[1h])) by (le))'), {
    quantile: 0.5,
    base: 'x',
    matchers: [{ name: 'job', op: '=', value: 'a' }],
    rangeMinutes: 60,
  });
  assert.equal(parseQuantileQuery('histogram_quantile(0.95, sum by (le) (rate(x_bucket[30s])))'), undefined, 'not whole minutes');
  assert.equal(parseQuantileQuery('histogram_quantile(1.5, sum by (le) (rate(x_bucket[5m])))'), undefined, 'q above 1');
  assert.equal(parseQuantileQuery('histogram_quantile(0.95, sum by (le) (rate(x_count[5m])))'), undefined, 'not a bucket');
  assert.equal(parseQuantileQuery('sum(rate(x_bucket[5m]))'), undefined);
});

test('a raw ratio of counter rates: its sides as counter terms and its one range', () => {
  const sel = (metric: string, matchers: Array<{ name: string; op: string; value: string }> = []) => ({ metric, matchers });
  assert.deepEqual(parseRatioQuery('sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))'), {
    numerator: [{ sign: 1, selector: sel('http_requests_total', [{ name: 'code', op: '=~', value: '5..' }]) }],
    denominator: [{ sign: 1, selector: sel('http_requests_total') }],
    rangeMinutes: 5,
  });
  // Parentheses, increase, sum by, a difference, hours.
  assert.deepEqual(parseRatioQuery('(sum by (job) (increase(a_total[1h])) - increase(b_total[1h])) / (sum(increase(c_total[1h])))'), {
    numerator: [
      { sign: 1, selector: sel('a_total') },
      { sign: -1, selector: sel('b_total') },
    ],
    denominator: [{ sign: 1, selector: sel('c_total') }],
    rangeMinutes: 60,
  });
  assert.equal(parseRatioQuery('sum(rate(a[5m])) / sum(rate(b[10m]))'), undefined, 'two ranges');
  assert.equal(parseRatioQuery('sum(rate(a[30s])) / sum(rate(b[30s]))'), undefined, 'not whole minutes');
  assert.equal(parseRatioQuery('sum(rate(a[5m]))'), undefined, 'no denominator');
  assert.equal(parseRatioQuery('sum(rate(a[5m] offset 1h)) / sum(rate(b[5m]))'), undefined, 'an offset');
  assert.equal(parseRatioQuery('sum(a) / sum(b)'), undefined, 'not rates');
  assert.equal(parseRatioQuery('sum(rate(a[5m])) / sum(rate(b[5m])) / 2'), undefined, 'trailing text');
});
