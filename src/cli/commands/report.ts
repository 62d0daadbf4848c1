/**
 * `budget-lens report`: the monthly error-budget report per stage group (GitLab handbook), as
 * Markdown (default) or JSON, from the store, Prometheus or a running Budget API.
 */
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { BACKEND_OPTIONS, BACKEND_USAGE, openBackend } from '../backend';
import { parseCommandArgs } from '../mappingOutput';
import { InvalidQueryError, parseAtParam, parseMonthParam, previousMonthOf, renderReportDocument } from '../../sdk';

export const summary = 'the monthly error-budget report per stage group (Markdown or JSON)';

const USAGE = `usage: budget-lens report [--month 2026-10] [--format md|json] [--at time]

  --month YYYY-MM     calendar month (UTC); default: the month before --at
  --format md|json    Markdown tables per stage (default) or the MonthlyReport JSON
  --at time           'now' for the default month: unix seconds or RFC 3339 (default: now)

${BACKEND_USAGE}
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { ...BACKEND_OPTIONS, month: { type: 'string' }, format: { type: 'string' }, at: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    false,
  );
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json') throw new UsageError(`--format: expected md or json, got '${format}'`);
  let at = new Date();
  try {
    if (values.at !== undefined) at = parseAtParam(values.at, '--at');
    // Checked before any backend opens: 0026-04 is not April 1926.
    if (values.month !== undefined) parseMonthParam(values.month, '--month');
  } catch (e) {
    if (InvalidQueryError.is(e)) throw new UsageError(e.message);
    throw e;
  }
  // The report published on the 4th is about the calendar month before `at`.
  const month = values.month ?? previousMonthOf(at.toISOString().slice(0, 7));
  const backend = await openBackend(io, values);
  try {
    const result = await backend.api.report(month);
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const stageNames = new Map([...(backend.catalog?.groups.values() ?? [])].map((g) => [g.stage, g.stageDisplayName]));
      io.stdout.write(renderReportDocument(result.data, { asOf: result.meta.asOf, now: Date.now(), source: backend.description, stageNames }));
    }
    return 0;
  } catch (e) {
    if (InvalidQueryError.is(e)) throw new UsageError(`--${e.message}`);
    throw e;
  } finally {
    await backend.close();
  }
}
