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

  test('a worker made by concerns: ApplicationWorker and feature_category come from `included do` blocks', () => {
    // ImportIssueWorker includes ObjectImporter, whose `included do` includes ApplicationWorker and
    // GithubImport::Queue, whose `included do` declares feature_category :importers, urgency :throttled.
    const e = ws.endpoint('app/workers/gitlab/github_import/import_issue_worker.rb', 'Gitlab::GithubImport::ImportIssueWorker');
    assert.deepEqual([e.kind, e.category, e.urgency, e.thresholdS, e.line, e.attribution], ['sidekiq', 'importers', 'throttled', 300, 5, 'inherited']);
    // A value the class writes itself is its own declaration: urgency :low overrides the concern's default.
    const note = ws.endpoint('app/workers/gitlab/github_import/import_note_worker.rb', 'Gitlab::GithubImport::ImportNoteWorker');
    assert.deepEqual([note.category, note.urgency, note.thresholdS], ['importers', 'low', 300]);
    // The concerns themselves are modules: no endpoints of their own, and :throttled is a valid
    // urgency there (a concern may be included by workers or controllers).
    const queue = ws.map('app/workers/concerns/gitlab/github_import/queue.rb');
    assert.deepEqual([queue.endpoints, queue.findings], [[], []]);
  });
});
