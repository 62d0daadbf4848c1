/**
 * npm run bench:backend-limit — `budget-lens serve --prometheus <stub>` under a 50 MiB answer.
 *
 * A stub Prometheus in a child process answers every query with a valid vector answer of the size
 * the scenario sets, streamed with back-pressure (no Content-Length, so only counting can stop it).
 * `budget-lens serve` (dist/cli.js, cache off) runs in another; one or three group requests go
 * out at once, each a fresh `at` (so each runs its own 5 Prometheus queries), while /healthz is
 * asked every 20 ms until the answers are in. Figures per scenario: the child's
 * peak RSS (VmHWM from /proc), the slowest and median /healthz, the time to the last answer, the
 * statuses.
 *
 * Baseline, same run: the same with a small (~1 KiB) answer. Scenarios: 50 MiB (over the default
 * 8 MiB limit: 502 backend_too_large), and 6 MiB (under it: parsed and served, the most one
 * answer can cost now). Target (issue 12): peak RSS under 150 MB with a 50 MiB answer; /healthz
 * prompt meanwhile (before the limit: ~990 MB, 1.12 GB with three requests, /healthz stalled 3.3 s).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { drainOrClose } from '../test/support/drain';

const MIB = 1024 * 1024;
const HEALTH_EVERY_MS = 20;
const TARGET_PEAK_RSS_MB = 150;
const REPO = join(__dirname, '..');
const CLI = join(REPO, 'dist', 'cli.js');

const HEAD = '{"status":"success","data":{"resultType":"vector","result":[';
const TAIL = ']}}';
function sample(i: number): string {
  return `{"metric":{"feature_category":"team_planning","n":"${String(i).padStart(7, '0')}"},"value":[1733400000,"1"]}`;
}

/** A ~64 KiB block of samples; repeated, it makes an answer of any size. */
const BLOCK = (() => {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 64 * 1024; i++) {
    const s = `,${sample(i)}`;
    parts.push(s);
    size += s.length;
  }
  return parts.join('');
})();

async function streamAnswer(res: ServerResponse, bytes: number): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write(HEAD + sample(0));
  for (let sent = 0; sent < bytes && !res.destroyed; sent += BLOCK.length) {
    if (!res.write(BLOCK)) {
      await drainOrClose(res);
    }
  }
  if (!res.destroyed) res.end(TAIL);
}

interface Figures {
  name: string;
  startRssMb: number;
  peakRssMb: number;
  healthMaxMs: number;
  healthP50Ms: number;
  healthCount: number;
  lastAnswerMs: number;
  statuses: string;
  backendRequests: number;
}

function procStatusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Math.round(Number(m[1]) / 1024);
}

/** `--stub <bytes>`: the stub Prometheus, in its own process (so its writing never delays the /healthz timing here). */
async function runStub(answerBytes: number): Promise<void> {
  let backendRequests = 0;
  const stub = createServer((req, res) => {
    backendRequests++;
    req.resume();
    void streamAnswer(res, answerBytes);
  });
  await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
  process.on('message', () => process.send?.(backendRequests));
  process.send?.(`http://127.0.0.1:${(stub.address() as AddressInfo).port}`);
}

async function scenario(name: string, answerBytes: number, REQUESTS: number): Promise<Figures> {
  const stubProc = spawn(process.execPath, ['--import', 'tsx', __filename, '--stub', String(answerBytes)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const stubUrl = await new Promise<string>((resolve) => stubProc.once('message', (m) => resolve(String(m))));
  const child = spawn(process.execPath, [CLI, 'serve', '--prometheus', stubUrl, '--port', '0', '--cache-ttl-ms', '0', '--deadline-ms', '60000'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', process.env['BENCH_DEBUG'] ? 'inherit' : 'ignore'],
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
    });
    // Warm up: one small health check, so startup is not counted as request latency.
    await (await fetch(`${base}/api/v1/healthz`)).text();
    const pid = child.pid!;
    const startRssMb = procStatusMb(pid, 'VmRSS');
    const t0 = performance.now();
    let lastAnswerMs = 0;
    const answers = Array.from({ length: REQUESTS }, async (_, i) => {
      const at = new Date(Date.UTC(2024, 11, 1) + (i + 1) * 60_000).toISOString();
      const res = await fetch(`${base}/api/v1/groups/project_management?at=${at}`);
      const body = await res.text();
      lastAnswerMs = Math.max(lastAnswerMs, performance.now() - t0);
      const code = res.status === 200 ? '' : ` ${(JSON.parse(body) as { error?: { code?: string } }).error?.code ?? ''}`;
      return `${res.status}${code}`;
    });
    let done = false;
    const all = Promise.all(answers).finally(() => (done = true));
    const health: number[] = [];
    while (!done) {
      const h0 = performance.now();
      const r = await fetch(`${base}/api/v1/healthz`);
      await r.text();
      health.push(performance.now() - h0);
      await new Promise((r) => setTimeout(r, HEALTH_EVERY_MS));
    }
    const statuses = await all;
    const peakRssMb = procStatusMb(pid, 'VmHWM');
    stubProc.send('count?');
    const backendRequests = await new Promise<number>((resolve) => stubProc.once('message', (m) => resolve(Number(m))));
    health.sort((a, b) => a - b);
    return {
      name,
      startRssMb,
      peakRssMb,
      healthMaxMs: health.at(-1) ?? 0,
      healthP50Ms: health[Math.floor(health.length / 2)] ?? 0,
      healthCount: health.length,
      lastAnswerMs,
      statuses: [...new Set(statuses)].join(', '),
      backendRequests,
    };
  } finally {
    child.kill('SIGKILL');
    stubProc.kill('SIGKILL');
  }
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm run bench:backend-limit does)`);
  const runs = [
    await scenario('baseline: ~1 KiB answers, 1 request', 0, 1),
    await scenario('50 MiB answers, 1 request', 50 * MIB, 1),
    await scenario('50 MiB answers, 3 requests at once', 50 * MIB, 3),
    await scenario('6 MiB answers (under 8 MiB), 1 request', 6 * MIB, 1),
  ];
  const base = runs[0]!;
  console.log(`dist/cli.js serve --prometheus <stub> (default limit), group requests, /healthz every ${HEALTH_EVERY_MS} ms meanwhile\n`);
  console.log('scenario                                  start RSS  peak RSS (x baseline)  /healthz max     p50   n  last answer  statuses (backend queries)');
  for (const f of runs) {
    console.log(
      `${f.name.padEnd(41)} ${`${f.startRssMb} MB`.padStart(9)}  ${`${f.peakRssMb} MB`.padStart(8)} (${(f.peakRssMb / base.peakRssMb).toFixed(2)}x)      ${`${f.healthMaxMs.toFixed(1)} ms`.padStart(10)}  ${`${f.healthP50Ms.toFixed(1)} ms`.padStart(7)} ${String(f.healthCount).padStart(3)}  ${`${Math.round(f.lastAnswerMs)} ms`.padStart(11)}  ${f.statuses} (${f.backendRequests})`,
    );
  }
  const big = runs[1]!;
  console.log(`\ntarget: peak RSS under a 50 MiB answer < ${TARGET_PEAK_RSS_MB} MB: ${big.peakRssMb} MB, ${big.peakRssMb < TARGET_PEAK_RSS_MB ? 'met' : 'NOT met'}`);
}

if (process.argv[2] === '--stub') void runStub(Number(process.argv[3]));
else void main();
