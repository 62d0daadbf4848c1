/**
 * Timeslices: N = window / slice, budget = (1 - T) * (N - empty), allowed bad slices = floor(budget).
 * Hand-computed; the handbook's 99.95 % over 28 d of 1-minute slices first.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySlices, timesliceFigures, windowRange, windowSliceCount } from '../../../../src/sdk/objectives/engine';
import type { SliceSample } from '../../../../src/sdk/objectives/engine';
import { BudgetInputError } from '../../../../src/sdk/budget/budgetInputError';

const HANDBOOK = { target: '0.9995', windowMinutes: 40320, sliceMinutes: 1 };

describe("the handbook's example: 99.95 % over 28 d of 1-minute slices", () => {
  test('N = 40,320; budget 0.0005 * 40,320 = 20.16 slices (20.16 minutes); allowed floor(20.16) = 20', () => {
    assert.notEqual((1 - 0.9995) * 40320, 20.16, 'the float trap: 20.15999999999778');
    const f = timesliceFigures({ good: 40320, bad: 0, empty: 0 }, HANDBOOK);
    assert.equal(f.windowSlices, 40320);
    assert.equal(f.budgetSlices, 20.16);
    assert.equal(f.allowedBadSlices, 20);
    assert.equal(f.budgetMinutes, 20.16);
    assert.equal(f.sli, 1);
    assert.equal(f.slicesLeft, 20);
    assert.equal(f.remainingFraction, 1);
    assert.equal(f.status, 'healthy');
  });
  test('20 bad slices pass: 0 slices left, 0.16 minutes left (a float says 0.16000000000000014)', () => {
    // SLI = 40,300 / 40,320 = 0.99950396... >= 0.9995; fraction = 1 - 20 / 20.16 = 0.16 / 20.16 = 1/126
    const f = timesliceFigures({ good: 40300, bad: 20, empty: 0 }, HANDBOOK);
    assert.equal(f.status, 'healthy');
    assert.equal(f.slicesLeft, 0);
    assert.equal(f.badMinutes, 20);
    assert.equal(f.minutesLeft, 0.16);
    assert.equal(f.sli, 40300 / 40320);
    assert.ok(f.sli !== null && f.sli >= 0.9995);
    assert.equal(f.remainingFraction, 1 / 126);
  });
  test('21 bad slices fail: -1 slice, -0.84 minutes left', () => {
    // SLI = 40,299 / 40,320 = 0.99947916... < 0.9995; minutes left 20.16 - 21 = -0.84
    const f = timesliceFigures({ good: 40299, bad: 21, empty: 0 }, HANDBOOK);
    assert.equal(f.status, 'over_budget');
    assert.equal(f.slicesLeft, -1);
    assert.equal(f.minutesLeft, -0.84);
    assert.ok(f.sli !== null && f.sli < 0.9995);
  });
  test('5-minute slices: N = 8,064, budget 4.032 slices = 20.16 minutes, allowed 4', () => {
    const f = timesliceFigures({ good: 8060, bad: 4, empty: 0 }, { ...HANDBOOK, sliceMinutes: 5 });
    assert.equal(f.windowSlices, 8064);
    assert.equal(f.budgetSlices, 4.032);
    assert.equal(f.allowedBadSlices, 4);
    assert.equal(f.budgetMinutes, 20.16);
    assert.equal(f.badMinutes, 20);
    assert.equal(f.status, 'healthy');
  });
});

describe('empty slices are left out of N', () => {
  test('half the window empty: budget 0.0005 * 20,160 = 10.08, so 10 bad pass and 11 fail', () => {
    // counted = 40,320 - 20,160 = 20,160. Counting the empty slices as good would allow 20 bad and
    // read an idle service as up; left out, "bad <= allowed" and "SLI >= T" agree:
    // 10 bad: 20,150 / 20,160 = 0.999504 >= 0.9995; 11 bad: 20,149 / 20,160 = 0.999454 < 0.9995
    const ten = timesliceFigures({ good: 20150, bad: 10, empty: 20160 }, HANDBOOK);
    assert.equal(ten.countedSlices, 20160);
    assert.equal(ten.budgetSlices, 10.08);
    assert.equal(ten.allowedBadSlices, 10);
    assert.equal(ten.budgetMinutes, 10.08);
    assert.equal(ten.status, 'healthy');
    assert.ok(ten.sli !== null && ten.sli >= 0.9995);
    const eleven = timesliceFigures({ good: 20149, bad: 11, empty: 20160 }, HANDBOOK);
    assert.equal(eleven.status, 'over_budget');
    assert.ok(eleven.sli !== null && eleven.sli < 0.9995);
  });
  test('every slice empty is no data: SLI, left and fraction null, never 100 % nor 0 %', () => {
    const f = timesliceFigures({ good: 0, bad: 0, empty: 40320 }, HANDBOOK);
    assert.equal(f.status, 'no_data');
    assert.equal(f.sli, null);
    assert.equal(f.slicesLeft, null);
    assert.equal(f.minutesLeft, null);
    assert.equal(f.remainingFraction, null);
    assert.equal(f.countedSlices, 0);
    assert.equal(f.lowTraffic, false);
  });
  test('nothing reported at all is no data too', () => {
    const f = timesliceFigures([], { ...HANDBOOK, timeSliceTarget: '0.99' });
    assert.equal(f.status, 'no_data');
    assert.equal(f.unreportedSlices, 40320);
  });
});

describe('unreported slices stay in N (a calendar month in progress)', () => {
  test('February 2026 after 3 days: 4,320 good of 40,320 -> the whole month\'s 20 bad slices still allowed', () => {
    const feb = windowRange({ kind: 'calendar', unit: 'M', count: 1, startTime: '2026-01-01T00:00:00', timeZone: 'UTC', label: '1M' }, Date.UTC(2026, 1, 4));
    assert.equal(feb.minutes, 40320);
    assert.equal(feb.elapsedMinutes, 4320);
    const f = timesliceFigures({ good: 4320, bad: 0, empty: 0 }, { target: '0.9995', windowMinutes: feb.minutes, sliceMinutes: 1 });
    assert.equal(f.unreportedSlices, 36000);
    assert.equal(f.countedSlices, 40320);
    assert.equal(f.allowedBadSlices, 20);
  });
  test('more slices reported than the window holds: warned, the reported ones count', () => {
    const f = timesliceFigures({ good: 100, bad: 1, empty: 0 }, { target: '0.9', windowMinutes: 60, sliceMinutes: 1 });
    assert.equal(f.warnings[0]?.code, 'slices_exceed_window');
    assert.equal(f.countedSlices, 101);
    assert.equal(f.unreportedSlices, 0);
  });
});

describe('N slices of a calendar month differ: February vs March', () => {
  test('99.95 %, 1-minute slices: February 2026 allows 20 (20.16), March 22 (22.32)', () => {
    const month = (at: number) =>
      windowRange({ kind: 'calendar', unit: 'M', count: 1, startTime: '2026-01-01T00:00:00', timeZone: 'UTC', label: '1M' }, at).minutes;
    const feb = timesliceFigures({ good: 1, bad: 0, empty: 0 }, { target: '0.9995', windowMinutes: month(Date.UTC(2026, 1, 10)), sliceMinutes: 1 });
    const mar = timesliceFigures({ good: 1, bad: 0, empty: 0 }, { target: '0.9995', windowMinutes: month(Date.UTC(2026, 2, 10)), sliceMinutes: 1 });
    // February: 28 * 1,440 = 40,320 slices, 0.0005 * 40,320 = 20.16; March: 31 * 1,440 = 44,640, 22.32
    assert.equal(feb.windowSlices, 40320);
    assert.equal(feb.budgetSlices, 20.16);
    assert.equal(feb.allowedBadSlices, 20);
    assert.equal(mar.windowSlices, 44640);
    assert.equal(mar.budgetSlices, 22.32);
    assert.equal(mar.allowedBadSlices, 22);
  });
  test('a trailing part shorter than a slice is not a slice: 44,580 min / 7 = 6,368.57 -> 6,368', () => {
    assert.equal(windowSliceCount({ windowMinutes: 44580, sliceMinutes: 7 }), 6368);
  });
});

describe('classifying slice samples against timeSliceTarget', () => {
  test('good when the slice ratio is at least the target, compared exactly; no events or null is empty', () => {
    const samples: SliceSample[] = [
      { good: 995, total: 1000 }, // 0.995 >= 0.995: good
      { good: 994, total: 1000 }, // 0.994: bad
      { bad: 5, total: 1000 }, // 0.995: good
      { good: 0, total: 0 }, // empty
      null, // empty
      0.995, // good
      0.5, // bad
    ];
    const c = classifySlices(samples, '0.995');
    assert.deepEqual({ good: c.good, bad: c.bad, empty: c.empty }, { good: 3, bad: 2, empty: 2 });
  });
  test('OpenSLO low-traffic example: 1-minute slices at 95 %, 5 failures of 99 requests is a bad minute', () => {
    // 94 / 99 = 0.9494... < 0.95; 95 / 100 = 0.95 is good
    const c = classifySlices([{ bad: 5, total: 99 }, { bad: 5, total: 100 }], '0.95');
    assert.deepEqual({ good: c.good, bad: c.bad }, { good: 1, bad: 1 });
  });
  test('the OpenSLO week: 99.95 % of 10,080 minutes = 5.04 minutes (5 min 2.4 s), 5 bad minutes allowed', () => {
    const samples: SliceSample[] = [...Array<SliceSample>(10074).fill({ good: 100, total: 100 }), ...Array<SliceSample>(6).fill({ bad: 50, total: 100 })];
    const f = timesliceFigures(samples, { target: '0.9995', timeSliceTarget: '0.95', windowMinutes: 10080, sliceMinutes: 1 });
    assert.equal(f.budgetMinutes, 5.04);
    assert.equal(f.allowedBadSlices, 5);
    assert.equal(f.badSlices, 6);
    assert.equal(f.status, 'over_budget');
    assert.equal(f.minutesLeft, -0.96);
  });
  test('samples need a timeSliceTarget; ratios outside [0, 1] are clamped with a warning', () => {
    assert.throws(() => timesliceFigures([0.5], HANDBOOK), BudgetInputError);
    const c = classifySlices([1.5, -0.1], '0.9');
    assert.deepEqual({ good: c.good, bad: c.bad }, { good: 1, bad: 1 });
    assert.equal(c.warnings.length, 2);
    assert.throws(() => classifySlices([1], '0'), BudgetInputError);
    assert.equal(classifySlices([1], '1').good, 1, 'timeSliceTarget 1 is allowed: every event good');
  });
});

describe('low traffic: budget under one slice', () => {
  test('99.95 % over 1 d of 1-minute slices: 0.0005 * 1,440 = 0.72 -> allowed 0, low_traffic wins over over_budget', () => {
    const f = timesliceFigures({ good: 1439, bad: 1, empty: 0 }, { target: '0.9995', windowMinutes: 1440, sliceMinutes: 1 });
    assert.equal(f.budgetSlices, 0.72);
    assert.equal(f.allowedBadSlices, 0);
    assert.equal(f.lowTraffic, true);
    assert.equal(f.status, 'low_traffic');
    assert.equal(f.slicesLeft, -1);
  });
});

describe('bad input', () => {
  test('fractional or negative slice counts, zero-length slices are refused', () => {
    assert.throws(() => timesliceFigures({ good: 1.5, bad: 0, empty: 0 }, HANDBOOK), BudgetInputError);
    assert.throws(() => timesliceFigures({ good: 1, bad: -1, empty: 0 }, HANDBOOK), BudgetInputError);
    assert.throws(() => timesliceFigures({ good: 1, bad: 0, empty: 0 }, { ...HANDBOOK, sliceMinutes: 0 }), BudgetInputError);
  });
});
