/** The pure monthly report: policy applied per group over a month's counts and its history. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMonthlyReportFromCounts } from '../../../src/sdk/report/monthlyReportBuilder';
import type { CategoryMonthCounts, MonthCounts } from '../../../src/sdk/report/monthlyReportBuilder';
import type { GroupInfo } from '../../../src/sdk/catalog/types';
import type { CategoryCounts, GroupCounts } from '../../../src/sdk/contract/budgetSource';

function group(key: string, stage = 'plan', extra: Partial<GroupInfo> = {}): GroupInfo {
  return { key, name: key.replace(/_/g, ' '), stage, stageDisplayName: stage, categories: [`${key}_category`], ignoredComponents: [], ...extra };
}

/** f failures in m measurements, as rails errors (w = s = 0, o = m, e = f). */
function counts(key: string, m: number, f: number): GroupCounts {
  return { group: key, components: [{ component: 'rails_request', counts: { apdexSuccess: 0, apdexWeight: 0, ops: m, errors: f }, hasErrorSli: true }] };
}

/** The F1 example: s=9990 w=10000 o=10000 e=5. */
function example(key: string): GroupCounts {
  return { group: key, components: [{ component: 'rails_request', counts: { apdexSuccess: 9990, apdexWeight: 10000, ops: 10000, errors: 5 }, hasErrorSli: true }] };
}

describe('figures for the calendar month', () => {
  const report = buildMonthlyReportFromCounts({ month: '2026-10', groups: [group('project_management')], counts: [example('project_management')] });
  const row = report.groups[0];

  test('window is October 2026 in UTC', () => {
    assert.equal(report.month, '2026-10');
    assert.equal(report.start, '2026-10-01T00:00:00.000Z');
    assert.equal(report.end, '2026-11-01T00:00:00.000Z');
  });
  test('31 d: budget 0.0005 * 44640 = 22.32, spent 15 * 44640 / 20000 = 33.48, remaining -11.16', () => {
    assert.equal(row?.budgetMinutes, 22.32);
    assert.equal(row?.spentMinutes, 33.48);
    assert.equal(row?.remainingMinutes, -11.16);
    assert.equal(row?.availability, 0.99925);
    assert.equal(row?.remainingFraction, -0.5);
  });
  test('the only group has all the traffic, is over budget for one month: reliability first', () => {
    assert.equal(row?.trafficShare, 1);
    assert.equal(row?.contractApplies, true);
    assert.equal(row?.monthsOverBudgetInRow, 1);
    assert.equal(row?.action, 'reliability_first');
  });
  test('rolling mode uses 28 days: budget 20.16, spent 30.24', () => {
    const rolling = buildMonthlyReportFromCounts({ month: '2026-10', mode: 'rolling', groups: [group('g')], counts: [example('g')] });
    assert.equal(rolling.start, '2026-10-07T00:00:00.000Z');
    assert.equal(rolling.groups[0]?.budgetMinutes, 20.16);
    assert.equal(rolling.groups[0]?.spentMinutes, 30.24);
  });
});

describe('months over budget in a row', () => {
  const g = group('source_code');
  const over = (month: string): MonthCounts => ({ month, counts: [example('source_code')] });
  const healthy = (month: string): MonthCounts => ({ month, counts: [counts('source_code', 20000, 0)] });
  const run = (history: MonthCounts[]) => buildMonthlyReportFromCounts({ month: '2026-10', groups: [g], counts: [example('source_code')], history }).groups[0];

  test('three months running -> escalate', () => {
    const row = run([over('2026-08'), over('2026-09')]);
    assert.equal(row?.monthsOverBudgetInRow, 3);
    assert.equal(row?.action, 'escalate');
  });
  test('history order does not matter; runs go back as far as they last', () => {
    assert.equal(run([over('2026-09'), over('2026-06'), over('2026-08'), over('2026-07')])?.monthsOverBudgetInRow, 5);
  });
  test('a healthy month ends the run: 2 -> still reliability first', () => {
    const row = run([healthy('2026-08'), over('2026-09')]);
    assert.equal(row?.monthsOverBudgetInRow, 2);
    assert.equal(row?.action, 'reliability_first');
  });
  test('a missing month ends the run', () => {
    assert.equal(run([over('2026-08')])?.monthsOverBudgetInRow, 1);
  });
  test('a month without data for the group ends the run', () => {
    assert.equal(run([over('2026-08'), { month: '2026-09', counts: [] }])?.monthsOverBudgetInRow, 1);
  });
  test('a healthy current month is 0 months, whatever the history', () => {
    const row = buildMonthlyReportFromCounts({ month: '2026-10', groups: [g], counts: [counts('source_code', 20000, 0)], history: [over('2026-09')] }).groups[0];
    assert.equal(row?.monthsOverBudgetInRow, 0);
    assert.equal(row?.action, 'understand_spend');
  });
});

