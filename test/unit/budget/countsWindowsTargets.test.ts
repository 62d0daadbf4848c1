/** F2, F13, F14 and the input parsers (targets as decimal strings, window labels). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { counterDelta, dataQualityWarnings, failuresOf, measurementsOf, sumComponents } from '../../../src/sdk/budget/counts';
import { BudgetInputError } from '../../../src/sdk/budget/budgetInputError';
import { allowedFailureRatio, parseTarget, targetProblem } from '../../../src/sdk/budget/target';
import { shareExceedsPercent, trafficShares } from '../../../src/sdk/budget/trafficShare';
import { parseWindow, windowDays, windowHours, windowOfMinutes } from '../../../src/sdk/budget/window';

describe('F14 counter delta with resets', () => {
  test('100, 150, 20, 70 -> 50 + 20 + 50 = 120', () => {
    assert.equal(counterDelta([100, 150, 20, 70]), 120);
  });
  test('monotonic counters are last - first; fewer than two samples give 0', () => {
    assert.equal(counterDelta([5, 7, 7, 10]), 5);
    assert.equal(counterDelta([42]), 0);
    assert.equal(counterDelta([]), 0);
  });
  test('a reset to exactly the previous value is no reset (>=)', () => {
    assert.equal(counterDelta([10, 10, 3]), 3);
  });
});

describe('F2 and sums', () => {
  test('f = (w - s) + e, m = w + o', () => {
    const c = { apdexSuccess: 9990, apdexWeight: 10000, ops: 10000, errors: 5 };
    assert.equal(failuresOf(c), 15);
    assert.equal(measurementsOf(c), 20000);
  });
  test('sumComponents skips ignored components and o/e of components without an error SLI', () => {
    const total = sumComponents(
      [
        { component: 'rails_request', counts: { apdexSuccess: 1, apdexWeight: 2, ops: 3, errors: 4 }, hasErrorSli: true },
        { component: 'sidekiq_execution', counts: { apdexSuccess: 10, apdexWeight: 20, ops: 30, errors: 40 }, hasErrorSli: false },
        { component: 'graphql_query', counts: { apdexSuccess: 100, apdexWeight: 200, ops: 300, errors: 400 }, hasErrorSli: true },
      ],
      ['graphql_query'],
    );
    assert.deepEqual(total, { apdexSuccess: 11, apdexWeight: 22, ops: 3, errors: 4 });
  });
  test('clean counts have no data-quality warning', () => {
    assert.deepEqual(dataQualityWarnings({ apdexSuccess: 1, apdexWeight: 1, ops: 1, errors: 1 }), []);
  });
});

describe('F13 traffic share', () => {
  test("a group's m over all groups' m", () => {
    const shares = trafficShares(new Map([['a', 20000], ['b', 60000], ['c', 0]]));
    assert.deepEqual([...shares], [['a', 0.25], ['b', 0.75], ['c', 0]]);
  });
  test('nobody has data -> every share is null', () => {
    assert.deepEqual([...trafficShares(new Map([['a', 0]]))], [['a', null]]);
  });
  test('exactly 0.01 % does not exceed 0.01 %; one more measurement does', () => {
    assert.equal(shareExceedsPercent(1, 10000, '0.01'), false);
    assert.equal(shareExceedsPercent(2, 10000, '0.01'), true);
    assert.equal(shareExceedsPercent(1, 9999, '0.01'), true);
  });
  test('fractional measurements take the decimal path with the same boundary', () => {
    // 0.5 / 5000 = 0.0001 exactly
    assert.equal(shareExceedsPercent(0.5, 5000, '0.01'), false);
    assert.equal(shareExceedsPercent(0.5000001, 5000, '0.01'), true);
  });
});

describe('targets are decimal strings', () => {
  test('"99.95" -> 0.9995 and 1 - T = 0.0005 exactly', () => {
    assert.equal(parseTarget('99.95').toString(), '0.9995');
    assert.equal(allowedFailureRatio('99.95').toString(), '0.0005');
    assert.equal(allowedFailureRatio('99.89').toString(), '0.0011');
  });
  test('problems are described, valid targets have none', () => {
    assert.equal(targetProblem('99.9'), null);
    assert.match(targetProblem('100') ?? '', /less than 100/);
    assert.match(targetProblem('ninety') ?? '', /not a decimal percentage/);
  });
});

describe('parseWindow', () => {
  const cases: Array<[string, number]> = [['28d', 40320], ['7d', 10080], ['30d', 43200], ['6h', 360], ['1h', 60], ['3d', 4320], ['30m', 30], ['2w', 20160]];
  for (const [label, minutes] of cases) {
    test(`${label} -> ${minutes} min`, () => {
      assert.deepEqual(parseWindow(label), { label, minutes });
    });
  }
  test('hours and days of a window', () => {
    assert.equal(windowHours(parseWindow('28d')), 672);
    assert.equal(windowDays(parseWindow('6h')), 0.25);
  });
  for (const bad of ['', '28', 'd', '0d', '1.5d', '-1d', '28 days', '401d', '7y']) {
    test(`"${bad}" is a BudgetInputError quoting it`, () => {
      assert.throws(() => parseWindow(bad), (e: unknown) => BudgetInputError.is(e) && e.message.includes(`"${bad}"`));
    });
  }
  test('windowOfMinutes takes whole positive minutes only', () => {
    assert.deepEqual(windowOfMinutes(44640, '2026-10'), { label: '2026-10', minutes: 44640 });
    assert.throws(() => windowOfMinutes(1.5), BudgetInputError);
    assert.throws(() => windowOfMinutes(0), BudgetInputError);
  });
});
