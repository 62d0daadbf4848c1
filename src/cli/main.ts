/**
 * `budget-lens <command>`: the CLI on top of the SDK. Each command lives in commands/<name>.ts
 * and exports `summary` and `run(args, io)`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo, CommandSpec } from './io';
import { UsageError, processIo } from './io';
import * as serve from './commands/serve';
import * as ingest from './commands/ingest';
import * as sample from './commands/sample';
import * as map from './commands/map';
import * as endpoints from './commands/endpoints';
import * as lint from './commands/lint';
import * as report from './commands/report';
import * as status from './commands/status';
import * as overview from './commands/overview';

export const commands: CommandSpec[] = [
  { name: 'serve', ...serve },
  { name: 'ingest', ...ingest },
  { name: 'sample', ...sample },
  { name: 'map', ...map },
  { name: 'endpoints', ...endpoints },
  { name: 'lint', ...lint },
  { name: 'report', ...report },
  { name: 'status', ...status },
  { name: 'overview', ...overview },
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: budget-lens <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'budget-lens <command> --help' for a command's options; 'budget-lens --version' prints the version.",
    '',
  ].join('\n');
}

/**
 * The package's version, from the package.json above this file: `dist/cli.js` (the repo's build,
 * an installed tarball) has it one folder up, `src/cli/main.ts` (under tsx) two.
 */
export function cliVersion(): string {
  for (const file of [join(__dirname, '..', 'package.json'), join(__dirname, '..', '..', 'package.json')]) {
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
    if (manifest.name === 'budget-lens' && typeof manifest.version === 'string') return manifest.version;
  }
  return 'unknown';
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(`budget-lens ${cliVersion()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`budget-lens: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`budget-lens ${name}: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`budget-lens ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
