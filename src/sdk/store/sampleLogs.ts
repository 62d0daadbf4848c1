/**
 * `writeSampleLogs`: a realistic, deterministic log set for an endpoint inventory, so the
 * embedded store has something to show without production access (`budget-lens sample`).
 *
 * The traffic model: Zipf-like traffic shares, a diurnal curve (peak 14:00 UTC) and quieter
 * weekends; per-endpoint latency log-normal with a median well under its urgency threshold and a
 * small 5xx rate, so most groups spend a fraction of their budget. One "degraded" category (the
 * one with the most endpoints) gets a chronically slow endpoint, an error incident and a latency
 * incident, so its group is clearly over budget. Same seed + same end + same inventory = same bytes.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { SampleEndpoint } from './sampleLogLines';
import { formatSampleCall, sampleLogFileOf, thresholdOf } from './sampleLogLines';
import { seededRandom } from './seededRandom';

export interface SampleLogOptions {
  outDir: string;
  endpoints: SampleEndpoint[];
  /** Days of history before `end`. Default 28. */
  days?: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** End of the data (exclusive). Default: now, to the minute, so even a 1-hour window has data. */
  end?: Date;
  /** Approximate number of requests + jobs over the whole period. Default 150,000 (~200k lines). */
  calls?: number;
  /** Write gzip (default) or plain NDJSON. */
  gzip?: boolean;
}

export interface SampleIncident {
  endpointId: string;
  kind: 'errors' | 'latency';
  start: string;
  end: string;
}

export interface SampleLogResult {
  files: string[];
  lines: number;
  start: string;
  end: string;
  /** The category whose group is made to overspend. */
  degradedCategory: string;
  /** Chronically slow: a few percent of calls over the apdex threshold. */
  slowEndpoints: string[];
  /** Chronically failing: a steady 5xx / failed-job rate far above the others. */
  erroringEndpoints: string[];
  incidents: SampleIncident[];
}

const HOUR_MS = 3_600_000;


function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function poisson(rand: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rand)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

/** Relative traffic at an instant: diurnal sine peaking 14:00 UTC, weekends at 60 %. */
function trafficShape(ms: number): number {
  const d = new Date(ms);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const diurnal = 1 + 0.6 * Math.sin((2 * Math.PI * (hour - 8)) / 24);
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.6 : 1;
  return diurnal * weekend;
}

interface EndpointModel {
  ep: SampleEndpoint;
  share: number;
  /** Median duration as a fraction of the threshold. */
  medianRatio: number;
  sigma: number;
  errorRate: number;
}

