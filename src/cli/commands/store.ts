/**
 * `budget-lens store check [--store path]`: is the store sound? SQLite's `PRAGMA quick_check` of
 * the file, then every aggregate row's checksum (schema 3). Prints what was checked and each
 * damaged row's table, category or endpoint and time range. Exit 0 healthy, 1 damaged.
 * Read-only: works on a store on a read-only filesystem and changes nothing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { parseCommandArgs } from '../mappingOutput';
import { checkStore, DEFAULT_STORE_PATH, describeDamagedRow } from '../../sdk';

export const summary = "check the store: SQLite's quick_check and every stored row's checksum (exit 1 if damaged)";

const USAGE = `usage: budget-lens store check [--store path] [--json]

  --store path    the store (default ${DEFAULT_STORE_PATH})
  --json          print the result as JSON
  Exit 0 when the store is healthy, 1 when it is damaged or cannot be read.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    io.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'check') throw new UsageError(`unknown subcommand '${sub}' (expected: check)`);
  const { values } = parseCommandArgs(rest, { store: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } }, false);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const path = resolve(io.cwd, values.store ?? DEFAULT_STORE_PATH);
  if (!existsSync(path)) throw new UsageError(`no store at ${path}`);
  const result = checkStore(path);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return result.healthy ? 0 : 1;
  }
  const lines = [
    `store ${path}`,
    `  quick_check   ${result.quickCheck.join('; ')}`,
    `  rows checked  ${result.rowsChecked}`,
    `  damaged rows  ${result.damaged.length}${result.truncated ? '+ (first ones listed)' : ''}`,
    ...result.damaged.map((r) => `    ${describeDamagedRow(r)}`),
  ];
  if (result.error !== undefined) lines.push(`  error         ${result.error}`);
  lines.push(result.healthy ? 'healthy' : 'DAMAGED: these counts are refused by serve/report; re-ingest the logs of those hours into a fresh store');
  io.stdout.write(`${lines.join('\n')}\n`);
  return result.healthy ? 0 : 1;
}
