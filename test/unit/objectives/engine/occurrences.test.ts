/** Occurrences: SLI = good / total, budget = (1 - T) * total, events left = budget - bad. Hand-computed. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countThresholdValues, occurrenceFigures } from '../../../../src/sdk/objectives/engine';
import { BudgetInputError } from '../../../../src/sdk/budget/budgetInputError';

describe('Gitpod-like objectives', () => {
  test('99.8 % of workspaces start successfully: 10,000 starts, 15 failures -> budget 20, 5 left', () => {
    // SLI = 9,985 / 10,000 = 0.9985; budget = 0.002 * 10,000 = 20 (a float says 20.000000000000018);
    // left = 20 - 15 = 5; fraction = 5 / 20 = 0.25
    const f = occurrenceFigures({ good: 9985, total: 10000 }, '0.998');
    assert.equal(f.sli, 0.9985);
    assert.equal(f.budgetEvents, 20);
    assert.equal(f.eventsLeft, 5);
    assert.equal(f.remainingFraction, 0.25);
    assert.equal(f.status, 'healthy');
    assert.equal(f.bad, 15);
    assert.deepEqual(f.warnings, []);
  });
  test('the bad form gives the same figures (15 bad of 10,000)', () => {
    const f = occurrenceFigures({ bad: 15, total: 10000 }, '0.998');
    assert.equal(f.good, 9985);
    assert.equal(f.budgetEvents, 20);
    assert.equal(f.eventsLeft, 5);
  });
  test('95 % of workspaces start in under 2 minutes: 200 starts, 12 at 2 min or more -> over budget by 2', () => {
    // durations in seconds; lt 120: 188 good of 200. SLI 0.94; budget 0.05 * 200 = 10 (float: 10.000000000000009);
    // left 10 - 12 = -2; fraction -2 / 10 = -0.2
    const durations = [...Array<number>(188).fill(45), ...Array<number>(11).fill(150), 120];
    const counts = countThresholdValues(durations, 'lt', '120');
    assert.deepEqual(counts, { good: 188, total: 200 });
    const f = occurrenceFigures(counts, '0.95');
    assert.equal(f.sli, 0.94);
    assert.equal(f.budgetEvents, 10);
    assert.equal(f.eventsLeft, -2);
    assert.equal(f.remainingFraction, -0.2);
    assert.equal(f.status, 'over_budget');
  });
  test('99.8 % of workspaces keep working: 50,000 sessions, 100 lost -> exactly on budget (healthy); 101 -> over', () => {
    // budget 0.002 * 50,000 = 100; left 0, fraction 0 -> healthy (spend equal to the budget is within it)
    const on = occurrenceFigures({ bad: 100, total: 50000 }, '0.998');
    assert.equal(on.budgetEvents, 100);
    assert.equal(on.eventsLeft, 0);
    assert.equal(on.remainingFraction, 0);
    assert.equal(on.status, 'healthy');
    // 101 bad: left -1, fraction -1 / 100 = -0.01
    const over = occurrenceFigures({ bad: 101, total: 50000 }, '0.998');
    assert.equal(over.eventsLeft, -1);
    assert.equal(over.remainingFraction, -0.01);
    assert.equal(over.status, 'over_budget');
  });
});

describe('exactness', () => {
  test('99.9 % of 1,000,000 events is a budget of exactly 1,000 (a float says 1000.0000000000009)', () => {
    assert.notEqual((1 - 0.999) * 1_000_000, 1000, 'the float trap this guards against');
    const f = occurrenceFigures({ bad: 999, total: 1_000_000 }, '0.999');
    assert.equal(f.budgetEvents, 1000);
    assert.equal(f.eventsLeft, 1);
    assert.equal(f.remainingFraction, 0.001);
    assert.equal(f.sli, 0.999001);
  });
  test('fractional counts (sums of rates) stay exact: 0.1 + 0.2 bad of 300 at 0.999 -> left 0.3 - 0.3 = 0', () => {
    // budget = 0.001 * 300 = 0.3; bad = 0.3 (as a source summed it: 0.1 + 0.2 is 0.30000000000000004 in floats, so pass 0.3)
    const f = occurrenceFigures({ bad: 0.3, total: 300 }, '0.999');
    assert.equal(f.budgetEvents, 0.3);
    assert.equal(f.eventsLeft, 0);
    assert.equal(f.status, 'low_traffic', 'budget 0.3 < 1 event');
  });
  test('a target with many digits: 0.99999 of 3,000,000 -> budget 30', () => {
    assert.equal(occurrenceFigures({ bad: 0, total: 3_000_000 }, '0.99999').budgetEvents, 30);
  });
});

describe('no data', () => {
  test('total 0: SLI, budget, left and fraction null, never 100 % nor 0 %', () => {
    const f = occurrenceFigures({ good: 0, total: 0 }, '0.998');
    assert.equal(f.status, 'no_data');
    assert.equal(f.sli, null);
    assert.equal(f.budgetEvents, null);
    assert.equal(f.eventsLeft, null);
    assert.equal(f.remainingFraction, null);
    assert.equal(f.lowTraffic, false);
  });
});

describe('low traffic: (1 - T) * total < 1', () => {
  test('99.8 %: 499 events is low traffic (budget 0.998), 500 is not (budget exactly 1; a float says 1.0000000000000009)', () => {
    const low = occurrenceFigures({ bad: 1, total: 499 }, '0.998');
    assert.equal(low.lowTraffic, true);
    assert.equal(low.status, 'low_traffic', 'wins over over_budget');
    assert.equal(low.eventsLeft, -0.002, '0.998 - 1, exactly (a float says -0.0020000000000000018)');
    const enough = occurrenceFigures({ bad: 1, total: 500 }, '0.998');
    assert.equal(enough.lowTraffic, false);
    assert.equal(enough.budgetEvents, 1);
    assert.equal(enough.status, 'healthy');
  });
});

describe('broken instrumentation and bad input', () => {
  test('good > total: SLI capped at 1 with a warning; bad > total: SLI 0 with a warning', () => {
    const g = occurrenceFigures({ good: 110, total: 100 }, '0.9');
    assert.equal(g.sli, 1);
    assert.equal(g.eventsLeft, 10);
    assert.equal(g.warnings[0]?.code, 'good_exceeds_total');
    const b = occurrenceFigures({ bad: 120, total: 100 }, '0.9');
    assert.equal(b.sli, 0);
    assert.equal(b.eventsLeft, -90, 'bad clamped to 100: 10 - 100');
    assert.equal(b.bad, 120, 'the raw count stays visible');
    assert.equal(b.warnings[0]?.code, 'bad_exceeds_total');
  });
  test('targets outside (0, 1), percentages and non-numbers are refused', () => {
    for (const t of ['1', '0', '99.9', '1.5', 'abc', '', '0.9.9']) {
      assert.throws(() => occurrenceFigures({ good: 1, total: 1 }, t), BudgetInputError, t);
    }
  });
  test('negative or non-finite counts are refused', () => {
    assert.throws(() => occurrenceFigures({ good: -1, total: 1 }, '0.9'), BudgetInputError);
    assert.throws(() => occurrenceFigures({ bad: 1, total: Number.NaN }, '0.9'), BudgetInputError);
  });
  test('threshold values compare exactly: lte 0.3 holds for 0.3, not for 0.1 + 0.2', () => {
    assert.deepEqual(countThresholdValues([0.3, 0.1 + 0.2, Number.NaN], 'lte', '0.3'), { good: 1, total: 2 });
    assert.deepEqual(countThresholdValues([120, 121], 'gte', '120'), { good: 2, total: 2 });
    assert.deepEqual(countThresholdValues([120, 121], 'gt', '120'), { good: 1, total: 2 });
  });
});
