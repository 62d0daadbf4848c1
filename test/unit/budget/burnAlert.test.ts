/** domain.md F16: the two-window burn-rate condition and its low-traffic guard, numbers by hand. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BURN_ALERT_POLICIES, BURN_ALERT_WINDOWS, evaluateBurnAlert, minShortMeasurements } from '../../../src/sdk/budget/burnAlert';
import type { WindowFailures } from '../../../src/sdk/budget/burnAlert';

const w = (failures: number, measurements: number): WindowFailures => ({ failures, measurements });

describe('F16 the tiers', () => {
  test('page: 1 h + 5 m above 14.4; ticket: 6 h + 30 m above 6', () => {
    assert.deepEqual(
      BURN_ALERT_POLICIES.map((p) => [p.tier, p.longWindow, p.shortWindow, p.threshold]),
      [
        ['page', '1h', '5m', 14.4],
        ['ticket', '6h', '30m', 6],
      ],
    );
    assert.deepEqual(BURN_ALERT_WINDOWS, ['1h', '5m', '6h', '30m']);
  });
});

describe('F16 the low-traffic guard', () => {
  test('99.95 %: crossing the factor must take 5 failures -> 695 (page) and 1667 (ticket) measurements', () => {
    // page:   5 / (14.4 * 0.0005) = 5 / 0.0072 = 694.44... -> 695
    // ticket: 5 / (6 * 0.0005)    = 5 / 0.003  = 1666.66... -> 1667
    assert.equal(minShortMeasurements(14.4, '99.95'), 695);
    assert.equal(minShortMeasurements(6, '99.95'), 1667);
    // 99.9 %: 5 / (14.4 * 0.001) = 347.2 -> 348; 5 / (6 * 0.001) = 833.3 -> 834
    assert.equal(minShortMeasurements(14.4, '99.9'), 348);
    assert.equal(minShortMeasurements(6, '99.9'), 834);
  });

  test('a handful of events never fires, however bad', () => {
    // 5 m: 3 failures in 20 -> 0.15 / 0.0005 = 300x, but 20 < 695 measurements; 1 h likewise.
    const alert = evaluateBurnAlert({ '1h': w(3, 20), '5m': w(3, 20), '6h': w(3, 20), '30m': w(3, 20) }, '99.95');
    assert.equal(alert.tier, null);
    const page = alert.tiers[0];
    assert.equal(page?.short.burnRate, 300);
    assert.deepEqual([page?.lowTraffic, page?.fires, page?.minShortMeasurements], [true, false, 695]);
  });

  test('one measurement short of the guard does not fire; at the guard it does', () => {
    // 5 m: 7 failures in 694 -> 0.010086 / 0.0005 = 20.17x > 14.4, but 694 < 695.
    const base = { '1h': w(90, 6000) }; // 0.015 / 0.0005 = 30x
    assert.equal(evaluateBurnAlert({ ...base, '5m': w(7, 694) }, '99.95').tier, null);
    // 7 in 695 -> 0.01007 / 0.0005 = 20.14x
    assert.equal(evaluateBurnAlert({ ...base, '5m': w(7, 695) }, '99.95').tier, 'page');
  });
});

describe('F16 which tier fires', () => {
  test('the worked example: 99.95 %, 1 h at 0.0075 -> 15x, 5 m at 0.008 -> 16x: page', () => {
    // budget ratio 1 - 0.9995 = 0.0005
    // 1 h: 75 failures in 10000 = 0.0075 -> 0.0075 / 0.0005 = 15   > 14.4
    // 5 m: 8 failures in 1000   = 0.008  -> 0.008 / 0.0005  = 16   > 14.4, 1000 >= 695
    const alert = evaluateBurnAlert({ '1h': w(75, 10_000), '5m': w(8, 1000), '6h': w(75, 60_000), '30m': w(8, 5000) }, '99.95');
    assert.equal(alert.tier, 'page');
    const [page, ticket] = alert.tiers;
    assert.deepEqual(page, {
      tier: 'page',
      threshold: 14.4,
      long: { window: '1h', burnRate: 15, failures: 75, measurements: 10_000 },
      short: { window: '5m', burnRate: 16, failures: 8, measurements: 1000 },
      minShortMeasurements: 695,
      lowTraffic: false,
      fires: true,
    });
    // 6 h: 75 / 60000 = 0.00125 -> 2.5x; 30 m: 8 / 5000 = 0.0016 -> 3.2x: both under 6.
    assert.deepEqual([ticket?.long.burnRate, ticket?.short.burnRate, ticket?.fires], [2.5, 3.2, false]);
  });

  test('the long window alone does not fire: the burn has stopped (5 m recovered)', () => {
    // 1 h 15x as above; 5 m: 1 failure in 1000 -> 0.001 / 0.0005 = 2x
    assert.equal(evaluateBurnAlert({ '1h': w(75, 10_000), '5m': w(1, 1000) }, '99.95').tier, null);
  });

  test('the short window alone does not fire: a blip, not yet a spend', () => {
    // 5 m 16x; 1 h: 30 in 10000 = 0.003 -> 6x
    assert.equal(evaluateBurnAlert({ '1h': w(30, 10_000), '5m': w(8, 1000) }, '99.95').tier, null);
  });

  test('exactly 14.4 is not above 14.4', () => {
    // 1 h: 72 in 10000 = 0.0072 -> 14.4 exactly (F9's example); 5 m 16x
    const alert = evaluateBurnAlert({ '1h': w(72, 10_000), '5m': w(8, 1000) }, '99.95');
    assert.equal(alert.tiers[0]?.long.burnRate, 14.4);
    assert.equal(alert.tier, null);
  });

  test('ticket: 6 h at 0.004 -> 8x and 30 m at 0.0035 -> 7x, page quiet', () => {
    // 6 h: 240 in 60000 = 0.004 -> 8 > 6; 30 m: 7 in 2000 = 0.0035 -> 7 > 6, 2000 >= 1667
    // 1 h: 40 in 10000 = 0.004 -> 8 < 14.4
    const alert = evaluateBurnAlert({ '1h': w(40, 10_000), '5m': w(4, 1000), '6h': w(240, 60_000), '30m': w(7, 2000) }, '99.95');
    assert.equal(alert.tier, 'ticket');
    assert.deepEqual(alert.tiers.map((t) => t.fires), [false, true]);
  });

  test('both fire: page is the tier', () => {
    const alert = evaluateBurnAlert({ '1h': w(75, 10_000), '5m': w(8, 1000), '6h': w(240, 60_000), '30m': w(7, 2000) }, '99.95');
    assert.deepEqual([alert.tier, ...alert.tiers.map((t) => t.fires)], ['page', true, true]);
  });

  test('no data in a window: null burn rate, nothing fires', () => {
    const alert = evaluateBurnAlert({}, '99.95');
    assert.equal(alert.tier, null);
    assert.deepEqual(alert.tiers[0]?.long, { window: '1h', burnRate: null, failures: 0, measurements: 0 });
  });

  test('a custom target moves the factor in failures: 99.9 %, 1 h 0.015 -> 15x, 5 m 0.016 -> 16x', () => {
    // 1 - 0.999 = 0.001; 150 / 10000 = 0.015 -> 15; 8 / 500 = 0.016 -> 16, 500 >= 348
    assert.equal(evaluateBurnAlert({ '1h': w(150, 10_000), '5m': w(8, 500) }, '99.9').tier, 'page');
  });
});
