/** The markdown rendering of a monthly report. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMonthlyReportFromCounts } from '../../../src/sdk/report/monthlyReportBuilder';
import { renderReportDocument, renderReportMarkdown } from '../../../src/sdk/report/reportMarkdown';
import type { GroupInfo } from '../../../src/sdk/catalog/types';
import type { GroupCounts } from '../../../src/sdk/contract/budgetSource';

function group(key: string, stage: string, extra: Partial<GroupInfo> = {}): GroupInfo {
  return { key, name: key, stage, stageDisplayName: stage, categories: [], ignoredComponents: [], ...extra };
}

/** f failures in m measurements, as rails errors. */
function counts(key: string, m: number, f: number): GroupCounts {
  return { group: key, components: [{ component: 'rails_request', counts: { apdexSuccess: 0, apdexWeight: 0, ops: m, errors: f }, hasErrorSli: true }] };
}

const overKeys = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'];
const groups: GroupInfo[] = [
  group('calm', 'plan'),
  group('burning', 'plan', { name: 'Burning | Team' }),
  group('escalated', 'plan'),
  group('stale', 'create', { customTarget: { target: '99.80', reason: 'legacy queue', reviewDate: '2026-09-30' } }),
  group('not_owned', 'not_owned'),
  group('silent', 'create'),
  ...overKeys.map((k) => group(k, 'verify')),
];
// every group has m = 100000; over budget means f/m > 0.0005 (F1-F5): 100 failures spend 0.001 * 44640 = 44.64 min
const current: GroupCounts[] = [
  counts('calm', 100000, 10),
  counts('burning', 100000, 100),
  counts('escalated', 100000, 200),
  counts('stale', 100000, 10),
  counts('not_owned', 100000, 0),
  ...overKeys.map((k) => counts(k, 100000, 100)),
];
const report = buildMonthlyReportFromCounts({
  month: '2026-10',
  groups,
  counts: current,
  history: [
    { month: '2026-09', counts: [counts('escalated', 100000, 200)] },
    { month: '2026-08', counts: [counts('escalated', 100000, 200)] },
  ],
});
const stageNames = new Map([['plan', 'Plan'], ['create', 'Create'], ['verify', 'Verify'], ['not_owned', 'Not owned']]);
const md = renderReportMarkdown(report, { evaluatedAt: '2026-11-04T06:00:00.000Z', stageNames });
const lines = md.split('\n');

