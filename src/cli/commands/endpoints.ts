/**
 * `budget-lens endpoints`: the endpoint inventory — every controller action, Grape route, Sidekiq
 * worker and GraphQL operation with its category, urgency, apdex threshold and definition site.
 */
import type { CliIo } from '../io';
import { UsageError } from '../io';
import {
  COMMON_OPTIONS,
  alignColumns,
  catalogLine,
  count,
  endpointRow,
  formatThreshold,
  loadIndexedWorkspace,
  parseCommandArgs,
  reportInputError,
  writeJson,
  writeLines,
} from '../mappingOutput';

export const summary = 'List the endpoint inventory (id, kind, category, urgency, threshold, file:line)';

const USAGE = `usage: budget-lens endpoints [--category c] [--group g] [--json] [--root dir] [--catalog dir]

  --category c   only endpoints of this feature category
  --group g      only endpoints of this group's categories (group key, e.g. project_management)
  --root dir     workspace root (default: the nearest directory with .budgetlens.yml)
  --catalog dir  directory with stages.yml and feature_categories.yml (default: catalog: in
                 .budgetlens.yml, else the bundled GitLab snapshot)
  --json         machine-readable output
`;

const OPTIONS = { ...COMMON_OPTIONS, category: { type: 'string' }, group: { type: 'string' } } as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS, false);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let ws;
  try {
    ws = await loadIndexedWorkspace(io, values);
  } catch (e) {
    return reportInputError(io, 'endpoints', e);
  }
  const { index, catalog } = ws;
  let endpoints = index.endpoints();
  if (values.category !== undefined) {
    const category = values.category;
    if (!catalog.isValidCategory(category)) throw new UsageError(`--category: unknown feature category "${category}"`);
    endpoints = endpoints.filter((ep) => ep.category === category);
  }
  if (values.group !== undefined) {
    const group = catalog.group(values.group);
    if (!group) throw new UsageError(`--group: unknown group "${values.group}"`);
    endpoints = endpoints.filter((ep) => catalog.groupOf(ep.category).key === group.key);
  }
  const rows = endpoints.map((ep) => endpointRow(ep, catalog));
  if (values.json) {
    writeJson(io, rows);
    return 0;
  }
  const table = [
    ['ID', 'KIND', 'CATEGORY', 'GROUP', 'URGENCY', 'THRESHOLD', 'LOCATION'],
    ...rows.map((r) => [r.id, r.kind, r.category, r.group, r.urgency, formatThreshold(r.thresholdS), `${r.file}:${r.line}`]),
  ];
  writeLines(io, [catalogLine(ws), ...alignColumns(table), '', count(rows.length, 'endpoint')]);
  return 0;
}
