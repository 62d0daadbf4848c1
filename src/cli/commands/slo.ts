/**
 * `budget-lens slo lint|list|status`: the project's objectives (docs/objectives.md): the native list of
 * `.budgetlens.yml` and the OpenSLO v1 files its `objectives.files` names.
 *   lint    every finding as `file:line:col: severity: message [code]`; exit 1 on an error
 *   list    one line per objective (or --json, the ObjectiveSpecs); findings on stderr; exit 1 on an error
 *   status  each objective through the Budget API's `objectives` (BudgetApi.objectives) on any
 *           backend (Prometheus, the store, a remote `budget-lens serve`): SLI vs target, budget
 *           left, status, burn rate 1 h and the queries; --json prints the API's answer; exit 1 when
 *           an objective could not be evaluated, 2 when the backend evaluates none
 *           --where indexes the workspace and says where each is attached (@slo places, path rules)
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CONFIG_FILE_NAME,
  findWorkspaceRoot,
  InvalidQueryError,
  NotFoundError,
  parseAtParam,
  budgetLeftText,
  foldedQueries,
  formatFactor,
  sliCountsText,
  targetPercentText,
  TOKEN_ENV_VAR,
  UnknownScopeError,
  loadProjectConfig,
  objectiveMethodText,
  objectiveSliText,
  objectiveTargetText,
  objectiveWindowText,
  openProjectObjectives,
  openWorkspace,
  toWorkspacePath,
} from '../../sdk';
import type { ApiResult, ObjectiveBudget, ObjectiveQuery, ObjectiveRange, ObjectiveSpec, ProjectConfig, ProjectObjectives } from '../../sdk';
import { openBackend } from '../backend';
import type { BackendFlags } from '../backend';
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { alignColumns, count, formatFinding, parseCommandArgs, reportInputError, writeJson, writeLines } from '../mappingOutput';

export const summary = 'Check or list the objectives (OpenSLO files, objectives: in .budgetlens.yml); exit 1 on errors';

const USAGE = `usage: budget-lens slo lint [--json] [--root dir]
       budget-lens slo list [--where] [--json] [--root dir]
       budget-lens slo status [--name n] [--at time] [--json] [--root dir] [--prometheus url | --store path | --api url]

  lint        check the objectives: every finding as file:line:col; exit 1 on an error
  list        one line per objective: name, target, window, budgeting method, SLI, where
  status      evaluate the objectives on the backend: SLI vs target, budget left, status,
              burn rate over the last hour and the queries sent (docs/objectives.md "Prometheus");
              --json prints the Budget API's /objectives answer; exit 1 when one could not be
              evaluated
  --where     list: index the workspace and add where each objective is attached: its
              category / group, the @slo annotations naming it, the path rules naming it
  --name n    status: only this objective
  --at time   status: evaluation time, unix seconds or RFC 3339 (default: now)
  --prometheus url, --store path, --api url
              status: the backend (default: backend: in .budgetlens.yml, else the store
              .budgetlens/store.db); a Budget API evaluates its own project's objectives;
              token: environment variable ${TOKEN_ENV_VAR}
  --root dir  project root (default: the nearest directory with .budgetlens.yml)
  --json      machine-readable output
`;

const OPTIONS = {
  root: { type: 'string' },
  json: { type: 'boolean', default: false },
  where: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  name: { type: 'string' },
  at: { type: 'string' },
  prometheus: { type: 'string' },
  store: { type: 'string' },
  api: { type: 'string' },
} as const;

const STATUS_ONLY = ['name', 'at', 'prometheus', 'store', 'api'] as const;

function chooseRoot(io: CliIo, root: string | undefined): string {
  if (root !== undefined) {
    const abs = resolve(io.cwd, root);
    if (!existsSync(abs)) throw new UsageError(`--root: no such directory: ${root}`);
    return abs;
  }
  return findWorkspaceRoot(io.cwd) ?? io.cwd;
}

async function load(io: CliIo, rootFlag: string | undefined): Promise<{ root: string; config: ProjectConfig; result: ProjectObjectives }> {
  const root = chooseRoot(io, rootFlag);
  const file = join(root, CONFIG_FILE_NAME);
  if (!existsSync(file)) throw new UsageError(`no ${CONFIG_FILE_NAME} in ${root}: objectives are listed under objectives: there (see docs/objectives.md)`);
  const config = await loadProjectConfig(file);
  return { root, config, result: await openProjectObjectives({ root, config }) };
}

/** Where one objective is attached (`slo list --where`). */
export interface ObjectiveAttachmentSummary {
  category?: string;
  group?: string;
  /** The `@slo` ranges naming it: file, tag line, the function/class (or file) it covers. */
  annotations: { file: string; line: number; scope: ObjectiveRange['scope']; name: string }[];
  /** The objectives.pathRules patterns naming it, in file order. */
  pathRules: string[];
}

