/**
 * `budget-lens slo lint|list|status`: the project's objectives (docs/objectives.md): the native list of
 * `.budgetlens.yml` and the OpenSLO v1 files its `objectives.files` names.
 *   lint    every finding as `file:line:col: severity: message [code]`; exit 1 on an error
 *   list    one line per objective (or --json, the ObjectiveSpecs); findings on stderr; exit 1 on an error
 *   status  each objective evaluated against Prometheus: SLI vs target, budget left, status, burn
 *           rate 1 h and the PromQL sent; exit 1 when an objective could not be evaluated, 2 when
 *           the backend is not Prometheus (store and Budget API objectives are not supported yet)
 *           --where indexes the workspace and says where each is attached (@slo places, path rules)
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CONFIG_FILE_NAME,
  evaluatePrometheusObjective,
  findWorkspaceRoot,
  InvalidQueryError,
  ObjectiveQueryError,
  parseAtParam,
  PrometheusClient,
  PrometheusError,
  TOKEN_ENV_VAR,
  loadProjectConfig,
  objectiveMethodText,
  objectiveSliText,
  objectiveTargetText,
  objectiveWindowText,
  openProjectObjectives,
  openWorkspace,
  toWorkspacePath,
} from '../../sdk';
import type { ExplainedQuery, ObjectiveRange, ObjectiveSpec, ProjectConfig, ProjectObjectives, PrometheusObjectiveStatus } from '../../sdk';
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { alignColumns, count, formatFinding, parseCommandArgs, reportInputError, writeJson, writeLines } from '../mappingOutput';

export const summary = 'Check or list the objectives (OpenSLO files, objectives: in .budgetlens.yml); exit 1 on errors';

const USAGE = `usage: budget-lens slo lint [--json] [--root dir]
       budget-lens slo list [--where] [--json] [--root dir]
       budget-lens slo status [--name n] [--at time] [--json] [--root dir] [--prometheus url | --store path | --api url]

  lint        check the objectives: every finding as file:line:col; exit 1 on an error
  list        one line per objective: name, target, window, budgeting method, SLI, where
  status      evaluate the objectives against Prometheus: SLI vs target, budget left, status,
              burn rate over the last hour and the PromQL sent (docs/objectives.md "Prometheus");
              exit 1 when one could not be evaluated
  --where     list: index the workspace and add where each objective is attached: its
              category / group, the @slo annotations naming it, the path rules naming it
  --name n    status: only this objective
  --at time   status: evaluation time, unix seconds or RFC 3339 (default: now)
  --prometheus url  status: the Prometheus to ask (default: backend: in .budgetlens.yml);
              token: environment variable ${TOKEN_ENV_VAR}
  --store path, --api url  status: objectives from these backends are not supported yet
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

/** One objective's line of `slo status --json`: the evaluation, or why there is none. */
export type SloStatusEntry =
  | ({ name: string; error?: undefined } & Omit<PrometheusObjectiveStatus, 'objective'>)
  | { name: string; error: { code: string; message: string; queries?: ExplainedQuery[] } };

