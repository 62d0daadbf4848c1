/**
 * Prometheus = store, exactly, for counts (issue 13 "Must show"): the same seeded observations fed
 * to a real Prometheus (Debian's 2.42, backfilled with promtool as counters and a classic
 * histogram, sampled every minute) and, as a metric event log, to the embedded store; both
 * evaluate the same objectives through the same flow and must give the same good / bad / total.
 *
 * Observations: 4,000 workspace starts at seeded random instants in [AT − 4 d, AT + 1 h)
 * (type regular or prebuild), 1 in 40 failing, every other one observing a startup time
 * (log-uniform, 0.2 s .. 2,000 s, some exactly on a bound). A Prometheus sample at minute T holds
 * the events before T, so with samples on both edges of every range (every minute from AT − 4 d to
 * AT) Prometheus 2's closed range makes increase() the exact count of [T − W, T), which is what
 * the store sums. Events after AT reach only the store (and must not count).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusClient } from '../../../src/sdk/sources/prometheusClient';
import { evaluatePrometheusObjective, prometheusObjectiveBurnDown } from '../../../src/sdk/sources/objectiveSource';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { openStoreObjectiveEvaluator } from '../../../src/sdk/store/storeObjectives';
import type { StoreObjectiveEvaluator } from '../../../src/sdk/store/storeObjectives';
import { seededRandom } from '../../../src/sdk/store/seededRandom';
import type { ObjectiveSpec } from '../../../src/sdk/objectives/spec';
import { startPrometheus, type MetricsServer } from '../../support/prometheusServer';
import type { Series } from '../../support/seriesBuilders';

const AT = Date.parse('2026-03-01T00:00:00Z');
const MIN = 60_000;
const FROM = AT - 4 * 86_400_000;
const BOUNDS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const TYPES = ['regular', 'prebuild'];

interface Obs {
  t: number;
  metric: string;
  type: string;
  value?: number;
}

function observations(): Obs[] {
  const rand = seededRandom(13);
  const out: Obs[] = [];
  for (let i = 0; i < 4000; i++) {
    const t = FROM + Math.floor(rand() * (AT + 3_600_000 - FROM));
    const type = TYPES[rand() < 0.2 ? 1 : 0]!;
    out.push({ t, metric: 'ws_starts_total', type });
    if (rand() < 1 / 40) out.push({ t, metric: 'ws_starts_failure_total', type });
    else if (i % 2 === 0) {
      const value = rand() < 0.05 ? BOUNDS[Math.floor(rand() * BOUNDS.length)]! : Math.round(Math.exp(Math.log(0.2) + rand() * Math.log(10_000)) * 1000) / 1000;
      out.push({ t, metric: 'ws_startup_seconds', type, value });
    }
  }
  return out.sort((a, b) => a.t - b.t);
}

/** Every minute from FROM to AT: the count of matching observations before it. */
function cumulative(obs: readonly Obs[], keep: (o: Obs) => boolean): Array<[number, number]> {
  const times = obs.filter(keep).map((o) => o.t);
  const samples: Array<[number, number]> = [];
  let i = 0;
  for (let t = FROM; t <= AT; t += MIN) {
    while (i < times.length && times[i]! < t) i++;
    samples.push([t / 1000, i]);
  }
  return samples;
}

function series(obs: readonly Obs[]): Series[] {
  const out: Series[] = [];
  for (const type of TYPES) {
    for (const metric of ['ws_starts_total', 'ws_starts_failure_total']) out.push({ name: metric, labels: { type }, samples: cumulative(obs, (o) => o.metric === metric && o.type === type) });
    const hist = (o: Obs): boolean => o.metric === 'ws_startup_seconds' && o.type === type;
    for (const b of BOUNDS) out.push({ name: 'ws_startup_seconds_bucket', labels: { type, le: String(b) }, samples: cumulative(obs, (o) => hist(o) && o.value! <= b) });
    out.push({ name: 'ws_startup_seconds_bucket', labels: { type, le: '+Inf' }, samples: cumulative(obs, hist) });
    out.push({ name: 'ws_startup_seconds_count', labels: { type }, samples: cumulative(obs, hist) });
  }
  return out;
}

const LOC = { file: 't.yaml', line: 1, column: 1 };
const q = (query: string): { sourceType: string; spec: { query: string } } => ({ sourceType: 'prometheus', spec: { query } });
const DAY = { kind: 'rolling' as const, minutes: 1440, label: '1d' };

