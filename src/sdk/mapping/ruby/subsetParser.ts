/**
 * A parser for the small subset of Ruby that declaration skeletons (skeleton.ts) are usually made
 * of, building exactly the tree tree-sitter-ruby builds: the same node types and field names, the
 * same anonymous tokens, the same indices and positions. The extractor cannot tell the two apart.
 *
 * Why: tree-sitter-ruby costs 4-8 us per skeleton line even on `feature_category :x` (its external
 * scanner runs at every token), which made the parse most of a cold index. This parser reads the
 * same lines in well under a microsecond each.
 *
 * The subset, one construct per line (indentation free, spaces and tabs, `\n` line ends):
 * - `module Name` / `class Name` / `class Name < Super` / `class << self` ... `end`, names `A`,
 *   `A::B`, `::A::B`;
 * - `def name` / `def name(a, b = 1, c:, *d, &e)` ... `end`, `def self.name`, `def name; end`;
 * - receiver-less calls: `name`, `name!`, `name args`, `name(args)`, each maybe with a `do` ... `end`
 *   or one-line `{ ... }` block, where args are literals (`:sym`, `'str'`, numbers, constants,
 *   `[...]`, `%i[..]`, `%w[..]`, `{ ... }`, `/regexp/`, `%r{regexp}`, `-> { ... }`), `key: value`
 *   pairs, and calls on them (`5.minutes`, `A.b(c)`); constant and local assignments of those;
 * - a statement followed by an `if` / `unless` modifier whose condition is one such value;
 * - comments at line ends, also between the elements of multi-line lists.
 * Anything else (`;` but in `def x; end`, heredocs, interpolation, escapes in strings, other
 * receivers, operators but a lone `+ - *`, lambda parameters, assignments to anything else,
 * other keywords, `\r`, non-ASCII) makes parseSubset return undefined, and the caller parses
 * with tree-sitter. Being exact on a small subset and refusing the rest is the point: test/unit/
 * mapping/ruby/subsetParser.test.ts compares whole trees against tree-sitter's on the fixtures,
 * the example workspace, the benchmark tree, snippets, mutated copies and generated programs.
 */
import type { Point, SyntaxNode, SyntaxTree } from './syntaxNode';

/** Shared by every leaf and every node whose children have no field names (never mutated). */
const NO_CHILDREN: SubsetNode[] = Object.freeze([]) as unknown as SubsetNode[];
const NO_FIELDS: (string | null)[] = Object.freeze([]) as unknown as (string | null)[];

/**
 * Positions are kept as four numbers and made into points on demand: a cold index builds a few
 * hundred thousand nodes, and two point objects each were most of the parser's garbage.
 */
export class SubsetNode implements SyntaxNode {
  private named: SubsetNode[] | undefined;

  constructor(
    private readonly source: string,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly startRow: number,
    readonly startColumn: number,
    readonly endRow: number,
    readonly endColumn: number,
    readonly children: SubsetNode[],
    /** Field name of each child (null when none), parallel to `children`; empty when none has one. */
    private readonly fields: (string | null)[],
  ) {}

  get startPosition(): Point {
    return { row: this.startRow, column: this.startColumn };
  }

