/** domain.md section 3: the policy around the numbers. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  contractAction,
  contractApplies,
  customTargetState,
  effectiveTarget,
  exceptionExpiry,
  isExceptionExpired,
  isSignificantTraffic,
  needsSharedCauseInvestigation,
  reviewDateProblem,
} from '../../../src/sdk/budget/policy';
import { BudgetInputError } from '../../../src/sdk/budget/budgetInputError';

const over = { measurements: 20000, remainingMinutes: -10.08 };
const within = { measurements: 20000, remainingMinutes: 0 };

describe('contract applicability (traffic share > 0.01 %)', () => {
  test('exactly 0.01 % does not apply; above does', () => {
    assert.equal(contractApplies(100, 1_000_000), false);
    assert.equal(contractApplies(101, 1_000_000), true);
  });
  test('significant traffic is strictly above 0.1 %', () => {
    assert.equal(isSignificantTraffic(1000, 1_000_000), false);
    assert.equal(isSignificantTraffic(1001, 1_000_000), true);
  });
});

describe('contract action', () => {
  test('within budget -> understand_spend (spend equal to budget included)', () => {
    assert.equal(contractAction({ figures: within, contractApplies: true, monthsOverBudgetInRow: 0 }), 'understand_spend');
  });
  test('over budget -> reliability_first for months 1 and 2, escalate from month 3', () => {
    assert.equal(contractAction({ figures: over, contractApplies: true, monthsOverBudgetInRow: 1 }), 'reliability_first');
    assert.equal(contractAction({ figures: over, contractApplies: true, monthsOverBudgetInRow: 2 }), 'reliability_first');
    assert.equal(contractAction({ figures: over, contractApplies: true, monthsOverBudgetInRow: 3 }), 'escalate');
    assert.equal(contractAction({ figures: over, contractApplies: true, monthsOverBudgetInRow: 4 }), 'escalate');
  });
  test('contract not applying -> not_applicable even when over budget', () => {
    assert.equal(contractAction({ figures: over, contractApplies: false, monthsOverBudgetInRow: 3 }), 'not_applicable');
  });
  test('no data -> no_data', () => {
    assert.equal(contractAction({ figures: { measurements: 0, remainingMinutes: null }, contractApplies: false, monthsOverBudgetInRow: 0 }), 'no_data');
  });
});

describe('shared cause', () => {
  test('more than 5 significant groups over budget -> investigate; exactly 5 -> not', () => {
    assert.equal(needsSharedCauseInvestigation(5), false);
    assert.equal(needsSharedCauseInvestigation(6), true);
  });
});

describe('custom-target exceptions', () => {
  const ct = { target: '99.80', reason: 'new database migration', reviewDate: '2026-10-31' };
  test('valid on the review date, expired from the next UTC day', () => {
    assert.equal(isExceptionExpired(ct, new Date('2026-10-31T23:59:59Z')), false);
    assert.equal(isExceptionExpired(ct, new Date('2026-11-01T00:00:00Z')), true);
    assert.equal(isExceptionExpired(ct, new Date('2026-01-01T00:00:00Z')), false);
  });
  test('a malformed review date is a BudgetInputError naming it', () => {
    assert.throws(() => isExceptionExpired({ reviewDate: '2026-02-30' }, new Date()), (e: unknown) => BudgetInputError.is(e) && e.message.includes('2026-02-30'));
    assert.match(reviewDateProblem('31/10/2026') ?? '', /not a date like/);
    assert.equal(reviewDateProblem('2026-10-31'), null);
  });
  test('the custom target overrides the default, expired or not', () => {
    assert.equal(effectiveTarget({ customTarget: ct }, '99.95'), '99.80');
    assert.equal(effectiveTarget({}, '99.95'), '99.95');
  });
});

describe('an exception that ends by traffic share (expiresWhen.trafficShareAbove)', () => {
  // Enablement:Tenant Scale's kind of exception: 99.80 % "until 2025-01-31 or if total traffic share exceeds 5 %".
  const ct = { target: '99.80', reason: 'new platform', reviewDate: '2025-01-31', expiresWhen: { trafficShareAbove: '5' } };
  const before = new Date('2025-01-15T00:00:00Z');

  test('600 of 10,000 measurements is 6 % > 5 %: expired by traffic share before the review date', () => {
    assert.equal(exceptionExpiry(ct, before, { measurements: 600, totalMeasurements: 10_000 }), 'traffic_share');
    assert.deepEqual(customTargetState(ct, before, { measurements: 600, totalMeasurements: 10_000 }), { ...ct, expired: true, expiredBecause: 'traffic_share' });
  });
  test('500 of 10,000 is exactly 5 %, not above: it holds; so does an unknown traffic share', () => {
    assert.equal(exceptionExpiry(ct, before, { measurements: 500, totalMeasurements: 10_000 }), null);
    assert.equal(exceptionExpiry(ct, before), null);
    assert.deepEqual(customTargetState(ct, before, { measurements: 500, totalMeasurements: 10_000 }), { ...ct, expired: false });
  });
  test('exact: 1 of 20 million is 0.000005 %, above "0.000004" and not above "0.000005"', () => {
    const tiny = (p: string) => ({ ...ct, expiresWhen: { trafficShareAbove: p } });
    assert.equal(exceptionExpiry(tiny('0.000004'), before, { measurements: 1, totalMeasurements: 20_000_000 }), 'traffic_share');
    assert.equal(exceptionExpiry(tiny('0.000005'), before, { measurements: 1, totalMeasurements: 20_000_000 }), null);
  });
  test('past the review date the review date is the reason, whatever the traffic', () => {
    const after = new Date('2025-02-01T00:00:00Z');
    assert.equal(exceptionExpiry(ct, after, { measurements: 600, totalMeasurements: 10_000 }), 'review_date');
    assert.equal(exceptionExpiry(ct, after, { measurements: 0, totalMeasurements: 10_000 }), 'review_date');
    assert.equal(exceptionExpiry({ ...ct, expiresWhen: undefined }, before, { measurements: 10_000, totalMeasurements: 10_000 }), null);
  });
});