describe('renderReportMarkdown', () => {
  test('header: month, window, evaluation time, counts', () => {
    assert.equal(lines[0], '# Error budget report 2026-10');
    assert.ok(lines.includes('- Window: 2026-10-01 00:00 UTC to 2026-11-01 00:00 UTC (31 d, calendar month)'), md);
    assert.ok(lines.includes('- Evaluated at: 2026-11-04 06:00 UTC'), md);
    // over under contract: burning, escalated, o1..o6 = 8; escalations: escalated
    assert.ok(lines.includes('- Groups: 12; over budget under contract: 8; escalations: 1'), md);
  });
  test('the shared-cause flag comes before any table, naming the groups', () => {
    const flag = lines.findIndex((l) => l.startsWith('> **Investigate a shared cause'));
    const firstTable = lines.findIndex((l) => l.startsWith('| Group |'));
    assert.ok(flag > 0 && flag < firstTable, md);
    // burning, escalated and o1..o6 each have 100000 of 1.1 M measurements (11 groups with data) (> 0.1 %): 8 groups
    assert.match(lines[flag] ?? '', /8 groups with traffic share above 0\.1 % are over budget: `burning`, `escalated`, `o1`/);
  });
  test('no flag when the report does not ask for one', () => {
    const quiet = buildMonthlyReportFromCounts({ month: '2026-10', groups: [group('calm', 'plan')], counts: [counts('calm', 100000, 10)] });
    assert.doesNotMatch(renderReportMarkdown(quiet), /shared cause/);
  });
  test('expired exceptions are listed with target, reason and review date', () => {
    assert.ok(lines.includes('## Expired exceptions'), md);
    assert.ok(lines.includes('- stale (`stale`): target 99.80 % ("legacy queue"), review date 2026-09-30 has passed'), md);
  });
  test('custom targets are listed with reason and review date', () => {
    const at = lines.indexOf('## Custom targets');
    assert.ok(at > 0, md);
    assert.equal(lines[at + 4], '| stale (`stale`) | 99.80 % | legacy queue | 2026-09-30 (**expired**) |');
  });
  test('one table per stage, real stages alphabetically, not_owned last, display names used, no-data list last', () => {
    const headings = lines.filter((l) => l.startsWith('## ') && l !== '## Expired exceptions' && l !== '## Custom targets');
    assert.deepEqual(headings, ['## Create', '## Plan', '## Verify', '## Not owned', '## No data']);
  });
  test('inside a stage: escalate, then reliability first, then understand spend', () => {
    const plan = lines.slice(lines.indexOf('## Plan'), lines.indexOf('## Verify')).filter((l) => l.startsWith('| ') && !l.startsWith('| Group'));
    assert.deepEqual(
      plan.map((l) => l.split(' | ')[0]),
      ['| escalated (`escalated`)', '| Burning \\| Team (`burning`)', '| calm (`calm`)'],
    );
  });
  test('a row shows availability, spent / budget, remaining, share, status, action and the run', () => {
    const row = lines.find((l) => l.startsWith('| escalated'));
    // f/m = 0.002: availability 99.800 %, spent 0.002 * 44640 = 89.28, budget 22.32, remaining -66.96, share 1/11 = 9.091 %
    assert.equal(row, '| escalated (`escalated`) | 99.95 % | 99.800 % | 89.28 min / 22.32 min | -66.96 min | 9.091 % | over budget | **escalate** | 3 |');
  });
  test('custom targets are marked, expired ones loudly; no-data rows say so', () => {
    const createTable = lines.slice(lines.indexOf('## Create'));
    assert.match(createTable.find((l) => l.startsWith('| stale')) ?? '', /\| 99\.80 % \(custom, \*\*expired\*\*\) \| 99\.990 % \|/);
    // no-data groups get no table row; they are listed once under "No data"
    assert.equal(lines.find((l) => l.startsWith('| silent')), undefined);
    assert.deepEqual(lines.slice(lines.indexOf('## No data'), lines.indexOf('## No data') + 3), [
      '## No data',
      '',
      '1 group has no measurements in the window: `silent`.',
    ]);
  });
  test('a month evaluated before its end says it is in progress', () => {
    const md = renderReportMarkdown(report, { evaluatedAt: '2026-10-22T07:00:00.000Z' });
    assert.ok(md.split('\n').includes('- Evaluated at: 2026-10-22 07:00 UTC (month in progress: figures so far)'));
    assert.ok(!lines.some((l) => l.includes('in progress')));
  });
  test('rolling windows say so', () => {
    const rolling = buildMonthlyReportFromCounts({ month: '2026-10', mode: 'rolling', groups: [group('calm', 'plan')], counts: [] });
    assert.match(renderReportMarkdown(rolling), /- Window: 2026-10-07 00:00 UTC to 2026-11-04 00:00 UTC \(28 d, rolling 28 days\)/);
  });
});

describe('renderReportDocument: what `budget-lens report` prints and the editor opens', () => {
  test('the Markdown evaluated at asOf, then the source line', () => {
    const doc = renderReportDocument(report, { asOf: '2026-11-04T06:00:00.000Z', now: Date.parse('2026-11-22T00:00:00Z'), source: 'store /x/store.db', stageNames });
    assert.equal(doc, `${md}\n_Source: store /x/store.db._\n`);
  });
  test('an asOf after now (a month in progress) is evaluated now', () => {
    const now = Date.parse('2026-10-22T07:00:00.000Z');
    const doc = renderReportDocument(report, { asOf: '2026-11-01T00:00:00.000Z', now, source: 'Budget API http://127.0.0.1:7464' });
    assert.equal(doc, `${renderReportMarkdown(report, { evaluatedAt: '2026-10-22T07:00:00.000Z' })}\n_Source: Budget API http://127.0.0.1:7464._\n`);
  });
});

describe('the category rule in the document', () => {
  // code_review of source_code: 20 errors in 10,000 operations each month (99.8 % < 99.95 %):
  // August 20 * 44,640 / 10,000 = 89.28 of 22.32 min; September 86.40 of 21.60; October 89.28 of 22.32.
  const sc = group('source_code', 'create', { name: 'Source Code', categories: ['code_review', 'source_code_management'] });
  const cat = (category: string, m: number, f: number) => ({
    category,
    components: [{ component: 'rails_request' as const, counts: { apdexSuccess: 0, apdexWeight: 0, ops: m, errors: f }, hasErrorSli: true }],
  });
  const months = ['2026-08', '2026-09', '2026-10'].map((month) => ({ month, counts: [cat('code_review', 10_000, 20), cat('source_code_management', 10_000, 1)] }));
  const withRule = buildMonthlyReportFromCounts({ month: '2026-10', groups: [sc], counts: [counts('source_code', 20_000, 21)], categoryMonths: months });
  const text = renderReportMarkdown(withRule, { evaluatedAt: '2026-11-04T06:00:00.000Z' });

  test('a section lists each category with the group and its three months, spent / budget', () => {
    const at = text.split('\n').indexOf('## Feature categories over their allocation 3 months in a row');
    assert.ok(at > 0, text);
    assert.deepEqual(text.split('\n').slice(at + 2, at + 6), [
      '| Category | Group | 2026-08 | 2026-09 | 2026-10 |',
      '|---|---|---:|---:|---:|',
      '| `code_review` | Source Code (`source_code`) | 89.28 min / 22.32 min | 86.40 min / 21.60 min | 89.28 min / 22.32 min |',
      '',
    ]);
  });

  test('without such a category the document has no such section', () => {
    assert.doesNotMatch(md, /over their allocation/);
  });
});

