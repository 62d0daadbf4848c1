/**
 * `budget-lens lint [paths…]`: the mapping's validation findings (unknown categories with the
 * closest known name, re-declared actions, per-action values under a class default, bad
 * urgencies, unparseable or skipped files) as `file:line:col: severity: message [code]`, sorted.
 * The objectives' findings (OpenSLO files and `objectives:`, docs/objectives.md) are included.
 * Exit 1 when any finding is an error, so CI can gate on it.
 */
import { configFindings, exceptionTrafficFindings, openProjectObjectives } from '../../sdk';
import type { GroupBudget } from '../../sdk';
import { openBackend } from '../backend';
import type { CliIo } from '../io';
import {
  COMMON_OPTIONS,
  catalogLine,
  count,
  formatFinding,
  isInFilters,
  loadIndexedWorkspace,
  parseCommandArgs,
  reportInputError,
  writeJson,
  writeLines,
} from '../mappingOutput';

export const summary = 'Check feature category declarations; exit 1 on errors';

const USAGE = `usage: budget-lens lint [paths…] [--json] [--root dir] [--catalog dir]
                        [--store path | --prometheus url | --api url]

  paths          files or directories to check (default: the whole workspace)
  --root dir     workspace root (default: the nearest directory with .budgetlens.yml)
  --catalog dir  directory with stages.yml and feature_categories.yml (default: catalog: in
                 .budgetlens.yml, else the bundled GitLab snapshot)
  --store path, --prometheus url, --api url
                 figures to judge the custom targets' traffic-share conditions with
                 (expiresWhen: { trafficShareAbove }); without one they are noted as not checked.
                 Token for Prometheus or the API: BUDGET_LENS_TOKEN.
  --json         machine-readable output
`;

const LINT_OPTIONS = {
  ...COMMON_OPTIONS,
  store: { type: 'string' },
  prometheus: { type: 'string' },
  api: { type: 'string' },
} as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, LINT_OPTIONS, true);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let ws;
  try {
    ws = await loadIndexedWorkspace(io, values, positionals);
  } catch (e) {
    return reportInputError(io, 'lint', e);
  }
  let objectiveFindings;
  try {
    objectiveFindings = (await openProjectObjectives(ws)).findings;
  } catch (e) {
    return reportInputError(io, 'lint', e);
  }
  // The traffic-share conditions need figures: the given backend's group answers.
  let traffic: Map<string, GroupBudget | Error> | undefined;
  let backendName: string | undefined;
  const conditional = Object.entries(ws.config?.groups ?? {}).filter(([, g]) => g.customTarget?.expiresWhen !== undefined).map(([key]) => key);
  if (conditional.length > 0 && (values.store !== undefined || values.prometheus !== undefined || values.api !== undefined)) {
    try {
      const backend = await openBackend(io, { store: values.store, prometheus: values.prometheus, api: values.api, catalog: values.catalog, ...(ws.config ? { config: ws.config.file } : {}) });
      backendName = backend.description;
      traffic = new Map();
      try {
        for (const key of conditional) {
          try {
            traffic.set(key, (await backend.api.group(key)).data);
          } catch (e) {
            traffic.set(key, e instanceof Error ? e : new Error(String(e)));
          }
        }
      } finally {
        await backend.close();
      }
    } catch (e) {
      return reportInputError(io, 'lint', e);
    }
  }
  const findings = [...configFindings(ws), ...exceptionTrafficFindings(ws, traffic, backendName), ...objectiveFindings, ...ws.index.findings()]
    .filter((f) => isInFilters(f.file, ws.filters))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column);
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (values.json) {
    writeJson(io, findings);
  } else {
    writeLines(io, findings.map(formatFinding));
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    io.stderr.write(`${catalogLine(ws)}\n${count(errors, 'error')}, ${count(warnings, 'warning')}, ${count(findings.length - errors - warnings, 'note')}\n`);
  }
  return errors > 0 ? 1 : 0;
}
