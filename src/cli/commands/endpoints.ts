import type { CliIo } from '../io';

export const summary = 'not implemented yet';

export async function run(_args: string[], io: CliIo): Promise<number> {
  io.stderr.write('budget-lens endpoints: not implemented yet\n');
  return 2;
}
