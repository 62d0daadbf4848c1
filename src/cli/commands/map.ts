/**
 * `budget-lens map [paths…]`: which feature category each file belongs to, with its group and
 * stage, and the endpoints it defines — what the editor's CodeLens shows, as text or JSON — and
 * the objectives that apply to each range of lines (`@slo` annotations, objectives.pathRules, the
 * objectives of the line's category or group: WorkspaceIndex.objectiveSegments).
 */
import type { ObjectiveSegment } from '../../sdk';
import type { CliIo } from '../io';
import {
  COMMON_OPTIONS,
  alignColumns,
  catalogLine,
  count,
  endpointRow,
  fileCategories,
  formatThreshold,
  isInFilters,
  loadIndexedWorkspace,
  parseCommandArgs,
  reportInputError,
  writeJson,
  writeLines,
} from '../mappingOutput';

export const summary = 'Show file -> feature category -> group -> stage, and each file\'s endpoints';

const USAGE = `usage: budget-lens map [paths…] [--json] [--root dir] [--catalog dir]

  paths          files or directories to show (default: the whole workspace)
  --root dir     workspace root (default: the nearest directory with .budgetlens.yml)
  --catalog dir  directory with stages.yml and feature_categories.yml (overrides .budgetlens.yml;
                 default: catalog: in .budgetlens.yml, else the bundled GitLab snapshot)
  --json         machine-readable output

Each file lists its categories, its endpoints, then its objectives by line range ("slo 12-40"):
an @slo annotation around the lines, else the objectives.pathRules rule of the file, else the
objectives of the lines' feature category or group.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, COMMON_OPTIONS, true);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let ws;
  try {
    ws = await loadIndexedWorkspace(io, values, positionals);
  } catch (e) {
    return reportInputError(io, 'map', e);
  }
  const { index, catalog } = ws;
  const files = index.files().filter((f) => isInFilters(f, ws.filters));
  const mappings = files.map((f) => index.fileMapping(f) ?? { file: f, categories: [], endpoints: [], findings: [] });
  const segments = files.map((f) => index.objectiveSegments(f));

  if (values.json) {
    writeJson(io, {
      root: ws.root,
      catalog: { kind: ws.catalogOrigin.kind, label: ws.catalogOrigin.label, stages: ws.catalogOrigin.stagesPath, featureCategories: ws.catalogOrigin.featureCategoriesPath ?? null },
      files: mappings.map((m, i) => ({
        file: m.file,
        categories: fileCategories(m, catalog),
        endpoints: m.endpoints.map((ep) => endpointRow(ep, catalog)),
        objectives: segments[i] ?? [],
        findings: m.findings,
      })),
    });
    return 0;
  }

  // Two global tables (categories, endpoints) so columns line up across files.
  const categoryRows = mappings.map((m) => fileCategories(m, catalog).map((c) => [c.category, c.group, c.stage, `(${c.attribution})`]));
  const endpointRows = mappings.map((m) =>
    m.endpoints.map((ep) => [`${ep.line}`.padStart(4), ep.id, ep.category, ep.urgency, formatThreshold(ep.thresholdS)]),
  );
  const alignedCategories = alignColumns(categoryRows.flat(), '  ');
  const alignedEndpoints = alignColumns(endpointRows.flat(), '    ');
  const objectiveRows = segments.map((list) => list.map((seg) => [`slo ${seg.startLine}-${seg.endLine}`, seg.objectives.join(', '), segmentReason(seg)]));
  const alignedObjectives = alignColumns(objectiveRows.flat(), '  ');
  let o = 0;
  const lines: string[] = [catalogLine(ws)];
  let c = 0;
  let e = 0;
  mappings.forEach((m, i) => {
    lines.push(m.file);
    for (let k = 0; k < (categoryRows[i]?.length ?? 0); k++) lines.push(alignedCategories[c++] ?? '');
    for (let k = 0; k < (endpointRows[i]?.length ?? 0); k++) lines.push(alignedEndpoints[e++] ?? '');
    for (let k = 0; k < (objectiveRows[i]?.length ?? 0); k++) lines.push(alignedObjectives[o++] ?? '');
  });
  const endpoints = mappings.reduce((n, m) => n + m.endpoints.length, 0);
  if (lines.length > 0) lines.push('');
  lines.push(`${count(mappings.length, 'file')}, ${count(endpoints, 'endpoint')}`);
  writeLines(io, lines);
  return 0;
}

/** Why a range has its objectives: `(@slo on startWorkspace)`, `(path rule components/**)`, `(category workspace_start)`. */
function segmentReason(seg: ObjectiveSegment): string {
  if (seg.attribution === 'annotation') return `(@slo on ${seg.range?.scope === 'file' ? 'the file' : (seg.range?.name ?? '?')}, line ${seg.range?.line ?? '?'})`;
  if (seg.attribution === 'path_rule') return `(path rule ${seg.rule?.pattern ?? '?'})`;
  return `(category ${seg.category ?? '?'})`;
}
