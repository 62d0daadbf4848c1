/** evaluateObjective: an ObjectiveSpec and a window's counts -> the budgeting method's figures. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateObjective } from '../../../../src/sdk/objectives/engine';
import type { ObjectiveSpec } from '../../../../src/sdk/objectives/spec';
import { BudgetInputError } from '../../../../src/sdk/budget/budgetInputError';

const base: ObjectiveSpec = {
  name: 'workspace-starts',
  target: '0.998',
  budgetingMethod: 'Occurrences',
  window: { kind: 'rolling', minutes: 40320, label: '28d' },
  sli: { kind: 'ratio', form: 'bad', counter: true },
  location: { file: 'slo.yaml', line: 1, column: 1 },
};

describe('evaluateObjective', () => {
  test('Occurrences from events: Gitpod starts, budget 20, 5 left', () => {
    const f = evaluateObjective(base, { kind: 'events', counts: { bad: 15, total: 10000 } });
    assert.equal(f.method, 'Occurrences');
    assert.equal(f.objective, 'workspace-starts');
    assert.equal(f.windowMinutes, 40320);
    assert.ok(f.method === 'Occurrences' && f.budgetEvents === 20 && f.eventsLeft === 5);
  });
  test('Timeslices from outcomes over a calendar month: February 2026 UTC allows 20 bad minutes at 99.95 %', () => {
    const spec: ObjectiveSpec = {
      ...base,
      name: 'api-minutes',
      target: '0.9995',
      budgetingMethod: 'Timeslices',
      timeSliceTarget: '0.99',
      timeSliceWindowMinutes: 1,
      window: { kind: 'calendar', unit: 'M', count: 1, startTime: '2026-01-01T00:00:00', timeZone: 'UTC', label: '1M' },
    };
    const f = evaluateObjective(spec, { kind: 'sliceOutcomes', outcomes: { good: 40300, bad: 20, empty: 0 } }, { at: Date.UTC(2026, 1, 28, 23, 59) });
    assert.equal(f.windowMinutes, 40320);
    assert.ok(f.method === 'Timeslices' && f.allowedBadSlices === 20 && f.status === 'healthy' && f.minutesLeft === 0.16);
    const samples = evaluateObjective(spec, { kind: 'slices', samples: [{ good: 98, total: 100 }, { good: 100, total: 100 }] }, { at: new Date(Date.UTC(2026, 2, 2)) });
    assert.equal(samples.windowMinutes, 44640);
    assert.ok(samples.method === 'Timeslices' && samples.badSlices === 1 && samples.goodSlices === 1);
  });
  test('RatioTimeslices from samples', () => {
    const spec: ObjectiveSpec = { ...base, budgetingMethod: 'RatioTimeslices', target: '0.9', timeSliceWindowMinutes: 1, window: { kind: 'rolling', minutes: 4, label: '4m' } };
    const f = evaluateObjective(spec, { kind: 'slices', samples: [0.9, 1, 1, 0.99] });
    assert.ok(f.method === 'RatioTimeslices' && f.sli === 0.9725);
  });
  test('an Occurrences calendar window without `at` has no window length (the figures need none)', () => {
    const spec: ObjectiveSpec = { ...base, window: { kind: 'calendar', unit: 'M', count: 1, startTime: '2026-01-01', timeZone: 'UTC', label: '1M' } };
    assert.equal(evaluateObjective(spec, { kind: 'events', counts: { bad: 0, total: 1 } }).windowMinutes, null);
  });
  test('input that does not fit the method, or a slice method without its slice length or window, is refused', () => {
    assert.throws(() => evaluateObjective(base, { kind: 'slices', samples: [] }), BudgetInputError);
    const ts: ObjectiveSpec = { ...base, budgetingMethod: 'Timeslices', timeSliceTarget: '0.99' };
    assert.throws(() => evaluateObjective(ts, { kind: 'sliceOutcomes', outcomes: { good: 1, bad: 0, empty: 0 } }), /timeSliceWindow/);
    const cal: ObjectiveSpec = { ...ts, timeSliceWindowMinutes: 1, window: { kind: 'calendar', unit: 'M', count: 1, startTime: '2026-01-01', timeZone: 'UTC', label: '1M' } };
    assert.throws(() => evaluateObjective(cal, { kind: 'sliceOutcomes', outcomes: { good: 1, bad: 0, empty: 0 } }), /evaluation time/);
    const rts: ObjectiveSpec = { ...base, budgetingMethod: 'RatioTimeslices', timeSliceWindowMinutes: 1 };
    assert.throws(() => evaluateObjective(rts, { kind: 'sliceOutcomes', outcomes: { good: 1, bad: 0, empty: 0 } }), BudgetInputError);
  });
});
