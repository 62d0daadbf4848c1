/**
 * Objectives from the embedded store (docs/objectives.md "The embedded store"): a small metric
 * event log, ingested into a real SQLite store, every figure counted by hand below.
 *
 * Window: rolling 1 h at AT = 2026-03-01T01:00:00Z, so [00:00, 01:00), six 10-minute slices
 * (s0 = [00:00, 00:10) ... s5 = [00:50, 01:00)). Minutes below are minutes after 00:00.
 *
 * Counters (`starts_total{type}`, `starts_failure_total{type}`):
 *   s0: minute 1: 10 regular starts; minute 2: 2 regular failures
 *   s1: minute 12: 10 regular starts; minute 15: 10 prebuild starts
 *   s2: nothing
 *   s3: minute 31: 30 regular starts; minute 33: 3 regular failures
 *   s4: minute 41: 35 regular starts; minute 44: ONE prebuild line with "value": 5
 *   s5: minute 51: 50 regular starts; 00:59:59.999: 1 regular failure
 *   outside: 2026-02-28T23:59:30Z 7 starts + 7 failures (before the window); 01:00:00 3 starts (at `at`)
 *   -> starts 10 + 20 + 0 + 30 + 40 + 50 = 150 (prebuild 10 + 5 = 15), failures 2 + 3 + 1 = 6.
 *
 * Histogram `startup_seconds{type="regular"}`, default bounds 1, 2, 4, ..., 512:
 *   s0: 0.5, 3, 3, 10, 20            (<= 16: 4 of 5)
 *   s1: 1, 2, 100, 200, 600          (<= 16: 2 of 5; 1 and 2 are bounds: le is inclusive; 600 > 512: +Inf only)
 *   s2: none
 *   s3: 19 x 1.5, 1 x 300            (<= 16: 19 of 20)
 *   s4: 10 x 8                       (<= 16: 10 of 10)
 *   s5: 4 x 16, 1 x 17               (<= 16: 4 of 5)
 *   -> le="16": 4 + 2 + 19 + 10 + 4 = 39 of 5 + 5 + 20 + 10 + 5 = 45.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { openStoreDatabase } from '../../../src/sdk/store/storeSchema';
import { checkStore } from '../../../src/sdk/store/storeCheck';
import type { StoreObjectiveEvaluator} from '../../../src/sdk/store/storeObjectives';
import { openStoreObjectiveEvaluator } from '../../../src/sdk/store/storeObjectives';
import { ObjectiveQueryError } from '../../../src/sdk/objectives/objectiveQuery';
import type { ObjectiveSpec } from '../../../src/sdk/objectives/spec';

const AT = new Date('2026-03-01T01:00:00Z');
const LOC = { file: 't.yaml', line: 1, column: 1 };
const q = (query: string, sourceType = 'prometheus'): { sourceType: string; spec: { query: string } } => ({ sourceType, spec: { query } });
const HOUR = { kind: 'rolling' as const, minutes: 60, label: '1h' };

function time(minute: number, second = 0, ms = 0): string {
  return new Date(Date.UTC(2026, 2, 1, 0, minute, second, ms)).toISOString();
}
const ev = (t: string, metric: string, labels: Record<string, string>, value?: number): string =>
  JSON.stringify({ time: t, metric, labels, ...(value === undefined ? {} : { value }) });
const times = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);

function eventLog(): string[] {
  const reg = { type: 'regular' };
  const pre = { type: 'prebuild' };
  const start = (minute: number, labels: Record<string, string>, n: number): string[] => times(n, () => ev(time(minute, 5), 'starts_total', labels));
  const fail = (t: string, n: number): string[] => times(n, () => ev(t, 'starts_failure_total', reg));
  const obs = (minute: number, values: number[]): string[] => values.map((v, i) => ev(time(minute, i % 60), 'startup_seconds', reg, v));
  return [
    ...times(7, () => ev('2026-02-28T23:59:30.000Z', 'starts_total', reg)),
    ...fail('2026-02-28T23:59:30.000Z', 7),
    ...start(1, reg, 10),
    ...obs(1, [0.5, 3, 3, 10, 20]),
    ...fail(time(2), 2),
    ...start(12, reg, 10),
    ...obs(12, [1, 2, 100, 200, 600]),
    ...start(15, pre, 10),
    ...start(31, reg, 30),
    ...obs(31, [...times(19, () => 1.5), 300]),
    ...fail(time(33), 3),
    ...start(41, reg, 35),
    ...obs(41, times(10, () => 8)),
    ev(time(44), 'starts_total', pre, 5),
    ...start(51, reg, 50),
    ...obs(51, [16, 16, 16, 16, 17]),
    ...fail(time(59, 59, 999), 1),
    ...times(3, () => ev('2026-03-01T01:00:00.000Z', 'starts_total', reg)),
  ];
}

function startsSpec(window = HOUR): ObjectiveSpec {
  return {
    name: 'starts',
    target: '0.95',
    budgetingMethod: 'Occurrences',
    window,
    sli: { kind: 'ratio', form: 'bad', bad: q('sum(starts_failure_total)'), total: q('sum(starts_total)'), counter: true },
    location: LOC,
  };
}

function underSpec(threshold: string, method: ObjectiveSpec['budgetingMethod'], target: string, extra: Partial<ObjectiveSpec> = {}): ObjectiveSpec {
  return {
    name: `under-${threshold}`,
    target,
    budgetingMethod: method,
    window: HOUR,
    sli: { kind: 'threshold', metric: q('startup_seconds'), op: 'lte', threshold },
    location: LOC,
    ...extra,
  };
}

let dir = '';
let store = '';
let log = '';
let evaluator: StoreObjectiveEvaluator;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bl-store-objectives-'));
  store = join(dir, 'store.db');
  log = join(dir, 'events.ndjson');
  writeFileSync(log, `${eventLog().join('\n')}\n`);
  const report = await ingestFiles(store, [log]);
  assert.equal(report.files[0]!.status, 'ingested', JSON.stringify(report.files[0]));
  evaluator = openStoreObjectiveEvaluator(store);
});
after(() => {
  evaluator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('objectives from the store: hand-counted figures', () => {
  test('Occurrences, counters bad/total: 6 failures of 150 starts at 95 % -> SLI 0.96, budget 7.5, 1.5 left', async () => {
    const e = await evaluator.evaluate(startsSpec(), { at: AT });
    const f = e.figures;
    if (f.method !== 'Occurrences') return assert.fail(f.method);
    // 0.05 x 150 = 7.5 events of budget; 7.5 - 6 = 1.5 left = 0.2 of it.
    assert.deepEqual([f.bad, f.total, f.sli, f.budgetEvents, f.eventsLeft, f.remainingFraction, f.status], [6, 150, 0.96, 7.5, 1.5, 0.2, 'healthy']);
    assert.deepEqual(e.range, { start: '2026-03-01T00:00:00.000Z', end: '2026-03-01T01:00:00.000Z', minutes: 60 });
    assert.deepEqual(
      e.queries.slice(0, 2).map((x) => [x.role, x.query, x.kind]),
      [
        ['bad', 'sum of starts_failure_total over 1h', 'instant'],
        ['total', 'sum of starts_total over 1h', 'instant'],
      ],
    );
    // Burn windows [at - m, at): the last hour is the window: (6/150) / 0.05 = 0.8. The last 30
    // minutes hold s3..s5: 30 + 40 + 50 = 120 starts, 3 + 1 = 4 failures: (4/120) / 0.05 = 2/3.
    assert.equal(e.burnRate1h, 0.8);
    assert.ok(Math.abs(e.burnAlerts[1]!.shortBurnRate! - 2 / 3) < 1e-12);
  });

  test('label matchers and +/- terms read as Prometheus reads them', async () => {
    const spec = (good: string, total: string): ObjectiveSpec => ({
      ...startsSpec(),
      target: '0.5',
      sli: { kind: 'ratio', form: 'good', good: q(good), total: q(total), counter: true },
    });
    const figs = async (s: ObjectiveSpec): Promise<[number, number]> => {
      const f = (await evaluator.evaluate(s, { at: AT })).figures;
      if (f.method !== 'Occurrences') throw new Error(f.method);
      return [f.good, f.total];
    };
    // prebuild: 10 (s1) + 5 (one line of value 5, s4) = 15 of 150.
    assert.deepEqual(await figs(spec('sum(starts_total{type="prebuild"})', 'sum(starts_total)')), [15, 150]);
    // != and regexes: 150 - 15 = 135 regular; =~ "pre.*" is anchored: 15; =~ "pre" matches nothing.
    assert.deepEqual(await figs(spec('starts_total{type!="prebuild"}', 'sum by (type) (starts_total)')), [135, 150]);
    assert.deepEqual(await figs(spec('sum(starts_total{type=~"pre.*"})', 'sum(starts_total)')), [15, 150]);
    // good = starts - failures = 150 - 6 = 144 (a `-` term).
    assert.deepEqual(await figs(spec('sum(starts_total) - sum(starts_failure_total)', 'sum(starts_total)')), [144, 150]);
    // A bucket in a ratio part, le written 16.0: 39 of 45.
    assert.deepEqual(await figs(spec('sum(startup_seconds_bucket{le="16.0"})', 'sum(startup_seconds_count)')), [39, 45]);
  });

  test('a DataSource of type budget-lens-store is read like prometheus; another type is refused', async () => {
    const s = startsSpec();
    const sli = { kind: 'ratio' as const, form: 'bad' as const, bad: q('sum(starts_failure_total)', 'budget-lens-store'), total: q('sum(starts_total)', 'budget-lens-store'), counter: true };
    const f = (await evaluator.evaluate({ ...s, sli }, { at: AT })).figures;
    assert.equal(f.method === 'Occurrences' && f.total, 150);
    await assert.rejects(evaluator.evaluate({ ...s, sli: { ...sli, total: q('x', 'datadog') } }, { at: AT }), /source type is datadog/);
  });

  test('Occurrences, a histogram threshold is a bucket ratio: 39 of 45 under 16 s at 80 % -> budget 9, 3 left', async () => {
    const e = await evaluator.evaluate(underSpec('16', 'Occurrences', '0.8'), { at: AT });
    const f = e.figures;
    if (f.method !== 'Occurrences') return assert.fail(f.method);
    // 0.2 x 45 = 9; 45 - 39 = 6 bad; 9 - 6 = 3 left = 1/3 of the budget.
    assert.deepEqual([f.good, f.total, f.budgetEvents, f.eventsLeft, f.status], [39, 45, 9, 3, 'healthy']);
    assert.ok(Math.abs(f.remainingFraction! - 1 / 3) < 1e-15);
    assert.deepEqual(
      e.queries.slice(0, 3).map((x) => [x.role, x.query]),
      [
        ['bounds', 'bucket bounds of startup_seconds_bucket'],
        ['good', 'sum of startup_seconds_bucket{le="16"} over 1h'],
        ['total', 'sum of startup_seconds_count over 1h'],
      ],
    );
  });

  test('a threshold that is no bucket bound is refused naming the nearest bounds', async () => {
    await assert.rejects(evaluator.evaluate(underSpec('15', 'Occurrences', '0.8'), { at: AT }), (e: unknown) => {
      assert.ok(e instanceof ObjectiveQueryError);
      assert.equal(e.code, 'not_a_bucket_bound');
      assert.equal(e.message, '15 s is not a bucket bound of startup_seconds; nearest: 8, 16');
      return true;
    });
    await assert.rejects(evaluator.evaluate(underSpec('1000', 'Occurrences', '0.8'), { at: AT }), /1000 s is not a bucket bound of startup_seconds; nearest: 512, \+Inf/);
  });

  test('Timeslices over the bucket ratio: slices 0.8, 0.4, empty, 0.95, 1, 0.8 at slice target 0.9 -> 2 good, 3 bad', async () => {
    const e = await evaluator.evaluate(underSpec('16', 'Timeslices', '0.5', { timeSliceTarget: '0.9', timeSliceWindowMinutes: 10 }), { at: AT });
    const f = e.figures;
    if (f.method !== 'Timeslices') return assert.fail(f.method);
    // N = 6, empty 1 (s2), counted 5; good s3, s4; bad s0, s1, s5. SLI 2/5 = 0.4.
    // Budget 0.5 x 5 = 2.5 slices = 25 minutes, allowed 2: 2 - 3 = -1 slice, 25 - 30 = -5 minutes.
    assert.deepEqual(
      [f.windowSlices, f.emptySlices, f.countedSlices, f.goodSlices, f.badSlices, f.sli, f.budgetSlices, f.allowedBadSlices, f.slicesLeft, f.minutesLeft, f.status],
      [6, 1, 5, 2, 3, 0.4, 2.5, 2, -1, -5, 'over_budget'],
    );
    const range = e.queries.filter((x) => x.kind === 'range');
    assert.deepEqual(range.map((x) => [x.role, x.query, x.stepSeconds]), [
      ['good', 'sum of startup_seconds_bucket{le="16"} over 10m', 600],
      ['total', 'sum of startup_seconds_count over 10m', 600],
    ]);
  });

  test('RatioTimeslices: mean of 0.8, 0.4, 0.95, 1, 0.8 = 0.79; budget 1 slice, spent 1.05', async () => {
    const e = await evaluator.evaluate(underSpec('16', 'RatioTimeslices', '0.8', { timeSliceWindowMinutes: 10 }), { at: AT });
    const f = e.figures;
    if (f.method !== 'RatioTimeslices') return assert.fail(f.method);
    // (0.8 + 0.4 + 0.95 + 1 + 0.8) / 5 = 3.95 / 5 = 0.79; budget 0.2 x 5 = 1 slice;
    // spent 0.2 + 0.6 + 0.05 + 0 + 0.2 = 1.05 -> -0.05 slices left, -0.5 minutes.
    assert.deepEqual([f.judgedSlices, f.emptySlices, f.sli, f.budgetSlices, f.spentSlices, f.slicesLeft, f.minutesLeft, f.status], [5, 1, 0.79, 1, 1.05, -0.05, -0.5, 'over_budget']);
  });

  test('RatioTimeslices on a raw failure ratio of counter rates: 0.2, 0, empty, 0.1, 0, 0.02 -> mean good 0.936', async () => {
    // sum(rate(starts_failure_total[10m])) / sum(rate(starts_total[10m])) at each slice end, over
    // the slice's 10 minutes (both types of starts): s0 2/10 = 0.2, s1 0/20 = 0, s2 0/0 = empty,
    // s3 3/30 = 0.1, s4 0/(35 + 5) = 0, s5 1/50 = 0.02. rawType failure: good = 1 - r ->
    // 0.8, 1, 0.9, 1, 0.98; mean 4.68 / 5 = 0.936. Target 0.9: budget (1 - 0.9) x 5 = 0.5 slices;
    // spent 0.2 + 0 + 0.1 + 0 + 0.02 = 0.32 -> 0.18 slices (1.8 minutes) left.
    const raw = (query: string): ObjectiveSpec => ({
      name: 'raw-failure-ratio',
      target: '0.9',
      budgetingMethod: 'RatioTimeslices',
      window: HOUR,
      timeSliceWindowMinutes: 10,
      sli: { kind: 'ratio', form: 'raw', rawType: 'failure', raw: q(query), counter: true },
      location: LOC,
    });
    const e = await evaluator.evaluate(raw('sum(rate(starts_failure_total[10m])) / sum(rate(starts_total[10m]))'), { at: AT });
    const f = e.figures;
    if (f.method !== 'RatioTimeslices') return assert.fail(f.method);
    // A budget under one slice is low traffic (one bad slice would break it), whatever is spent.
    assert.deepEqual([f.judgedSlices, f.emptySlices, f.budgetSlices, f.status], [5, 1, 0.5, 'low_traffic']);
    const near = (a: number | null, b: number): void => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
    near(f.sli, 0.936);
    near(f.spentSlices, 0.32);
    near(f.slicesLeft, 0.18);
    near(f.minutesLeft, 1.8);
    assert.deepEqual(e.queries.map((x) => [x.role, x.query, x.stepSeconds]), [
      ['ratio', '(sum of starts_failure_total over 10m) / (sum of starts_total over 10m) ending at each slice end', 600],
    ]);
    // Written with increase() and parentheses, one side a difference: the same slices.
    // (starts - failures) / starts with rawType success is 1 - r: the same goods.
    const success = { ...raw('(sum(increase(starts_total[10m])) - sum(increase(starts_failure_total[10m]))) / (sum(increase(starts_total[10m])))'), sli: { kind: 'ratio', form: 'raw', rawType: 'success', raw: q('(sum(increase(starts_total[10m])) - sum(increase(starts_failure_total[10m]))) / (sum(increase(starts_total[10m])))'), counter: true } } as ObjectiveSpec;
    const again = await evaluator.evaluate(success, { at: AT });
    near(again.figures.sli, 0.936);
    // Two ranges, or anything but rates of counters: refused, naming what the store reads.
    await assert.rejects(
      evaluator.evaluate(raw('sum(rate(starts_failure_total[5m])) / sum(rate(starts_total[10m]))'), { at: AT }),
      (err: unknown) => err instanceof ObjectiveQueryError && /raw ratio only as rates of stored counters/.test(err.message),
    );
  });

  test('Timeslices on a per-slice p95 from the sketches: slices 10, 200, empty, 1.5, 8, 16 against <= 20 s', async () => {
    // p95 of n values is the value of 0-based rank floor(0.95 (n - 1)):
    //   s0 n=5: rank 3 of 0.5, 3, 3, 10, 20 -> 10 (good)    s1: rank 3 of 1, 2, 100, 200, 600 -> 200 (bad)
    //   s3 n=20: rank floor(18.05) = 18 -> 1.5 (good)       s4: 8 (good)     s5: rank 3 -> 16 (good)
    // -> 4 good, 1 bad, 1 empty; target 80 %: budget 0.2 x 5 = 1 slice, allowed 1, 0 left, healthy.
    const spec: ObjectiveSpec = {
      name: 'p95',
      target: '0.8',
      budgetingMethod: 'Timeslices',
      timeSliceTarget: '0.95',
      timeSliceWindowMinutes: 10,
      window: HOUR,
      sli: { kind: 'threshold', metric: q('histogram_quantile(0.95, sum by (le) (rate(startup_seconds_bucket[10m])))'), op: 'lte', threshold: '20' },
      location: LOC,
    };
    const e = await evaluator.evaluate(spec, { at: AT });
    const f = e.figures;
    if (f.method !== 'Timeslices') return assert.fail(f.method);
    assert.deepEqual([f.goodSlices, f.badSlices, f.emptySlices, f.sli, f.allowedBadSlices, f.slicesLeft, f.status], [4, 1, 1, 0.8, 1, 0, 'healthy']);
    assert.match(e.queries[0]!.query, /^p95 of startup_seconds per 10m slice \(DDSketch, 1 % relative\)/);
  });

  test('burnDown: one point per UTC day, the budget left after each from cumulative counts', async () => {
    // A 2-day window at AT: [2026-02-27T01:00, 2026-03-01T01:00). Feb 27: no events (null);
    // Feb 28: 7 failures of 7 starts: budget 0.05 x 7 = 0.35, left 0.35 - 7 = -6.65 -> -19;
    // Mar 1 (to 01:00): 13 failures of 157: budget 7.85, left -5.15 -> -5.15 / 7.85.
    const { points } = await evaluator.burnDown(startsSpec({ kind: 'rolling', minutes: 2880, label: '2d' }), { at: AT });
    assert.deepEqual(
      points.map((p) => [p.day, p.end, p.spent]),
      [
        ['2026-02-27', '2026-02-28T00:00:00.000Z', 0],
        ['2026-02-28', '2026-03-01T00:00:00.000Z', 7],
        ['2026-03-01', '2026-03-01T01:00:00.000Z', 6],
      ],
    );
    assert.equal(points[0]!.remainingFraction, null);
    assert.ok(Math.abs(points[1]!.remainingFraction! - -19) < 1e-12);
    assert.ok(Math.abs(points[2]!.remainingFraction! - -5.15 / 7.85) < 1e-12);
  });
});

describe('event logs: bad lines, resumption, damage', () => {
  test('malformed lines are listed with their line numbers and store nothing; the good ones count', async () => {
    const d = mkdtempSync(join(tmpdir(), 'bl-events-bad-'));
    try {
      const file = join(d, 'bad.ndjson');
      writeFileSync(
        file,
        [
          ev(time(1), 'jobs_total', {}), // 1: ok
          ev(time(1), 'jobs_total', {}, 1.5), // 2: a counter increment must be whole
          ev(time(1), 'latency_seconds', {}), // 3: a histogram observation needs a value
          JSON.stringify({ time: '2026-02-30T00:00:00Z', metric: 'jobs_total' }), // 4: no such date
          ev(time(1), 'latency_seconds_bucket', {}, 1), // 5: derived names are refused
          '{"time":"2026-03-01T00:01:00Z","metric":"jobs_total","labels":{"le":"1"}}', // 6: le is reserved
          '{"time": "2026-03-01T00:01:00Z", "metric": "jobs_total"', // 7: not JSON
          ev(time(2), 'jobs_total', {}, 4), // 8: ok, 4 increments
        ].join('\n') + '\n',
      );
      const s = join(d, 'store.db');
      const r = (await ingestFiles(s, [file])).files[0]!;
      assert.equal(r.status, 'ingested');
      assert.deepEqual([r.lines, r.accepted, r.malformed], [8, 2, 6]);
      assert.deepEqual(r.malformedLines.map((m) => m.line), [2, 3, 4, 5, 6, 7]);
      assert.match(r.malformedLines[0]!.reason, /whole number/);
      assert.match(r.malformedLines[3]!.reason, /derives _bucket/);
      const e = openStoreObjectiveEvaluator(s);
      try {
        const spec: ObjectiveSpec = { ...startsSpec(), sli: { kind: 'ratio', form: 'good', good: q('jobs_total'), total: q('jobs_total'), counter: true } };
        const f = (await e.evaluate(spec, { at: AT })).figures;
        // Lines 1 and 8: 1 + 4 = 5 jobs; nothing from the malformed lines.
        assert.equal(f.method === 'Occurrences' && f.total, 5);
      } finally {
        e.close();
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('a file declaring other bounds for a stored histogram fails whole and writes nothing', async () => {
    const d = mkdtempSync(join(tmpdir(), 'bl-events-bounds-'));
    try {
      const s = join(d, 'store.db');
      const a = join(d, 'a.ndjson');
      const b = join(d, 'b.ndjson');
      writeFileSync(a, `${ev(time(1), 'lat_seconds', {}, 3)}\n`);
      writeFileSync(b, `${JSON.stringify({ buckets: { lat_seconds: [1, 10] } })}\n${ev(time(2), 'lat_seconds', {}, 3)}\n${ev(time(2), 'other_total', {})}\n`);
      const r = await ingestFiles(s, [a, b]);
      assert.equal(r.files[0]!.status, 'ingested');
      assert.equal(r.files[1]!.status, 'failed');
      assert.match(r.files[1]!.error!, /metric lat_seconds is stored as a histogram with bounds \[1,2,4,8,16,32,64,128,256,512\]; this file has it as a histogram with bounds \[1,10\]/);
      const db = openStoreDatabase(s, { readonly: true });
      try {
        assert.equal((db.prepare("SELECT COUNT(*) AS n FROM metric_series WHERE metric = 'other_total'").get() as { n: number }).n, 0);
        assert.equal((db.prepare('SELECT SUM(n) AS n FROM metric_minutes WHERE part = 0').get() as { n: number }).n, 1);
      } finally {
        db.close();
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('a grown event log resumes at its offset: only the appended lines count', async () => {
    const d = mkdtempSync(join(tmpdir(), 'bl-events-grow-'));
    try {
      const s = join(d, 'store.db');
      const file = join(d, 'grow.ndjson');
      writeFileSync(file, `${ev(time(1), 'jobs_total', {})}\n${ev(time(2), 'jobs_total', {})}\n`);
      await ingestFiles(s, [file]);
      appendFileSync(file, `${ev(time(3), 'jobs_total', {}, 10)}\n`);
      const r = (await ingestFiles(s, [file])).files[0]!;
      assert.equal(r.status, 'ingested');
      assert.equal(r.accepted, 1);
      assert.equal(r.resumed?.offset, r.start);
      const dup = (await ingestFiles(s, [file])).files[0]!;
      assert.equal(dup.status, 'duplicate');
      const e = openStoreObjectiveEvaluator(s);
      try {
        const spec: ObjectiveSpec = { ...startsSpec(), sli: { kind: 'ratio', form: 'good', good: q('jobs_total'), total: q('jobs_total'), counter: true } };
        const f = (await e.evaluate(spec, { at: AT })).figures;
        assert.equal(f.method === 'Occurrences' && f.total, 12); // 1 + 1 + 10, each once
      } finally {
        e.close();
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('a damaged minute count or sketch is caught by its checksum: refused on read, listed by store check', async () => {
    const d = mkdtempSync(join(tmpdir(), 'bl-events-damage-'));
    try {
      const s = join(d, 'store.db');
      const file = join(d, 'events.ndjson');
      writeFileSync(file, `${eventLog().join('\n')}\n`);
      await ingestFiles(s, [file]);
      assert.equal(checkStore(s).healthy, true);
      const db = openStoreDatabase(s);
      // s3's 30 regular starts at minute 31 become 31; the sketch of minute 41 gets one byte changed.
      const minute31 = Date.UTC(2026, 2, 1, 0, 31) / 60_000;
      const minute41 = minute31 + 10;
      db.prepare(
        `UPDATE metric_minutes SET n = n + 1 WHERE minute = ? AND part = 0 AND series = (SELECT id FROM metric_series WHERE metric = 'starts_total' AND labels = '{"type":"regular"}')`,
      ).run(minute31);
      const row = db.prepare('SELECT series, sketch FROM metric_sketches WHERE minute = ?').get(minute41) as { series: number; sketch: Buffer };
      const bytes = Buffer.from(row.sketch);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! + 1;
      db.prepare('UPDATE metric_sketches SET sketch = ? WHERE series = ? AND minute = ?').run(bytes, row.series, minute41);
      db.close();
      const check = checkStore(s);
      assert.equal(check.healthy, false);
      assert.deepEqual(
        check.damaged.map((r) => [r.table, r.endpoint, r.start]),
        [
          ['metric_minutes', 'starts_total{"type":"regular"}', '2026-03-01T00:31Z'],
          ['metric_sketches', 'startup_seconds{"type":"regular"}', '2026-03-01T00:41Z'],
        ],
      );
      const e = openStoreObjectiveEvaluator(s);
      try {
        await assert.rejects(e.evaluate(startsSpec(), { at: AT }), /is damaged: counts fail their checksum in metric_minutes starts_total\{"type":"regular"\} 2026-03-01T00:31Z\.\.2026-03-01T00:32Z/);
        const p95: ObjectiveSpec = {
          ...underSpec('20', 'Timeslices', '0.8', { timeSliceTarget: '0.95', timeSliceWindowMinutes: 10 }),
          sli: { kind: 'threshold', metric: q('histogram_quantile(0.95, sum by (le) (rate(startup_seconds_bucket[10m])))'), op: 'lte', threshold: '20' },
        };
        await assert.rejects(e.evaluate(p95, { at: AT }), /metric_sketches startup_seconds/);
      } finally {
        e.close();
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
