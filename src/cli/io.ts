/** What a CLI command gets: its argv tail and streams, so tests can run commands in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A command returns its exit code. Usage errors print to stderr and return 2. */
export type CommandRun = (args: string[], io: CliIo) => Promise<number>;

export interface CommandSpec {
  name: string;
  summary: string;
  run: CommandRun;
}

/** Thrown for bad flags; main prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}
