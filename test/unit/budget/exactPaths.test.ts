/**
 * The engine has two exact paths: one division of safe integers (integer counts) and 40-digit
 * decimals (fractional counts, products beyond 2^53). Both must give the worked examples exactly.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeBudgetFromCounts } from '../../../src/sdk/budget/budgetMath';
import { allowedRatioParts, exactDifference, exactProduct } from '../../../src/sdk/budget/exactRatio';
import { endpointSpentMinutes } from '../../../src/sdk/budget/endpointRanking';
import { trafficShares } from '../../../src/sdk/budget/trafficShare';
import { WINDOW_28D } from '../../../src/sdk/budget/window';

const opts = { target: '99.95', window: WINDOW_28D };

describe('integer helpers', () => {
  test('1 - T as integers: 99.95 -> 5/10000, 99.9 -> 1/1000, 99.89 -> 11/10000', () => {
    assert.deepEqual(allowedRatioParts('99.95'), { num: 5, den: 10000 });
    assert.deepEqual(allowedRatioParts('99.9'), { num: 1, den: 1000 });
    assert.deepEqual(allowedRatioParts('99.89'), { num: 11, den: 10000 });
  });
  test('a target with more digits than 2^53 holds has no integer form', () => {
    assert.equal(allowedRatioParts('99.99999999999999999'), null);
  });
  test('products and differences are refused once they leave the safe range or see fractions', () => {
    assert.equal(exactProduct(2 ** 26, 2 ** 26), 2 ** 52);
    assert.equal(exactProduct(2 ** 27, 2 ** 27), null);
    assert.equal(exactProduct(0.1, 10), null);
    assert.equal(exactDifference(5, 7), -2);
    assert.equal(exactDifference(2 ** 53, 1), null);
  });
});

describe('decimal path gives the same exact figures', () => {
  test('fractional counts: f = 7.5, m = 10000 -> spent 30.24, remaining -10.08, fraction -0.5', () => {
    // s = 4995, w = 5000, o = 5000, e = 2.5: f = 5 + 2.5 = 7.5, m = 10000, f/m = 0.00075 as in F1
    const b = computeBudgetFromCounts({ apdexSuccess: 4995, apdexWeight: 5000, ops: 5000, errors: 2.5 }, opts);
    assert.equal(b.availability, 0.99925);
    assert.equal(b.spentMinutes, 30.24);
    assert.equal(b.remainingMinutes, -10.08);
    assert.equal(b.remainingFraction, -0.5);
    // 40320 / 10000
    assert.equal(b.costOfOneFailureMinutes, 4.032);
    assert.equal(b.status, 'over_budget');
  });
  test('counts beyond 2^53 products: m = 1e13, f = 1.5e10 -> f/m = 0.0015, spent 60.48, remaining -40.32, fraction -2', () => {
    // W * (rn m - f rd) = 40320 * (5e13 - 1.5e14) ~ 4e18 > 2^53: the integer path must step aside
    const b = computeBudgetFromCounts({ apdexSuccess: 0, apdexWeight: 0, ops: 1e13, errors: 1.5e10 }, opts);
    assert.equal(b.availability, 0.9985);
    assert.equal(b.spentMinutes, 60.48);
    assert.equal(b.remainingMinutes, -40.32);
    assert.equal(b.remainingFraction, -2);
    assert.equal(b.costOfOneFailureMinutes, 4.032e-9);
  });
  test('endpoint spend with fractional failures: 7.5 * 40320 / 15000 = 20.16', () => {
    assert.equal(endpointSpentMinutes(7.5, 15000, WINDOW_28D), 20.16);
  });
  test('traffic shares of fractional measurements: 0.1 and 0.3 -> 0.25 and 0.75', () => {
    const shares = trafficShares(new Map([['a', 0.1], ['b', 0.3]]));
    assert.equal(shares.get('a'), 0.25);
    assert.equal(shares.get('b'), 0.75);
  });
});
