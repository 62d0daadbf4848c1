/**
 * Markdown for a MonthlyReport: a header with the window and evaluation time, the shared-cause
 * flag first (the handbook holds the report back until it is investigated), expired exceptions,
 * all custom targets with their reasons, then one table per stage with the groups that need
 * action on top.
 */
import { exceptionExpiryText, exceptionUntilText, formatAvailability, formatMinutes, formatPercent } from '../budget/format';
import { compareStageKeys } from './monthlyReportBuilder';
import type { ContractAction, MonthlyReport, ReportGroupRow, ReportObjectiveRow } from '../contract/apiTypes';
import { budgetLeftText, sliCountsText, targetPercentText } from '../objectives/figuresText';
import { scopeText } from '../budget/adjustments';
import { describeCatalogChange } from '../catalog/catalogHistory';

export interface ReportMarkdownOptions {
  /** ISO time the figures were computed; default the report's window end. */
  evaluatedAt?: string;
  /** Stage key -> display name (GroupInfo.stageDisplayName); default the key. */
  stageNames?: ReadonlyMap<string, string>;
}

const ACTION_TEXT: Readonly<Record<ContractAction, string>> = {
  escalate: '**escalate**',
  reliability_first: '**reliability first**',
  understand_spend: 'understand spend',
  not_applicable: 'not applicable',
  no_data: 'no data',
};

// Most urgent first inside a stage.
const ACTION_ORDER: Readonly<Record<ContractAction, number>> = { escalate: 0, reliability_first: 1, understand_spend: 2, not_applicable: 3, no_data: 4 };

/** Table cells may not contain '|' or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function byUrgency(a: ReportGroupRow, b: ReportGroupRow): number {
  const action = ACTION_ORDER[a.action] - ACTION_ORDER[b.action];
  if (action !== 0) return action;
  const ra = a.remainingFraction ?? Number.POSITIVE_INFINITY;
  const rb = b.remainingFraction ?? Number.POSITIVE_INFINITY;
  if (ra !== rb) return ra < rb ? -1 : 1;
  return a.name.localeCompare(b.name, 'en');
}

/** '2026-11-22T07:37:41.018Z' -> '2026-11-22 07:37 UTC' (a report is read to the minute). */
function humanTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function windowText(report: MonthlyReport): string {
  const days = (Date.parse(report.end) - Date.parse(report.start)) / 86_400_000;
  const kind = /-01T00:00:00\.000Z$/.test(report.start) && /-01T00:00:00\.000Z$/.test(report.end) ? 'calendar month' : `rolling ${days} days`;
  return `${humanTime(report.start)} to ${humanTime(report.end)} (${days} d, ${kind})`;
}

function targetText(row: ReportGroupRow): string {
  if (row.customTarget === undefined) return `${row.target} %`;
  return `${row.target} % (custom${row.customTarget.expired ? ', **expired**' : ''})`;
}

function monthsText(row: ReportGroupRow): string {
  return row.monthsOverBudgetInRow === 0 ? '-' : String(row.monthsOverBudgetInRow);
}

function statusText(row: ReportGroupRow): string {
  const status = row.status.replace('_', ' ');
  return row.warnings.length > 0 ? `${status} (data warning)` : status;
}

/** ` (in the catalog from 2026-11-15 00:00 UTC)`: a group the catalog had for part of the month only. */
function inCatalogText(row: ReportGroupRow, monthEnd: string): string {
  const c = row.inCatalog;
  if (c === undefined) return '';
  if (c.from !== undefined && Date.parse(c.from) >= Date.parse(monthEnd)) return ` (in the catalog from ${humanTime(c.from)})`;
  const parts = [c.from !== undefined ? `from ${humanTime(c.from)}` : '', c.until !== undefined ? `until ${humanTime(c.until)}` : ''].filter((x) => x);
  return ` (in the catalog ${parts.join(' ')})`;
}

function groupRow(row: ReportGroupRow, monthEnd: string): string {
  const cells = [
    `${row.name} (\`${row.group}\`)${inCatalogText(row, monthEnd)}`,
    targetText(row),
    formatAvailability(row.availability),
    `${formatMinutes(row.spentMinutes)} / ${formatMinutes(row.budgetMinutes)}${row.adjusted ? ` (adjusted ${formatMinutes(row.adjusted.spentMinutes)})` : ''}`,
    `${formatMinutes(row.remainingMinutes)}${row.adjusted ? ` (adjusted ${formatMinutes(row.adjusted.remainingMinutes)})` : ''}`,
    formatPercent(row.trafficShare, 3),
    statusText(row),
    ACTION_TEXT[row.action],
    monthsText(row),
  ];
  return `| ${cells.map(cell).join(' | ')} |`;
}

const TABLE_HEADER = [
  '| Group | Target | Availability | Spent / budget | Remaining | Traffic share | Status | Action | Months over budget |',
  '|---|---|---:|---:|---:|---:|---|---|---:|',
];

