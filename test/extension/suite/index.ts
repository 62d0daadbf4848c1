/**
 * The extension-host test module, in @vscode/test-electron's shape (`run(): Promise<void>`), so the
 * same suites run under test-electron on a laptop or under scripts/test-extension.mjs (VS Code
 * server + headless Chromium) where the desktop download is not reachable.
 *
 * Mocha's results go to the console and, when BUDGET_LENS_TEST_REPORT names a file, to that file
 * as JSON: the server's extension host has no terminal, so the launcher reads them from there.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface SuiteReport {
  passed: number;
  failed: number;
  /** Tests declared without a body or skipped: listed, never counted as passed. */
  pending: number;
  /** Spec-reporter style lines, in order. */
  lines: string[];
}

function attachReporter(runner: Mocha.Runner, report: SuiteReport): void {
  const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
  const indent = (depth: number): string => '  '.repeat(depth);
  const depthOf = (t: Mocha.Runnable | Mocha.Suite): number => {
    let d = 0;
    for (let p = t.parent; p && !p.root; p = p.parent) d++;
    return d;
  };
  const say = (line: string): void => {
    report.lines.push(line);
    console.log(line);
  };
  runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
    if (!suite.root) say(`${indent(depthOf(suite))}${suite.title}`);
  });
  runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
    report.passed++;
    say(`${indent(depthOf(test))}✔ ${test.title} (${test.duration ?? 0} ms)`);
  });
  runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
    report.pending++;
    say(`${indent(depthOf(test))}- ${test.title} (pending)`);
  });
  runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, err: Error) => {
    report.failed++;
    say(`${indent(depthOf(test))}✖ ${test.fullTitle()}`);
    for (const l of String(err.stack ?? err.message).split('\n').slice(0, 12)) say(`${indent(depthOf(test) + 2)}${l}`);
  });
}

/**
 * The compiled suites to run: all of them, or those BUDGET_LENS_SUITE names (comma-separated,
 * file names without `.test.js`; scripts/test-extension.mjs sets it per workspace it opens).
 */
function suiteFiles(dir: string): string[] {
  const all = readdirSync(dir).filter((n) => n.endsWith('.test.js')).sort();
  const wanted = (process.env.BUDGET_LENS_SUITE ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (wanted.length === 0) return all;
  const picked = all.filter((f) => wanted.includes(f.slice(0, -'.test.js'.length)));
  if (picked.length !== wanted.length) throw new Error(`BUDGET_LENS_SUITE=${wanted.join(',')} but the suites are ${all.join(', ')}`);
  return picked;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: class {} as unknown as typeof Mocha.reporters.Base });
  const dir = __dirname;
  const report: SuiteReport = { passed: 0, failed: 0, pending: 0, lines: [] };
  const reportFile = process.env.BUDGET_LENS_TEST_REPORT;
  try {
    for (const f of suiteFiles(dir)) mocha.addFile(join(dir, f));
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      attachReporter(runner, report);
    });
  } catch (e) {
    report.failed++;
    report.lines.push(`✖ could not run the suites: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  if (reportFile) writeFileSync(reportFile, JSON.stringify(report));
  if (report.failed > 0) throw new Error(`${report.failed} extension test(s) failed`);
}
