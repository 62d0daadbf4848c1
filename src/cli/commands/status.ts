/**
 * `budget-lens status --group <key>`: one group's budget at a glance: availability, spent and
 * remaining minutes, status, the top 5 endpoints spending it (F8) and the burn rates (F9-F11).
 */
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { BACKEND_OPTIONS, BACKEND_USAGE, openBackend } from '../backend';
import { alignColumns, parseCommandArgs } from '../mappingOutput';
import {
  exceptionExpiryText,
  exceptionUntilText,
  formatAvailability,
  formatFactor,
  formatMinutes,
  formatPercent,
  InvalidQueryError,
  InvalidRequestError,
  NotFoundError,
  parseAtParam,
  UnknownScopeError,
} from '../../sdk';
import type { ApiResult, BurnRateRow, GroupBudget, TopEndpoints } from '../../sdk';

export const summary = "one group's budget: availability, spent/remaining minutes, top endpoints, burn rates";

const USAGE = `usage: budget-lens status --group <key> [--window 28d] [--at time] [--json]

  --group key     normalised group key, e.g. project_management
  --window w      28d (default), 7d, Nd or Nh
  --at time       end of the window: unix seconds or RFC 3339 (default: now)
  --json          print {group, topEndpoints, burnRates} as JSON

${BACKEND_USAGE}
`;

export interface GroupStatus {
  group: ApiResult<GroupBudget>;
  topEndpoints: ApiResult<TopEndpoints>;
  burnRates: ApiResult<BurnRateRow[]>;
}

export function formatStatus(s: GroupStatus): string {
  const g = s.group.data;
  const lines = [
    `${g.name} (${g.group}, stage ${g.stage})`,
    `  window ${g.window.label} ending ${s.group.meta.asOf}, target ${g.target} %${g.customTarget ? ` (custom: ${g.customTarget.reason}; review ${exceptionUntilText(g.customTarget)}${g.customTarget.expired ? `, EXPIRED${g.customTarget.expiredBecause === 'traffic_share' ? `: ${exceptionExpiryText(g.customTarget)}` : ''}` : ''})` : ''}`,
    `  status        ${g.status}${g.warnings.length ? ` (${g.warnings.map((w) => w.message).join('; ')})` : ''}`,
    `  availability  ${formatAvailability(g.availability)}`,
    `  budget        ${formatMinutes(g.budgetMinutes)}`,
    `  spent         ${formatMinutes(g.spentMinutes)}`,
    `  remaining     ${formatMinutes(g.remainingMinutes)}`,
    `  traffic share ${formatPercent(g.trafficShare)}`,
    '',
    'Top endpoints',
  ];
  const eps = s.topEndpoints.data.endpoints;
  if (eps.length === 0) lines.push('  (no failures)');
  else {
    lines.push(
      ...alignColumns(
        [
          ['endpoint', 'failures', 'share', 'spent', 'own availability'],
          ...eps.map((e) => [e.endpointId, String(e.failures), formatPercent(e.shareOfSpend), formatMinutes(e.spentMinutes), formatAvailability(e.ownAvailability)]),
        ],
        '  ',
      ),
    );
  }
  lines.push('', 'Burn rates');
  lines.push(
    ...alignColumns(
      [
        ['window', 'burn rate', 'threshold', 'alert', 'budget gone in'],
        ...s.burnRates.data.map((b) => [
          b.window,
          formatFactor(b.burnRate),
          formatFactor(b.threshold),
          b.exceeded ? 'EXCEEDED' : 'ok',
          exhaustionText(b.daysToExhaustion),
        ]),
      ],
      '  ',
    ),
  );
  lines.push('', `Source: ${s.group.meta.provenance.kind} ${s.group.meta.provenance.source}`);
  return `${lines.join('\n')}\n`;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { ...BACKEND_OPTIONS, group: { type: 'string' }, window: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    false,
  );
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (!values.group) throw new UsageError(`--group <key> is required\n\n${USAGE}`);
  const group = values.group;
  let at: Date | undefined;
  try {
    if (values.at !== undefined) at = parseAtParam(values.at, '--at');
  } catch (e) {
    if (InvalidQueryError.is(e)) throw new UsageError(e.message);
    throw e;
  }
  const backend = await openBackend(io, values);
  try {
    const q = { window: values.window, at };
    const [g, top, burn] = await Promise.all([
      backend.api.group(group, q),
      backend.api.topEndpoints({ group }, { ...q, limit: 5 }),
      backend.api.burnRates({ group }, { at }),
    ]);
    const status: GroupStatus = { group: g, topEndpoints: top, burnRates: burn };
    io.stdout.write(values.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
    return 0;
  } catch (e) {
    if (InvalidQueryError.is(e)) throw new UsageError(`--${e.message}`);
    if (InvalidRequestError.is(e)) throw new UsageError(`--${e.field ?? 'query'}: ${e.message}`);
    if (UnknownScopeError.is(e) || NotFoundError.is(e)) {
      io.stderr.write(`budget-lens status: unknown group '${group}' (see 'budget-lens report' for the group keys)\n`);
      return 1;
    }
    throw e;
  } finally {
    await backend.close();
  }
}

/** F11 in words: 0 days means the budget is already spent, not "gone in 0.0 d". */
function exhaustionText(days: number | null): string {
  if (days === null) return '-';
  return days <= 0 ? 'already spent' : `${days.toFixed(1)} d`;
}
