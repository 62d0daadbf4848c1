/**
 * The declaration skeleton of a Ruby file: the same lines, minus method bodies, route/helper block
 * bodies, comments, blank lines, and private methods after the first one of a private section.
 *
 * Why: tree-sitter-ruby compiled to wasm lexes roughly 2-3 MB/s (a 3,000-line controller takes
 * ~38 ms, and even 90 KB of spaces takes ~8 ms), while everything we extract lives outside method
 * bodies: class/module nesting, `feature_category`/`urgency` calls, `def`/`end` lines and Grape
 * namespace/route headers. Dropping the bodies keeps the parse under a few milliseconds.
 *
 * Lines are kept whole, so columns are unchanged; `lineMap[row]` gives the original 0-based row of
 * skeleton row `row`. Bodies are recognised by GitLab's (RuboCop-enforced) indentation: a body is
 * everything after the header until an `end` at the header's indentation. When the indentation
 * does not prove where a body ends (heredoc text at column 0, `=begin`, one-line or endless defs),
 * the lines are kept as they are, and the parser falls back to the full text if the skeleton does
 * not parse cleanly (see parser.ts).
 */

export interface Skeleton {
  text: string;
  /** Original 0-based row for each skeleton row. */
  lineMap: number[];
}

/** Block calls whose bodies hold what we extract (Grape nesting and `version ... do`, EE `prepended do`); all other `do` bodies are dropped. */
const KEPT_BLOCKS = new Set([
  'namespace',
  'resource',
  'resources',
  'group',
  'segment',
  'route_param',
  'version',
  'prepended',
  'included',
  'mounted',
]);

