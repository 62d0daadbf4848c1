/** RatioTimeslices: the SLI is the mean of the slice ratios (OpenSLO v1); budget and spend in slice-equivalents. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { occurrenceFigures, ratioTimesliceFigures, timesliceFigures } from '../../../../src/sdk/objectives/engine';
import type { SliceSample } from '../../../../src/sdk/objectives/engine';

describe('the mean of slice ratios', () => {
  const FOUR: SliceSample[] = [
    { good: 9, total: 10 }, // 0.9
    { good: 10000, total: 10000 }, // 1
    { good: 1, total: 1 }, // 1
    { good: 99, total: 100 }, // 0.99
  ];
  test('4 one-minute slices at 0.9, 1, 1, 0.99: SLI (0.9 + 1 + 1 + 0.99) / 4 = 0.9725', () => {
    // target 0.9 over 4 minutes: budget 0.1 * 4 = 0.4 (a float says 0.3999999999999999);
    // spent 0.1 + 0 + 0 + 0.01 = 0.11; left 0.29; fraction 1 - 0.11 / 0.4 = 0.725
    const f = ratioTimesliceFigures(FOUR, { target: '0.9', windowMinutes: 4, sliceMinutes: 1 });
    assert.equal(f.sli, 0.9725);
    assert.equal(f.budgetSlices, 0.4);
    assert.equal(f.spentSlices, 0.11);
    assert.equal(f.slicesLeft, 0.29);
    assert.equal(f.minutesLeft, 0.29);
    assert.equal(f.remainingFraction, 0.725);
    assert.equal(f.status, 'low_traffic', 'a budget of 0.4 slice: one fully bad slice breaks it');
  });
  test('differs from Occurrences (all events: 10,109 / 10,111) and from Timeslices (good slices: 3 / 4 at 0.95)', () => {
    const occ = occurrenceFigures({ good: 10109, total: 10111 }, '0.9');
    assert.equal(occ.sli, 10109 / 10111);
    const ts = timesliceFigures(FOUR, { target: '0.9', timeSliceTarget: '0.95', windowMinutes: 4, sliceMinutes: 1 });
    assert.equal(ts.sli, 0.75);
  });
  test('ratios with no finite decimal (1/3) are summed at 40 digits and rounded once', () => {
    // three slices at 1/3: SLI 1/3, spent 3 * 2/3 = 2
    const f = ratioTimesliceFigures([{ good: 1, total: 3 }, { good: 1, total: 3 }, { good: 1, total: 3 }], { target: '0.5', windowMinutes: 3, sliceMinutes: 1 });
    assert.equal(f.sli, 1 / 3);
    assert.equal(f.spentSlices, 2);
    // budget 0.5 * 3 = 1.5; left -0.5 -> over budget
    assert.equal(f.slicesLeft, -0.5);
    assert.equal(f.status, 'over_budget');
  });
});

describe('28 d of 1-minute slices at 99.95 %', () => {
  const slices = (halfBad: number): SliceSample[] => [...Array<SliceSample>(40320 - halfBad).fill(1), ...Array<SliceSample>(halfBad).fill({ bad: 1, total: 2 })];
  test('40 slices at 0.5 spend 20 of 20.16: healthy, 0.16 left; SLI 1 - 20 / 40,320', () => {
    const f = ratioTimesliceFigures(slices(40), { target: '0.9995', windowMinutes: 40320, sliceMinutes: 1 });
    assert.equal(f.budgetSlices, 20.16);
    assert.equal(f.budgetMinutes, 20.16);
    assert.equal(f.spentSlices, 20);
    assert.equal(f.minutesLeft, 0.16);
    assert.equal(f.sli, 40300 / 40320);
    assert.equal(f.status, 'healthy');
  });
  test('41 slices at 0.5 spend 20.5: over budget by 0.34', () => {
    const f = ratioTimesliceFigures(slices(41), { target: '0.9995', windowMinutes: 40320, sliceMinutes: 1 });
    assert.equal(f.slicesLeft, -0.34);
    assert.equal(f.status, 'over_budget');
  });
});

describe('empty slices and no data', () => {
  test('an empty slice is out of the mean and of N', () => {
    // window 5 slices, one empty: counted 4; budget 0.1 * 4 = 0.4; the mean over the 4 others
    const f = ratioTimesliceFigures([0.9, 1, 1, 0.99, { good: 0, total: 0 }], { target: '0.9', windowMinutes: 5, sliceMinutes: 1 });
    assert.equal(f.emptySlices, 1);
    assert.equal(f.judgedSlices, 4);
    assert.equal(f.countedSlices, 4);
    assert.equal(f.budgetSlices, 0.4);
    assert.equal(f.sli, 0.9725);
  });
  test('no slice with data: every figure null, status no_data', () => {
    const f = ratioTimesliceFigures([null, { good: 0, total: 0 }], { target: '0.99', windowMinutes: 60, sliceMinutes: 1 });
    assert.equal(f.status, 'no_data');
    assert.equal(f.sli, null);
    assert.equal(f.slicesLeft, null);
    assert.equal(f.minutesLeft, null);
    assert.equal(f.remainingFraction, null);
    assert.equal(f.lowTraffic, false);
  });
});
