/**
 * npm run bench:api — the Budget API server and the store behind it.
 *
 * Workload: a store built through the store's own aggregate writer with 2,000 endpoints spread
 * over the real catalog's 139 categories, 28 days of hourly rows (2,000 x 672 = 1,344,000 endpoint
 * hours). The server (BudgetServer + BudgetService + StoreSource) runs in a child process, as
 * `budget-lens serve` would, with its JSON request log on; autocannon runs here, on loopback,
 * against `GET /api/v1/groups/<g>` and `GET /api/v1/categories/<c>/endpoints`:
 *   cached  the same URL again and again (the 15 s response cache answers)
 *   cold    a unique `at=` on every request, so every request queries the store
 * each unpaced (max requests/s) and paced at 1,000 req/s (latency percentiles).
 *
 * Baseline, measured in the same run under the same load: a bare node:http server in a child
 * process answering the same route with the same fixed JSON body (the least any server must do).
 * Second figure: a cold 28-day group budget straight from the store (no HTTP), against a naive
 * baseline that sums the group's hourly rows with one SQL statement.
 * Targets: p99 < 10 ms cached at 1,000 req/s; cold 28-day group budget from the store < 50 ms.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { computeBudget } from '../src/sdk/budget/budgetMath';
import { WINDOW_28D } from '../src/sdk/budget/window';
import { loadCatalog } from '../src/sdk/catalog/catalogParser';
import type { Catalog } from '../src/sdk/catalog/types';
import { BudgetServer } from '../src/sdk/server/budgetServer';
import { BudgetService } from '../src/sdk/service/budgetService';
import { writeFileAggregate } from '../src/sdk/store/aggregateWriter';
import { HourlyAggregator } from '../src/sdk/store/hourlyAggregator';
import { openStoreDatabase, STORE_SCHEMA_VERSION } from '../src/sdk/store/storeSchema';
import { openStoreSource } from '../src/sdk/store/storeSource';

const ENDPOINTS = 2000;
const DAYS = 28;
const AT = new Date('2026-10-29T00:00:00Z');
const GROUP = 'pipeline_execution';
const CATEGORY = 'continuous_integration';
const DURATION_S = 5;
const CONNECTIONS = 10;
const PACED_RATE = 1000;
const PACED_ROUNDS = 3;
const STORE_RUNS = 40;
const TARGET_CACHED_P99_MS = 10;
const TARGET_COLD_STORE_MS = 50;
const FIXTURES = join(__dirname, '..', 'catalog', 'gitlab');

// autocannon ships no types; this is the part of its programmatic API the bench uses.
interface Histogram {
  average: number;
  total: number;
  p50: number;
  p99: number;
}
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  non2xx: number;
  errors: number;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  overallRate?: number;
  requests?: Array<{ setupRequest: (req: { path: string }) => { path: string } }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

function loadBenchCatalog(): Promise<Catalog> {
  return loadCatalog({ stagesPath: join(FIXTURES, 'stages.yml'), featureCategoriesPath: join(FIXTURES, 'feature_categories.yml') });
}

/** Deterministic xorshift PRNG so every run builds the same store. */
function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) % 1_000_000) / 1_000_000;
  };
}

