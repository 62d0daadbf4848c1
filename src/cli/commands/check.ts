/**
 * `budget-lens check`: the CI gate. Checks the error budget of the named groups and categories
 * (and, with `--changed <range>`, of the categories a change touches and their groups) and exits
 * 0 when every one is within budget, 1 when one is over (GitLab's policy: reliability work comes
 * before feature work), 2 on an error or when a scope has no data. The figures are the backend's
 * own; which one decides is the engine's status (BudgetFigures.status, domain.md F3-F5, F12):
 *
 * - `over_budget` (spent > budget) -> over;
 * - `healthy` -> within;
 * - `low_traffic` (F12: one failure already breaks the target) -> within, with a note: the
 *   figure is noise and GitLab's policy does not judge such scopes;
 * - `no_data` (m = 0) -> no data: exit 2 unless `--allow-no-data`.
 *
 * The verdict of the whole check: error > over > no data > within.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { BACKEND_OPTIONS, BACKEND_USAGE, openBackend } from '../backend';
import type { OpenedBackend } from '../backend';
import { changedFiles, checkRange, GitError } from '../gitChanges';
import { loadIndexedWorkspace, parseCommandArgs } from '../mappingOutput';
import type { IndexedWorkspace } from '../mappingOutput';
import {
  BackendError,
  BackendTimeoutError,
  BudgetApiError,
  closestCategory,
  CONFIG_FILE_NAME,
  formatAvailability,
  formatMinutes,
  InputError,
  InvalidQueryError,
  InvalidRequestError,
  isPseudoCategory,
  NO_DATA_TEXT,
  parseAtParam,
  parseWindowParam,
  TOKEN_ENV_VAR,
  UnauthorizedError,
  UnknownScopeError,
} from '../../sdk';
import type { BudgetFigures, BudgetStatus, Catalog, FileMapping } from '../../sdk';

export const summary = 'CI gate: exit 0 within budget, 1 over budget, 2 on an error or no data (--changed <git range>: what a change touches)';

const USAGE = `usage: budget-lens check [--group key]... [--category name]... [--changed range]
                         [--allow-no-data] [--window 28d] [--at time] [--timeout s] [--json]

Checks the error budget of each scope and exits
  0  every scope within budget (a low-traffic scope counts as within; see below)
  1  a scope is over budget: by policy, reliability work comes before feature work
  2  an error (backend down or refusing, unknown scope, bad range...) or a scope with no data

  --group key       a group, e.g. pipeline_execution (repeatable)
  --category name   a feature category, e.g. continuous_integration (repeatable)
  --changed range   the categories of the files a git range changes, and their groups:
                    'git diff --name-only <range>' in the workspace root, each file mapped through
                    the workspace index (e.g. origin/main...HEAD, HEAD~1..HEAD); combines with the above
  --root dir        workspace for --changed (default: the nearest directory with .budgetlens.yml);
                    its .budgetlens.yml also names the backend unless --config or a flag does
  --allow-no-data   a scope without measurements in the window passes (exit 0) instead of exit 2
  --window w        28d (default), 7d, Nd or Nh
  --at time         end of the window: unix seconds or RFC 3339 (default: now); every scope shares it
  --timeout s       seconds each request may take (default: 10 for --api, 30 for --prometheus)
  --json            print {verdict, exitCode, scopes, ...} as JSON on stdout (errors too)

low traffic: a scope whose measurements m satisfy (1 - target) * m < 1 (F12, fewer than 2,000 at
99.95 %) has status low_traffic; it is reported, with its spend, but never fails the check.

${BACKEND_USAGE}
`;

export type ScopeVerdict = 'within' | 'over' | 'no_data';
export type CheckVerdict = ScopeVerdict | 'error';

/** One checked group or category: the backend's figures and what the gate makes of them. */
export interface CheckedScope {
  kind: 'group' | 'category';
  /** The group key or the category name. */
  key: string;
  /** The group's display name (groups only). */
  name?: string;
  /** The owning group (for a group, itself). */
  group: string;
  stage: string;
  verdict: ScopeVerdict;
  /** The engine's status: healthy, over_budget, low_traffic, no_data. */
  status: BudgetStatus;
  target: string;
  budgetMinutes: number;
  spentMinutes: number | null;
  remainingMinutes: number | null;
  availability: number | null;
  failures: number;
  measurements: number;
  lowTraffic: boolean;
  /** Why the verdict is not the obvious one (low traffic), or data-quality warnings. */
  notes: string[];
  /** With --changed: the changed files that map to this scope. */
  changedFiles?: string[];
}

