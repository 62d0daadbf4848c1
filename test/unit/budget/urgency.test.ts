import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APDEX_THRESHOLDS_S, DEFAULT_URGENCY, apdexThresholdSeconds, knownUrgency, urgencyNamesOf } from '../../../src/sdk/budget/urgency';
import { ANNOTATED_THRESHOLDS_S } from '../../../src/sdk/mapping/annotations';
import { defaultUrgency, thresholdFor, urgencyFor, urgencyNames } from '../../../src/sdk/mapping/urgency';

describe('the one urgency -> apdex threshold table (domain.md section 1)', () => {
  test('the table', () => {
    assert.deepEqual({ ...APDEX_THRESHOLDS_S.request }, { high: 0.25, medium: 0.5, default: 1, low: 5 });
    assert.deepEqual({ ...APDEX_THRESHOLDS_S.sidekiq }, { high: 10, low: 300, throttled: 300 });
    assert.deepEqual({ ...DEFAULT_URGENCY }, { request: 'default', sidekiq: 'low' });
    assert.ok(Object.isFrozen(APDEX_THRESHOLDS_S.request) && Object.isFrozen(APDEX_THRESHOLDS_S.sidekiq));
  });

  test('names that are not urgencies, inherited properties included, are none', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', '']) {
      assert.equal(knownUrgency('request', name), undefined, name);
      assert.equal(apdexThresholdSeconds('rails_request', name), undefined, name);
    }
    assert.equal(knownUrgency('sidekiq', 'medium'), undefined);
    assert.deepEqual(urgencyNamesOf('sidekiq'), ['high', 'low', 'throttled']);
  });

  test('the log classifier, the Ruby extractors and the annotations read the same numbers', () => {
    assert.equal(ANNOTATED_THRESHOLDS_S, APDEX_THRESHOLDS_S.request);
    for (const [urgency, s] of Object.entries(APDEX_THRESHOLDS_S.request)) {
      for (const kind of ['rails', 'grape', 'graphql', 'annotated'] as const) {
        assert.equal(thresholdFor(kind, urgencyFor(kind, urgency)!), s);
      }
      assert.equal(apdexThresholdSeconds('rails_request', urgency), s);
      assert.equal(apdexThresholdSeconds('graphql_query', urgency), s);
    }
    for (const [urgency, s] of Object.entries(APDEX_THRESHOLDS_S.sidekiq)) {
      assert.equal(thresholdFor('sidekiq', urgencyFor('sidekiq', urgency)!), s);
      assert.equal(apdexThresholdSeconds('sidekiq_execution', urgency), s);
    }
    assert.equal(defaultUrgency('sidekiq'), 'low');
    assert.equal(defaultUrgency('rails'), 'default');
    assert.deepEqual(urgencyNames('grape'), ['high', 'medium', 'default', 'low']);
    // an urgency the kind does not know gets its default's threshold
    assert.equal(thresholdFor('sidekiq', 'medium'), 300);
    assert.equal(thresholdFor('rails', 'throttled'), 1);
  });
});
