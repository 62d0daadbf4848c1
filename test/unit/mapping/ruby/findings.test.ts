/**
 * Validation findings as data, each with file, line and column: unknown categories (with the
 * closest known name), re-declared actions and per-action values under a class default (GitLab
 * raises on both), unknown urgencies, and Ruby syntax errors.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Finding } from '../../../../src/sdk/mapping/types';
import { FixtureWorkspace } from './fixtureWorkspace';

let ws: FixtureWorkspace;
before(async () => {
  ws = await FixtureWorkspace.load();
});

function summary(findings: Finding[]): unknown[] {
  return findings.map((f) => [f.code, f.severity, f.file, f.line, f.column, f.suggestion]);
}

describe('findings', () => {
  test('unknown_category points at the value and suggests the closest catalog name', () => {
    const file = 'findings/unknown_category_controller.rb';
    const m = ws.map(file);
    assert.deepEqual(summary(m.findings), [
      // `  feature_category :team_plannign, [:index]`: the symbol starts at column 20.
      ['unknown_category', 'error', file, 2, 20, 'team_planning'],
      // Nothing within a third of the length: no suggestion.
      ['unknown_category', 'error', file, 3, 20, undefined],
    ]);
    assert.match(m.findings[0]?.message ?? '', /did you mean 'team_planning'/);
    // The endpoint keeps the declared (misspelt) name: that is what the code would report.
    assert.equal(m.endpoints[0]?.category, 'team_plannign');
  });

  test('redeclared_action: the same action with a different value (the same value is allowed)', () => {
    const file = 'findings/redeclared_controller.rb';
    const m = ws.map(file);
    assert.deepEqual(summary(m.findings), [['redeclared_action', 'error', file, 4, 3, undefined]]);
    assert.match(m.findings[0]?.message ?? '', /show re-declared as :service_desk; it was :team_planning \(line 2\)/);
  });

  test('action_under_class_default: a per-action value after a different class default (a default after per-action values is fine)', () => {
    const file = 'findings/class_default_controller.rb';
    const m = ws.map(file);
    // Line 5 (`urgency :high` after `urgency :low, [:show]`) is not reported: GitLab's
    // EndpointAttributes::Config#set checks a class default only against an earlier default.
    assert.deepEqual(summary(m.findings), [['action_under_class_default', 'error', file, 3, 3, undefined]]);
    assert.match(m.findings[0]?.message ?? '', /feature_category for show under the class default feature_category :team_planning/);
  });

  test("GitLab's order rules: per-action before a default, equal values and a second equal default are fine", () => {
    const file = 'findings/class_default_order_controller.rb';
    const m = ws.map(file);
    assert.deepEqual(summary(m.findings), [
      // `urgency :default, [:erase]` under the class default `urgency :low` (line 5).
      ['action_under_class_default', 'error', file, 12, 3, undefined],
      // `feature_category :pipeline_composition`: a second class default with another value.
      ['redeclared_default', 'error', file, 13, 3, undefined],
    ]);
    assert.match(m.findings[0]?.message ?? '', /urgency for erase under the class default urgency :low \(line 5\)/);
    assert.match(m.findings[1]?.message ?? '', /class default feature_category re-declared as :pipeline_composition; it was :continuous_integration \(line 9\)/);
    // Per-action values win over the class default whichever came first, as attribute_for_action reads them.
    assert.deepEqual(m.endpoints.map((e) => [e.id, e.category, e.urgency, e.line]), [
      ['Projects::PipelineJobsController#index', 'continuous_integration', 'high', 15],
      ['Projects::PipelineJobsController#show', 'continuous_integration', 'high', 16],
      ['Projects::PipelineJobsController#trace', 'continuous_integration', 'low', 17],
      ['Projects::PipelineJobsController#raw', 'continuous_integration', 'low', 18],
      ['Projects::PipelineJobsController#erase', 'continuous_integration', 'default', 19],
    ]);
  });

  test('unknown_urgency: :medium is not a worker urgency; :critical is no urgency at all', () => {
    const file = 'findings/unknown_urgency.rb';
    const m = ws.map(file);
    assert.deepEqual(summary(m.findings), [
      ['unknown_urgency', 'error', file, 5, 11, undefined],
      ['unknown_urgency', 'error', file, 10, 11, undefined],
    ]);
    assert.match(m.findings[0]?.message ?? '', /expected one of high, low, throttled/);
    // Unknown urgencies fall back to the component default: worker low 300 s, request default 1 s.
    assert.deepEqual(m.endpoints.map((e) => [e.id, e.urgency, e.thresholdS]), [
      ['Gitlab::SomeUrgentWorker', 'low', 300],
      ['Projects::UrgentController#show', 'default', 1],
    ]);
  });

  test('a conflict between a class and its EE module is reported once, in the file of the later declaration', async () => {
    const local = await FixtureWorkspace.of({
      'app/controllers/projects/labels_controller.rb':
        "class Projects::LabelsController < ApplicationController\n  feature_category :team_planning, [:index]\n  def index; end\nend\n\nProjects::LabelsController.prepend_mod\n",
      'ee/app/controllers/ee/projects/labels_controller.rb':
        'module EE\n  module Projects\n    module LabelsController\n      extend ActiveSupport::Concern\n      prepended do\n        feature_category :service_desk, [:index]\n      end\n    end\n  end\nend\n',
    });
    assert.deepEqual(local.map('app/controllers/projects/labels_controller.rb').findings, []);
    const ee = local.map('ee/app/controllers/ee/projects/labels_controller.rb').findings;
    assert.deepEqual(summary(ee), [['redeclared_action', 'error', 'ee/app/controllers/ee/projects/labels_controller.rb', 6, 9, undefined]]);
    assert.match(ee[0]?.message ?? '', /app\/controllers\/projects\/labels_controller\.rb:2/);
  });

  test('parse_error: the first syntax error with its location, and what is recoverable is still extracted', () => {
    const file = 'findings/syntax_error_controller.rb';
    const m = ws.map(file);
    // Line 3 `  urgency :low, [:index, :show` never closes its array; tree-sitter stops at `:show` (3:26).
    assert.deepEqual(summary(m.findings), [['parse_error', 'error', file, 3, 26, undefined]]);
    // The class, its superclass and the feature_category before the error survive.
    assert.deepEqual(m.endpoints.map((e) => [e.id, e.category, e.line]), [['Projects::BrokenController#index', 'team_planning', 5]]);
  });

  test('a file with findings in several classes lists them in line order', async () => {
    const local = await FixtureWorkspace.of({
      'x.rb': 'class AController < ApplicationController\n  feature_category :wikki\nend\n\nclass BWorker\n  include ApplicationWorker\n  urgency :medium\nend\n',
    });
    assert.deepEqual(
      local.map('x.rb').findings.map((f) => [f.code, f.line, f.column, f.suggestion]),
      [
        ['unknown_category', 2, 20, 'wiki'],
        ['unknown_urgency', 7, 11, undefined],
      ],
    );
  });

  test('absurdly deep nesting is reported as skipped instead of overflowing the stack', async () => {
    // 3,000 nested modules: the 65th `module A` (line 65) is where mapping stops.
    const text = 'module A\n'.repeat(3000) + 'class BController\n  def x; end\nend\n' + 'end\n'.repeat(3000);
    const local = await FixtureWorkspace.of({ 'deep.rb': text });
    const m = local.map('deep.rb');
    assert.deepEqual(m.findings.map((f) => [f.code, f.severity, f.line, f.column]), [['file_skipped', 'warning', 65, 1]]);
    assert.equal(m.endpoints.length, 0);
  });

  test('in a concern, only urgencies no component has are reported', async () => {
    const local = await FixtureWorkspace.of({
      'concern.rb': 'module Foo\n  extend ActiveSupport::Concern\n  included do\n    urgency :throttled\n    urgency :urgentest\n  end\nend\n',
    });
    const findings = local.map('concern.rb').findings;
    assert.deepEqual(findings.map((f) => [f.code, f.line, f.column]), [['unknown_urgency', 5, 13]]);
    assert.match(findings[0]?.message ?? '', /expected one of high, medium, default, low, throttled/);
  });

  test('an unclosed class is reported at its start; a surplus end at the end', async () => {
    const local = await FixtureWorkspace.of({
      'unclosed.rb': 'class AController < ApplicationController\n  feature_category :wiki\n  def show\n',
      'surplus.rb': 'class AController < ApplicationController\n  feature_category :wiki\nend\nend\n',
    });
    const unclosed = local.map('unclosed.rb').findings;
    assert.deepEqual(unclosed.map((f) => [f.code, f.line, f.column]), [['parse_error', 1, 1]]);
    assert.match(unclosed[0]?.message ?? '', /the class starting here does not parse: .*missing end/);
    // The declaration before the damage is still read.
    assert.equal(local.map('unclosed.rb').categories[0]?.category, 'wiki');
    // tree-sitter-ruby takes a surplus `end` for an identifier; Ruby does not.
    const surplus = local.map('surplus.rb').findings;
    assert.deepEqual(surplus.map((f) => [f.code, f.line, f.column]), [['parse_error', 4, 1]]);
    assert.match(surplus[0]?.message ?? '', /unexpected "end"/);
  });
});
