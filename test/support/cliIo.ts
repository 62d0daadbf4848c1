/** A CliIo for running a CLI command in-process, with what it printed on stdout and stderr. */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/io';

export function captureIo(cwd: string, env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdout, stderr, cwd, env }, out: () => out, err: () => err };
}