export function renderReportMarkdown(report: MonthlyReport, opts: ReportMarkdownOptions = {}): string {
  const lines: string[] = [];
  lines.push(`# Error budget report ${report.month}`, '');
  lines.push(`- Window: ${windowText(report)}`);
  const evaluatedAt = opts.evaluatedAt ?? report.end;
  const inProgress = Date.parse(evaluatedAt) < Date.parse(report.end);
  lines.push(`- Evaluated at: ${humanTime(evaluatedAt)}${inProgress ? ' (month in progress: figures so far)' : ''}`);
  const over = report.groups.filter((g) => g.action === 'reliability_first' || g.action === 'escalate');
  const escalations = report.groups.filter((g) => g.action === 'escalate');
  lines.push(`- Groups: ${report.groups.length}; over budget under contract: ${over.length}; escalations: ${escalations.length}`, '');

  if (report.investigateSharedCause) {
    lines.push(
      `> **Investigate a shared cause before publishing.** ${report.significantOverBudget.length} groups with traffic share above 0.1 % are over budget: ` +
        `${report.significantOverBudget.map((g) => `\`${g}\``).join(', ')}. More than 5 such groups usually means one shared cause (infrastructure, a dependency).`,
      '',
    );
  }

  if (report.expiredExceptions.length > 0) {
    lines.push('## Expired exceptions', '');
    for (const key of report.expiredExceptions) {
      const row = report.groups.find((g) => g.group === key);
      const ct = row?.customTarget;
      lines.push(ct === undefined ? `- \`${key}\`` : `- ${cell(row?.name ?? key)} (\`${key}\`): target ${ct.target} % ("${cell(ct.reason)}"), ${exceptionExpiryText(ct)}`);
    }
    lines.push('');
  }

  lines.push(...adjustmentsSection(report));

  if (report.catalogChanges !== undefined && report.catalogChanges.length > 0) {
    // Catalog history (issue 15 item 1): attribution is never retroactive, so a group's figures
    // below count only the hours it owned a category; these changes say which.
    lines.push('## Catalog changes in the month', '', 'Each hour counts for the group that owned its category then.', '');
    for (const c of report.catalogChanges) lines.push(`- ${cell(describeCatalogChange(c))}`);
    lines.push('');
  }

  if (report.categoriesOverAllocation.length > 0) {
    // The handbook's category rule, next to the groups' months over budget: the agenda of the
    // Engineering Allocation meeting. Spent / budget of each month, the category on its own.
    const months = report.categoriesOverAllocation[0]!.months.map((m) => m.month);
    lines.push(
      `## Feature categories over their allocation ${months.length} months in a row`,
      '',
      `| Category | Group | ${months.join(' | ')} |`,
      `|---|---|${months.map(() => '---:').join('|')}|`,
    );
    for (const c of report.categoriesOverAllocation) {
      const name = report.groups.find((g) => g.group === c.group)?.name ?? c.group;
      const spend = c.months.map((m) => `${formatMinutes(m.spentMinutes)} / ${formatMinutes(m.budgetMinutes)}`);
      lines.push(`| ${[`\`${c.category}\``, `${name} (\`${c.group}\`)`, ...spend].map(cell).join(' | ')} |`);
    }
    lines.push('');
  }

  const custom = report.groups.filter((g) => g.customTarget !== undefined).sort((a, b) => a.group.localeCompare(b.group, 'en'));
  if (custom.length > 0) {
    lines.push('## Custom targets', '', '| Group | Target | Reason | Review date |', '|---|---|---|---|');
    for (const g of custom) {
      const ct = g.customTarget;
      if (ct === undefined) continue;
      const review = ct.expired ? `${exceptionUntilText(ct)} (**expired**${ct.expiredBecause === 'traffic_share' ? `: ${exceptionExpiryText(ct)}` : ''})` : exceptionUntilText(ct);
      lines.push(`| ${[`${g.name} (\`${g.group}\`)`, `${ct.target} %`, ct.reason, review].map(cell).join(' | ')} |`);
    }
    lines.push('');
  }

  const stages = new Map<string, ReportGroupRow[]>();
  for (const g of report.groups) {
    const list = stages.get(g.stage) ?? [];
    list.push(g);
    stages.set(g.stage, list);
  }
  // Groups without a single measurement have nothing to report: one line at the end instead of
  // a table row each, so a catalog of 80 groups with a handful reporting stays readable.
  const silent: ReportGroupRow[] = [];
  for (const stage of [...stages.keys()].sort(compareStageKeys)) {
    const all = stages.get(stage) ?? [];
    const rows = all.filter((g) => g.status !== 'no_data').sort(byUrgency);
    silent.push(...all.filter((g) => g.status === 'no_data'));
    if (rows.length === 0) continue;
    lines.push(`## ${cell(opts.stageNames?.get(stage) ?? stage)}`, '', ...TABLE_HEADER, ...rows.map((r) => groupRow(r, report.end)), '');
  }
  if (report.objectives !== undefined && report.objectives.length > 0) lines.push(...objectivesSection(report.objectives));
  if (silent.length > 0) {
    const names = silent.map((g) => `\`${g.group}\``).sort((a, b) => a.localeCompare(b, 'en'));
    lines.push('## No data', '', `${silent.length} ${silent.length === 1 ? 'group has' : 'groups have'} no measurements in the window: ${names.join(', ')}.`, '');
  }
  return lines.join('\n');
}

