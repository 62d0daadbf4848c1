/**
 * The objective answers (issue 13) against the shared schemas BudgetApiClient validates with and
 * the OpenAPI document publishes: each budgeting method's figures, an objective that could not be
 * evaluated (figures and range null, error), a detail with its burn-down; wrong shapes named by path.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaProblem } from '../../../src/sdk/client/responseValidator';
import type { ObjectiveBudget, ObjectiveDetail } from '../../../src/sdk/contract/objectiveTypes';
import { aResultMeta, anApiResult } from '../../support/builders';

function anObjective(over: Partial<ObjectiveBudget> = {}): ObjectiveBudget {
  return {
    name: 'workspace-starts',
    definedAt: { file: '.budgetlens.yml', line: 5 },
    target: '0.998',
    method: 'Occurrences',
    window: '28d',
    sli: 'ratio bad/total',
    figures: { method: 'Occurrences', target: '0.998', good: 9985, bad: 15, total: 10000, sli: 0.9985, budgetEvents: 20, eventsLeft: 5, remainingFraction: 0.25, status: 'healthy', lowTraffic: false, warnings: [] },
    range: { start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z', minutes: 40320 },
    burnRate1h: 15,
    burnAlerts: [
      { tier: { longWindowMinutes: 60, shortWindowMinutes: 5, factor: '14.4' }, name: '1h/5m above 14.4x', factor: 14.4, state: 'no_data', firing: false, longBurnRate: 15, shortBurnRate: null, guardedWindowEvents: 0, minShortWindowEvents: 174 },
    ],
    queries: [{ role: 'bad', query: 'sum(increase(x_failure_total[28d]))', kind: 'instant', window: '28d' }],
    warnings: [],
    ...over,
  };
}

describe('objective answers against the shared schemas', () => {
  test('Occurrences, Timeslices and a refused objective pass as ObjectiveList', () => {
    const slices = anObjective({
      name: 'api-latency',
      method: 'Timeslices',
      sliceMinutes: 5,
      figures: {
        method: 'Timeslices', target: '0.99', timeSliceTarget: '0.95', sliceMinutes: 5, windowSlices: 288, goodSlices: 275, badSlices: 3, emptySlices: 10, unreportedSlices: 0, countedSlices: 278,
        sli: 275 / 278, budgetSlices: 2.78, allowedBadSlices: 2, budgetMinutes: 13.9, badMinutes: 15, slicesLeft: -1, minutesLeft: -1.1, remainingFraction: 1 - 3 / 2.78, status: 'over_budget', lowTraffic: false, warnings: [],
      },
      queries: [{ role: 'good', query: 'sum(increase(x_bucket{le="0.1"}[5m]))', kind: 'range', stepSeconds: 300, window: '1d' }],
    });
    const refused = anObjective({ name: 'start-under-120s', figures: null, range: null, burnRate1h: null, burnAlerts: [], queries: [], error: { code: 'not_a_bucket_bound', message: '120 s is not a bucket bound' } });
    assert.equal(schemaProblem('ObjectiveList', anApiResult([anObjective(), slices, refused])), null);
  });

  test('a detail carries its burn-down', () => {
    const detail: ObjectiveDetail = { ...anObjective(), burnDown: [{ day: '2026-02-01', end: '2026-02-02T00:00:00.000Z', remainingFraction: null, spent: 0 }] };
    assert.equal(schemaProblem('Objective', anApiResult(detail)), null);
    const { burnDown: _b, ...noBurnDown } = detail;
    assert.match(schemaProblem('Objective', anApiResult(noBurnDown)) ?? '', /required property 'burnDown'/);
  });

  test('wrong shapes are named by path', () => {
    assert.match(schemaProblem('ObjectiveList', anApiResult([anObjective({ method: 'Weekly' as 'Occurrences' })])) ?? '', /^\/data\/0\/method/);
    assert.match(schemaProblem('ObjectiveList', anApiResult([anObjective({ definedAt: { file: 'x' } as ObjectiveBudget['definedAt'] })])) ?? '', /^\/data\/0\/definedAt/);
    assert.notEqual(schemaProblem('ObjectiveList', anApiResult([anObjective({ figures: { ...anObjective().figures!, remainingFraction: '0.25' as unknown as number } })])), null);
    assert.match(schemaProblem('ObjectiveList', anApiResult({}, aResultMeta())) ?? '', /^\/data must be array/);
  });
});
