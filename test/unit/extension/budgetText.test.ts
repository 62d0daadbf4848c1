/**
 * The budget wording of the editor, in plain Node. Figures are domain.md's worked examples or
 * computed by hand here, over 28 d = 40320 min at 99.95 % (budget 20.16 min, F3):
 *  - F1-F7 example: f = 15, m = 20000 -> spent 30.24, remaining -10.08, F6 = -0.5 (150 % spent).
 *  - f = 4, m = 40000 -> spent 4 * 40320 / 40000 = 4.032 -> "4.03"; F6 = 1 - 4.032 / 20.16 = 0.8,
 *    so 20 % spent (the task's example lens). In doubles 1 - 0.8 is 0.19999999999999996: it must
 *    still print "20 %".
 *  - f = 6, m = 40000 -> spent 6.048 -> "6.05", remaining 14.112 -> "14.11", F6 = 0.7 (30 %).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointRow } from '../../../src/sdk/contract/apiTypes';
import type { Failure } from '../../../src/extension/budgetCache';
import {
  backendProblemText,
  budgetFailureHoverLines,
  budgetHoverLines,
  budgetLoadingHoverLines,
  budgetMinutesText,
  LOADING_LENS_TEXT,
  lensFigure,
  failingReasonText,
  failureSummary,
  noDataLensText,
  escapeMarkdown,
  isExhausted,
  lensFiguresText,
  spentShareText,
  staleReasonText,
  statusBarBudgetText,
  statusBarBudgetTooltip,
  windowText,
} from '../../../src/extension/text/budgetText';
import { aBudgetFigures, aGroupBudget } from '../../support/builders';
import { renderMarkdown, visibleText } from '../../support/markdownRender';

/** f = 4, m = 40000 (see the header). */
const fourIn40000 = aBudgetFigures({
  failures: 4,
  measurements: 40000,
  availability: 0.9999,
  spentMinutes: 4.032,
  remainingMinutes: 16.128,
  remainingFraction: 0.8,
  status: 'healthy',
});

/** f = 6, m = 40000 (see the header). */
const sixIn40000 = aBudgetFigures({
  failures: 6,
  measurements: 40000,
  availability: 0.99985,
  spentMinutes: 6.048,
  remainingMinutes: 14.112,
  remainingFraction: 0.7,
  status: 'healthy',
});

const noData = aBudgetFigures({ failures: 0, measurements: 0, availability: null, spentMinutes: null, remainingMinutes: null, remainingFraction: null, costOfOneFailureMinutes: null, status: 'no_data' });

const serverGone: Failure = {
  url: 'http://127.0.0.1:7464/api/v1/categories?names=team_planning',
  status: 0,
  message: 'Budget API unreachable: connect ECONNREFUSED 127.0.0.1:7464 (no response from http://127.0.0.1:7464/api/v1/categories?names=team_planning)',
  unauthorized: false,
  at: Date.parse('2026-11-22T11:05:00Z'),
};
const lastGood = Date.parse('2026-11-22T11:00:00Z');

function row(endpointId: string, failures: number, spentMinutes: number, shareOfSpend: number): EndpointRow {
  return { endpointId, component: 'rails_request', category: 'team_planning', urgency: 'low', apdexFailures: failures, errors: 0, failures, measurements: 1000, shareOfSpend, spentMinutes, ownAvailability: 1 - failures / 1000 };
}

describe('figures as text', () => {
  test('minutes keep two decimals, rounded half up only for display', () => {
    assert.equal(budgetMinutesText(20.16), '20.16');
    assert.equal(budgetMinutesText(4.032), '4.03');
    assert.equal(budgetMinutesText(-10.08), '-10.08');
    // 1.005 is 1.00499999999999989... as a double; the shortest decimal string rounds it up.
    assert.equal(budgetMinutesText(1.005), '1.01');
  });

  test('window labels get a space, other labels stay', () => {
    assert.equal(windowText('28d'), '28 d');
    assert.equal(windowText('6h'), '6 h');
    assert.equal(windowText('month'), 'month');
  });

  test('the spent share is 1 - F6 as a whole percentage', () => {
    assert.equal(spentShareText(fourIn40000), '20 %');
    // The double the share is computed from is not 0.2; the display rounding makes it 20 %.
    assert.equal(1 - 0.8, 0.19999999999999996);
    assert.equal(spentShareText({ remainingFraction: 0.8 }), '20 %');
    assert.equal(spentShareText(aBudgetFigures()), '150 %');
    assert.equal(spentShareText(noData), 'no data');
  });
});