const STARTS: ObjectiveSpec = {
  name: 'starts',
  target: '0.95',
  budgetingMethod: 'Occurrences',
  window: DAY,
  sli: { kind: 'ratio', form: 'bad', bad: q('sum(ws_starts_failure_total)'), total: q('sum(ws_starts_total)'), counter: true },
  location: LOC,
};
const REGULAR_GOOD: ObjectiveSpec = {
  ...STARTS,
  name: 'regular-good',
  sli: { kind: 'ratio', form: 'good', good: q('sum(ws_starts_total{type="regular"}) - sum(ws_starts_failure_total{type="regular"})'), total: q('sum(ws_starts_total{type="regular"})'), counter: true },
};
const UNDER_16: ObjectiveSpec = {
  name: 'under-16s',
  target: '0.5',
  budgetingMethod: 'Occurrences',
  window: DAY,
  sli: { kind: 'threshold', metric: q('ws_startup_seconds'), op: 'lte', threshold: '16' },
  location: LOC,
};
const PREBUILD_UNDER_128_SLICES: ObjectiveSpec = {
  name: 'prebuild-under-128s-slices',
  target: '0.9',
  budgetingMethod: 'Timeslices',
  timeSliceTarget: '0.75',
  timeSliceWindowMinutes: 5,
  window: DAY,
  sli: { kind: 'ratio', form: 'good', good: q('sum(ws_startup_seconds_bucket{type="prebuild",le="128"})'), total: q('sum(ws_startup_seconds_count{type="prebuild"})'), counter: true },
  location: LOC,
};

describe('Prometheus = store, exactly, for counts', () => {
  let prom: MetricsServer;
  let client: PrometheusClient;
  let store: StoreObjectiveEvaluator;
  let dir = '';
  const obs = observations();
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bl-parity-'));
    const log = join(dir, 'events.ndjson');
    writeFileSync(
      log,
      obs.map((o) => JSON.stringify({ time: new Date(o.t).toISOString(), metric: o.metric, labels: { type: o.type }, ...(o.value === undefined ? {} : { value: o.value }) })).join('\n') + '\n',
    );
    const report = await ingestFiles(join(dir, 'store.db'), [log]);
    assert.equal(report.files[0]!.malformed, 0);
    store = openStoreObjectiveEvaluator(join(dir, 'store.db'));
    prom = await startPrometheus(series(obs));
    client = new PrometheusClient({ url: prom.url });
  });
  after(async () => {
    store?.close();
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const at = new Date(AT);
  // The independent count: the observations themselves in [AT − 1 d, AT).
  const inDay = (o: Obs): boolean => o.t >= AT - 86_400_000 && o.t < AT;

  for (const spec of [STARTS, REGULAR_GOOD, UNDER_16]) {
    test(`Occurrences ${spec.name}: the same good, bad and total from both, and the same burn rates`, async () => {
      const [p, s] = await Promise.all([evaluatePrometheusObjective(client, spec, { at }), store.evaluate(spec, { at })]);
      if (p.figures.method !== 'Occurrences' || s.figures.method !== 'Occurrences') return assert.fail('method');
      assert.deepEqual([s.figures.good, s.figures.bad, s.figures.total], [p.figures.good, p.figures.bad, p.figures.total]);
      assert.deepEqual(s.figures, p.figures);
      assert.deepEqual(
        s.burnAlerts.map((a) => [a.longBurnRate, a.shortBurnRate]),
        p.burnAlerts.map((a) => [a.longBurnRate, a.shortBurnRate]),
      );
      assert.equal(s.burnRate1h, p.burnRate1h);
      // And both equal the count of the observations.
      const day = obs.filter(inDay);
      if (spec === STARTS) assert.deepEqual([s.figures.bad, s.figures.total], [day.filter((o) => o.metric === 'ws_starts_failure_total').length, day.filter((o) => o.metric === 'ws_starts_total').length]);
      if (spec === UNDER_16) {
        const h = day.filter((o) => o.metric === 'ws_startup_seconds');
        assert.deepEqual([s.figures.good, s.figures.total], [h.filter((o) => o.value! <= 16).length, h.length]);
      }
      assert.ok(s.figures.total > 100);
    });
  }

  test('Timeslices over a bucket ratio: the same good, bad and empty 5-minute slices', async () => {
    const spec = PREBUILD_UNDER_128_SLICES;
    const [p, s] = await Promise.all([evaluatePrometheusObjective(client, spec, { at }), store.evaluate(spec, { at })]);
    if (p.figures.method !== 'Timeslices' || s.figures.method !== 'Timeslices') return assert.fail('method');
    assert.deepEqual(s.figures, p.figures);
    assert.ok(s.figures.emptySlices > 0 && s.figures.badSlices > 0 && s.figures.goodSlices > 0, JSON.stringify(s.figures));
  });

  test('the burn-down: the same points, day by day', async () => {
    const spec = { ...STARTS, window: { kind: 'rolling' as const, minutes: 3 * 1440, label: '3d' } };
    const [p, s] = await Promise.all([prometheusObjectiveBurnDown(client, spec, { at }), store.burnDown(spec, { at })]);
    assert.equal(s.points.length, 3);
    assert.deepEqual(s.points, p.points);
  });
});
