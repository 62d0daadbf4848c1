/**
 * npm run bench:slo — objectives (issue 13 "Performance").
 *
 * Part 1, the embedded store: a 28-day, 5-minute-slice p95 Timeslices objective
 * (`histogram_quantile(0.95, sum by (le) (rate(api_request_duration_seconds_bucket[5m])))` <= 0.5 s)
 * over 10 million stored events.
 *   1. Generates 10,000,000 metric event lines (eventLog.ts): histogram observations of
 *      `api_request_duration_seconds{method}` (log-normal, median 120 ms), evenly spread over the
 *      28 days before AT, one plain NDJSON file per day (as logs rotate), in a temp dir.
 *   2. Baseline: the same 10,000,000 durations (same seed) in a Float64Array, sorted once.
 *   3. Ingest: ingestFiles into a fresh store (parse, aggregate per series and minute: counts,
 *      buckets, a DDSketch; one transaction per file).
 *   4. Evaluate: StoreObjectiveEvaluator.evaluate of the objective at AT (8,064 slices, each the
 *      merged sketches of its 5 minutes), then its burnDown.
 * Each phase runs in its own process, so its peak RSS is its own. Prints times, peak RSS and each
 * phase's ratio to the sort.
 *
 * Part 2, "refresh of 200 objectives from a real Prometheus": prometheusRefresh() below runs
 * bench/sloPrometheus.ts.
 *
 * Flags: --events N (default 10,000,000), --keep (keep the temp dir), --dir d (reuse generated
 * logs), --store-only (part 1 only).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../src/sdk/store/logIngest';
import { openStoreObjectiveEvaluator } from '../src/sdk/store/storeObjectives';
import { seededRandom } from '../src/sdk/store/seededRandom';
import type { ObjectiveSpec } from '../src/sdk/objectives/spec';
import { runSloPrometheusBench } from './sloPrometheus';

const AT = Date.parse('2026-03-01T00:00:00Z');
const DAYS = 28;
const DAY_MS = 86_400_000;
const SEED = 42;
const METRIC = 'api_request_duration_seconds';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The i-th duration of the run: log-normal, median 0.12 s (Box-Muller on the seeded stream). */
function durations(n: number): Float64Array {
  const rand = seededRandom(SEED);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(rand(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    out[i] = Math.round(0.12 * Math.exp(0.9 * z) * 1e6) / 1e6;
  }
  return out;
}

export const SPEC: ObjectiveSpec = {
  name: 'api-p95-under-500ms',
  target: '0.9995',
  budgetingMethod: 'Timeslices',
  timeSliceTarget: '0.95',
  timeSliceWindowMinutes: 5,
  window: { kind: 'rolling', minutes: DAYS * 1440, label: '28d' },
  sli: {
    kind: 'threshold',
    metric: { sourceType: 'prometheus', spec: { query: `histogram_quantile(0.95, sum by (le) (rate(${METRIC}_bucket[5m])))` } },
    op: 'lte',
    threshold: '0.5',
  },
  location: { file: 'bench', line: 1, column: 1 },
};

async function generate(dir: string, n: number): Promise<void> {
  const values = durations(n);
  const perDay = Math.ceil(n / DAYS);
  const start = AT - DAYS * DAY_MS;
  for (let d = 0; d < DAYS; d++) {
    const out = createWriteStream(join(dir, `events-${String(d).padStart(2, '0')}.ndjson`));
    const from = d * perDay;
    const to = Math.min(n, from + perDay);
    let batch = '';
    for (let i = from; i < to; i++) {
      // Evenly spread: event i at start + i × (28 d / n), in time order.
      const t = start + Math.floor((i * (DAYS * DAY_MS)) / n);
      batch += `{"time":"${new Date(t).toISOString()}","metric":"${METRIC}","labels":{"method":"${i % 3 === 0 ? 'POST' : 'GET'}"},"value":${values[i]}}\n`;
      if (batch.length > 1 << 20) {
        if (!out.write(batch)) await once(out, 'drain');
        batch = '';
      }
    }
    out.end(batch);
    await once(out, 'finish');
  }
}

interface PhaseResult {
  ms: number;
  maxRssMb: number;
  detail: string;
}

async function childPhase(phase: string, dir: string, n: number): Promise<void> {
  let detail = '';
  const t0 = performance.now();
  if (phase === 'sort') {
    const values = durations(n);
    const s0 = performance.now();
    values.sort();
    const ms = performance.now() - s0;
    process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, detail: `p95 ${values[Math.floor(0.95 * (n - 1))]} s` }));
    return;
  }
  if (phase === 'ingest') {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ndjson'))
      .sort()
      .map((f) => join(dir, f));
    const report = await ingestFiles(join(dir, 'store.db'), files);
    if (report.totals.failed > 0 || report.totals.malformed > 0) throw new Error(`ingest failed: ${JSON.stringify(report.totals)}`);
    detail = `${report.totals.accepted.toLocaleString('en-US')} events, ${report.files.reduce((r, f) => r + f.rowsWritten, 0).toLocaleString('en-US')} rows, writer ${report.writer}`;
  } else {
    const ev = openStoreObjectiveEvaluator(join(dir, 'store.db'));
    const e = await ev.evaluate(SPEC, { at: new Date(AT) });
    const f = e.figures;
    if (f.method !== 'Timeslices') throw new Error(f.method);
    const t1 = performance.now();
    const bd = await ev.burnDown(SPEC, { at: new Date(AT) });
    detail = `${f.windowSlices} slices: ${f.goodSlices} good, ${f.badSlices} bad, ${f.emptySlices} empty, status ${f.status}; evaluate ${(t1 - t0).toFixed(0)} ms, burnDown (${bd.points.length} days) ${(performance.now() - t1).toFixed(0)} ms`;
    ev.close();
  }
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0, maxRssMb: process.resourceUsage().maxRSS / 1024, detail }));
}

