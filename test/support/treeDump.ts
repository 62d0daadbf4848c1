/**
 * Canonical dumps of syntax trees, so a tree built by tree-sitter (wasm) and one built by the
 * subset parser (plain objects) can be compared with deepEqual, plus a compact "first difference"
 * report: a full deepEqual diff of two 2,000-node trees is unreadable, while the path of the first
 * differing node and the source line it sits on is what one needs to fix the parser.
 */
import type { Point, SyntaxNode } from '../../src/sdk/mapping/ruby/syntaxNode';

export interface DumpedNode {
  type: string;
  isNamed: boolean;
  /** The field this node fills in its parent (`parent.fieldNameForChild(i)`), null at the root or unnamed. */
  field: string | null;
  startIndex: number;
  endIndex: number;
  startPosition: Point;
  endPosition: Point;
  /** tree-sitter inserts zero-width MISSING nodes when recovering; the subset parser never does. */
  isMissing: boolean;
  children: DumpedNode[];
}

/** The tree under `node`, read only through the SyntaxNode interface (so it works on both kinds). */
export function dumpTree(node: SyntaxNode, field: string | null = null): DumpedNode {
  const children: DumpedNode[] = [];
  const all = node.children;
  for (let i = 0; i < all.length; i++) children.push(dumpTree(all[i]!, node.fieldNameForChild(i)));
  return {
    type: node.type,
    isNamed: node.isNamed,
    field,
    startIndex: node.startIndex,
    endIndex: node.endIndex,
    // Copies: web-tree-sitter may hand out objects with extra properties or shared instances.
    startPosition: { row: node.startPosition.row, column: node.startPosition.column },
    endPosition: { row: node.endPosition.row, column: node.endPosition.column },
    isMissing: node.isMissing,
    children,
  };
}

function point(p: Point): string {
  return `(${p.row},${p.column})`;
}

/** One line per node: `field:type [start,end] (row,col)-(row,col)` and its children's types. */
export function describeNode(n: DumpedNode): string {
  const type = n.isNamed ? n.type : JSON.stringify(n.type);
  const kids = n.children.map((c) => (c.field === null ? '' : `${c.field}:`) + (c.isNamed ? c.type : JSON.stringify(c.type)));
  return (
    `${n.field === null ? '' : `${n.field}:`}${type}${n.isMissing ? ' MISSING' : ''} [${n.startIndex},${n.endIndex}] ` +
    `${point(n.startPosition)}-${point(n.endPosition)} children(${n.children.length}): ${kids.join(' ')}`
  );
}

export interface TreeDifference {
  /** e.g. `program > class[0] > body:body_statement[3] > call[1]` */
  path: string;
  /** Which property differs, e.g. `endIndex: expected 52, got 51`. */
  what: string;
  expected: DumpedNode | undefined;
  got: DumpedNode | undefined;
}

function segment(n: DumpedNode, index: number): string {
  return `${n.field === null ? '' : `${n.field}:`}${n.isNamed ? n.type : JSON.stringify(n.type)}[${index}]`;
}

/**
 * The first difference in document order. A node's own identity (type, field, start) is checked
 * before its children and its end after them, so the report points at the deepest node that went
 * wrong rather than at every ancestor whose end moved with it.
 */
export function firstDifference(expected: DumpedNode, got: DumpedNode, path = segment(expected, 0)): TreeDifference | undefined {
  const diff = (what: string): TreeDifference => ({ path, what, expected, got });
  for (const key of ['type', 'isNamed', 'field', 'startIndex', 'isMissing'] as const) {
    if (expected[key] !== got[key]) return diff(`${key}: expected ${JSON.stringify(expected[key])}, got ${JSON.stringify(got[key])}`);
  }
  if (point(expected.startPosition) !== point(got.startPosition)) {
    return diff(`startPosition: expected ${point(expected.startPosition)}, got ${point(got.startPosition)}`);
  }
  const shared = Math.min(expected.children.length, got.children.length);
  for (let i = 0; i < shared; i++) {
    const e = expected.children[i]!;
    const d = firstDifference(e, got.children[i]!, `${path} > ${segment(e, i)}`);
    if (d !== undefined) return d;
  }
  if (expected.children.length !== got.children.length) {
    const extra = expected.children.length > got.children.length ? expected.children[shared] : got.children[shared];
    const side = expected.children.length > got.children.length ? 'missing' : 'unexpected';
    return diff(
      `children: expected ${expected.children.length}, got ${got.children.length} (first ${side}: ${extra === undefined ? '?' : describeNode(extra)})`,
    );
  }
  if (expected.endIndex !== got.endIndex) return diff(`endIndex: expected ${expected.endIndex}, got ${got.endIndex}`);
  if (point(expected.endPosition) !== point(got.endPosition)) {
    return diff(`endPosition: expected ${point(expected.endPosition)}, got ${point(got.endPosition)}`);
  }
  return undefined;
}

function quoteLine(source: string, row: number): string {
  const line = source.split('\n')[row];
  return line === undefined ? `row ${row}: (none)` : `row ${row}: ${JSON.stringify(line)}`;
}

/** A few lines a person can act on: where, what, both nodes, the source line(s). */
export function formatDifference(d: TreeDifference, source: string): string {
  const rows = new Set<number>();
  if (d.expected !== undefined) rows.add(d.expected.startPosition.row).add(d.expected.endPosition.row);
  if (d.got !== undefined) rows.add(d.got.startPosition.row);
  return [
    `at ${d.path}: ${d.what}`,
    `  tree-sitter: ${d.expected === undefined ? '-' : describeNode(d.expected)}`,
    `  subset:      ${d.got === undefined ? '-' : describeNode(d.got)}`,
    ...[...rows].sort((a, b) => a - b).slice(0, 3).map((r) => `  ${quoteLine(source, r)}`),
  ].join('\n');
}