describe('contract threshold: traffic share > 0.01 %', () => {
  // total m = 999799 + 100 + 101 = 1,000,000: 'at' has exactly 0.01 %, 'above' 0.0101 %.
  const report = buildMonthlyReportFromCounts({
    month: '2026-10',
    groups: [group('big'), group('at'), group('above')],
    counts: [counts('big', 999799, 0), counts('at', 100, 100), counts('above', 101, 101)],
  });
  const byKey = new Map(report.groups.map((g) => [g.group, g]));

  test('exactly 0.01 % does not apply the contract', () => {
    assert.equal(byKey.get('at')?.trafficShare, 0.0001);
    assert.equal(byKey.get('at')?.contractApplies, false);
    assert.equal(byKey.get('at')?.action, 'not_applicable');
  });
  test('just above 0.01 % does', () => {
    assert.equal(byKey.get('above')?.contractApplies, true);
    assert.equal(byKey.get('above')?.action, 'reliability_first');
  });
});

describe('more than 5 significant groups over budget -> investigate a shared cause', () => {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
  // each has m = 100000 (6.25 % of 1.6 M) and 100 failures: 100/100000 = 0.001 > 0.0005, over budget
  const base = [counts('big', 1_000_000, 0)];
  const build = (overKeys: string[], tiny = false) =>
    buildMonthlyReportFromCounts({
      month: '2026-10',
      groups: [group('big'), ...keys.map((k) => group(k)), group('tiny')],
      counts: [...base, ...keys.map((k) => counts(k, 100000, overKeys.includes(k) ? 100 : 0)), ...(tiny ? [counts('tiny', 1000, 1000)] : [])],
    });

  test('six -> flag, listing them', () => {
    const r = build(keys);
    assert.equal(r.investigateSharedCause, true);
    assert.deepEqual(r.significantOverBudget, keys);
  });
  test('five -> no flag', () => {
    const r = build(keys.slice(0, 5));
    assert.equal(r.investigateSharedCause, false);
    assert.equal(r.significantOverBudget.length, 5);
  });
  test('a group at or under 0.1 % share does not count toward the six', () => {
    // tiny: 1000 of 1,601,000 = 0.062 % -> over budget but not significant
    const r = build(keys.slice(0, 5), true);
    assert.equal(r.groups.find((g) => g.group === 'tiny')?.action, 'reliability_first');
    assert.equal(r.investigateSharedCause, false);
  });
});

describe('custom targets, exceptions, ignored components, no data', () => {
  const groups = [
    group('fresh', 'plan', { customTarget: { target: '99.9', reason: 'migration', reviewDate: '2026-12-31' } }),
    group('stale', 'plan', { customTarget: { target: '99.80', reason: 'legacy queue', reviewDate: '2026-09-30' } }),
    group('graphql_heavy', 'create', { ignoredComponents: ['graphql_query'] }),
    group('silent', 'create'),
  ];
  const graphqlFailures = { component: 'graphql_query', counts: { apdexSuccess: 0, apdexWeight: 1000, ops: 1000, errors: 1000 }, hasErrorSli: true };
  const report = buildMonthlyReportFromCounts({
    month: '2026-10',
    groups,
    counts: [example('fresh'), example('stale'), { group: 'graphql_heavy', components: [...example('graphql_heavy').components, graphqlFailures] }],
  });
  const byKey = new Map(report.groups.map((g) => [g.group, g]));

  test('99.9 % custom target: 0.001 * 44640 = 44.64 budget, 33.48 spent -> healthy', () => {
    assert.equal(byKey.get('fresh')?.budgetMinutes, 44.64);
    assert.equal(byKey.get('fresh')?.status, 'healthy');
    assert.deepEqual(byKey.get('fresh')?.customTarget, { target: '99.9', reason: 'migration', reviewDate: '2026-12-31', expired: false });
  });
  test('an exception past its review date is flagged (evaluated at the window end)', () => {
    assert.equal(byKey.get('stale')?.customTarget?.expired, true);
    assert.deepEqual(report.expiredExceptions, ['stale']);
    assert.equal(byKey.get('stale')?.target, '99.80');
  });
  test('asOf moves the expiry judgement', () => {
    const early = buildMonthlyReportFromCounts({ month: '2026-10', groups, counts: [], asOf: new Date('2026-09-30T12:00:00Z') });
    assert.deepEqual(early.expiredExceptions, []);
  });
  test('ignored components are excluded from the group budget', () => {
    assert.equal(byKey.get('graphql_heavy')?.failures, 15);
    assert.equal(byKey.get('graphql_heavy')?.measurements, 20000);
  });
  test('a group without data gets a no-data row, never 100 % or 0 %', () => {
    const silent = byKey.get('silent');
    assert.equal(silent?.status, 'no_data');
    assert.equal(silent?.availability, null);
    assert.equal(silent?.action, 'no_data');
    assert.equal(silent?.trafficShare, 0);
  });
  test('rows are sorted by stage, then group key', () => {
    assert.deepEqual(report.groups.map((g) => g.group), ['graphql_heavy', 'silent', 'fresh', 'stale']);
  });
});