describe('an exception that ended by traffic share', () => {
  // tenant_scale: 600 of 10,000 measurements = 6 % > its 5 % condition, review date still ahead.
  const ts = group('tenant_scale', 'enablement', { name: 'Tenant Scale', customTarget: { target: '99.80', reason: 'new platform', reviewDate: '2026-12-31', expiresWhen: { trafficShareAbove: '5' } } });
  const report = buildMonthlyReportFromCounts({ month: '2026-10', groups: [ts, group('other', 'plan')], counts: [counts('tenant_scale', 600, 0), counts('other', 9400, 0)] });
  const text = renderReportMarkdown(report, { evaluatedAt: '2026-11-04T06:00:00.000Z' }).split('\n');

  test('the row says expired, by traffic share, and the report lists it', () => {
    assert.deepEqual(report.groups.find((g) => g.group === 'tenant_scale')?.customTarget, { ...ts.customTarget, expired: true, expiredBecause: 'traffic_share' });
    assert.deepEqual(report.expiredExceptions, ['tenant_scale']);
  });
  test('the document names the condition, in the expired list and the custom targets table', () => {
    assert.ok(text.includes('- Tenant Scale (`tenant_scale`): target 99.80 % ("new platform"), traffic share is above 5 %'), text.join('\n'));
    assert.ok(text.includes('| Tenant Scale (`tenant_scale`) | 99.80 % | new platform | 2026-12-31 or traffic share above 5 % (**expired**: traffic share is above 5 %) |'), text.join('\n'));
  });
});

describe('the Objectives section (issue 13)', () => {
  const withObjectives = {
    ...report,
    objectives: [
      {
        name: 'workspace-starts',
        displayName: 'Workspaces start',
        target: '0.998',
        method: 'Occurrences' as const,
        window: '28d',
        sli: 'ratio bad/total',
        // 15 bad of 10,000 at 99.8 %: budget 20, 5 left (25 %).
        figures: { method: 'Occurrences' as const, target: '0.998', good: 9985, bad: 15, total: 10000, sli: 0.9985, budgetEvents: 20, eventsLeft: 5, remainingFraction: 0.25, status: 'healthy' as const, lowTraffic: false, warnings: [] },
        range: { start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z', minutes: 44640 },
      },
      { name: 'start-under-120s', target: '0.95', method: 'Occurrences' as const, window: '28d', sli: 'threshold lte 120', figures: null, range: null, error: { code: 'not_a_bucket_bound', message: '120 s is not a bucket bound of x; nearest: 64, 128' } },
    ],
  };

  test('a report without objectives has no section (unchanged)', () => {
    assert.doesNotMatch(renderReportMarkdown(report), /Objectives/);
    assert.equal(renderReportMarkdown({ ...report, objectives: [] }), renderReportMarkdown(report));
  });

  test('each objective over the month: SLI, budget left, status; one not evaluated says why', () => {
    const md = renderReportMarkdown(withObjectives);
    const at = md.indexOf('## Objectives');
    assert.ok(at > md.indexOf('## verify') && at < md.indexOf('## No data'), 'after the stage tables, before No data');
    assert.equal(
      md.slice(at, md.indexOf('## No data')),
      [
        '## Objectives',
        '',
        'Each objective over 2026-10-01 00:00 UTC to 2026-11-01 00:00 UTC: the month in place of its own window.',
        '',
        '| Objective | Target | SLI | Budget left | Status |',
        '|---|---|---:|---:|---|',
        '| Workspaces start (`workspace-starts`) | 99.8 % (Occurrences, own window 28d) | 99.85 % (9,985 good of 10,000 events) | 5 of 20 events (25.00 %) | healthy |',
        '| `start-under-120s` | 95 % (Occurrences, own window 28d) | - | - | not evaluated: 120 s is not a bucket bound of x; nearest: 64, 128 (not_a_bucket_bound) |',
        '',
        '',
      ].join('\n'),
    );
  });
});
