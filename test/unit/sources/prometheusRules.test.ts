import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseCatalog } from '../../../src/sdk/catalog/catalogParser';
import { mappingRuleGroup, recordingRuleGroups, renderMappingRules, renderRecordingRules } from '../../../src/sdk/sources/prometheusRules';
import { DEFAULT_METRIC_NAMES } from '../../../src/sdk/sources/prometheusQueries';

const STAGES = 'catalog/gitlab/stages.yml';

describe('shipped recording rules', () => {
  test('prometheus/recording-rules.yml is exactly what recordingRuleGroups() renders (regenerate it if this fails)', () => {
    assert.equal(readFileSync('prometheus/recording-rules.yml', 'utf8'), renderRecordingRules());
  });

  test('they record every series the default mode reads, for every component', () => {
    const records = new Set(recordingRuleGroups().flatMap((g) => g.rules.map((r) => r.record)));
    for (const kind of ['apdexSuccess', 'apdexWeight', 'ops', 'errors'] as const) {
      assert.ok(records.has(DEFAULT_METRIC_NAMES.stageGroup[kind]), kind);
      assert.ok(records.has(DEFAULT_METRIC_NAMES.featureCategory[kind]), kind);
      for (const c of DEFAULT_METRIC_NAMES.endpointComponents) assert.ok(records.has(DEFAULT_METRIC_NAMES.endpoint[kind].replace('{component}', c)), `${c} ${kind}`);
    }
    // 3 components x 4 kinds x 3 levels
    assert.equal(recordingRuleGroups().reduce((n, g) => n + g.rules.length, 0), 36);
    const sidekiq = recordingRuleGroups()[0]!.rules.find((r) => r.record === 'application_sli_aggregation:sidekiq_execution:error:rate_1h');
    assert.equal(sidekiq?.expr, 'sum by (environment, stage, type, worker, feature_category, urgency) (rate(gitlab_sli_sidekiq_execution_error_total[1h]))');
  });

  test('mapping rules: one series per category of the real catalog, labelled with its group and stage', () => {
    const catalog = parseCatalog(readFileSync(STAGES, 'utf8'), STAGES);
    const group = mappingRuleGroup(catalog);
    const mapping = group.rules.filter((r) => r.record === 'gitlab:feature_category:stage_group:mapping');
    assert.equal(mapping.length, catalog.categories.size);
    assert.equal(new Set(mapping.map((r) => r.labels?.['feature_category'])).size, mapping.length);
    assert.deepEqual(
      mapping.find((r) => r.labels?.['feature_category'] === 'team_planning'),
      { record: 'gitlab:feature_category:stage_group:mapping', labels: { feature_category: 'team_planning', stage_group: 'project_management', product_stage: 'plan' }, expr: 'vector(1)' },
    );
    const doc = parse(renderMappingRules(catalog)) as { groups: Array<{ rules: unknown[] }> };
    assert.equal(doc.groups[0]!.rules.length, group.rules.length);
  });
});