function sameNode(a: SyntaxNode | null, b: SyntaxNode | null): boolean {
  if (a === null || b === null) return a === b;
  return a.type === b.type && a.isNamed === b.isNamed && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

/** Field names tree-sitter-ruby uses around what the extractor reads; asked for on every node. */
const PROBED_FIELDS = [
  'name', 'receiver', 'method', 'block', 'arguments', 'key', 'value', 'body', 'superclass', 'parameters',
  'object', 'scope', 'left', 'right', 'operator', 'condition',
];

/**
 * The first way `root`'s nodes disagree with themselves: `text` vs the indices, `child(i)` vs
 * `children`, `namedChildren` vs `isNamed`, `childForFieldName` vs `fieldNameForChild`, error
 * flags. The dump reads `children` and `fieldNameForChild` only, while the extractor also calls
 * the other accessors, so they must agree. Holds for tree-sitter's nodes (the tests check that).
 */
export function interfaceProblem(root: SyntaxNode, source: string, path = root.type): string | undefined {
  const n = root;
  const where = `${path} [${n.startIndex},${n.endIndex}]`;
  if (n.text !== source.slice(n.startIndex, n.endIndex)) {
    return `${where}: text ${JSON.stringify(n.text)} is not source[${n.startIndex},${n.endIndex}] ${JSON.stringify(source.slice(n.startIndex, n.endIndex))}`;
  }
  if (n.hasError || n.isMissing || n.isError) return `${where}: hasError/isMissing/isError = ${n.hasError}/${n.isMissing}/${n.isError}`;
  const children = n.children;
  if (n.childCount !== children.length) return `${where}: childCount ${n.childCount} but children.length ${children.length}`;
  for (let i = 0; i < children.length; i++) {
    if (!sameNode(n.child(i), children[i]!)) return `${where}: child(${i}) differs from children[${i}]`;
  }
  if (n.child(children.length) !== null) return `${where}: child(childCount) is not null`;
  const named = children.filter((c) => c.isNamed);
  const namedChildren = n.namedChildren;
  if (namedChildren.length !== named.length || n.namedChildCount !== named.length) {
    return `${where}: namedChildren.length ${namedChildren.length} / namedChildCount ${n.namedChildCount}, but ${named.length} children are named`;
  }
  for (let i = 0; i < named.length; i++) {
    if (!sameNode(namedChildren[i]!, named[i]!)) return `${where}: namedChildren[${i}] is not the ${i}th named child`;
    if (!sameNode(n.namedChild(i), named[i]!)) return `${where}: namedChild(${i}) is not the ${i}th named child`;
  }
  const firstWithField = new Map<string, SyntaxNode>();
  for (let i = 0; i < children.length; i++) {
    const f = n.fieldNameForChild(i);
    if (f !== null && !firstWithField.has(f)) firstWithField.set(f, children[i]!);
  }
  for (const f of new Set([...PROBED_FIELDS, ...firstWithField.keys()])) {
    const expected = firstWithField.get(f) ?? null;
    if (!sameNode(n.childForFieldName(f), expected)) {
      return `${where}: childForFieldName('${f}') is not the first child with fieldNameForChild '${f}' (${expected === null ? 'none' : expected.type})`;
    }
  }
  for (let i = 0; i < children.length; i++) {
    const problem = interfaceProblem(children[i]!, source, `${path} > ${children[i]!.type}[${i}]`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** A plain-object SyntaxNode built from a dump (tests of this module, and of the comparison itself). */
export function nodeFromDump(d: DumpedNode, source: string): SyntaxNode {
  const children = d.children.map((c) => nodeFromDump(c, source));
  const named = children.filter((c) => c.isNamed);
  return {
    type: d.type,
    isNamed: d.isNamed,
    text: source.slice(d.startIndex, d.endIndex),
    startIndex: d.startIndex,
    endIndex: d.endIndex,
    startPosition: d.startPosition,
    endPosition: d.endPosition,
    children,
    childCount: children.length,
    namedChildren: named,
    namedChildCount: named.length,
    child: (i) => children[i] ?? null,
    namedChild: (i) => named[i] ?? null,
    childForFieldName: (f) => children[d.children.findIndex((c) => c.field === f)] ?? null,
    fieldNameForChild: (i) => d.children[i]?.field ?? null,
    hasError: false,
    isMissing: d.isMissing,
    isError: false,
  };
}

/** The first path where two JSON-like values differ (for facts), e.g. `classes[0].categories[1].line: 4 vs 5`. */
export function firstValueDifference(expected: unknown, got: unknown, path = ''): string | undefined {
  if (Object.is(expected, got)) return undefined;
  if (typeof expected !== 'object' || typeof got !== 'object' || expected === null || got === null || Array.isArray(expected) !== Array.isArray(got)) {
    return `${path || '(root)'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`;
  }
  if (Array.isArray(expected) && Array.isArray(got)) {
    for (let i = 0; i < Math.min(expected.length, got.length); i++) {
      const d = firstValueDifference(expected[i], got[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    if (expected.length !== got.length) return `${path || '(root)'}: length expected ${expected.length}, got ${got.length}`;
    return undefined;
  }
  const e = expected as Record<string, unknown>;
  const g = got as Record<string, unknown>;
  for (const key of new Set([...Object.keys(e), ...Object.keys(g)])) {
    const d = firstValueDifference(e[key], g[key], path === '' ? key : `${path}.${key}`);
    if (d !== undefined) return d;
  }
  return undefined;
}
