/**
 * `budget-lens serve` as a child process, run from the TypeScript sources with the repo's tsx (so
 * it works from any cwd, e.g. a temporary directory), resolved once it prints its URL.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO = resolve(__dirname, '../..');

export interface ServeProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>`, without the `/api/v1` the server prints after it. */
  url: string;
  /** Everything the server wrote on stderr so far (its JSON request log). */
  stderr: () => string;
  /** SIGKILL, when it is still running. */
  kill: () => void;
}

/** Starts `budget-lens serve <args> --port 0` in `cwd`; rejects if it exits or prints no URL in 30 s. */
export async function startServe(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ServeProcess> {
  const tsx = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', tsx, join(REPO, 'src/cli/main.ts'), 'serve', ...args, '--port', '0'], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`serve did not print its URL: ${out} ${stderr}`)), 30_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        done(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`serve exited with ${code}: ${stderr}`));
    });
  });
  return {
    child,
    url,
    stderr: () => stderr,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
