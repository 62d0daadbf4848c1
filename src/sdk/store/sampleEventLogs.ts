/**
 * Sample metric event logs for examples/gitpod-style (issue 13 item 7; eventLog.ts's format):
 * seeded, deterministic workspace starts with a startup-time histogram, start failures and stops
 * (reason `failed` for a workspace that broke after it started), with one bad week, so the
 * example's four objectives evaluate from the store (`budget-lens sample --gitpod --ingest`).
 *
 * Per minute, 0..4 starts (2 on average; type `regular`, 1 in 10 `prebuild`). Each start is a
 * `gitpod_ws_manager_workspace_starts_total` line; a failed one (1 in 1,000; 1 in 150 in the bad
 * week) adds a `..._starts_failure_total` line; a start that succeeds observes
 * `gitpod_ws_manager_workspace_startup_seconds` (log-normal, median 9 s; 30 s with a long tail in
 * the bad week) and later stops (`..._stops_total`, reason `failed` 1 in 1,250, 1 in 200 in the
 * bad week, else `stopped` or `timeout`), 5 to 240 minutes after it started (stops after the end
 * are not written). The bad week is the second-to-last one: [end − 14 d, end − 7 d).
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { seededRandom } from './seededRandom';

export const GITPOD_STARTS = 'gitpod_ws_manager_workspace_starts_total';
export const GITPOD_START_FAILURES = 'gitpod_ws_manager_workspace_starts_failure_total';
export const GITPOD_STOPS = 'gitpod_ws_manager_workspace_stops_total';
export const GITPOD_STARTUP = 'gitpod_ws_manager_workspace_startup_seconds';
/** The example's histogram bounds (components/ws-manager/src/metrics.ts), declared in the log's header. */
export const GITPOD_STARTUP_BUCKETS = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] as const;

export interface GitpodSampleOptions {
  outDir: string;
  /** Days before `end` (default 35: a 28-day window plus a week before it). */
  days?: number;
  /** Exclusive end, floored to the minute (default now). */
  end?: Date;
  seed?: number;
}

export interface GitpodSampleResult {
  file: string;
  lines: number;
  start: string;
  end: string;
  badWeek: { start: string; end: string };
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A standard normal from two uniforms (Box-Muller). */
function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function* lines(opts: Required<Omit<GitpodSampleOptions, 'outDir'>>, badStart: number, badEnd: number): Generator<string> {
  const rand = seededRandom(opts.seed);
  const endMs = Math.floor(opts.end.getTime() / MINUTE_MS) * MINUTE_MS;
  const startMs = endMs - opts.days * DAY_MS;
  const minutes = (endMs - startMs) / MINUTE_MS;
  /** Stops waiting for their minute: minute index -> lines. */
  const stops = new Map<number, string[]>();
  yield JSON.stringify({ buckets: { [GITPOD_STARTUP]: GITPOD_STARTUP_BUCKETS } });
  const line = (ms: number, metric: string, labels: Record<string, string>, value?: number): string =>
    JSON.stringify({ time: new Date(ms).toISOString(), metric, labels, ...(value === undefined ? {} : { value }) });
  for (let m = 0; m < minutes; m++) {
    const t0 = startMs + m * MINUTE_MS;
    const bad = t0 >= badStart && t0 < badEnd;
    const out: Array<[number, string]> = [];
    for (const s of stops.get(m) ?? []) out.push([Number(s.slice(0, 2)) * 1000 + Number(s.slice(2, 5)), s.slice(5)]);
    stops.delete(m);
    const n = Math.floor(rand() * 5);
    for (let k = 0; k < n; k++) {
      const offset = Math.floor(rand() * 60_000);
      const labels = { type: rand() < 0.1 ? 'prebuild' : 'regular' };
      const at = t0 + offset;
      out.push([offset, line(at, GITPOD_STARTS, labels)]);
      if (rand() < (bad ? 1 / 150 : 1 / 1000)) {
        out.push([offset, line(at, GITPOD_START_FAILURES, labels)]);
        continue;
      }
      const median = bad ? 30 : 9;
      const sigma = bad ? 1.1 : 0.8;
      const seconds = Math.round(median * Math.exp(sigma * normal(rand)) * 1000) / 1000;
      out.push([offset, line(at, GITPOD_STARTUP, labels, seconds)]);
      const stopMinute = m + 5 + Math.floor(rand() * 236);
      const failed = rand() < (bad ? 1 / 200 : 1 / 1250);
      const reason = failed ? 'failed' : rand() < 0.7 ? 'stopped' : 'timeout';
      if (stopMinute < minutes) {
        const stopOffset = Math.floor(rand() * 60_000);
        const text = line(startMs + stopMinute * MINUTE_MS + stopOffset, GITPOD_STOPS, { reason, type: labels.type });
        const list = stops.get(stopMinute) ?? [];
        list.push(`${String(Math.floor(stopOffset / 1000)).padStart(2, '0')}${String(stopOffset % 1000).padStart(3, '0')}${text}`);
        stops.set(stopMinute, list);
      }
    }
    out.sort((a, b) => a[0] - b[0]);
    for (const [, text] of out) yield text;
  }
}

/** Writes `gitpod-events.ndjson.gz` in `outDir`. Same seed, end and days give the same bytes. */
export async function writeGitpodSampleEvents(opts: GitpodSampleOptions): Promise<GitpodSampleResult> {
  const days = opts.days ?? 35;
  const end = new Date(Math.floor((opts.end ?? new Date()).getTime() / MINUTE_MS) * MINUTE_MS);
  const badStart = end.getTime() - 14 * DAY_MS;
  const badEnd = end.getTime() - 7 * DAY_MS;
  await mkdir(opts.outDir, { recursive: true });
  const file = join(opts.outDir, 'gitpod-events.ndjson.gz');
  let count = 0;
  const source = Readable.from(
    (function* () {
      let batch = '';
      for (const l of lines({ days, end, seed: opts.seed ?? 1 }, badStart, badEnd)) {
        count++;
        batch += `${l}\n`;
        if (batch.length > 1 << 16) {
          yield batch;
          batch = '';
        }
      }
      if (batch !== '') yield batch;
    })(),
  );
  await pipeline(source, createGzip(), createWriteStream(file));
  return {
    file,
    lines: count,
    start: new Date(end.getTime() - days * DAY_MS).toISOString(),
    end: end.toISOString(),
    badWeek: { start: new Date(badStart).toISOString(), end: new Date(badEnd).toISOString() },
  };
}
