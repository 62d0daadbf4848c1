/**
 * The report command's wording (src/extension/text/reportText.ts): the months offered, the
 * document text (the CLI's `report --api` Markdown: header lines, a blank line, the source line),
 * and the error naming the URL and status. Expected strings are written out by hand.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Failure } from '../../../src/extension/budgetCache';
import { isReportMonth, reportDocumentText, reportFailureText, reportMonthChoices } from '../../../src/extension/text/reportText';
import type { MonthlyReport } from '../../../src/sdk/contract/apiTypes';

/** October 2026 with no groups: the header alone. */
const october: MonthlyReport = {
  month: '2026-10',
  start: '2026-10-01T00:00:00.000Z',
  end: '2026-11-01T00:00:00.000Z',
  groups: [],
  investigateSharedCause: false,
  significantOverBudget: [],
  expiredExceptions: [],
  categoriesOverAllocation: [],
};

describe('report text', () => {
  test('the quick pick offers the current month and the 12 before it; the last complete month is the default', () => {
    const { choices, defaultIndex } = reportMonthChoices(new Date('2026-11-22T11:03:00Z'));
    assert.equal(choices.length, 13);
    assert.deepEqual(choices[0], { month: '2026-11', label: 'November 2026', description: 'in progress' });
    assert.deepEqual(choices[defaultIndex], { month: '2026-10', label: 'October 2026', description: 'complete' });
    assert.deepEqual(choices[12], { month: '2025-11', label: 'November 2025', description: 'complete' });
  });

  test('in January the default is December of the year before', () => {
    const { choices, defaultIndex } = reportMonthChoices(new Date('2026-01-04T00:00:00Z'));
    assert.equal(choices[defaultIndex]?.label, 'December 2025');
    assert.equal(choices[12]?.month, '2025-01');
  });

  test('months are YYYY-MM with a real month', () => {
    assert.equal(isReportMonth('2026-10'), true);
    assert.equal(isReportMonth('2026-13'), false);
    assert.equal(isReportMonth('2026-1'), false);
    assert.equal(isReportMonth(202610), false);
  });

  test('a complete month: evaluated at the answer\'s asOf, then the source line as the CLI prints it', () => {
    const text = reportDocumentText(october, '2026-11-01T00:00:00.000Z', 'http://127.0.0.1:7464/', Date.parse('2026-11-22T11:03:00Z'));
    assert.equal(
      text,
      [
        '# Error budget report 2026-10',
        '',
        '- Window: 2026-10-01 00:00 UTC to 2026-11-01 00:00 UTC (31 d, calendar month)',
        '- Evaluated at: 2026-11-01 00:00 UTC',
        '- Groups: 0; over budget under contract: 0; escalations: 0',
        '',
        '_Source: Budget API http://127.0.0.1:7464._',
        '',
      ].join('\n'),
    );
  });

  test('from Prometheus the source line names it as `budget-lens report --prometheus <url>` does', () => {
    const text = reportDocumentText(october, '2026-11-01T00:00:00.000Z', 'http://127.0.0.1:9090/', Date.parse('2026-11-22T11:03:00Z'), 'prometheus');
    assert.ok(text.endsWith('\n\n_Source: Prometheus http://127.0.0.1:9090._\n'), text);
  });

  test('a month in progress is evaluated at the fetch time, not at its future end', () => {
    const november = { ...october, month: '2026-11', start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' };
    const text = reportDocumentText(november, '2026-12-01T00:00:00.000Z', 'http://127.0.0.1:7464', Date.parse('2026-11-22T11:03:59Z'));
    assert.match(text, /\n- Window: 2026-11-01 00:00 UTC to 2026-12-01 00:00 UTC \(30 d, calendar month\)\n/);
    assert.match(text, /\n- Evaluated at: 2026-11-22 11:03 UTC \(month in progress: figures so far\)\n/);
  });

  test('the error names the month, the request URL and the status', () => {
    const at = Date.parse('2026-11-22T11:03:00Z');
    const down: Failure = { url: 'http://127.0.0.1:7464/api/v1/report?month=2026-10', status: 0, message: 'connect ECONNREFUSED 127.0.0.1:7464 (no response from http://127.0.0.1:7464/api/v1/report?month=2026-10)', unauthorized: false, at };
    assert.equal(
      reportFailureText('2026-10', 'http://127.0.0.1:7464', down),
      `Budget Lens: no report of 2026-10 to show: the Budget API at http://127.0.0.1:7464/api/v1/report?month=2026-10 did not answer. ${down.message}.`,
    );
    const refused: Failure = { ...down, status: 401, message: 'unauthorized (HTTP 401 from http://127.0.0.1:7464/api/v1/report?month=2026-10)', unauthorized: true };
    assert.match(reportFailureText('2026-10', 'http://127.0.0.1:7464', refused), /^Budget Lens: no report of 2026-10 to show: the Budget API at http:\/\/127\.0\.0\.1:7464\/api\/v1\/report\?month=2026-10 answered HTTP 401\. .* Run "Budget Lens: Set API Token"/);
    assert.match(reportFailureText('2026-10', 'http://127.0.0.1:7464', undefined), /no report of 2026-10 to show: the Budget API at http:\/\/127\.0\.0\.1:7464 gave no answer/);
    const promDown: Failure = { url: 'http://127.0.0.1:9090/api/v1/query', status: 0, message: 'Prometheus: cannot reach http://127.0.0.1:9090/api/v1/query: connect ECONNREFUSED 127.0.0.1:9090 (no response)', unauthorized: false, at };
    assert.equal(
      reportFailureText('2026-10', 'http://127.0.0.1:9090', promDown, 'prometheus'),
      `Budget Lens: no report of 2026-10 to show: the Prometheus at http://127.0.0.1:9090/api/v1/query did not answer. ${promDown.message}.`,
    );
  });
});
