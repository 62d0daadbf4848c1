// Looks at the extension as a person would: the same VS Code server and headless Chromium as the
// suites, driven by keyboard and mouse on examples/gitlab-style, with a screenshot per step into
// docs/screenshots/ (codelens.png, hover.png, problems.png, goto-endpoint.png), then the same on
// examples/multi-root (multi-root.png), then budget figures from a real Budget API
// (budget-lens.png, endpoint-lenses.png and explained-hover.png: `budget-lens sample` logs ingested into a temporary store and served with a
// token that is typed into Set API Token's password box), and from such data the Group budget
// tree (tree.png) and the budget panel (panel-dark-workbench.png in the launcher's Default Dark
// Modern, panel.png after switching to Light Modern), and last what `npm run demo` prints a URL
// for (demo.png, the README's first picture). Each step waits
// for what a user would wait for (the lens text, the hover, the problem), so a missing feature
// fails the script instead of producing an empty picture.
//
// Usage: node test/extension/screenshots.mjs [--no-build] [--only gitlab-style|multi-root|budget|panel|narrow|gitpod|demo|faults]
// (needs the server: scripts/install-vscode-server.sh)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO, freePort, launchWorkbench } from './vscodeServer.mjs';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const want = (part) => only === undefined || only === part;

const outDir = join(REPO, 'docs', 'screenshots');
mkdirSync(outDir, { recursive: true });
if (!process.argv.includes('--no-build')) {
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
spawnSync('bash', [join(REPO, 'scripts', 'install-vscode-server.sh')], { cwd: REPO, stdio: 'inherit' });

/** The page the helpers below drive (one workbench at a time). */
let page;
const shot = async (name) => {
  await page.waitForTimeout(400); // let animations (hover fade-in, panel slide) finish
  await page.screenshot({ path: join(outDir, name) });
  console.log(`wrote docs/screenshots/${name}`);
};

/** Runs a command from the command palette by its title. */
async function runCommand(title) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Shows the hover at the cursor until it holds `text`. The hover renders what is known when it
 * opens (figures still on their way read "loading…") and an open hover is never redrawn, so, like a
 * user, close it and hover again.
 */
async function hoverUntil(text, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runCommand('Show or Focus Hover');
    const shown = page.locator('.monaco-hover', { hasText: text });
    try {
      await shown.waitFor({ timeout: 2_000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

/** Opens a workspace file through Quick Open, like a user typing its name. */
async function openFile(name) {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
}

async function goToLine(line, column) {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
}

/** Opens the workbench and waits until it takes keyboard input. */
async function openWorkbench(wb) {
  page = wb.page;
  await page.goto(wb.url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The workbench grabs focus once it has restored; give it a moment before typing.
  await page.locator('.statusbar').waitFor();
  await page.waitForTimeout(1500);
}

if (want('gitlab-style')) {
const wb = await launchWorkbench({ workspace: join(REPO, 'examples', 'gitlab-style'), viewport: { width: 1280, height: 800 } });
try {
  await openWorkbench(wb);

  // 1. CodeLens above each action of a controller, and the group in the status bar.
  await openFile('issues_controller.rb');
  await page.locator('.codelens-decoration', { hasText: 'team_planning · Project Management · plan' }).first().waitFor({ timeout: 60_000 });
  await page.locator('.statusbar-item', { hasText: 'Project Management' }).waitFor();
  await goToLine(11, 22);
  await shot('codelens.png');

  // 2. The hover on `feature_category :team_planning`.
  await runCommand('Show or Focus Hover');
  await page.locator('.monaco-hover', { hasText: 'Budget Lens' }).waitFor();
  await shot('hover.png');
  // The endpoint lines are links to Go to Endpoint: clicking one moves the cursor there.
  await page.locator('.monaco-hover a', { hasText: 'line 40' }).click();
  await page.locator('.statusbar-item', { hasText: 'Ln 40, Col 1' }).waitFor();
  console.log('clicked the hover link "line 40": cursor at Ln 40');

  // 3. The deliberately broken example file and the Problems panel.
  await openFile('milestones_controller.rb');
  await page.locator('.codelens-decoration', { hasText: 'team_planing · not in the catalog' }).first().waitFor({ timeout: 30_000 });
  await runCommand('View: Focus Problems');
  await page.locator('.markers-panel .monaco-list-row', { hasText: "unknown feature category 'team_planing'" }).first().waitFor({ timeout: 30_000 });
  await goToLine(11, 21);
  await page.keyboard.press('Control+.');
  await page.locator('.action-widget', { hasText: 'Change to team_planning' }).waitFor();
  await shot('problems.png');
  await page.keyboard.press('Escape');

  // 4. Go to Endpoint… (the QuickPick over the inventory).
  await runCommand('Budget Lens: Go to Endpoint');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Projects::IssuesController#index' }).first().waitFor();
  await page.keyboard.type('repository/tags');
  await page.waitForTimeout(300);
  await shot('goto-endpoint.png');
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: 'tags.rb' }).waitFor();
} catch (e) {
  await page.screenshot({ path: join(outDir, 'failure.png') }).catch(() => {});
  console.error(`✖ ${e instanceof Error ? e.message : String(e)} (see docs/screenshots/failure.png; do not commit it)`);
  process.exitCode = 1;
} finally {
  await wb.close();
}
}

// 5. A multi-root workspace (examples/multi-root): each folder its own index; Go to Endpoint…
//    lists both, the folder name in each item's detail.
if (process.exitCode !== 1 && want('multi-root')) {
  const multi = await launchWorkbench({ workspace: join(REPO, 'examples', 'multi-root', 'multi-root.code-workspace'), viewport: { width: 1280, height: 800 } });
  const mp = multi.page;
  try {
    await mp.goto(multi.url);
    await mp.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await mp.locator('.statusbar').waitFor();
    await mp.waitForTimeout(1500);
    await mp.keyboard.press('Control+P');
    await mp.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await mp.keyboard.type('seats_controller.rb');
    await mp.locator('.quick-input-list .monaco-list-row', { hasText: 'seats_controller.rb' }).first().waitFor();
    await mp.keyboard.press('Enter');
    await mp.locator('.tab.active', { hasText: 'seats_controller.rb' }).waitFor();
    await mp.locator('.codelens-decoration').first().waitFor({ timeout: 60_000 });
    await mp.keyboard.press('F1');
    await mp.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await mp.keyboard.type('Budget Lens: Go to Endpoint');
    await mp.locator('.quick-input-list .monaco-list-row', { hasText: 'Go to Endpoint' }).first().waitFor();
    await mp.keyboard.press('Enter');
    await mp.locator('.quick-input-list .monaco-list-row', { hasText: 'gitlab-style' }).first().waitFor();
    // The list starts with the first folder's endpoints; the second folder's are one filter away.
    await mp.keyboard.type('Seats');
    await mp.locator('.quick-input-list .monaco-list-row', { hasText: 'billing' }).first().waitFor();
    await mp.waitForTimeout(400);
    await mp.screenshot({ path: join(outDir, 'multi-root.png') });
    console.log('wrote docs/screenshots/multi-root.png');
    await mp.keyboard.press('Escape');
  } catch (e) {
    await mp.screenshot({ path: join(outDir, 'failure.png') }).catch(() => {});
    console.error(`✖ multi-root: ${e instanceof Error ? e.message : String(e)} (see docs/screenshots/failure.png; do not commit it)`);
    process.exitCode = 1;
  } finally {
    await multi.close();
  }
}

// 6. Budget figures from a real Budget API: 28 days of `budget-lens sample` logs for the example,
//    ingested into a temporary store, served with a token; the token goes in through the Set API
//    Token password box like a user would; then the lenses, the status bar and the hover.
/** `budget-lens serve` over a store with a token, from `cwd` (whose .budgetlens.yml it reads). */
function spawnServe(store, catalogDir, cwd, token) {
  return spawn(process.execPath, [join(REPO, 'dist', 'cli.js'), 'serve', '--store', store, '--catalog', catalogDir, '--port', '0'], {
    cwd,
    env: { ...process.env, BUDGET_LENS_SERVE_TOKEN: token },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** The base URL a serve child prints once it listens. */
function servedUrl(server) {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`budget-lens serve printed no URL: ${out}`)), 30_000);
    server.stdout.on('data', (c) => {
      out += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
}

/** Widens the side bar by `px`: drags the sash between it and the editor, like a user. */
async function widenSideBar(px) {
  const sideBar = await page.locator('.part.sidebar').boundingBox();
  if (!sideBar) return;
  const x = sideBar.x + sideBar.width;
  await page.mouse.move(x, sideBar.y + 300);
  await page.mouse.down();
  await page.mouse.move(x + px, sideBar.y + 300, { steps: 10 });
  await page.mouse.up();
}

/**
 * 28 days of `budget-lens sample` logs for the example, ingested into a temporary store and
 * served with a random token. `stop()` ends the server and removes the store.
 */
async function startSampleApi(seed = 7) {
  const tmp = mkdtempSync(join(tmpdir(), 'budget-lens-shot-'));
  const cli = join(REPO, 'dist', 'cli.js');
  const runCli = (args) => {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`budget-lens ${args[0]} failed: ${r.stderr}`);
  };
  const token = randomBytes(16).toString('hex');
  let server;
  const stop = () => {
    if (server && server.exitCode === null) server.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    runCli(['sample', '--root', join(REPO, 'examples', 'gitlab-style'), '--out', join(tmp, 'logs'), '--seed', String(seed)]);
    runCli(['ingest', join(tmp, 'logs'), '--store', join(tmp, 'store.db')]);
    server = spawnServe(join(tmp, 'store.db'), join(REPO, 'catalog', 'gitlab'), tmp, token);
    const url = await servedUrl(server);
    return { url, token, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

/** Types the token into Set API Token's password box, like a user. */
async function setTokenByHand(token) {
  await runCommand('Budget Lens: Set API Token');
  await page.locator('.quick-input-widget input[type="password"]').waitFor({ state: 'visible' });
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
}

if (process.exitCode !== 1 && want('budget')) {
  let api;
  let bwb;
  try {
    // Seed 3: the sample's failures include a few of the issues controller's own (index, show),
    // so its endpoint lenses have figures to show (seed 7 gives them none).
    api = await startSampleApi(3);
    const { url, token } = api;
    bwb = await launchWorkbench({ workspace: join(REPO, 'examples', 'gitlab-style'), viewport: { width: 1280, height: 800 }, settings: { 'budgetLens.api.url': url, 'editor.hover.above': false } });
    await openWorkbench(bwb);
    await openFile('issues_controller.rb');
    await page.locator('.codelens-decoration').first().waitFor({ timeout: 60_000 });
    await setTokenByHand(token);
    await page.locator('.codelens-decoration', { hasText: 'budget-min' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'budget-min left' }).waitFor({ timeout: 30_000 });
    // Before the token there was a 401, and its one "Set API Token" offer; the picture is of what follows.
    await runCommand('Notifications: Clear All Notifications');
    await goToLine(11, 22);
    await hoverUntil('Top failing endpoints');
    await shot('budget-lens.png');
    // endpoint-lenses.png: each action's own figures (F15) above `def index` and `def show`.
    await page.keyboard.press('Escape');
    await goToLine(16, 3);
    await page.locator('.codelens-decoration', { hasText: "of team_planning's spend" }).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await shot('endpoint-lenses.png');
    // explained-hover.png: the same hover, taller, its daily series loaded, scrolled to its end
    // (the window, the formula with counts, the spend's parts, the sparkline, the query).
    await page.setViewportSize({ width: 1280, height: 1400 });
    await goToLine(11, 22);
    await hoverUntil(/daily spend: [^l]/);
    // Show or Focus Hover by its keys (the command palette would take the focus and close the
    // hover): on an open hover it focuses it; End is Go To Bottom Hover, each Up scrolls it up a
    // little, until "How it is computed" is at its top. VS Code caps a hover at a quarter of the
    // editor's height (250 px at least): the taller window gives it room for the explained part.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await page.locator('.monaco-hover:focus-within').waitFor({ timeout: 5_000 });
    await page.keyboard.press('End');
    await page.waitForTimeout(200);
    const hover = page.locator('.monaco-hover:focus-within');
    const heading = hover.locator('strong', { hasText: 'How it is computed' });
    for (let i = 0; i < 20; i++) {
      const [h, b] = await Promise.all([heading.boundingBox(), hover.boundingBox()]);
      if (h && b && h.y >= b.y + 4) break;
      await page.keyboard.press('ArrowUp');
      await page.waitForTimeout(100);
    }
    await shot('explained-hover.png');
  } catch (e) {
    await page?.screenshot({ path: join(outDir, 'failure.png') }).catch(() => {});
    console.error(`✖ budget: ${e instanceof Error ? e.message : String(e)} (see docs/screenshots/failure.png; do not commit it)`);
    process.exitCode = 1;
  } finally {
    await bwb?.close();
    api?.stop();
  }
}

// 7. The Group budget tree in the Budget Lens sidebar, and the budget panel, from the same kind of
//    sample data: tree.png with the categories expanded to their top failing endpoints, panel.png
//    with the panel's figures, chart and tables (its webview is two iframes deep).
if (process.exitCode !== 1 && want('panel')) {
  let api;
  let pwb;
  try {
    api = await startSampleApi();
    // linkExtension: so the launcher's Default Dark Modern applies (see vscodeServer.mjs).
    pwb = await launchWorkbench({ workspace: join(REPO, 'examples', 'gitlab-style'), viewport: { width: 1280, height: 960 }, settings: { 'budgetLens.api.url': api.url }, linkExtension: true });
    await openWorkbench(pwb);
    await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 30_000 });
    await openFile('issues_controller.rb');
    await page.locator('.codelens-decoration').first().waitFor({ timeout: 60_000 });
    // Before the token the view is empty and its welcome content offers Set API Token; use it.
    await page.locator('.activitybar .action-item a[aria-label^="Budget Lens"]').click();
    await page.locator('.welcome-view-content a', { hasText: 'Set API Token' }).click({ timeout: 30_000 });
    await page.locator('.quick-input-widget input[type="password"]').waitFor({ state: 'visible' });
    await page.keyboard.type(api.token);
    await page.keyboard.press('Enter');
    console.log('the Group budget view offered Set API Token (welcome content) and took the token');
    // The figures are in: each action's own (seed 7 gives the issues controller no failures:
    // `no failures · 100.000 % ≥ 99.95 %`), and the group's in the status bar.
    await page.locator('.codelens-decoration', { hasText: '≥' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'budget-min left' }).waitFor({ timeout: 30_000 });
    await runCommand('Notifications: Clear All Notifications');
    const tree = page.locator('.pane-body .monaco-list[aria-label^="Group budget"]');
    await tree.locator('.monaco-list-row', { hasText: '% spent' }).first().waitFor({ timeout: 30_000 });
    // Widen the side bar so the descriptions fit.
    await widenSideBar(330);
    // Expand each category (collapsed at first) to show its top failing endpoints: select, then Right.
    for (const name of ['team_planning', 'service_desk']) {
      const row = tree.locator('.monaco-list-row', { hasText: name }).first();
      if ((await row.getAttribute('aria-expanded')) !== 'false') continue;
      await row.click();
      if ((await row.getAttribute('aria-expanded')) === 'false') await page.keyboard.press('ArrowRight');
      await tree.locator('.monaco-list-row[aria-expanded="true"]', { hasText: name }).waitFor({ timeout: 10_000 });
    }
    await tree.locator('.monaco-list-row', { hasText: 'failure' }).first().waitFor({ timeout: 30_000 });
    // Focus the editor so no tree row is drawn selected.
    await page.locator('.editor-instance .view-lines').first().click();
    await shot('tree.png');
    await runCommand('Budget Lens: Open Budget Panel');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.locator('#daily-chart').waitFor({ timeout: 30_000 });
    await frame.locator('vscode-table').first().waitFor();
    // Give the side bar's width to the panel.
    await runCommand('View: Close Primary Side Bar');
    await page.waitForTimeout(800);
    await shot('panel-dark-workbench.png');
    // panel.png in a light theme: picked in the Color Theme picker (Ctrl+K Ctrl+T), like a user.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+T');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark Modern' }).first().waitFor();
    await page.keyboard.type('Light Modern');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: 30_000 });
    await frame.locator('#daily-chart').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800);
    await shot('panel.png');
    // The webview -> host path in the real workbench: the first "Go to code" opens the endpoint's
    // file (with the sample data, an annotated TypeScript client or a Ruby controller).
    await frame.locator('vscode-button[data-action="goToEndpoint"]').first().click();
    await page.locator('.tab.active', { hasText: /\.(rb|ts)$/ }).waitFor({ timeout: 30_000 });
    console.log(`clicked "Go to code" in the panel: ${await page.locator('.tab.active').first().textContent()} is open`);
  } catch (e) {
    await page?.screenshot({ path: join(outDir, 'failure.png') }).catch(() => {});
    console.error(`✖ panel: ${e instanceof Error ? e.message : String(e)} (see docs/screenshots/failure.png; do not commit it)`);
    process.exitCode = 1;
  } finally {
    await pwb?.close();
    api?.stop();
  }
}

// 7b. At 1000×700 with the side bar at its default width (issue 14 item 6): the tree's figures come
//     first and fit; the panel beside it reflows (tree-narrow.png, panel-narrow.png, then scrolled to
//     its burn rates, top endpoints and categories: panel-narrow-burn/-top/-categories.png). Not in
//     the README: looked at to check the layout.
if (process.exitCode !== 1 && only === 'narrow') {
  let api;
  let nwb;
  try {
    api = await startSampleApi();
    nwb = await launchWorkbench({ workspace: join(REPO, 'examples', 'gitlab-style'), viewport: { width: 1000, height: 700 }, settings: { 'budgetLens.api.url': api.url } });
    await openWorkbench(nwb);
    await openFile('issues_controller.rb');
    await page.locator('.codelens-decoration').first().waitFor({ timeout: 60_000 });
    await setTokenByHand(api.token);
    await page.locator('.codelens-decoration', { hasText: '≥' }).first().waitFor({ timeout: 60_000 });
    await runCommand('Notifications: Clear All Notifications');
    await page.locator('.activitybar .action-item a[aria-label^="Budget Lens"]').click();
    const tree = page.locator('.pane-body .monaco-list[aria-label^="Group budget"]');
    await tree.locator('.monaco-list-row', { hasText: '% spent' }).first().waitFor({ timeout: 30_000 });
    const row = tree.locator('.monaco-list-row', { hasText: 'team_planning' }).first();
    await row.click();
    if ((await row.getAttribute('aria-expanded')) === 'false') await page.keyboard.press('ArrowRight');
    await tree.locator('.monaco-list-row', { hasText: 'failure' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.editor-instance .view-lines').first().click();
    await shot('tree-narrow.png');
    await runCommand('Budget Lens: Open Budget Panel');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.locator('#daily-chart').waitFor({ timeout: 30_000 });
    await frame.locator('vscode-table').first().waitFor();
    await page.waitForTimeout(800);
    await shot('panel-narrow.png');
    // The rest of the page, a screenful at a time: the tables must fit the width too.
    for (const [heading, name] of [['Burn rates', 'panel-narrow-burn.png'], ['Top failing endpoints', 'panel-narrow-top.png'], ['Categories', 'panel-narrow-categories.png']]) {
      await frame.locator('h2', { hasText: heading }).first().evaluate((h) => h.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(300);
      await shot(name);
    }
  } catch (e) {
    await page?.screenshot({ path: join(outDir, 'failure.png') }).catch(() => {});
    console.error(`✖ narrow: ${e instanceof Error ? e.message : String(e)} (see docs/screenshots/failure.png; do not commit it)`);
    process.exitCode = 1;
  } finally {
    await nwb?.close();
    api?.stop();
  }
}

// 7c. examples/gitpod-style (issue 13): objectives that are not GitLab's, attached to the code by
//     `// @slo` annotations and path rules, with figures from `budget-lens sample --gitpod`'s metric
//     event logs ingested into a store and served from the example's folder (its .budgetlens.yml
//     names the OpenSLO files): the SLO lenses above startWorkspace (gitpod-lenses.png), the hover
//     that explains them (gitpod-hover.png), the Objectives tree (gitpod-tree.png) and the panel's
//     tiles with their burn-downs (gitpod-panel.png).
if (process.exitCode !== 1 && want('gitpod')) {
  const example = join(REPO, 'examples', 'gitpod-style');
  const tmp = mkdtempSync(join(tmpdir(), 'budget-lens-shot-gitpod-'));
  const cli = join(REPO, 'dist', 'cli.js');
  const token = randomBytes(16).toString('hex');
  let server;
  let gwb;
  try {
    const r = spawnSync(process.execPath, [cli, 'sample', '--gitpod', '--out', join(tmp, 'logs'), '--ingest', '--store', join(tmp, 'store.db')], { cwd: tmp, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`budget-lens sample --gitpod failed: ${r.stderr}`);
    server = spawnServe(join(tmp, 'store.db'), join(example, 'catalog'), example, token);
    const url = await servedUrl(server);
    gwb = await launchWorkbench({ workspace: example, viewport: { width: 1280, height: 860 }, settings: { 'budgetLens.api.url': url, 'editor.hover.above': false } });
    await openWorkbench(gwb);
    await openFile('workspaceManager.ts');
    await page.locator('.codelens-decoration', { hasText: 'SLO workspace-starts' }).first().waitFor({ timeout: 60_000 });
    await setTokenByHand(token);
    // With figures: "SLO workspace-starts · 99.xx % ≥ 99.8 % · …".
    await page.locator('.codelens-decoration', { hasText: /SLO workspace-starts · \d/ }).first().waitFor({ timeout: 60_000 });
    await runCommand('Notifications: Clear All Notifications');
    // The three start objectives' lenses share one line: give them the window's width.
    await runCommand('View: Close Primary Side Bar');
    await goToLine(24, 5);
    await page.locator('.statusbar-item', { hasText: 'SLOs' }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await shot('gitpod-lenses.png');
    // The hover on the `@slo` line: each objective's SLI with its counts, the budget, the query.
    await goToLine(21, 5);
    await hoverUntil('good of');
    await shot('gitpod-hover.png');
    await page.keyboard.press('Escape');
    // The sidebar: the group's objectives after its categories, and the Objectives node.
    await page.locator('.activitybar .action-item a[aria-label^="Budget Lens"]').click();
    const tree = page.locator('.pane-body .monaco-list[aria-label^="Group budget"]');
    await tree.locator('.monaco-list-row', { hasText: 'workspace-starts' }).first().waitFor({ timeout: 30_000 });
    const objectivesRow = tree.locator('.monaco-list-row', { hasText: /^Objectives/ }).first();
    if ((await objectivesRow.getAttribute('aria-expanded')) === 'false') {
      await objectivesRow.click();
      if ((await objectivesRow.getAttribute('aria-expanded')) === 'false') await page.keyboard.press('ArrowRight');
    }
    await tree.locator('.monaco-list-row', { hasText: 'workspace-keeps-working' }).first().waitFor({ timeout: 30_000 });
    // Widen the side bar so the figures fit.
    await widenSideBar(260);
    await page.locator('.editor-instance .view-lines').first().click();
    await shot('gitpod-tree.png');
    // The panel: a tile per objective of the developer's group, each with its burn-down.
    await runCommand('Budget Lens: Open Budget Panel');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.locator('canvas.burndown').first().waitFor({ timeout: 60_000 });
    await runCommand('View: Close Primary Side Bar');
    await page.waitForTimeout(1500);
    await shot('gitpod-panel.png');
  } catch (e) {
    await page?.screenshot({ path: join(outDir, 'failure.png') }).catch(() => {});
    console.error(`✖ gitpod: ${e instanceof Error ? e.message : String(e)} (see docs/screenshots/failure.png; do not commit it)`);
    process.exitCode = 1;
  } finally {
    await gwb?.close();
    if (server && server.exitCode === null) server.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
  }
}

// 8. `npm run demo` as a user runs it (README's first screen, demo.png): scripts/demo.mjs serves
//    the sample data (a temporary data dir), installs the packaged extension into the VS Code
//    server and prints one URL; the picture is that URL in the browser: the over-budget controller
//    with its lenses and the group's remaining budget in the status bar. Then Ctrl-C (SIGINT)
//    stops the demo.
if (process.exitCode !== 1 && want('demo')) {
  const dataDir = mkdtempSync(join(tmpdir(), 'budget-lens-demo-data-'));
  const demo = spawn(process.execPath, [join(REPO, 'scripts', 'demo.mjs'), '--data-dir', dataDir], {
    cwd: REPO,
    env: { ...process.env, PORT: '0', DEMO_PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => demo.on('exit', r));
  let browser;
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`npm run demo printed no URL in 5 minutes:\n${out}`)), 300_000);
      demo.stdout.on('data', (c) => {
        out += c.toString();
        const m = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      demo.on('exit', (code) => reject(new Error(`npm run demo exited (${code}):\n${out}`)));
    });
    console.log(`npm run demo printed ${url}`);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.tab.active', { hasText: 'pipeline_schedules_controller.rb' }).waitFor({ timeout: 60_000 });
    await page.locator('.codelens-decoration', { hasText: 'budget-min' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'Pipeline Execution' }).waitFor({ timeout: 30_000 });
    // What the URL opens, untouched: the hover's top endpoints scroll inside its 250 px and would
    // cover the lenses (hover.png and budget-lens.png show it).
    await page.waitForTimeout(1000);
    await shot('demo.png');
  } catch (e) {
    await page?.screenshot({ path: join(outDir, 'failure.png') }).catch(() => {});
    console.error(`✖ demo: ${e instanceof Error ? e.message : String(e)} (see docs/screenshots/failure.png; do not commit it)`);
    process.exitCode = 1;
  } finally {
    await browser?.close();
    demo.kill('SIGINT');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// 9. The editor under faults (faults-*.png): a Budget API URL where nothing listens, so nothing
//    ever loads: the lens, the hover (with its Retry / Change the backend URL links) and the status
//    bar, then the tree and the panel, each saying what failed and where and offering the fix.
//    (Stale data after a server stops is checked by the panelTree and budgetData suites.)
if (process.exitCode !== 1 && want('faults')) {
  let api;
  let fwb;
  try {
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    fwb = await launchWorkbench({ workspace: join(REPO, 'examples', 'gitlab-style'), viewport: { width: 1280, height: 800 }, settings: { 'budgetLens.api.url': deadUrl, 'editor.hover.above': false } });
    await openWorkbench(fwb);
    await openFile('issues_controller.rb');
    await page.locator('.codelens-decoration').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(8000);
    await goToLine(11, 22);
    await runCommand('Show or Focus Hover');
    await page.locator('.monaco-hover', { hasText: 'Budget Lens' }).waitFor();
    await shot('faults-unreachable.png');
    await page.keyboard.press('Escape');
    await page.locator('.activitybar .action-item a[aria-label^="Budget Lens"]').click();
    await page.waitForTimeout(3000);
    await shot('faults-unreachable-tree.png');
    await runCommand('Budget Lens: Open Budget Panel');
    await page.waitForTimeout(12000);
    await shot('faults-unreachable-panel.png');
  } catch (e) {
    await page?.screenshot({ path: join(outDir, 'failure.png') }).catch(() => {});
    console.error(`✖ faults: ${e instanceof Error ? e.message : String(e)} (see docs/screenshots/failure.png; do not commit it)`);
    process.exitCode = 1;
  } finally {
    await fwb?.close();
    api?.stop();
  }
}
