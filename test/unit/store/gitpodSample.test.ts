/**
 * examples/gitpod-style's four objectives on `budget-lens sample --gitpod` data (issue 13 item 7):
 * the store's figures against an independent count of the generated log lines themselves
 * (parsed here with JSON.parse, nothing from the store or its classifier).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openProject } from '../../../src/sdk/project/openProject';
import { openProjectObjectives } from '../../../src/sdk/project/projectObjectives';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { writeGitpodSampleEvents } from '../../../src/sdk/store/sampleEventLogs';
import { openStoreObjectiveEvaluator } from '../../../src/sdk/store/storeObjectives';
import type { StoreObjectiveEvaluator } from '../../../src/sdk/store/storeObjectives';
import type { ObjectiveSpec } from '../../../src/sdk/objectives/spec';

const END = new Date('2026-11-20T00:00:00Z');
const WINDOW_START = END.getTime() - 28 * 86_400_000;

interface Line {
  time: string;
  metric: string;
  labels: Record<string, string>;
  value?: number;
}

/** Counts of the lines in [END - 28 d, END), straight from the file. */
function countLines(file: string): Record<string, number> {
  const c = { starts: 0, failures: 0, stops: 0, stopsFailed: 0, observed: 0, under16: 0, under128: 0, badWeekFailures: 0 };
  for (const text of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
    if (text === '') continue;
    const l = JSON.parse(text) as Line;
    if (l.time === undefined) continue; // the header
    const t = Date.parse(l.time);
    if (t < WINDOW_START || t >= END.getTime()) continue;
    if (l.metric === 'gitpod_ws_manager_workspace_starts_total') c.starts++;
    if (l.metric === 'gitpod_ws_manager_workspace_starts_failure_total') {
      c.failures++;
      if (t >= END.getTime() - 14 * 86_400_000 && t < END.getTime() - 7 * 86_400_000) c.badWeekFailures++;
    }
    if (l.metric === 'gitpod_ws_manager_workspace_stops_total') {
      c.stops++;
      if (l.labels.reason === 'failed') c.stopsFailed++;
    }
    if (l.metric === 'gitpod_ws_manager_workspace_startup_seconds') {
      c.observed++;
      if (l.value! <= 16) c.under16++;
      if (l.value! <= 128) c.under128++;
    }
  }
  return c;
}

let dir = '';
let file = '';
let store: StoreObjectiveEvaluator;
let specs: ObjectiveSpec[] = [];
let counted: Record<string, number> = {};
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bl-gitpod-sample-'));
  const written = await writeGitpodSampleEvents({ outDir: dir, end: END, seed: 1 });
  file = written.file;
  assert.deepEqual(written.badWeek, { start: '2026-11-06T00:00:00.000Z', end: '2026-11-13T00:00:00.000Z' });
  const report = await ingestFiles(join(dir, 'store.db'), [file]);
  assert.equal(report.files[0]!.status, 'ingested');
  assert.equal(report.files[0]!.malformed, 0);
  store = openStoreObjectiveEvaluator(join(dir, 'store.db'));
  const project = await openProject(resolve('examples/gitpod-style'));
  specs = (await openProjectObjectives(project)).objectives;
  counted = countLines(file);
});
after(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

function spec(name: string): ObjectiveSpec {
  const s = specs.find((x) => x.name === name);
  assert.ok(s, name);
  return s;
}

async function occurrences(name: string): Promise<{ good: number; bad: number; total: number; status: string }> {
  const f = (await store.evaluate(spec(name), { at: END })).figures;
  if (f.method !== 'Occurrences') throw new Error(f.method);
  return { good: f.good, bad: f.bad, total: f.total, status: f.status };
}

describe("Gitpod's four objectives on the sample event logs", () => {
  test('the sample is deterministic and holds a bad week', async () => {
    const again = await writeGitpodSampleEvents({ outDir: join(dir, 'again'), end: END, seed: 1 });
    assert.deepEqual(readFileSync(again.file), readFileSync(file));
    // The bad week fails 1 in 150 starts, the others 1 in 1,000: most failures fall in it.
    assert.ok(counted.badWeekFailures! > counted.failures! / 2, JSON.stringify(counted));
  });

  test('workspace-starts: failures over starts, as counted in the file', async () => {
    const f = await occurrences('workspace-starts');
    assert.deepEqual([f.bad, f.total], [counted.failures, counted.starts]);
    // The bad week spends the 28 days' budget: (1 - 0.998) x starts < failures.
    assert.ok(counted.failures! > 0.002 * counted.starts!);
    assert.equal(f.status, 'over_budget');
  });

  test('workspace-start-under-15s and -under-2m: the 16 s and 128 s buckets over the observations', async () => {
    const a = await occurrences('workspace-start-under-15s');
    assert.deepEqual([a.good, a.total], [counted.under16, counted.observed]);
    const b = await occurrences('workspace-start-under-2m');
    assert.deepEqual([b.good, b.total], [counted.under128, counted.observed]);
  });

  test('workspace-keeps-working: stops with reason failed over all stops', async () => {
    const f = await occurrences('workspace-keeps-working');
    assert.deepEqual([f.bad, f.total], [counted.stopsFailed, counted.stops]);
  });

  test('the burn-down spends most of the budget in the bad week', async () => {
    const { points } = await store.burnDown(spec('workspace-starts'), { at: END });
    assert.equal(points.length, 28);
    const spent = points.reduce((n, p) => n + p.spent, 0);
    assert.equal(spent, counted.failures);
    const badWeek = points.filter((p) => p.day >= '2026-11-06' && p.day < '2026-11-13').reduce((n, p) => n + p.spent, 0);
    assert.equal(badWeek, counted.badWeekFailures);
  });
});
