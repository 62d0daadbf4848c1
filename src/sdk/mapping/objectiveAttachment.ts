/**
 * Where objectives attach to code (issue 13 item 2), and which apply at a line. Three ways, the
 * first that says anything wins at a line:
 *
 * 1. `@slo <name>` annotations (annotations.ts): the innermost annotated range around the line;
 * 2. `objectives.pathRules` in `.budgetlens.yml` (CODEOWNERS globs, last match wins): the file;
 * 3. the objectives of the line's feature category: those whose `category` is that category,
 *    then those with only a `group`, that category's group.
 *
 * An answer never mixes two ways: an annotated function carries exactly the objectives it names,
 * whatever the file's path rule or category says (write both names to get both).
 */
import type { ObjectivePathRule } from '../config/types';
import type { ObjectiveSpec } from '../objectives/spec';
import { compileObjectivePathRules } from './pathRules';
import type { FileMapping, LineObjectives, ObjectiveRange } from './types';

export interface ObjectivePathMatch {
  objectives: string[];
  pattern: string;
  /** Index of the winning rule in objectives.pathRules. */
  index: number;
}

/** What the index needs to answer "which objectives apply here" beyond the file's annotations. */
export interface ObjectiveAttachments {
  /** Every objective name of the project (unknown_objective findings for the rest). */
  known: ReadonlySet<string>;
  /** `objectives.pathRules`: the last rule matching the workspace-relative file. */
  pathRule(file: string): ObjectivePathMatch | undefined;
  /** The objectives of a feature category: its own (ObjectiveSpec.category), then its group's (ObjectiveSpec.group without category). */
  ofCategory(category: string): string[];
}

export interface ObjectiveAttachmentInput {
  objectives: readonly ObjectiveSpec[];
  /** Patterns relative to the workspace root, as mapping.pathRules. */
  pathRules?: readonly ObjectivePathRule[];
  /** The catalog's group key of a category (catalog.groupOf(c).key); without it group objectives attach nowhere. */
  groupOf?: (category: string) => string | undefined;
}

/** Group keys are compared as the catalog writes them: `-` and `_` alike, lower case. */
export const objectiveGroupKey = (g: string): string => g.toLowerCase().replace(/-/g, '_');

export function objectiveAttachments(input: ObjectiveAttachmentInput): ObjectiveAttachments {
  const known = new Set(input.objectives.map((o) => o.name));
  const rules = input.pathRules?.length ? compileObjectivePathRules(input.pathRules) : undefined;
  const byCategory = new Map<string, string[]>();
  const byGroup = new Map<string, string[]>();
  for (const o of input.objectives) {
    if (o.category !== undefined) {
      const list = byCategory.get(o.category) ?? [];
      list.push(o.name);
      byCategory.set(o.category, list);
    } else if (o.group !== undefined) {
      const list = byGroup.get(objectiveGroupKey(o.group)) ?? [];
      list.push(o.name);
      byGroup.set(objectiveGroupKey(o.group), list);
    }
  }
  const cache = new Map<string, string[]>();
  return {
    known,
    pathRule(file) {
      const m = rules?.matchRule(file);
      return m && { objectives: m.rule.objectives, pattern: m.rule.pattern, index: m.index };
    },
    ofCategory(category) {
      let answer = cache.get(category);
      if (answer) return answer;
      const group = byGroup.size > 0 ? input.groupOf?.(category) : undefined;
      answer = [...new Set([...(byCategory.get(category) ?? []), ...(group !== undefined ? (byGroup.get(objectiveGroupKey(group)) ?? []) : [])])];
      cache.set(category, answer);
      return answer;
    },
  };
}

/** The innermost `@slo` range around a 1-based line (the shortest; of equal ones the later). */
export function objectiveRangeAt(ranges: readonly ObjectiveRange[] | undefined, line: number): ObjectiveRange | undefined {
  let best: ObjectiveRange | undefined;
  for (const r of ranges ?? []) {
    if (line < r.startLine || line > r.endLine) continue;
    if (!best || r.endLine - r.startLine < best.endLine - best.startLine || (r.endLine - r.startLine === best.endLine - best.startLine && r.startLine > best.startLine)) best = r;
  }
  return best;
}

export interface ObjectivesAtLineInput {
  file: string;
  line: number;
  /** The file's merged mapping (its `objectives` are the @slo ranges). */
  mapping?: FileMapping;
  attachments?: ObjectiveAttachments;
  /** The feature category at the line (the index's categoryAt), if any. */
  category?: string;
}

/** The objectives that apply at file:line and why, or undefined when none do. */
export function objectivesAtLine(input: ObjectivesAtLineInput): LineObjectives | undefined {
  const range = objectiveRangeAt(input.mapping?.objectives, input.line);
  if (range) return { objectives: range.objectives, attribution: 'annotation', range };
  const rule = input.attachments?.pathRule(input.file);
  if (rule) return { objectives: rule.objectives, attribution: 'path_rule', rule: { pattern: rule.pattern, index: rule.index } };
  if (input.category === undefined || !input.attachments) return undefined;
  const objectives = input.attachments.ofCategory(input.category);
  return objectives.length > 0 ? { objectives, attribution: 'category', category: input.category } : undefined;
}

/** Consecutive lines with one answer (objectivesAtLine), 1-based inclusive. */
export interface ObjectiveSegment extends LineObjectives {
  startLine: number;
  endLine: number;
}

function sameAnswer(a: LineObjectives, b: LineObjectives): boolean {
  return (
    a.attribution === b.attribution &&
    a.range === b.range &&
    a.rule?.index === b.rule?.index &&
    a.category === b.category &&
    a.objectives.length === b.objectives.length &&
    a.objectives.every((o, i) => o === b.objectives[i])
  );
}

/**
 * The whole file cut into segments of lines with the same objectives (`budget-lens map`): lines
 * no objective applies to are left out. `categoryAt` gives the category at a line.
 */
export function objectiveSegments(
  input: Omit<ObjectivesAtLineInput, 'line' | 'category'> & { lineCount: number; categoryAt: (line: number) => string | undefined },
): ObjectiveSegment[] {
  const segments: ObjectiveSegment[] = [];
  let open: ObjectiveSegment | undefined;
  for (let line = 1; line <= input.lineCount; line++) {
    const answer = objectivesAtLine({ ...input, line, category: input.categoryAt(line) });
    if (open && answer && sameAnswer(open, answer)) {
      open.endLine = line;
      continue;
    }
    open = answer ? { ...answer, startLine: line, endLine: line } : undefined;
    if (open) segments.push(open);
  }
  return segments;
}
