/**
 * bench:slo, the Prometheus half (issue 13 "Performance"): a refresh of 200 objectives from a real
 * Prometheus (Debian's 2.42, backfilled with promtool like the integration tests), the way the
 * editor and `budget-lens serve` ask: one BudgetApi.objectives({ names }) over the backend
 * openNetworkBackend opens (BudgetService + the Prometheus objective evaluator, 8 objectives at a
 * time), the names being the union of the objectives on the open files (BudgetData batches them
 * into one request).
 *
 * Counted: the HTTP requests that reach Prometheus, through a counting proxy in front of it.
 * Target: independent of the number of open files (200 and 2,000 open files showing the same 200
 * objectives; 1 file showing 3), and at most one query per objective per window: each objective
 * here is Occurrences bad/total (2 parts, joined in one expression) over its 28 d window plus the
 * burn windows of the default tiers and the last hour (5m, 30m, 1h, 6h, 3d): 6 queries.
 *
 * Baseline, same run: the same number of plain `up` instant queries, 8 at a time, through the
 * same proxy. Also: one objective's burn-down (`/objectives/{name}`), 1 range query for both parts.
 *
 * Run alone: `node --import tsx bench/sloPrometheus.ts`; bench/slo.ts calls runSloPrometheusBench().
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openNetworkBackend } from '../src/sdk/backend/openBackend';
import { resolveCatalog } from '../src/sdk/catalog/defaultCatalog';
import type { ObjectiveSpec } from '../src/sdk/objectives/spec';
import { PrometheusClient } from '../src/sdk/sources/prometheusClient';
import { startPrometheus } from '../test/support/prometheusServer';
import type { Series } from '../test/support/seriesBuilders';

const DAY_S = 86_400;
const OBJECTIVES = 200;
const CONCURRENCY = 8;

export interface SloPrometheusFigures {
  objectives: number;
  /** Prometheus requests for one refresh of every objective, by the number of open files. */
  queriesByOpenFiles: Array<{ openFiles: number; queries: number; wallMs: number }>;
  queriesPerObjective: number;
  /** Median of 3 refreshes (200 open files). */
  refreshMs: number;
  /** The same number of `up` instant queries, CONCURRENCY at a time: median of 3. */
  baselineMs: number;
  burnDownQueries: number;
  burnDownMs: number;
}

/** Counters sampled hourly for 25 days, then every 5 minutes for the last 3 (the burn windows need them). */
function counter(name: string, labels: Record<string, string>, fromS: number, atS: number, perHour: number): Series {
  const samples: Array<[number, number]> = [];
  let v = 0;
  const dense = atS - 3 * DAY_S;
  for (let t = fromS; t <= atS; ) {
    samples.push([t, v]);
    const step = t < dense ? 3600 : 300;
    v += (perHour * step) / 3600;
    t += step;
  }
  return { name, labels, samples };
}

function objectiveSpec(i: number): ObjectiveSpec {
  const sel = `{objective="o${i}"}`;
  return {
    name: `objective-${i}`,
    target: '0.998',
    budgetingMethod: 'Occurrences',
    window: { kind: 'rolling', minutes: 40_320, label: '28d' },
    sli: {
      kind: 'ratio',
      form: 'bad',
      bad: { sourceType: 'prometheus', spec: { query: `sum(bench_failures_total${sel})` } },
      total: { sourceType: 'prometheus', spec: { query: `sum(bench_events_total${sel})` } },
      counter: true,
    },
    location: { file: '/bench/slo.yaml', line: i + 1, column: 1 },
  };
}