export interface ChangedSummary {
  range: string;
  /** Every file the range changes under the workspace root. */
  files: string[];
  /** Changed files the index does not hold (deleted, ignored, binary, outside a nested project...). */
  notIndexed: string[];
  /** Changed files in the index with no budgeted category (no declaration, path rule or annotation). */
  unmapped: string[];
  /** Categories the index maps but that cannot be checked (unknown, not_owned, not in the catalog), with their files. */
  skipped: Array<{ category: string; reason: string; files: string[] }>;
}

export interface CheckResult {
  verdict: CheckVerdict;
  exitCode: 0 | 1 | 2;
  /** Where the figures came from (a path or URL, never a token). */
  source?: string;
  /** The window label and its end, shared by every scope. */
  window?: string;
  asOf?: string;
  changed?: ChangedSummary;
  scopes: CheckedScope[];
  /** With verdict 'error': what failed (the URL and status when a server answered, or did not). */
  error?: { message: string };
}

export interface CheckFlags {
  groups: string[];
  categories: string[];
  changed?: string;
  root?: string;
  catalog?: string;
  allowNoData: boolean;
  window?: string;
  at?: Date;
  timeoutMs?: number;
  json: boolean;
  help: boolean;
  backend: { store?: string; prometheus?: string; api?: string; catalog?: string; config?: string; 'max-backend-bytes'?: string };
}

