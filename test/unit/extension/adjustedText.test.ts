/**
 * Manual adjustments in the editor's wording (issue 15 item 3e, domain.md section 6): both figures,
 * never silently one. The measured figures lead (lens, tree description, status bar) with the
 * adjusted value beside them; the hover, the tooltips and the panel add the adjusted figures and
 * each adjustment. Figures by hand over 28 d = 40320 min at 99.95 % (budget 20.16 min, F3):
 *  - measured: f = 6, m = 40000 -> spent 6 * 40320 / 40000 = 6.048 -> "6.05", remaining 14.112
 *    -> "14.11", A = 0.99985, F6 = 0.7 (30 % spent).
 *  - one adjustment removes f = 4, m = 200 -> f = 2, m = 39800 -> spent 2 * 40320 / 39800 =
 *    2.026130653... -> "2.03", remaining 20.16 - 2.026130653 = 18.133869347 -> "18.13",
 *    A = 1 - 2 / 39800 = 0.999949748... -> "99.994 %" (rounded down), F6 = 18.13387 / 20.16 =
 *    0.899497 -> 10.05 % spent -> "10 %".
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdjustedFigures, CategoryBudget, GroupBudget, ScopeAdjustment } from '../../../src/sdk/contract/apiTypes';
import {
  adjustedHoverLines,
  budgetHoverLines,
  lensFiguresText,
  statusBarBudgetText,
  statusBarBudgetTooltip,
  utcRangeText,
} from '../../../src/extension/text/budgetText';
import { categoryTooltip, figuresDescription, panelData } from '../../../src/extension/text/panelText';
import { markdownLink, safeHttpUrl } from '../../../src/extension/text/safeText';
import { aBudgetFigures, aGroupBudget } from '../../support/builders';
import { renderMarkdown, visibleText } from '../../support/markdownRender';

const six = aBudgetFigures({ failures: 6, measurements: 40000, availability: 0.99985, spentMinutes: 6.048, remainingMinutes: 14.112, remainingFraction: 0.7, status: 'healthy' });

const patroni: ScopeAdjustment = {
  from: '2026-03-10T10:00:00.000Z',
  to: '2026-03-10T12:00:00.000Z',
  scope: { all: true },
  reason: 'Patroni failover: the primary database was unreachable',
  link: 'https://gitlab.com/gitlab-com/gl-infra/production/-/issues/1234',
  counted: { start: '2026-03-10T10:00:00.000Z', end: '2026-03-10T12:00:00.000Z', minutes: 120 },
  removedFailures: 4,
  removedMeasurements: 200,
};

const adjusted = (adjustments: ScopeAdjustment[] = [patroni]): AdjustedFigures => ({
  ...aBudgetFigures({ failures: 2, measurements: 39800, availability: 1 - 2 / 39800, spentMinutes: (2 * 40320) / 39800, remainingMinutes: 20.16 - (2 * 40320) / 39800, remainingFraction: 1 - (2 * 40320) / 39800 / 20.16, status: 'healthy' }),
  adjustments,
});

const category = (adj?: AdjustedFigures): CategoryBudget => ({ ...six, category: 'team_planning', group: 'project_management', stage: 'plan', ...(adj ? { adjusted: adj } : {}) });
const group = (adj?: AdjustedFigures): GroupBudget => aGroupBudget({ ...six, ...(adj ? { adjusted: adj } : {}) });

/** A reason and link written to break out: Markdown, HTML, a command link, line breaks. */
const hostile: ScopeAdjustment = {
  ...patroni,
  from: '2026-03-10T22:00:00.000Z',
  to: '2026-03-11T02:30:00.000Z',
  scope: { groups: ['project_management'], components: ['rails_request'] },
  reason: '<img src=x onerror=alert(1)> [run](command:workbench.action.terminal.new)\n# heading',
  link: 'javascript:alert(1)',
};

