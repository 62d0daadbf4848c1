/**
 * What the editor says about objectives that are not GitLab's (issue 13 item 6), as plain
 * strings: the lens above code an objective is attached to, its hover ("explain the number":
 * the formula with the counts, the window and every query), the tree item and the panel tile.
 * No `vscode` import: test/unit/extension/objectiveText.test.ts tests every wording in Node.
 * The figures' words are the SDK's (objectives/figuresText.ts, shared with `budget-lens slo status`);
 * backend text goes through safeText.ts.
 */
import {
  budgetFormulaText,
  budgetLeftShareText,
  budgetLeftText,
  burnRateText,
  firingAlertsText,
  foldedQueries,
  objectiveMethodText,
  objectiveSliText,
  objectiveTargetText,
  objectiveWindowText,
  sliCountsText,
  sliFormulaText,
  sliVsTargetText,
  targetPercentText,
} from '../../sdk';
import type { LineObjectives, ObjectiveBudget, ObjectiveBurnDownPoint, ObjectiveDetail, ObjectiveSpec } from '../../sdk';
import type { BudgetState, PanelObjective } from '@shared/protocol';
import type { Failure, Known } from '../budgetCache';
import { failingReasonText, failureSummary, LOADING_LENS_TEXT, staleReasonText, utcTime } from './budgetText';
import { escapeMarkdown, inlineCode, oneLine, statusBarSafe } from './safeText';

/**
 * exhausted: the budget is spent (remaining fraction at or below 0); overHalf: less than half
 * left; fine: the rest; noData: no events (or an objective that could not be evaluated).
 */
export function objectiveState(o: Pick<ObjectiveBudget, 'figures'>): BudgetState {
  const r = o.figures?.remainingFraction ?? null;
  if (r === null) return 'noData';
  if (r <= 0) return 'exhausted';
  return r < 0.5 ? 'overHalf' : 'fine';
}

const STATE_RANK: Record<BudgetState, number> = { noData: 0, fine: 1, overHalf: 2, exhausted: 3 };

/**
 * A group's objectives in a few words, for where its availability has no data (a workspace
 * measured only by its objectives): `3 SLOs · 1 over budget, 1 over half spent`, `2 SLOs ·
 * within budget`, with the worst state among them; undefined until one has figures. Objectives
 * still loading or without events are named as such.
 */
export function objectivesSummary(entries: ReadonlyArray<Known<ObjectiveBudget> | undefined>): { text: string; state: BudgetState; stale: boolean } | undefined {
  const known = entries.flatMap((e) => (e?.value ? [e.value] : []));
  if (known.length === 0) return undefined;
  const states = known.map(objectiveState);
  const count = (s: BudgetState): number => states.filter((x) => x === s).length;
  const parts: string[] = [];
  if (count('exhausted') > 0) parts.push(`${count('exhausted')} over budget`);
  if (count('overHalf') > 0) parts.push(`${count('overHalf')} over half spent`);
  if (parts.length === 0 && count('fine') > 0) parts.push(count('fine') === entries.length ? 'within budget' : `${count('fine')} within budget`);
  if (count('noData') > 0) parts.push(`${count('noData')} without events`);
  if (known.length < entries.length) parts.push(`${entries.length - known.length} loading`);
  const n = entries.length;
  return {
    text: `${n} SLO${n === 1 ? '' : 's'} · ${parts.join(', ')}`,
    state: states.reduce((worst, s) => (STATE_RANK[s] > STATE_RANK[worst] ? s : worst), 'noData' as BudgetState),
    stale: entries.some((e) => e?.value !== undefined && e.failure !== undefined),
  };
}

/** `99.93 % ≥ 99.8 % · 62 % left · burn 0.40x` (the parts that have data), `(stale)` appended. */
export function objectiveFiguresText(o: ObjectiveBudget, stale: boolean): string {
  let text: string;
  if (o.figures === null) text = `cannot evaluate (${o.error?.code ?? 'error'})`;
  else {
    const parts = [sliVsTargetText(o.figures), budgetLeftShareText(o.figures), burnRateText(o.burnRate1h), firingAlertsText(o.burnAlerts)];
    text = parts.filter((p): p is string => p !== undefined).join(' · ');
  }
  return stale ? `${text} (stale)` : text;
}

