/** domain.md section 2, F1-F7 and F12, with the worked examples reproduced exactly. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetMinutes, computeBudget, computeBudgetFromCounts, isLowTraffic, isOverBudget } from '../../../src/sdk/budget/budgetMath';
import { BudgetInputError } from '../../../src/sdk/budget/budgetInputError';
import { WINDOW_28D, WINDOW_7D, parseWindow } from '../../../src/sdk/budget/window';
import type { ComponentCounts, SliCounts } from '../../../src/sdk/contract/budgetTypes';

function rails(s: number, w: number, o: number, e: number): ComponentCounts {
  return { component: 'rails_request', counts: { apdexSuccess: s, apdexWeight: w, ops: o, errors: e }, hasErrorSli: true };
}

/** The worked example of F1-F7: s=9990, w=10000, o=10000, e=5. */
const EXAMPLE = [rails(9990, 10000, 10000, 5)];
const opts = { target: '99.95', window: WINDOW_28D };

describe('F1-F7 worked example (99.95 %, 28 d)', () => {
  const b = computeBudget(EXAMPLE, opts);

  test('F1 availability = 19985 / 20000 = 0.99925', () => {
    assert.equal(b.availability, 0.99925);
  });
  test('F2 f = (10000 - 9990) + 5 = 15, m = 20000', () => {
    assert.equal(b.failures, 15);
    assert.equal(b.measurements, 20000);
  });
  test('F3 budget = 0.0005 * 40320 = 20.16 exactly (doubles give 20.15999999999778)', () => {
    assert.notEqual((1 - 0.9995) * 40320, 20.16, 'the float trap this guards against');
    assert.equal(b.budgetMinutes, 20.16);
  });
  test('F3 over 7 d: 0.0005 * 10080 = 5.04', () => {
    assert.equal(budgetMinutes('99.95', WINDOW_7D), 5.04);
    assert.equal(computeBudget(EXAMPLE, { target: '99.95', window: parseWindow('7d') }).budgetMinutes, 5.04);
  });
  test('F4 spent = 0.00075 * 40320 = 30.24', () => {
    assert.equal(b.spentMinutes, 30.24);
  });
  test('F5 remaining = 20.16 - 30.24 = -10.08 (never clamped)', () => {
    assert.equal(b.remainingMinutes, -10.08);
  });
  test('F6 remaining fraction = 1 - 0.00075 / 0.0005 = -0.5', () => {
    assert.equal(b.remainingFraction, -0.5);
  });
  test('F7 cost of one failure = 40320 / 20000 = 2.016', () => {
    assert.equal(b.costOfOneFailureMinutes, 2.016);
  });
  test('over budget, not low traffic, no warnings', () => {
    assert.equal(b.status, 'over_budget');
    assert.equal(b.lowTraffic, false);
    assert.deepEqual(b.warnings, []);
    assert.equal(isOverBudget(b), true);
  });
  test('carries target, window and summed counts', () => {
    assert.equal(b.target, '99.95');
    assert.deepEqual(b.window, { label: '28d', minutes: 40320 });
    assert.deepEqual(b.counts, { apdexSuccess: 9990, apdexWeight: 10000, ops: 10000, errors: 5 });
  });
});

describe('summing before dividing', () => {
  test('two components are summed first: rails + sidekiq halves of the example give the same figures', () => {
    const sidekiq: ComponentCounts = {
      component: 'sidekiq_execution',
      counts: { apdexSuccess: 4995, apdexWeight: 5000, ops: 5000, errors: 0 },
      hasErrorSli: true,
    };
    // rails 4995/5000 apdex + 5000 ops 5 errors; sidekiq 4995/5000 + 5000 ops 0 errors -> s=9990 w=10000 o=10000 e=5
    const b = computeBudget([rails(4995, 5000, 5000, 5), sidekiq], opts);
    assert.equal(b.failures, 15);
    assert.equal(b.measurements, 20000);
    assert.equal(b.spentMinutes, 30.24);
  });
  test('a component without an error SLI contributes nothing to o or e', () => {
    const noErrorSli: ComponentCounts = {
      component: 'graphql_query',
      counts: { apdexSuccess: 0, apdexWeight: 0, ops: 500, errors: 50 },
      hasErrorSli: false,
    };
    const b = computeBudget([...EXAMPLE, noErrorSli], opts);
    assert.equal(b.measurements, 20000);
    assert.equal(b.failures, 15);
  });
});

