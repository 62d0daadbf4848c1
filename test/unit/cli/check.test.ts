/**
 * `budget-lens check`'s pure parts: flags, the verdict of a scope and of the whole check, the
 * changed files -> categories -> groups step, the wording. Figures are built with the engine
 * itself from hand-made counts (domain.md F2-F5, F12), 99.95 % over 28 d (budget 20.16 min).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  changedScopes,
  describeError,
  formatCheck,
  overallVerdict,
  parseCheckArgs,
  scopeNotes,
  scopeVerdict,
} from '../../../src/cli/commands/check';
import type { CheckResult, CheckedScope } from '../../../src/cli/commands/check';
import { checkRange } from '../../../src/cli/gitChanges';
import { UsageError } from '../../../src/cli/io';
import { computeBudgetFromCounts } from '../../../src/sdk/budget/budgetMath';
import { WINDOW_28D } from '../../../src/sdk/budget/window';
import { loadCatalog } from '../../../src/sdk/catalog/catalogParser';
import { UnauthorizedError, UnavailableError } from '../../../src/sdk/client/clientErrors';
import type { FileMapping } from '../../../src/sdk/mapping/types';
import { GITLAB_FIXTURES } from '../../support/builders';

const opts = { target: '99.95', window: WINDOW_28D };

describe('check: flags', () => {
  test('--group and --category repeat (duplicates dropped), --changed combines with them', () => {
    const f = parseCheckArgs(['--group', 'a', '--group', 'b', '--group', 'a', '--category', 'c', '--changed', 'origin/main...HEAD', '--allow-no-data', '--json']);
    assert.deepEqual(f.groups, ['a', 'b']);
    assert.deepEqual(f.categories, ['c']);
    assert.equal(f.changed, 'origin/main...HEAD');
    assert.equal(f.allowNoData, true);
    assert.equal(f.json, true);
  });

  test('no scope at all is a usage error (exit 2 through main)', () => {
    assert.throws(() => parseCheckArgs(['--store', 'x.db']), (e: unknown) => e instanceof UsageError && /nothing to check: give --group, --category or --changed/.test(e.message));
  });

  test('bad --at, --window, --timeout, --changed and --root are usage errors naming the flag', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--group', 'g', '--at', '2026-02-30T00:00:00Z'], /--at: .*February 2026 has 28 days/],
      [['--group', 'g', '--window', '28x'], /--window: expected a window like 28d/],
      [['--group', 'g', '--timeout', '0'], /--timeout: expected seconds/],
      [['--group', 'g', '--timeout', 'soon'], /--timeout: expected seconds/],
      [['--changed', '--output=/tmp/x'], /Option '--changed' argument is ambiguous/],
      [['--changed=--output=/tmp/x'], /--changed: '--output=\/tmp\/x' is not a git range/],
      [['--changed', ''], /--changed: expected a git range/],
      [['--group', 'g', '--root', '.'], /--root is only used with --changed/],
      [['--group', ''], /--group: expected a name/],
      [['--group', 'g', '--colour'], /Unknown option '--colour'/],
    ];
    for (const [args, message] of cases) {
      assert.throws(() => parseCheckArgs(args), (e: unknown) => e instanceof UsageError && message.test(e.message), args.join(' '));
    }
  });

  test('--timeout in seconds, --at pinned', () => {
    const f = parseCheckArgs(['--group', 'g', '--timeout', '2.5', '--at', '2026-10-29T00:00:00Z']);
    assert.equal(f.timeoutMs, 2500);
    assert.equal(f.at?.toISOString(), '2026-10-29T00:00:00.000Z');
  });

  test('a git range is never read as an option', () => {
    assert.equal(checkRange('HEAD~1..HEAD'), 'HEAD~1..HEAD');
    assert.throws(() => checkRange('-p'), UsageError);
  });
});

describe('check: verdicts', () => {
  // s = 4031, w = 4032, o = 4032, e = 2: f = 1 + 2 = 3, m = 8064 -> spent 3 * 40320 / 8064 = 15 (within)
  const within = computeBudgetFromCounts({ apdexSuccess: 4031, apdexWeight: 4032, ops: 4032, errors: 2 }, opts);
  // f = 5, m = 8064 -> spent 5 * 5 = 25 > 20.16 (over)
  const over = computeBudgetFromCounts({ apdexSuccess: 4029, apdexWeight: 4032, ops: 4032, errors: 2 }, opts);
  // m = 40: 0.0005 * 40 = 0.02 < 1 (F12); f = 3 -> spent 3 * 40320 / 40 = 3024, remaining -3003.84
  const lowTraffic = computeBudgetFromCounts({ apdexSuccess: 18, apdexWeight: 19, ops: 21, errors: 2 }, opts);
  const noData = computeBudgetFromCounts({ apdexSuccess: 0, apdexWeight: 0, ops: 0, errors: 0 }, opts);

  test('the engine status decides: over_budget -> over, healthy and low_traffic -> within, no_data -> no data', () => {
    assert.equal(within.spentMinutes, 15);
    assert.equal(within.status, 'healthy');
    assert.equal(scopeVerdict(within), 'within');
    assert.equal(over.spentMinutes, 25);
    assert.equal(over.status, 'over_budget');
    assert.equal(scopeVerdict(over), 'over');
    assert.equal(lowTraffic.spentMinutes, 3024);
    assert.equal(lowTraffic.status, 'low_traffic');
    assert.equal(scopeVerdict(lowTraffic), 'within');
    assert.equal(scopeVerdict(noData), 'no_data');
  });

  test('a low-traffic scope carries a note saying its spend is over but not judged', () => {
    assert.deepEqual(scopeNotes(lowTraffic), ['low traffic (F12: one failure already breaks the target): spend is over the budget, but not judged, counts as within']);
    assert.deepEqual(scopeNotes(within), []);
  });

  test('over > no data > within; no data exits 2 unless allowed; no scope is within', () => {
    const v = (...verdicts: CheckedScope['verdict'][]): Array<Pick<CheckedScope, 'verdict'>> => verdicts.map((verdict) => ({ verdict }));
    assert.deepEqual(overallVerdict(v('within', 'within'), false), { verdict: 'within', exitCode: 0 });
    assert.deepEqual(overallVerdict(v('within', 'over', 'no_data'), false), { verdict: 'over', exitCode: 1 });
    assert.deepEqual(overallVerdict(v('within', 'over', 'no_data'), true), { verdict: 'over', exitCode: 1 });
    assert.deepEqual(overallVerdict(v('within', 'no_data'), false), { verdict: 'no_data', exitCode: 2 });
    assert.deepEqual(overallVerdict(v('within', 'no_data'), true), { verdict: 'no_data', exitCode: 0 });
    assert.deepEqual(overallVerdict([], false), { verdict: 'within', exitCode: 0 });
  });
});

describe('check: changed files -> categories -> groups', () => {
  const mapping = (file: string, categories: string[], endpointCategories: string[] = []): FileMapping => ({
    file,
    categories: categories.map((category) => ({ category, scope: 'class', name: file, startLine: 1, endLine: 9, attribution: 'declaration' })),
    endpoints: endpointCategories.map((category, i) => ({
      id: `E${i}`,
      kind: 'rails',
      category,
      urgency: 'default',
      thresholdS: 1,
      file,
      line: 2,
      attribution: 'declaration',
    })),
    findings: [],
  });

  test('ranges and endpoints give the categories; groups gather their files; unknown, typos and unindexed files are set aside', async () => {
    const catalog = await loadCatalog({ stagesPath: join(GITLAB_FIXTURES, 'stages.yml'), featureCategoriesPath: join(GITLAB_FIXTURES, 'feature_categories.yml') });
    const files = new Map<string, FileMapping>([
      ['app/controllers/projects/pipeline_schedules_controller.rb', mapping('app/controllers/projects/pipeline_schedules_controller.rb', ['continuous_integration'])],
      ['lib/api/ci/pipelines.rb', mapping('lib/api/ci/pipelines.rb', ['continuous_integration'], ['merge_trains'])],
      ['app/controllers/projects/issues_controller.rb', mapping('app/controllers/projects/issues_controller.rb', ['team_planning', 'service_desk'])],
      ['app/controllers/application_controller.rb', mapping('app/controllers/application_controller.rb', ['unknown'])],
      ['app/controllers/projects/milestones_controller.rb', mapping('app/controllers/projects/milestones_controller.rb', ['team_planing'])],
      ['README.md', mapping('README.md', [])],
    ]);
    const changed = [...files.keys(), 'app/models/deleted.rb'].sort();
    const r = changedScopes({ fileMapping: (f) => files.get(f) }, catalog, 'HEAD~1..HEAD', changed);
    assert.deepEqual([...r.categories], [
      ['continuous_integration', ['app/controllers/projects/pipeline_schedules_controller.rb', 'lib/api/ci/pipelines.rb']],
      ['merge_trains', ['lib/api/ci/pipelines.rb']],
      ['service_desk', ['app/controllers/projects/issues_controller.rb']],
      ['team_planning', ['app/controllers/projects/issues_controller.rb']],
    ]);
    assert.deepEqual([...r.groups], [
      ['pipeline_execution', ['app/controllers/projects/pipeline_schedules_controller.rb', 'lib/api/ci/pipelines.rb']],
      ['project_management', ['app/controllers/projects/issues_controller.rb']],
    ]);
    assert.deepEqual(r.summary.notIndexed, ['app/models/deleted.rb']);
    assert.deepEqual(r.summary.unmapped, ['README.md', 'app/controllers/application_controller.rb', 'app/controllers/projects/milestones_controller.rb']);
    assert.deepEqual(r.summary.skipped, [
      { category: 'team_planing', reason: 'not in the catalog (see budget-lens lint)', files: ['app/controllers/projects/milestones_controller.rb'] },
      { category: 'unknown', reason: 'no owner (pseudo-category)', files: ['app/controllers/application_controller.rb'] },
    ]);
  });
});

describe('check: wording', () => {
  const scope = (over: Partial<CheckedScope>): CheckedScope => ({
    kind: 'group',
    key: 'pipeline_execution',
    name: 'Pipeline Execution',
    group: 'pipeline_execution',
    stage: 'verify',
    verdict: 'over',
    status: 'over_budget',
    target: '99.95',
    budgetMinutes: 20.16,
    spentMinutes: 30,
    remainingMinutes: -9.84,
    availability: 1 - 3 / 4032,
    failures: 3,
    measurements: 4032,
    lowTraffic: false,
    notes: [],
    ...over,
  });

  test('one line per scope (spent/budget right-aligned) and the verdict line', () => {
    const r: CheckResult = {
      verdict: 'over',
      exitCode: 1,
      source: 'store /tmp/store.db',
      window: '28d',
      asOf: '2026-10-29T00:00:00.000Z',
      scopes: [
        scope({}),
        scope({ kind: 'category', key: 'source_code_management', name: undefined, group: 'source_code', stage: 'create', verdict: 'within', status: 'healthy', spentMinutes: 10, remainingMinutes: 10.16, availability: 1 - 1 / 4032, failures: 1 }),
        scope({ key: 'code_review', name: 'Code Review', group: 'code_review', verdict: 'no_data', status: 'no_data', spentMinutes: null, remainingMinutes: null, availability: null, failures: 0, measurements: 0 }),
      ],
    };
    assert.equal(
      formatCheck(r),
      [
        'Error budget check: 28d window ending 2026-10-29T00:00:00.000Z (store /tmp/store.db)',
        '',
        '  scope                                          state            spent  budget  availability',
        '  group pipeline_execution (Pipeline Execution)  OVER BUDGET      30.00   20.16      99.925 %',
        '  category source_code_management (source_code)  within budget    10.00   20.16      99.975 %',
        '  group code_review (Code Review)                no data        no data   20.16       no data',
        '  (spent and budget in budget-minutes: minutes of the window the error budget allows)',
        '',
        'verdict: OVER BUDGET (exit 1): group pipeline_execution spent more than the error budget; by policy, reliability work comes before feature work',
        '',
      ].join('\n'),
    );
  });

  test('a 401 says whether a token was sent; other API errors keep the URL and status', () => {
    const e401 = new UnauthorizedError('unauthorized', 'http://127.0.0.1:7464/api/v1/groups', 401);
    assert.match(describeError(e401, undefined, {}), /HTTP 401 from http:\/\/127\.0\.0\.1:7464\/api\/v1\/groups\); no token was sent: set BUDGET_LENS_TOKEN$/);
    assert.match(describeError(e401, undefined, { BUDGET_LENS_TOKEN: 't' }), /; the token in BUDGET_LENS_TOKEN was refused$/);
    const down = new UnavailableError('Budget API unreachable', 'http://127.0.0.1:9/api/v1/groups', 0);
    assert.equal(describeError(down, undefined, {}), 'Budget API unreachable (no response from http://127.0.0.1:9/api/v1/groups)');
  });
});