/** Which backend answers: a Prometheus URL, or the kind that is not supported yet. */
function statusBackend(flags: StatusFlags, config: ProjectConfig): { kind: 'prometheus'; url: string } | { kind: 'store' | 'api' } {
  const chosen = (['prometheus', 'store', 'api'] as const).filter((k) => flags[k] !== undefined);
  if (chosen.length > 1) throw new UsageError(`choose one backend: --${chosen.join(', --')} were all given`);
  if (flags.prometheus !== undefined) {
    let url: URL;
    try {
      url = new URL(flags.prometheus);
    } catch {
      throw new UsageError(`--prometheus: '${flags.prometheus}' is not a URL (expected e.g. http://127.0.0.1:9090)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--prometheus: only http and https URLs are supported');
    if (url.username || url.password) throw new UsageError(`--prometheus: put credentials in ${TOKEN_ENV_VAR}, not in the URL`);
    return { kind: 'prometheus', url: flags.prometheus.replace(/\/+$/, '') };
  }
  if (flags.store !== undefined) return { kind: 'store' };
  if (flags.api !== undefined) return { kind: 'api' };
  const b = config.backend;
  if (b === undefined) throw new UsageError(`slo status needs a backend: --prometheus url, or backend: in ${CONFIG_FILE_NAME}`);
  return b.kind === 'prometheus' ? { kind: 'prometheus', url: b.url } : { kind: b.kind };
}

function percent(ratio: number | null): string {
  if (ratio === null) return '-';
  return `${Number((ratio * 100).toFixed(4))} %`;
}

function num(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : Number(n.toFixed(2)).toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function sliText(s: PrometheusObjectiveStatus): string {
  const f = s.figures;
  if (f.method === 'Occurrences') return `${percent(f.sli)} (${num(f.good)} good of ${num(f.total)} events)`;
  if (f.method === 'Timeslices') return `${percent(f.sli)} (${num(f.goodSlices)} good of ${num(f.goodSlices + f.badSlices)} slices; ${num(f.badSlices)} bad, ${num(f.emptySlices)} empty)`;
  return `${percent(f.sli)} (mean of ${num(f.judgedSlices)} slice ratios; ${num(f.emptySlices)} empty)`;
}

function budgetText(s: PrometheusObjectiveStatus): string {
  const f = s.figures;
  if (f.method === 'Occurrences') {
    if (f.budgetEvents === null || f.eventsLeft === null) return '- (no events)';
    return `${num(f.eventsLeft)} of ${num(f.budgetEvents)} events (${percent(f.remainingFraction)})`;
  }
  if (f.method === 'Timeslices') {
    if (f.slicesLeft === null || f.minutesLeft === null) return '- (no slices with events)';
    return `${num(f.slicesLeft)} of ${num(f.allowedBadSlices)} bad slices allowed; ${num(f.minutesLeft)} of ${num(f.budgetMinutes)} bad minutes`;
  }
  if (f.slicesLeft === null || f.minutesLeft === null) return '- (no slices with events)';
  return `${num(f.slicesLeft)} of ${num(f.budgetSlices)} slices; ${num(f.minutesLeft)} of ${num(f.budgetMinutes)} minutes`;
}

function queryLines(queries: readonly ExplainedQuery[], windowLabel: string): string[] {
  const main = queries.filter((q) => q.window === windowLabel);
  const burn = [...new Set(queries.filter((q) => q.window !== windowLabel).map((q) => `[${q.window}]`))];
  const lines = main.map((q) => `${q.role.padEnd(6)} ${q.query}${q.kind === 'range' ? `  (range, step ${q.stepSeconds} s)` : ''}`);
  if (burn.length > 0) lines.push(`burn windows: the same over ${burn.join(' ')}`);
  return lines;
}

function statusBlock(spec: ObjectiveSpec, entry: SloStatusEntry): string[] {
  const head = `${spec.name}  ${objectiveTargetText(spec)} over ${objectiveWindowText(spec)}, ${objectiveMethodText(spec)}, ${objectiveSliText(spec)}`;
  const row = (k: string, v: string): string => `  ${k.padEnd(12)} ${v}`;
  if (entry.error !== undefined) {
    const out = [head, row('error', entry.error.message)];
    (entry.error.queries ?? []).forEach((q, i) => out.push(row(i === 0 ? 'PromQL' : '', `${q.role.padEnd(6)} ${q.query}`)));
    return out;
  }
  const s = { ...entry, objective: entry.name } as PrometheusObjectiveStatus;
  const burn = s.burnRate1h === null ? '- (no events in the last hour)' : `${Number(s.burnRate1h.toFixed(2))}x`;
  const out = [
    head,
    row('window', `${s.range.start} .. ${s.range.end}`),
    row('SLI', `${sliText(s)} vs target ${objectiveTargetText(spec)}`),
    row('budget left', budgetText(s)),
    row('status', s.figures.status),
    row('burn 1h', burn),
  ];
  const firing = s.burnAlerts.filter((a) => a.firing).map((a) => a.name);
  if (firing.length > 0) out.push(row('alerts', `firing: ${firing.join(', ')}`));
  queryLines(s.queries, spec.window.label).forEach((l, i) => out.push(row(i === 0 ? 'PromQL' : '', l)));
  for (const w of [...s.warnings, ...s.figures.warnings.map((x) => x.message)]) out.push(row('warning', w));
  return out;
}

async function status(io: CliIo, flags: StatusFlags, loaded: { root: string; config: ProjectConfig; result: ProjectObjectives }): Promise<number> {
  const { result, config } = loaded;
  let at: Date | undefined;
  try {
    if (flags.at !== undefined) at = parseAtParam(flags.at, '--at');
  } catch (e) {
    if (InvalidQueryError.is(e)) throw new UsageError(e.message);
    throw e;
  }
  const backend = statusBackend(flags, config);
  let specs = result.objectives;
  if (flags.name !== undefined) {
    specs = specs.filter((o) => o.name === flags.name);
    if (specs.length === 0) {
      const names = result.objectives.map((o) => o.name).join(', ') || 'none';
      throw new UsageError(`--name: no objective '${flags.name}' (objectives: ${names})`);
    }
  }
  writeLines({ ...io, stdout: io.stderr }, result.findings.filter((f) => f.severity === 'error').map(formatFinding));
  if (backend.kind !== 'prometheus') {
    const what = backend.kind === 'store' ? 'store' : 'Budget API';
    if (flags.json) writeJson(io, { backend: backend.kind, supported: false, message: `${what} objectives: not yet supported` });
    else io.stdout.write(`${what} objectives: not yet supported (slo status reads Prometheus: --prometheus url)\n`);
    return 2;
  }
  const token = io.env[TOKEN_ENV_VAR] || undefined;
  const client = new PrometheusClient({ url: backend.url, ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}) });
  const when = at ?? new Date();
  const entries: SloStatusEntry[] = [];
  for (const spec of specs) {
    try {
      const { objective, ...rest } = await evaluatePrometheusObjective(client, spec, { at: when });
      entries.push({ name: objective, ...rest });
    } catch (e) {
      if (e instanceof ObjectiveQueryError) entries.push({ name: spec.name, error: { code: e.code, message: e.message } });
      else if (PrometheusError.is(e)) {
        const queries = e.details.query === undefined ? undefined : [{ role: 'total' as const, query: e.details.query, kind: 'instant' as const, window: spec.window.label }];
        entries.push({ name: spec.name, error: { code: `prometheus_${e.kind}`, message: e.message, ...(queries ? { queries } : {}) } });
      } else throw e;
    }
  }
  const failed = entries.filter((e) => e.error !== undefined).length;
  if (flags.json) writeJson(io, { prometheus: backend.url, at: new Date(Math.floor(when.getTime() / 60_000) * 60_000).toISOString(), objectives: entries });
  else {
    const blocks = specs.map((spec, i) => statusBlock(spec, entries[i]!).join('\n'));
    io.stdout.write(blocks.length === 0 ? 'no objectives\n' : `${blocks.join('\n\n')}\n`);
    io.stderr.write(`${count(specs.length, 'objective')} from Prometheus ${backend.url}; ${failed} not evaluated\n`);
  }
  return failed > 0 || result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
