/**
 * Comment annotations, for code in any language that has no `feature_category` DSL:
 *
 *   # @feature_category team_planning        (also //, /* *\/, -- and JSDoc ` * ` lines)
 *   # @urgency high                           (high | medium | default | low)
 *   # @endpoint "GET /users/:id"              (the next function definition is this endpoint)
 *   // @slo workspace-starts, workspace-start-latency   (objectives of the range, issue 13)
 *
 * `@slo` names one or more objectives (ObjectiveSpec.name: `workspace-starts`, or an OpenSLO
 * objective of a multi-objective SLO, `search/1`), separated by commas or blanks, up to the end
 * of the line or the next tag; `@slo: name` is the same. Several `@slo` lines in one block add
 * up. The range it covers is placed like a category's (below), and the objectives it names apply
 * there before any path rule or category (WorkspaceIndex.objectivesAt). With `knownObjectives`,
 * a name the project does not define is an `unknown_objective` error at its line.
 *
 * GitLab's colon form is the same annotation: `# @feature_category: team_planning`,
 * `# @urgency: high` (also `@urgency:high`, `@urgency :high`). What is an annotation, and so what
 * can be reported: a whole-line comment in the file's own comment syntax (`#` is no comment in
 * JS/TS/Go/Java/... files, so `# @urgency: high` in a template literal is a string) whose text
 * starts with the tag, as GitLab's eslint rules read them (`^\s+@feature_category:` on the
 * comment's text). A tag further into a comment (`// Match: @urgency: <value>`) is prose about
 * annotations and never a finding; on an annotation line a missing or bad value is an error.
 *
 * Where an annotation block (consecutive comment lines) sits decides what it covers:
 * - directly above a function or class (no blank line between; decorators allowed): that
 *   definition's range;
 * - otherwise, before any code (only comments, blank lines, package/import/require lines above
 *   it): the whole file;
 * - anywhere else: nothing (a warning says so). `@endpoint` always attaches to the next function
 *   definition, wherever the block is.
 * Range heuristic (no parser, any language): Python (.py, or a signature ending in ':') ends at
 * the last line indented deeper than the `def`; Ruby (.rb, or a `def`/`class` without '{') ends
 * at the first `end` at the definition's indentation; everything else counts braces from the
 * first '{' (ignoring braces in quotes and // comments) until they balance; a definition that
 * ends before any '{' (`const f = () => x;`) is one line. An unclosed range runs to end of file.
 */
import { closestCategory, editDistance } from '../catalog/closestCategory';
import type { Urgency } from '../contract/budgetTypes';
import type { RequestUrgency } from '../budget/urgency';
import { APDEX_THRESHOLDS_S, DEFAULT_URGENCY, knownUrgency, urgencyNamesOf } from '../budget/urgency';
import type { CategoryRange, Endpoint, FileMapping, Finding, FindingCode, ObjectiveRange, RangeScope } from './types';

/** Apdex thresholds of annotated endpoints: the request column of budget/urgency.ts (domain.md section 1). */
export const ANNOTATED_THRESHOLDS_S: Readonly<Record<RequestUrgency, number>> = APDEX_THRESHOLDS_S.request;

/** `high, medium, default or low`: the request urgencies, for the unknown_urgency message. */
const REQUEST_URGENCY_WORDS = ((names) => `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]!}`)(urgencyNamesOf('request'));

export interface AnnotationOptions {
  /** Known feature categories; when given, other names get an `unknown_category` finding. */
  knownCategories?: ReadonlySet<string>;
  /** The project's objective names; when given, `@slo` names outside it get an `unknown_objective` finding. */
  knownObjectives?: ReadonlySet<string>;
}

type Tag = 'feature_category' | 'urgency' | 'endpoint';
interface TagValue {
  value: string;
  line: number;
  column: number;
}
interface Block {
  /** 0-based index of the first and last comment line. */
  first: number;
  last: number;
  tags: Partial<Record<Tag, TagValue>>;
  /** `@slo` names of the block, in order, each with where it was written. */
  slo?: TagValue[];
}
interface Definition {
  name: string;
  scope: Extract<RangeScope, 'class' | 'action'>;
  /** 0-based line of the `def`/`function`/`class` itself. */
  line: number;
}
/** An annotated scope: what CategoryRange is built from, plus urgency for endpoints inside. */
interface Scope {
  category?: string;
  urgency?: Urgency;
  range: CategoryRange;
}