/** A lens's title and, when the figures are stale or missing, why (a click then checks the backend). */
export interface ObjectiveLensFigure {
  title: string;
  problem?: string;
  /** Over budget, a firing alert or an error: the title starts with `$(warning)`. */
  warning: boolean;
}

/**
 * The lens above code an objective is attached to: `SLO workspace-starts · 99.93 % ≥ 99.8 % ·
 * 62 % left · burn 0.40x`; `SLO name` alone without a backend; loading; what failed.
 */
export function objectiveLensFigure(name: string, entry: Known<ObjectiveBudget> | undefined): ObjectiveLensFigure {
  const head = `SLO ${statusBarSafe(name)}`;
  if (entry === undefined) return { title: head, warning: false };
  const o = entry.value;
  if (o !== undefined) {
    const warning = o.figures === null || objectiveState(o) === 'exhausted' || o.burnAlerts.some((a) => a.firing);
    const text = statusBarSafe(objectiveFiguresText(o, entry.failure !== undefined));
    return { title: `${warning ? '$(warning) ' : ''}${head} · ${text}`, warning, ...(entry.failure ? { problem: staleReasonText(entry.failure, entry.fetchedAt) } : {}) };
  }
  if (entry.failure) return { title: `${head} · no data (${failureSummary(entry.failure)})`, problem: failingReasonText(entry.failure), warning: false };
  return { title: `${head} · ${LOADING_LENS_TEXT}`, warning: false };
}

/** Why the objectives apply here, for a lens's tooltip and the hover: the annotation, the path rule or the category. */
export function attributionText(at: Pick<ObjectiveSegmentLike, 'attribution' | 'range' | 'rule' | 'category'>): string {
  if (at.attribution === 'annotation' && at.range) return `@slo annotation on line ${at.range.line} (${at.range.scope === 'file' ? 'the whole file' : at.range.name})`;
  if (at.attribution === 'path_rule' && at.rule) return `objectives.pathRules "${at.rule.pattern}" (rule ${at.rule.index + 1})`;
  if (at.attribution === 'category' && at.category !== undefined) return `the objectives of feature category ${at.category} and its group`;
  return at.attribution;
}

/** A lens's tooltip: the objective, what it measures, why it is attached here, and the problem. */
export function objectiveLensTooltip(name: string, entry: Known<ObjectiveBudget> | undefined, why: string, problem: string | undefined): string {
  const o = entry?.value;
  const lines = [oneLine(o?.displayName ? `${o.displayName} (${name})` : name)];
  if (o) lines.push(oneLine(`${targetPercentText(o.target)} over ${o.window}, ${o.method}: ${o.sli}`));
  lines.push(`Attached by ${oneLine(why)}`);
  if (problem) lines.push('', problem, 'Click to check the budget backend.');
  else lines.push('Click to open its definition.');
  return lines.join('\n');
}

/** The queries an objective evaluated, as Markdown list items (code spans; burn windows folded into one line). */
function queryLines(o: ObjectiveBudget): string[] {
  const { main, burnWindows: burn } = foldedQueries(o.queries, o.window);
  const lines = main.map((q) => `  - ${escapeMarkdown(q.role)} ${inlineCode(q.query)}${q.kind === 'range' && q.stepSeconds !== undefined ? ` (range, step ${q.stepSeconds} s)` : ''}`);
  if (burn.length > 0) lines.push(`  - burn windows: the same over ${burn.map((w) => inlineCode(w)).join(' ')}`);
  return lines;
}

/**
 * The hover's section for one objective: the SLI against the target with its counts, the budget
 * left, the burn rate and firing alerts, then how it is computed: both formulas with their
 * numbers, the measured range and every query. Loading, failing and unevaluable states say so.
 */