test('groups the catalog lacks still get a row and count toward traffic', () => {
  const r = buildMonthlyReportFromCounts({ month: '2026-10', groups: [group('known')], counts: [counts('known', 30000, 0), counts('ghost', 10000, 0)] });
  assert.deepEqual(r.groups.map((g) => [g.group, g.stage, g.trafficShare]), [['known', 'plan', 0.75], ['ghost', 'not_in_catalog', 0.25]]);
});

describe('the category rule: feature categories over their allocation three months in a row', () => {
  // One group owning two categories. Its target, 99.95 %, applies to each category's own traffic.
  const pm = group('project_management', 'plan', { categories: ['team_planning', 'portfolio_management'] });
  /** f errors in m operations for one category (w = s = 0, o = m, e = f). */
  const cat = (category: string, m: number, f: number): CategoryCounts => ({
    category,
    components: [{ component: 'rails_request', counts: { apdexSuccess: 0, apdexWeight: 0, ops: m, errors: f }, hasErrorSli: true }],
  });
  // team_planning: 20 errors in 10,000 operations every month: 99.8 % < 99.95 %, over.
  //   August (31 d, 44,640 min): spent 20 * 44,640 / 10,000 = 89.28 of 0.0005 * 44,640 = 22.32 min.
  //   September (30 d, 43,200 min): spent 20 * 43,200 / 10,000 = 86.4 of 21.6 min.
  //   October (31 d): 89.28 of 22.32 min.
  // portfolio_management: 2 errors in 10,000: 99.98 %, within (spent 8.928 of 22.32 in October),
  //   except September with 10 errors (99.9 %): over one month only, not listed.
  const month = (m: string, pfErrors: number): CategoryMonthCounts => ({ month: m, counts: [cat('team_planning', 10_000, 20), cat('portfolio_management', 10_000, pfErrors)] });
  const build = (categoryMonths: CategoryMonthCounts[]) =>
    buildMonthlyReportFromCounts({ month: '2026-10', groups: [pm], counts: [counts('project_management', 20_000, 22)], categoryMonths });

  test('a category over in October, September and August is listed with its three months', () => {
    const report = build([month('2026-08', 2), month('2026-09', 10), month('2026-10', 2)]);
    assert.deepEqual(report.categoriesOverAllocation, [
      {
        category: 'team_planning',
        group: 'project_management',
        stage: 'plan',
        months: [
          { month: '2026-08', spentMinutes: 89.28, budgetMinutes: 22.32, availability: 0.998 },
          { month: '2026-09', spentMinutes: 86.4, budgetMinutes: 21.6, availability: 0.998 },
          { month: '2026-10', spentMinutes: 89.28, budgetMinutes: 22.32, availability: 0.998 },
        ],
      },
    ]);
  });

  test('a month within its allocation, or a month without counts, ends the run', () => {
    const healthyAugust: CategoryMonthCounts = { month: '2026-08', counts: [cat('team_planning', 10_000, 1)] };
    assert.deepEqual(build([healthyAugust, month('2026-09', 10), month('2026-10', 2)]).categoriesOverAllocation, []);
    assert.deepEqual(build([month('2026-09', 10), month('2026-10', 2)]).categoriesOverAllocation, []);
    assert.deepEqual(buildMonthlyReportFromCounts({ month: '2026-10', groups: [pm], counts: [] }).categoriesOverAllocation, []);
  });

  test('categories of the not_owned pseudo-group and categories no group lists have no allocation', () => {
    const notOwned = group('not_owned', 'not_owned', { categories: ['not_owned', 'unknown'] });
    const months = ['2026-08', '2026-09', '2026-10'].map((m) => ({ month: m, counts: [cat('unknown', 100, 50), cat('mystery', 100, 50)] }));
    const report = buildMonthlyReportFromCounts({ month: '2026-10', groups: [pm, notOwned], counts: [], categoryMonths: months });
    assert.deepEqual(report.categoriesOverAllocation, []);
  });
});
