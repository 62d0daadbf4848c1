/**
 * `budget-lens overview`: one screen of text for a workspace — each group its endpoints belong to
 * (spent / budget / remaining budget-min and the state), the groups over budget named, and each
 * of those groups' top failing endpoints with the `file:line` that defines them (looked up in the
 * workspace index). The figures come from the backend (`--api` for a running `budget-lens serve`)
 * as they are; this command only picks, orders and words them. `npm start` prints it once the
 * sample server answers.
 */
import { isAbsolute, join, relative } from 'node:path';
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { BACKEND_OPTIONS, BACKEND_USAGE, openBackend } from '../backend';
import { COMMON_OPTIONS, loadIndexedWorkspace, parseCommandArgs, reportInputError } from '../mappingOutput';
import {
  formatMinutes,
  formatPercent,
  InvalidQueryError,
  InvalidRequestError,
  NO_DATA_TEXT,
  parseAtParam,
} from '../../sdk';
import type { BudgetStatus, EndpointRow, GroupBudget, ResultMeta } from '../../sdk';

export const summary = "a workspace's groups at a glance: spent/budget/remaining, state, the over-budget groups' top endpoints with file:line";

const DEFAULT_TOP = 3;

const USAGE = `usage: budget-lens overview [--root dir] [--top ${DEFAULT_TOP}] [--window 28d] [--at time] [--json]

  --root dir      workspace whose groups to show (default: the nearest directory with .budgetlens.yml)
  --top n         top failing endpoints listed per over-budget group (default ${DEFAULT_TOP})
  --window w      28d (default), 7d, Nd or Nh
  --at time       end of the window: unix seconds or RFC 3339 (default: now); every figure shares it
  --json          print {meta, groups, overBudget} as JSON

${BACKEND_USAGE}
`;

export interface OverviewOffender extends EndpointRow {
  /** Where the workspace defines the endpoint: a path as given to the reader (relative to the cwd when inside it), absent when it does not. */
  file?: string;
  line?: number;
}

export interface Overview {
  meta: ResultMeta;
  /** Where the figures come from, safe to print (a path or URL). */
  source: string;
  /** The workspace root as shown (relative to the cwd when inside it). */
  workspace: string;
  /** The groups of the workspace's endpoints, least remaining first (no data last). */
  groups: GroupBudget[];
  /** Each over-budget group with its top failing endpoints. */
  overBudget: Array<{ group: GroupBudget; offenders: OverviewOffender[] }>;
}

const STATE_TEXT: Record<BudgetStatus, string> = {
  over_budget: 'OVER BUDGET',
  healthy: 'within budget',
  low_traffic: 'low traffic',
  no_data: NO_DATA_TEXT,
};

/** `20.16`, `-250.39`: budget-minutes with 2 decimals (the unit is in the header). */
function minutes(value: number | null): string {
  return value === null ? NO_DATA_TEXT : formatMinutes(value).slice(0, -' min'.length);
}

/** Columns left-aligned, except the numeric ones (by index), right-aligned. */
function table(rows: string[][], numeric: ReadonlySet<number>, indent: string): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => (indent + row.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ')).trimEnd());
}

/** An endpoint with no failure spends nothing: it is not an offender, however it ranks. */
export function failingOnly<T extends Pick<EndpointRow, 'failures'>>(rows: readonly T[]): T[] {
  return rows.filter((e) => e.failures > 0);
}