export function objectiveHoverLines(name: string, entry: Known<ObjectiveBudget> | undefined, why: string | undefined, local?: LocalObjective): string[] {
  const o = entry?.value;
  const displayName = o?.displayName ?? local?.displayName;
  const title = displayName ? `${escapeMarkdown(oneLine(displayName))} (${inlineCode(name)})` : inlineCode(name);
  const lines = [`**Objective** ${title}`, ''];
  if (why) lines.push(`Attached by ${escapeMarkdown(oneLine(why))}`, '');
  // Without figures, what the workspace itself says of the objective: its definition and where it is.
  const defined = local ? [`- ${escapeMarkdown(oneLine(local.definition))}`, `- defined in ${inlineCode(local.definedAt)}`, ''] : [];
  if (entry === undefined) return [...lines, ...defined, 'No budget backend: set `budgetLens.api.url` or `budgetLens.prometheus.url` to see its figures.'];
  if (o === undefined) {
    if (entry.failure) return [...lines, ...defined, `No data: ${escapeMarkdown(oneLine(failingReasonText(entry.failure)))}`];
    return [...lines, ...defined, 'Loading its figures…'];
  }
  lines.push(`- target ${targetPercentText(o.target)} over ${escapeMarkdown(o.window)}, ${o.method}${o.sliceMinutes !== undefined ? ` (${o.sliceMinutes} min slices)` : ''}: ${escapeMarkdown(oneLine(o.sli))}`);
  if (o.figures === null) {
    lines.push(`- **cannot be evaluated** (${inlineCode(o.error?.code ?? 'error')}): ${escapeMarkdown(oneLine(o.error?.message ?? 'no reason given'))}`);
  } else {
    const f = o.figures;
    // Built here from numbers only: nothing of the backend's to escape.
    lines.push(`- SLI ${sliCountsText(f)} vs target ${targetPercentText(o.target)}`);
    lines.push(`- budget left: ${budgetLeftText(f)}${f.status === 'over_budget' ? ' — **over budget**' : ''}`);
    const burn = burnRateText(o.burnRate1h);
    lines.push(`- ${burn ? `${burn} over the last hour` : 'no events in the last hour'}`);
    const firing = firingAlertsText(o.burnAlerts);
    if (firing) lines.push(`- **${escapeMarkdown(firing)}**`);
    for (const w of f.warnings) lines.push(`- $(warning) ${escapeMarkdown(oneLine(w.message))}`);
    lines.push('', '**How it is computed**', '');
    lines.push(`- ${inlineCode(sliFormulaText(f))}`);
    const budget = budgetFormulaText(f);
    if (budget) lines.push(`- ${inlineCode(budget)}`);
  }
  if (o.range) lines.push(`- measured ${inlineCode(o.range.start)} .. ${inlineCode(o.range.end)} (${o.range.minutes.toLocaleString('en-US')} min)`);
  if (o.queries.length > 0) lines.push('- queries:', ...queryLines(o));
  for (const w of o.warnings) lines.push(`- $(warning) ${escapeMarkdown(oneLine(w))}`);
  lines.push(`- defined in ${inlineCode(`${o.definedAt.file}:${o.definedAt.line}`)}`);
  if (entry.failure) lines.push('', `_${escapeMarkdown(oneLine(staleReasonText(entry.failure, entry.fetchedAt)))}_`);
  return lines;
}

/** What the workspace's own definition says of an objective, for a hover without figures. */
export interface LocalObjective {
  displayName?: string;
  /** `target 99.5 % over rolling 7d, Occurrences: ratio bad/total`. */
  definition: string;
  /** `slo/checkout.yaml:8`, relative to the root. */
  definedAt: string;
}

/** An ObjectiveSpec as a hover without figures shows it; `file` already relative to the root. */
export function localObjective(spec: ObjectiveSpec, file: string): LocalObjective {
  return {
    ...(spec.displayName !== undefined ? { displayName: spec.displayName } : {}),
    definition: `target ${objectiveTargetText(spec)} over ${objectiveWindowText(spec)}, ${objectiveMethodText(spec)}: ${objectiveSliText(spec)}`,
    definedAt: `${file}:${spec.location.line}`,
  };
}

/** A tree item's description: `99.93 % ≥ 99.8 % · 62 % left`, loading, or what failed. */
export function objectiveTreeDescription(entry: Known<ObjectiveBudget> | undefined): string {
  if (entry?.value) return objectiveFiguresText(entry.value, entry.failure !== undefined);
  if (entry?.failure) return `no data (${failureSummary(entry.failure)})`;
  return entry ? 'loading…' : '';
}

