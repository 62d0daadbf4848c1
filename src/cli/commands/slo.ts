/**
 * `budget-lens slo lint|list`: the project's objectives (docs/objectives.md): the native list of
 * `.budgetlens.yml` and the OpenSLO v1 files its `objectives.files` names.
 *   lint  every finding as `file:line:col: severity: message [code]`; exit 1 on an error
 *   list  one line per objective (or --json, the ObjectiveSpecs); findings on stderr; exit 1 on an error
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
  toWorkspacePath,
} from '../../sdk';
import type { ObjectiveSpec, ProjectObjectives } from '../../sdk';
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { alignColumns, count, formatFinding, parseCommandArgs, reportInputError, writeJson, writeLines } from '../mappingOutput';

export const summary = 'Check or list the objectives (OpenSLO files, objectives: in .budgetlens.yml); exit 1 on errors';

const USAGE = `usage: budget-lens slo lint [--json] [--root dir]
       budget-lens slo list [--json] [--root dir]

  lint        check the objectives: every finding as file:line:col; exit 1 on an error
  list        one line per objective: name, target, window, budgeting method, SLI, where
  --root dir  project root (default: the nearest directory with .budgetlens.yml)
  --json      machine-readable output
`;

const OPTIONS = {
  root: { type: 'string' },
  json: { type: 'boolean', default: false },
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

async function load(io: CliIo, rootFlag: string | undefined): Promise<{ root: string; result: ProjectObjectives }> {
  const root = chooseRoot(io, rootFlag);
  const file = join(root, CONFIG_FILE_NAME);
  if (!existsSync(file)) throw new UsageError(`no ${CONFIG_FILE_NAME} in ${root}: objectives are listed under objectives: there (see docs/objectives.md)`);
  const config = await loadProjectConfig(file);
  return { root, result: await openProjectObjectives({ root, config }) };
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

export function listRows(root: string, objectives: readonly ObjectiveSpec[]): string[] {
  const rows = objectives.map((o) => [
    o.name,
    objectiveTargetText(o),
    objectiveWindowText(o),
    objectiveMethodText(o),
    objectiveSliText(o),
    [o.category, o.group].filter((x) => x !== undefined).join(' / ') || '-',
    `${toWorkspacePath(root, o.location.file)}:${o.location.line}`,
  ]);
  return alignColumns([['name', 'target', 'window', 'method', 'sli', 'category / group', 'defined at'], ...rows]);
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
  const { root, result } = loaded;
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  if (sub === 'lint') {
    if (values.json) writeJson(io, { objectives: result.objectives.length, findings: result.findings });
    else {
      writeLines(io, result.findings.map(formatFinding));
      io.stderr.write(`${summaryLine(result)}\n`);
    }
  } else if (values.json) {
    writeJson(io, result.objectives.map((o) => relativeSpec(root, o)));
    writeLines({ ...io, stdout: io.stderr }, result.findings.map(formatFinding));
  } else {
    if (result.objectives.length > 0) writeLines(io, listRows(root, result.objectives));
    writeLines({ ...io, stdout: io.stderr }, result.findings.map(formatFinding));
    io.stderr.write(`${summaryLine(result)}\n`);
  }
  return errors > 0 ? 1 : 0;
}