/** `%w[group project].each do |source_type|`, `}.each do |a, b|`, `':id/x'.tap do |path|`: loops that may define routes are kept. */
const LOOP_DO = /\.(?:each|each_pair|tap)\s+do\b/;
const DEF_LINE = /^(\s*)(?:(?:private|protected|public)\s+)?def\s/;
const DO_AT_END = /\bdo(?:\s*\|[^|]*\|)?\s*(?:#.*)?$/;
const FIRST_WORD = /^\s*([A-Za-z_][A-Za-z0-9_]*)/;
const END_LINE = /^\s*end\b/;
/** Clauses that may sit at the header's indentation inside a def or block body. */
const BODY_CLAUSE = /^\s*(?:rescue|ensure|else)\b/;
/** A statement continues on the next line when a line ends with one of these. */
const CONTINUES = /(?:,|\(|\[|\{|\\|\|\||&&|=|\.)\s*$/;
/** A bare visibility line (`private`, `protected`, `public`) switching the methods below it. */
const BARE_VISIBILITY = /^\s*(private|protected|public)\s*(?:#.*)?$/;
/**
 * A one-line `def` header that cannot hide a syntax error: a plain name and, optionally, a
 * parameter list of names, defaults and splats without strings, brackets or blocks.
 */
const PLAIN_DEF = /^\s*def[ \t]+[A-Za-z_][A-Za-z0-9_]*[?!]?[ \t]*(?:\([\w \t,:*&=]*\))?[ \t]*(?:#.*)?$/;
const PLAIN_END = /^\s*end[ \t]*(?:#.*)?$/;

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return i;
}

/**
 * The source's lines by their offsets: a line is sliced out only when its text is needed (a line
 * kept, or one at a body's indentation that may close it). `source.split('\n')` made a string per
 * line, and most lines are in bodies that are skipped by their indentation alone: on a GitLab
 * checkout 104 MB of declaring files became ~3.5 million line strings, most of the cold build's
 * garbage (a spec file's whole `describe` body is skipped this way).
 */
class Lines {
  /** Offset of each line's first character. */
  private readonly starts: number[] = [0];
  readonly length: number;

  constructor(private readonly source: string) {
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
    this.length = this.starts.length;
  }

  private end(row: number): number {
    return row + 1 < this.length ? (this.starts[row + 1] as number) - 1 : this.source.length;
  }

  text(row: number): string {
    return this.source.slice(this.starts[row], this.end(row));
  }

  /** Spaces and tabs before the first other character of the line. */
  indent(row: number): number {
    const start = this.starts[row] as number;
    const end = this.end(row);
    let i = start;
    while (i < end && (this.source.charCodeAt(i) === 32 || this.source.charCodeAt(i) === 9)) i++;
    return i - start;
  }

  /** Only spaces and tabs (`indent` === the line's length). */
  isBlank(row: number, indent: number): boolean {
    return (this.starts[row] as number) + indent === this.end(row);
  }

  /** Blank, or a comment: what isBlankOrComment says of the line's text. */
  isBlankOrComment(row: number, indent: number): boolean {
    const at = (this.starts[row] as number) + indent;
    return at === this.end(row) || this.source.charCodeAt(at) === 35; /* '#' */
  }
}

/**
 * Index of the `end` line closing a body whose header sits at `indent` and ends on row
 * `headerEnd`, or -1 when the indentation does not prove it (then nothing is dropped).
 */
function findBodyEnd(lines: Lines, headerEnd: number, indent: number): number {
  for (let r = headerEnd + 1; r < lines.length; r++) {
    const ind = lines.indent(r);
    if (lines.isBlank(r, ind)) continue;
    if (ind > indent) continue;
    if (ind < indent) return -1;
    const line = lines.text(r);
    if (END_LINE.test(line)) return r;
    if (BODY_CLAUSE.test(line)) continue;
    return -1;
  }
  return -1;
}

/** Row where a multi-line header (`def foo(a,` / `get 'x',`) ends. */
function headerEndRow(lines: Lines, start: number): number {
  let r = start;
  while (r < lines.length - 1 && CONTINUES.test(lines.text(r))) r++;
  return r;
}

export function buildSkeleton(source: string): Skeleton {
  const lines = new Lines(source);
  const kept: string[] = [];
  const lineMap: number[] = [];
  let row = 0;
  // Start row of the statement the current line belongs to (for `get 'x',\n  urgency: :low do`).
  let statementStart = 0;
  let previousContinues = false;
  // After a bare `private`/`protected` at this indentation (-1: none), methods are not actions.
  let privateIndent = -1;
  let keptPrivateDef = false;
  while (row < lines.length) {
    const indent = lines.indent(row);
    if (lines.isBlankOrComment(row, indent)) {
      row++;
      continue;
    }
    const line = lines.text(row);
    if (indent < privateIndent) privateIndent = -1; // left the class body
    if (!previousContinues) {
      const visibility = BARE_VISIBILITY.exec(line)?.[1];
      if (visibility !== undefined) {
        privateIndent = visibility === 'public' ? -1 : indent;
        keptPrivateDef = false;
      } else if (indent === privateIndent && PLAIN_DEF.test(line)) {
        // Private methods are never endpoints, so after the first one (which is what tells the
        // extractor the class has statements of its own) they are left out of the skeleton
        // altogether when the indentation proves where they end: about a fifth less to parse.
        const end = keptPrivateDef ? findBodyEnd(lines, row, indent) : -1;
        if (end >= 0 && PLAIN_END.test(lines.text(end))) {
          row = end + 1;
          continue;
        }
        keptPrivateDef = true;
      }
    }
    if (!previousContinues) statementStart = row;
    kept.push(line);
    lineMap.push(row);

    let headerEnd = -1;
    let headerIndent = 0;
    const def = previousContinues ? null : DEF_LINE.exec(line);
    if (def) {
      headerEnd = headerEndRow(lines, row);
      headerIndent = def[1]!.length;
    } else if (DO_AT_END.test(line)) {
      const first = statementStart === row ? line : lines.text(statementStart);
      const word = FIRST_WORD.exec(first)?.[1];
      if (word !== undefined && !KEPT_BLOCKS.has(word) && !LOOP_DO.test(line)) {
        headerEnd = row;
        headerIndent = indentOf(first);
      }
    }
    if (headerEnd >= 0) {
      // Keep the rest of a multi-line header, then skip to the closing `end`.
      for (let r = row + 1; r <= headerEnd; r++) {
        kept.push(lines.text(r));
        lineMap.push(r);
      }
      const end = findBodyEnd(lines, headerEnd, headerIndent);
      if (end >= 0) {
        kept.push(lines.text(end));
        lineMap.push(end);
        row = end + 1;
        previousContinues = false;
        continue;
      }
      row = headerEnd + 1;
      previousContinues = CONTINUES.test(lines.text(headerEnd));
      continue;
    }
    previousContinues = CONTINUES.test(line) && !line.trimStart().startsWith('#');
    row++;
  }
  return { text: kept.join('\n') + '\n', lineMap };
}