function degradedCategoryOf(endpoints: SampleEndpoint[]): string {
  const counts = new Map<string, number>();
  for (const ep of endpoints) if (ep.category !== 'unknown' && ep.category !== 'not_owned') counts.set(ep.category, (counts.get(ep.category) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return ranked[0]?.[0] ?? endpoints[0]?.category ?? 'unknown';
}

function buildModels(
  endpoints: SampleEndpoint[],
  rand: () => number,
  degraded: string,
): { models: EndpointModel[]; slow: string[]; erroring: string[]; hot: EndpointModel[] } {
  const models = endpoints.map((ep, i) => ({
    ep,
    // Zipf-like: a few busy endpoints, a long tail; order scrambled by the seed.
    share: 1 / Math.pow(1 + ((i * 7919 + Math.floor(rand() * endpoints.length)) % endpoints.length), 0.8),
    medianRatio: 0.03 + rand() * 0.09,
    sigma: 0.45,
    errorRate: 0.00005 + rand() * 0.00015,
  }));
  const maxShare = Math.max(...models.map((m) => m.share));
  // The degraded category's request endpoints, busiest first: the first is chronically slow,
  // the second fails 0.4 % of its calls and has the incidents. Both get top traffic so the
  // damage is visible.
  const hot = models
    .filter((m) => m.ep.category === degraded)
    .sort((a, b) => Number(a.ep.kind === 'sidekiq') - Number(b.ep.kind === 'sidekiq') || b.share - a.share)
    .slice(0, 2);
  for (const m of hot) m.share = maxShare;
  const slow: string[] = [];
  if (hot[0]) {
    // Median at 45 % of the threshold with sigma 0.5: P(d >= threshold) = 1 - Phi(ln(1/0.45)/0.5) ~ 5.5 %.
    hot[0].medianRatio = 0.45;
    hot[0].sigma = 0.5;
    slow.push(hot[0].ep.id);
  }
  const erroring: string[] = [];
  if (hot[1]) {
    hot[1].errorRate = 0.004;
    erroring.push(hot[1].ep.id);
  }
  const total = models.reduce((n, m) => n + m.share, 0);
  for (const m of models) m.share /= total;
  return { models, slow, erroring, hot };
}

class LogWriter {
  private readonly sink: Writable;
  private readonly done: Promise<void>;
  lines = 0;

  constructor(
    readonly path: string,
    gzip: boolean,
  ) {
    const file = createWriteStream(path);
    if (gzip) {
      // Level 1: a quarter bigger than the default level, three times faster (npm start waits for it).
      const gz = createGzip({ level: 1 });
      this.sink = gz;
      this.done = pipeline(gz, file);
    } else {
      this.sink = file;
      this.done = once(file, 'close').then(() => undefined);
    }
  }

  async write(text: string, lines: number): Promise<void> {
    this.lines += lines;
    if (!this.sink.write(text)) await once(this.sink, 'drain');
  }

  async close(): Promise<void> {
    this.sink.end();
    await this.done;
  }
}

export async function writeSampleLogs(opts: SampleLogOptions): Promise<SampleLogResult> {
  if (opts.endpoints.length === 0) throw new Error('the endpoint inventory is empty: nothing to simulate');
  const days = opts.days ?? 28;
  if (!(days > 0)) throw new RangeError(`--days must be positive, got ${days}`);
  const endMs = (opts.end ?? new Date(Math.floor(Date.now() / 60_000) * 60_000)).getTime();
  if (!Number.isFinite(endMs)) throw new RangeError('--end is not a valid date');
  const startMs = endMs - days * 24 * HOUR_MS;
  const calls = opts.calls ?? 150_000;
  const gzip = opts.gzip ?? true;
  const rand = seededRandom(opts.seed ?? 1);
  const degraded = degradedCategoryOf(opts.endpoints);
  const { models, slow, erroring, hot } = buildModels(opts.endpoints, rand, degraded);

  // Incidents on the second hot endpoint: 3 h of 30 % 5xx five days before the end, and 2 h
  // where every call is slower than its threshold twelve days before the end.
  const incidentTarget = hot[1] ?? hot[0];
  const incidents: SampleIncident[] = [];
  const errorIncident = { from: endMs - 5 * 24 * HOUR_MS - 10 * HOUR_MS, to: endMs - 5 * 24 * HOUR_MS - 7 * HOUR_MS };
  const latencyIncident = { from: endMs - 12 * 24 * HOUR_MS - 4 * HOUR_MS, to: endMs - 12 * 24 * HOUR_MS - 2 * HOUR_MS };
  if (incidentTarget && errorIncident.from >= startMs) {
    incidents.push({ endpointId: incidentTarget.ep.id, kind: 'errors', start: new Date(errorIncident.from).toISOString(), end: new Date(errorIncident.to).toISOString() });
  }
  if (incidentTarget && latencyIncident.from >= startMs) {
    incidents.push({ endpointId: incidentTarget.ep.id, kind: 'latency', start: new Date(latencyIncident.from).toISOString(), end: new Date(latencyIncident.to).toISOString() });
  }
  const inIncident = (m: EndpointModel, ms: number, w: { from: number; to: number }): boolean =>
    m === incidentTarget && incidents.length > 0 && ms >= w.from && ms < w.to && w.from >= startMs;

  mkdirSync(opts.outDir, { recursive: true });
  const writers = new Map<string, LogWriter>();
  for (const m of models) {
    const name = sampleLogFileOf(m.ep.kind);
    if (!writers.has(name)) writers.set(name, new LogWriter(join(opts.outDir, gzip ? `${name}.gz` : name), gzip));
  }

  // Normalise by the traffic shape summed over the period, so the total stays near `calls`
  // whatever the mix of weekdays and weekends.
  let shapeSum = 0;
  for (let h = Math.floor(startMs / HOUR_MS) * HOUR_MS; h < endMs; h += HOUR_MS) {
    const from = Math.max(h, startMs);
    const to = Math.min(h + HOUR_MS, endMs);
    shapeSum += trafficShape(from + (to - from) / 2) * ((to - from) / HOUR_MS);
  }
  const perHour = calls / shapeSum;
  let n = 0;
  try {
    for (let hourStart = Math.floor(startMs / HOUR_MS) * HOUR_MS; hourStart < endMs; hourStart += HOUR_MS) {
      const from = Math.max(hourStart, startMs);
      const to = Math.min(hourStart + HOUR_MS, endMs);
      const fraction = (to - from) / HOUR_MS;
      const shape = trafficShape(from + (to - from) / 2);
      const batches = new Map<string, Array<[number, string]>>();
      for (const m of models) {
        const count = poisson(rand, perHour * m.share * shape * fraction);
        if (count === 0) continue;
        const threshold = thresholdOf(m.ep);
        const file = sampleLogFileOf(m.ep.kind);
        let batch = batches.get(file);
        if (!batch) batches.set(file, (batch = []));
        for (let i = 0; i < count; i++) {
          const timeMs = from + Math.floor(rand() * (to - from));
          const slowNow = inIncident(m, timeMs, latencyIncident);
          const ratio = slowNow ? 1.5 : m.medianRatio;
          const durationS = threshold * ratio * Math.exp(m.sigma * normal(rand));
          const errorRate = inIncident(m, timeMs, errorIncident) ? 0.3 : m.errorRate;
          const status = rand() < errorRate ? 500 : rand() < 0.02 ? 404 : 200;
          for (const line of formatSampleCall(m.ep, { timeMs, durationS, status, n: n++ })) batch.push([timeMs, line]);
        }
      }
      for (const [file, batch] of batches) {
        batch.sort((a, b) => a[0] - b[0]);
        await (writers.get(file) as LogWriter).write(`${batch.map((b) => b[1]).join('\n')}\n`, batch.length);
      }
    }
  } finally {
    await Promise.all([...writers.values()].map((w) => w.close()));
  }
  return {
    files: [...writers.values()].map((w) => w.path).sort(),
    lines: [...writers.values()].reduce((s, w) => s + w.lines, 0),
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    degradedCategory: degraded,
    slowEndpoints: slow,
    erroringEndpoints: erroring,
    incidents,
  };
}
