/**
 * The budget panel's webview bundle (dist/webview.js, from `npm run build`) in a real headless
 * Chromium (Debian's /usr/bin/chromium through playwright-core). The page is the host's own
 * (src/extension/panelHtml.ts: the same CSP with a fresh nonce), served from 127.0.0.1 so
 * `cspSource` is that origin; `acquireVsCodeApi` is a stub that records what the panel posts (the
 * thing under test is the panel; the stub plays the host). State messages carry backend strings
 * that would be markup if rendered as HTML; they must show as text.
 *
 * Screenshots (light and dark) go to docs/screenshots/panel-light.png and panel-dark.png.
 *
 * The figures below are those the extension-host suite computes by hand for its log
 * (test/extension/suite/panelTree.test.ts): team_planning f = 6, m = 40000 over 28 d (40320 min):
 * spent 6.048 -> "6.05" of 20.16, remaining 14.112 -> "14.11", 30 %; #index 3 failures
 * 3.024 -> "3.02" budget-min, 3/6 = 50.00 %; burn rate over 6 h (6/40000)/0.0005 = 0.3.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { newNonce, panelHtml } from '../../src/extension/panelHtml';
import { catalogChangeText } from '../../src/extension/text/panelText';
import type { HostToWebview, PanelData, PanelStale, WebviewToHost } from '../../src/shared/protocol';

const REPO = join(__dirname, '..', '..');
const BUNDLE = join(REPO, 'dist', 'webview.js');
const SHOTS = join(REPO, 'docs', 'screenshots');
const XSS = '<img src=x onerror=alert(1)>';

/** The bundle must be newer than every webview source, or this would test an old panel. */
function assertBundleFresh(): void {
  const built = statSync(BUNDLE, { throwIfNoEntry: false })?.mtimeMs;
  assert.ok(built !== undefined, 'dist/webview.js is missing: run `npm run build`');
  const sources = [...readdirSync(join(REPO, 'webview')).filter((f) => f.endsWith('.ts')).map((f) => join(REPO, 'webview', f)), join(REPO, 'src', 'shared', 'protocol.ts')];
  for (const s of sources) assert.ok(statSync(s).mtimeMs <= built, `${s} is newer than dist/webview.js: run \`npm run build\``);
}

const data = (): PanelData => ({
  group: {
    key: 'project_management',
    name: `Project Management ${XSS}`,
    stage: 'plan',
    targetText: '99.95 % over 28 d',
    spentText: '6.05',
    budgetText: '20.16',
    remainingText: '14.11',
    availabilityText: '99.985 %',
    spentShareText: '30 %',
    state: 'fine',
    policyText: 'Within budget: understand your spend.',
    trafficShareText: '99.95 %',
  },
  daily: {
    budgetMinutes: 20.16,
    days: [
      { date: '2026-11-20', spentMinutes: 1.008, cumulativeSpentMinutes: 1.008 },
      { date: '2026-11-21', spentMinutes: 2.016, cumulativeSpentMinutes: 3.024 },
      { date: '2026-11-22', spentMinutes: 3.024, cumulativeSpentMinutes: 6.048 },
    ],
  },
  burnRates: [
    { window: '1 h', rateText: 'no data', thresholdText: '13.44x', exceeded: false, exhaustionText: 'no data' },
    { window: '6 h', rateText: '0.30x', thresholdText: '5.60x', exceeded: false, exhaustionText: '65.3 d' },
    { window: '3 d', rateText: '0.30x', thresholdText: '0.93x', exceeded: false, exhaustionText: '65.3 d' },
  ],
  endpoints: [
    { endpointId: 'Projects::IssuesController#index', category: 'team_planning', failuresText: '3 failures', minutesText: '3.02', shareText: "50.00 % of team_planning's spend", ownAvailabilityText: '99.970 %', belowTarget: false, inWorkspace: true },
    { endpointId: `GET /api/:version/evil ${XSS}`, category: 'team_planning', failuresText: '2 failures', minutesText: '2.02', shareText: "33.33 % of team_planning's spend", ownAvailabilityText: '99.930 % < 99.95 %', belowTarget: true, inWorkspace: false },
  ],
  categories: [
    { category: 'team_planning', spentText: '6.05', budgetText: '20.16', remainingText: '14.11', availabilityText: '99.985 %', spentShareText: '30 %', state: 'fine' },
    { category: 'service_desk', spentText: 'no data', budgetText: '20.16', remainingText: 'no data', availabilityText: 'no data', spentShareText: 'no data', state: 'noData' },
  ],
});