/**
 * Every manual adjustment of the month (range, scope, reason, link) and, for each group it
 * touched, both figures: as measured (what the tables below judge by) and adjusted.
 */
function adjustmentsSection(report: MonthlyReport): string[] {
  const list = report.adjustments ?? [];
  if (list.length === 0) return [];
  const lines = [
    '## Manual adjustments',
    '',
    'Spend in these ranges is left out of the adjusted figures; the stage tables judge the groups as measured and add the adjusted spend in parentheses.',
    '',
    '| From | To | Scope | Reason | Link |',
    '|---|---|---|---|---|',
  ];
  for (const a of list) lines.push(`| ${[humanTime(a.from), humanTime(a.to), scopeText(a.scope), a.reason, a.link ?? '-'].map(cell).join(' | ')} |`);
  const touched = report.groups.filter((g) => g.adjusted !== undefined).sort((a, b) => a.group.localeCompare(b.group, 'en'));
  if (touched.length > 0) {
    lines.push('', '| Group | Availability as measured | Adjusted | Spent / budget as measured | Adjusted | Failures removed |', '|---|---:|---:|---:|---:|---:|');
    for (const g of touched) {
      const adj = g.adjusted!;
      const removed = adj.adjustments.reduce((acc, a) => acc + a.removedFailures, 0);
      lines.push(
        `| ${[
          `${g.name} (\`${g.group}\`)`,
          formatAvailability(g.availability),
          formatAvailability(adj.availability),
          `${formatMinutes(g.spentMinutes)} / ${formatMinutes(g.budgetMinutes)}`,
          `${formatMinutes(adj.spentMinutes)} / ${formatMinutes(adj.budgetMinutes)}`,
          String(Math.round(removed * 1000) / 1000),
        ]
          .map(cell)
          .join(' | ')} |`,
      );
    }
  }
  lines.push('');
  return lines;
}

function objectiveRow(o: ReportObjectiveRow): string {
  const name = o.displayName !== undefined ? `${o.displayName} (\`${o.name}\`)` : `\`${o.name}\``;
  const target = `${targetPercentText(o.target)} (${o.method}, own window ${o.window})`;
  const f = o.figures;
  const cells =
    f === null
      ? [name, target, '-', '-', `not evaluated: ${o.error?.message ?? 'unknown error'}${o.error ? ` (${o.error.code})` : ''}`]
      : [name, target, sliCountsText(f), budgetLeftText(f), f.warnings.length > 0 ? `${f.status.replace('_', ' ')} (data warning)` : f.status.replace('_', ' ')];
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** The project's objectives (issue 13), each over the report's month: SLI vs target, budget left, status. */
function objectivesSection(objectives: readonly ReportObjectiveRow[]): string[] {
  const measured = objectives.find((o) => o.range !== null)?.range;
  const over = measured ? ` over ${humanTime(measured.start)} to ${humanTime(measured.end)}` : '';
  return [
    '## Objectives',
    '',
    `Each objective${over}: the month in place of its own window.`,
    '',
    '| Objective | Target | SLI | Budget left | Status |',
    '|---|---|---:|---:|---|',
    ...objectives.map(objectiveRow),
    '',
  ];
}

export interface ReportDocumentOptions {
  /** The answer's `meta.asOf`: when its figures were computed. */
  asOf: string;
  /** Epoch ms now: a month still in progress is evaluated now, not at its (future) end. */
  now: number;
  /** Where the figures came from, as the backend names itself: `Budget API <url>`, `Prometheus <url>`, `store <path>`. */
  source: string;
  /** Stage key -> display name (the local catalog's); default the key. */
  stageNames?: ReadonlyMap<string, string>;
}

/**
 * The report document: what `budget-lens report` prints (Markdown, then the source line) and the
 * editor's Monthly Error-Budget Report opens, the one renderer of both.
 */
export function renderReportDocument(report: MonthlyReport, opts: ReportDocumentOptions): string {
  const evaluatedAt = Date.parse(opts.asOf) > opts.now ? new Date(opts.now).toISOString() : opts.asOf;
  const markdown = renderReportMarkdown(report, { evaluatedAt, ...(opts.stageNames !== undefined ? { stageNames: opts.stageNames } : {}) });
  return `${markdown}\n_Source: ${opts.source}._\n`;
}
