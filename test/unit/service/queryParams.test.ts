import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAtParam, parseLimitParam, parseMonthParam, parseWindowParam } from '../../../src/sdk/service/queryParams';
import { InvalidQueryError } from '../../../src/sdk/service/serviceErrors';

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
});
