/** domain.md F7 (endpoint spend) and F8 (top failing endpoints). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Decimal from 'decimal.js';
import { costOfOneFailure, endpointSpentMinutes, isBelowTarget, rankEndpoints } from '../../../src/sdk/budget/endpointRanking';
import type { TargetPercent } from '../../../src/sdk/contract/budgetTypes';
import { WINDOW_28D } from '../../../src/sdk/budget/window';
import type { EndpointCounts } from '../../../src/sdk/contract/budgetSource';

function endpoint(endpointId: string, s: number, w: number, o: number, e: number, component = 'rails_request'): EndpointCounts {
  return { endpointId, component, category: 'team_planning', urgency: 'default', counts: { apdexSuccess: s, apdexWeight: w, ops: o, errors: e }, hasErrorSli: true };
}

// F8 example: A f=10 m=900, B f=5 m=19100; the scope is f=15, m=20000 (the F1 example).
// A: w=450 s=445 (5 apdex failures), o=450 e=5 -> f=10, m=900
// B: w=9550 s=9545 (5 apdex failures), o=9550 e=0 -> f=5, m=19100
const A = endpoint('Projects::IssuesController#index', 445, 450, 450, 5);
const B = endpoint('GET /api/:version/projects/:id/issues', 9545, 9550, 9550, 0);
const SCOPE = { failures: 15, measurements: 20000, window: WINDOW_28D };

describe('F7', () => {
  test('cost of one failure: 40320 / 20000 = 2.016', () => {
    assert.equal(costOfOneFailure(20000, WINDOW_28D), 2.016);
    assert.equal(costOfOneFailure(0, WINDOW_28D), null);
  });
  test('endpoint with 10 of 15 failures spends 10 * 40320 / 20000 = 20.16 min', () => {
    assert.equal(endpointSpentMinutes(10, 20000, WINDOW_28D), 20.16);
  });
});

describe('F8 top failing endpoints', () => {
  test('A then B, whatever the input order', () => {
    for (const input of [[A, B], [B, A]]) {
      assert.deepEqual(rankEndpoints(input, SCOPE).map((r) => r.endpointId), [A.endpointId, B.endpointId]);
    }
  });
  test('rows carry m_i, share f_i/f, F7 minutes and own ratio 1 - f_i/m_i', () => {
    const [a, b] = rankEndpoints([B, A], SCOPE);
    assert.deepEqual(
      { f: a?.failures, apdex: a?.apdexFailures, errors: a?.errors, m: a?.measurements, spent: a?.spentMinutes },
      { f: 10, apdex: 5, errors: 5, m: 900, spent: 20.16 },
    );
    assert.equal(a?.shareOfSpend, 10 / 15);
    // 1 - 10/900 = 89/90
    assert.equal(a?.ownAvailability, 89 / 90);
    // 5 * 40320 / 20000 = 10.08; 5/15 = 1/3; 1 - 5/19100 = 19095/19100
    assert.equal(b?.spentMinutes, 10.08);
    assert.equal(b?.shareOfSpend, 1 / 3);
    assert.equal(b?.ownAvailability, 19095 / 19100);
  });
  test('limit keeps the top rows; ignored components are dropped', () => {
    const graphql = endpoint('graphql:getPipelineDetails', 0, 100, 100, 100, 'graphql_query');
    assert.deepEqual(rankEndpoints([A, B, graphql], SCOPE, { limit: 1 }).map((r) => r.endpointId), ['graphql:getPipelineDetails']);
    assert.deepEqual(
      rankEndpoints([A, B, graphql], SCOPE, { ignoredComponents: ['graphql_query'] }).map((r) => r.endpointId),
      [A.endpointId, B.endpointId],
    );
  });
  test('equal failures: fewer measurements (worse own ratio) first, then id', () => {
    const x = endpoint('x', 100, 100, 1000, 5);
    const y = endpoint('y', 100, 100, 100, 5);
    const z = endpoint('z', 100, 100, 100, 5);
    assert.deepEqual(rankEndpoints([z, x, y], SCOPE).map((r) => r.endpointId), ['y', 'z', 'x']);
  });
  test('an endpoint without an error SLI: ops and errors ignored; no measurements -> own ratio null', () => {
    const worker: EndpointCounts = { ...endpoint('Worker', 0, 0, 7, 7), hasErrorSli: false };
    const [row] = rankEndpoints([worker], SCOPE);
    assert.equal(row?.failures, 0);
    assert.equal(row?.measurements, 0);
    assert.equal(row?.ownAvailability, null);
  });
  test('a scope without failures gives shares of 0, not NaN', () => {
    const [row] = rankEndpoints([endpoint('ok', 10, 10, 10, 0)], { failures: 0, measurements: 20, window: WINDOW_28D });
    assert.equal(row?.shareOfSpend, 0);
    assert.equal(row?.spentMinutes, 0);
  });
});

describe('F15 below the target', () => {
  // The integer path ((m - f) * 100 * scale < digits * m in BigInt) against decimal.js on the same question.
  const byDecimals = (f: number, m: number, target: string): boolean => {
    if (!(m > 0)) return false;
    const good = Math.max(0, m - Math.max(0, Math.min(f, m)));
    return new Decimal(good).times(100).lt(new Decimal(target).times(m));
  };

  test('on the boundary: 1 failure in 2,000 at 99.95 % is 99.95 %, not below; 2 in 2,000 is', () => {
    // (2000 - 1) * 100 * 100 = 19,990,000 = 9995 * 2000: equal, not below.
    assert.equal(isBelowTarget(1, 2000, '99.95' as TargetPercent), false);
    assert.equal(isBelowTarget(2, 2000, '99.95' as TargetPercent), true);
    assert.equal(isBelowTarget(0, 0, '99.95' as TargetPercent), false, 'no traffic is below nothing');
    // 105 of 30,720 (the prometheus suite's tags route): 99.658… % < 99.95 %.
    assert.equal(isBelowTarget(105, 30720, '99.95' as TargetPercent), true);
  });

  test('the same answer as decimal.js for integer and fractional counts and every target form', () => {
    const targets = ['99.95', '99', '99.9', '99.99', '99.999', '95', '99.80', '0', '100'];
    let x = 7;
    const next = (n: number): number => {
      x = (x * 48271) % 2147483647;
      return x % n;
    };
    for (let i = 0; i < 5000; i++) {
      const m = next(3) === 0 ? next(100) : next(2_000_000_000) + next(1000) * 2 ** 20;
      const f = next(4) === 0 ? m - next(5) : next(Math.max(1, Math.floor(m / 500) + 3));
      const target = targets[i % targets.length] as string;
      assert.equal(isBelowTarget(f, m, target as TargetPercent), byDecimals(f, m, target), `f ${f} m ${m} T ${target}`);
      const ff = f + 0.25;
      assert.equal(isBelowTarget(ff, m + 0.5, target as TargetPercent), byDecimals(ff, m + 0.5, target), `f ${ff} m ${m + 0.5} T ${target}`);
    }
  });
});
