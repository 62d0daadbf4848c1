import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWindowStart, parseAtParam, parseLimitParam, parseMonthParam, parseWindowParam } from '../../../src/sdk/service/queryParams';
import { InvalidQueryError } from '../../../src/sdk/contract/serviceErrors';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (InvalidQueryError.is(e)) return e.field;
    throw e;
  }
  return undefined;
}

describe('query parameters', () => {
  test('windows: 28d = 40320 min (domain.md F3), 7d = 10080, 6h = 360; default 28d', () => {
    assert.deepEqual(parseWindowParam('28d'), { label: '28d', minutes: 40320 });
    assert.deepEqual(parseWindowParam('7d'), { label: '7d', minutes: 10080 });
    assert.deepEqual(parseWindowParam('6h'), { label: '6h', minutes: 360 });
    assert.deepEqual(parseWindowParam(undefined), { label: '28d', minutes: 40320 });
    assert.deepEqual(parseWindowParam('366d'), { label: '366d', minutes: 366 * 1440 });
  });

  test('bad windows name the field', () => {
    for (const bad of ['', '28', 'd', '0d', '028d', '1.5d', '28D', '30m', '2w', '367d', '-1d', '28d ']) {
      assert.equal(fieldOf(() => parseWindowParam(bad)), 'window', bad);
    }
  });

  test('at: unix seconds and RFC 3339 give the same instant', () => {
    // 1793232000 = 2026-10-29T00:00:00Z (20755 days * 86400)
    assert.equal(parseAtParam('1793232000').toISOString(), '2026-10-29T00:00:00.000Z');
    assert.equal(parseAtParam('2026-10-29T00:00:00Z').toISOString(), '2026-10-29T00:00:00.000Z');
    assert.equal(parseAtParam('2026-10-29T02:00:00+02:00').toISOString(), '2026-10-29T00:00:00.000Z');
    assert.equal(parseAtParam('1793232000.5').getTime(), 1793232000500);
  });

  test('bad at values name the field', () => {
    for (const bad of ['yesterday', '2026-10-29', '2026-10-29T00:00:00', '2026-13-01T00:00:00Z', '-5', '']) {
      assert.equal(fieldOf(() => parseAtParam(bad)), 'at', bad);
    }
  });

  test('limit: default 10, 1..1000', () => {
    assert.equal(parseLimitParam(undefined), 10);
    assert.equal(parseLimitParam('1'), 1);
    assert.equal(parseLimitParam('1000'), 1000);
    for (const bad of ['0', '1001', '-1', '2.5', 'ten', '']) assert.equal(fieldOf(() => parseLimitParam(bad)), 'limit', bad);
  });

  test('month: the UTC calendar month; October 2026 has 31 days = 44640 min', () => {
    const m = parseMonthParam('2026-10');
    assert.equal(m.start.toISOString(), '2026-10-01T00:00:00.000Z');
    assert.equal(m.end.toISOString(), '2026-11-01T00:00:00.000Z');
    assert.deepEqual(m.window, { label: '31d', minutes: 44640 });
    // February 2028 is a leap month: 29 * 1440 = 41760
    assert.equal(parseMonthParam('2028-02').window.minutes, 41760);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-10', '2026/10']) assert.equal(fieldOf(() => parseMonthParam(bad)), 'month', bad);
  });

  describe('strict dates (issue 12 items 5-7): dates that exist, years 1970-2100', () => {
    function messageOf(fn: () => unknown): string {
      try {
        fn();
      } catch (e) {
        if (InvalidQueryError.is(e)) return e.message;
        throw e;
      }
      return 'no error';
    }

    test('at=2026-02-30T00:00:00Z is refused, not rolled over to 03-02', () => {
      assert.equal(messageOf(() => parseAtParam('2026-02-30T00:00:00Z')), "at: '2026-02-30T00:00:00Z': February 2026 has 28 days, not 30");
      assert.equal(messageOf(() => parseAtParam('2026-02-30T00:00:00Z', '--at')), "--at: '2026-02-30T00:00:00Z': February 2026 has 28 days, not 30");
      assert.equal(messageOf(() => parseAtParam('2026-13-01T00:00:00Z')), "at: '2026-13-01T00:00:00Z': month 13 does not exist");
      // 24:00 would be the next day's 00:00 for Date.parse.
      assert.match(messageOf(() => parseAtParam('2026-10-29T24:00:00Z')), /^at: '2026-10-29T24:00:00Z' is not a valid time of day/);
    });

    test('at: years outside 1970-2100 are refused; 2100-12-31 is accepted', () => {
      assert.equal(messageOf(() => parseAtParam('9999-01-01T00:00:00Z')), "at: '9999-01-01T00:00:00Z': year 9999 is outside 1970-2100");
      assert.equal(messageOf(() => parseAtParam('1969-12-31T23:59:59Z')), "at: '1969-12-31T23:59:59Z': year 1969 is outside 1970-2100");
      assert.equal(messageOf(() => parseAtParam('2101-01-01T00:00:00Z')), "at: '2101-01-01T00:00:00Z': year 2101 is outside 1970-2100");
      assert.equal(parseAtParam('2100-12-31T23:59:59Z').toISOString(), '2100-12-31T23:59:59.000Z');
      // Unix seconds too: 4133980800 = 2101-01-01T00:00:00Z (Date.UTC(2101, 0, 1) / 1000), the first refused second.
      assert.equal(messageOf(() => parseAtParam('4133980800')), "at: '4133980800': year 2101 is outside 1970-2100");
      assert.equal(parseAtParam('4133980799').toISOString(), '2100-12-31T23:59:59.000Z');
      // The offset moves it past the end: 2100-12-31T23:30-01:00 = 2101-01-01T00:30Z.
      assert.match(messageOf(() => parseAtParam('2100-12-31T23:30:00-01:00')), /year 2101 is outside 1970-2100/);
    });

    test('month=0026-04 is refused, not read as 1926-04 (Date.UTC maps years 0-99 to 1900-1999)', () => {
      assert.equal(messageOf(() => parseMonthParam('0026-04')), "month: '0026-04': year 0026 is outside 1970-2100");
      assert.equal(messageOf(() => parseMonthParam('1969-12')), "month: '1969-12': year 1969 is outside 1970-2100");
      assert.equal(messageOf(() => parseMonthParam('2101-01')), "month: '2101-01': year 2101 is outside 1970-2100");
      assert.equal(messageOf(() => parseMonthParam('2026-13')), "month: '2026-13': month 13 does not exist");
      // December 2100: 31 * 1440 = 44640 min, ending 2101-01-01.
      const dec = parseMonthParam('2100-12');
      assert.equal(dec.end.toISOString(), '2101-01-01T00:00:00.000Z');
      assert.equal(dec.window.minutes, 44640);
      assert.equal(parseMonthParam('1970-01').start.toISOString(), '1970-01-01T00:00:00.000Z');
    });

    test('window: a window starting before 1970 is refused, naming the window', () => {
      // 28d before 1970-01-05 is 1969-12-08.
      assert.equal(
        messageOf(() => checkWindowStart({ label: '28d', minutes: 40320 }, new Date('1970-01-05T00:00:00Z'))),
        'window: the 28d window ending at 1970-01-05T00:00:00.000Z would start at 1969-12-08T00:00:00.000Z: year 1969 is outside 1970-2100',
      );
      // 4d before 1970-01-05 is 1970-01-01T00:00Z exactly: accepted.
      checkWindowStart({ label: '4d', minutes: 5760 }, new Date('1970-01-05T00:00:00Z'));
    });
  });
});
