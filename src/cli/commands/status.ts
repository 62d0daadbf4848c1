/**
 * `budget-lens status --group <key>`: one group's budget at a glance: availability, spent and
 * remaining minutes, status, the top 5 endpoints spending it (F8) and the burn rates (F9-F11);
 * with --explain, how the figure is computed, worded as the editor's hover words it
 * (src/sdk/budget/explain.ts): F1 with the window's counts, the spend's apdex and error parts,
 * the window, the daily sparkline and the queries behind it.
 */
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { BACKEND_OPTIONS, BACKEND_USAGE, openBackend } from '../backend';
import { alignColumns, parseCommandArgs } from '../mappingOutput';
import {
  describeCatalogChange,
  exceptionExpiryText,
  exceptionUntilText,
  formatAvailability,
  formatCount,
  formatFactor,
  formatMinutes,
  formatPercent,
  InvalidQueryError,
  InvalidRequestError,
  NotFoundError,
  parseAtParam,
  UnknownScopeError,
  availabilityFormulaText,
  dailySparklineText,
  prometheusGraphUrl,
  scopeText,
  spendPartsText,
  windowRangeText,
} from '../../sdk';
import type { ApiResult, BurnRateRow, DailySeries, GroupBudget, TopEndpoints } from '../../sdk';

export const summary = "one group's budget: availability, spent/remaining minutes, top endpoints, burn rates";

const USAGE = `usage: budget-lens status --group <key> [--window 28d] [--at time] [--json]

  --group key     normalised group key, e.g. project_management
  --window w      28d (default), 7d, Nd or Nh
  --at time       end of the window: unix seconds or RFC 3339 (default: now)
  --explain       add how the figure is computed: the formula with this window's counts, the
                  spend's apdex and error parts, the daily spend and the queries sent (PromQL
                  with its Prometheus graph page, or the store)
  --json          print {group, topEndpoints, burnRates} as JSON (with --explain also daily)

${BACKEND_USAGE}
`;

export interface GroupStatus {
  group: ApiResult<GroupBudget>;
  topEndpoints: ApiResult<TopEndpoints>;
  burnRates: ApiResult<BurnRateRow[]>;
  /** With --explain: the group's daily series (the sparkline). */
  daily?: ApiResult<DailySeries>;
}

/** `How it is computed`, the plain-text twin of the editor hover's explained part. */
export function formatExplain(s: GroupStatus): string[] {
  const g = s.group.data;
  const meta = s.group.meta;
  const lines = ['', 'How it is computed', `  ${windowRangeText(meta)}`, `  availability ${availabilityFormulaText(g.counts)}`];
  if (g.measurements > 0) lines.push(`  ${spendPartsText(g.counts, g.measurements, meta.window)}`);
  if (s.daily) lines.push(`  daily spend ${dailySparklineText(s.daily.data)}`);
  const p = meta.provenance;
  if (p.kind === 'store') lines.push(`  source: the store ${p.source} (SQL over its hourly and daily rollups)`);
  else {
    lines.push(`  PromQL sent to ${p.source}:`);
    for (const q of p.queries) {
      lines.push(`    ${q}`);
      const url = prometheusGraphUrl(p.source, q);
      if (url) lines.push(`      open: ${url}`);
    }
  }
  return lines;
}

export function formatStatus(s: GroupStatus, explain = false): string {
  const g = s.group.data;
  const adj = g.adjusted;
  const lines = [
    `${g.name} (${g.group}, stage ${g.stage})`,
    `  window ${g.window.label} ending ${s.group.meta.asOf}, target ${g.target} %${g.customTarget ? ` (custom: ${g.customTarget.reason}; review ${exceptionUntilText(g.customTarget)}${g.customTarget.expired ? `, EXPIRED${g.customTarget.expiredBecause === 'traffic_share' ? `: ${exceptionExpiryText(g.customTarget)}` : ''}` : ''})` : ''}`,
    `  status        ${g.status}${g.warnings.length ? ` (${g.warnings.map((w) => w.message).join('; ')})` : ''}${adj ? `   adjusted: ${adj.status}` : ''}`,
    `  availability  ${formatAvailability(g.availability)}${adj ? `   adjusted: ${formatAvailability(adj.availability)}` : ''}`,
    `  budget        ${formatMinutes(g.budgetMinutes)}`,
    `  spent         ${formatMinutes(g.spentMinutes)}${adj ? `   adjusted: ${formatMinutes(adj.spentMinutes)}` : ''}`,
    `  remaining     ${formatMinutes(g.remainingMinutes)}${adj ? `   adjusted: ${formatMinutes(adj.remainingMinutes)}` : ''}`,
    `  traffic share ${formatPercent(g.trafficShare)}`,
  ];
  if (adj) {
    // Both figures, never silently one: the lines above say "as measured" by standing first.
    lines.push('', 'Manual adjustments (left out of the adjusted figures; the others are as measured)');
    for (const a of adj.adjustments) {
      lines.push(`  ${a.from} - ${a.to}  ${scopeText(a.scope)}: ${a.reason}${a.link ? ` (${a.link})` : ''}`);
      lines.push(`    counted ${a.counted.start} - ${a.counted.end}, removed ${formatCount(a.removedFailures)} failures of ${formatCount(a.removedMeasurements)} measurements`);
    }
  }
  const changes = s.group.meta.catalogChanges ?? [];
  if (changes.length > 0) {
    // Issue 15 item 1: the window spans a change of the catalog; no retroactive attribution.
    lines.push('', 'Catalog changes in the window (each hour counts for the group that owned its category then)');
    for (const c of changes) lines.push(`  ${describeCatalogChange(c)}`);
  }
  lines.push('', 'Top endpoints');
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
  if (explain) lines.push(...formatExplain(s));
  lines.push('', `Source: ${s.group.meta.provenance.kind} ${s.group.meta.provenance.source}`);
  return `${lines.join('\n')}\n`;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { ...BACKEND_OPTIONS, group: { type: 'string' }, window: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean', default: false }, explain: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
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
    const [g, top, burn, daily] = await Promise.all([
      backend.api.group(group, q),
      backend.api.topEndpoints({ group }, { ...q, limit: 5 }),
      backend.api.burnRates({ group }, { at }),
      values.explain ? backend.api.daily({ group }, q) : undefined,
    ]);
    const status: GroupStatus = { group: g, topEndpoints: top, burnRates: burn, ...(daily ? { daily } : {}) };
    io.stdout.write(values.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status, values.explain));
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
