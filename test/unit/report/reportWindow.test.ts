/** Month windows of the report: calendar month (default) and GitLab's rolling 28 days. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monthWindow, parseMonth, previousMonthOf, reportWindow, rollingReportWindow } from '../../../src/sdk/report/reportWindow';
import { BudgetInputError } from '../../../src/sdk/budget/budgetInputError';

test("monthWindow('2026-10'): calendar month in UTC, 31 d = 44640 min", () => {
  assert.deepEqual(monthWindow('2026-10'), {
    month: '2026-10',
    mode: 'calendar',
    start: '2026-10-01T00:00:00.000Z',
    end: '2026-11-01T00:00:00.000Z',
    minutes: 44640,
    window: { label: '31d', minutes: 44640 },
  });
});

test('February: 28 d, and 29 d in a leap year; December ends in the next year', () => {
  assert.equal(monthWindow('2026-02').minutes, 28 * 1440);
  assert.equal(monthWindow('2028-02').minutes, 29 * 1440);
  assert.equal(monthWindow('2026-12').end, '2027-01-01T00:00:00.000Z');
});

test('rolling: 28 days ending on the 4th of the following month, or on a given report date', () => {
  const w = rollingReportWindow('2026-10');
  assert.equal(w.start, '2026-10-07T00:00:00.000Z');
  assert.equal(w.end, '2026-11-04T00:00:00.000Z');
  assert.deepEqual(w.window, { label: '28d', minutes: 40320 });
  assert.equal(rollingReportWindow('2026-10', '2026-11-02').start, '2026-10-05T00:00:00.000Z');
  assert.equal(reportWindow('2026-10', 'rolling').end, '2026-11-04T00:00:00.000Z');
  assert.equal(reportWindow('2026-10').mode, 'calendar');
});

test('previous months cross year boundaries', () => {
  assert.equal(previousMonthOf('2026-01'), '2025-12');
  assert.equal(previousMonthOf('2026-10', 3), '2026-07');
  assert.equal(previousMonthOf('2026-10', 13), '2025-09');
});

test('bad months and report dates are BudgetInputErrors naming the value', () => {
  for (const bad of ['2026-13', '2026-00', '2026-1', 'october', '']) {
    assert.throws(() => parseMonth(bad), (e: unknown) => BudgetInputError.is(e) && e.message.includes(`"${bad}"`), bad);
  }
  assert.throws(() => rollingReportWindow('2026-10', '2026-11-31'), /report date "2026-11-31"/);
});

test('months outside 1970-2100 are refused (issue 12 item 7: 0026-04 was read as 1926-04)', () => {
  assert.throws(() => monthWindow('0026-04'), /month "0026-04": year 0026 is outside 1970-2100/);
  assert.throws(() => parseMonth('1969-12'), /year 1969 is outside 1970-2100/);
  assert.throws(() => parseMonth('2101-01'), /year 2101 is outside 1970-2100/);
  assert.equal(monthWindow('2100-12').end, '2101-01-01T00:00:00.000Z');
});

test('a rolling report date must lie in 1970-2100 too (0026-11-04 made a window in the year 26)', () => {
  // new Date('0026-11-04T00:00:00Z') is a valid date of the year 26 and round-trips through
  // toISOString, so only the range check refuses it; 9999 likewise.
  assert.throws(() => rollingReportWindow('2026-10', '0026-11-04'), /report date "0026-11-04": year 0026 is outside 1970-2100/);
  assert.throws(() => rollingReportWindow('2026-10', '9999-11-04'), /report date "9999-11-04": year 9999 is outside 1970-2100/);
  // 28 days before 1970-01-10 is 1969-12-13: the window would start before 1970.
  assert.throws(() => rollingReportWindow('1970-01', '1970-01-10'), /report date "1970-01-10": the 28-day window would start at 1969-12-13/);
  assert.equal(rollingReportWindow('2100-12', '2100-12-31').end, '2100-12-31T00:00:00.000Z');
});