describe('lensFiguresText', () => {
  test('spent of budget, share and window', () => {
    assert.equal(lensFiguresText(fourIn40000, false), '4.03 of 20.16 budget-min (20 %) · 28 d');
    assert.equal(lensFiguresText(sixIn40000, false), '6.05 of 20.16 budget-min (30 %) · 28 d');
    assert.equal(lensFiguresText(aBudgetFigures(), false), '30.24 of 20.16 budget-min (150 %) · 28 d');
  });

  test('says (stale) after a failed refresh', () => {
    assert.equal(lensFiguresText(fourIn40000, true), '4.03 of 20.16 budget-min (20 %) · 28 d (stale)');
  });

  test('no data is neither 0 % nor 100 %', () => {
    assert.equal(lensFiguresText(noData, false), 'no data · 20.16 budget-min · 28 d');
  });

  test('bad instrumentation is named instead of a figure', () => {
    const bad = aBudgetFigures({ warnings: [{ code: 'errors_exceed_ops', message: 'e > o' }] });
    assert.equal(lensFiguresText(bad, false), 'bad data (errors_exceed_ops) · 20.16 budget-min · 28 d');
  });

  test('a 7-day window shows its own budget (F3: 5.04)', () => {
    const week = aBudgetFigures({ window: { label: '7d', minutes: 10080 }, budgetMinutes: 5.04, spentMinutes: 1.008, remainingMinutes: 4.032, remainingFraction: 0.8 });
    assert.equal(lensFiguresText(week, false), '1.01 of 5.04 budget-min (20 %) · 7 d');
  });
});

describe('status bar', () => {
  test('remaining budget-min of the group, negative when over', () => {
    assert.equal(statusBarBudgetText(aGroupBudget({ ...sixIn40000 }), false), 'Project Management: 14.11 budget-min left');
    assert.equal(statusBarBudgetText(aGroupBudget(), false), 'Project Management: -10.08 budget-min left');
    assert.equal(statusBarBudgetText(aGroupBudget({ ...noData }), true), 'Project Management: no data (stale)');
  });

  test('exhausted means remaining at or below zero, never no data', () => {
    assert.equal(isExhausted(aGroupBudget()), true);
    assert.equal(isExhausted({ remainingMinutes: 0 }), true);
    assert.equal(isExhausted(sixIn40000), false);
    assert.equal(isExhausted(noData), false);
  });

  test('the tooltip has the figures and, when stale, the reason with URL, status and the time of the data', () => {
    const tooltip = statusBarBudgetTooltip(aGroupBudget(), serverGone, lastGood);
    assert.match(tooltip, /^Project Management \(project_management, stage plan\) · target 99\.95 % over 28 d$/m);
    assert.match(tooltip, /^availability 99\.925 %$/m);
    assert.match(tooltip, /^spent 30\.24 of 20\.16 budget-min$/m);
    assert.match(tooltip, /^remaining -10\.08 budget-min$/m);
    // Not the sum of its categories' minutes (issue 14): said once, in one line.
    assert.match(tooltip, /^from the group's pooled failures over all its measurements, not the sum of its categories' minutes$/m);
    assert.match(tooltip, /exhausted/);
    assert.match(tooltip, /Stale since 2026-11-22 11:05:00 UTC: Budget API unreachable: .*\(no response from http:\/\/127\.0\.0\.1:7464\/api\/v1\/categories\?names=team_planning\)\. Showing the data of 2026-11-22 11:00:00 UTC\./);
    assert.doesNotMatch(statusBarBudgetTooltip(aGroupBudget({ ...sixIn40000 }), undefined, lastGood), /Stale|exhausted/);
  });
});

describe('staleReasonText', () => {
  test('without any good data it says so, and does not call it stale', () => {
    const text = staleReasonText({ ...serverGone, status: 401, message: 'missing bearer token (HTTP 401 from http://x/api/v1/groups/a)' }, undefined);
    assert.match(text, /^Failing since 2026-11-22 11:05:00 UTC: missing bearer token \(HTTP 401 from http:\/\/x\/api\/v1\/groups\/a\)\. No budget data has loaded yet\.$/);
    assert.doesNotMatch(text, /stale/i);
    assert.equal(failingReasonText(serverGone), staleReasonText(serverGone, undefined));
  });
});

