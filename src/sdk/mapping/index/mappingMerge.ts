/**
 * Merges the three ways a file gets a category into one FileMapping, with the precedence of
 * docs/architecture.md: in-code declaration (or inherited) > comment annotation > path rule >
 * `unknown`. Also answers "which category is at file:line" the way the hover and CodeLens need it.
 */
import type { AttributionSource, CategoryRange, Endpoint, FileMapping, Finding, ObjectiveRange } from '../types';

/** What a comment-annotation scanner (src/sdk/mapping/annotations.ts) finds in one file. */
export interface AnnotationScan {
  categories: CategoryRange[];
  endpoints: Endpoint[];
  findings: Finding[];
  /** `@slo` ranges; absent when there are none. */
  objectives?: ObjectiveRange[];
}

export type AnnotationScanner = (file: string, text: string, knownCategories: ReadonlySet<string>) => AnnotationScan;

/** Ordered path rules (last match wins): workspace-relative path -> category, or undefined. */
export type PathCategoryLookup = (file: string) => string | undefined;

const RANK: Record<AttributionSource, number> = { declaration: 3, inherited: 3, annotation: 2, path_rule: 1, unknown: 0 };

export function attributionRank(source: AttributionSource): number {
  return RANK[source];
}

export interface MergeInput {
  file: string;
  lineCount: number;
  /** From the Ruby extractor or the GraphQL operations parser. */
  declared?: FileMapping;
  annotations?: AnnotationScan;
  pathRuleCategory?: string;
  /** Skips and parse errors from scanning. */
  scanFindings: Finding[];
}

/**
 * The best range covering `line`: highest precedence first, then the innermost (shortest) one,
 * then the one that starts last (a nested range declared later is the more specific).
 */
export function categoryAtLine(ranges: readonly CategoryRange[], line: number): CategoryRange | undefined {
  let best: CategoryRange | undefined;
  for (const r of ranges) {
    if (line < r.startLine || line > r.endLine) continue;
    if (!best || isBetter(r, best)) best = r;
  }
  return best;
}

function isBetter(a: CategoryRange, b: CategoryRange): boolean {
  const ra = RANK[a.attribution];
  const rb = RANK[b.attribution];
  if (ra !== rb) return ra > rb;
  const sa = a.endLine - a.startLine;
  const sb = b.endLine - b.startLine;
  if (sa !== sb) return sa < sb;
  return a.startLine > b.startLine;
}

function compareFindings(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

export function mergeFileMapping(input: MergeInput): FileMapping {
  const { file } = input;
  const categories: CategoryRange[] = [];
  if (input.pathRuleCategory !== undefined) {
    categories.push({
      category: input.pathRuleCategory,
      scope: 'file',
      name: file,
      startLine: 1,
      endLine: Math.max(1, input.lineCount),
      attribution: 'path_rule',
    });
  }
  if (input.annotations) categories.push(...input.annotations.categories);
  if (input.declared) categories.push(...input.declared.categories.filter((r) => r.attribution !== 'unknown'));

  // Endpoints: a declared endpoint wins over an annotated one with the same id; an endpoint the
  // code attributes to nothing takes the best weaker range at its line (annotation, path rule).
  const byId = new Map<string, Endpoint>();
  for (const ep of input.annotations?.endpoints ?? []) byId.set(ep.id, ep);
  for (const ep of input.declared?.endpoints ?? []) {
    const existing = byId.get(ep.id);
    if (ep.attribution === 'unknown') {
      if (existing) continue;
      const fallback = categoryAtLine(categories, ep.line);
      byId.set(ep.id, fallback ? { ...ep, category: fallback.category, attribution: fallback.attribution } : ep);
      continue;
    }
    byId.set(ep.id, ep);
  }
  const endpoints = [...byId.values()].sort((a, b) => a.line - b.line || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const findings = [...input.scanFindings, ...(input.annotations?.findings ?? []), ...(input.declared?.findings ?? [])];
  const unique = findings.length < 2 ? findings : dedupeFindings(findings);
  unique.sort(compareFindings);
  categories.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  const objectives = input.annotations?.objectives;
  return objectives?.length ? { file, categories, endpoints, findings: unique, objectives } : { file, categories, endpoints, findings: unique };
}

/** Drops repeated findings (same place, code and message), keeping the first. */
function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.line}:${f.column}:${f.code}:${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The file's headline category: the best range covering its first declaring line, else the file range. */
export function primaryCategory(mapping: FileMapping): { category: string; attribution: AttributionSource } {
  let best: CategoryRange | undefined;
  for (const r of mapping.categories) {
    if (r.scope === 'action' || r.scope === 'route') continue;
    if (!best || RANK[r.attribution] > RANK[best.attribution] || (RANK[r.attribution] === RANK[best.attribution] && r.startLine < best.startLine)) best = r;
  }
  if (!best) best = mapping.categories[0];
  return best ? { category: best.category, attribution: best.attribution } : { category: 'unknown', attribution: 'unknown' };
}
