/**
 * The group tree's and the budget panel's wording, and the daily chart's model, in plain Node.
 * Figures computed by hand over 28 d = 40320 min at 99.95 % (budget 20.16 min, F3):
 *  - f = 6, m = 40000: spent 6 * 40320 / 40000 = 6.048 -> "6.05", remaining 14.112 -> "14.11",
 *    F6 = 0.7 (30 % spent): fine (less than half).
 *  - f = 12, m = 40000: spent 12.096 -> "12.10", F6 = 0.4 (60 % spent): over half.
 *  - domain.md's F1-F7 example (f = 15, m = 20000): spent 30.24 of 20.16, remaining -10.08,
 *    F6 = -0.5 (150 %): exhausted, and over budget -> reliability work comes first.
 *  - endpoint with 3 of the category's 6 failures: 3 * 40320 / 40000 = 3.024 -> "3.02", 50.00 %.
 *  - burn rate over 6 h at f = 6, m = 40000: (6/40000)/0.0005 = 0.3 -> "0.30x"; F11 with F6 = 0.7:
 *    0.7 * 28 d / 0.3 = 65.33 d -> "65.3 d"; the 6 h factor F10 = 5 % * 672 h / 6 h = 5.6 -> "5.60x".
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Failure } from '../../../src/extension/budgetCache';
import {
  budgetState,
  categoryTooltip,
  endpointBelowTarget,
  endpointDescription,
  endpointRowLabels,
  endpointTooltip,
  figuresDescription,
  panelBurnRate,
  panelData,
  panelGroup,
  panelStale,
  policyText,
  shortEndpointId,
} from '../../../src/extension/text/panelText';
import type { CategoryBudget, EndpointRow } from '../../../src/sdk/contract/apiTypes';
import { isWebviewToHost } from '../../../src/shared/protocol';
import { buildBudgetChartModel } from '../../../webview/chartModel';
import { aBudgetFigures, aGroupBudget } from '../../support/builders';

const six = aBudgetFigures({ failures: 6, measurements: 40000, availability: 0.99985, spentMinutes: 6.048, remainingMinutes: 14.112, remainingFraction: 0.7, status: 'healthy' });
const twelve = aBudgetFigures({ failures: 12, measurements: 40000, availability: 0.9997, spentMinutes: 12.096, remainingMinutes: 8.064, remainingFraction: 0.4, status: 'healthy' });
const overBudget = aBudgetFigures();
const noData = aBudgetFigures({ failures: 0, measurements: 0, availability: null, spentMinutes: null, remainingMinutes: null, remainingFraction: null, costOfOneFailureMinutes: null, status: 'no_data' });
const category = (name: string, f = six): CategoryBudget => ({ ...f, category: name, group: 'project_management', stage: 'plan' });

const index: EndpointRow = {
  endpointId: 'Projects::IssuesController#index',
  component: 'rails_request',
  category: 'team_planning',
  urgency: 'low',
  apdexFailures: 3,
  errors: 0,
  failures: 3,
  measurements: 10000,
  shareOfSpend: 0.5,
  spentMinutes: 3.024,
  ownAvailability: 0.9997,
};
const update: EndpointRow = { ...index, endpointId: 'Projects::IssuesController#update', apdexFailures: 0, failures: 0, measurements: 3000, shareOfSpend: 0, spentMinutes: 0, ownAvailability: 1 };

const gone: Failure = { url: 'http://127.0.0.1:7464/api/v1/groups/project_management', status: 0, message: 'Budget API unreachable (no response from http://127.0.0.1:7464/api/v1/groups/project_management)', unauthorized: false, at: Date.parse('2026-11-22T11:05:00Z') };
const lastGood = Date.parse('2026-11-22T11:00:00Z');

describe('tree and panel wording', () => {
  test('state: fine under half, over half, exhausted at or below zero remaining, no data', () => {
    assert.equal(budgetState(six), 'fine');
    assert.equal(budgetState(twelve), 'overHalf');
    assert.equal(budgetState(overBudget), 'exhausted');
    assert.equal(budgetState({ spentMinutes: 20.16, remainingMinutes: 0, remainingFraction: 0 }), 'exhausted');
    assert.equal(budgetState({ spentMinutes: 10.08, remainingMinutes: 10.08, remainingFraction: 0.5 }), 'fine', 'exactly half is not over half');
    assert.equal(budgetState(noData), 'noData');
  });

  test('category description: the share spent first, then spent of budget, stale marked', () => {
    assert.equal(figuresDescription(six, false), '30 % spent · 6.05 of 20.16 min');
    assert.equal(figuresDescription(twelve, false), '60 % spent · 12.10 of 20.16 min');
    assert.equal(figuresDescription(overBudget, true), '150 % spent · 30.24 of 20.16 min (stale)');
    assert.equal(figuresDescription(noData, false), 'no data · 20.16 budget-min');
  });

  test('category tooltip carries the stale reason with the time of the last good data', () => {
    const t = categoryTooltip(category('team_planning'), gone, lastGood);
    assert.match(t, /^team_planning · target 99\.95 % over 28 d\nspent 6\.05 of 20\.16 budget-min, remaining 14\.11\navailability 99\.985 % · less than half of the budget spent\nmeasured on this category's own traffic: categories' minutes do not add up to the group's\n\n/);
    assert.match(t, /Stale since 2026-11-22 11:05:00 UTC: Budget API unreachable .*\. Showing the data of 2026-11-22 11:00:00 UTC\.$/);
    assert.doesNotMatch(categoryTooltip(category('team_planning'), undefined, lastGood), /Stale/);
  });

  test('endpoint description and tooltip: failures, budget-min, share; no jump when not in the workspace', () => {
    // F15: the share says of what (its category's spend), as the lens, hover and panel say it.
    assert.equal(endpointDescription(index), "3 failures · 3.02 budget-min · 50.00 % of team_planning's spend");
    assert.equal(endpointDescription({ ...index, failures: 1, spentMinutes: 1.008, shareOfSpend: 1 / 6 }), "1 failure · 1.01 budget-min · 16.67 % of team_planning's spend");
    assert.match(endpointTooltip(index, true), /3\.02 budget-min, 50\.00 % of team_planning's spend/);
    // Below the target (exactly): 3 of 10,000 is 99.97 %, below 99.98 %, not below 99.95 %.
    assert.equal(endpointBelowTarget(index, '99.95'), false);
    assert.equal(endpointBelowTarget(index, '99.98'), true);
    assert.equal(endpointBelowTarget(index, '99.97'), false, 'at the target is not below it');
    assert.match(endpointTooltip(index, true, '99.98'), /own availability 99\.970 % < 99\.98 %: below the target/);
    assert.match(endpointTooltip(index, true), /Click to go to its code\.$/);
    assert.match(endpointTooltip(index, false), /Not defined in this workspace\.$/);
    assert.match(endpointTooltip(index, true), /3 failures in 10,000 measurements \(own availability 99\.970 %\)/);
  });

  test('policy: within budget, over budget, no data', () => {
    assert.equal(policyText(six), 'Within budget: understand your spend.');
    assert.equal(policyText(overBudget), 'Over budget: reliability work comes first.');
    assert.equal(policyText(noData), 'No data in the window: nothing to judge.');
  });

  test('burn rates: rate, threshold, days to exhaustion; no data and not burning', () => {
    assert.deepEqual(panelBurnRate({ window: '6h', burnRate: 0.3, threshold: 5.6, exceeded: false, daysToExhaustion: (0.7 * 28) / 0.3 }), {
      window: '6 h', rateText: '0.30x', thresholdText: '5.60x', exceeded: false, exhaustionText: '65.3 d',
    });
    assert.equal(panelBurnRate({ window: '1h', burnRate: null, threshold: 13.44, exceeded: false, daysToExhaustion: null }).exhaustionText, 'no data');
    assert.equal(panelBurnRate({ window: '3d', burnRate: 0, threshold: 0.9333333333333333, exceeded: false, daysToExhaustion: null }).exhaustionText, 'not burning');
  });

  test('panel data: group figures, only failing endpoints, categories in order, raw daily minutes kept', () => {
    const d = panelData({
      group: aGroupBudget({ ...six, trafficShare: 0.9995 }),
      daily: { scope: { group: 'project_management' }, budgetMinutes: 20.16, days: [{ date: '2026-11-22', apdexFailures: 4, errorFailures: 2, measurements: 40000, spentMinutes: 6.048, cumulativeSpentMinutes: 6.048 }] },
      burnRates: undefined,
      endpoints: [index, update],
      categories: [category('team_planning'), category('service_desk', noData)],
      inWorkspace: (id) => id === index.endpointId,
    });
    assert.deepEqual(
      [d.group.spentText, d.group.budgetText, d.group.remainingText, d.group.availabilityText, d.group.spentShareText, d.group.state, d.group.trafficShareText],
      ['6.05', '20.16', '14.11', '99.985 %', '30 %', 'fine', '99.95 %'],
    );
    assert.deepEqual(d.endpoints?.map((e) => [e.endpointId, e.minutesText, e.shareText, e.inWorkspace]), [['Projects::IssuesController#index', '3.02', "50.00 % of team_planning's spend", true]]);
    assert.deepEqual(d.categories.map((c) => [c.category, c.spentText, c.state]), [['team_planning', '6.05', 'fine'], ['service_desk', 'no data', 'noData']]);
    assert.deepEqual(d.daily, { budgetMinutes: 20.16, days: [{ date: '2026-11-22', spentMinutes: 6.048, cumulativeSpentMinutes: 6.048 }] });
    assert.equal(d.burnRates, undefined);
  });

  test('a part whose request failed with nothing to show says why, instead of loading forever', () => {
    const base = { group: aGroupBudget({ ...six }), categories: [], inWorkspace: () => true };
    const gone503: Failure = { ...gone, status: 503, message: 'upstream is down (HTTP 503 from http://127.0.0.1:7464/api/v1/groups/project_management/daily)' };
    const d = panelData({ ...base, daily: undefined, burnRates: undefined, endpoints: [index], failures: { daily: gone503, burnRates: gone, endpoints: gone } });
    assert.equal(d.unavailable?.daily, `The daily series did not load: HTTP 503 — ${gone503.message}. Retry with Refresh.`);
    assert.equal(d.unavailable?.burnRates, `The burn rates did not load: backend unreachable — ${gone.message}. Retry with Refresh.`);
    // The endpoints arrived before: their (stale) rows are shown, not an error.
    assert.equal(d.unavailable?.endpoints, undefined);
    // Nothing failed (or a request is on its way): no `unavailable` at all, so the panel says "Loading…".
    assert.equal(panelData({ ...base, daily: undefined, burnRates: undefined, endpoints: undefined }).unavailable, undefined);
  });

  test('the fix buttons post messages the host accepts, and nothing else', () => {
    assert.ok(isWebviewToHost({ type: 'fix', fix: 'changeUrl' }));
    assert.ok(isWebviewToHost({ type: 'fix', fix: 'setToken' }));
    assert.ok(!isWebviewToHost({ type: 'fix', fix: 'workbench.action.terminal.new' }));
    assert.ok(!isWebviewToHost({ type: 'fix' }));
    assert.ok(isWebviewToHost({ type: 'showCommit', endpointId: 'A#b', sha: 'a1b2c3d' }));
    assert.ok(!isWebviewToHost({ type: 'showCommit', endpointId: 'A#b', sha: '--output=/tmp/x' }));
    assert.ok(!isWebviewToHost({ type: 'showCommit', sha: 'a1b2c3d' }));
  });

  test('stale banner: URL, status, reason and the time of the last good data', () => {
    assert.deepEqual(panelStale(gone, lastGood), {
      url: gone.url,
      status: 0,
      reasonText: `Stale since 2026-11-22 11:05:00 UTC: ${gone.message}. Showing the data of 2026-11-22 11:00:00 UTC.`,
      lastGoodText: '2026-11-22 11:00:00 UTC',
    });
    assert.equal(panelStale(gone, undefined).lastGoodText, undefined);
  });
});

describe('endpoint row labels (the tree at the side bar default width)', () => {
  test('short ids: modules dropped from actions and workers, API routes to their last two segments', () => {
    assert.equal(shortEndpointId('Projects::IssuesController#index'), 'IssuesController#index');
    assert.equal(shortEndpointId('Projects::ServiceDesk::TicketsController#show'), 'TicketsController#show');
    assert.equal(shortEndpointId('Ci::BuildFinishedWorker'), 'BuildFinishedWorker');
    assert.equal(shortEndpointId('GET /api/:version/projects/:id/repository/tags'), 'GET …/repository/tags');
    // Already short, or not a shape it knows: as it is.
    for (const id of ['IssuesController#index', 'PipelineScheduleWorker', 'GET /api/:version', 'graphql:getIssue', 'POST /-/graphql', 'a <b>weird</b> id']) assert.equal(shortEndpointId(id), id);
  });

  test('two rows that would read alike keep their full ids', () => {
    const labels = endpointRowLabels(['Projects::IssuesController#index', 'Groups::IssuesController#index', 'Projects::IssuesController#show']);
    assert.deepEqual([...labels.values()], ['Projects::IssuesController#index', 'Groups::IssuesController#index', 'IssuesController#show']);
  });
});

describe('daily chart model', () => {
  test('days sorted, labels MM-DD, the budget on every day, the axis reaching the budget or the spend', () => {
    // 1, 2 and 3 failures in 40000 over 28 d: 1.008, 2.016, 3.024 budget-min; cumulative 1.008, 3.024, 6.048.
    const m = buildBudgetChartModel({
      budgetMinutes: 20.16,
      days: [
        { date: '2026-11-22', spentMinutes: 3.024, cumulativeSpentMinutes: 6.048 },
        { date: '2026-11-20', spentMinutes: 1.008, cumulativeSpentMinutes: 1.008 },
        { date: '2026-11-21', spentMinutes: 2.016, cumulativeSpentMinutes: 3.024 },
      ],
    });
    assert.deepEqual(m, { labels: ['11-20', '11-21', '11-22'], spent: [1.008, 2.016, 3.024], cumulative: [1.008, 3.024, 6.048], budget: [20.16, 20.16, 20.16], suggestedMax: 20.16 });
    // Over budget (domain.md's 30.24 of 20.16): the axis follows the spend.
    assert.equal(buildBudgetChartModel({ budgetMinutes: 20.16, days: [{ date: '2026-11-22', spentMinutes: 30.24, cumulativeSpentMinutes: 30.24 }] }).suggestedMax, 30.24);
    assert.deepEqual(buildBudgetChartModel({ budgetMinutes: 20.16, days: [] }).labels, []);
  });
});

describe('messages from the webview', () => {
  test('only the protocol\'s shapes are accepted', () => {
    assert.equal(isWebviewToHost({ type: 'ready' }), true);
    assert.equal(isWebviewToHost({ type: 'refresh' }), true);
    assert.equal(isWebviewToHost({ type: 'chooseGroup' }), true);
    assert.equal(isWebviewToHost({ type: 'monthlyReport' }), true);
    assert.equal(isWebviewToHost({ type: 'goToEndpoint', endpointId: 'Projects::IssuesController#index' }), true);
    assert.equal(isWebviewToHost({ type: 'goToEndpoint' }), false);
    assert.equal(isWebviewToHost({ type: 'goToEndpoint', endpointId: 42 }), false);
    assert.equal(isWebviewToHost({ type: 'runCommand', command: 'workbench.action.terminal.new' }), false);
    assert.equal(isWebviewToHost('ready'), false);
    assert.equal(isWebviewToHost(null), false);
  });
});

describe('the panel names how a custom target ends', () => {
  const ct = { target: '99.80', reason: 'new platform', reviewDate: '2026-12-31', expiresWhen: { trafficShareAbove: '5' } };
  test('holding: until its review date or the traffic share', () => {
    const g = panelGroup(aGroupBudget({ target: '99.80', customTarget: { ...ct, expired: false } }));
    assert.equal(g.targetText, '99.80 % over 28 d (custom target until 2026-12-31 or traffic share above 5 %: new platform)');
  });
  test('ended by traffic share, before its review date', () => {
    const g = panelGroup(aGroupBudget({ target: '99.80', customTarget: { ...ct, expired: true, expiredBecause: 'traffic_share' } }));
    assert.equal(g.targetText, '99.80 % over 28 d (custom target until 2026-12-31 or traffic share above 5 %, expired: traffic share is above 5 %: new platform)');
  });
  test('a review date passed reads as before', () => {
    const g = panelGroup(aGroupBudget({ target: '99.80', customTarget: { target: '99.80', reason: 'r', reviewDate: '2026-09-30', expired: true, expiredBecause: 'review_date' } }));
    assert.equal(g.targetText, '99.80 % over 28 d (custom target until 2026-09-30, review date passed: r)');
  });
});
