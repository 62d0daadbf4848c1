/**
 * Starts a real Prometheus (Debian `prometheus` 2.42) for integration tests: backfills the given
 * series with `promtool tsdb create-blocks-from openmetrics` into a temp dir, serves it on a free
 * loopback port, waits for /-/ready. `stop()` kills the process it started and removes the dir.
 * Recipe: docs/testing.md (a real Prometheus in tests).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toOpenMetrics, type Series } from './seriesBuilders';

const execFileP = promisify(execFile);

export interface MetricsServer {
  kind: 'prometheus' | 'victoriametrics';
  url: string;
  stop(): Promise<void>;
}

/** A port the OS just handed out on 127.0.0.1 (closed again before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx, the process dies, or `timeoutMs` passes. */
export async function waitUntilReady(url: string, proc: ChildProcess, timeoutMs: number, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode} before ready:\n${logs()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms:\n${logs()}`);
}

/** Spawns a server binary, capturing the tail of its output for failure messages. */
export function spawnServer(cmd: string, args: string[]): { proc: ChildProcess; logs: () => string; stop: () => Promise<void> } {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (b: Buffer): void => {
    tail = (tail + b.toString()).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { proc, logs: () => tail, stop };
}

/** Backfills `series` into `<dir>/data` with promtool. */
export async function backfillOpenMetrics(series: readonly Series[], dir: string): Promise<string> {
  const input = join(dir, 'series.om');
  const data = join(dir, 'data');
  await writeFile(input, toOpenMetrics(series));
  // --max-block-duration (a hidden flag in 2.42) writes a few long blocks instead of one per 2 h:
  // promtool re-reads the whole input per block, so 35 days took ~70 s with the default, <1 s with this.
  await execFileP('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=720h', input, data], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return data;
}

/**
 * Evaluates recording rule files over [start, end] against a running Prometheus and writes the
 * results as blocks into `outDir` (`promtool tsdb create-blocks-from rules`).
 */
export async function backfillRules(url: string, ruleFiles: string[], start: Date, end: Date, outDir: string): Promise<void> {
  await execFileP(
    'promtool',
    ['tsdb', 'create-blocks-from', 'rules', '--quiet', `--url=${url}`, `--start=${start.toISOString()}`, `--end=${end.toISOString()}`, `--output-dir=${outDir}`, ...ruleFiles],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}

/** Serves an existing TSDB directory; `stop()` kills the server and removes `removeOnStop`. */
export async function startPrometheusOnData(data: string, removeOnStop: string): Promise<MetricsServer> {
  const config = join(removeOnStop, 'prometheus.yml');
  await writeFile(config, '');
  const port = await freePort();
  const server = spawnServer('prometheus', [
    `--config.file=${config}`,
    `--storage.tsdb.path=${data}`,
    '--storage.tsdb.retention.time=3650d',
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await server.stop();
    await rm(removeOnStop, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(`${url}/-/ready`, server.proc, 30_000, server.logs);
  } catch (e) {
    await stop();
    throw e;
  }
  return { kind: 'prometheus', url, stop };
}

export async function startPrometheus(series: readonly Series[]): Promise<MetricsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'budget-lens-prom-'));
  let data: string;
  try {
    data = await backfillOpenMetrics(series, dir);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return startPrometheusOnData(data, dir);
}