/** A tree item's tooltip: the definition in brief, the figures in full, and why they are stale. */
export function objectiveTreeTooltip(name: string, entry: Known<ObjectiveBudget> | undefined, failure: Failure | undefined): string {
  const o = entry?.value;
  if (!o) return failure ? failingReasonText(failure) : name;
  const lines = [oneLine(o.displayName ? `${o.displayName} (${name})` : name), oneLine(`${targetPercentText(o.target)} over ${o.window}, ${o.method}: ${o.sli}`)];
  if (o.figures) lines.push(`SLI ${sliCountsText(o.figures)}`, `Budget left: ${budgetLeftText(o.figures)}`);
  else lines.push(oneLine(`Cannot be evaluated: ${o.error?.message ?? 'no reason given'}`));
  lines.push(`Defined in ${oneLine(`${o.definedAt.file}:${o.definedAt.line}`)}`);
  if (failure) lines.push('', staleReasonText(failure, entry?.fetchedAt));
  return lines.join('\n');
}

/** The panel's tile for one objective, worded; the burn-down's points raw (the chart draws them). */
export function panelObjective(o: ObjectiveBudget, detail: ObjectiveDetail | undefined): PanelObjective {
  const f = o.figures;
  return {
    name: o.name,
    displayName: o.displayName ?? o.name,
    targetText: `${targetPercentText(o.target)} over ${o.window} · ${o.method}`,
    sliText: o.sli,
    sliVsTargetText: f ? sliVsTargetText(f) : `cannot be evaluated: ${o.error?.message ?? 'no reason given'}`,
    budgetLeftText: f ? budgetLeftText(f) : '',
    burnText: burnRateText(o.burnRate1h) ?? 'no events in the last hour',
    alertText: firingAlertsText(o.burnAlerts),
    state: objectiveState(o),
    burnDown: detail?.burnDown.map((p: ObjectiveBurnDownPoint) => ({ day: p.day, remainingFraction: p.remainingFraction })),
  };
}

/** When an objective's figures were computed, for the panel's footnote: `2026-11-30 12:00:00 UTC`. */
export function objectiveAsOfText(o: Pick<ObjectiveBudget, 'range'>): string | undefined {
  return o.range ? utcTime(Date.parse(o.range.end)) : undefined;
}

/** One objective lens: the line it sits on (1-based), the objective, and why it applies there. */
export interface ObjectiveLensSubject {
  line: number;
  name: string;
  why: string;
}

/**
 * Where a file's objective lenses go, from its objective segments (WorkspaceIndex.objectiveSegments):
 * one lens per objective and attachment, on the annotated function's (or class's) first line for
 * an `@slo` annotation, else on the first line its path rule or category reaches (a path rule
 * interrupted by annotated functions is still one attachment: one lens).
 */
export function objectiveLensSubjects(segments: ReadonlyArray<ObjectiveSegmentLike>, lineCount: number): ObjectiveLensSubject[] {
  const seen = new Set<string>();
  const out: ObjectiveLensSubject[] = [];
  for (const s of segments) {
    const key = s.attribution === 'annotation' ? `a:${s.range?.line}` : s.attribution === 'path_rule' ? `p:${s.rule?.index}` : `c:${s.category}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = s.attribution === 'annotation' && s.range ? s.range.startLine : s.startLine;
    if (line > lineCount) continue;
    const why = attributionText(s);
    for (const name of s.objectives) out.push({ line, name, why });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** What objectiveLensSubjects reads of a segment. */
export type ObjectiveSegmentLike = Pick<LineObjectives, 'attribution' | 'objectives' | 'rule' | 'category'> & {
  startLine: number;
  range?: Pick<NonNullable<LineObjectives['range']>, 'line' | 'startLine' | 'scope' | 'name'>;
};

/** The panel's tile from what is known now: the figures, else loading or what failed. */
export function panelObjectiveOf(name: string, entry: Known<ObjectiveBudget> | undefined, detail: ObjectiveDetail | undefined): PanelObjective {
  if (entry?.value) return panelObjective(entry.value, detail);
  const text = entry?.failure ? `no data (${failureSummary(entry.failure)})` : 'loading…';
  return { name, displayName: name, targetText: '', sliText: '', sliVsTargetText: text, budgetLeftText: '', burnText: '', state: 'noData' };
}
