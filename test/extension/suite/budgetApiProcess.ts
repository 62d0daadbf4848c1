/**
 * A real Budget API for the extension-host suites: the built CLI (`dist/cli.js`, what
 * `npm run test:extension` builds first) ingests a request log written by the test into an
 * embedded SQLite store, then `budget-lens serve` runs as a child process on 127.0.0.1 with a
 * bearer token. A child process rather than in-process: the suite can stop it mid-session like a
 * server that goes away, and start it again on the same port.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BudgetApiProcess {
  /** Base URL, e.g. http://127.0.0.1:41234 (the client adds /api/v1). */
  url: string;
  port: number;
  /** What the server wrote to stderr (one JSON line per request). */
  stderr(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

function cli(repo: string): string {
  return join(repo, 'dist', 'cli.js');
}

/**
 * Runs `budget-lens <args>` to completion; rejects with its output on a non-zero exit. Resolves
 * with stdout and stderr together, or stdout alone with `stdoutOnly` (a report to compare).
 */
export function runCli(repo: string, args: string[], cwd: string, opts: { env?: Record<string, string>; stdoutOnly?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli(repo), ...args], { cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (opts.stdoutOnly ? (err += c.toString()) : (out += c.toString())));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`budget-lens ${args.join(' ')} exited with ${code}: ${out}${err}`))));
  });
}

export interface IngestedStore {
  /** The scratch folder holding the logs and the store (the server's cwd). */
  dir: string;
  store: string;
  /** GitLab's catalog as the example's .budgetlens.yml names it: catalog/gitlab in the repo. */
  catalogDir: string;
}

/**
 * Writes request logs (file name -> NDJSON lines) into a new scratch folder and ingests them
 * into a store there with the built CLI.
 */
export async function ingestLogs(repo: string, prefix: string, logs: Record<string, string[]>): Promise<IngestedStore> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const files = Object.entries(logs).map(([name, lines]) => {
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
    return join(dir, name);
  });
  const store = join(dir, 'store.db');
  await runCli(repo, ['ingest', ...files, '--store', store], dir);
  return { dir, store, catalogDir: join(repo, 'catalog', 'gitlab') };
}

/**
 * Starts `budget-lens serve` on the store; `port` 0 picks a free one (pass the old one to restart);
 * `config` names the server's .budgetlens.yml (its manual adjustments, say).
 */
export function startBudgetApi(opts: { repo: string; store: string; catalogDir: string; token: string; cwd: string; port?: number; config?: string }): Promise<BudgetApiProcess> {
  const args = ['serve', '--store', opts.store, '--catalog', opts.catalogDir, '--port', String(opts.port ?? 0), '--cache-ttl-ms', '0', ...(opts.config !== undefined ? ['--config', opts.config] : [])];
  const child: ChildProcess = spawn(process.execPath, [cli(opts.repo), ...args], {
    cwd: opts.cwd,
    env: { ...process.env, BUDGET_LENS_SERVE_TOKEN: opts.token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`budget-lens serve printed no URL within 30 s: ${out} ${stderr}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`budget-lens serve exited with ${code}: ${stderr}`));
    });
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))\/api\/v1/.exec(out);
      if (!m?.[1] || !m[2]) return;
      clearTimeout(timer);
      resolve({
        url: m[1],
        port: Number(m[2]),
        stderr: () => stderr,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