const OPTIONS = {
  ...BACKEND_OPTIONS,
  group: { type: 'string', multiple: true },
  category: { type: 'string', multiple: true },
  changed: { type: 'string' },
  root: { type: 'string' },
  'allow-no-data': { type: 'boolean', default: false },
  window: { type: 'string' },
  at: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The flags, checked before anything opens: a missing scope, a bad time, window or range is exit 2. */
export function parseCheckArgs(args: string[]): CheckFlags {
  const { values } = parseCommandArgs(args, OPTIONS, false);
  const flags: CheckFlags = {
    groups: [...new Set(values.group ?? [])],
    categories: [...new Set(values.category ?? [])],
    changed: values.changed,
    root: values.root,
    catalog: values.catalog,
    allowNoData: values['allow-no-data'],
    window: values.window,
    json: values.json,
    help: values.help,
    backend: {
      store: values.store,
      prometheus: values.prometheus,
      api: values.api,
      catalog: values.catalog,
      config: values.config,
      'max-backend-bytes': values['max-backend-bytes'],
    },
  };
  if (flags.help) return flags;
  for (const [flag, list] of [['--group', flags.groups], ['--category', flags.categories]] as const) {
    if (list.some((v) => v.trim() === '')) throw new UsageError(`${flag}: expected a name, got an empty string`);
  }
  if (flags.groups.length === 0 && flags.categories.length === 0 && flags.changed === undefined) {
    throw new UsageError(`nothing to check: give --group, --category or --changed\n\n${USAGE}`);
  }
  if (flags.changed !== undefined) checkRange(flags.changed);
  if (flags.root !== undefined && flags.changed === undefined) throw new UsageError('--root is only used with --changed');
  try {
    if (values.at !== undefined) flags.at = parseAtParam(values.at, '--at');
    if (values.window !== undefined) parseWindowParam(values.window);
  } catch (e) {
    if (InvalidQueryError.is(e)) throw new UsageError(e.field === 'window' ? `--${e.message}` : e.message);
    throw e;
  }
  if (values.timeout !== undefined) {
    const s = Number(values.timeout);
    if (!/^\d+(\.\d+)?$/.test(values.timeout) || !(s > 0) || s > 600) throw new UsageError(`--timeout: expected seconds from 0 to 600, got '${values.timeout}'`);
    flags.timeoutMs = Math.round(s * 1000);
  }
  return flags;
}

/** The gate's reading of one scope's figures (see the file comment). */
export function scopeVerdict(f: Pick<BudgetFigures, 'status'>): ScopeVerdict {
  switch (f.status) {
    case 'over_budget':
      return 'over';
    case 'no_data':
      return 'no_data';
    case 'healthy':
    case 'low_traffic':
      return 'within';
  }
}

/** Error > over > no data > within; no data exits 0 only with --allow-no-data. No scope at all (a change touching no budgeted code) is within. */
export function overallVerdict(scopes: readonly Pick<CheckedScope, 'verdict'>[], allowNoData: boolean): { verdict: ScopeVerdict; exitCode: 0 | 1 | 2 } {
  if (scopes.some((s) => s.verdict === 'over')) return { verdict: 'over', exitCode: 1 };
  if (scopes.some((s) => s.verdict === 'no_data')) return { verdict: 'no_data', exitCode: allowNoData ? 0 : 2 };
  return { verdict: 'within', exitCode: 0 };
}

/** The notes a scope carries: low traffic (with spend over the budget or not) and data-quality warnings. */
export function scopeNotes(f: Pick<BudgetFigures, 'status' | 'remainingMinutes' | 'warnings'>): string[] {
  const notes: string[] = [];
  if (f.status === 'low_traffic') {
    const over = f.remainingMinutes !== null && f.remainingMinutes < 0;
    notes.push(`low traffic (F12: one failure already breaks the target)${over ? ': spend is over the budget, but' : ';'} not judged, counts as within`);
  }
  for (const w of f.warnings) notes.push(`data quality: ${w.message}`);
  return notes;
}

function checkedScope(
  kind: CheckedScope['kind'],
  key: string,
  owner: { name?: string; group: string; stage: string },
  f: BudgetFigures,
  changedFiles: string[] | undefined,
): CheckedScope {
  return {
    kind,
    key,
    ...(owner.name !== undefined ? { name: owner.name } : {}),
    group: owner.group,
    stage: owner.stage,
    verdict: scopeVerdict(f),
    status: f.status,
    target: f.target,
    budgetMinutes: f.budgetMinutes,
    spentMinutes: f.spentMinutes,
    remainingMinutes: f.remainingMinutes,
    availability: f.availability,
    failures: f.failures,
    measurements: f.measurements,
    lowTraffic: f.lowTraffic,
    notes: scopeNotes(f),
    ...(changedFiles !== undefined ? { changedFiles } : {}),
  };
}

/** What the changed files map to: each budgeted category with its files, and each group with the files of its categories. */
export interface ChangedScopes {
  summary: ChangedSummary;
  categories: Map<string, string[]>;
  groups: Map<string, string[]>;
}

/**
 * The categories of the changed files through the index: every range (declaration, inheritance,
 * annotation, path rule) and every endpoint of each file. `unknown` / `not_owned` and names the
 * catalog does not know are skipped (the linter reports those), and so is the pseudo-group.
 */
export function changedScopes(
  index: { fileMapping(file: string): FileMapping | undefined },
  catalog: Pick<Catalog, 'categories' | 'knownCategories' | 'groupOf'>,
  range: string,
  files: readonly string[],
): ChangedScopes {
  const summary: ChangedSummary = { range, files: [...files], notIndexed: [], unmapped: [], skipped: [] };
  const categories = new Map<string, string[]>();
  const groups = new Map<string, string[]>();
  const skipped = new Map<string, { reason: string; files: string[] }>();
  const add = (m: Map<string, string[]>, key: string, file: string): void => {
    const list = m.get(key) ?? [];
    if (!list.includes(file)) list.push(file);
    m.set(key, list);
  };
  for (const file of files) {
    const mapping = index.fileMapping(file);
    if (mapping === undefined) {
      summary.notIndexed.push(file);
      continue;
    }
    const names = new Set([...mapping.categories.map((r) => r.category), ...mapping.endpoints.map((e) => e.category)]);
    let budgeted = false;
    for (const category of [...names].sort()) {
      const reason = isPseudoCategory(category)
        ? 'no owner (pseudo-category)'
        : !catalog.categories.has(category) && !catalog.knownCategories.has(category)
          ? 'not in the catalog (see budget-lens lint)'
          : undefined;
      if (reason !== undefined) {
        const s = skipped.get(category) ?? { reason, files: [] };
        s.files.push(file);
        skipped.set(category, s);
        continue;
      }
      budgeted = true;
      add(categories, category, file);
      const group = catalog.groupOf(category).key;
      if (!isPseudoCategory(group)) add(groups, group, file);
    }
    if (!budgeted) summary.unmapped.push(file);
  }
  summary.skipped = [...skipped].sort(([a], [b]) => a.localeCompare(b)).map(([category, s]) => ({ category, ...s }));
  return {
    summary,
    categories: new Map([...categories].sort(([a], [b]) => a.localeCompare(b))),
    groups: new Map([...groups].sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** An error as one line: what failed, and where (the URL and status for a server, the path for a store). */
export function describeError(e: unknown, backend: Pick<OpenedBackend, 'description'> | undefined, env: NodeJS.ProcessEnv): string {
  if (UnauthorizedError.is(e)) {
    const hint = env[TOKEN_ENV_VAR] ? `the token in ${TOKEN_ENV_VAR} was refused` : `no token was sent: set ${TOKEN_ENV_VAR}`;
    return `${e.message}; ${hint}`;
  }
  if (InvalidRequestError.is(e)) return `--${e.field ?? 'query'}: ${e.message}`;
  if (BudgetApiError.is(e)) return e.message;
  if (InvalidQueryError.is(e)) return `--${e.message}`;
  if (BackendError.is(e) || BackendTimeoutError.is(e)) return backend ? `${backend.description}: ${e.message}` : e.message;
  if (UnknownScopeError.is(e) || e instanceof UsageError || e instanceof GitError || InputError.is(e)) return e.message;
  const message = e instanceof Error ? e.message : String(e);
  return backend ? `${backend.description}: ${message}` : message;
}

const STATE_TEXT: Record<BudgetStatus, string> = {
  over_budget: 'OVER BUDGET',
  healthy: 'within budget',
  low_traffic: 'low traffic',
  no_data: NO_DATA_TEXT,
};

function minutes(value: number | null): string {
  return value === null ? NO_DATA_TEXT : formatMinutes(value).slice(0, -' min'.length);
}

/** Columns left-aligned, the numeric ones (by index) right-aligned; trailing spaces trimmed. */
function table(rows: readonly string[][], numeric: ReadonlySet<number>, indent: string): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => (indent + row.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ')).trimEnd());
}

function scopeLabel(s: CheckedScope): string {
  return s.kind === 'group' ? `group ${s.key}${s.name !== undefined ? ` (${s.name})` : ''}` : `category ${s.key} (${s.group})`;
}

function list(keys: readonly string[]): string {
  return keys.length <= 5 ? keys.join(', ') : `${keys.slice(0, 5).join(', ')} and ${keys.length - 5} more`;
}

/** The verdict line: the exit code, and why. */
export function verdictLine(r: Pick<CheckResult, 'verdict' | 'exitCode' | 'scopes' | 'changed'>): string {
  const keys = (v: ScopeVerdict): string[] => r.scopes.filter((s) => s.verdict === v).map((s) => `${s.kind} ${s.key}`);
  switch (r.verdict) {
    case 'over':
      return `verdict: OVER BUDGET (exit 1): ${list(keys('over'))} spent more than the error budget; by policy, reliability work comes before feature work`;
    case 'no_data':
      return r.exitCode === 0
        ? `verdict: no data (exit 0, --allow-no-data): nothing measured for ${list(keys('no_data'))} in the window; the rest is within budget`
        : `verdict: NO DATA (exit 2): nothing measured for ${list(keys('no_data'))} in the window (--allow-no-data lets it pass)`;
    case 'within':
      if (r.scopes.length === 0) return `verdict: within budget (exit 0): the change touches no file of a budgeted category`;
      return `verdict: within budget (exit 0): ${r.scopes.length === 1 ? 'the scope is within its error budget' : `all ${r.scopes.length} scopes are within their error budgets`}`;
    case 'error':
      return `verdict: ERROR (exit 2)`;
  }
}

/** The human text: a header, one line per scope, notes, the verdict. */
export function formatCheck(r: CheckResult): string {
  const lines: string[] = [];
  lines.push(`Error budget check: ${r.window ?? '?'} window ending ${r.asOf ?? '?'}${r.source ? ` (${r.source})` : ''}`);
  if (r.changed) {
    const c = r.changed;
    const touched = r.scopes.filter((s) => s.changedFiles !== undefined && s.kind === 'category').map((s) => s.key);
    lines.push(`changed ${c.range}: ${c.files.length} ${c.files.length === 1 ? 'file' : 'files'}, ${touched.length ? `categories ${list(touched)}` : 'no budgeted category'}`);
    if (c.notIndexed.length) lines.push(`  not in the index (deleted, ignored or outside the workspace): ${list(c.notIndexed)}`);
    for (const s of c.skipped) lines.push(`  skipped category ${s.category}: ${s.reason} (${list(s.files)})`);
  }
  if (r.scopes.length) {
    lines.push(
      '',
      ...table(
        [
          ['scope', 'state', 'spent', 'budget', 'availability'],
          ...r.scopes.map((s) => [scopeLabel(s), STATE_TEXT[s.status], minutes(s.spentMinutes), minutes(s.budgetMinutes), formatAvailability(s.availability)]),
        ],
        new Set([2, 3, 4]),
        '  ',
      ),
      '  (spent and budget in budget-minutes: minutes of the window the error budget allows)',
    );
    for (const s of r.scopes) for (const n of s.notes) lines.push(`  ${s.kind} ${s.key}: ${n}`);
  }
  lines.push('', verdictLine(r));
  return `${lines.join('\n')}\n`;
}

function errorResult(message: string, partial: Partial<CheckResult> = {}): CheckResult {
  return { verdict: 'error', exitCode: 2, ...partial, scopes: [], error: { message } };
}

/** Runs the check; never throws: any failure is verdict 'error', exit 2. */
export async function check(flags: CheckFlags, io: CliIo): Promise<CheckResult> {
  const at = flags.at ?? new Date();
  let ws: IndexedWorkspace | undefined;
  let backend: OpenedBackend | undefined;
  let changed: ChangedScopes | undefined;
  try {
    if (flags.changed !== undefined) {
      ws = await loadIndexedWorkspace(io, { root: flags.root, catalog: flags.catalog, json: flags.json, help: false });
      const files = await changedFiles(ws.root, flags.changed);
      changed = changedScopes(ws.index, ws.catalog, flags.changed, files);
    }
    // With --changed the workspace's own .budgetlens.yml names the backend, wherever the command runs from.
    const config = flags.backend.config ?? (ws && existsSync(join(ws.root, CONFIG_FILE_NAME)) ? join(ws.root, CONFIG_FILE_NAME) : undefined);
    backend = await openBackend(io, { ...flags.backend, config }, flags.timeoutMs !== undefined ? { timeoutMs: flags.timeoutMs } : {});
    const groupKeys = [...new Set([...flags.groups, ...(changed?.groups.keys() ?? [])])];
    const categoryNames = [...new Set([...flags.categories, ...(changed?.categories.keys() ?? [])])];
    const q = { window: flags.window, at };
    const [groups, categories] = await Promise.all([
      groupKeys.length ? backend.api.groups(q) : undefined,
      categoryNames.length ? backend.api.categories(categoryNames, q) : undefined,
    ]);
    const scopes: CheckedScope[] = [];
    if (groups) {
      const byKey = new Map(groups.data.map((g) => [g.group, g]));
      for (const key of groupKeys) {
        const g = byKey.get(key);
        if (!g) throw new UnknownScopeError('group', key, closestCategory(key, byKey.keys()));
        scopes.push(checkedScope('group', key, { name: g.name, group: g.group, stage: g.stage }, g, changed?.groups.get(key)));
      }
    }
    for (const c of categories?.data ?? []) scopes.push(checkedScope('category', c.category, { group: c.group, stage: c.stage }, c, changed?.categories.get(c.category)));
    const meta = groups?.meta ?? categories?.meta;
    return {
      ...overallVerdict(scopes, flags.allowNoData),
      source: backend.description,
      ...(meta ? { window: meta.window.label, asOf: meta.asOf } : { window: flags.window ?? '28d', asOf: at.toISOString() }),
      ...(changed ? { changed: changed.summary } : {}),
      scopes,
    };
  } catch (e) {
    return errorResult(describeError(e, backend, io.env), {
      ...(backend ? { source: backend.description } : {}),
      ...(changed ? { changed: changed.summary } : {}),
    });
  } finally {
    ws?.index.dispose();
    await backend?.close().catch(() => undefined);
  }
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const flags = parseCheckArgs(args);
  if (flags.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const result = await check(flags, io);
  if (result.error) io.stderr.write(`budget-lens check: error: ${result.error.message}\n`);
  io.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : result.verdict === 'error' ? '' : formatCheck(result));
  return result.exitCode;
}