/** Indexes the workspace (unknown_objective findings of @slo names join the findings) and sums up every objective's attachments. */
async function attachments(root: string, config: ProjectConfig, result: ProjectObjectives): Promise<{ byName: Map<string, ObjectiveAttachmentSummary>; findings: ProjectObjectives['findings'] }> {
  const ws = await openWorkspace({ root });
  await ws.index.build();
  const byName = new Map<string, ObjectiveAttachmentSummary>();
  for (const o of result.objectives) {
    byName.set(o.name, { ...(o.category ? { category: o.category } : {}), ...(o.group ? { group: o.group } : {}), annotations: [], pathRules: [] });
  }
  for (const r of ws.index.objectiveAnnotations()) {
    for (const name of r.objectives) byName.get(name)?.annotations.push({ file: r.file, line: r.line, scope: r.scope, name: r.name });
  }
  for (const rule of config.objectives.pathRules) for (const name of rule.objectives) byName.get(name)?.pathRules.push(rule.pattern);
  const findings = ws.index.findings().filter((f) => f.code === 'unknown_objective');
  return { byName, findings };
}

/** `category workspace_start; 3 @slo; 1 path rule`, or `-`. */
export function attachmentText(a: ObjectiveAttachmentSummary | undefined): string {
  if (!a) return '-';
  const parts: string[] = [];
  if (a.category) parts.push(`category ${a.category}`);
  if (a.group) parts.push(`group ${a.group}`);
  if (a.annotations.length > 0) {
    const files = new Set(a.annotations.map((x) => x.file));
    parts.push(`${a.annotations.length} @slo in ${files.size === 1 ? [...files][0]! : count(files.size, 'file')}`);
  }
  if (a.pathRules.length > 0) parts.push(count(a.pathRules.length, 'path rule'));
  return parts.join('; ') || '-';
}

function summaryLine(result: ProjectObjectives): string {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  const notes = result.findings.length - errors - warnings;
  return `${count(result.objectives.length, 'objective')}; ${count(errors, 'error')}, ${count(warnings, 'warning')}, ${count(notes, 'note')}`;
}

/** The spec with its location relative to the root. */
function relativeSpec(root: string, o: ObjectiveSpec): ObjectiveSpec {
  return { ...o, location: { ...o.location, file: toWorkspacePath(root, o.location.file) } };
}