function runPhase(phase: string, dir: string, n: number): PhaseResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', phase, '--dir', dir, '--events', String(n)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${phase} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as PhaseResult;
}

// ---------------------------------------------------------------------------------------------
// Part 2: refresh of 200 objectives from a real Prometheus — the number of queries (target:
// independent of the number of open files, at most one per objective per window) and the wall
// time: bench/sloPrometheus.ts (runs alone too). --store-only skips it.
async function prometheusRefresh(): Promise<void> {
  console.log('\npart 2: refresh of 200 objectives from a real Prometheus (bench/sloPrometheus.ts)');
  await runSloPrometheusBench((line) => console.log(`  ${line}`));
}
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const n = Number(arg('--events') ?? 10_000_000);
  const given = arg('--dir');
  const dir = given ?? mkdtempSync(join(tmpdir(), 'bl-bench-slo-'));
  if (given && !existsSync(given)) mkdirSync(given, { recursive: true });
  try {
    console.log(`bench:slo — ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`part 1: a 28-day, 5-minute-slice p95 Timeslices objective over ${n.toLocaleString('en-US')} stored events`);
    if (!readdirSync(dir).some((f) => f.endsWith('.ndjson'))) {
      const g0 = performance.now();
      await generate(dir, n);
      console.log(`generated ${DAYS} daily event logs in ${((performance.now() - g0) / 1000).toFixed(1)} s (${dir})`);
    }
    rmSync(join(dir, 'store.db'), { force: true });
    rmSync(join(dir, 'store.db-wal'), { force: true });
    rmSync(join(dir, 'store.db-shm'), { force: true });
    const sort = runPhase('sort', dir, n);
    const ingest = runPhase('ingest', dir, n);
    const evaluate = runPhase('evaluate', dir, n);
    const row = (name: string, r: PhaseResult): string =>
      `  ${name.padEnd(30)} ${(r.ms / 1000).toFixed(2).padStart(8)} s  ${r.maxRssMb.toFixed(0).padStart(5)} MB peak RSS  ${(r.ms / sort.ms).toFixed(1).padStart(7)}× sort  ${r.detail}`;
    console.log(row('baseline: sort 10M durations', { ...sort, ms: sort.ms }));
    console.log(row('ingest (parse + store)', ingest));
    console.log(row('evaluate + burn-down', evaluate));
    if (!process.argv.includes('--store-only')) await prometheusRefresh();
  } finally {
    if (!process.argv.includes('--keep') && !given) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child')) {
  childPhase(arg('--child') as string, arg('--dir') as string, Number(arg('--events'))).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
