/** Where a window sits in time: rolling and calendar windows, across DST and month lengths. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { instantOfLocalTime, windowMinutesAt, windowRange, windowSliceCount } from '../../../../src/sdk/objectives/engine';
import type { ObjectiveWindow } from '../../../../src/sdk/objectives/spec';
import { BudgetInputError } from '../../../../src/sdk/budget/budgetInputError';

const utc = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h, min);
const iso = (ms: number): string => new Date(ms).toISOString();

function calendar(unit: 'd' | 'w' | 'M' | 'Q' | 'Y', startTime: string, timeZone: string, count = 1): ObjectiveWindow {
  return { kind: 'calendar', unit, count, startTime, timeZone, label: `${count}${unit}` };
}

describe('rolling windows', () => {
  test('28d ending now: [at - 40,320 min, at)', () => {
    const at = utc(2026, 3, 10, 12);
    const r = windowRange({ kind: 'rolling', minutes: 40320, label: '28d' }, at);
    assert.equal(iso(r.start), '2026-02-10T12:00:00.000Z');
    assert.equal(r.end, at);
    assert.equal(r.minutes, 40320);
    assert.equal(r.elapsedMinutes, 40320);
    assert.equal(windowMinutesAt({ kind: 'rolling', minutes: 40320, label: '28d' }, at), 40320);
  });
});

describe('calendar months: lengths differ', () => {
  const MONTH_UTC = calendar('M', '2026-01-01T00:00:00', 'UTC');
  test('February 2026: [Feb 1, Mar 1), 28 * 1,440 = 40,320 min; March: 31 * 1,440 = 44,640', () => {
    const feb = windowRange(MONTH_UTC, utc(2026, 2, 15, 8));
    assert.equal(iso(feb.start), '2026-02-01T00:00:00.000Z');
    assert.equal(iso(feb.end), '2026-03-01T00:00:00.000Z');
    assert.equal(feb.minutes, 40320);
    // Feb 15 08:00 is 14 days 8 h in: 14 * 1,440 + 480 = 20,640
    assert.equal(feb.elapsedMinutes, 20640);
    assert.equal(windowRange(MONTH_UTC, utc(2026, 3, 10)).minutes, 44640);
  });
  test('a leap February: 2028 has 29 * 1,440 = 41,760 min', () => {
    assert.equal(windowRange(MONTH_UTC, utc(2028, 2, 29, 23, 59)).minutes, 41760);
  });
  test('the start is inclusive, the end exclusive', () => {
    assert.equal(iso(windowRange(MONTH_UTC, utc(2026, 3, 1)).start), '2026-03-01T00:00:00.000Z');
    assert.equal(iso(windowRange(MONTH_UTC, utc(2026, 3, 1) - 1).start), '2026-02-01T00:00:00.000Z');
  });
  test('before startTime the calendar runs backwards: December 2025 from a January 2026 start', () => {
    const r = windowRange(MONTH_UTC, utc(2025, 12, 15));
    assert.equal(iso(r.start), '2025-12-01T00:00:00.000Z');
    assert.equal(iso(r.end), '2026-01-01T00:00:00.000Z');
  });
  test('a start on the 31st: the month\'s last day where it has none (Jan 31 -> Feb 28 -> Mar 31)', () => {
    const r = windowRange(calendar('M', '2026-01-31T00:00:00', 'UTC'), utc(2026, 3, 15));
    assert.equal(iso(r.start), '2026-02-28T00:00:00.000Z');
    assert.equal(iso(r.end), '2026-03-31T00:00:00.000Z');
    // 31 days: 44,640
    assert.equal(r.minutes, 44640);
  });
});

describe('calendar windows across DST (Intl time zones)', () => {
  test('March 2026 in Europe/Berlin loses an hour: 44,640 - 60 = 44,580 min; October gains one: 44,700', () => {
    const month = calendar('M', '2026-01-01 00:00:00', 'Europe/Berlin');
    const mar = windowRange(month, utc(2026, 3, 15));
    // March 1 00:00 CET = Feb 28 23:00Z; April 1 00:00 CEST = March 31 22:00Z
    assert.equal(iso(mar.start), '2026-02-28T23:00:00.000Z');
    assert.equal(iso(mar.end), '2026-03-31T22:00:00.000Z');
    assert.equal(mar.minutes, 44580);
    assert.equal(windowRange(month, utc(2026, 10, 15)).minutes, 44700);
    // N of 1-minute slices differs with it; 1-hour slices: 743 vs 745
    assert.equal(windowSliceCount({ windowMinutes: mar.minutes, sliceMinutes: 60 }), 743);
  });
  test('a calendar day on the spring-forward Sunday is 23 h (1,380 min), on the fall-back Sunday 25 h (1,500 min)', () => {
    const day = calendar('d', '2026-01-01T00:00:00', 'Europe/Berlin');
    const spring = windowRange(day, utc(2026, 3, 29, 12));
    assert.equal(iso(spring.start), '2026-03-28T23:00:00.000Z');
    assert.equal(spring.minutes, 1380);
    assert.equal(windowRange(day, utc(2026, 10, 25, 12)).minutes, 1500);
    assert.equal(windowRange(day, utc(2026, 10, 26, 12)).minutes, 1440);
  });
  test('the OpenSLO example: 1M from 2022-01-01 12:00:00 in America/New_York', () => {
    // at 2026-03-08 20:00Z (after the 2 a.m. change): the period is March 1 12:00 EST (17:00Z) to April 1 12:00 EDT (16:00Z)
    const r = windowRange(calendar('M', '2022-01-01T12:00:00', 'America/New_York'), utc(2026, 3, 8, 20));
    assert.equal(iso(r.start), '2026-03-01T17:00:00.000Z');
    assert.equal(iso(r.end), '2026-04-01T16:00:00.000Z');
    assert.equal(r.minutes, 44580);
    // March 1 at 16:59Z is still February's period (11:59 EST)
    assert.equal(iso(windowRange(calendar('M', '2022-01-01T12:00:00', 'America/New_York'), utc(2026, 3, 1, 16, 59)).start), '2026-02-01T17:00:00.000Z');
  });
  test('a local time in the spring gap moves forward (02:30 -> 03:30 CEST); one that occurs twice takes the earlier', () => {
    const gap = instantOfLocalTime({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin');
    assert.equal(iso(gap), '2026-03-29T01:30:00.000Z');
    const twice = instantOfLocalTime({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin');
    assert.equal(iso(twice), '2026-10-25T00:30:00.000Z');
  });
  test('a zone east of UTC: Asia/Tokyo months start at 15:00Z the day before', () => {
    const r = windowRange(calendar('M', '2026-01-01T00:00:00', 'Asia/Tokyo'), utc(2026, 2, 28, 16));
    // Feb 28 16:00Z is March 1 01:00 in Tokyo
    assert.equal(iso(r.start), '2026-02-28T15:00:00.000Z');
    assert.equal(r.minutes, 44640);
  });
});

describe('weeks, quarters, years', () => {
  test('1w from Monday 2026-01-05: Wednesday March 11 is in [Mon March 9, Mon March 16)', () => {
    const r = windowRange(calendar('w', '2026-01-05T00:00:00', 'UTC'), utc(2026, 3, 11, 9));
    assert.equal(iso(r.start), '2026-03-09T00:00:00.000Z');
    assert.equal(iso(r.end), '2026-03-16T00:00:00.000Z');
    assert.equal(r.minutes, 10080);
  });
  test('1Q from January: May 5 is in [April 1, July 1), 91 days = 131,040 min', () => {
    const r = windowRange(calendar('Q', '2026-01-01T00:00:00', 'UTC'), utc(2026, 5, 5));
    assert.equal(iso(r.start), '2026-04-01T00:00:00.000Z');
    assert.equal(iso(r.end), '2026-07-01T00:00:00.000Z');
    assert.equal(r.minutes, 131040);
  });
  test('2M and 1Y: periods of two months, a leap year of 366 days', () => {
    const two = windowRange(calendar('M', '2026-01-01T00:00:00', 'UTC', 2), utc(2026, 4, 30));
    assert.equal(iso(two.start), '2026-03-01T00:00:00.000Z');
    assert.equal(iso(two.end), '2026-05-01T00:00:00.000Z');
    assert.equal(windowRange(calendar('Y', '2026-01-01T00:00:00', 'UTC'), utc(2028, 7, 1)).minutes, 366 * 1440);
  });
});

describe('bad windows', () => {
  test('an unknown zone, an impossible startTime, a time outside 1970-2100', () => {
    assert.throws(() => windowRange(calendar('M', '2026-01-01T00:00:00', 'Mars/Olympus'), utc(2026, 3, 1)), BudgetInputError);
    assert.throws(() => windowRange(calendar('M', '2026-02-30T00:00:00', 'UTC'), utc(2026, 3, 1)), BudgetInputError);
    assert.throws(() => windowRange(calendar('M', 'yesterday', 'UTC'), utc(2026, 3, 1)), BudgetInputError);
    assert.throws(() => windowRange(calendar('M', '2026-01-01T00:00:00', 'UTC'), Date.UTC(2200, 0, 1)), BudgetInputError);
    assert.throws(() => windowRange(calendar('M', '2026-01-01T00:00:00', 'UTC', 0), utc(2026, 3, 1)), BudgetInputError);
  });
});