/** A proxy that forwards to `target` and counts the requests. */
async function countingProxy(target: string): Promise<{ url: string; count: () => number; reset: () => void; close: () => Promise<void> }> {
  let n = 0;
  const to = new URL(target);
  const server = createServer((req, res) => {
    n++;
    const fwd = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    fwd.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => n,
    reset: () => {
      n = 0;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The objectives on `files` open files: file f shows objectives f, f + 7, f + 13 (mod 200); their union, once each. */
function namesOnScreen(files: number): string[] {
  const names = new Set<string>();
  for (let f = 0; f < files; f++) for (const k of [0, 7, 13]) names.add(`objective-${(f + k) % OBJECTIVES}`);
  return [...names];
}

export async function runSloPrometheusBench(log: (line: string) => void = (l) => console.log(l)): Promise<SloPrometheusFigures> {
  const atS = Math.floor(Date.UTC(2026, 2, 1) / 1000);
  const fromS = atS - 28 * DAY_S;
  const series: Series[] = [];
  for (let i = 0; i < OBJECTIVES; i++) {
    series.push(counter('bench_events_total', { objective: `o${i}` }, fromS, atS, 600));
    series.push(counter('bench_failures_total', { objective: `o${i}` }, fromS, atS, i % 10 === 0 ? 3 : 0.5));
  }
  const t0 = performance.now();
  const prom = await startPrometheus(series);
  log(`Prometheus with ${series.length} series (${series.reduce((s, x) => s + x.samples.length, 0).toLocaleString('en-US')} samples) ready in ${Math.round(performance.now() - t0)} ms`);
  const proxy = await countingProxy(prom.url);
  try {
    const specs = Array.from({ length: OBJECTIVES }, (_, i) => objectiveSpec(i));
    const { catalog } = await resolveCatalog({ root: '/bench' });
    const backend = openNetworkBackend({ kind: 'prometheus', url: proxy.url }, { catalog, objectives: specs, workspaceRoot: '/bench' });
    const at = new Date(atS * 1000);

    const queriesByOpenFiles: SloPrometheusFigures['queriesByOpenFiles'] = [];
    for (const openFiles of [1, 200, 2000]) {
      const names = namesOnScreen(openFiles);
      proxy.reset();
      const t = performance.now();
      const r = await backend.api.objectives({ names, at });
      const wallMs = performance.now() - t;
      const failed = r.data.filter((o) => o.figures === null);
      if (failed.length > 0) throw new Error(`${failed.length} objectives failed: ${failed[0]!.error?.message}`);
      queriesByOpenFiles.push({ openFiles, queries: proxy.count(), wallMs });
      log(`  ${String(openFiles).padStart(4)} open files -> ${names.length} objectives, ${proxy.count()} Prometheus queries, ${Math.round(wallMs)} ms`);
    }
    const all = namesOnScreen(2000);
    const runs: number[] = [];
    let queries = 0;
    for (let k = 0; k < 3; k++) {
      proxy.reset();
      const t = performance.now();
      await backend.api.objectives({ names: all, at });
      runs.push(performance.now() - t);
      queries = proxy.count();
    }
    // Baseline: the same number of plain `up` instant queries, CONCURRENCY at a time.
    const client = new PrometheusClient({ url: proxy.url });
    const base: number[] = [];
    for (let k = 0; k < 3; k++) {
      let next = 0;
      const t = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < queries) {
            next++;
            await client.query('up', at);
          }
        }),
      );
      base.push(performance.now() - t);
    }
    proxy.reset();
    const tb = performance.now();
    const detail = await backend.api.objective('objective-0', { at });
    const burnDownMs = performance.now() - tb;
    const burnDownRange = new Set(detail.data.queries.filter((q) => q.kind === 'range').map((q) => q.window)).size;
    await backend.close();
    const figures: SloPrometheusFigures = {
      objectives: all.length,
      queriesByOpenFiles,
      queriesPerObjective: queries / all.length,
      refreshMs: median(runs),
      baselineMs: median(base),
      burnDownQueries: proxy.count(),
      burnDownMs,
    };
    log(`refresh of ${all.length} objectives: ${queries} Prometheus queries (${figures.queriesPerObjective} per objective: one per window, 28d + 5m, 30m, 1h, 6h, 3d, both parts joined; target <= 6: ${figures.queriesPerObjective <= 6 ? 'met' : 'MISSED'}), median ${Math.round(figures.refreshMs)} ms`);
    log(`baseline, same run: ${queries} plain \`up\` instant queries, ${CONCURRENCY} at a time: median ${Math.round(figures.baselineMs)} ms; ratio ${(figures.refreshMs / figures.baselineMs).toFixed(2)}x`);
    log(`burn-down of one objective (28 UTC days): ${figures.burnDownQueries} Prometheus queries (${burnDownRange} range query with a 1-day step + the figures' own), ${Math.round(burnDownMs)} ms`);
    const [one, many, most] = queriesByOpenFiles;
    log(
      many!.queries === most!.queries && one!.queries === 6 * 3
        ? `queries follow the objectives on screen, not the files: 200 and 2,000 open files showing the same 200 objectives both send ${most!.queries}; 1 file showing 3 sends ${one!.queries}`
        : `queries vary with the open files: ${queriesByOpenFiles.map((q) => `${q.openFiles} files ${q.queries}`).join(', ')}`,
    );
    return figures;
  } finally {
    await proxy.close();
    await prom.stop();
  }
}

if (require.main === module) {
  runSloPrometheusBench().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
