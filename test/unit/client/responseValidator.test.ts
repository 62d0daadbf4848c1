import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaProblem } from '../../../src/sdk/client/responseValidator';
import { aBudgetFigures, aGroupBudget, aResultMeta, anApiResult } from '../../support/builders';

describe('response validation against the shared schemas', () => {
  test('well-formed results pass', () => {
    assert.equal(schemaProblem('GroupList', anApiResult([aGroupBudget()])), null);
    assert.equal(schemaProblem('Group', anApiResult(aGroupBudget({ customTarget: { target: '99.80', reason: 'r', reviewDate: '2026-09-30', expired: true } }))), null);
    // no data: availability and the minutes are null, never 0 or 100 %
    const noData = aGroupBudget({ availability: null, spentMinutes: null, remainingMinutes: null, remainingFraction: null, costOfOneFailureMinutes: null, status: 'no_data', trafficShare: null });
    assert.equal(schemaProblem('Group', anApiResult(noData)), null);
    assert.equal(schemaProblem('TopEndpoints', anApiResult({ scope: { group: 'g' }, total: aBudgetFigures(), endpoints: [] })), null);
  });

  test('a wrong type is reported with its JSON path', () => {
    assert.equal(schemaProblem('GroupList', anApiResult([aGroupBudget({ budgetMinutes: '20.16' as unknown as number })])), '/data/0/budgetMinutes must be number');
  });

  test('a missing field, a bad enum and a bad scope are rejected', () => {
    const { target: _target, ...noTarget } = aGroupBudget();
    assert.match(schemaProblem('Group', anApiResult(noTarget)) ?? '', /must have required property 'target'/);
    assert.match(schemaProblem('Group', anApiResult(aGroupBudget({ status: 'fine' as 'healthy' }))) ?? '', /^\/data\/status/);
    assert.notEqual(schemaProblem('TopEndpoints', anApiResult({ scope: { team: 'g' }, total: aBudgetFigures(), endpoints: [] })), null);
    assert.match(schemaProblem('Group', { data: aGroupBudget() }) ?? '', /required property 'meta'/);
    assert.match(schemaProblem('Group', anApiResult(aGroupBudget(), { ...aResultMeta(), asOf: 5 as unknown as string })) ?? '', /^\/meta\/asOf/);
  });

  test('meta.catalogChanges (issue 15 item 1): optional; when present each change is checked', () => {
    const meta = {
      ...aResultMeta(),
      catalogChanges: [
        { at: '2026-11-15T00:00:00.000Z', kind: 'group_renamed' as const, from: 'code_review', to: 'code_review_ui' },
        { at: '2026-11-15T00:00:00.000Z', kind: 'category_moved' as const, category: 'team_planning', from: 'project_management', to: 'knowledge' },
      ],
    };
    assert.equal(schemaProblem('GroupList', anApiResult([aGroupBudget()], meta)), null);
    assert.match(schemaProblem('GroupList', anApiResult([aGroupBudget()], { ...meta, catalogChanges: [{ at: 'x', kind: 'moved' as 'category_moved' }] })) ?? '', /^\/meta\/catalogChanges\/0\/kind/);
    assert.match(schemaProblem('GroupList', anApiResult([aGroupBudget()], { ...meta, catalogChanges: [{ kind: 'category_added' as const, to: 'g' } as never] })) ?? '', /required property 'at'/);
  });
});