const TAG_RE = /@(feature_category|urgency|endpoint|slo)\b/g;
/** An objective name: a DNS label, or `<slo>/<objective>` for one objective of a multi-objective OpenSLO SLO. */
export const OBJECTIVE_NAME_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\/[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)?$/;
const AT_WORD_RE = /@([A-Za-z][\w-]*)/g;
const CATEGORY_RE = /^[a-z][a-z0-9_-]*$/;
const PREAMBLE_RE = /^\s*(package\s|import\b|from\s+\S+\s+import\b|require(_relative)?\b|(const|let|var)\s+\S+\s*=\s*require\(|['"]use strict['"]|using\s|#include\b|export\s+(\*|\{[^}]*\})\s+from\b)/;
const CLASS_RES = [
  /^\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*(?:::[\w]+)*)/,
  /^\s*module\s+([A-Z][\w]*(?:::[\w]+)*)/,
  /^type\s+([A-Za-z_]\w*)\s+(?:struct|interface)\b/,
];
const FUNCTION_RES = [
  /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/,
  /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)/,
  /^\s*(?:async\s+)?def\s+(?:self\.)?([A-Za-z_]\w*[?!=]?)/,
  /^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/,
  /^\s*(?:(?:public|private|protected|static|async|override|readonly|abstract)\s+)*(?:[gs]et\s+)?\*?([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^;]*$/,
];
const NOT_METHOD_NAMES = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'with', 'super', 'new', 'typeof', 'await', 'elif', 'else']);

/**
 * Languages in which `#` starts no comment: there a `# @urgency: high` line is code or the text of
 * a string (GitLab's JS specs hold GraphQL documents in template literals), never an annotation.
 */
const NO_HASH_COMMENTS = /\.(ts|tsx|js|jsx|mjs|cjs|vue|go|java|kt|cs|swift|rs|c|cc|cpp|h|hpp|scala)$/;