describe('a failing backend: summary, lens, hover and Check Budget Backend', () => {
  const fix = { retry: 'budgetLens.refreshBudget', setUrl: 'budgetLens.setApiUrl', setToken: 'budgetLens.setApiToken' };
  const refused: Failure = { ...serverGone, status: 401, unauthorized: true, message: 'invalid bearer token (HTTP 401 from http://127.0.0.1:7464/api/v1/groups/a)' };

  test('what failed, in a few words', () => {
    assert.equal(failureSummary(serverGone), 'backend unreachable');
    assert.equal(failureSummary(refused), 'token refused: HTTP 401');
    assert.equal(failureSummary({ status: 503, unauthorized: false }), 'HTTP 503');
    assert.equal(failureSummary({ status: 404, unauthorized: false }), 'unknown to the backend: HTTP 404');
    assert.equal(noDataLensText(serverGone), 'no budget data (backend unreachable)');
  });

  test('the hover names what failed and where, and links the fixes (the token only after a 401)', () => {
    const text = budgetFailureHoverLines('team_planning', serverGone, fix).join('\n');
    assert.match(text, /\*\*Budget\*\* of team\\_planning · \*\*no data\*\* \(backend unreachable\)/);
    // The message is escaped in the source (its URL is no link); the reader sees it as sent.
    assert.match(visibleText(text), /Failing since 2026-11-22 11:05:00 UTC: Budget API unreachable: connect ECONNREFUSED 127\.0\.0\.1:7464 \(no response from http:\/\/127\.0\.0\.1:7464\/api\/v1\/categories\?names=team_planning\)/);
    assert.match(text, /\[Retry\]\(command:budgetLens\.refreshBudget\) · \[Change the backend URL\]\(command:budgetLens\.setApiUrl\)$/);
    assert.doesNotMatch(text, /Set API Token/);
    assert.match(budgetFailureHoverLines('team_planning', refused, fix).join('\n'), /· \[Set API Token\]\(command:budgetLens\.setApiToken\)$/);
  });

  test('Check Budget Backend: the failure and its fixes, or that the backend answers', () => {
    const never = backendProblemText('Budget API', 'http://127.0.0.1:7464', serverGone, undefined);
    assert.match(never.message, /^Budget Lens: Failing since 2026-11-22 11:05:00 UTC: Budget API unreachable/);
    assert.deepEqual(never.actions, ['Retry', 'Change URL', 'Show Log']);
    const stale = backendProblemText('Budget API', 'http://127.0.0.1:7464', refused, lastGood);
    assert.match(stale.message, /^Budget Lens: Stale since 2026-11-22 11:05:00 UTC: invalid bearer token .*Showing the data of 2026-11-22 11:00:00 UTC\.$/);
    assert.deepEqual(stale.actions, ['Retry', 'Change URL', 'Set API Token', 'Show Log']);
    const fine = backendProblemText('Budget API', 'http://127.0.0.1:7464', undefined, lastGood);
    assert.equal(fine.message, 'Budget Lens: Budget API http://127.0.0.1:7464 answers (last answer 2026-11-22 11:00:00 UTC).');
    assert.deepEqual(fine.actions, ['Show Log']);
  });
});

describe('what is known now: figures, a failure, or loading', () => {
  test('a lens shows the figures, stale ones with the reason, a failure with its fix, else "loading"; nothing without a backend', () => {
    assert.equal(lensFigure(undefined), undefined);
    assert.deepEqual(lensFigure({ loading: true }), { text: LOADING_LENS_TEXT });
    assert.equal(LOADING_LENS_TEXT, 'loading budget…');
    // Already known: the figures, also while a refresh is on its way.
    assert.deepEqual(lensFigure({ value: fourIn40000, fetchedAt: lastGood, loading: true }), { text: '4.03 of 20.16 budget-min (20 %) · 28 d' });
    const stale = lensFigure({ value: fourIn40000, fetchedAt: lastGood, failure: serverGone, loading: false });
    assert.equal(stale?.text, '4.03 of 20.16 budget-min (20 %) · 28 d (stale)');
    assert.equal(stale?.problem, staleReasonText(serverGone, lastGood));
    // Never loaded and failing: what failed, not "loading", even while a retry is on its way.
    assert.deepEqual(lensFigure({ failure: serverGone, loading: true }), { text: 'no budget data (backend unreachable)', problem: failingReasonText(serverGone) });
  });

  test('the hover says the budget is loading; known figures say the failing endpoints are', () => {
    assert.deepEqual(budgetLoadingHoverLines('team_planning'), ['', '**Budget** of team\\_planning · loading…']);
    const figures = { ...sixIn40000, category: 'team_planning', group: 'project_management' };
    const input = { figures, groupName: 'Project Management', group: undefined, topEndpoints: undefined, inWorkspace: () => true, failure: undefined, lastGoodAt: lastGood };
    const loading = budgetHoverLines({ ...input, topEndpointsLoading: true }).join('\n');
    assert.match(loading, /- spent \*\*6\.05\*\* of 20\.16 budget-min \(30 %\)/);
    assert.match(loading, /\nFailing endpoints: loading…$/);
    // Not the words the list has once it is there (the extension-host suites wait for those).
    assert.doesNotMatch(loading, /Top failing endpoints/);
    assert.doesNotMatch(budgetHoverLines(input).join('\n'), /loading/);
  });
});