/** The pixels a canvas has painted (alpha above 0): a chart drawn is thousands, an empty one 0. */
async function paintedPixels(page: Page, canvasId: string): Promise<number> {
  return (await page.evaluate(`(() => {
    const c = document.getElementById(${JSON.stringify(canvasId)});
    const ctx = c && c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
    return n;
  })()`)) as number;
}

const stale: PanelStale = {
  url: 'http://127.0.0.1:7464/api/v1/groups/project_management',
  status: 503,
  reasonText: `Stale since 2026-11-22 11:05:00 UTC: upstream ${XSS} is down (HTTP 503 from http://127.0.0.1:7464/api/v1/groups/project_management). Showing the data of 2026-11-22 11:00:00 UTC.`,
  lastGoodText: '2026-11-22 11:00:00 UTC',
};

interface PageRecord {
  posted: WebviewToHost[];
  violations: string[];
}

describe('budget panel webview in Chromium', { timeout: 60_000 }, () => {
  let server: Server;
  let origin: string;
  let browser: Browser;

  before(async () => {
    assertBundleFresh();
    const bundle = readFileSync(BUNDLE);
    server = createServer((req, res) => {
      if (req.url === '/webview.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' });
        res.end(bundle);
        return;
      }
      if (req.url === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(panelHtml({ cspSource: origin, nonce: newNonce(), scriptUri: `${origin}/webview.js`, title: 'Budget panel test' }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  /** A page with the stub host; `theme` sets the --vscode-* variables a light or dark VS Code would. */
  async function openPanel(theme: 'light' | 'dark'): Promise<{ page: Page; dialogs: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1250 }, colorScheme: theme });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // A string, not a function: tsx compiles functions with `__name` helpers the page does not have.
    await page.addInitScript(`
      const record = { posted: [], violations: [] };
      window.__record = record;
      document.addEventListener('securitypolicyviolation', (e) => record.violations.push(e.violatedDirective + ' ' + e.blockedURI));
      window.acquireVsCodeApi = () => ({ postMessage: (m) => record.posted.push(m) });
      // VS Code sets these on the webview's <html>; CSSOM (not an inline style attribute) keeps the CSP intact.
      document.addEventListener('DOMContentLoaded', () => {
        for (const [k, v] of Object.entries(${JSON.stringify(THEMES[theme])})) document.documentElement.style.setProperty(k, v);
      });
    `);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/`);
    // Polled from Node: page.waitForFunction evaluates its predicate with eval, which this CSP forbids.
    const deadline = Date.now() + 10_000;
    while (!(await record(page)).posted.some((m) => m.type === 'ready')) {
      assert.ok(Date.now() < deadline, `the panel never said ready; page errors: ${errors.join('; ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(errors, []);
    return { page, dialogs };
  }

  const record = (page: Page): Promise<PageRecord> => page.evaluate('window.__record') as Promise<PageRecord>;
  const send = async (page: Page, m: HostToWebview): Promise<void> => {
    await page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
  };

  test('says ready, shows loading, then the state; backend strings stay text', async () => {
    const { page, dialogs } = await openPanel('dark');
    assert.deepEqual((await record(page)).posted, [{ type: 'ready' }]);
    assert.equal(await page.locator('#loading').count(), 1);
    await send(page, { type: 'state', view: { kind: 'ready', data: data() } });
    await page.locator('#title').waitFor();
    assert.equal(await page.locator('#title').textContent(), `Project Management ${XSS}`);
    assert.equal(await page.locator('.endpoint-id', { hasText: 'evil' }).textContent(), `GET /api/:version/evil ${XSS}`);
    // Below the target: marked, and only that row; the share says of what.
    assert.deepEqual(await page.locator('.below-target').allTextContents(), ['⚠ 99.930 % < 99.95 %']);
    assert.equal(await page.getByText("50.00 % of team_planning's spend").count(), 1);
    assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
    assert.equal(await page.locator('#policy').textContent(), 'Within budget: understand your spend.');
    // Figures as the host worded them.
    const figures = await page.locator('.figure .value').allTextContents();
    assert.deepEqual(figures, ['6.05 of 20.16', '14.11', '99.985 %', '30 %']);
    await page.waitForTimeout(200);
    assert.deepEqual(dialogs, [], 'no alert() ran');
    assert.deepEqual((await record(page)).violations, []);
    await page.close();
  });

  test('the violation listener works: an inline style attribute is reported (so "no violation" above can fail)', async () => {
    const { page } = await openPanel('dark');
    await page.evaluate(`document.body.insertAdjacentHTML('beforeend', '<div style="color: red">x</div>')`);
    await page.waitForTimeout(200);
    assert.deepEqual((await record(page)).violations.map((v) => v.split(' ')[0]), ['style-src-attr']);
    await page.close();
  });

  test('the chart canvas is drawn', async () => {
    const { page } = await openPanel('dark');
    await send(page, { type: 'state', view: { kind: 'ready', data: data() } });
    const canvas = page.locator('#daily-chart');
    await canvas.waitFor();
    const painted = await paintedPixels(page, 'daily-chart');
    // Bars, two lines, axes and the legend: far more than a few stray pixels.
    assert.ok(painted > 2000, `only ${painted} painted pixels`);
    await page.close();
  });

  test('a theme change (body class, as VS Code swaps it) redraws the chart in the new colours', async () => {
    const { page } = await openPanel('dark');
    await send(page, { type: 'state', view: { kind: 'ready', data: data() } });
    await page.locator('#daily-chart').waitFor();
    const pixels = (): Promise<string> => page.evaluate(`document.getElementById('daily-chart').toDataURL()`) as Promise<string>;
    const dark = await pixels();
    await page.evaluate(`(() => {
      for (const [k, v] of Object.entries(${JSON.stringify(THEMES.light)})) document.documentElement.style.setProperty(k, v);
      document.body.classList.remove('vscode-dark');
      document.body.classList.add('vscode-light');
    })()`);
    // The observer runs as a microtask after the change; the chart draws without animation.
    await page.waitForTimeout(100);
    const light = await pixels();
    assert.notEqual(light, dark, 'the chart was drawn again with the light theme variables');
    assert.deepEqual((await record(page)).violations, []);
    await page.close();
  });

  test('"Go to code" posts the typed message; an endpoint outside the workspace has no button', async () => {
    const { page } = await openPanel('dark');
    await send(page, { type: 'state', view: { kind: 'ready', data: data() } });
    const buttons = page.locator('vscode-button[data-action="goToEndpoint"]');
    assert.equal(await buttons.count(), 1);
    await buttons.first().click();
    await page.locator('vscode-button[data-action="refresh"]').click();
    await page.locator('vscode-button[data-action="chooseGroup"]').click();
    await page.locator('vscode-button[data-action="monthlyReport"]').click();
    assert.deepEqual((await record(page)).posted, [
      { type: 'ready' },
      { type: 'goToEndpoint', endpointId: 'Projects::IssuesController#index' },
      { type: 'refresh' },
      { type: 'chooseGroup' },
      { type: 'monthlyReport' },
    ]);
    assert.equal(await page.locator('text=not in this workspace').count(), 1);
    await page.close();
  });

  test('the stale banner shows the reason while the data stays; fresh again hides it', async () => {
    const { page, dialogs } = await openPanel('dark');
    await send(page, { type: 'state', view: { kind: 'ready', data: data() } });
    await send(page, { type: 'stale', stale });
    const banner = page.locator('#stale-banner');
    await banner.waitFor();
    assert.equal(await banner.locator('.reason').textContent(), stale.reasonText);
    assert.match((await banner.textContent()) ?? '', /HTTP 503 · last good data 2026-11-22 11:00:00 UTC/);
    assert.equal(await page.locator('#title').textContent(), `Project Management ${XSS}`, 'the last good data stays shown');
    assert.equal(await page.locator('img').count(), 0);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'panel-dark.png'), fullPage: true });
    await send(page, { type: 'stale', stale: null });
    assert.equal(await banner.count(), 0);
    assert.deepEqual(dialogs, []);
    assert.deepEqual((await record(page)).violations, []);
    await page.close();
  });

  /**
   * Manual adjustments (issue 15 item 3e), worded as test/unit/extension/adjustedText.test.ts words
   * them: measured f = 6, m = 40000 (6.05 of 20.16); one adjustment removes f = 4, m = 200, leaving
   * f = 2, m = 39800: spent 2 * 40320 / 39800 = 2.026 -> "2.03", remaining 18.13, A 99.994 %, 10 %.
   * The second adjustment's reason is markup and its link a javascript: URL: text, never elements.
   */
  const adjustedData = (): PanelData => {
    const d = data();
    const adjustments = [
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
        reason: `Redis ${XSS} <a href="command:workbench.action.terminal.new">run</a>`,
        linkText: 'javascript:alert(1)',
        removedText: 'removed 0 failures of 0 measurements (counted 2026-03-10 22:00 – 2026-03-11 03:00 UTC)',
      },
    ];
    const adjusted = { spentText: '2.03', remainingText: '18.13', availabilityText: '99.994 %', spentShareText: '10 %', state: 'fine' as const, adjustments };
    return { ...d, group: { ...d.group, adjusted }, categories: d.categories.map((c, i) => (i === 0 ? { ...c, adjusted: { ...adjusted, adjustments: adjustments.slice(0, 1) } } : c)) };
  };

  test('adjusted figures under the measured ones, the adjustments as text, a link only for http(s)', async () => {
    const { page, dialogs } = await openPanel('dark');
    await send(page, { type: 'state', view: { kind: 'ready', data: adjustedData() } });
    await page.locator('#adjusted-figures').waitFor();
    // Both figures, the measured ones labelled so and first.
    assert.deepEqual(await page.locator('#measured-figures .figure .value').allTextContents(), ['6.05 of 20.16', '14.11', '99.985 %', '30 %']);
    assert.deepEqual(await page.locator('#measured-figures .figure .label').allTextContents(), ['budget-min spent (as measured)', 'budget-min remaining (as measured)', 'availability (as measured)', 'of the budget spent (as measured)']);
    assert.deepEqual(await page.locator('#adjusted-figures .figure .value').allTextContents(), ['2.03 of 20.16', '18.13', '99.994 %', '10 %']);
    assert.equal(await page.locator('#adjusted-figures .figure .label').first().textContent(), 'adjusted: budget-min spent');
    // The policy stays as measured.
    assert.equal(await page.locator('#policy').textContent(), 'Within budget: understand your spend.');
    const items = page.locator('#adjustments .adjustment');
    assert.equal(await items.count(), 2);
    assert.equal(await items.nth(0).locator('.adjustment-reason').textContent(), 'Patroni failover: the primary database was unreachable');
    assert.equal(await items.nth(1).locator('.adjustment-reason').textContent(), `Redis ${XSS} <a href="command:workbench.action.terminal.new">run</a>`);
    assert.equal(await items.nth(1).locator('.adjustment-link-text').textContent(), 'javascript:alert(1)');
    // One anchor in the list, the https one; nothing the reason wrote became an element.
    assert.deepEqual(await page.locator('#adjustments a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['https://gitlab.com/gitlab-com/gl-infra/production/-/issues/1234']);
    assert.equal(await page.locator('img').count(), 0);
    assert.match((await items.nth(0).textContent()) ?? '', /^2026-03-10 10:00 – 12:00 UTC · all groups: Patroni failover.*removed 4 failures of 200 measurements/);
    // The categories table: the measured figure, the adjusted one below it, in the spent, remaining and availability cells.
    assert.deepEqual(await page.locator('.cell-adjusted').allTextContents(), ['adjusted 2.03', 'adjusted 18.13', 'adjusted 99.994 %']);
    assert.equal(await page.locator('vscode-table-cell', { has: page.locator('.cell-adjusted') }).first().textContent(), '6.05 (30 %)adjusted 2.03');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'panel-adjusted.png'), fullPage: true });
    await page.waitForTimeout(200);
    assert.deepEqual(dialogs, [], 'no alert() ran');
    assert.deepEqual((await record(page)).violations, []);
    // Without adjusted figures the labels are plain and there is no list.
    await send(page, { type: 'state', view: { kind: 'ready', data: data() } });
    await page.locator('#measured-figures').waitFor();
    assert.equal(await page.locator('#adjustments').count(), 0);
    assert.equal(await page.locator('#measured-figures .figure .label').first().textContent(), 'budget-min spent');
    await page.close();
  });

  test('catalog changes in the window: a line each under the header, worded by the host, as text', async () => {
    const { page, dialogs } = await openPanel('dark');
    // Worded as the host words meta.catalogChanges (panelText.ts catalogChangeText) with the local
    // catalog's names; the last one carries a hostile category and group name from the backend.
    const names: Record<string, string> = { project_management: 'Project Management', knowledge: 'Knowledge' };
    const catalogChanges = [
      catalogChangeText({ at: '2026-11-15T00:00:00.000Z', kind: 'category_moved', category: 'team_planning', from: 'project_management', to: 'knowledge' }, (k) => names[k]),
      catalogChangeText({ at: '2026-11-15T09:30:00.000Z', kind: 'group_renamed', from: 'code_review', to: 'code_review_ui' }, (k) => names[k]),
      catalogChangeText({ at: '2026-11-20T00:00:00.000Z', kind: 'category_added', category: `duo_chat ${XSS}`, to: `x<script>alert(2)</script>` }, (k) => names[k]),
    ];
    await send(page, { type: 'state', view: { kind: 'ready', data: { ...data(), catalogChanges } } });
    await page.locator('#catalog-changes').waitFor();
    assert.deepEqual(await page.locator('#catalog-changes .catalog-change').allTextContents(), [
      'team_planning moved from Project Management to Knowledge on 2026-11-15',
      'code_review was renamed code_review_ui on 2026-11-15 09:30 UTC',
      `duo_chat ${XSS} was added to x<script>alert(2)</script> on 2026-11-20`,
    ]);
    // Right under the header line, before the figures.
    const order = await page.evaluate(`[...document.querySelectorAll('#title, #catalog-changes, #measured-figures')].map((e) => e.id)`);
    assert.deepEqual(order, ['title', 'catalog-changes', 'measured-figures']);
    assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
    assert.equal(await page.locator('#catalog-changes script').count(), 0);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'panel-catalog-changes.png'), clip: { x: 0, y: 0, width: 1100, height: 420 } });
    await page.waitForTimeout(200);
    assert.deepEqual(dialogs, [], 'no alert() ran');
    assert.deepEqual((await record(page)).violations, []);
    // Nothing moved: no line.
    await send(page, { type: 'state', view: { kind: 'ready', data: data() } });
    await page.locator('#measured-figures').waitFor();
    assert.equal(await page.locator('#catalog-changes').count(), 0);
    await page.close();
  });

  /**
   * Objective tiles (issue 13). Figures worded as test/unit/extension/objectiveText.test.ts words
   * them: 4,995 good of 5,000 at 99.8 % -> "99.90 % ≥ 99.8 %", 5 of 10 events left; the burn-down
   * stays at 1 until the day the 5 bad events came (0.5).
   */
  const objectives = (): NonNullable<PanelData['objectives']> => [
    {
      name: 'workspace-starts',
      displayName: `Workspaces start ${XSS}`,
      targetText: '99.8 % over 28d · Occurrences',
      sliText: 'ratio bad/total',
      sliVsTargetText: '99.90 % ≥ 99.8 %',
      budgetLeftText: '5 of 10 events (50.00 %)',
      burnText: 'no events in the last hour',
      state: 'fine',
      burnDown: Array.from({ length: 28 }, (_, i) => ({ day: `2026-11-${String(i + 1).padStart(2, '0')}`, remainingFraction: i < 20 ? 1 : 0.5 })),
    },
    {
      name: 'workspace-start-under-2m',
      displayName: 'Workspaces start in under 2 minutes',
      targetText: '95 % over 28d · Occurrences',
      sliText: 'threshold lt 128',
      sliVsTargetText: '80.00 % < 95 %',
      budgetLeftText: '-30 of 10 events (-300.00 %)',
      burnText: 'no events in the last hour',
      state: 'exhausted',
    },
  ];

  test('objective tiles after the endpoints; a group measured only by its objectives leads with them', async () => {
    const { page } = await openPanel('light');
    await send(page, { type: 'state', view: { kind: 'ready', data: { ...data(), objectives: objectives() } } });
    await page.locator('#objective-0').waitFor();
    const headings = async (): Promise<string[]> => page.locator('h2').allTextContents();
    assert.deepEqual(await headings(), ['Daily spend over the window', 'Burn rates', 'Top failing endpoints', 'Objectives', 'Categories']);
    // The group with no availability data (no request or job logs): objectives first, one line for the rest.
    const noData: PanelData = {
      ...data(),
      group: { ...data().group, spentText: 'no data', remainingText: 'no data', availabilityText: 'no data', spentShareText: 'no data', state: 'noData', policyText: 'No data in the window: nothing to judge.' },
      daily: { budgetMinutes: 20.16, days: [] },
      endpoints: [],
      objectives: objectives(),
    };
    await send(page, { type: 'state', view: { kind: 'ready', data: noData } });
    await page.locator('#availability-no-data').waitFor();
    assert.deepEqual(await headings(), ['Objectives', 'Availability', 'Categories']);
    assert.equal(await page.locator('#daily-chart').count(), 0);
    assert.match((await page.locator('#availability-no-data').textContent()) ?? '', /No request or job data for the group's categories in the window \(budget 20\.16 budget-min\)/);
    // Backend strings are text: the display name's markup is shown, not run.
    assert.equal(await page.getByText(`Workspaces start ${XSS}`).count(), 1);
    assert.equal(await page.locator('img').count(), 0);
    // The burn-down is drawn; the tile without one says it is on its way.
    const painted = await paintedPixels(page, 'burndown-0');
    assert.ok(painted > 1000, `only ${painted} painted pixels in the burn-down`);
    assert.equal(await page.locator('#objective-1').getByText('Loading the burn-down…').count(), 1);
    // The name opens the definition: the typed message.
    await page.locator('#objective-1 a.objective-name').click();
    assert.deepEqual((await record(page)).posted.filter((m) => m.type === 'openObjective'), [{ type: 'openObjective', name: 'workspace-start-under-2m' }]);
    assert.deepEqual((await record(page)).violations, []);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'panel-objectives.png'), fullPage: true });
    await page.close();
  });

  test('an error without data, in the light theme', async () => {
    const { page } = await openPanel('light');
    await send(page, { type: 'state', view: { kind: 'ready', data: data() } });
    await send(page, { type: 'stale', stale });
    await page.locator('#daily-chart').waitFor();
    await page.screenshot({ path: join(SHOTS, 'panel-light.png'), fullPage: true });
    await send(page, { type: 'stale', stale: null });
    await send(page, { type: 'state', view: { kind: 'error', title: 'No budget data for project_management', message: `Failing since … ${XSS}` } });
    assert.equal(await page.locator('#error').textContent(), `No budget data for project_management${'Failing since … ' + XSS}`);
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual((await record(page)).violations, []);
    await page.close();
  });

  test('a failing backend: the error offers its fixes as buttons that post fix messages; a part that failed alone says why', async () => {
    const { page } = await openPanel('dark');
    await send(page, {
      type: 'state',
      view: { kind: 'error', title: 'No budget data for Project Management', message: `Failing since 2026-11-22 11:05:00 UTC: Budget API unreachable ${XSS}. No budget data has loaded yet.`, fixes: ['refresh', 'setToken', 'changeUrl'] },
    });
    const fixes = page.locator('#error .fixes vscode-button');
    assert.deepEqual(await fixes.allTextContents(), ['Retry', 'Set API Token…', 'Change the backend URL…']);
    await page.screenshot({ path: join(SHOTS, 'panel-failing.png'), fullPage: true });
    for (const i of [0, 1, 2]) await fixes.nth(i).click();
    assert.deepEqual((await record(page)).posted.slice(-3), [{ type: 'refresh' }, { type: 'fix', fix: 'setToken' }, { type: 'fix', fix: 'changeUrl' }]);
    // The data is there but the daily series failed: its section says why, not "Loading…".
    const reason = `The daily series did not load: HTTP 503 — upstream ${XSS} is down. Retry with Refresh.`;
    await send(page, { type: 'state', view: { kind: 'ready', data: { ...data(), daily: undefined, unavailable: { daily: reason } } } });
    assert.equal(await page.locator('.part-error').textContent(), reason);
    assert.equal(await page.getByText('Loading the daily series…').count(), 0);
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual((await record(page)).violations, []);
    await page.close();
  });
});

