/**
 * Sidekiq workers: id = class name, feature_category (incl. :not_owned), urgency
 * (sidekiq_execution: high 10 s, low 300 s (default), throttled 300 s; domain.md section 1).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FixtureWorkspace } from './fixtureWorkspace';

let ws: FixtureWorkspace;
before(async () => {
  ws = await FixtureWorkspace.load();
});

describe('Sidekiq workers', () => {
  test('domain.md example: WorkItems::CopyTimelogsWorker, team_planning, urgency :high -> 10 s', () => {
    const m = ws.map('app/workers/work_items/copy_timelogs_worker.rb');
    assert.deepEqual(m.endpoints, [
      {
        id: 'WorkItems::CopyTimelogsWorker',
        kind: 'sidekiq',
        category: 'team_planning',
        urgency: 'high',
        thresholdS: 10,
        file: 'app/workers/work_items/copy_timelogs_worker.rb',
        line: 4,
        attribution: 'declaration',
      },
    ]);
    assert.deepEqual(
      m.categories.map((r) => [r.scope, r.name, r.category, r.startLine, r.endLine]),
      [['class', 'WorkItems::CopyTimelogsWorker', 'team_planning', 4, 21]],
    );
  });

  test(':not_owned with urgency :throttled -> 300 s', () => {
    const e = ws.endpoint('app/workers/stuck_export_jobs_worker.rb', 'StuckExportJobsWorker');
    assert.deepEqual([e.category, e.urgency, e.thresholdS, e.line], ['not_owned', 'throttled', 300, 3]);
  });

  test('Sidekiq::Job without an urgency defaults to low -> 300 s', () => {
    const e = ws.endpoint('app/workers/ci/archive_trace_worker.rb', 'Ci::ArchiveTraceWorker');
    assert.deepEqual([e.kind, e.category, e.urgency, e.thresholdS], ['sidekiq', 'continuous_integration', 'low', 300]);
  });

  test('a subclass of a workspace worker inherits its category and urgency', () => {
    // `module Ci; class PipelineSuccessWorker < PipelineBaseWorker` resolves to Ci::PipelineBaseWorker.
    const e = ws.endpoint('app/workers/ci/pipeline_success_worker.rb', 'Ci::PipelineSuccessWorker');
    assert.deepEqual([e.category, e.urgency, e.thresholdS, e.attribution], ['continuous_integration', 'high', 10, 'inherited']);
  });

  test('a worker with no feature_category anywhere is unknown', async () => {
    const local = await FixtureWorkspace.of({
      'app/workers/bare_worker.rb': 'class BareWorker\n  include Sidekiq::Worker\n\n  def perform; end\nend\n',
    });
    const e = local.endpoint('app/workers/bare_worker.rb', 'BareWorker');
    assert.deepEqual([e.category, e.urgency, e.thresholdS, e.attribution], ['unknown', 'low', 300, 'unknown']);
    // A worker's `perform` is not a controller action.
    assert.equal(local.map('app/workers/bare_worker.rb').endpoints.length, 1);
  });
});
