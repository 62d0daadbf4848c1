/**
 * Issue 12 item 11: backend strings (endpoint ids from logs, group names, error messages, warning
 * texts) must not become Markdown blocks or links in the hover, nor extra lines in the tree and
 * the status bar. Each hover is rendered by a real CommonMark + GFM renderer with linkify on
 * (test/support/markdownRender.ts), and the test checks what a reader would get: no heading, no
 * link but the extension's own command: links, every evil string shown as typed on one line.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointRow } from '../../../src/sdk/contract/apiTypes';
import type { Failure } from '../../../src/extension/budgetCache';
import { backendProblemText, budgetFailureHoverLines, budgetHoverLines, noBudgetDataStatusBar, statusBarBudgetText, statusBarBudgetTooltip } from '../../../src/extension/text/budgetText';
import { categoryHoverLines, categoryLensTitle, codeLensTitle, statusBarText } from '../../../src/extension/text/mappingText';
import { categoryTooltip, endpointTooltip } from '../../../src/extension/text/panelText';
import { aBudgetFigures, aGroupBudget } from '../../support/builders';
import { renderMarkdown, visibleText } from '../../support/markdownRender';
import { reportFailureText } from '../../../src/extension/text/reportText';
import { notificationSafe } from '../../../src/extension/text/safeText';

const HEADING = 'A#b\n# Heading';
const URL = 'http://evil.example/x';
const BARE = 'see www.evil.example/y or evil.com/z';
const TICKS = 'x` **bold** `\n- item';

function row(endpointId: string): EndpointRow {
  return { endpointId, component: 'rails_request', category: 'team_planning', urgency: 'low', apdexFailures: 1, errors: 0, failures: 1, measurements: 1000, shareOfSpend: 0.25, spentMinutes: 1, ownAvailability: 0.999 };
}

const failure: Failure = { url: 'http://127.0.0.1:7464/api/v1/groups', status: 503, message: `HTTP 503\n# Down\n${URL} [click](command:workbench.action.terminal.new)`, unauthorized: false, at: Date.UTC(2026, 10, 22, 11, 5) };
const fix = { setUrl: 'budgetLens.setApiUrl', setToken: 'budgetLens.setApiToken', retry: 'budgetLens.refreshBudget' };

/** The hrefs of the rendered links: only the extension's own commands may appear. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1] ?? '');
}

function assertInert(markdown: string): string {
  const html = renderMarkdown(markdown);
  assert.doesNotMatch(html, /<h[1-6]|<img|<script|<ul>\s*<li>item/, html);
  for (const href of hrefs(html)) assert.match(href, /^command:budgetLens\./, `unexpected link ${href} in\n${html}`);
  return html;
}

describe('no Markdown injection in the hover', () => {
  const figures = { ...aBudgetFigures({ warnings: [{ code: 'apdex_success_exceeds_weight', message: `s > w\n## ${URL}` }] }), category: 'team_planning', group: 'project_management' };
  const input = {
    figures,
    groupName: `Project Management\n# ${URL}`,
    group: { remainingMinutes: 1, budgetMinutes: 20.16 },
    topEndpoints: [row(HEADING), row(URL), row(BARE), row(TICKS)],
    inWorkspace: (id: string) => id === HEADING || id === TICKS,
    failure,
    lastGoodAt: Date.UTC(2026, 10, 22, 11, 0),
  };

  test('endpoint ids with "\\n# Heading" and bare URLs: no heading, no link, shown as typed on one line', () => {
    const lines = budgetHoverLines({ ...input, topEndpoints: [row(HEADING), row(URL), row(BARE)] });
    const markdown = lines.join('\n');
    const html = assertInert(markdown);
    // The id in the workspace links to its code: one command link, and the id is its text.
    assert.equal(hrefs(html).filter((h) => h.startsWith('command:budgetLens.goToEndpoint')).length, 1);
    const seen = visibleText(markdown);
    assert.match(seen, /A#b # Heading: 1 failure/);
    assert.match(seen, /http:\/\/evil\.example\/x \(not in this workspace\)/);
    assert.match(seen, /see www\.evil\.example\/y or evil\.com\/z \(not in this workspace\)/);
  });

  test('backticks in an id cannot close its code span', () => {
    const markdown = budgetHoverLines({ ...input, topEndpoints: [row(TICKS)] }).join('\n');
    const html = assertInert(markdown);
    assert.doesNotMatch(html, /<strong>bold/);
    assert.match(visibleText(markdown), /x` \*\*bold\*\* ` - item: 1 failure/);
  });

  test('group names, warnings and error messages: escaped, on one line', () => {
    const markdown = budgetHoverLines(input).join('\n');
    assertInert(markdown);
    const seen = visibleText(markdown);
    assert.match(seen, /group Project Management # http:\/\/evil\.example\/x \(project_management\)/);
    assert.match(seen, /data-quality warning: s > w ## http:\/\/evil\.example\/x/);
    assert.match(seen, /Stale since 2026-11-22 11:05:00 UTC: HTTP 503 # Down http:\/\/evil\.example\/x \[click\]\(command:workbench\.action\.terminal\.new\)\./);
  });

  test('the never-loaded hover: only its own Retry and Change URL links', () => {
    const html = assertInert(budgetFailureHoverLines(`team_planning\n# ${URL}`, failure, fix).join('\n'));
    assert.deepEqual(hrefs(html), ['command:budgetLens.refreshBudget', 'command:budgetLens.setApiUrl']);
  });

  test('the category hover: a category or group name from outside stays inert', () => {
    const catalog = {
      groupOf: () => ({ key: 'g', name: `Evil\n# ${URL}`, stage: 's', stageDisplayName: `[s](${URL})`, categories: [], ignoredComponents: [] }),
      isValidCategory: () => true,
    };
    const markdown = categoryHoverLines(`cat\`\n# ${URL}`, catalog as never, [], undefined, [], `label\n# ${URL}`).join('\n');
    assertInert(markdown);
    assert.match(visibleText(markdown), /cat` # http:\/\/evil\.example\/x → group Evil # http:\/\/evil\.example\/x \(g\) → stage \[s\]\(http:\/\/evil\.example\/x\)/);
  });
});

describe('plain text: one line each', () => {
  test('status bar text and tooltip', () => {
    const group = aGroupBudget({ name: 'Project\nManagement\r\n$(zap) x' });
    assert.equal(statusBarBudgetText(group, false).split('\n').length, 1);
    // VS Code's status bar draws $(zap) as an icon; \$( shows it as typed.
    assert.match(statusBarBudgetText(group, false), /^Project Management \\\$\(zap\) x: /);
    assert.match(statusBarBudgetTooltip(group, failure, undefined).split('\n')[0] ?? '', /^Project Management \$\(zap\) x \(/);
    assert.equal(statusBarBudgetTooltip(group, failure, undefined).split('\n').filter((l) => l.includes('# Down')).length, 1);
    const catalog = { groupOf: () => ({ name: 'A\nB' }), isValidCategory: () => true };
    assert.equal(statusBarText('c', catalog as never), 'A B');
  });

  test('tree tooltips', () => {
    assert.equal(endpointTooltip(row(HEADING), true).split('\n')[0], 'A#b # Heading');
    const c = { ...aBudgetFigures(), category: 'team\nplanning', group: 'g', stage: 's' };
    assert.match(categoryTooltip(c, undefined, undefined).split('\n')[0] ?? '', /^team planning · target/);
  });

  test('the never-loaded status bar: the name on one line in its text and its tooltip', () => {
    // Before, the adapter escaped the text but put the raw name in the tooltip's first line.
    const shown = noBudgetDataStatusBar('Project\nManagement $(zap)', 'project_management', failure);
    assert.equal(shown.text, 'Project Management \\$(zap): no budget data');
    assert.equal(shown.tooltip.split('\n')[0], 'Project Management $(zap) (project_management): Failing since 2026-11-22 11:05:00 UTC: HTTP 503 # Down http://evil.example/x [click](command:workbench.action.terminal.new). No budget data has loaded yet.');
    assert.equal(shown.tooltip.split('\n').length, 2);
  });

  test('CodeLens titles and quick picks: a catalog name on one line, $( shown as typed', () => {
    const catalog = { groupOf: () => ({ key: 'g', name: 'Evil\n# Name $(zap)', stage: 'pl\nan', categories: [], ignoredComponents: [] }), isValidCategory: () => true };
    assert.equal(categoryLensTitle('team_planning', catalog as never), 'team_planning · Evil # Name $(zap) · pl an');
    // VS Code draws $(name) in a lens title as an icon; \$( keeps it text.
    assert.equal(codeLensTitle('team_planning', catalog as never, undefined), 'team_planning · Evil # Name \\$(zap) · pl an');
    assert.equal(codeLensTitle('team_planning', catalog as never, '4.03 of 20.16 budget-min (20 %) · 28 d'), 'team_planning · 4.03 of 20.16 budget-min (20 %) · 28 d');
    assert.equal(codeLensTitle('team_planning', undefined, undefined), 'team_planning');
  });
});

/**
 * VS Code renders a notification's message (showWarningMessage & co.) with links of the form
 * `[label](https://…|command:…|file:…)`, opened on click with commands allowed: this is its
 * parser's pattern (vs/base/common/linkedText.ts, as in the workbench bundle the extension tests run).
 */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

function notificationLinks(message: string): string[] {
  return [...message.matchAll(NOTIFICATION_LINK)].map((m) => m[2] ?? '');
}

describe('notifications: no link from backend text', () => {
  test('Check Budget Backend: the failure message cannot offer a command link', () => {
    // Before: the message carried `[click](command:workbench.action.terminal.new)` as is: a link in the notification.
    const problem = backendProblemText('Budget API', 'http://127.0.0.1:7464', failure, undefined);
    assert.deepEqual(notificationLinks(problem.message), []);
    assert.equal(problem.message.split('\n').length, 1);
    assert.match(problem.message, /HTTP 503 # Down http:\/\/evil\.example\/x \[click\] \(command:workbench\.action\.terminal\.new\)/);
  });

  test('the monthly report failure, and notificationSafe itself', () => {
    assert.deepEqual(notificationLinks(reportFailureText('2026-10', 'http://127.0.0.1:7464', failure)), []);
    assert.equal(notificationSafe('a [x](https://evil.example/) b\n[y](file:///etc/passwd "t")'), 'a [x] (https://evil.example/) b [y] (file:///etc/passwd "t")');
    assert.deepEqual(notificationLinks(notificationSafe('[x](command:a)[y](command:b)')), []);
  });
});