describe('budgetHoverLines', () => {
  const top = [row('Projects::IssuesController#index', 3, 3.024, 0.5), row('Projects::IssuesController#create', 2, 2.016, 2 / 6), row('Projects::IssuesController#show', 1, 1.008, 1 / 6), row('GET /api/:version/elsewhere', 0, 0, 0)];
  const tp = { category: 'team_planning', group: 'project_management' };
  // The group's figures: team_planning is its only category with traffic here, so the same 14.112.
  const group = { remainingMinutes: 14.112, budgetMinutes: 20.16 };
  const base = { figures: { ...sixIn40000, ...tp }, groupName: 'Project Management', group, topEndpoints: top, inWorkspace: (id: string) => id !== 'Projects::IssuesController#show', failure: undefined, lastGoodAt: lastGood };

  test('spent, remaining, availability, the group and the top 3 failing endpoints (F7 minutes, F8 shares)', () => {
    const text = budgetHoverLines(base).join('\n');
    assert.match(text, /\*\*Budget\*\* of team\\_planning · target 99\\\.95 % over 28 d\n/);
    assert.match(text, /- group Project Management \(project\\_management\): 14\.11 of 20\.16 budget-min left\n/);
    assert.match(text, /- spent \*\*6\.05\*\* of 20\.16 budget-min \(30 %\)/);
    assert.match(text, /- remaining \*\*14\.11\*\* budget-min\n/);
    // A = 1 - 6/40000 = 0.99985
    assert.match(text, /- availability 99\.985 % \(6 failures in 40,000 measurements\)/);
    assert.match(text, /Top failing endpoints \(3\):/);
    assert.match(text, /- \[`Projects::IssuesController#index`\]\(command:budgetLens\.goToEndpoint\?%5B%22Projects%3A%3AIssuesController%23index%22%5D\): 3 failures, 3\.02 budget-min \(50\\\.00 \\% of team\\_planning\\'s spend\)/);
    assert.match(text, /#create`\]\(command:budgetLens\.goToEndpoint\?[^)]+\): 2 failures, 2\.02 budget-min \(33\\\.33 \\% of team\\_planning\\'s spend\)/);
    // Not defined in the workspace: plain text, no link.
    assert.match(text, /- `Projects::IssuesController#show` \(not in this workspace\): 1 failure, 1\.01 budget-min \(16\\\.67 \\% of team\\_planning\\'s spend\)/);
    assert.doesNotMatch(text, /elsewhere/);
    assert.doesNotMatch(text, /stale/i);
  });

  test('stale figures say so, with the reason', () => {
    const text = budgetHoverLines({ ...base, failure: serverGone }).join('\n');
    assert.match(text, /· \*\*stale\*\*/);
    assert.match(visibleText(text), /Stale since 2026-11-22 11:05:00 UTC: Budget API unreachable/);
    assert.match(visibleText(text), /Showing the data of 2026-11-22 11:00:00 UTC/);
  });

  test('exhausted budgets and missing data', () => {
    const over = budgetHoverLines({ ...base, figures: { ...aBudgetFigures(), ...tp }, group: { remainingMinutes: -10.08, budgetMinutes: 20.16 } }).join('\n');
    assert.match(over, /remaining \*\*-10\.08\*\* budget-min — exhausted/);
    assert.match(over, /- group Project Management \(project\\_management\): -10\.08 of 20\.16 budget-min left — exhausted/);
    const none = budgetHoverLines({ ...base, figures: { ...noData, ...tp }, group: undefined, topEndpoints: [] }).join('\n');
    assert.match(none, /- no data for this category in the window \(nothing measured\); budget 20\.16 budget-min\n\nNo failing endpoint in the window\./);
    assert.doesNotMatch(none, /- group/);
  });

  test('backend text cannot inject markdown, links or commands', () => {
    const evil = row('[x](command:workbench.action.terminal.new) `code` <img src=x>', 1, 1, 1);
    const text = budgetHoverLines({ ...base, topEndpoints: [evil], inWorkspace: () => false }).join('\n');
    const html = renderMarkdown(text);
    assert.doesNotMatch(html, /<a |<img/);
    assert.match(visibleText(text), /\[x\]\(command:workbench\.action\.terminal\.new\) `code` <img src=x> \(not in this workspace\)/);
  });

  test('escapeMarkdown leaves plain words alone', () => {
    assert.equal(escapeMarkdown('team planning'), 'team planning');
    assert.equal(escapeMarkdown('a_b*c'), 'a\\_b\\*c');
    assert.equal(visibleText(escapeMarkdown('GET /api/:version/projects/:id (v4)')), 'GET /api/:version/projects/:id (v4)');
  });
});
