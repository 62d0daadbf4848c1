/**
 * Reads the commonest statements straight from the parsed source instead of through tree nodes.
 *
 * Why: every Node accessor crosses into wasm and marshals the node (web-tree-sitter), and a class
 * body in a 3,000-line controller has ~550 statements. A node's `startIndex` and `startPosition`
 * are plain fields, so a sticky regex at `startIndex` reads `def name` and a call's method name
 * for free, and one `endIndex` read gives a declaration's text. Anything that is not the simple
 * one-line form (strings, %w[], comments, interpolation) returns undefined and the caller reads
 * the tree; tests check both paths give the same facts.
 */
import type { SyntaxNode as Node } from './syntaxNode';
import type { AttributeDeclaration } from './types';

const CALL_NAME = /([A-Za-z_][A-Za-z0-9_]*[?!]?)(::|\s*&?\.)?/y;
const DEF_NAME = /def[ \t]+([A-Za-z_][A-Za-z0-9_]*[?!=]?)(?=[\s(;]|$)/y;
/** `feature_category :x`, `urgency :low, [:a, :b]` (may span lines inside the brackets), `..., %i[a b]`. */
const SIMPLE_DECLARATION =
  /^(?:feature_category|urgency)[ \t]+:([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?:,[ \t]*(?:\[([^\]#'"%]*)\]|%i\[([^\]#]*)\]))?$/;
const SYMBOL = /^:([A-Za-z_][A-Za-z0-9_]*[?!]?)$/;

/** A receiver-less call's method name, or `{ receiver: true }` for `Foo.bar` / `Foo::bar`. */
export function callName(source: string, call: Node): { name: string; receiver: boolean } | undefined {
  CALL_NAME.lastIndex = call.startIndex;
  const m = CALL_NAME.exec(source);
  if (m === null) return undefined;
  return { name: m[1]!, receiver: m[2] !== undefined };
}

/** `def index` -> `index`; undefined for operator methods and anything unusual. */
export function defName(source: string, method: Node): string | undefined {
  DEF_NAME.lastIndex = method.startIndex;
  return DEF_NAME.exec(source)?.[1];
}

function symbolList(list: string): string[] | undefined {
  const names: string[] = [];
  const items = list.split(',').map((s) => s.trim());
  if (items.length > 0 && items[items.length - 1] === '') items.pop(); // trailing comma
  for (const item of items) {
    const m = SYMBOL.exec(item);
    if (m === null) return undefined;
    names.push(m[1]!);
  }
  return names;
}

/**
 * The simple forms of `feature_category`/`urgency`, with positions relative to the call's start
 * (line offset 0: the value always sits on the call's first line in these forms).
 */
export function simpleDeclaration(
  source: string,
  call: Node,
): Omit<AttributeDeclaration, 'line' | 'valueLine'> | undefined {
  const text = source.slice(call.startIndex, call.endIndex);
  const m = SIMPLE_DECLARATION.exec(text);
  if (m === null) return undefined;
  let actions: string[] | undefined;
  if (m[2] !== undefined) {
    actions = symbolList(m[2]);
    if (actions === undefined) return undefined;
  } else if (m[3] !== undefined) {
    actions = m[3].split(/\s+/).filter((s) => s !== '');
  }
  const column = call.startPosition.column + 1;
  const decl: Omit<AttributeDeclaration, 'line' | 'valueLine'> = {
    value: m[1]!,
    column,
    valueColumn: column + text.indexOf(':'),
  };
  if (actions !== undefined && actions.length > 0) decl.actions = actions;
  return decl;
}
