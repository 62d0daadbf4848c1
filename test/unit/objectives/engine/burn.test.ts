/** Burn rates, time to exhaustion and multi-window burn-rate alerts. Hand-computed. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_BURN_ALERT_TIERS,
  MIN_BAD_EVENTS_TO_FIRE,
  burnAlertWindows,
  burnCountsOf,
  burnRate,
  evaluateBurnAlerts,
  maxBurnRate,
  minShortWindowEvents,
  occurrenceFigures,
  ratioTimesliceFigures,
  tierOfAlertCondition,
  timeToExhaustionMinutes,
  timesliceFigures,
} from '../../../../src/sdk/objectives/engine';
import type { BurnAlertTier, BurnWindowCounts, EventCounts } from '../../../../src/sdk/objectives/engine';
import { BudgetInputError } from '../../../../src/sdk/budget/budgetInputError';

describe('burn rate = (bad / total) / (1 - T)', () => {
  test('72 bad of 10,000 at 99.95 % -> exactly 14.4 (a float says 14.399999999999999)', () => {
    assert.notEqual(0.0072 / 0.0005, 14.4);
    assert.equal(burnRate({ bad: 72, total: 10000 }, '0.9995'), 14.4);
  });
  test('Gitpod starts at 99.8 %: 29 failures in the last hour of 1,000 starts -> 0.029 / 0.002 = 14.5', () => {
    assert.equal(burnRate({ good: 971, total: 1000 }, '0.998'), 14.5);
  });
  test('no events -> null; no bad -> 0; exactly on target -> 1', () => {
    assert.equal(burnRate({ bad: 0, total: 0 }, '0.999'), null);
    assert.equal(burnRate({ bad: 0, total: 10 }, '0.999'), 0);
    assert.equal(burnRate({ bad: 1, total: 1000 }, '0.999'), 1);
  });
  test('the most a window can burn is 1 / (1 - T): 0.9 -> 10, 0.999 -> 1000', () => {
    assert.equal(maxBurnRate('0.9'), 10);
    assert.equal(maxBurnRate('0.999'), 1000);
    assert.equal(burnRate({ bad: 50, total: 10 }, '0.9'), 10, 'bad clamped to total');
  });
});

describe('time to exhaustion', () => {
  test('R = 0.6, burn 2, 28 d -> 0.6 * 40,320 / 2 = 12,096 minutes (8.4 days)', () => {
    assert.equal(timeToExhaustionMinutes(0.6, 2, 40320), 12096);
  });
  test('Gitpod: 5 of 20 left (0.25) over 28 d, burning at 14.5 -> 0.25 * 40,320 / 14.5 = 695.17 minutes', () => {
    assert.equal(timeToExhaustionMinutes(0.25, 14.5, 40320), 10080 / 14.5);
  });
  test('nothing burning or no data -> null; budget gone -> 0', () => {
    assert.equal(timeToExhaustionMinutes(0.6, 0, 40320), null);
    assert.equal(timeToExhaustionMinutes(null, 2, 40320), null);
    assert.equal(timeToExhaustionMinutes(0.6, null, 40320), null);
    assert.equal(timeToExhaustionMinutes(-0.5, 2, 40320), 0);
  });
});

describe('burn counts of every budgeting method', () => {
  test('Occurrences: bad of total; Timeslices: bad slices of judged ones; RatioTimeslices: spent of judged', () => {
    assert.deepEqual(burnCountsOf(occurrenceFigures({ good: 9985, total: 10000 }, '0.998')), { bad: 15, total: 10000 });
    const ts = timesliceFigures({ good: 50, bad: 10, empty: 0 }, { target: '0.9', windowMinutes: 60, sliceMinutes: 1 });
    assert.deepEqual(burnCountsOf(ts), { bad: 10, total: 60 });
    // 10 bad of 60 minutes at 0.9: (10 / 60) / 0.1 = 1.666...
    assert.equal(burnRate(burnCountsOf(ts), '0.9'), 5 / 3);
    const rts = ratioTimesliceFigures([0.5, 1, null], { target: '0.9', windowMinutes: 3, sliceMinutes: 1 });
    assert.deepEqual(burnCountsOf(rts), { bad: 0.5, total: 2 });
  });
});

function windows(entries: Record<number, EventCounts>): BurnWindowCounts[] {
  return Object.entries(entries).map(([m, counts]) => ({ minutes: Number(m), counts }));
}

describe('multi-window alerts: default tiers 1h/5m above 14.4, 6h/30m above 6, 3d/6h above 1', () => {
  const QUIET = { bad: 0, total: 100000 };
  test('both windows of the 1 h tier above 14.4 fire; a calm short window keeps it quiet', () => {
    // 99.9 %: 1 h 150 bad of 10,000 -> 15; 5 m 20 of 1,000 -> 20; 6 h 300 of 60,000 -> 5 (< 6)
    const burning = windows({ 60: { bad: 150, total: 10000 }, 5: { bad: 20, total: 1000 }, 360: { bad: 300, total: 60000 }, 30: QUIET, 4320: QUIET });
    const [page, ticket, slow] = evaluateBurnAlerts(burning, { target: '0.999' });
    assert.equal(page?.state, 'firing');
    assert.equal(page?.firing, true);
    assert.equal(page?.longBurnRate, 15);
    assert.equal(page?.shortBurnRate, 20);
    assert.equal(page?.name, '1h/5m above 14.4x');
    assert.equal(ticket?.state, 'quiet');
    assert.equal(slow?.state, 'quiet');
    // the incident is over: 5 m 10 of 1,000 -> 10 < 14.4
    const over = windows({ 60: { bad: 150, total: 10000 }, 5: { bad: 10, total: 1000 }, 360: QUIET, 30: QUIET, 4320: QUIET });
    assert.equal(evaluateBurnAlerts(over, { target: '0.999' })[0]?.state, 'quiet');
  });
  test('a burn exactly on the factor (72 of 10,000 at 99.95 % is 14.4, compared exactly) does not fire with gt, fires with gte', () => {
    const w = windows({ 60: { bad: 72, total: 10000 }, 5: { bad: 72, total: 10000 }, 360: QUIET, 30: QUIET, 4320: QUIET });
    assert.equal(evaluateBurnAlerts(w, { target: '0.9995' })[0]?.state, 'quiet');
    const gte = DEFAULT_BURN_ALERT_TIERS.map((t) => ({ ...t, op: 'gte' as const }));
    const [page] = evaluateBurnAlerts(w, { target: '0.9995', tiers: gte });
    assert.equal(page?.state, 'firing');
    assert.equal(page?.name, '1h/5m at least 14.4x');
  });
  test('a window without events is no_data, not quiet', () => {
    const w = windows({ 60: { bad: 150, total: 10000 }, 5: { bad: 0, total: 0 }, 360: QUIET, 30: QUIET, 4320: QUIET });
    const [page] = evaluateBurnAlerts(w, { target: '0.999' });
    assert.equal(page?.state, 'no_data');
    assert.equal(page?.shortBurnRate, null);
  });
  test('a reachable window without counts is a caller error', () => {
    assert.throws(() => evaluateBurnAlerts(windows({ 60: QUIET }), { target: '0.999' }), BudgetInputError);
  });
});

describe('tiers that can never fire', () => {
  test('a 90 % target caps the burn at 10x: the 14.4x tier is unreachable, said why; 6x and 1x stay', () => {
    // every event bad in every window: 1 / 0.1 = 10 > 6 and > 1, never above 14.4
    const allBad = { bad: 100, total: 100 };
    const r = evaluateBurnAlerts(windows({ 30: allBad, 360: allBad, 4320: allBad }), { target: '0.9' });
    assert.equal(r[0]?.state, 'unreachable');
    assert.equal(r[0]?.firing, false);
    assert.equal(r[0]?.longBurnRate, null);
    assert.match(r[0]?.reason ?? '', /caps the burn rate at 10x.*above 14\.4x can never happen/);
    assert.equal(r[1]?.state, 'firing');
    assert.equal(r[2]?.state, 'firing');
    assert.equal(r[1]?.longBurnRate, 10);
  });
  test("burnAlertWindows asks only for the reachable tiers' windows", () => {
    assert.deepEqual(burnAlertWindows('0.9'), [30, 360, 4320]);
    assert.deepEqual(burnAlertWindows('0.999'), [5, 30, 60, 360, 4320]);
  });
  test('a factor equal to the cap: unreachable above it (gt), reachable at it (gte, every event bad)', () => {
    const w = windows({ 60: { bad: 20, total: 20 } });
    assert.equal(evaluateBurnAlerts(w, { target: '0.9', tiers: [{ longWindowMinutes: 60, factor: 10 }] })[0]?.state, 'unreachable');
    assert.equal(evaluateBurnAlerts(w, { target: '0.9', tiers: [{ longWindowMinutes: 60, factor: 10, op: 'gte' }] })[0]?.state, 'firing');
  });
});

describe('the low-traffic guard: the short window needs ceil(5 / (factor * (1 - T))) events', () => {
  test('the numbers: 99.95 % at 14.4 -> 695, at 6 -> 1,667; 99.9 % at 14.4 -> 348; at 1 -> 5,000; 90 % at 6 -> 9', () => {
    // 5 / 0.0072 = 694.4; 5 / 0.003 = 1,666.7; 5 / 0.0144 = 347.2; 5 / 0.001 = 5,000; 5 / 0.6 = 8.3
    assert.equal(MIN_BAD_EVENTS_TO_FIRE, 5);
    assert.equal(minShortWindowEvents('0.9995', '14.4'), 695);
    assert.equal(minShortWindowEvents('0.9995', '6'), 1667);
    assert.equal(minShortWindowEvents('0.999', '14.4'), 348);
    assert.equal(minShortWindowEvents('0.999', '1'), 5000);
    assert.equal(minShortWindowEvents('0.9', '6'), 9);
  });
  test('99.9 %: 6 bad of 347 would burn 17.3x: low_traffic, no page; of 348 it fires; 5 of 348 (14.37x) stays quiet', () => {
    const long = { bad: 150, total: 10000 }; // 15x
    const rest = { 360: { bad: 0, total: 1 }, 30: { bad: 0, total: 1 }, 4320: { bad: 0, total: 1 } };
    const guarded = evaluateBurnAlerts(windows({ 60: long, 5: { bad: 6, total: 347 }, ...rest }), { target: '0.999' })[0];
    assert.equal(guarded?.state, 'low_traffic');
    assert.equal(guarded?.firing, false);
    assert.ok((guarded?.shortBurnRate ?? 0) > 14.4, 'the rate alone would have fired');
    assert.equal(guarded?.guardedWindowEvents, 347);
    assert.equal(guarded?.minShortWindowEvents, 348);
    assert.equal(evaluateBurnAlerts(windows({ 60: long, 5: { bad: 6, total: 348 }, ...rest }), { target: '0.999' })[0]?.state, 'firing');
    assert.equal(evaluateBurnAlerts(windows({ 60: long, 5: { bad: 5, total: 348 }, ...rest }), { target: '0.999' })[0]?.state, 'quiet');
  });
  test('a handful of events never pages: 3 of 3 bad at 90 % with a 6x tier', () => {
    const r = evaluateBurnAlerts(windows({ 360: { bad: 3, total: 3 }, 30: { bad: 3, total: 3 }, 4320: { bad: 3, total: 3 } }), { target: '0.9' });
    assert.equal(r[1]?.state, 'low_traffic');
  });
  test('minShortWindowEvents replaces the rule (0: no guard)', () => {
    const w = windows({ 60: { bad: 150, total: 10000 }, 5: { bad: 6, total: 347 }, 360: { bad: 0, total: 1 }, 30: { bad: 0, total: 1 }, 4320: { bad: 0, total: 1 } });
    assert.equal(evaluateBurnAlerts(w, { target: '0.999', minShortWindowEvents: 0 })[0]?.state, 'firing');
  });
});

describe("an objective's own alert conditions", () => {
  test('a list of {longWindowMinutes, shortWindowMinutes, factor}; a single-window condition guards its one window', () => {
    const tiers = [
      { longWindowMinutes: 120, shortWindowMinutes: 10, factor: '3', name: 'page' },
      { longWindowMinutes: 1440, factor: 2 },
    ];
    assert.deepEqual(burnAlertWindows('0.99', tiers), [10, 120, 1440]);
    // 0.99: 2 h 60 of 1,000 -> 6; 10 m 20 of 400 -> 5 (guard: 5 / 0.03 = 166.7 -> 167 events); 1 d 150 of 10,000 -> 1.5
    const r = evaluateBurnAlerts(windows({ 120: { bad: 60, total: 1000 }, 10: { bad: 20, total: 400 }, 1440: { bad: 150, total: 10000 } }), { target: '0.99', tiers });
    assert.equal(r[0]?.name, 'page');
    assert.equal(r[0]?.state, 'firing');
    assert.equal(r[1]?.name, '1d above 2x');
    assert.equal(r[1]?.state, 'quiet');
    assert.equal(r[1]?.shortBurnRate, null);
    assert.equal(r[1]?.guardedWindowEvents, 10000);
  });
  test('an OpenSLO burnrate AlertCondition is a single-window tier with its op; lt / lte are not guarded', () => {
    const tier = tierOfAlertCondition({ condition: 'cpu-usage-breach', op: 'lte', threshold: '2', lookbackWindowMinutes: 60 });
    assert.deepEqual(tier, { longWindowMinutes: 60, factor: '2', op: 'lte', name: 'cpu-usage-breach' });
    // the OpenSLO example: alert when the 1 h burn rate is at most 2; 1 bad of 100 at 0.99 burns 1
    const [r] = evaluateBurnAlerts(windows({ 60: { bad: 1, total: 100 } }), { target: '0.99', tiers: [tier] });
    assert.equal(r?.state, 'firing');
    assert.equal(r?.minShortWindowEvents, 0);
  });
  test('the default tiers are frozen; factors must be positive numbers and ops known', () => {
    assert.ok(Object.isFrozen(DEFAULT_BURN_ALERT_TIERS));
    assert.throws(() => evaluateBurnAlerts([], { target: '0.9', tiers: [{ longWindowMinutes: 60, factor: 0 }] }), BudgetInputError);
    assert.throws(() => evaluateBurnAlerts([], { target: '0.9', tiers: [{ longWindowMinutes: 60, factor: 'fast' }] }), BudgetInputError);
    const badOp = { longWindowMinutes: 60, factor: 2, op: 'eq' } as unknown as BurnAlertTier;
    assert.throws(() => evaluateBurnAlerts([], { target: '0.9', tiers: [badOp] }), BudgetInputError);
  });
});