function isCommentStart(trimmed: string, hashComments: boolean): boolean {
  return hashComments ? /^(\/\/|#(?!\[)|--|\/\*|\*)/.test(trimmed) : /^(\/\/|\/\*|\*)/.test(trimmed);
}

/**
 * Where the comment's text starts on a comment line: after the marker (`#`, `//`, `--`, `/*`, a
 * JSDoc `*`) and the blanks after it.
 */
function commentTextStart(line: string): number {
  const m = /^\s*(?:\/\/+|#+|--|\/\*+|\*+)?\s*/.exec(line);
  return m ? m[0].length : 0;
}

/** Which lines are comments (whole-line only: an annotation never trails code). */
function classifyComments(lines: readonly string[], hashComments = true): boolean[] {
  const comment = new Array<boolean>(lines.length).fill(false);
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (inBlock) {
      comment[i] = true;
      if (t.includes('*/')) inBlock = false;
      continue;
    }
    if (t.startsWith('/*')) {
      comment[i] = true;
      inBlock = !t.slice(2).includes('*/');
    } else if (t !== '' && isCommentStart(t, hashComments)) {
      comment[i] = true;
    }
  }
  return comment;
}

function definitionAt(line: string, lineIndex: number): Definition | undefined {
  for (const re of CLASS_RES) {
    const m = re.exec(line);
    if (m) return { name: m[1]!, scope: 'class', line: lineIndex };
  }
  for (const re of FUNCTION_RES) {
    const m = re.exec(line);
    if (m && !NOT_METHOD_NAMES.has(m[1]!)) return { name: m[1]!, scope: 'action', line: lineIndex };
  }
  return undefined;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
/** The line without quoted strings and a trailing // comment, so braces in them do not count. */
const codeOnly = (line: string): string =>
  line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\/\/.*$/, '');

function pythonEnd(lines: readonly string[], def: number): number {
  const indent = indentOf(lines[def]!);
  let sig = def;
  // A multi-line signature ends at the first line whose code ends with ':'.
  while (sig < lines.length - 1 && !/:\s*(#.*)?$/.test(lines[sig]!)) sig++;
  let end = sig;
  for (let i = sig + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '') continue;
    if (indentOf(l) <= indent) break;
    end = i;
  }
  return end;
}

function rubyEnd(lines: readonly string[], def: number): number {
  const first = lines[def]!;
  // One-liners: `def x; end`, `def x = expr` (endless method), `class A < B; end`.
  if (/\bend\s*$/.test(first) || /^\s*def\s+[\w.?!]+(\([^)]*\))?\s*=[^=~>]/.test(first)) return def;
  const indent = indentOf(first);
  for (let i = def + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (indentOf(l) === indent && /^end\b/.test(l.trim())) return i;
  }
  return lines.length - 1;
}

function braceEnd(lines: readonly string[], def: number): number {
  let depth = 0;
  let opened = false;
  for (let i = def; i < lines.length; i++) {
    for (const ch of codeOnly(lines[i]!)) {
      if (ch === '{') {
        depth++;
        opened = true;
      } else if (ch === '}') {
        depth--;
        if (opened && depth === 0) return i;
      } else if (ch === ';' && !opened && depth === 0) {
        return i; // `const f = () => x;` or an abstract signature: no body.
      }
    }
    if (!opened && i > def && /^\s*$/.test(lines[i]!)) return i - 1;
  }
  return opened ? lines.length - 1 : def;
}

/** The 0-based last line of the definition starting at 0-based line `def` (Ruby `end`, Python indentation, braces; guessed for other languages). */
export function definitionEnd(lines: readonly string[], def: number, file: string): number {
  const line = lines[def]!;
  if (/\.pyi?$/.test(file)) return pythonEnd(lines, def);
  if (/\.(rb|rake|ru)$/.test(file)) return rubyEnd(lines, def);
  if (/\.(ts|tsx|js|jsx|mjs|cjs|go|java|kt|cs|swift|rs|c|cc|cpp|h|hpp|php|scala)$/.test(file)) return braceEnd(lines, def);
  // Unknown language: guess from the definition line itself.
  if (/:\s*(#.*)?$/.test(line) && !line.includes('{')) return pythonEnd(lines, def);
  if (/^\s*(def|class|module)\s/.test(line) && !line.includes('{')) return rubyEnd(lines, def);
  return braceEnd(lines, def);
}

function parseBlockTags(lines: readonly string[], block: Block, file: string, findings: Finding[]): void {
  const push = (code: FindingCode, severity: Finding['severity'], message: string, line: number, column: number, suggestion?: string): void => {
    findings.push({ code, severity, message, file, line: line + 1, column: column + 1, ...(suggestion ? { suggestion } : {}) });
  };
  for (let i = block.first; i <= block.last; i++) {
    const text = lines[i]!;
    for (const m of text.matchAll(AT_WORD_RE)) {
      // A misspelt tag would silently attribute nothing; `@featureCategory`, `@feature_categroy`.
      const word = m[1]!.toLowerCase().replace(/-/g, '_');
      if (m[1] !== 'feature_category' && word.length > 10 && editDistance(word, 'feature_category') <= 3) {
        push('parse_error', 'warning', `"${m[0]}" is not an annotation; did you mean "@feature_category"?`, i, m.index);
      }
    }
    // An annotation line is a comment whose text starts with a tag, as GitLab's own tooling reads
    // them (`^\s+@feature_category:` on the comment's text): a tag further on is prose about
    // annotations (`// Match: @urgency: <value>`), not an annotation, and is never reported.
    const start = commentTextStart(text);
    if (!/^@(feature_category|urgency|endpoint|slo)\b/.test(text.slice(start))) continue;
    for (const m of text.slice(start).matchAll(TAG_RE)) {
      const col = m.index + start;
      const rest = text.slice(col + m[0].length);
      if (m[1] === 'slo') {
        parseSloNames(rest, col + m[0].length, i, block, push);
        continue;
      }
      const tag = m[1] as Tag;
      if (block.tags[tag]) {
        push('parse_error', 'error', `@${tag} given twice in one annotation block (first on line ${block.tags[tag].line})`, i, col);
        continue;
      }
      let value: string | undefined;
      if (tag === 'endpoint') {
        const q = /^\s+(["'])(.*?)\1/.exec(rest);
        if (!q || q[2]!.trim() === '') {
          push('parse_error', 'error', '@endpoint needs a quoted endpoint id, e.g. @endpoint "GET /users/:id"', i, col);
          continue;
        }
        value = q[2]!.trim();
      } else {
        // `@urgency high`, GitLab's `@urgency: high` (and `@urgency:high`), `@urgency :high`.
        const w = /^(?:\s*:\s*|\s+:?)([^\s*]+)/.exec(rest);
        // Strip what closes a comment on the same line (`*/`, `-->`), not part of the value.
        value = w?.[1]!.replace(/(\*\/|-->)$/, '');
        if (!value) {
          push('parse_error', 'error', `@${tag} needs a value`, i, col);
          continue;
        }
        if (tag === 'feature_category' && !CATEGORY_RE.test(value)) {
          push('parse_error', 'error', `"${value}" is not a feature category name (lower case letters, digits, "_" and "-")`, i, col);
          continue;
        }
        if (tag === 'urgency' && knownUrgency('request', value) === undefined) {
          const why = knownUrgency('sidekiq', value) !== undefined ? `${value} applies only to Sidekiq jobs; ` : '';
          push('unknown_urgency', 'error', `unknown urgency "${value}": ${why}use ${REQUEST_URGENCY_WORDS}`, i, col);
          continue;
        }
      }
      block.tags[tag] = { value, line: i + 1, column: col + 1 };
    }
  }
}

type Push = (code: FindingCode, severity: Finding['severity'], message: string, line: number, column: number, suggestion?: string) => void;

/** `@slo a, b c` -> the block's names (up to the next tag or the end of the comment). */
function parseSloNames(rest: string, offset: number, line: number, block: Block, push: Push): void {
  const colon = /^\s*:/.exec(rest)?.[0].length ?? 0;
  const next = rest.indexOf('@', colon);
  // Up to the next tag or the end of the line, without what closes a comment there.
  const value = (next < 0 ? rest : rest.slice(0, next)).replace(/\s*(\*\/|-->)?\s*$/, '');
  const matches = [...value.slice(colon).matchAll(/[^\s,]+/g)];
  if (matches.length === 0) {
    push('parse_error', 'error', '@slo needs an objective name, e.g. @slo workspace-starts', line, offset - '@slo'.length);
    return;
  }
  const seen = new Set((block.slo ?? []).map((t) => t.value));
  for (const m of matches) {
    const name = m[0];
    const column = offset + colon + m.index;
    if (!OBJECTIVE_NAME_RE.test(name)) {
      push('parse_error', 'error', `"${name}" is not an objective name (lower case letters, digits and "-", as metadata.name; "<slo>/<objective>" for one objective of an SLO)`, line, column);
      continue;
    }
    if (seen.has(name)) continue;
    seen.add(name);
    (block.slo ??= []).push({ value: name, line: line + 1, column: column + 1 });
  }
}

function checkObjectives(names: readonly TagValue[], file: string, options: AnnotationOptions, findings: Finding[]): void {
  const known = options.knownObjectives;
  if (!known) return;
  for (const tag of names) {
    if (known.has(tag.value)) continue;
    const suggestion = closestCategory(tag.value, known);
    findings.push({
      code: 'unknown_objective',
      severity: 'error',
      message: `unknown objective "${tag.value}"${suggestion ? `; did you mean "${suggestion}"?` : known.size === 0 ? ' (the project defines no objectives)' : ''}`,
      file,
      line: tag.line,
      column: tag.column,
      ...(suggestion ? { suggestion } : {}),
    });
  }
}

function checkCategory(tag: TagValue, file: string, options: AnnotationOptions, findings: Finding[]): void {
  const known = options.knownCategories;
  const name = tag.value;
  if (!known || known.has(name) || name === 'unknown' || name === 'not_owned') return;
  const suggestion = closestCategory(name, known);
  findings.push({
    code: 'unknown_category',
    severity: 'error',
    message: `unknown feature category "${name}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
    file,
    line: tag.line,
    column: tag.column,
    ...(suggestion ? { suggestion } : {}),
  });
}

/** First code line at or after `from` (skipping blanks and comments), or -1. */
function nextCode(lines: readonly string[], comment: readonly boolean[], from: number): number {
  for (let i = from; i < lines.length; i++) if (!comment[i] && lines[i]!.trim() !== '') return i;
  return -1;
}

/** The definition starting at code line `at` once decorators (`@app.get(...)`, `@Get()`) are skipped. */
function definitionFrom(lines: readonly string[], comment: readonly boolean[], at: number): Definition | undefined {
  let i = at;
  while (i >= 0 && /^\s*@/.test(lines[i]!)) i = nextCode(lines, comment, i + 1);
  return i >= 0 ? definitionAt(lines[i]!, i) : undefined;
}

/** Finds annotation blocks in a source file and turns them into ranges, endpoints and findings. */
export function scanAnnotations(text: string, file: string, options: AnnotationOptions = {}): FileMapping {
  const out: FileMapping = { file, categories: [], endpoints: [], findings: [] };
  // Most files have no annotation at all: skip the line work for them.
  // (Misspellings the near-miss check reports all start with `@feature`, so they pass this test.)
  if (!/@(?:feature|urgency|endpoint|slo)/i.test(text)) return out;
  const lines = text.split(/\r?\n/);
  const comment = classifyComments(lines, !NO_HASH_COMMENTS.test(file));

  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!comment[i]) continue;
    const block: Block = { first: i, last: i, tags: {} };
    while (block.last + 1 < lines.length && comment[block.last + 1]) block.last++;
    parseBlockTags(lines, block, file, out.findings);
    if (Object.keys(block.tags).length > 0 || block.slo) blocks.push(block);
    i = block.last;
  }

  // The first line that is code proper (not a comment, blank, package/import/require line).
  let firstCode = 0;
  while (firstCode < lines.length && (comment[firstCode] || lines[firstCode]!.trim() === '' || PREAMBLE_RE.test(lines[firstCode]!))) firstCode++;

  const scopes: Scope[] = [];
  const objectiveRanges: ObjectiveRange[] = [];
  const pendingEndpoints: Array<{ block: Block; def: Definition }> = [];
  for (const block of blocks) {
    const { feature_category: category, urgency, endpoint } = block.tags;
    if (category) checkCategory(category, file, options, out.findings);
    const slo = block.slo;
    if (slo) checkObjectives(slo, file, options, out.findings);
    const code = nextCode(lines, comment, block.last + 1);
    const adjacent = code === block.last + 1;
    const def = code >= 0 && adjacent ? definitionFrom(lines, comment, code) : undefined;
    const beforeCode = block.first <= firstCode;

    if (endpoint) {
      let target: Definition | undefined;
      for (let i = code; i >= 0 && !target; i = nextCode(lines, comment, i + 1)) {
        const d = definitionAt(lines[i]!, i);
        if (d?.scope === 'action') target = d;
      }
      if (target) pendingEndpoints.push({ block, def: target });
      else out.findings.push({ code: 'parse_error', severity: 'error', message: `no function definition follows @endpoint "${endpoint.value}"`, file, line: endpoint.line, column: endpoint.column });
    }
    if (!category && !urgency && !slo) continue;

    let range: CategoryRange | undefined;
    const attribution = 'annotation' as const;
    if (def) {
      const scope: RangeScope = endpoint && def.scope === 'action' ? 'route' : def.scope;
      const name = scope === 'route' ? endpoint!.value : def.name;
      range = { category: category?.value ?? '', scope, name, startLine: code + 1, endLine: definitionEnd(lines, def.line, file) + 1, attribution };
    } else if (beforeCode) {
      range = { category: category?.value ?? '', scope: 'file', name: file, startLine: 1, endLine: Math.max(1, lines.length - (lines.at(-1) === '' ? 1 : 0)), attribution };
    } else if (!endpoint) {
      const tag = (category ?? urgency ?? slo?.[0])!;
      out.findings.push({
        code: 'parse_error',
        severity: 'warning',
        message: 'this annotation covers nothing: put it at the top of the file (before any code) or directly above a function or class',
        file,
        line: tag.line,
        column: tag.column,
      });
    }
    if (range && slo) {
      const { scope, name, startLine, endLine } = range;
      objectiveRanges.push({ objectives: slo.map((t) => t.value), scope, name, startLine, endLine, line: slo[0]!.line });
    }
    if (range && (category || urgency)) {
      scopes.push({ category: category?.value, urgency: urgency?.value as Urgency | undefined, range });
      if (category) out.categories.push(range);
    }
  }

  for (const { block, def } of pendingEndpoints) {
    const line = def.line + 1;
    // Innermost annotated scope around the definition: the narrowest range containing it.
    const around = scopes
      .filter((s) => s.range.startLine <= line && line <= s.range.endLine)
      .sort((a, b) => a.range.endLine - a.range.startLine - (b.range.endLine - b.range.startLine));
    const category = block.tags.feature_category?.value ?? around.find((s) => s.category)?.category;
    const urgency = (block.tags.urgency?.value ?? around.find((s) => s.urgency)?.urgency ?? DEFAULT_URGENCY.request) as RequestUrgency;
    const id = block.tags.endpoint!.value;
    if (!category) {
      const tag = block.tags.endpoint!;
      out.findings.push({ code: 'unknown_category', severity: 'warning', message: `endpoint "${id}" has no @feature_category (here or around it); it counts as unknown`, file, line: tag.line, column: tag.column });
    }
    const endpoint: Endpoint = {
      id,
      kind: 'annotated',
      category: category ?? 'unknown',
      urgency,
      thresholdS: ANNOTATED_THRESHOLDS_S[urgency],
      file,
      line,
      attribution: category ? 'annotation' : 'unknown',
    };
    out.endpoints.push(endpoint);
  }
  out.findings.sort((a, b) => a.line - b.line || a.column - b.column);
  if (objectiveRanges.length > 0) out.objectives = objectiveRanges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out;
}