/**
 * A few of the variables VS Code defines on a webview's <html> (values from its Light Modern and
 * Dark Modern themes), enough for what the panel's CSS and the chart read.
 */
const THEMES: Record<'light' | 'dark', Record<string, string>> = {
  light: {
    '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-foreground': '#3b3b3b',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-editor-background': '#ffffff',
    '--vscode-editorGroup-border': '#e5e5e5',
    '--vscode-panel-border': '#e5e5e5',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-inputValidation-warningBorder': '#bf8803',
    '--vscode-inputValidation-warningBackground': '#f6eed1',
    '--vscode-inputValidation-errorBorder': '#be1100',
    '--vscode-inputValidation-errorBackground': '#f2dede',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-badge-background': '#cccccc',
    '--vscode-badge-foreground': '#3b3b3b',
    '--vscode-keybindingTable-rowsBackground': 'rgba(128, 128, 128, 0.04)',
  },
  dark: {
    '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-editorGroup-border': '#ffffff17',
    '--vscode-panel-border': '#2b2b2b',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-inputValidation-warningBorder': '#b89500',
    '--vscode-inputValidation-warningBackground': '#352a05',
    '--vscode-inputValidation-errorBorder': '#be1100',
    '--vscode-inputValidation-errorBackground': '#5a1d1d',
    '--vscode-button-background': '#0078d4',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-badge-background': '#616161',
    '--vscode-badge-foreground': '#f8f8f8',
    '--vscode-keybindingTable-rowsBackground': 'rgba(204, 204, 204, 0.04)',
  },
};