export function listRows(root: string, objectives: readonly ObjectiveSpec[], where?: ReadonlyMap<string, ObjectiveAttachmentSummary>): string[] {
  const rows = objectives.map((o) => [
    o.name,
    objectiveTargetText(o),
    objectiveWindowText(o),
    objectiveMethodText(o),
    objectiveSliText(o),
    [o.category, o.group].filter((x) => x !== undefined).join(' / ') || '-',
    `${toWorkspacePath(root, o.location.file)}:${o.location.line}`,
    ...(where ? [attachmentText(where.get(o.name))] : []),
  ]);
  return alignColumns([['name', 'target', 'window', 'method', 'sli', 'category / group', 'defined at', ...(where ? ['attached'] : [])], ...rows]);
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, true);
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    io.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (sub !== 'lint' && sub !== 'list' && sub !== 'status') throw new UsageError(`unknown subcommand '${sub}' (lint, list or status)`);
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  if (sub !== 'status') {
    const misplaced = STATUS_ONLY.find((k) => values[k] !== undefined);
    if (misplaced !== undefined) throw new UsageError(`--${misplaced} is an option of 'slo status'`);
  }
  let loaded;
  try {
    loaded = await load(io, values.root);
  } catch (e) {
    return reportInputError(io, `slo ${sub}`, e);
  }
  const { root, config } = loaded;
  let result = loaded.result;
  let where: Map<string, ObjectiveAttachmentSummary> | undefined;
  if (values.where) {
    if (sub !== 'list') throw new UsageError('--where goes with slo list');
    try {
      const attached = await attachments(root, config, result);
      where = attached.byName;
      result = { ...result, findings: [...result.findings, ...attached.findings] };
    } catch (e) {
      return reportInputError(io, `slo ${sub}`, e);
    }
  }
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  if (sub === 'status') return status(io, values, loaded);
  if (sub === 'lint') {
    if (values.json) writeJson(io, { objectives: result.objectives.length, findings: result.findings });
    else {
      writeLines(io, result.findings.map(formatFinding));
      io.stderr.write(`${summaryLine(result)}\n`);
    }
  } else if (values.json) {
    writeJson(io, result.objectives.map((o) => (where ? { ...relativeSpec(root, o), attached: where.get(o.name) } : relativeSpec(root, o))));
    writeLines({ ...io, stdout: io.stderr }, result.findings.map(formatFinding));
  } else {
    if (result.objectives.length > 0) writeLines(io, listRows(root, result.objectives, where));
    writeLines({ ...io, stdout: io.stderr }, result.findings.map(formatFinding));
    io.stderr.write(`${summaryLine(result)}\n`);
  }
  return errors > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// slo status

interface StatusFlags {
  name?: string;
  at?: string;
  prometheus?: string;
  store?: string;
  api?: string;
  json: boolean;
}

/** One objective of `slo status`: the Budget API's answer for it (`/objectives`). */
export type SloStatusEntry = ObjectiveBudget;

function queryLines(queries: readonly ObjectiveQuery[], windowLabel: string): string[] {
  const { main, burnWindows } = foldedQueries(queries, windowLabel);
  const burn = burnWindows.map((w) => `[${w}]`);
  const lines = main.map((q) => `${q.role.padEnd(6)} ${q.query}${q.kind === 'range' ? `  (range, step ${q.stepSeconds} s)` : ''}`);
  if (burn.length > 0) lines.push(`burn windows: the same over ${burn.join(' ')}`);
  return lines;
}

/** The objective's first line: from the local definition, else (a remote API's own objective) from the answer. */
function headLine(spec: ObjectiveSpec | undefined, o: ObjectiveBudget): string {
  if (spec === undefined) return `${o.name}  ${targetPercentText(o.target)} over ${o.window}, ${o.method}${o.sliceMinutes !== undefined ? ` ${o.sliceMinutes}m slices` : ''}, ${o.sli}`;
  return `${spec.name}  ${objectiveTargetText(spec)} over ${objectiveWindowText(spec)}, ${objectiveMethodText(spec)}, ${objectiveSliText(spec)}`;
}

