/** domain.md F9-F11 worked examples, exactly. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_BURN_POLICIES, buildBurnRateRows, burnFactor, burnRate, burnRateOf, daysToExhaustion } from '../../../src/sdk/budget/burnRate';
import { WINDOW_28D, parseWindow } from '../../../src/sdk/budget/window';
import type { SliCounts } from '../../../src/sdk/contract/budgetTypes';

/** 72 failures in 10000 measurements: 72 errors among 10000 ops, no apdex. */
const HOUR_72_OF_10000: SliCounts = { apdexSuccess: 0, apdexWeight: 0, ops: 10000, errors: 72 };

describe('F9 burn rate', () => {
  test('72 failures in 10000 over 1 h at 99.95 % -> 14.4', () => {
    // (72 / 10000) / 0.0005 = 0.0072 / 0.0005 = 14.4
    assert.equal(burnRate(HOUR_72_OF_10000, '99.95'), 14.4);
    assert.equal(burnRateOf(72, 10000, '99.95'), 14.4);
  });
  test('no measurements -> null; no failures -> 0', () => {
    assert.equal(burnRateOf(0, 0, '99.95'), null);
    assert.equal(burnRateOf(0, 10000, '99.95'), 0);
  });
  test('exactly on budget burns at 1 (5 in 10000 at 99.95 %)', () => {
    assert.equal(burnRateOf(5, 10000, '99.95'), 1);
  });
});

describe('F10 burn factors for a 28 d period', () => {
  test('2 % in 1 h -> 13.44', () => {
    // 0.02 * 672 / 1
    assert.equal(burnFactor('2', parseWindow('1h'), WINDOW_28D), 13.44);
  });
  test('5 % in 6 h -> 5.6', () => {
    // 0.05 * 672 / 6
    assert.equal(burnFactor('5', parseWindow('6h'), WINDOW_28D), 5.6);
  });
  test('10 % in 3 d -> 0.9333... (= 14/15)', () => {
    // 0.1 * 672 / 72 = 67.2 / 72 = 14/15
    assert.equal(burnFactor('10', parseWindow('3d'), WINDOW_28D), 14 / 15);
    assert.equal(burnFactor(10, parseWindow('3d'), WINDOW_28D).toFixed(3), '0.933');
  });
});

describe('F11 time to exhaustion', () => {
  test('R = 0.6, BR = 2, 28 d -> 8.4 d', () => {
    // 0.6 * 28 / 2
    assert.equal(daysToExhaustion(0.6, 2, WINDOW_28D), 8.4);
  });
  test('nothing burning or no data -> null; budget already gone -> 0', () => {
    assert.equal(daysToExhaustion(0.6, 0, WINDOW_28D), null);
    assert.equal(daysToExhaustion(0.6, null, WINDOW_28D), null);
    assert.equal(daysToExhaustion(null, 2, WINDOW_28D), null);
    assert.equal(daysToExhaustion(-0.5, 2, WINDOW_28D), 0);
  });
});

describe('burn-rate rows for the default policy', () => {
  test('the 1 h window at 14.4 exceeds 13.44; quiet windows do not', () => {
    const quiet: SliCounts = { apdexSuccess: 0, apdexWeight: 0, ops: 10000, errors: 1 };
    const rows = buildBurnRateRows(
      [
        { policy: DEFAULT_BURN_POLICIES[0]!, counts: HOUR_72_OF_10000 },
        { policy: DEFAULT_BURN_POLICIES[1]!, counts: quiet },
        { policy: DEFAULT_BURN_POLICIES[2]!, counts: { apdexSuccess: 0, apdexWeight: 0, ops: 0, errors: 0 } },
      ],
      { target: '99.95', period: WINDOW_28D, remainingFraction: 0.6 },
    );
    assert.deepEqual(
      rows.map((r) => [r.window, r.burnRate, r.threshold, r.exceeded]),
      [
        ['1h', 14.4, 13.44, true],
        // 1 / 10000 / 0.0005 = 0.2
        ['6h', 0.2, 5.6, false],
        ['3d', null, 14 / 15, false],
      ],
    );
    // 0.6 * 28 / 14.4 = 1.1666... d; 0.6 * 28 / 0.2 = 84 d
    assert.equal(rows[0]?.daysToExhaustion, 0.6 * 28 / 14.4);
    assert.equal(rows[1]?.daysToExhaustion, 84);
    assert.equal(rows[2]?.daysToExhaustion, null);
  });
  test('a burn rate exactly at the factor counts as exceeded', () => {
    // 5.6 = f/m/0.0005 -> f/m = 0.0028: 28 failures in 10000
    const [row] = buildBurnRateRows([{ policy: { window: '6h', budgetPercent: '5' }, counts: { apdexSuccess: 0, apdexWeight: 0, ops: 10000, errors: 28 } }], {
      target: '99.95',
      period: WINDOW_28D,
      remainingFraction: 1,
    });
    assert.equal(row?.burnRate, 5.6);
    assert.equal(row?.exceeded, true);
  });
});
