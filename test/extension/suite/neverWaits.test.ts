/**
 * The editor never waits on the network or on the index for budget figures (issue 11, item 3).
 * Runs in its own VS Code launch (test/fixtures/never-waits: the example through a workspace file)
 * with BUDGET_LENS_TEST_HOLD_BUILDS=1: the root's first build waits from activation until this
 * suite releases it, so the first test meets a root whose config and catalog are opened and whose
 * index is not built (`_testState` with `noWait`, since the plain one waits for the index).
 *
 * 1. Prometheus (the prometheus suite's series and figures: team_planning 7.38 of 20.16, 37 %,
 *    service_desk no data) reaches the lenses and the hover of the issues controller while the
 *    build has not even started: the backend needs the catalog, never the built index.
 * 2. A Budget API that answers only after 3 s (a proxy in front of a real `budget-lens serve` over
 *    the budgetData suite's log: team_planning 6.05 of 20.16, 30 %): the lenses and the hover
 *    come at once with "loading" text, and the lenses redraw with the figures when the answer arrives.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TestState } from '../../../src/extension/testState';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import type { BudgetApiProcess } from './budgetApiProcess';
import { ingestLogs, startBudgetApi } from './budgetApiProcess';
import { issuesControllerLines } from './budgetLog';
import { API_ISSUES_LENSES, EXTENSION_ID, ISSUES, eventually, extensionPath, hoverText, issuesLenses, lensTitles, lensesBecome, openFile, setSetting, startProxy, testState } from './helpers';
import { PROMETHEUS_ISSUES_LENSES, recordedSeries, scenarioEnd } from './prometheusScenario';

/** The Budget API's answers come this much later. */
const DELAY_MS = 3_000;
/** "At once": well under the delay (a lens or hover that waited for the answer takes DELAY_MS). */
const AT_ONCE_MS = 1_500;

/** The state without waiting for the index (the build is held). */
async function stateNow(): Promise<TestState> {
  await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  const state = await vscode.commands.executeCommand<TestState>('budgetLens._testState', { noWait: true });
  if (!state) throw new Error('budgetLens._testState returned nothing');
  return state;
}

/** How long `f` took, and what it returned. */
async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await f();
  return [result, Date.now() - started];
}

describe('the editor never waits for budget figures', function () {
  this.timeout(120_000);
  let prom: MetricsServer | undefined;
  let api: BudgetApiProcess | undefined;
  let proxy: { url: string; stop(): Promise<void> } | undefined;
  let dir: string | undefined;
  let held = true;

  after(async () => {
    if (held) await vscode.commands.executeCommand('budgetLens._testHoldIndexing', false);
    await setSetting('prometheus.url', undefined);
    await setSetting('api.url', undefined);
    await proxy?.stop();
    await api?.stop();
    await prom?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Prometheus figures reach the lenses and the hover while the first index build is still held', async () => {
    const before = await stateNow();
    // Config and catalog opened, the build waiting for its slot: no index yet.
    assert.deepEqual(before.indexes.map((i) => [i.phase, i.builds, i.files]), [['indexing', 0, 0]]);
    assert.equal(before.budget.backend, undefined);
    prom = await startPrometheus(recordedSeries(scenarioEnd()));
    await openFile(ISSUES);
    await setSetting('prometheus.url', prom.url);
    // The lenses of the file read on its own (the build has not run), with the figures from Prometheus.
    const lenses = await eventually('lenses with the figures from Prometheus', async () => {
      const titles = await lensTitles(ISSUES);
      return JSON.stringify(titles) === JSON.stringify(PROMETHEUS_ISSUES_LENSES) ? titles : undefined;
    }, 30_000);
    assert.deepEqual(lenses, PROMETHEUS_ISSUES_LENSES);
    const hover = await eventually('a hover with the figures', async () => {
      const t = await hoverText(ISSUES, 11, 22);
      return t.includes('Top failing endpoints') ? t : undefined;
    });
    assert.match(hover, /- spent \*\*7\.38\*\* of 20\.16 budget-min \(37 %\)/);
    // Still not built, and the build has not started: the figures did not wait for it.
    const during = await stateNow();
    assert.equal(during.budget.backend, 'prometheus');
    assert.deepEqual(during.indexes.map((i) => [i.phase, i.builds, i.files]), [['indexing', 0, 0]]);
    const tp = during.budget.categories.find((k) => k.key === 'team_planning');
    assert.deepEqual([tp?.hasValue, tp?.failure], [true, undefined]);

    assert.equal(await vscode.commands.executeCommand('budgetLens._testHoldIndexing', false), true);
    held = false;
    const built = await testState();
    assert.deepEqual(built.indexes.map((i) => [i.phase, i.builds]), [['ready', 1]]);
    await lensesBecome(PROMETHEUS_ISSUES_LENSES, 'the figures on the built index');
    await setSetting('prometheus.url', undefined);
    await eventually('Prometheus unset', async () => ((await testState()).budget.backend === undefined ? true : undefined));
  });

  it('a Budget API answering after 3 s: lenses and hover at once with "loading", the lenses redraw with the figures when it answers', async () => {
    const repo = extensionPath();
    const time = new Date(Date.now() - 2 * 3600_000).toISOString();
    const ingested = await ingestLogs(repo, 'budget-lens-ext-never-waits-', { 'production_json.log': issuesControllerLines(time) });
    dir = ingested.dir;
    // No token: this server needs none.
    api = await startBudgetApi({ repo, ...ingested, token: '', cwd: dir });
    proxy = await startProxy(api.url, () => undefined, { delayMs: DELAY_MS });
    await openFile(ISSUES);
    const asked = Date.now();
    await setSetting('api.url', proxy.url);
    await eventually('the slow API configured', async () => ((await testState()).budget.url === proxy?.url ? true : undefined));

    const [lenses, lensMs] = await timed(() => lensTitles(ISSUES));
    assert.ok(lensMs < AT_ONCE_MS, `the lenses took ${lensMs} ms`);
    assert.deepEqual(lenses, issuesLenses('team_planning · loading budget…', 'service_desk · loading budget…'));
    const [hover, hoverMs] = await timed(() => hoverText(ISSUES, 11, 22));
    assert.ok(hoverMs < AT_ONCE_MS, `the hover took ${hoverMs} ms`);
    assert.match(hover, /\*\*Budget\*\* of team\\_planning · loading…/);
    // The mapping part of the hover is all there.
    assert.match(hover, /Endpoints \(5\):/);
    const refreshesLoading = (await testState()).lensRefreshes;
    assert.ok(Date.now() - asked < DELAY_MS, 'all of that before the answer could arrive');

    // The answer arrives: the lenses redraw (onDidChangeCodeLenses) with the figures.
    // Each endpoint's own figures (issue 14, F15), as budgetData.test.ts computes them.
    await lensesBecome(API_ISSUES_LENSES, 'the figures once the API answered');
    assert.ok(Date.now() - asked >= DELAY_MS, 'the figures came with the delayed answer');
    assert.ok((await testState()).lensRefreshes > refreshesLoading, 'the answer made the lenses redraw');
    const answered = await eventually('the hover with the figures', async () => {
      const t = await hoverText(ISSUES, 11, 22);
      return t.includes('Top failing endpoints') && t.includes('- group Project Management') ? t : undefined;
    }, 20_000);
    assert.match(answered, /- spent \*\*6\.05\*\* of 20\.16 budget-min \(30 %\)/);
    assert.doesNotMatch(answered, /loading/);
  });
});