describe('healthy and exactly on budget', () => {
  test('spend equal to the budget is healthy (10 failures in 20000 -> 20.16 spent, 0 remaining)', () => {
    // f = 10: 10 * 40320 / 20000 = 20.16 = budget
    const b = computeBudget([rails(10000, 10000, 10000, 10)], opts);
    assert.equal(b.spentMinutes, 20.16);
    assert.equal(b.remainingMinutes, 0);
    assert.equal(b.remainingFraction, 0);
    assert.equal(b.status, 'healthy');
    assert.equal(isOverBudget(b), false);
  });
  test('a perfect window: availability 1, nothing spent, fraction 1', () => {
    const b = computeBudget([rails(10000, 10000, 10000, 0)], opts);
    assert.equal(b.availability, 1);
    assert.equal(b.spentMinutes, 0);
    assert.equal(b.remainingMinutes, 20.16);
    assert.equal(b.remainingFraction, 1);
    assert.equal(b.status, 'healthy');
  });
});

describe('no data (m = 0)', () => {
  test('availability, spent, remaining and cost are null, never 100 % or 0 %', () => {
    const b = computeBudget([], opts);
    assert.equal(b.status, 'no_data');
    assert.equal(b.availability, null);
    assert.equal(b.spentMinutes, null);
    assert.equal(b.remainingMinutes, null);
    assert.equal(b.remainingFraction, null);
    assert.equal(b.costOfOneFailureMinutes, null);
    assert.equal(b.lowTraffic, false);
    assert.equal(b.budgetMinutes, 20.16, 'the budget itself exists without data');
    assert.equal(isOverBudget(b), false);
  });
  test('components with all-zero counts are no data too', () => {
    assert.equal(computeBudget([rails(0, 0, 0, 0)], opts).status, 'no_data');
  });
});

describe('F12 low traffic: (1 - T) * m < 1', () => {
  test('99.95 %: 1999 measurements is low traffic, 2000 is not (doubles would say 2000 is low)', () => {
    assert.ok((1 - 0.9995) * 2000 < 1, 'the float trap this guards against');
    assert.equal(isLowTraffic(1999, '99.95'), true);
    assert.equal(isLowTraffic(2000, '99.95'), false);
  });
  test('status low_traffic wins over over_budget; lowTraffic flag set', () => {
    // m = 1999 (w = 1000, o = 999), one error: over budget, but one failure is already too many.
    const b = computeBudget([rails(1000, 1000, 999, 1)], opts);
    assert.equal(b.measurements, 1999);
    assert.equal(b.lowTraffic, true);
    assert.equal(b.status, 'low_traffic');
    assert.equal(isOverBudget(b), true);
  });
  test('at m = 2000 the same single failure is exactly on budget: healthy', () => {
    // 1 * 40320 / 2000 = 20.16 = budget
    const b = computeBudget([rails(1000, 1000, 1000, 1)], opts);
    assert.equal(b.lowTraffic, false);
    assert.equal(b.spentMinutes, 20.16);
    assert.equal(b.status, 'healthy');
  });
});

