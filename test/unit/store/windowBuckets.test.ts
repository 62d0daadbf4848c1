import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { epochDayToDate, windowBuckets } from '../../../src/sdk/store/windowBuckets';

const H = 3_600_000;
// 2024-03-05T00:00Z = 1709596800000 ms = epoch hour 474888 = epoch day 19787.
const MIDNIGHT = Date.UTC(2024, 2, 5);
const DAY = 19787;

describe('windowBuckets', () => {
  test('28 d ending at midnight: 672 hours, 28 whole days, no hourly edges', () => {
    const b = windowBuckets({ label: '28d', minutes: 40320 }, new Date(MIDNIGHT));
    assert.equal(b.endHour - b.firstHour, 672);
    assert.equal(b.endHour, 474888);
    assert.deepEqual([b.firstDay, b.endDay], [DAY - 28, DAY]);
    assert.equal(b.headEnd - b.headStart, 0);
    assert.equal(b.tailEnd - b.tailStart, 0);
    assert.equal(b.calendarDays.length, 28);
    assert.equal(epochDayToDate(b.calendarDays[0] as number), '2024-02-06');
    assert.equal(epochDayToDate(b.calendarDays[27] as number), '2024-03-04');
  });

  test('an hour bucket is in the window iff its start is in [at - window, at)', () => {
    // 1 h window ending 10:30 starts at 09:30: the 09:00 bucket starts before it (out), the
    // 10:00 bucket starts inside it (in).
    const b = windowBuckets({ label: '1h', minutes: 60 }, new Date(MIDNIGHT + 10.5 * H));
    assert.deepEqual([b.firstHour, b.endHour], [474888 + 10, 474888 + 11]);
    // at exactly 10:00: the 10:00 bucket starts at at, so it is out; 09:00 is in.
    const c = windowBuckets({ label: '1h', minutes: 60 }, new Date(MIDNIGHT + 10 * H));
    assert.deepEqual([c.firstHour, c.endHour], [474888 + 9, 474888 + 10]);
  });

  test('ragged 28 d window: whole days from the daily rollup, edges hourly, every hour once', () => {
    const at = new Date(MIDNIGHT + 10.5 * H); // 2024-03-05T10:30Z
    const b = windowBuckets({ label: '28d', minutes: 40320 }, at);
    // hours [2024-02-06T11:00, 2024-03-05T11:00) = 672 buckets.
    assert.equal(b.endHour - b.firstHour, 672);
    // head: 02-06 11:00..24:00 (13 h), days 02-07..03-04 (27 d), tail: 03-05 00:00..11:00 (11 h).
    assert.equal(b.headEnd - b.headStart, 13);
    assert.equal(b.endDay - b.firstDay, 27);
    assert.equal(b.tailEnd - b.tailStart, 11);
    assert.equal(13 + 27 * 24 + 11, 672);
    assert.equal(b.headEnd, b.firstDay * 24);
    assert.equal(b.tailStart, b.endDay * 24);
    // Calendar days 02-06 .. 03-05: 29 days.
    assert.equal(b.calendarDays.length, 29);
    assert.equal(epochDayToDate(b.calendarDays[28] as number), '2024-03-05');
  });

  test('windows under an hour are read as an hour, the finest granularity (F16 short windows)', () => {
    // 5 m and 30 m ending 10:30 read the buckets of 1 h ending 10:30: the 10:00 bucket.
    for (const w of [{ label: '5m', minutes: 5 }, { label: '30m', minutes: 30 }]) {
      const b = windowBuckets(w, new Date(MIDNIGHT + 10.5 * H));
      assert.deepEqual([b.firstHour, b.endHour, b.startMs], [474888 + 10, 474888 + 11, MIDNIGHT + 9.5 * H], w.label);
    }
    // Strictly, 5 m ending 10:30 ([10:25, 10:30)) holds no bucket start at all.
    const onTheHour = windowBuckets({ label: '5m', minutes: 5 }, new Date(MIDNIGHT + 10 * H));
    assert.deepEqual([onTheHour.firstHour, onTheHour.endHour], [474888 + 9, 474888 + 10]);
  });

  test('window shorter than a day: hourly only', () => {
    const b = windowBuckets({ label: '6h', minutes: 360 }, new Date(MIDNIGHT + 3 * H));
    assert.equal(b.endDay - b.firstDay, 0);
    assert.deepEqual([b.headStart, b.headEnd], [474888 - 3, 474888 + 3]);
    assert.equal(b.tailEnd - b.tailStart, 0);
    assert.deepEqual(b.calendarDays.map(epochDayToDate), ['2024-03-04', '2024-03-05']);
  });

  test('bad inputs are RangeErrors', () => {
    assert.throws(() => windowBuckets({ label: 'x', minutes: 0 }, new Date(MIDNIGHT)), RangeError);
    assert.throws(() => windowBuckets({ label: '28d', minutes: 40320 }, new Date(NaN)), RangeError);
  });
});
