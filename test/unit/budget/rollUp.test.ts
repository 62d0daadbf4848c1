/**
 * Roll-ups endpoints -> categories -> groups, per component, summed before dividing
 * (src/sdk/budget/rollUp.ts: the store's groupCounts uses it; the bench's endpoints -> categories step too).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateCategoriesToGroups, sumComponentsByKey } from '../../../src/sdk/budget/rollUp';
import { computeBudget } from '../../../src/sdk/budget/budgetMath';
import { WINDOW_28D } from '../../../src/sdk/budget/window';
import type { CategoryCounts, EndpointCounts } from '../../../src/sdk/contract/budgetSource';

/** Endpoint rows summed per category, as a source's SQL or PromQL does (bench/budget.ts the same). */
function aggregateEndpointsByCategory(endpoints: readonly EndpointCounts[]): CategoryCounts[] {
  return [...sumComponentsByKey(endpoints, (e) => e.category, (e) => [e])].map(([category, components]) => ({ category, components }));
}

function ep(endpointId: string, category: string, component: string, s: number, w: number, o: number, e: number, hasErrorSli = true): EndpointCounts {
  return { endpointId, category, component, urgency: 'default', counts: { apdexSuccess: s, apdexWeight: w, ops: o, errors: e }, hasErrorSli };
}

const rows = [
  ep('A', 'team_planning', 'rails_request', 445, 450, 450, 5),
  ep('B', 'team_planning', 'rails_request', 9545, 9550, 9550, 0),
  ep('W', 'team_planning', 'sidekiq_execution', 10, 10, 99, 99, false),
  ep('C', 'source_code_management', 'rails_request', 1, 2, 3, 4),
];

test('endpoints sum per category and component; rows without an error SLI add no o/e', () => {
  const cats = aggregateEndpointsByCategory(rows);
  assert.deepEqual(cats, [
    {
      category: 'team_planning',
      components: [
        // 445 + 9545, 450 + 9550, 450 + 9550, 5 + 0
        { component: 'rails_request', counts: { apdexSuccess: 9990, apdexWeight: 10000, ops: 10000, errors: 5 }, hasErrorSli: true },
        { component: 'sidekiq_execution', counts: { apdexSuccess: 10, apdexWeight: 10, ops: 0, errors: 0 }, hasErrorSli: false },
      ],
    },
    { category: 'source_code_management', components: [{ component: 'rails_request', counts: { apdexSuccess: 1, apdexWeight: 2, ops: 3, errors: 4 }, hasErrorSli: true }] },
  ]);
});

test('categories roll up into their groups; the F1 example survives the roll-up', () => {
  const groups = aggregateCategoriesToGroups(aggregateEndpointsByCategory(rows.slice(0, 2)), () => 'project_management');
  assert.equal(groups.length, 1);
  const b = computeBudget(groups[0]!.components, { target: '99.95', window: WINDOW_28D });
  assert.equal(b.spentMinutes, 30.24);
  assert.equal(b.remainingMinutes, -10.08);
});

test('two categories of one group merge per component', () => {
  const groups = aggregateCategoriesToGroups(aggregateEndpointsByCategory(rows), () => 'g');
  const rails = groups[0]?.components.find((c) => c.component === 'rails_request');
  assert.deepEqual(rails?.counts, { apdexSuccess: 9991, apdexWeight: 10002, ops: 10003, errors: 9 });
});