function statusBlock(spec: ObjectiveSpec | undefined, o: ObjectiveBudget, queryLabel: string): string[] {
  const head = headLine(spec, o);
  const row = (k: string, v: string): string => `  ${k.padEnd(12)} ${v}`;
  if (o.figures === null || o.range === null) return [head, row('error', o.error?.message ?? 'not evaluated')];
  const burn = o.burnRate1h === null ? '- (no events in the last hour)' : formatFactor(o.burnRate1h);
  const out = [
    head,
    row('window', `${o.range.start} .. ${o.range.end}`),
    row('SLI', `${sliCountsText(o.figures)} vs target ${targetPercentText(o.target)}`),
    row('budget left', budgetLeftText(o.figures)),
    row('status', o.figures.status),
    row('burn 1h', burn),
  ];
  const firing = o.burnAlerts.filter((a) => a.firing).map((a) => a.name);
  if (firing.length > 0) out.push(row('alerts', `firing: ${firing.join(', ')}`));
  queryLines(o.queries, o.window).forEach((l, i) => out.push(row(i === 0 ? queryLabel : '', l)));
  for (const w of [...o.warnings, ...o.figures.warnings.map((x) => x.message)]) out.push(row('warning', w));
  return out;
}

/** The backend flags of `slo status` as the data commands read them (config: the project's). */
function backendFlags(flags: StatusFlags, configFile: string): BackendFlags {
  return { ...(flags.prometheus !== undefined ? { prometheus: flags.prometheus } : {}), ...(flags.store !== undefined ? { store: flags.store } : {}), ...(flags.api !== undefined ? { api: flags.api } : {}), config: configFile };
}

async function status(io: CliIo, flags: StatusFlags, loaded: { root: string; config: ProjectConfig; result: ProjectObjectives }): Promise<number> {
  const { result, root } = loaded;
  let at: Date | undefined;
  try {
    if (flags.at !== undefined) at = parseAtParam(flags.at, '--at');
  } catch (e) {
    if (InvalidQueryError.is(e)) throw new UsageError(e.message);
    throw e;
  }
  // A remote Budget API answers for its own project's objectives: it says when a name is unknown (404).
  const remote = flags.api !== undefined || (flags.prometheus === undefined && flags.store === undefined && loaded.config.backend?.kind === 'api');
  if (flags.name !== undefined && !remote && !result.objectives.some((o) => o.name === flags.name)) {
    const names = result.objectives.map((o) => o.name).join(', ') || 'none';
    throw new UsageError(`--name: no objective '${flags.name}' (objectives: ${names})`);
  }
  writeLines({ ...io, stdout: io.stderr }, result.findings.filter((f) => f.severity === 'error').map(formatFinding));
  const backend = await openBackend(io, backendFlags(flags, join(root, CONFIG_FILE_NAME)), { objectives: { objectives: result.objectives, root } });
  let answer: ApiResult<ObjectiveBudget[]>;
  try {
    // A remote Budget API evaluates its own project's objectives: all of them, or --name's.
    answer = await backend.api.objectives({ ...(flags.name !== undefined ? { names: [flags.name] } : {}), ...(at !== undefined ? { at } : {}) });
  } catch (e) {
    if (UnknownScopeError.is(e) || NotFoundError.is(e)) {
      io.stderr.write(`budget-lens slo status: ${backend.description}: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await backend.close();
  }
  const entries = answer.data;
  const unsupported = entries.length > 0 && entries.every((o) => o.error?.code === 'objectives_unsupported');
  if (unsupported && !flags.json) {
    io.stdout.write(`${backend.description}: ${entries[0]!.error!.message}\n`);
    return 2;
  }
  const failed = entries.filter((o) => o.figures === null).length;
  if (flags.json) writeJson(io, answer);
  else {
    const byName = new Map(result.objectives.map((o) => [o.name, o]));
    // The answer's order; an objective only the remote project defines is worded from its answer.
    const queryLabel = backend.kind === 'store' ? 'store' : 'PromQL';
    const blocks = entries.map((o) => statusBlock(byName.get(o.name), o, queryLabel).join('\n'));
    io.stdout.write(blocks.length === 0 ? 'no objectives\n' : `${blocks.join('\n\n')}\n`);
    io.stderr.write(`${count(entries.length, 'objective')} from ${backend.description}; ${failed} not evaluated\n`);
  }
  if (unsupported) return 2;
  return failed > 0 || result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
