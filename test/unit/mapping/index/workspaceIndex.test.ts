/**
 * The index over examples/gitlab-style: exact endpoint ids, categories and lines (read off the
 * example files), reverse lookup, category at file:line, precedence, and the lint findings.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkspaceIndex } from '../../../../src/sdk/mapping/index/workspaceIndex';
import { openExample } from './exampleWorkspace';

const ISSUES = 'app/controllers/projects/issues_controller.rb';

describe('WorkspaceIndex over examples/gitlab-style', () => {
  let index: WorkspaceIndex;
  const events: string[][] = [];
  before(async () => {
    index = (await openExample()).index;
    index.onDidChange((e) => events.push(e.files));
    await index.build();
  });

  test('indexes every source file and the GraphQL operations, none skipped', () => {
    assert.equal(index.files().length, 27);
    assert.equal(index.lastBuild?.files, 27);
    assert.equal(index.lastBuild?.skipped, 0);
    assert.ok(index.files().includes('config/graphql_known_operations.yml'));
  });

  test('Rails actions: per-action categories and urgencies with their def lines', () => {
    const issues = index.endpoints().filter((e) => e.file === ISSUES);
    assert.deepEqual(
      issues.map((e) => `${e.line} ${e.id} ${e.category} ${e.urgency} ${e.thresholdS}`),
      [
        '16 Projects::IssuesController#index team_planning low 5',
        '26 Projects::IssuesController#show team_planning low 5',
        '36 Projects::IssuesController#new team_planning default 1',
        '40 Projects::IssuesController#create team_planning high 0.25',
        '50 Projects::IssuesController#update team_planning default 1',
        '55 Projects::IssuesController#service_desk service_desk default 1',
      ],
    );
  });

  test('an unannotated controller inherits its parent category', () => {
    const ep = index.endpoint('Projects::MergeRequests::DiffsController#diffs_batch');
    assert.equal(ep?.category, 'code_review_workflow');
    assert.equal(ep?.attribution, 'inherited');
    assert.equal(`${ep?.file}:${ep?.line}`, 'app/controllers/projects/merge_requests/diffs_controller.rb:15');
  });

  test('Grape routes include the mount prefix and nested resources; per-route options win', () => {
    const ids = index.endpoints().filter((e) => e.file === 'lib/api/issues.rb').map((e) => `${e.line} ${e.id} ${e.category} ${e.urgency}`);
    assert.deepEqual(ids, [
      '18 GET /api/:version/projects/:id/issues team_planning low',
      '24 GET /api/:version/projects/:id/issues/:issue_iid team_planning medium',
      '30 POST /api/:version/projects/:id/issues team_planning low',
      '37 POST /api/:version/projects/:id/issues/:issue_iid/move team_planning low',
      '43 GET /api/:version/projects/:id/issues/:issue_iid/service_desk_emails service_desk low',
    ]);
  });

  test('Sidekiq workers and GraphQL operations', () => {
    const worker = index.endpoint('WorkItems::CopyTimelogsWorker');
    assert.deepEqual([worker?.kind, worker?.category, worker?.urgency, worker?.thresholdS, worker?.line], ['sidekiq', 'team_planning', 'high', 10, 4]);
    const mirror = index.endpoint('RepositoryUpdateRemoteMirrorWorker');
    assert.deepEqual([mirror?.urgency, mirror?.thresholdS], ['low', 300]);
    const op = index.endpoint('graphql:getPipelineDetails');
    assert.deepEqual([op?.kind, op?.category, op?.file, op?.line], ['graphql', 'continuous_integration', 'config/graphql_known_operations.yml', 2]);
  });

  test('reverse lookup: endpoint id -> file:line, unknown id -> undefined', () => {
    const ep = index.endpoint('GET /api/:version/projects/:id/repository/tags');
    assert.equal(`${ep?.file}:${ep?.line}`, 'lib/api/tags.rb:16');
    assert.equal(index.endpoint('Projects::IssuesController#nope'), undefined);
  });

  test('category at file:line is the innermost range', () => {
    assert.equal(index.categoryAt(ISSUES, 57)?.category, 'service_desk'); // inside def service_desk (55-58)
    assert.equal(index.categoryAt(ISSUES, 20)?.category, 'team_planning'); // inside def index
    assert.equal(index.categoryAt(ISSUES, 60), undefined); // `private` section: no action
    assert.equal(index.categoryAt('lib/api/issues.rb', 44)?.category, 'service_desk'); // route option beats the class default
    assert.equal(index.categoryAt('lib/api/issues.rb', 10)?.category, 'team_planning'); // class body
  });

  test('precedence: annotation beats path rule; a path rule maps an unannotated file', () => {
    const retry = index.categoryAt('scripts/pipeline_metrics/retry_stats.py', 5);
    assert.deepEqual([retry?.category, retry?.attribution], ['code_testing', 'annotation']);
    const exporter = index.categoryAt('scripts/pipeline_metrics/exporter.py', 10);
    assert.deepEqual([exporter?.category, exporter?.attribution], ['continuous_integration', 'path_rule']);
    const blob = index.categoryAt('app/assets/javascripts/repository/blob_viewer.ts', 11);
    assert.deepEqual([blob?.category, blob?.attribution], ['source_code_management', 'path_rule']);
    const annotated = index.endpoint('GET /-/boards/:board_id/lists');
    assert.deepEqual([annotated?.category, annotated?.line], ['team_planning', 14]);
  });

  test('by category: endpoints and files', () => {
    const sd = index.byCategory('service_desk');
    assert.deepEqual(sd.endpoints.map((e) => e.id), [
      'Projects::IssuesController#service_desk',
      'Projects::LabelsController#index',
      'GET /api/:version/projects/:id/issues/:issue_iid/service_desk_emails',
    ]);
    assert.deepEqual(sd.files, ['app/controllers/projects/issues_controller.rb', 'app/controllers/projects/labels_controller.rb', 'lib/api/issues.rb']);
  });

  test('the four deliberate mistakes are error findings at the declaration', () => {
    const errors = index.findings().filter((f) => f.severity === 'error');
    assert.deepEqual(
      errors.map((f) => `${f.file}:${f.line}:${f.column} ${f.code}`),
      [
        'app/controllers/projects/commits_controller.rb:12:3 action_under_class_default',
        'app/controllers/projects/labels_controller.rb:11:3 redeclared_action',
        'app/controllers/projects/milestones_controller.rb:11:20 unknown_category',
        'app/controllers/projects/pipeline_schedules_controller.rb:9:11 unknown_urgency',
      ],
    );
    assert.equal(errors[2]?.suggestion, 'team_planning');
  });

  test('the build emitted one change event with every indexed file', () => {
    assert.equal(events.length, 1);
    assert.deepEqual([...(events[0] ?? [])].sort(), index.files());
  });
});
