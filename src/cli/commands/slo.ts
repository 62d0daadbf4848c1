/**
 * `budget-lens slo lint|list`: the project's objectives (docs/objectives.md): the native list of
 * `.budgetlens.yml` and the OpenSLO v1 files its `objectives.files` names.
 *   lint  every finding as `file:line:col: severity: message [code]`; exit 1 on an error
 *   list  one line per objective (or --json, the ObjectiveSpecs); findings on stderr; exit 1 on an error;
 *         --where indexes the workspace and says where each is attached (@slo places, path rules)
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CONFIG_FILE_NAME,
  findWorkspaceRoot,
  loadProjectConfig,
  objectiveMethodText,
  objectiveSliText,
  objectiveTargetText,
  objectiveWindowText,
  openProjectObjectives,
  openWorkspace,
  toWorkspacePath,
} from '../../sdk';
import type { ObjectiveRange, ObjectiveSpec, ProjectConfig, ProjectObjectives } from '../../sdk';
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { alignColumns, count, formatFinding, parseCommandArgs, reportInputError, writeJson, writeLines } from '../mappingOutput';

export const summary = 'Check or list the objectives (OpenSLO files, objectives: in .budgetlens.yml); exit 1 on errors';

const USAGE = `usage: budget-lens slo lint [--json] [--root dir]
       budget-lens slo list [--where] [--json] [--root dir]

  lint        check the objectives: every finding as file:line:col; exit 1 on an error
  list        one line per objective: name, target, window, budgeting method, SLI, where
  --where     (list) index the workspace and add where each objective is attached: its
              category / group, the @slo annotations naming it, the path rules naming it
  --root dir  project root (default: the nearest directory with .budgetlens.yml)
  --json      machine-readable output
`;

const OPTIONS = {
  root: { type: 'string' },
  json: { type: 'boolean', default: false },
  where: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

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
  if (sub !== 'lint' && sub !== 'list') throw new UsageError(`unknown subcommand '${sub}' (lint or list)`);
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
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