describe('the leading figures stay as measured, marked', () => {
  test('lens: the measured spend, its adjusted value beside it; unchanged without adjustments', () => {
    assert.equal(lensFiguresText(category(), false), '6.05 of 20.16 budget-min (30 %) · 28 d');
    assert.equal(lensFiguresText(category(adjusted()), false), '6.05 (adjusted 2.03) of 20.16 budget-min (30 %) · 28 d');
    assert.equal(lensFiguresText(category(adjusted()), true), '6.05 (adjusted 2.03) of 20.16 budget-min (30 %) · 28 d (stale)');
  });

  test('tree description and status bar: spent and remaining, each with its adjusted value', () => {
    assert.equal(figuresDescription(category(adjusted()), false), '30 % spent · 6.05 (adjusted 2.03) of 20.16 min');
    assert.equal(statusBarBudgetText(group(adjusted()), false), 'Project Management: 14.11 budget-min left (adjusted 18.13)');
    assert.equal(statusBarBudgetText(group(), false), 'Project Management: 14.11 budget-min left');
  });
});

describe('the tooltips and the hover add the adjusted figures and each adjustment', () => {
  test('status bar / group tree tooltip: measured lines first, then the adjusted ones and the adjustment', () => {
    const text = statusBarBudgetTooltip(group(adjusted()), undefined, undefined);
    assert.match(text, /^spent 6\.05 of 20\.16 budget-min$/m);
    assert.match(
      text,
      /\nAdjusted \(1 manual adjustment left out; the figures above are as measured\): spent 2\.03 of 20\.16 budget-min \(10 %\), remaining 18\.13, availability 99\.994 %\n- 2026-03-10 10:00 – 12:00 UTC · all groups: Patroni failover: the primary database was unreachable \(https:\/\/gitlab\.com\/gitlab-com\/gl-infra\/production\/-\/issues\/1234\) · removed 4 failures of 200 measurements \(counted 2026-03-10 10:00 – 12:00 UTC\)$/,
    );
    assert.doesNotMatch(statusBarBudgetTooltip(group(), undefined, undefined), /djust/);
  });

  test('category tooltip: the same lines; a hostile reason stays on one line', () => {
    const text = categoryTooltip(category(adjusted([hostile])), undefined, undefined);
    assert.match(text, /^spent 6\.05 of 20\.16 budget-min, remaining 14\.11$/m);
    const last = text.split('\n').at(-1) ?? '';
    assert.equal(
      last,
      '- 2026-03-10 22:00 – 2026-03-11 02:30 UTC · group project_management (rails_request only): <img src=x onerror=alert(1)> [run](command:workbench.action.terminal.new) # heading (javascript:alert(1)) · removed 4 failures of 200 measurements (counted 2026-03-10 10:00 – 12:00 UTC)',
    );
  });

  test('hover: measured, then adjusted figures, the group adjusted too, each adjustment with its link', () => {
    const text = budgetHoverLines({
      figures: category(adjusted()),
      groupName: 'Project Management',
      group: { remainingMinutes: 14.112, budgetMinutes: 20.16, adjusted: adjusted() },
      topEndpoints: [],
      inWorkspace: () => false,
      failure: undefined,
      lastGoodAt: undefined,
    }).join('\n');
    const shown = visibleText(text);
    assert.match(shown, /spent 6\.05 of 20\.16 budget-min \(30 %\)/);
    assert.match(shown, /group Project Management \(project_management\): 14\.11 of 20\.16 budget-min left \(adjusted 18\.13\)/);
    assert.match(shown, /Adjusted \(1 manual adjustment left out; the figures above are as measured\):/);
    assert.match(shown, /spent 2\.03 of 20\.16 budget-min \(10 %\) · remaining 18\.13/);
    // A = 1 - 2/39800, f = 2 of m = 39800
    assert.match(shown, /availability 99\.994 % \(2 failures in 39,800 measurements\)/);
    assert.match(shown, /2026-03-10 10:00 – 12:00 UTC · all groups: Patroni failover: the primary database was unreachable · link · removed 4 failures of 200 measurements/);
    assert.match(renderMarkdown(text), /<a href="https:\/\/gitlab\.com\/gitlab-com\/gl-infra\/production\/-\/issues\/1234">link<\/a>/);
  });

  test('hover: a hostile reason and a javascript: link are text, no link, image or heading', () => {
    const text = adjustedHoverLines(category(adjusted([hostile]))).join('\n');
    const html = renderMarkdown(text);
    assert.doesNotMatch(html, /<a |<img|<h1/);
    assert.match(visibleText(text), /<img src=x onerror=alert\(1\)> \[run\]\(command:workbench\.action\.terminal\.new\) # heading · javascript:alert\(1\) · removed/);
    assert.deepEqual(adjustedHoverLines(category()), []);
  });
});

describe('links and ranges', () => {
  test('only http(s) URLs become links, with parentheses encoded', () => {
    assert.equal(safeHttpUrl('https://example.com/a(b)'), 'https://example.com/a%28b%29');
    assert.equal(safeHttpUrl('javascript:alert(1)'), undefined);
    assert.equal(safeHttpUrl('command:workbench.action.terminal.new'), undefined);
    assert.equal(safeHttpUrl('file:///etc/passwd'), undefined);
    assert.equal(safeHttpUrl('not a url'), undefined);
    assert.equal(markdownLink('x', 'https://e.example/) [y](command:z'), '[x](https://e.example/%29%20[y]%28command:z)');
    assert.equal(markdownLink('x', 'data:text/html,hi'), 'x');
  });

  test('a range on one day names it once; across days, both', () => {
    assert.equal(utcRangeText('2026-03-10T10:00:00.000Z', '2026-03-10T12:00:00.000Z'), '2026-03-10 10:00 – 12:00 UTC');
    assert.equal(utcRangeText('2026-03-10T22:00:00.000Z', '2026-03-11T02:30:15.000Z'), '2026-03-10 22:00 – 2026-03-11 02:30:15 UTC');
  });
});

describe('the panel', () => {
  test('group and categories carry adjusted figures and the adjustments as text; the link only when http(s)', () => {
    const data = panelData({ group: group(adjusted([patroni, hostile])), daily: undefined, burnRates: undefined, endpoints: undefined, categories: [category(adjusted()), { ...category(), category: 'service_desk' }], inWorkspace: () => false });
    // The measured figures are unchanged.
    assert.equal(data.group.spentText, '6.05');
    assert.equal(data.group.remainingText, '14.11');
    assert.equal(data.group.policyText, 'Within budget: understand your spend.');
    assert.deepEqual(
      { ...data.group.adjusted, adjustments: undefined },
      { spentText: '2.03', remainingText: '18.13', availabilityText: '99.994 %', spentShareText: '10 %', state: 'fine', adjustments: undefined },
    );
    assert.deepEqual(data.group.adjusted?.adjustments, [
      {
        rangeText: '2026-03-10 10:00 – 12:00 UTC',
        scopeText: 'all groups',
        reason: 'Patroni failover: the primary database was unreachable',
        linkUrl: 'https://gitlab.com/gitlab-com/gl-infra/production/-/issues/1234',
        removedText: 'removed 4 failures of 200 measurements (counted 2026-03-10 10:00 – 12:00 UTC)',
      },
      {
        rangeText: '2026-03-10 22:00 – 2026-03-11 02:30 UTC',
        scopeText: 'group project_management (rails_request only)',
        reason: '<img src=x onerror=alert(1)> [run](command:workbench.action.terminal.new) # heading',
        linkText: 'javascript:alert(1)',
        removedText: 'removed 4 failures of 200 measurements (counted 2026-03-10 10:00 – 12:00 UTC)',
      },
    ]);
    assert.equal(data.categories[0]?.adjusted?.spentText, '2.03');
    assert.equal(data.categories[1]?.adjusted, undefined);
  });
});