/** 2,000 endpoints x 672 hours through the store's aggregate writer (one transaction). */
async function buildStore(path: string): Promise<{ rows: number; ms: number }> {
  const started = performance.now();
  const catalog = await loadBenchCatalog();
  const categories = [...catalog.categories.keys()].sort();
  const agg = new HourlyAggregator();
  const rand = prng(42);
  const firstHour = AT.getTime() / 3_600_000 - DAYS * 24;
  for (let i = 0; i < ENDPOINTS; i++) {
    const category = categories[i % categories.length] as string;
    const endpointId = `GET /api/:version/bench/${category}/${i}`;
    const base = { kind: 'event', component: 'rails_request', endpointId, category, urgency: 'default' } as const;
    for (let h = 0; h < DAYS * 24; h++) {
      const hour = firstHour + h;
      // A few events per endpoint-hour: mostly good requests, now and then a slow one or a 500.
      agg.add({ ...base, hour, s: 1, w: 1, o: 1, e: 0 });
      agg.add({ ...base, hour, s: 1, w: 1, o: 1, e: 0 });
      const r = rand();
      if (r < 0.03) agg.add({ ...base, hour, s: 0, w: 1, o: 1, e: 0 });
      else if (r < 0.05) agg.add({ ...base, hour, s: 0, w: 0, o: 1, e: 1 });
    }
  }
  const db = openStoreDatabase(path);
  try {
    const record = { sha256: 'bench'.padEnd(64, '0'), name: 'bench', size: 0, gzip: false, lines: 0, accepted: 0, ignored: 0, malformed: 0 };
    const outcome = writeFileAggregate(db, agg, record, new Date());
    if (outcome.kind !== 'written') throw new Error('bench store already had the synthetic file');
    return { rows: outcome.rows, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

// ---- child processes ---------------------------------------------------------------------

/** `--child api <store>`: the Budget API server; `--child baseline <bodyJson>`: a bare server. */
async function runChild(mode: string, arg: string): Promise<void> {
  // CPU time is steadier than wall-clock latency on a busy machine: the parent asks for it.
  process.on('message', (m) => {
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send?.(u.user + u.system);
    }
  });
  if (mode === 'api') {
    const catalog = await loadBenchCatalog();
    const source = openStoreSource({ path: arg, catalog, readonly: true });
    const server = new BudgetServer({
      api: new BudgetService(source, catalog, { now: () => AT }),
      sourceKind: 'store',
      // The real request log, to stderr (the parent discards it): its cost is part of the figure.
      onClose: () => source.close(),
    });
    process.stdout.write(`${await server.listen(0)}\n`);
  } else {
    const body = arg;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    process.stdout.write(`http://127.0.0.1:${port}\n`);
  }
}

function startChild(mode: string, arg: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--child', mode, arg], { stdio: ['ignore', 'pipe', 'ignore', 'ipc'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, url: line.trim() });
    });
    child.once('exit', (code) => reject(new Error(`bench child ${mode} exited with ${code}`)));
  });
}

// ---- measuring ---------------------------------------------------------------------------

interface LoadFigures {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  bad: number;
  /** Server CPU time (user + system) per answered request, in microseconds. */
  cpuUs: number;
}

interface Target {
  child: ChildProcess;
  url: string;
}

function cpuMicros(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(Number(m)));
    child.send('cpu');
  });
}

async function load(label: string, target: Target, path: string, opts: { rate?: number; uniqueAt?: boolean }): Promise<LoadFigures> {
  const url = target.url;
  const cpuBefore = await cpuMicros(target.child);
  let n = 0;
  const base = Math.floor(AT.getTime() / 1000);
  const r = await autocannon({
    url: url + path,
    connections: CONNECTIONS,
    duration: DURATION_S,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    ...(opts.uniqueAt
      ? { requests: [{ setupRequest: (req) => ({ ...req, path: `${path}${path.includes('?') ? '&' : '?'}at=${base - n++}` }) }] }
      : {}),
  });
  const cpu = (await cpuMicros(target.child)) - cpuBefore;
  return { label, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors, cpuUs: cpu / Math.max(1, r.requests.total) };
}

function printLoad(rows: LoadFigures[], baseline: LoadFigures): void {
  for (const f of rows) {
    const ratio = f.rps / baseline.rps;
    console.log(
      `  ${f.label.padEnd(44)} ${f.rps.toFixed(0).padStart(7)} req/s  p50 ${f.p50.toFixed(2).padStart(6)} ms  p99 ${f.p99.toFixed(2).padStart(6)} ms` +
        `  ${(ratio * 100).toFixed(0).padStart(4)} % of baseline req/s` +
        `  server CPU ${f.cpuUs.toFixed(0).padStart(5)} us/req (${(f.cpuUs / baseline.cpuUs).toFixed(2)}x)${f.bad ? `  (${f.bad} non-2xx/errors!)` : ''}`,
    );
  }
}

function stats(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? NaN, p95: s[Math.floor(s.length * 0.95)] ?? NaN };
}

