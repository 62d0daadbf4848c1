import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countExpr,
  exactAlternation,
  promDuration,
  promString,
  resolveMetricNames,
  vectorSelector,
  type CountQuerySpec,
} from '../../../src/sdk/sources/prometheusQueries';

const SEL = { environment: 'gprd', stage: 'main' };

function spec(over: Partial<CountQuerySpec>): CountQuerySpec {
  return { mode: 'recording_rules', names: resolveMetricNames(), selectors: SEL, evaluationIntervalSeconds: 60, target: { level: 'stage_group' }, ...over };
}

describe('PromQL builders', () => {
  test('stage_group counts: one query per kind, all groups by (stage_group, component), scaled by the evaluation interval', () => {
    assert.equal(
      countExpr(spec({ target: { level: 'stage_group', groups: ['source_code', 'code_review'] } }), 'errors', '28d'),
      'sum by (stage_group, component) (sum_over_time(gitlab:component:stage_group:execution:error:rate_1h{environment="gprd",stage="main",stage_group=~"code_review|source_code"}[28d])) * 60',
    );
    // Apdex weight is the *score_1h* series at group and category level (domain.md section 4).
    assert.match(countExpr(spec({}), 'apdexWeight', '7d'), /gitlab:component:stage_group:execution:apdex:weight:score_1h\{environment="gprd",stage="main"\}\[7d\]/);
    assert.match(countExpr(spec({ evaluationIntervalSeconds: 30 }), 'ops', '1d'), /\) \* 30$/);
  });

  test('feature_category counts narrowed by categories', () => {
    assert.equal(
      countExpr(spec({ target: { level: 'feature_category', categories: ['team_planning'] } }), 'apdexSuccess', '1h'),
      'sum by (feature_category, component) (sum_over_time(gitlab:component:feature_category:execution:apdex:success:rate_1h{environment="gprd",stage="main",feature_category=~"team_planning"}[1h])) * 60',
    );
  });

  test('endpoint counts: per-component series tagged with label_replace and unioned with or', () => {
    const names = resolveMetricNames({ endpointComponents: ['rails_request', 'sidekiq_execution'] });
    const expr = countExpr(spec({ names, target: { level: 'endpoint', mappingGroups: ['source_code'] } }), 'ops', '28d');
    const part = (c: string) =>
      `label_replace(sum by (endpoint_id, worker, feature_category, request_urgency, urgency) (sum_over_time(application_sli_aggregation:${c}:ops:rate_1h{environment="gprd",stage="main"}[28d]) and on (feature_category) gitlab:feature_category:stage_group:mapping{stage_group=~"source_code"}), "component", "${c}", "", "")`;
    assert.equal(expr, `(${part('rails_request')} or ${part('sidekiq_execution')}) * 60`);
  });

  test('raw mode uses increase() on gitlab_sli_* counters, unscaled', () => {
    const names = resolveMetricNames({ rawComponents: ['sidekiq_execution'] });
    assert.equal(
      countExpr(spec({ mode: 'raw', names, target: { level: 'feature_category', categories: ['a', 'b'] } }), 'apdexWeight', '28d'),
      'label_replace(sum by (feature_category) (increase(gitlab_sli_sidekiq_execution_apdex_total{environment="gprd",stage="main",feature_category=~"a|b"}[28d])), "component", "sidekiq_execution", "", "")',
    );
    assert.throws(() => countExpr(spec({ mode: 'raw' }), 'ops', '28d'), /no stage_group label/);
  });

  test('metric name overrides merge per field', () => {
    const names = resolveMetricNames({ stageGroup: { errors: 'my:errors' }, mapping: 'my:mapping' });
    assert.equal(names.stageGroup.errors, 'my:errors');
    assert.equal(names.stageGroup.ops, 'gitlab:component:stage_group:execution:ops:rate_1h');
    assert.equal(names.mapping, 'my:mapping');
    assert.match(countExpr(spec({ names }), 'errors', '1h'), /^sum by \(stage_group, component\) \(sum_over_time\(my:errors\{/);
  });

  test('a metric prefix applies to every name, overrides included', () => {
    const names = resolveMetricNames({ stageGroup: { errors: 'my:errors' } }, 'tenant_a:');
    assert.equal(names.stageGroup.errors, 'tenant_a:my:errors');
    assert.equal(names.raw.ops, 'tenant_a:gitlab_sli_{component}_total');
    assert.equal(names.mapping, 'tenant_a:gitlab:feature_category:stage_group:mapping');
    assert.equal(names.ignoredComponent, 'tenant_a:gitlab:ignored_component:stage_group');
    assert.deepEqual(names.rawComponents, ['rails_request', 'graphql_query', 'sidekiq_execution']);
  });

  test('label values are escaped; regex alternations are exact, sorted and deduplicated', () => {
    assert.equal(promString('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(vectorSelector('m', [{ label: 'x', op: '=', value: 'q"' }]), 'm{x="q\\""}');
    assert.equal(vectorSelector('m', []), 'm');
    assert.equal(exactAlternation(['b.c', 'a', 'b.c', 'self-hosted_models']), 'a|b\\.c|self-hosted_models');
  });

  test('durations: largest whole unit', () => {
    assert.equal(promDuration(2_419_200), '28d');
    assert.equal(promDuration(21_600), '6h');
    assert.equal(promDuration(5400), '90m');
    assert.equal(promDuration(3725), '3725s');
    assert.throws(() => promDuration(0), RangeError);
  });
});