describe('bad instrumentation: warnings instead of impossible availabilities', () => {
  test('s > w: warning, availability clamped to 1, failures keep the raw value', () => {
    // f = (10000 - 10010) + 5 = -5 -> clamped to 0 for the figures
    const b = computeBudget([rails(10010, 10000, 10000, 5)], opts);
    assert.deepEqual(b.warnings.map((w) => w.code), ['apdex_success_exceeds_weight']);
    assert.equal(b.failures, -5);
    assert.equal(b.availability, 1);
    assert.equal(b.spentMinutes, 0);
    assert.equal(b.remainingMinutes, 20.16);
  });
  test('e > o and f > m: both warnings, availability 0 (never negative), the whole window spent', () => {
    // f = 4000, m = 3000 -> clamped to 3000 failures: spent = 3000 * 40320 / 3000 = 40320
    const b = computeBudget([rails(0, 0, 3000, 4000)], opts);
    assert.deepEqual(b.warnings.map((w) => w.code), ['errors_exceed_ops', 'failures_exceed_measurements']);
    assert.equal(b.availability, 0);
    assert.equal(b.spentMinutes, 40320);
    assert.equal(b.remainingMinutes, 20.16 - 40320);
    assert.equal(b.status, 'over_budget');
  });
  test('a rounding hair from float rates is not bad instrumentation', () => {
    const b = computeBudget([rails(10000.000000000002, 10000, 10000, 0)], opts);
    assert.deepEqual(b.warnings, []);
  });
  test('non-finite counts are rejected with a message naming the count', () => {
    const counts: SliCounts = { apdexSuccess: Number.NaN, apdexWeight: 1, ops: 1, errors: 0 };
    assert.throws(() => computeBudgetFromCounts(counts, opts), (e: unknown) => BudgetInputError.is(e) && /apdexSuccess is NaN/.test(e.message));
  });
});

describe('ignored components', () => {
  test('an ignored component does not count toward the budget', () => {
    const graphql: ComponentCounts = {
      component: 'graphql_query',
      counts: { apdexSuccess: 0, apdexWeight: 5000, ops: 5000, errors: 5000 },
      hasErrorSli: true,
    };
    const ignored = computeBudget([...EXAMPLE, graphql], { ...opts, ignoredComponents: ['graphql_query'] });
    assert.equal(ignored.failures, 15);
    assert.equal(ignored.spentMinutes, 30.24);
    const counted = computeBudget([...EXAMPLE, graphql], opts);
    assert.equal(counted.failures, 15 + 5000 + 5000);
  });
});

describe('custom targets (99.80 %, 99.9 %, 99.89 %)', () => {
  test('budget minutes over 28 d are exact: 80.64, 40.32, 44.352', () => {
    // 0.002 * 40320 = 80.64; 0.001 * 40320 = 40.32; 0.0011 * 40320 = 44.352
    assert.equal(budgetMinutes('99.80', WINDOW_28D), 80.64);
    assert.equal(budgetMinutes('99.9', WINDOW_28D), 40.32);
    assert.equal(budgetMinutes('99.89', WINDOW_28D), 44.352);
  });
  test('the worked example is within a 99.9 % budget: remaining 40.32 - 30.24 = 10.08, fraction 0.25', () => {
    const b = computeBudget(EXAMPLE, { target: '99.9', window: WINDOW_28D });
    assert.equal(b.remainingMinutes, 10.08);
    // 1 - 0.00075 / 0.001 = 0.25
    assert.equal(b.remainingFraction, 0.25);
    assert.equal(b.status, 'healthy');
  });
  test('99.89 %: remaining 44.352 - 30.24 = 14.112', () => {
    assert.equal(computeBudget(EXAMPLE, { target: '99.89', window: WINDOW_28D }).remainingMinutes, 14.112);
  });
  test('99.80 % is low traffic below 500 measurements (0.002 * 499 < 1)', () => {
    assert.equal(isLowTraffic(499, '99.80'), true);
    assert.equal(isLowTraffic(500, '99.80'), false);
  });
});

describe('invalid targets', () => {
  for (const bad of ['abc', '99.95%', '100', '0', '', '-1', '99,95', '1e2']) {
    test(`"${bad}" is a BudgetInputError naming the target`, () => {
      assert.throws(() => computeBudget(EXAMPLE, { target: bad, window: WINDOW_28D }), (e: unknown) => BudgetInputError.is(e) && e.message.includes(`"${bad}"`));
    });
  }
});
