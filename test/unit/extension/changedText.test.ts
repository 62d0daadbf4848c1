/**
 * What changed (issue 14 item 5) as worded for the hover (Markdown, budgetText.ts) and the panel
 * (plain text, panelText.ts): the commits that touched a top offender's code, each sha a Show
 * Commit link, and the day the category's spend rose. Commit subjects and authors are untrusted.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommitInfo, EndpointRow } from '../../../src/sdk';
import { wholeDays } from '../../../src/sdk';
import { budgetHoverLines, changedHoverLine, commitDay, showCommitLink, spendRoseText } from '../../../src/extension/text/budgetText';
import { panelChanged, panelData } from '../../../src/extension/text/panelText';
import { aBudgetFigures, aGroupBudget } from '../../support/builders';
import { renderMarkdown, visibleText } from '../../support/markdownRender';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const fix: CommitInfo = { sha: SHA, shortSha: 'a1b2c3d', date: '2026-11-20T10:00:00+01:00', author: 'Jane Doe', subject: 'Fix board list' };
const evil: CommitInfo = { sha: 'b'.repeat(40), shortSha: 'bbbbbbb', date: '2026-11-18T09:00:00Z', author: '<img src=x> *Mallory*', subject: 'Oops [x](command:workbench.action.terminal.new)\n# Heading http://evil.example' };
const ID = 'Projects::BoardsController#index';
const rise = { date: '2026-11-21', of: 'team_planning' };

describe('changedHoverLine', () => {
  test('each sha a Show Commit link with the endpoint id and the full sha, date, subject, author, then the rise', () => {
    const line = changedHoverLine(ID, { commits: [fix] }, rise)!;
    assert.equal(visibleText(line), 'changed: a1b2c3d 2026-11-20 "Fix board list" (Jane Doe) — team_planning\'s spend rose most on 2026-11-21');
    const args = encodeURIComponent(JSON.stringify([ID, SHA]));
    assert.ok(line.includes(`(command:budgetLens.showCommit?${args})`), line);
    assert.ok(line.startsWith('  - changed: [`a1b2c3d`]'), line);
  });

  test('untrusted subjects and authors: no link, image, HTML or heading of their own, one line', () => {
    const line = changedHoverLine(ID, { commits: [fix, evil] }, undefined)!;
    const html = renderMarkdown(`- x\n${line}`);
    assert.equal((html.match(/<a /g) ?? []).length, 2, html); // the two sha links, nothing else
    assert.doesNotMatch(html, /<img|<h1|evil\.example"|terminal\.new"/);
    assert.ok(!line.includes('\n'));
    assert.match(visibleText(line), /changed: a1b2c3d 2026-11-20 "Fix board list" \(Jane Doe\); bbbbbbb 2026-11-18 "Oops \[x\]\(command:workbench\.action\.terminal\.new\) # Heading http:\/\/evil\.example" \(<img src=x> \*Mallory\*\)$/);
  });

  test('no commit in the window: said, with the rise; git could not say: no line', () => {
    assert.equal(visibleText(changedHoverLine(ID, { commits: [] }, rise)!), "no commit touched its code in the window — team_planning's spend rose most on 2026-11-21");
    assert.equal(changedHoverLine(ID, { commits: [], reason: '/ws is not in a git repository' }, rise), undefined);
  });

  test('showCommitLink escapes parentheses; commitDay is the author date; spendRoseText', () => {
    assert.doesNotMatch(showCommitLink('x', 'GET /a/(b)', SHA).split('](')[1]!.slice(0, -1), /[()]/);
    assert.equal(commitDay(fix), '2026-11-20');
    assert.equal(spendRoseText(undefined), '');
  });
});

describe('budgetHoverLines with what changed', () => {
  const tp = { category: 'team_planning', group: 'project_management' };
  const row = (endpointId: string): EndpointRow => ({ endpointId, component: 'rails_request', category: 'team_planning', urgency: 'low', apdexFailures: 3, errors: 0, failures: 3, measurements: 1000, shareOfSpend: 0.5, spentMinutes: 3, ownAvailability: 0.997 });
  const days = [
    { date: '2026-11-20', apdexFailures: 0, errorFailures: 0, measurements: 100, spentMinutes: 0.1, cumulativeSpentMinutes: 0.1 },
    { date: '2026-11-21', apdexFailures: 3, errorFailures: 0, measurements: 100, spentMinutes: 2.9, cumulativeSpentMinutes: 3 },
  ];
  const base = {
    figures: { ...aBudgetFigures(), ...tp },
    groupName: 'Project Management',
    group: undefined,
    topEndpoints: [row(ID), row('Elsewhere#x')],
    inWorkspace: (id: string) => id === ID,
    failure: undefined,
    lastGoodAt: undefined,
  };

  test('under the endpoint git knows: its commits and the day the category spend rose (from the daily series the hover has)', () => {
    const text = budgetHoverLines({ ...base, changed: (id) => (id === ID ? { commits: [fix] } : undefined), explain: { meta: undefined, daily: { scope: { category: 'team_planning' }, budgetMinutes: 20, days } } }).join('\n');
    const seen = visibleText(text);
    assert.match(seen, /Projects::BoardsController#index: 3 failures.*\nchanged: a1b2c3d 2026-11-20 "Fix board list" \(Jane Doe\) — team_planning's spend rose most on 2026-11-21\nElsewhere#x \(not in this workspace\)/);
  });

  test('without the daily series: the commits without a rise; without changed: as before', () => {
    const text = visibleText(budgetHoverLines({ ...base, changed: () => ({ commits: [fix] }) }).join('\n'));
    assert.match(text, /changed: a1b2c3d 2026-11-20 "Fix board list" \(Jane Doe\)\n/);
    assert.doesNotMatch(text, /spend rose/);
    assert.doesNotMatch(visibleText(budgetHoverLines(base).join('\n')), /changed/);
  });
});

describe('panelChanged and panelData', () => {
  test('plain text on one line, the sha apart for the link', () => {
    assert.deepEqual(panelChanged({ commits: [fix, evil] }, rise), {
      commits: [
        { sha: SHA, shortSha: 'a1b2c3d', text: '2026-11-20 "Fix board list" (Jane Doe)' },
        { sha: 'b'.repeat(40), shortSha: 'bbbbbbb', text: '2026-11-18 "Oops [x](command:workbench.action.terminal.new) # Heading http://evil.example" (<img src=x> *Mallory*)' },
      ],
      text: " — team_planning's spend rose most on 2026-11-21",
    });
    assert.deepEqual(panelChanged({ commits: [] }, undefined), { commits: [], text: 'no commit touched its code in the window' });
    assert.equal(panelChanged({ commits: [], reason: 'git is not on PATH' }, rise), undefined);
  });

  test('only endpoints of this workspace carry it', () => {
    const ep = (endpointId: string): EndpointRow => ({ endpointId, component: 'rails_request', category: 'team_planning', urgency: 'low', apdexFailures: 1, errors: 0, failures: 1, measurements: 10, shareOfSpend: 1, spentMinutes: 1, ownAvailability: 0.9 });
    const data = panelData({ group: aGroupBudget(), daily: undefined, burnRates: undefined, endpoints: [ep(ID), ep('Elsewhere#x')], categories: [], inWorkspace: (id) => id === ID, changed: () => ({ commits: { commits: [fix] }, rise }) });
    assert.equal(data.endpoints?.[0]?.changed?.commits[0]?.shortSha, 'a1b2c3d');
    assert.equal(data.endpoints?.[1]?.changed, undefined);
  });
});

describe('wholeDays', () => {
  test('a window rounded out to whole UTC days; nonsense: undefined', () => {
    assert.deepEqual(wholeDays({ start: '2026-10-25T12:34:56Z', end: '2026-11-22T11:05:00Z' }), { since: new Date('2026-10-25T00:00:00Z'), until: new Date('2026-11-23T00:00:00Z') });
    assert.equal(wholeDays({ start: 'x', end: '2026-11-22T11:05:00Z' }), undefined);
    assert.equal(wholeDays({ start: '2026-11-23T00:00:00Z', end: '2026-11-22T00:00:00Z' }), undefined);
  });
});
