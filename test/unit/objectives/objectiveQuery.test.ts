/**
 * The per-slice percentile query both backends read (objectives/objectiveQuery.ts parseQuantileQuery).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuantileQuery } from '../../../src/sdk/objectives/objectiveQuery';

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
