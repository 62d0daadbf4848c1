/**
 * `budget-lens <command>`: the CLI on top of the SDK. Each command lives in commands/<name>.ts
 * and exports `summary` and `run(args, io)`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo, CommandSpec } from './io';
import { UsageError, processIo } from './io';

type CommandModule = Omit<CommandSpec, 'name'>;

/**
 * The commands, each loaded when it runs (or for the usage text): `endpoints` need not load the
 * server, the store and the HTTP client. Loading all of them at start cost ~370 ms of CPU and
 * ~10 MB under tsx, a tenth of a cold `endpoints` on a GitLab checkout.
 */
const COMMANDS: { name: string; load: () => Promise<CommandModule> }[] = [
  { name: 'serve', load: () => import('./commands/serve') },
  { name: 'ingest', load: () => import('./commands/ingest') },
  { name: 'sample', load: () => import('./commands/sample') },
  { name: 'map', load: () => import('./commands/map') },
  { name: 'endpoints', load: () => import('./commands/endpoints') },
  { name: 'lint', load: () => import('./commands/lint') },
  { name: 'slo', load: () => import('./commands/slo') },
  { name: 'report', load: () => import('./commands/report') },
  { name: 'status', load: () => import('./commands/status') },
  { name: 'overview', load: () => import('./commands/overview') },
  { name: 'check', load: () => import('./commands/check') },
  { name: 'store', load: () => import('./commands/store') },
];

/** Every command with its summary (loads them all). */
export async function commands(): Promise<CommandSpec[]> {
  return Promise.all(COMMANDS.map(async (c) => ({ name: c.name, ...(await c.load()) })));
}

async function usage(): Promise<string> {
  const all = await commands();
  const width = Math.max(...all.map((c) => c.name.length));
  return [
    'usage: budget-lens <command> [options]',
    '',
    ...all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
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
    io.stdout.write(await usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(`budget-lens ${cliVersion()}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`budget-lens: unknown command '${name}'\n\n${await usage()}`);
    return 2;
  }
  try {
    const command = await entry.load();
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
