/**
 * The endpoint lens and hover wording (F15) and the explained hover (issue 14). By hand, 28 d =
 * 40,320 min, target 99.95 %:
 *   team_planning f = 6, m = 40,000 (s 19,995, w 19,999, o 20,001, e 2)
 *   #index (above the target): f 3 of m 10,000 -> 3 * 40320 / 40000 = 3.024 -> "3.02", 3/6 = 50.00 %,
 *     own 9,997/10,000 = 99.970 % ≥ 99.95 %, #1 of 3
 *   #create (below): f 2 (2 errors) of m 2,002 -> 2.016 -> "2.02", 33.33 %, own 2000/2002 = 99.900 % < 99.95 %, #2 of 3
 *   #update (no traffic)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointBudget, ResultMeta } from '../../../src/sdk';
import { availabilityFormulaText, prometheusGraphUrl, sparkline, spendParts } from '../../../src/sdk';
import { dailySparklineText, endpointHoverLines, endpointLensFigure, endpointLensText, explainHoverLines, spendPartsText, windowRangeText } from '../../../src/extension/text/budgetText';
import { panelEndpoint } from '../../../src/extension/text/panelText';
import { aBudgetFigures } from '../../support/builders';

const index: EndpointBudget = {
  endpointId: 'Projects::IssuesController#index', category: 'team_planning', group: 'project_management', components: ['rails_request'], urgency: 'low',
  counts: { apdexSuccess: 4997, apdexWeight: 5000, ops: 5000, errors: 0 }, apdexFailures: 3, errors: 0, failures: 3, measurements: 10000,
  ownAvailability: 0.9997, target: '99.95', belowTarget: false, spentMinutes: 3.024, shareOfSpend: 0.5, categoryFailures: 6, categoryMeasurements: 40000, rank: 1, offenders: 3,
};
const create: EndpointBudget = {
  ...index, endpointId: 'Projects::IssuesController#create', counts: { apdexSuccess: 999, apdexWeight: 999, ops: 1001, errors: 2 }, apdexFailures: 0, errors: 2, failures: 2, measurements: 2000 + 2,
  ownAvailability: 2000 / 2002, belowTarget: true, spentMinutes: 2.016, shareOfSpend: 2 / 6, rank: 2,
};
const none: EndpointBudget = { ...index, endpointId: 'Projects::IssuesController#update', category: null, group: null, counts: { apdexSuccess: 0, apdexWeight: 0, ops: 0, errors: 0 }, apdexFailures: 0, failures: 0, measurements: 0, ownAvailability: null, spentMinutes: 0, shareOfSpend: 0, rank: null, offenders: 0 };
const meta: ResultMeta = {
  window: { label: '28d', minutes: 40320, start: '2026-11-07T09:00:00.000Z', end: '2026-12-05T09:00:00.000Z' },
  asOf: '2026-12-05T09:00:00.000Z',
  provenance: { kind: 'promql', source: 'http://prom.example:9090/prefix', queries: ['sum by (feature_category) (x{a="b"}[28d])'] },
};

describe('endpoint lens (F15)', () => {
  test('above, below the target, no traffic, stale', () => {
    assert.equal(endpointLensText(index, false), "3 failures · 3.02 budget-min (50.00 % of team_planning's spend) · 99.970 % ≥ 99.95 % · #1 of 3 in team_planning");
    assert.equal(endpointLensText(create, false), "2 failures · 2.02 budget-min (33.33 % of team_planning's spend) · 99.900 % < 99.95 % · #2 of 3 in team_planning");
    assert.equal(endpointLensText(none, false), 'no traffic');
    assert.equal(endpointLensText({ ...index, failures: 0, spentMinutes: 0, shareOfSpend: 0, rank: null, ownAvailability: 1 }, true), 'no failures · 100.000 % ≥ 99.95 % (stale)');
  });

  test('the text is kept per answer object: stale or not from the same object, a new object worded anew', () => {
    const answer = { ...index };
    const fresh = endpointLensText(answer, false);
    assert.equal(endpointLensText(answer, true), `${fresh} (stale)`);
    assert.equal(endpointLensText(answer, false), fresh);
    assert.equal(endpointLensText({ ...answer, failures: 4, rank: 2 }, false), "4 failures · 3.02 budget-min (50.00 % of team_planning's spend) · 99.970 % ≥ 99.95 % · #2 of 3 in team_planning");
  });

  test('what the lens shows from what is known: the warning below the target, the category named when the text does not', () => {
    assert.deepEqual(endpointLensFigure({ value: create, loading: false }), { text: endpointLensText(create, false), namesCategory: true, warning: true });
    assert.equal(endpointLensFigure({ value: index, loading: false })?.warning, false);
    assert.deepEqual(endpointLensFigure({ value: none, loading: false }), { text: 'no traffic', namesCategory: false, warning: false });
    assert.deepEqual(endpointLensFigure({ loading: true }), { text: 'loading budget…', namesCategory: false, warning: false });
    const failure = { at: Date.UTC(2026, 10, 22, 11, 5), message: 'Budget API unreachable', url: 'http://x/api/v1/endpoints', status: 0, unauthorized: false };
    assert.equal(endpointLensFigure({ loading: false, failure })?.text, 'no budget data (backend unreachable)');
    assert.equal(endpointLensFigure(undefined), undefined);
  });
});

describe('explained figures', () => {
  test('F1 with the counts, the spend parts adding up, the window', () => {
    assert.equal(availabilityFormulaText({ apdexSuccess: 62990, apdexWeight: 63000, ops: 63006, errors: 2 }), '(s + o − e) / (w + o) = (62,990 + 63,006 − 2) / (63,000 + 63,006)');
    // team_planning: apdex 4 slow, 2 errors of m 40,000: 4 * 40320 / 40000 = 4.032, 2 * ... = 2.016; together F4's 6.048.
    const parts = spendParts({ apdexSuccess: 19995, apdexWeight: 19999, ops: 20001, errors: 2 }, 40000, { label: '28d', minutes: 40320 });
    assert.deepEqual(parts, { apdexFailures: 4, errors: 2, apdexMinutes: 4.032, errorMinutes: 2.016 });
    assert.equal(spendPartsText({ apdexSuccess: 19995, apdexWeight: 19999, ops: 20001, errors: 2 }, 40000, { label: '28d', minutes: 40320 }), 'spent 6.05 budget-min = apdex 4.03 (4 slow) + errors 2.02 (2 errors), each failure 40,320 / 40,000 budget-min');
    assert.equal(windowRangeText(meta), 'window 2026-11-07 09:00 UTC → 2026-12-05 09:00 UTC (28 d)');
  });

  test('sparkline: the floor for nothing, any spend above it, scaled to the largest', () => {
    assert.equal(sparkline([0, 0, 0]), '▁▁▁');
    assert.equal(sparkline([0, 0.01, 1, 0.5]), '▁▂█▅');
    const days = ['2026-11-20', '2026-11-21'].map((date, i) => ({ date, apdexFailures: 0, errorFailures: 0, measurements: 1, spentMinutes: i === 0 ? 2.016 : 0, cumulativeSpentMinutes: 2.016 }));
    assert.equal(dailySparklineText({ scope: { category: 'c' }, budgetMinutes: 20.16, days }), '█▁ (2 days, most 2.02 budget-min on 2026-11-20)');
  });

  test("the Prometheus graph link: the base's prefix kept, the query encoded, nothing a Markdown link stops at", () => {
    assert.equal(prometheusGraphUrl('http://prom.example:9090/prefix/', 'sum(x{a="b"}[28d])'), 'http://prom.example:9090/prefix/graph?g0.expr=sum%28x%7Ba%3D%22b%22%7D%5B28d%5D%29&g0.tab=1');
    assert.equal(prometheusGraphUrl('file:///etc/passwd', 'x'), undefined);
    assert.equal(prometheusGraphUrl('not a url', 'x'), undefined);
    assert.equal(prometheusGraphUrl('http://user:pw@p:9090', 'x'), 'http://p:9090/graph?g0.expr=x&g0.tab=1', 'credentials never go in a link');
  });

  test('explained hover lines: formula, window, parts, sparkline, each PromQL with its link; the store names its file', () => {
    const lines = explainHoverLines({ counts: { apdexSuccess: 19995, apdexWeight: 19999, ops: 20001, errors: 2 }, scopeMeasurements: 40000, meta, dailyLoading: true });
    assert.deepEqual(lines, [
      '',
      '**How it is computed**',
      '',
      '- window 2026-11-07 09:00 UTC → 2026-12-05 09:00 UTC (28 d)',
      '- availability `(s + o − e) / (w + o) = (19,995 + 20,001 − 2) / (19,999 + 20,001)`',
      '- spent 6.05 budget-min = apdex 4.03 (4 slow) + errors 2.02 (2 errors), each failure 40,320 / 40,000 budget-min',
      '- daily spend: loading…',
      '- PromQL sent to `http://prom.example:9090/prefix`:',
      '  - `sum by (feature_category) (x{a="b"}[28d])` · [Open in Prometheus](http://prom.example:9090/prefix/graph?g0.expr=sum%20by%20%28feature_category%29%20%28x%7Ba%3D%22b%22%7D%5B28d%5D%29&g0.tab=1)',
    ]);
    const store = explainHoverLines({ counts: index.counts, scopeMeasurements: 40000, meta: { ...meta, provenance: { kind: 'store', source: '/tmp/x`y/store.db', queries: ['SELECT 1'] } } });
    assert.equal(store.at(-1), '- source: the store ``/tmp/x`y/store.db`` (SQL over its hourly and daily rollups)');
  });

  test('endpoint hover: its own figures labelled, the warning below the target, the formula with its counts', () => {
    const text = endpointHoverLines({ endpointId: create.endpointId, category: 'team_planning', entry: { value: create, loading: false }, meta }).join('\n');
    assert.match(text, /\*\*Endpoint\*\* `Projects::IssuesController#create` · target 99\\.95 % over 28 d/);
    assert.match(text, /- ⚠ own availability 99\.900 % < 99\.95 % — \*\*below the target\*\* \(2 failures in 2,002 measurements\)/);
    assert.match(text, /- 2\.02 budget-min, 33\\\.33 \\% of team\\_planning\\'s spend/);
    assert.match(text, /- \\#2 of 3 failing endpoints in team\\_planning/);
    assert.match(text, /availability `\(s \+ o − e\) \/ \(w \+ o\) = \(999 \+ 1,001 − 2\) \/ \(999 \+ 1,001\)`/);
    assert.match(text, /spent 2\.02 budget-min = apdex 0\.00 \(0 slow\) \+ errors 2\.02 \(2 errors\)/);
    const quiet = endpointHoverLines({ endpointId: none.endpointId, category: 'team_planning', entry: { value: none, loading: false }, meta }).join('\n');
    assert.match(quiet, /no traffic in the window/);
    assert.deepEqual(endpointHoverLines({ endpointId: 'x', category: 'c', entry: undefined, meta: undefined }), []);
  });

  test('the panel measures a group-ranked row against its category (F15) and marks it below the target', () => {
    // Group scope: #create f 2 of the group's f 8, m 42,000 -> 1.92 / 25 %; of team_planning (f 6, m 40,000): 2.02 / 33.33 %.
    const row = { endpointId: create.endpointId, component: 'rails_request', category: 'team_planning', urgency: 'high', apdexFailures: 0, errors: 2, failures: 2, measurements: 2002, shareOfSpend: 0.25, spentMinutes: 1.92, ownAvailability: 2000 / 2002 };
    const tp = { ...aBudgetFigures({ failures: 6, measurements: 40000, target: '99.95', window: { label: '28d', minutes: 40320 } }), category: 'team_planning', group: 'project_management', stage: 'plan' };
    const e = panelEndpoint(row, true, tp);
    assert.deepEqual([e.minutesText, e.shareText, e.ownAvailabilityText, e.belowTarget], ['2.02', "33.33 % of team_planning's spend", '99.900 % < 99.95 %', true]);
    assert.deepEqual([panelEndpoint(row, true).minutesText, panelEndpoint(row, true).belowTarget], ['…', false]);
  });
});
