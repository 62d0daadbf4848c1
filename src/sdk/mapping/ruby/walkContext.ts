/**
 * The state of one file's tree walk and the small readers every extractor part shares: original
 * line numbers through the skeleton's line map, Ruby constant lookup, attribute declarations.
 */
import type { SyntaxNode as Node } from './syntaxNode';
import type { Finding } from '../types';
import { originalLine } from './parser';
import type { ParsedRuby } from './parser';
import { callArguments, constantPath, isAbsoluteConstant, literalName, literalNameList } from './syntax';
import { simpleDeclaration } from './sourceReaders';
import type { AttributeDeclaration, RubyClassFacts } from './types';

export interface Walk {
  file: string;
  parsed: ParsedRuby;
  classes: RubyClassFacts[];
  findings: Finding[];
  /** tree-sitter-ruby parses a surplus `end` as an identifier; Ruby rejects it. */
  strayEnd?: Node;
  /** `Foo.prepend_mod` at file level: class name -> module names. */
  filePrepends: Map<string, string[]>;
  /** Read simple statements from the source text (sourceReaders.ts); false forces the tree path. */
  fast: boolean;
}

/** A value known without running Ruby: a string (or symbol) or a hash of them. */
export type StaticValue = string | ReadonlyMap<string, StaticValue | null>;

/** Per-class state while walking its body. */
export interface ClassWalk {
  facts: RubyClassFacts;
  /** Lexical scopes for constant lookup inside the body, innermost first. */
  scopes: string[];
  hasOwnStatements: boolean;
  isConcern: boolean;
  /** Constants assigned a literal in the body so far (`MLFLOW_API_PREFIX = ':id/ml/...'`, a hash of literals). */
  constants?: Map<string, StaticValue>;
  /** The block variables of the literal-list loops being walked (null: bound to a value computed at load time). */
  env?: Map<string, StaticValue | null>;
}

export function line(walk: Walk, node: Node): number {
  return originalLine(walk.parsed, node.startPosition.row);
}

export function endLine(walk: Walk, node: Node): number {
  const end = node.endPosition;
  // A node that runs to the end of the file ends at column 0 of the row after its last line.
  const row = end.column === 0 && end.row > node.startPosition.row ? end.row - 1 : end.row;
  return originalLine(walk.parsed, row);
}

export function qualify(scope: string | undefined, name: string): string {
  return scope === undefined || scope === '' ? name : `${scope}::${name}`;
}

/** Ruby's lexical lookup of a written constant: innermost scope first, then the top level. */
export function constantCandidates(written: Node, scopes: string[], exclude?: string): string[] {
  const name = constantPath(written);
  if (name === undefined) return [];
  if (isAbsoluteConstant(written)) return [name];
  const out: string[] = [];
  for (const scope of scopes) {
    const candidate = qualify(scope, name);
    if (candidate !== exclude && !out.includes(candidate)) out.push(candidate);
  }
  if (name !== exclude && !out.includes(name)) out.push(name);
  return out;
}

export function declaration(walk: Walk, call: Node, valueNode: Node, value: string, actions?: string[]): AttributeDeclaration {
  const decl: AttributeDeclaration = {
    value,
    line: line(walk, call),
    column: call.startPosition.column + 1,
    valueLine: line(walk, valueNode),
    valueColumn: valueNode.startPosition.column + 1,
  };
  if (actions !== undefined && actions.length > 0) decl.actions = actions;
  return decl;
}

/** `feature_category :x` / `urgency :low, [:index]`. */
export function readDeclaration(walk: Walk, call: Node): AttributeDeclaration | undefined {
  const simple = walk.fast ? simpleDeclaration(walk.parsed.source, call) : undefined;
  if (simple !== undefined) {
    // Built field by field: an object spread of `simple` (whose shape varies with `actions`) is
    // a slow generic clone, and this runs for every declaration of a 3,000-line controller.
    const at = line(walk, call);
    const decl: AttributeDeclaration = { value: simple.value, line: at, column: simple.column, valueLine: at, valueColumn: simple.valueColumn };
    if (simple.actions !== undefined) decl.actions = simple.actions;
    return decl;
  }
  const { positional } = callArguments(call);
  const valueNode = positional[0];
  if (valueNode === undefined) return undefined;
  const value = literalName(valueNode);
  if (value === undefined) return undefined;
  const actionsNode = positional[1];
  const actions = actionsNode === undefined ? undefined : literalNameList(actionsNode);
  return declaration(walk, call, valueNode, value, actions);
}