  get endPosition(): Point {
    return { row: this.endRow, column: this.endColumn };
  }

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildren(): SubsetNode[] {
    return (this.named ??= this.children.filter((c) => c.isNamed));
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  child(index: number): SubsetNode | null {
    return this.children[index] ?? null;
  }

  namedChild(index: number): SubsetNode | null {
    return this.namedChildren[index] ?? null;
  }

  childForFieldName(fieldName: string): SubsetNode | null {
    const i = this.fields.indexOf(fieldName);
    return i === -1 ? null : (this.children[i] ?? null);
  }

  fieldNameForChild(index: number): string | null {
    return this.fields[index] ?? null;
  }

  get hasError(): boolean {
    return false;
  }

  get isMissing(): boolean {
    return false;
  }

  get isError(): boolean {
    return false;
  }
}

export interface SubsetTree extends SyntaxTree {
  readonly rootNode: SubsetNode;
}

/** Thrown (one shared instance, no stack to capture) when the input leaves the subset. */
const OUTSIDE = new Error('outside the Ruby subset');

/**
 * Words that are not plain method calls when they start a statement or name a method or
 * parameter. `private`, `include`, `attr_reader` and the like are ordinary calls to tree-sitter.
 */
const KEYWORDS = new Set([
  'BEGIN', 'END', 'alias', 'and', 'begin', 'break', 'case', 'class', 'def', 'defined', 'do', 'else', 'elsif', 'end',
  'ensure', 'false', 'for', 'if', 'in', 'module', 'next', 'nil', 'not', 'or', 'redo', 'rescue', 'retry', 'return',
  'self', 'super', 'then', 'true', 'undef', 'unless', 'until', 'when', 'while', 'yield',
]);

const MAX_DEPTH = 32;
const SPACE_CODE = 32;

const NL = 10;
const SPACE = 32;
const TAB = 9;
const COLON = 58;
const COMMA = 44;
const QUOTE = 39;
const DQUOTE = 34;
const HASH = 35;
const BACKSLASH = 92;
const LBRACKET = 91;
const RBRACKET = 93;
const LPAREN = 40;
const RPAREN = 41;
const PERCENT = 37;
const LT = 60;
const BANG = 33;
const QUESTION = 63;
const EQUALS = 61;
const UNDERSCORE = 95;
const SEMICOLON = 59;
const DOT = 46;
const LBRACE = 123;
const PIPE = 124;
const MINUS = 45;
const PLUS = 43;
const AMPERSAND = 38;
const STAR = 42;
const GT = 62;
const RBRACE = 125;
const SLASH = 47;

function isLower(c: number): boolean {
  return (c >= 97 && c <= 122) || c === UNDERSCORE;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Printable ASCII allowed inside a `%w[]` word besides letters and digits. */
function isWordPunctuation(c: number): boolean {
  return c > SPACE_CODE && c < 127 && c !== 91 && c !== 93 && c !== 92 && c !== 35 && c !== 40 && c !== 41 && c !== 123 && c !== 125 && c !== 60 && c !== 62;
}

function isWordChar(c: number): boolean {
  return isLower(c) || isUpper(c) || isDigit(c);
}

class Reader {
  pos = 0;
  private depth = 0;
  /** Brace blocks being read: a bare name may end at their `}`. */
  private braceDepth = 0;
  /** Set by methodCallOn when it read command arguments (`A.b c`): nothing may be chained after them. */
  private commandCall = false;
  private row = 0;
  private lineStart = 0;
  private readonly length: number;

  constructor(private readonly src: string) {
    this.length = src.length;
  }

  private at(i: number): number {
    return i < this.length ? this.src.charCodeAt(i) : -1;
  }

  /** A token or leaf on the current line. */
  private leaf(type: string, isNamed: boolean, start: number, end: number): SubsetNode {
    const row = this.row;
    const lineStart = this.lineStart;
    return new SubsetNode(this.src, type, isNamed, start, end, row, start - lineStart, row, end - lineStart, NO_CHILDREN, NO_FIELDS);
  }

  /** A node spanning its children (possibly over several lines); `fields` omitted: none has a field name. */
  private parent(type: string, children: SubsetNode[], fields: (string | null)[] = NO_FIELDS): SubsetNode {
    const first = children[0] as SubsetNode;
    const last = children[children.length - 1] as SubsetNode;
    return new SubsetNode(
      this.src, type, true, first.startIndex, last.endIndex, first.startRow, first.startColumn, last.endRow, last.endColumn, children, fields,
    );
  }

  private skipSpaces(): void {
    for (let c = this.at(this.pos); c === SPACE || c === TAB; c = this.at(this.pos)) this.pos++;
  }

  /** Spaces, tabs and line ends (inside brackets, or after a comma, a line end is just space). */
  private skipBlank(): void {
    for (let c = this.at(this.pos); c === SPACE || c === TAB || c === NL; c = this.at(this.pos)) {
      this.pos++;
      if (c === NL) {
        this.row++;
        this.lineStart = this.pos;
      }
    }
  }

  /** The end of the line (consumed) or of the input, right here. */
  private lineEnd(): void {
    // No trailing spaces: tree-sitter stretches some enclosing nodes over them (`end\t` as the
    // last line of a body widens the body_statement), so such lines are left to it.
    const c = this.at(this.pos);
    if (c === -1) return;
    if (c !== NL) throw OUTSIDE;
    this.pos++;
    this.row++;
    this.lineStart = this.pos;
  }

  /** An identifier at pos (`[a-z_][A-Za-z0-9_]*`), or the empty string. */
  private word(): string {
    const start = this.pos;
    if (!isLower(this.at(start))) return '';
    let i = start + 1;
    while (isWordChar(this.at(i))) i++;
    return this.src.slice(start, i);
  }

  /** Whether the word `w` sits at pos, not followed by an identifier character. */
  private atWord(w: string): boolean {
    return this.src.startsWith(w, this.pos) && !isWordChar(this.at(this.pos + w.length)) && this.at(this.pos + w.length) !== QUESTION && this.at(this.pos + w.length) !== BANG;
  }

  /** A `do` (a block: its parameters, if any, and the line end are checked by doBlock). */
  private atDo(): boolean {
    return this.atWord('do');
  }

  private atEndLine(): boolean {
    return this.atWord('end') && this.lineEndsAt(this.pos + 3);
  }

  /** The line ends at `i`, or only a trailing comment follows. */
  private lineEndsAt(i: number): boolean {
    let c = this.at(i);
    if (c === NL || c === -1) return true;
    if (c !== SPACE && c !== TAB) return false;
    while (c === SPACE || c === TAB) c = this.at(++i);
    return c === HASH;
  }

  /**
   * ` # text` closing the line: tree-sitter's `comment`. It goes where tree-sitter puts it: after a
   * statement, into the enclosing statement list; after a `class`/`module`/`def` header or a `do`,
   * into that node before its body. Restores pos when there is none.
   */
  private trailingComment(): SubsetNode | undefined {
    const start = this.pos;
    this.skipSpaces();
    if (this.pos === start || this.at(this.pos) !== HASH) {
      this.pos = start;
      return undefined;
    }
    return this.comment();
  }

  /** `# text` at pos, up to the line end (left unread). */
  private comment(): SubsetNode {
    const from = this.pos;
    let i = from;
    for (let c = this.at(i); c !== NL && c !== -1; c = this.at(++i)) if (c < SPACE || c > 126) throw OUTSIDE;
    const last = this.at(i - 1);
    if (last === SPACE || last === TAB) throw OUTSIDE; // trailing spaces (see lineEnd)
    const node = this.leaf('comment', true, from, i);
    this.pos = i;
    return node;
  }

  /**
   * Spaces and line ends between the elements of a bracketed list, or after a comma in an argument
   * list, and the `# comments` closing those lines: each is a child of the list being read, where
   * tree-sitter puts it (a comment after an element ends up beside the element, not inside it).
   */
  private skipBlankAndComments(children: SubsetNode[]): void {
    for (this.skipBlank(); this.at(this.pos) === HASH; this.skipBlank()) children.push(this.comment());
  }

  private pushComment(children: SubsetNode[], fields: (string | null)[]): void {
    const comment = this.trailingComment();
    if (comment === undefined) return;
    children.push(comment);
    fields.push(null);
  }

  private token(type: string, length: number): SubsetNode {
    const node = this.leaf(type, false, this.pos, this.pos + length);
    this.pos += length;
    return node;
  }

  program(): SubsetNode | undefined {
    const statements = this.statements(false);
    if (statements.length === 0) return undefined;
    const first = statements[0] as SubsetNode;
    return new SubsetNode(
      this.src, 'program', true, first.startIndex, this.length, first.startRow, first.startColumn, this.row, this.length - this.lineStart, statements, NO_FIELDS,
    );
  }

  /** Statements up to an `end` line (left unread) or, at the top level, the end of the input. */
  private statements(inBody: boolean): SubsetNode[] {
    const out: SubsetNode[] = [];
    for (;;) {
      const indent = this.pos;
      this.skipSpaces();
      const c = this.at(this.pos);
      if (c === NL) {
        if (this.pos > indent) throw OUTSIDE; // a line of only spaces (see lineEnd)
        this.lineEnd();
        continue;
      }
      if (c === -1) {
        if (inBody) throw OUTSIDE;
        return out;
      }
      if (this.atEndLine()) {
        if (!inBody) throw OUTSIDE;
        return out;
      }
      out.push(this.modifierAfter(this.statement()));
      const comment = this.trailingComment();
      if (comment !== undefined) out.push(comment);
      this.lineEnd();
    }
  }

  /** A `body_statement` of the statements up to `end`, or undefined when there are none; then the `end` token. */
  private bodyAndEnd(children: SubsetNode[], fields: (string | null)[]): void {
    // Real code nests a few levels; absurd nesting is left to tree-sitter (no deep recursion here).
    if (++this.depth > MAX_DEPTH) throw OUTSIDE;
    const statements = this.statements(true);
    this.depth--;
    if (statements.length > 0) {
      children.push(this.parent('body_statement', statements));
      fields.push('body');
    }
    children.push(this.token('end', 3));
    fields.push(null);
  }

  private statement(): SubsetNode {
    const first = this.at(this.pos);
    if (isUpper(first) || (first === COLON && this.at(this.pos + 1) === COLON)) return this.constantStatement();
    const w = this.word();
    if (w === '') throw OUTSIDE;
    if (w === 'module' || w === 'class') return this.definition(w);
    if (w === 'def') return this.method();
    if (KEYWORDS.has(w) || w.startsWith('__')) throw OUTSIDE;
    if (this.atAssignment(this.pos + w.length)) {
      // `tags = %w[a b]`: a local variable (tree-sitter does not track locals afterwards).
      const left = this.leaf('identifier', true, this.pos, this.pos + w.length);
      this.pos += w.length;
      this.skipSpaces();
      const eq = this.token('=', 1);
      this.skipSpaces();
      return this.parent('assignment', [left, eq, this.value()], ['left', null, 'right']);
    }
    return this.call(w);
  }

  /** Spaces, a lone `=` (not `==`, `=~`, `=>`) and a space at `i`. */
  private atAssignment(i: number): boolean {
    if (this.at(i) !== SPACE) return false;
    while (this.at(i) === SPACE || this.at(i) === TAB) i++;
    const next = this.at(i + 1);
    return this.at(i) === EQUALS && (next === SPACE || next === TAB);
  }

  private definition(keyword: 'module' | 'class'): SubsetNode {
    const children = [this.token(keyword, keyword.length)];
    const fields: (string | null)[] = [null];
    if (this.at(this.pos) !== SPACE && this.at(this.pos) !== TAB) throw OUTSIDE;
    this.skipSpaces();
    if (keyword === 'class' && this.at(this.pos) === LT) return this.singletonClass(children, fields);
    children.push(this.constantPath());
    fields.push('name');
    const end = this.pos;
    this.skipSpaces();
    if (keyword !== 'class' || this.at(this.pos) !== LT) this.pos = end; // trailing spaces: lineEnd refuses them
    if (keyword === 'class' && this.at(this.pos) === LT) {
      const lt = this.token('<', 1);
      this.skipSpaces();
      const path = this.constantPath();
      // `class AddX < Gitlab::Database::Migration[2.3]`
      children.push(this.parent('superclass', [lt, this.at(this.pos) === LBRACKET ? this.elementReference(path) : path]));
      fields.push('superclass');
    }
    this.pushComment(children, fields);
    this.lineEnd();
    this.bodyAndEnd(children, fields);
    return this.parent(keyword, children, fields);
  }

  /** `class << self` ... `end` after the `class` token in `children`: a singleton_class. */
  private singletonClass(children: SubsetNode[], fields: (string | null)[]): SubsetNode {
    if (this.at(this.pos + 1) !== LT) throw OUTSIDE;
    children.push(this.token('<<', 2));
    fields.push(null);
    this.skipSpaces();
    if (!this.atWord('self')) throw OUTSIDE; // `class << obj`
    children.push(this.leaf('self', true, this.pos, this.pos + 4));
    fields.push('value');
    this.pos += 4;
    this.pushComment(children, fields);
    this.lineEnd();
    this.bodyAndEnd(children, fields);
    return this.parent('singleton_class', children, fields);
  }

  /** `name`, `name?`, `name!` (a method or call name); empty when not at one. */
  private methodName(): string {
    const w = this.word();
    if (w === '') return '';
    const after = this.at(this.pos + w.length);
    if ((after === QUESTION || after === BANG) && this.at(this.pos + w.length + 1) !== EQUALS) return w + String.fromCharCode(after);
    return w;
  }

  private method(): SubsetNode {
    const children = [this.token('def', 3)];
    const fields: (string | null)[] = [null];
    if (this.at(this.pos) !== SPACE && this.at(this.pos) !== TAB) throw OUTSIDE;
    this.skipSpaces();
    let type = 'method';
    if (this.src.startsWith('self.', this.pos)) {
      // `def self.name`: a singleton_method whose object is `self`
      type = 'singleton_method';
      children.push(this.leaf('self', true, this.pos, this.pos + 4));
      fields.push('object');
      this.pos += 4;
      children.push(this.token('.', 1));
      fields.push(null);
    }
    const name = this.methodName();
    // Keywords name methods too (`def retry`, `def end`: tree-sitter reads an identifier), except
    // `self` and `super` (checked for every keyword against tree-sitter).
    if (name === '' || name.startsWith('__') || name === 'self' || name === 'super') throw OUTSIDE;
    children.push(this.leaf('identifier', true, this.pos, this.pos + name.length));
    fields.push('name');
    this.pos += name.length;
    if (this.at(this.pos) === LPAREN) {
      children.push(this.parameters());
      fields.push('parameters');
    }
    const end = this.pos;
    this.skipSpaces();
    if (this.at(this.pos) !== SEMICOLON) this.pos = end; // trailing spaces: lineEnd refuses them
    if (this.at(this.pos) === SEMICOLON) {
      // `def show; end`: the one-line empty method of controllers that only render.
      children.push(this.token(';', 1));
      fields.push(null);
      this.skipSpaces();
      if (!this.atWord('end')) throw OUTSIDE;
      children.push(this.token('end', 3));
      fields.push(null);
      return this.parent(type, children, fields);
    }
    this.pushComment(children, fields);
    this.lineEnd();
    this.bodyAndEnd(children, fields);
    return this.parent(type, children, fields);
  }

  /** `(a, b = 1, c:, *d, **e, &f)`, `(...)` or `()`. */
  private parameters(): SubsetNode {
    const children = [this.token('(', 1)];
    this.skipSpaces();
    if (this.at(this.pos) !== RPAREN) {
      for (;;) {
        children.push(this.parameter());
        this.skipSpaces();
        if (this.at(this.pos) !== COMMA) break;
        children.push(this.token(',', 1));
        this.skipSpaces();
      }
    }
    if (this.at(this.pos) !== RPAREN) throw OUTSIDE;
    children.push(this.token(')', 1));
    return this.parent('method_parameters', children);
  }

  /** One parameter of a method's list. */
  private parameter(): SubsetNode {
    const special = this.specialParameter();
    if (special !== undefined) return special;
    const id = this.localName();
    if (this.at(this.pos) === COLON && this.at(this.pos + 1) !== COLON) {
      // `scope:` / `proxy: nil`: a keyword parameter, with or without a literal default
      const colon = this.token(':', 1);
      this.skipSpaces();
      const c = this.at(this.pos);
      if (c === COMMA || c === RPAREN) return this.parent('keyword_parameter', [id, colon], ['name', null]);
      return this.parent('keyword_parameter', [id, colon, this.value()], ['name', null, 'value']);
    }
    const end = this.pos;
    this.skipSpaces();
    if (this.at(this.pos) !== EQUALS || this.at(this.pos + 1) === EQUALS) {
      this.pos = end;
      return id;
    }
    // `tries = 0`: an optional parameter with a literal default
    const eq = this.token('=', 1);
    this.skipSpaces();
    return this.parent('optional_parameter', [id, eq, this.value()], ['name', null, 'value']);
  }

  /** A parameter or local variable name: an identifier that is no keyword and no `__x__` name. */
  private localName(): SubsetNode {
    const name = this.word();
    if (name === '' || KEYWORDS.has(name) || name.startsWith('__')) throw OUTSIDE;
    const id = this.leaf('identifier', true, this.pos, this.pos + name.length);
    this.pos += name.length;
    return id;
  }

  /** `*args`, `*`, `**options`, `**`, `&block`, `...` in a parameter list; undefined if none is at pos. */
  private specialParameter(): SubsetNode | undefined {
    const c = this.at(this.pos);
    if (c === DOT && this.src.startsWith('...', this.pos)) return this.parent('forward_parameter', [this.token('...', 3)]);
    let type: string;
    let sigil: string;
    if (c === STAR && this.at(this.pos + 1) === STAR) [type, sigil] = ['hash_splat_parameter', '**'];
    else if (c === STAR) [type, sigil] = ['splat_parameter', '*'];
    else if (c === AMPERSAND) [type, sigil] = ['block_parameter', '&'];
    else return undefined;
    const op = this.token(sigil, sigil.length);
    if (!isLower(this.at(this.pos))) return this.parent(type, [op]);
    return this.parent(type, [op, this.localName()], [null, 'name']);
  }

  /**
   * A statement starting with a constant: `NAME = literal`, or a call on a constant such as
   * EE's `Projects::IssuesController.prepend_mod_with('Projects::IssuesController')`.
   */
  private constantStatement(): SubsetNode {
    const path = this.constantPath(true);
    if (this.at(this.pos) === DOT) {
      let node = this.methodCallOn(path, true);
      while (this.at(this.pos) === DOT && node.childForFieldName('block') === null && !this.commandCall) node = this.methodCallOn(node, true);
      // Nothing is chained after a block or command arguments (`end.and_return(x)` is tree-sitter's).
      if (this.at(this.pos) === DOT) throw OUTSIDE;
      return node;
    }
    this.skipSpaces();
    const next = this.at(this.pos + 1);
    if (this.at(this.pos) !== EQUALS || next === EQUALS || next === 126 /* ~ */ || next === 62 /* > */) throw OUTSIDE;
    const eq = this.token('=', 1);
    this.skipSpaces();
    return this.parent('assignment', [path, eq, this.value()], ['left', null, 'right']);
  }

  /**
   * `.name` or `.name(args)` on `receiver`. As a statement (`statement`), also a command call and
   * a `do` block: `RSpec.describe Foo, feature_category: :x do` ... `end`, `A.b(c) do` ... `end`
   * (the skeleton of most spec files: their `describe` body is left out). Command arguments must
   * start with a constant (`::Foo` too), a string or a symbol: after a receiver, tree-sitter may
   * read `[`, `-`, `*`, `/` and the like as operators.
   */
  private methodCallOn(receiver: SubsetNode, statement = false): SubsetNode {
    const children = [receiver, this.token('.', 1)];
    const fields: (string | null)[] = ['receiver', 'operator'];
    const name = this.methodName();
    if (name === '' || name.startsWith('__')) throw OUTSIDE;
    children.push(this.leaf('identifier', true, this.pos, this.pos + name.length));
    fields.push('method');
    this.pos += name.length;
    this.commandCall = false;
    if (this.at(this.pos) === LPAREN) {
      children.push(this.parenthesizedArguments());
      fields.push('arguments');
      if (statement) this.blockAfter(children, fields);
    } else if (statement && this.atCommandStart()) {
      const start = this.pos;
      this.skipSpaces();
      if (this.atDo()) this.pos = start;
      else {
        children.push(this.argumentList());
        fields.push('arguments');
        this.commandCall = true;
      }
      this.blockAfter(children, fields);
    }
    return this.parent('call', children, fields);
  }

  /** Spaces, then a `do`, a constant, a string or a `:symbol` (not a modifier keyword). */
  private atCommandStart(): boolean {
    let i = this.pos;
    if (this.at(i) !== SPACE) return false;
    while (this.at(i) === SPACE || this.at(i) === TAB) i++;
    const c = this.at(i);
    if (isUpper(c) || c === QUOTE || c === DQUOTE) return true;
    if (c === COLON && this.at(i + 1) === COLON) return isUpper(this.at(i + 2)); // `RSpec.describe ::Foo do`
    if (c === COLON) return isLower(this.at(i + 1)) || isUpper(this.at(i + 1)) || this.at(i + 1) === 95; /* _ */
    return this.src.startsWith('do', i) && !isWordChar(this.at(i + 2));
  }

  /** ` do` ... `end` after a call's arguments, when there is one; trailing spaces are left for lineEnd to refuse. */
  private blockAfter(children: SubsetNode[], fields: (string | null)[]): void {
    const end = this.pos;
    this.skipSpaces();
    if (this.atDo() && this.pos > end) {
      children.push(this.doBlock());
      fields.push('block');
    } else {
      this.pos = end;
    }
  }

  /** `('A::B')`, `(:a, key: 1)`, `({ a: 1 })`, `()`. */
  private parenthesizedArguments(): SubsetNode {
    const children = [this.token('(', 1)];
    this.skipBlankAndComments(children);
    while (this.at(this.pos) !== RPAREN) {
      children.push(this.argument(true));
      this.skipBlankAndComments(children);
      if (this.at(this.pos) !== COMMA) break;
      children.push(this.token(',', 1));
      this.skipBlankAndComments(children);
    }
    if (this.at(this.pos) !== RPAREN) throw OUTSIDE;
    children.push(this.token(')', 1));
    return this.parent('argument_list', children);
  }

  /** A receiver-less call statement, or a bare identifier (`private`). */
  private call(name: string): SubsetNode {
    const full = this.methodName();
    const start = this.pos;
    const method = this.leaf('identifier', true, start, start + full.length);
    this.pos += full.length;
    const c = this.at(this.pos);
    const bare = this.lineEndsAt(this.pos) || (this.braceDepth > 0 && this.closesBrace(this.pos)) || this.modifierAt(this.pos) !== undefined;
    if (bare) {
      // tree-sitter reads a lone `name` as an identifier, a lone `name!`/`name?` as a call.
      return full === name ? method : this.parent('call', [method], ['method']);
    }
    if (c === LPAREN) {
      // `error!('404 Not Found', 404)`, `foo()`: arguments in parentheses, then maybe a block.
      const children = [method, this.parenthesizedArguments()];
      const fields: (string | null)[] = ['method', 'arguments'];
      const end = this.pos;
      this.skipSpaces();
      if (this.atDo()) {
        children.push(this.doBlock());
        fields.push('block');
      } else if (this.at(this.pos) === LBRACE && this.pos > end) {
        children.push(this.braceBlock());
        fields.push('block');
      } else {
        this.pos = end; // trailing spaces: lineEnd refuses them
      }
      return this.parent('call', children, fields);
    }
    if (c !== SPACE && c !== TAB) throw OUTSIDE;
    if (full.endsWith('?')) throw OUTSIDE; // `name? :x`: not worth the ternary's ambiguity
    this.skipSpaces();
    const children = [method];
    const fields: (string | null)[] = ['method'];
    if (this.at(this.pos) === LBRACE) {
      // `before { authenticate_non_get! }`: a one-line brace block of one statement, or empty.
      children.push(this.braceBlock());
      fields.push('block');
      return this.parent('call', children, fields);
    }
    if (!this.atDo()) {
      children.push(this.argumentList());
      fields.push('arguments');
      const end = this.pos;
      this.skipSpaces();
      if (!this.atDo()) this.pos = end; // trailing spaces: lineEnd refuses them
    }
    if (this.atDo()) {
      children.push(this.doBlock());
      fields.push('block');
    }
    return this.parent('call', children, fields);
  }

  /** Spaces then `}` at `i`. */
  private closesBrace(i: number): boolean {
    while (this.at(i) === SPACE || this.at(i) === TAB) i++;
    return this.at(i) === RBRACE;
  }

  /** `if` / `unless` after spaces at `i`, followed by a space: a statement modifier. */
  private modifierAt(i: number): 'if' | 'unless' | undefined {
    if (this.at(i) !== SPACE && this.at(i) !== TAB) return undefined;
    while (this.at(i) === SPACE || this.at(i) === TAB) i++;
    for (const keyword of ['if', 'unless'] as const) {
      const after = this.at(i + keyword.length);
      if (this.src.startsWith(keyword, i) && (after === SPACE || after === TAB)) return keyword;
    }
    return undefined;
  }

  /**
   * `statement if condition` / `statement unless condition` around `body` when a modifier follows:
   * tree-sitter's if_modifier / unless_modifier. The condition is one value (`Feature.enabled?(:x)`,
   * `user_project`); a second modifier or an operator after it is left to tree-sitter.
   */
  private modifierAfter(body: SubsetNode): SubsetNode {
    const keyword = this.modifierAt(this.pos);
    if (keyword === undefined) return body;
    this.skipSpaces();
    const word = this.token(keyword, keyword.length);
    this.skipSpaces();
    const condition = this.value();
    return this.parent(`${keyword}_modifier`, [body, word, condition], ['body', null, 'condition']);
  }

  /** Reads the one statement or value of a brace block or lambda body (a bare name may end at `}`). */
  private insideBraces(read: () => SubsetNode): SubsetNode {
    if (++this.depth > MAX_DEPTH) throw OUTSIDE;
    this.braceDepth++;
    const node = read();
    this.braceDepth--;
    this.depth--;
    return node;
  }

  private braceBlock(): SubsetNode {
    const children = [this.token('{', 1)];
    const fields: (string | null)[] = [null];
    this.skipSpaces();
    if (this.at(this.pos) !== RBRACE) {
      children.push(this.parent('block_body', [this.insideBraces(() => this.modifierAfter(this.statement()))]));
      fields.push('body');
      this.skipSpaces();
      if (this.at(this.pos) !== RBRACE) throw OUTSIDE;
    }
    children.push(this.token('}', 1));
    fields.push(null);
    return this.parent('block', children, fields);
  }

  /** `do` ... `end`; `parameters`: `do |a, b|` allowed (not after a lambda's `->`). */
  private doBlock(parameters = true): SubsetNode {
    const children = [this.token('do', 2)];
    const fields: (string | null)[] = [null];
    const end = this.pos;
    this.skipSpaces();
    if (this.at(this.pos) === PIPE && !parameters) throw OUTSIDE;
    if (this.at(this.pos) === PIPE && this.pos > end) {
      children.push(this.blockParameters());
      fields.push('parameters');
    } else {
      this.pos = end;
    }
    this.pushComment(children, fields);
    this.lineEnd();
    this.bodyAndEnd(children, fields);
    return this.parent('do_block', children, fields);
  }

  /** `|a, b|`: plain names only. */
  private blockParameters(): SubsetNode {
    const children = [this.token('|', 1)];
    for (;;) {
      this.skipSpaces();
      children.push(this.localName());
      this.skipSpaces();
      if (this.at(this.pos) !== COMMA) break;
      children.push(this.token(',', 1));
    }
    if (this.at(this.pos) !== PIPE) throw OUTSIDE;
    children.push(this.token('|', 1));
    return this.parent('block_parameters', children);
  }

  private argumentList(): SubsetNode {
    const children: SubsetNode[] = [];
    for (;;) {
      // `{` first would be a block (call() reads those before the arguments); `/` first may be a
      // division to tree-sitter when the name is a local variable. `[`/`%w[` after a space are
      // arguments (`allow_access_with_scope [:api]`).
      const c = this.at(this.pos);
      if (children.length === 0 && (c === LBRACE || c === SLASH)) throw OUTSIDE;
      children.push(this.argument(children.length > 0));
      const end = this.pos;
      this.skipSpaces();
      if (this.at(this.pos) !== COMMA) {
        this.pos = end;
        break;
      }
      children.push(this.token(',', 1));
      this.skipBlankAndComments(children); // `get 'x',\n  urgency: :low do`: the arguments go on on the next line
    }
    return this.parent('argument_list', children);
  }

  /** One argument: a value, a `key: value` pair, or (`hash`) a `{ ... }` hash. */
  private argument(hash: boolean): SubsetNode {
    if (this.atLabel()) return this.pair();
    if (this.at(this.pos) === LBRACE && !hash) throw OUTSIDE;
    return this.value();
  }

  /** `name: ` (a hash key) at pos. */
  private atLabel(): boolean {
    if (!isLower(this.at(this.pos))) return false;
    let i = this.pos + 1;
    while (isWordChar(this.at(i))) i++;
    const after = this.at(i + 1);
    return this.at(i) === COLON && (after === SPACE || after === TAB);
  }

  private pair(): SubsetNode {
    const key = this.word();
    // Any identifier, keywords included (`if:`, `do:`, `end:`), is a hash key before `: `.
    if (key === '' || this.at(this.pos + key.length) !== COLON) throw OUTSIDE;
    const after = this.at(this.pos + key.length + 1);
    if (after !== SPACE && after !== TAB) throw OUTSIDE;
    const keyNode = this.leaf('hash_key_symbol', true, this.pos, this.pos + key.length);
    this.pos += key.length;
    const colon = this.token(':', 1);
    this.skipSpaces();
    return this.parent('pair', [keyNode, colon, this.value()], ['key', null, 'value']);
  }

  /** A local variable or method name as a value (`user_project`); not `name?`/`name!`/keywords. */
  private identifierValue(): SubsetNode {
    const name = this.word();
    const after = this.at(this.pos + name.length);
    if (KEYWORDS.has(name) || name.startsWith('__') || after === QUESTION || after === BANG) throw OUTSIDE;
    const node = this.leaf('identifier', true, this.pos, this.pos + name.length);
    this.pos += name.length;
    return node;
  }

  /**
   * ` + value`, ` - value`, ` * value` after `left`, spaces on both sides of the operator (`x -1`
   * is a call with a negative argument to Ruby); one operator only, no chains (precedence).
   */
  private binaryAfter(left: SubsetNode): SubsetNode {
    const c = this.at(this.pos);
    const op = this.at(this.pos + 1);
    if ((c !== SPACE && c !== TAB) || (op !== PLUS && op !== MINUS && op !== STAR) || this.at(this.pos + 2) !== SPACE) return left;
    this.pos++;
    const operator = this.token(String.fromCharCode(op), 1);
    this.skipSpaces();
    const right = this.value(false);
    const next = this.at(this.pos + 1);
    if ((this.at(this.pos) === SPACE || this.at(this.pos) === TAB) && (next === PLUS || next === MINUS || next === STAR || next === SLASH)) throw OUTSIDE;
    return this.parent('binary', [left, operator, right], ['left', 'operator', 'right']);
  }

  /** A literal value, checked to end where an argument can end; `binary`: `a + b` allowed. */
  private value(binary = true): SubsetNode {
    const c = this.at(this.pos);
    let node: SubsetNode;
    if (c === COLON) node = this.at(this.pos + 1) === COLON ? this.constantPath(true) : this.symbol();
    else if (c === QUOTE || c === DQUOTE) node = this.string();
    else if (isDigit(c)) node = this.integer();
    else if (isUpper(c)) node = this.constantPath(true);
    else if (c === LBRACKET) node = this.array();
    else if (c === SLASH || (c === PERCENT && this.at(this.pos + 1) === 114 /* r */)) node = this.regex();
    else if (c === PERCENT) node = this.wordArray();
    else if (c === LBRACE) node = this.hash();
    else if (c === MINUS && this.at(this.pos + 1) === GT) node = this.lambda();
    else if (this.atWord('true') || this.atWord('false')) node = this.keywordValue(this.atWord('true') ? 'true' : 'false');
    else if (this.atWord('nil')) node = this.parent('nil', [this.token('nil', 3)]);
    else if (isLower(c)) node = this.identifierValue();
    else throw OUTSIDE;
    // `5.minutes`, `%w[a b].freeze`, `Gitlab::Routing.url_helpers`, `A.merge(b: 1)`.
    while (this.at(this.pos) === DOT && isLower(this.at(this.pos + 1))) node = this.methodCallOn(node);
    // `GitlabSchema.types['Project']` (GraphQL type specs: `RSpec.describe GitlabSchema.types['X'] do`).
    if (this.at(this.pos) === LBRACKET && (node.type === 'call' || node.type === 'constant' || node.type === 'scope_resolution') && node.childForFieldName('arguments') === null) {
      node = this.elementReference(node);
    }
    if (binary) node = this.binaryAfter(node);
    const next = this.at(this.pos);
    if (next !== SPACE && next !== TAB && next !== COMMA && next !== NL && next !== -1 && next !== RBRACKET && next !== RPAREN && next !== RBRACE) {
      throw OUTSIDE;
    }
    return node;
  }

  /** `object[value]`, `object[a, b]` right after the object: tree-sitter's element_reference (never empty). */
  private elementReference(object: SubsetNode): SubsetNode {
    if (++this.depth > MAX_DEPTH) throw OUTSIDE;
    const children = [object, this.token('[', 1)];
    const fields: (string | null)[] = ['object', null];
    for (;;) {
      if (this.at(this.pos) === RBRACKET) throw OUTSIDE;
      children.push(this.value());
      fields.push(null);
      if (this.at(this.pos) !== COMMA) break;
      children.push(this.token(',', 1));
      fields.push(null);
      this.skipSpaces();
    }
    if (this.at(this.pos) !== RBRACKET) throw OUTSIDE;
    children.push(this.token(']', 1));
    fields.push(null);
    this.depth--;
    return this.parent('element_reference', children, fields);
  }

  /** `-> { value }` / `-> { call }` / `-> do` ... `end`: no parameters. */
  private lambda(): SubsetNode {
    const arrow = this.token('->', 2);
    if (this.at(this.pos) !== SPACE) throw OUTSIDE;
    this.skipSpaces();
    if (this.atDo()) {
      // `if: -> do` ... `end`: what a skeleton keeps of a multi-line lambda (its body is dropped).
      return this.parent('lambda', [arrow, this.doBlock(false)], [null, 'body']);
    }
    if (this.at(this.pos) !== LBRACE) throw OUTSIDE;
    const open = this.token('{', 1);
    const children = [open];
    this.skipSpaces();
    if (this.at(this.pos) === RBRACE) throw OUTSIDE;
    const c = this.at(this.pos);
    const callLike = isLower(c) && !this.atWord('true') && !this.atWord('false') && !this.atWord('nil');
    children.push(this.parent('block_body', [this.insideBraces(() => (callLike ? this.modifierAfter(this.statement()) : this.value()))]));
    this.skipSpaces();
    if (this.at(this.pos) !== RBRACE) throw OUTSIDE;
    children.push(this.token('}', 1));
    const block = this.parent('block', children, [null, 'body', null]);
    return this.parent('lambda', [arrow, block], [null, 'body']);
  }

  /** `{ key: value, 'k' => value }`, on one line or several; `{}`. */
  private hash(): SubsetNode {
    const children = [this.token('{', 1)];
    this.skipBlankAndComments(children);
    if (this.at(this.pos) !== RBRACE) {
      for (;;) {
        if (this.atLabel()) {
          children.push(this.pair());
        } else {
          // `'a' => 1`, `A::B => 1`, `nil => 1`
          const key = this.value();
          this.skipSpaces();
          if (this.at(this.pos) !== EQUALS || this.at(this.pos + 1) !== GT) throw OUTSIDE;
          const arrow = this.token('=>', 2);
          this.skipBlank();
          children.push(this.parent('pair', [key, arrow, this.value()], ['key', null, 'value']));
        }
        this.skipBlankAndComments(children);
        if (this.at(this.pos) !== COMMA) break;
        children.push(this.token(',', 1));
        this.skipBlankAndComments(children);
        if (this.at(this.pos) === RBRACE) break; // a trailing comma is just a token
      }
    }
    if (this.at(this.pos) !== RBRACE) throw OUTSIDE;
    children.push(this.token('}', 1));
    return this.parent('hash', children);
  }

  /**
   * `/[0-9]+/`, `%r{/repositories/(.*)/}i` on one line: tree-sitter's regex, whose opening and
   * closing tokens are both named `/` (the closing one takes the flags). Interpolation, `#`,
   * nested braces and the escapes tree-sitter reads as longer sequences (`\x41`, `\u0041`, `\101`,
   * `\cA`, `\M-a`) are left to it; any other backslash and the character after it make a two-character
   * escape_sequence, checked for every printable character against tree-sitter.
   */
  private regex(): SubsetNode {
    const start = this.pos;
    const percent = this.at(start) === PERCENT;
    if (percent && this.at(start + 2) !== LBRACE) throw OUTSIDE; // %r(...), %r[...], %r|...|
    const close = percent ? RBRACE : SLASH;
    let i = start + (percent ? 3 : 1);
    const first = this.at(i);
    if (first === close || (!percent && (first === SPACE || first === TAB || first === EQUALS))) throw OUTSIDE; // `//`, `/ x/`, `/=`
    const children = [this.leaf('/', false, start, i)];
    let text = i;
    for (let c = this.at(i); c !== close; c = this.at(i)) {
      if (c < SPACE || c > 126 || c === HASH || (percent && c === LBRACE)) throw OUTSIDE;
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      const e = this.at(i + 1);
      if (e <= SPACE || e > 126 || isDigit(e) || e === 120 /* x */ || e === 117 /* u */ || e === 99 /* c */ || e === 67 /* C */ || e === 77 /* M */) {
        throw OUTSIDE;
      }
      if (i > text) children.push(this.leaf('string_content', true, text, i));
      children.push(this.leaf('escape_sequence', true, i, i + 2));
      i += 2;
      text = i;
    }
    if (i > text) children.push(this.leaf('string_content', true, text, i));
    let end = i + 1;
    while (this.at(end) === 105 /* i */ || this.at(end) === 109 /* m */ || this.at(end) === 120 /* x */) end++;
    if (isWordChar(this.at(end))) throw OUTSIDE; // other flags (`o`, `u`, `n`), or a word run on
    children.push(this.leaf('/', false, i, end));
    this.pos = end;
    return this.parent('regex', children);
  }

  /** `true` / `false`: named leaves (`nil` is a named node around an anonymous `nil`). */
  private keywordValue(word: 'true' | 'false'): SubsetNode {
    const node = this.leaf(word, true, this.pos, this.pos + word.length);
    this.pos += word.length;
    return node;
  }

  private symbol(): SubsetNode {
    const start = this.pos;
    let i = start + 1;
    const c = this.at(i);
    if (!isLower(c) && !isUpper(c)) throw OUTSIDE; // `:"x"`, `:+`, `:@x`
    while (isWordChar(this.at(i))) i++;
    if (this.at(i) === QUESTION || this.at(i) === BANG) i++;
    if (this.at(i) === EQUALS || this.at(i) === COLON) throw OUTSIDE;
    this.pos = i;
    return this.leaf('simple_symbol', true, start, i);
  }

  private string(): SubsetNode {
    const quote = this.at(this.pos);
    const start = this.pos;
    let i = start + 1;
    for (let c = this.at(i); c !== quote; c = this.at(++i)) {
      if (c === -1 || c === NL || c === BACKSLASH || c < SPACE || c > 126 || (c === HASH && quote === DQUOTE)) throw OUTSIDE;
    }
    const open = this.token('"', 1);
    const children = [open];
    if (i > start + 1) children.push(this.leaf('string_content', true, start + 1, i));
    this.pos = i;
    children.push(this.token('"', 1));
    return this.parent('string', children);
  }

  /** `42`, `10_000`, `0.5` (`1.day` is a call on 1, read by value()). */
  private integer(): SubsetNode {
    const start = this.pos;
    let i = start;
    while (isDigit(this.at(i)) || (this.at(i) === UNDERSCORE && isDigit(this.at(i - 1)) && isDigit(this.at(i + 1)))) i++;
    if (this.at(start) === 48 && i > start + 1) throw OUTSIDE; // 0755 (octal), 0x1f, 0b1
    let type = 'integer';
    if (this.at(i) === DOT && isDigit(this.at(i + 1))) {
      type = 'float';
      i++;
      while (isDigit(this.at(i))) i++;
    }
    if (isWordChar(this.at(i)) || (this.at(i) === DOT && !isLower(this.at(i + 1)))) throw OUTSIDE; // 1e5, 1r, 1.5.5
    this.pos = i;
    return this.leaf(type, true, start, i);
  }

  /** `A`, `A::B`, `::A::B`: constant or nested scope_resolution; `receiver`: a `.` may follow. */
  private constantPath(receiver = false): SubsetNode {
    let node: SubsetNode;
    if (this.at(this.pos) === COLON && this.at(this.pos + 1) === COLON) {
      const sep = this.token('::', 2);
      node = this.parent('scope_resolution', [sep, this.constant(receiver)], [null, 'name']);
    } else {
      node = this.constant(receiver);
    }
    while (this.at(this.pos) === COLON && this.at(this.pos + 1) === COLON) {
      const sep = this.token('::', 2);
      node = this.parent('scope_resolution', [node, sep, this.constant(receiver)], ['scope', null, 'name']);
    }
    return node;
  }

  private constant(receiver: boolean): SubsetNode {
    const start = this.pos;
    if (!isUpper(this.at(start))) throw OUTSIDE;
    let i = start + 1;
    while (isWordChar(this.at(i))) i++;
    const after = this.at(i);
    if (after === QUESTION || after === BANG || after === LPAREN || (after === DOT && !receiver)) throw OUTSIDE;
    const length = i - start;
    if ((length === 5 || length === 3) && (this.src.slice(start, i) === 'BEGIN' || this.src.slice(start, i) === 'END')) {
      throw OUTSIDE; // keywords, not constants
    }
    this.pos = i;
    return this.leaf('constant', true, start, i);
  }

  /** `[:a, 'b', 1, C]`, on one line or several. */
  private array(): SubsetNode {
    const children = [this.token('[', 1)];
    this.skipBlankAndComments(children);
    if (this.at(this.pos) !== RBRACKET) {
      for (;;) {
        const c = this.at(this.pos);
        if (c === LBRACKET || c === PERCENT || isLower(c)) throw OUTSIDE; // nested arrays, pairs, true/nil
        children.push(this.value());
        this.skipBlankAndComments(children);
        if (this.at(this.pos) !== COMMA) break;
        children.push(this.token(',', 1));
        this.skipBlankAndComments(children);
        if (this.at(this.pos) === RBRACKET) break; // a trailing comma is just a token
      }
    }
    if (this.at(this.pos) !== RBRACKET) throw OUTSIDE;
    children.push(this.token(']', 1));
    return this.parent('array', children);
  }

  /** `%i[a b]` / `%w[a b]` on one line (tree-sitter names the opener `%i(` whatever the bracket). */
  private wordArray(): SubsetNode {
    const kind = this.at(this.pos + 1);
    if ((kind !== 105 /* i */ && kind !== 119) /* w */ || this.at(this.pos + 2) !== LBRACKET) throw OUTSIDE;
    const symbols = kind === 105;
    const children = [this.token(symbols ? '%i(' : '%w(', 3)];
    for (;;) {
      this.skipBlank(); // words may go on over several lines
      if (this.at(this.pos) === RBRACKET) break;
      const start = this.pos;
      let i = start;
      // %w words are any printable characters but brackets, `\` and `#`; %i words stay plain.
      for (let c = this.at(i); isWordChar(c) || c === QUESTION || c === BANG || (!symbols && isWordPunctuation(c)); c = this.at(++i));
      if (i === start) throw OUTSIDE;
      const content = this.leaf('string_content', true, start, i);
      this.pos = i;
      children.push(this.parent(symbols ? 'bare_symbol' : 'bare_string', [content]));
    }
    if (children.length === 1) throw OUTSIDE; // empty list
    children.push(this.token(')', 1));
    return this.parent(symbols ? 'symbol_array' : 'string_array', children);
  }
}

/** The tree tree-sitter-ruby would build for `source`, or undefined when `source` is outside the subset. */
export function parseSubset(source: string): SubsetTree | undefined {
  try {
    const root = new Reader(source).program();
    return root === undefined ? undefined : { rootNode: root };
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

/** Where parseSubset gives up on `source` (0-based index), or undefined when it accepts it: for tests and tuning. */
export function subsetRejection(source: string): number | undefined {
  const reader = new Reader(source);
  try {
    return reader.program() === undefined ? 0 : undefined;
  } catch (e) {
    if (e === OUTSIDE) return reader.pos;
    throw e;
  }
}
