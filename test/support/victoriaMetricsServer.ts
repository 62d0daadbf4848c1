/**
 * Starts a real single-node VictoriaMetrics (Debian `victoria-metrics` 1.79) for integration
 * tests on a free loopback port in a temp dir, imports the series through
 * /api/v1/import/prometheus (millisecond timestamps) and flushes them so queries see them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnServer, waitUntilReady, type MetricsServer } from './prometheusServer';
import { toPrometheusImport, type Series } from './seriesBuilders';

export async function startVictoriaMetrics(series: readonly Series[]): Promise<MetricsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'budget-lens-vm-'));
  const port = await freePort();
  const server = spawnServer('victoria-metrics', [
    `-storageDataPath=${dir}`,
    `-httpListenAddr=127.0.0.1:${port}`,
    '-retentionPeriod=100y',
    // Every test imports once and then only reads; a stale result cache would only hide bugs.
    '-search.disableCache',
    '-loggerLevel=ERROR',
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(`${url}/health`, server.proc, 30_000, server.logs);
    const res = await fetch(`${url}/api/v1/import/prometheus`, { method: 'POST', body: toPrometheusImport(series) });
    if (!res.ok) throw new Error(`import failed: HTTP ${res.status} ${await res.text()}`);
    const flush = await fetch(`${url}/internal/force_flush`);
    if (!flush.ok) throw new Error(`force_flush failed: HTTP ${flush.status}`);
    return { kind: 'victoriametrics', url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