async function storeFigures(path: string): Promise<void> {
  const catalog = await loadBenchCatalog();
  const source = openStoreSource({ path, catalog, readonly: true });
  const service = new BudgetService(source, catalog);
  const db = openStoreDatabase(path, { readonly: true });
  const categories = JSON.stringify(catalog.categoriesOf(GROUP));
  const naive = db.prepare(
    'SELECT SUM(s) AS s, SUM(w) AS w, SUM(o) AS o, SUM(e) AS e FROM hourly_category WHERE category IN (SELECT value FROM json_each(?)) AND hour >= ? AND hour < ?',
  );
  const direct: number[] = [];
  const viaService: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < STORE_RUNS; i++) {
    // A different `at` each run (whole and partial hours), so nothing above SQLite can reuse work.
    const at = new Date(AT.getTime() - i * 1_800_000);
    let t = performance.now();
    const counts = await source.groupCounts({ window: WINDOW_28D, at, groups: [GROUP] });
    computeBudget(counts.data[0]?.components ?? [], { target: catalog.targetOf(GROUP), window: WINDOW_28D });
    direct.push(performance.now() - t);
    t = performance.now();
    await service.group(GROUP, { at });
    viaService.push(performance.now() - t);
    const endHour = Math.floor(at.getTime() / 3_600_000);
    t = performance.now();
    naive.get(categories, endHour - DAYS * 24, endHour);
    baseline.push(performance.now() - t);
  }
  db.close();
  await source.close();
  const d = stats(direct);
  const s = stats(viaService);
  const b = stats(baseline);
  console.log(`\nCold 28-day group budget from the store (${GROUP}, ${STORE_RUNS} runs, distinct at=):`);
  console.log(`  StoreSource.groupCounts + computeBudget    median ${d.median.toFixed(2)} ms  p95 ${d.p95.toFixed(2)} ms  (${(d.median / b.median).toFixed(2)}x baseline)`);
  console.log(`  BudgetService.group (all groups, F13 share) median ${s.median.toFixed(2)} ms  p95 ${s.p95.toFixed(2)} ms  (${(s.median / b.median).toFixed(2)}x baseline)`);
  console.log(`  baseline: one SQL SUM over the group's hourly rows  median ${b.median.toFixed(2)} ms`);
  console.log(`  target < ${TARGET_COLD_STORE_MS} ms: ${s.median < TARGET_COLD_STORE_MS ? 'met' : 'NOT met'} (service median)`);
}

async function main(): Promise<void> {
  // Building the store takes a minute or more on 2 cores; later runs reuse it (bench/results/ is
  // git-ignored; --rebuild forces a fresh one). The name carries everything that shapes it.
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const store = join(dir, `api-store-${ENDPOINTS}ep-${DAYS}d-schema${STORE_SCHEMA_VERSION}.db`);
  if (process.argv.includes('--rebuild')) for (const ext of ['', '-wal', '-shm']) rmSync(store + ext, { force: true });
  const children: ChildProcess[] = [];
  try {
    if (existsSync(store)) {
      console.log(`Store: reusing ${store} (${ENDPOINTS} endpoints x ${DAYS * 24} hours; --rebuild to rebuild)`);
    } else {
      const built = await buildStore(store);
      console.log(`Store: ${ENDPOINTS} endpoints x ${DAYS * 24} hours, ${built.rows} aggregate rows written in ${(built.ms / 1000).toFixed(1)} s`);
    }
    await storeFigures(store);

    const api = await startChild('api', store);
    children.push(api.child);
    const routes = [`/api/v1/groups/${GROUP}`, `/api/v1/categories/${CATEGORY}/endpoints?limit=10`];
    for (const route of routes) {
      const body = await (await fetch(api.url + route)).text();
      const bare = await startChild('baseline', body);
      children.push(bare.child);
      console.log(`\nGET ${route} (${body.length} bytes; ${CONNECTIONS} connections, ${DURATION_S} s each)`);
      const baseMax = await load('baseline bare node:http, unpaced', bare, route, {});
      const cachedMax = await load('Budget API cached, unpaced', api, route, {});
      const coldMax = await load('Budget API cold (unique at=), unpaced', api, route, { uniqueAt: true });
      printLoad([baseMax, cachedMax, coldMax], baseMax);
      // Paced runs alternate baseline and API, PACED_ROUNDS times; the medians damp a noisy machine.
      const basePaced: LoadFigures[] = [];
      const cachedPaced: LoadFigures[] = [];
      for (let round = 1; round <= PACED_ROUNDS; round++) {
        basePaced.push(await load(`baseline bare node:http, ${PACED_RATE} req/s #${round}`, bare, route, { rate: PACED_RATE }));
        cachedPaced.push(await load(`Budget API cached, ${PACED_RATE} req/s #${round}`, api, route, { rate: PACED_RATE }));
      }
      printLoad([...basePaced, ...cachedPaced], basePaced[0] as LoadFigures);
      const baseP99 = stats(basePaced.map((f) => f.p99)).median;
      const cachedP99 = stats(cachedPaced.map((f) => f.p99)).median;
      console.log(
        `  median p99 cached at ${PACED_RATE} req/s: ${cachedP99.toFixed(2)} ms vs baseline ${baseP99.toFixed(2)} ms` +
          ` (ratio ${(cachedP99 / Math.max(baseP99, 1)).toFixed(2)})` +
          ` -> target < ${TARGET_CACHED_P99_MS} ms ${cachedP99 < TARGET_CACHED_P99_MS ? 'met' : 'NOT met'}`,
      );
      bare.child.kill('SIGTERM');
    }
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  }
}

if (process.argv[2] === '--child') {
  void runChild(process.argv[3] ?? '', process.argv[4] ?? '');
} else {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
