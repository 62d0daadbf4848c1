/**
 * `budget-lens map`, `endpoints` and `lint` run in-process through main(argv, io) on
 * examples/gitlab-style, with captured streams: exact output lines and exit codes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';

const REPO_ROOT = join(__dirname, '../../..');
const EXAMPLE = join(REPO_ROOT, 'examples/gitlab-style');
const CATALOG = join(REPO_ROOT, 'catalog/gitlab');
/** The catalog line map, endpoints and lint print for the example (its .budgetlens.yml names catalog/gitlab). */
const EXAMPLE_CATALOG = `catalog: ${join(CATALOG, 'stages.yml')} (.budgetlens.yml)`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  lines: string[];
}

function sink(chunks: string[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
}

async function cli(argv: string[], cwd = REPO_ROOT): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: sink(out), stderr: sink(err), cwd, env: {} };
  const code = await main(argv, io);
  const stdout = out.join('');
  return { code, stdout, stderr: err.join(''), lines: stdout.split('\n') };
}

describe('budget-lens map', () => {
  test('from the repo root on examples/gitlab-style: file -> category -> group -> stage and endpoints', async () => {
    const r = await cli(['map', 'examples/gitlab-style']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines[0], EXAMPLE_CATALOG);
    const start = r.lines.indexOf('app/controllers/projects/issues_controller.rb');
    assert.ok(start >= 0);
    assert.deepEqual(r.lines.slice(start, start + 9), [
      'app/controllers/projects/issues_controller.rb',
      '  team_planning           project_management  plan       (declaration)',
      '  service_desk            project_management  plan       (declaration)',
      '      16  Projects::IssuesController#index                                      team_planning           low      5s',
      '      26  Projects::IssuesController#show                                       team_planning           low      5s',
      '      36  Projects::IssuesController#new                                        team_planning           default  1s',
      '      40  Projects::IssuesController#create                                     team_planning           high     0.25s',
      '      50  Projects::IssuesController#update                                     team_planning           default  1s',
      '      55  Projects::IssuesController#service_desk                               service_desk            default  1s',
    ]);
    assert.deepEqual(r.lines.slice(-3), ['', '27 files, 56 endpoints', '']);
  });

  test('a path filter, the inherited category, the annotation over the path rule', async () => {
    const r = await cli(['map', 'examples/gitlab-style/app/controllers/projects/merge_requests', 'examples/gitlab-style/scripts']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.lines, [
      EXAMPLE_CATALOG,
      'app/controllers/projects/merge_requests/application_controller.rb',
      '  code_review_workflow    code_review         create  (declaration)',
      'app/controllers/projects/merge_requests/diffs_controller.rb',
      '  code_review_workflow    code_review         create  (inherited)',
      '      11  Projects::MergeRequests::DiffsController#show            code_review_workflow  default  1s',
      '      15  Projects::MergeRequests::DiffsController#diffs_batch     code_review_workflow  default  1s',
      '      20  Projects::MergeRequests::DiffsController#diffs_metadata  code_review_workflow  default  1s',
      'scripts/pipeline_metrics/exporter.py',
      '  continuous_integration  pipeline_execution  verify  (path_rule)',
      'scripts/pipeline_metrics/retry_stats.py',
      '  code_testing            pipeline_execution  verify  (annotation)',
      '',
      '4 files, 3 endpoints',
      '',
    ]);
  });

  test('--json gives files with categories, groups, stages and endpoints', async () => {
    const r = await cli(['map', '--json', '--root', 'examples/gitlab-style', 'examples/gitlab-style/app/workers/merge_worker.rb']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { root: string; files: Array<{ file: string; categories: unknown[]; endpoints: Array<Record<string, unknown>> }> };
    assert.equal(json.root, EXAMPLE);
    assert.equal(json.files.length, 1);
    assert.deepEqual(json.files[0]?.categories, [{ category: 'code_review_workflow', group: 'code_review', stage: 'create', attribution: 'declaration' }]);
    assert.deepEqual(json.files[0]?.endpoints.map((e) => [e.id, e.kind, e.urgency, e.thresholdS, e.line, e.group]), [['MergeWorker', 'sidekiq', 'high', 10, 3, 'code_review']]);
  });

  test('--catalog overrides the config; a directory without stages.yml is an error with its path', async () => {
    const ok = await cli(['map', '--catalog', CATALOG, 'examples/gitlab-style/lib/api/tags.rb']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.lines[0], `catalog: ${CATALOG} (--catalog)`);
    assert.equal(ok.lines[2], '  source_code_management  source_code  create  (declaration)');
    const bad = await cli(['map', '--catalog', 'examples', 'examples/gitlab-style']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, `budget-lens map: ${join(REPO_ROOT, 'examples/stages.yml')}:1:1: no stages.yml in the catalog directory ${join(REPO_ROOT, 'examples')} (--catalog)\n`);
  });

  test('--help prints the usage and exits 0', async () => {
    for (const command of ['map', 'endpoints', 'lint']) {
      const r = await cli([command, '--help']);
      assert.equal(r.code, 0);
      assert.ok(r.stdout.startsWith(`usage: budget-lens ${command} `), r.stdout);
    }
  });

  test('usage errors exit 2: unknown flag, missing path', async () => {
    const flag = await cli(['map', '--bogus']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /^budget-lens map: Unknown option '--bogus'/);
    const missing = await cli(['map', 'examples/nope']);
    assert.deepEqual([missing.code, missing.stderr], [2, 'budget-lens map: no such file or directory: examples/nope\n']);
  });

  test('no configuration at all: the bundled GitLab catalog, named with its date; a file path roots at its folder', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'bl-cli-'));
    try {
      writeFileSync(join(empty, 'issues_controller.rb'), 'class IssuesController < ApplicationController\n  feature_category :team_planning\n\n  def index\n  end\nend\n');
      const none = await cli(['map'], empty);
      assert.equal(none.code, 0, none.stderr);
      // Before the default catalog this was exit 2, "no catalog: pass --catalog <dir> or set catalog.stages".
      assert.deepEqual(none.lines, [
        'catalog: GitLab catalog snapshot 2025-04-04 (runbooks 8df1fb73), bundled',
        'issues_controller.rb',
        '  team_planning  project_management  plan  (declaration)',
        '       4  IssuesController#index  team_planning  default  1s',
        '',
        '1 file, 1 endpoint',
        '',
      ]);
      // A file path outside any config: the root is its folder (it was the file itself, and ripgrep failed to start there).
      const file = await cli(['map', join(empty, 'issues_controller.rb')]);
      assert.equal(file.code, 0, file.stderr);
      assert.equal(file.lines[1], 'issues_controller.rb');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('a GitLab checkout without configuration: its own config/feature_categories.yml decides which categories are valid', async () => {
    const checkout = mkdtempSync(join(tmpdir(), 'bl-cli-checkout-'));
    try {
      mkdirSync(join(checkout, 'config'));
      mkdirSync(join(checkout, 'app/controllers'), { recursive: true });
      // A newer list than the snapshot: brand_new_thing is valid here, though no snapshot group owns it.
      writeFileSync(join(checkout, 'config/feature_categories.yml'), '---\n- brand_new_thing\n- team_planning\n');
      writeFileSync(join(checkout, 'app/controllers/things_controller.rb'), 'class ThingsController < ApplicationController\n  feature_category :brand_new_thing\n\n  def index\n  end\nend\n');
      const r = await cli(['lint', join(checkout, 'app/controllers/things_controller.rb')]);
      assert.deepEqual([r.code, r.stdout], [0, '']);
      assert.equal(r.stderr, "catalog: GitLab catalog snapshot 2025-04-04 (runbooks 8df1fb73), bundled; valid categories from this checkout's config/feature_categories.yml\n0 errors, 0 warnings, 0 notes\n");
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});

describe('budget-lens endpoints', () => {
  test('--group project_management lists the inventory of that group', async () => {
    const r = await cli(['endpoints', '--group', 'project_management'], EXAMPLE);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines[0], EXAMPLE_CATALOG);
    assert.equal(r.lines[1], 'ID                                                                    KIND       CATEGORY       GROUP               URGENCY  THRESHOLD  LOCATION');
    assert.equal(r.lines[2], 'GET /-/boards/:board_id/lists                                         annotated  team_planning  project_management  default  1s         app/assets/javascripts/boards/board_list_api.ts:14');
    assert.equal(r.lines[12], 'WorkItems::CopyTimelogsWorker                                         sidekiq    team_planning  project_management  high     10s        app/workers/work_items/copy_timelogs_worker.rb:4');
    assert.deepEqual(r.lines.slice(-3), ['', '17 endpoints', '']);
  });

  test('--category service_desk --json', async () => {
    const r = await cli(['endpoints', '--category', 'service_desk', '--json'], EXAMPLE);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Array<{ id: string; file: string; line: number; stage: string }>;
    assert.deepEqual(rows.map((e) => `${e.id} ${e.file}:${e.line} ${e.stage}`), [
      'Projects::IssuesController#service_desk app/controllers/projects/issues_controller.rb:55 plan',
      'Projects::LabelsController#index app/controllers/projects/labels_controller.rb:13 plan',
      'GET /api/:version/projects/:id/issues/:issue_iid/service_desk_emails lib/api/issues.rb:43 plan',
    ]);
  });

  test('an unknown group or category is a usage error', async () => {
    const g = await cli(['endpoints', '--group', 'nope'], EXAMPLE);
    assert.deepEqual([g.code, g.stderr], [2, 'budget-lens endpoints: --group: unknown group "nope"\n']);
    const c = await cli(['endpoints', '--category', 'team_planing'], EXAMPLE);
    assert.deepEqual([c.code, c.stderr], [2, 'budget-lens endpoints: --category: unknown feature category "team_planing"\n']);
    const extra = await cli(['endpoints', 'app'], EXAMPLE);
    assert.equal(extra.code, 2);
  });
});

describe('budget-lens lint', () => {
  test('prints the deliberate mistakes sorted as file:line:col and exits 1', async () => {
    const r = await cli(['lint', 'examples/gitlab-style']);
    assert.equal(r.code, 1);
    assert.deepEqual(r.lines, [
      "app/controllers/projects/commits_controller.rb:12:3: error: feature_category for signatures under the class default feature_category :source_code_management (line 10); GitLab raises on load [action_under_class_default]",
      "app/controllers/projects/labels_controller.rb:11:3: error: feature_category for action index re-declared as :service_desk; it was :team_planning (line 9); GitLab raises on load [redeclared_action]",
      "app/controllers/projects/milestones_controller.rb:11:20: error: unknown feature category 'team_planing'; did you mean 'team_planning'? [unknown_category]",
      "app/controllers/projects/pipeline_schedules_controller.rb:9:11: error: unknown urgency 'urgent' for a request; expected one of high, medium, default, low [unknown_urgency]",
      '',
    ]);
    assert.equal(r.stderr, `${EXAMPLE_CATALOG}\n4 errors, 0 warnings, 0 notes\n`);
  });

  test('a clean subtree exits 0 with no output', async () => {
    const r = await cli(['lint', 'examples/gitlab-style/lib']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', `${EXAMPLE_CATALOG}\n0 errors, 0 warnings, 0 notes\n`]);
  });

  test('a path rule with an unknown category is reported at its place in .budgetlens.yml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bl-cli-'));
    try {
      cpSync(EXAMPLE, dir, { recursive: true });
      const config = join(dir, '.budgetlens.yml');
      writeFileSync(config, readFileSync(config, 'utf8').replace('category: continuous_integration', 'category: continous_integration'));
      const r = await cli(['lint', '--catalog', CATALOG, '--root', dir, join(dir, '.budgetlens.yml'), join(dir, 'scripts')]);
      assert.equal(r.code, 1);
      assert.deepEqual(r.lines, [
        ".budgetlens.yml:18:17: error: path rule \"scripts/pipeline_metrics/**\" maps to unknown feature category 'continous_integration'; did you mean 'continuous_integration'? [unknown_category]",
        '',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a custom target past its review date is a warning at its group key in .budgetlens.yml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bl-cli-'));
    try {
      cpSync(EXAMPLE, dir, { recursive: true });
      const config = join(dir, '.budgetlens.yml');
      const groups = ['groups:', '  pipeline_execution:', '    customTarget: { target: "99.80", reason: legacy runners, reviewDate: 2020-01-31 }', ''].join('\n');
      writeFileSync(config, readFileSync(config, 'utf8').replace('mapping:\n', `${groups}mapping:\n`));
      // groups: is line 9 of the config, the group key line 10 at column 3.
      const r = await cli(['lint', '--catalog', CATALOG, '--root', dir, join(dir, '.budgetlens.yml')]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.lines, [
        '.budgetlens.yml:10:3: warning: custom target 99.80 % for group "pipeline_execution" passed its review date 2020-01-31: review it, or remove it to return to 99.95 % [expired_custom_target]',
        '',
      ]);
      assert.match(r.stderr, /\n0 errors, 1 warning, 0 notes\n$/);
      const json = await cli(['lint', '--json', '--catalog', CATALOG, '--root', dir, join(dir, '.budgetlens.yml')]);
      const findings = JSON.parse(json.stdout) as Array<{ code: string; severity: string; file: string; line: number; column: number }>;
      assert.deepEqual(
        findings.map((f) => [f.code, f.severity, f.file, f.line, f.column]),
        [['expired_custom_target', 'warning', '.budgetlens.yml', 10, 3]],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--json gives the findings with codes and suggestions', async () => {
    const r = await cli(['lint', '--json', 'examples/gitlab-style/app/controllers/projects/milestones_controller.rb']);
    assert.equal(r.code, 1);
    const findings = JSON.parse(r.stdout) as Array<{ code: string; line: number; column: number; suggestion?: string }>;
    assert.deepEqual(findings.map((f) => [f.code, f.line, f.column, f.suggestion]), [['unknown_category', 11, 20, 'team_planning']]);
  });
});