export function formatOverview(o: Overview): string {
  const window = o.meta.window;
  const target = o.groups[0]?.target;
  const lines = [
    `Error budgets of ${o.workspace}: ${window.label} window ending ${o.meta.asOf}${target ? `, target ${target} %` : ''}`,
    `(${o.source})`,
    '',
  ];
  if (o.groups.length === 0) lines.push('  no group: the workspace defines no endpoint of a known category');
  else {
    lines.push(
      ...table(
        [
          ['group', 'key', 'spent', 'budget', 'remaining', 'state'],
          ...o.groups.map((g) => [g.name, g.group, minutes(g.spentMinutes), minutes(g.budgetMinutes), minutes(g.remainingMinutes), STATE_TEXT[g.status]]),
        ],
        new Set([2, 3, 4]),
        '  ',
      ),
      '  (budget-min: minutes of the window the error budget allows, spent by failed requests and jobs)',
    );
  }
  lines.push('');
  if (o.overBudget.length === 0) lines.push('No group of this workspace is over budget.');
  for (const { group: g, offenders } of o.overBudget) {
    const over = g.remainingMinutes === null ? '' : `, ${minutes(-g.remainingMinutes)} over`;
    lines.push(`Over budget: ${g.name} (${g.group}, stage ${g.stage}): ${minutes(g.spentMinutes)} of ${minutes(g.budgetMinutes)} budget-min spent${over}.`);
    if (offenders.length === 0) {
      lines.push('  (no endpoint with failures)');
      continue;
    }
    lines.push(`Top ${offenders.length} failing endpoints of ${g.name}:`);
    offenders.forEach((e, i) => {
      const failures = `${e.failures.toLocaleString('en-US')} ${e.failures === 1 ? 'failure' : 'failures'}`;
      lines.push(
        `  ${i + 1}. ${e.endpointId}`,
        `     ${failures} · ${minutes(e.spentMinutes)} budget-min · ${formatPercent(e.shareOfSpend)} of the group's spend`,
        `     ${e.file !== undefined ? `${e.file}:${e.line}` : '(not defined in this workspace)'}`,
      );
    });
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** A path as a reader at `cwd` would type it: relative when inside the cwd, absolute otherwise. */
function shownPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}

function positiveInt(flag: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n < 1 || n > 100) throw new UsageError(`${flag} needs an integer from 1 to 100, got '${v}'`);
  return n;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { ...BACKEND_OPTIONS, ...COMMON_OPTIONS, top: { type: 'string' }, window: { type: 'string' }, at: { type: 'string' } },
    false,
  );
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const top = positiveInt('--top', values.top, DEFAULT_TOP);
  let at: Date;
  try {
    // One evaluation time for every request, so the table and the offenders add up.
    at = values.at !== undefined ? parseAtParam(values.at, '--at') : new Date();
  } catch (e) {
    if (InvalidQueryError.is(e)) throw new UsageError(e.message);
    throw e;
  }
  let ws;
  try {
    ws = await loadIndexedWorkspace(io, values);
  } catch (e) {
    return reportInputError(io, 'overview', e);
  }
  const { index, catalog, root } = ws;
  let backend;
  try {
    backend = await openBackend(io, values);
  } catch (e) {
    index.dispose();
    throw e;
  }
  try {
    const keys = new Set<string>();
    for (const ep of index.endpoints()) if (catalog.isValidCategory(ep.category)) keys.add(catalog.groupOf(ep.category).key);
    const q = { window: values.window, at };
    const all = await backend.api.groups(q);
    const rank = (g: GroupBudget): number => g.remainingMinutes ?? Infinity;
    const groups = all.data.filter((g) => keys.has(g.group)).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
    const overBudget = await Promise.all(
      groups
        .filter((g) => g.status === 'over_budget')
        .map(async (group) => {
          const ranked = await backend.api.topEndpoints({ group: group.group }, { ...q, limit: top });
          const offenders = failingOnly(ranked.data.endpoints).map((e): OverviewOffender => {
            const def = index.endpoint(e.endpointId);
            return def ? { ...e, file: shownPath(io.cwd, join(root, def.file)), line: def.line } : { ...e };
          });
          return { group, offenders };
        }),
    );
    const overview: Overview = { meta: all.meta, source: backend.description, workspace: shownPath(io.cwd, root), groups, overBudget };
    io.stdout.write(values.json ? `${JSON.stringify(overview, null, 2)}\n` : formatOverview(overview));
    return 0;
  } catch (e) {
    if (InvalidQueryError.is(e)) throw new UsageError(`--${e.message}`);
    if (InvalidRequestError.is(e)) throw new UsageError(`--${e.field ?? 'query'}: ${e.message}`);
    throw e;
  } finally {
    await backend.close();
    index.dispose();
  }
}
