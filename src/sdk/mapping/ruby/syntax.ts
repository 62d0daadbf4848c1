/**
 * Small readers for the tree-sitter-ruby nodes the extractor looks at: symbol and string literals,
 * action lists, constant paths and keyword options.
 */
import type { SyntaxNode as Node } from './syntaxNode';

/** `:x`, `:"x"`, `'x'`, `"x"`, `x:` -> `x`; undefined for anything computed (interpolation, calls). */
export function literalName(node: Node): string | undefined {
  switch (node.type) {
    case 'simple_symbol':
      return node.text.slice(1);
    case 'hash_key_symbol':
    case 'identifier':
    case 'constant':
      return node.text;
    case 'bare_symbol':
    case 'bare_string':
    case 'delimited_symbol':
    case 'string': {
      if (node.namedChildCount === 0) return node.type === 'bare_symbol' || node.type === 'bare_string' ? node.text : '';
      if (node.type === 'string' && node.text.startsWith("'")) return singleQuoted(node);
      return escapedContent(node);
    }
    default:
      return undefined;
  }
}

/** `'it\'s'`: in single quotes only `\'` and `\\` are escapes (Ruby keeps any other backslash). */
function singleQuoted(node: Node): string | undefined {
  if (node.namedChildCount > 1) return undefined;
  const content = node.namedChild(0);
  if (content === null) return '';
  if (content.type !== 'string_content') return undefined;
  return content.text.replace(/\\([\\'])/g, '$1');
}

/** Double-quoted (or %-quoted) text: `"a\\(\\)"` -> `a\(\)`; undefined for interpolation or escapes other than `\\ \" \'`. */
function escapedContent(node: Node): string | undefined {
  let out = '';
  for (const part of node.namedChildren) {
    if (part === null) continue;
    if (part.type === 'string_content') out += part.text;
    else if (part.type === 'escape_sequence' && /^\\[\\"']$/.test(part.text)) out += part.text.slice(1);
    else return undefined;
  }
  return out;
}

/** `[:a, 'b']`, `%i[a b]`, `%w[a b]`, or a single `:a` -> names; undefined when not a literal list. */
export function literalNameList(node: Node): string[] | undefined {
  if (node.type === 'array' || node.type === 'symbol_array' || node.type === 'string_array') {
    const names: string[] = [];
    for (const child of node.namedChildren) {
      if (child === null || child.type === 'comment') continue;
      const name = literalName(child);
      if (name === undefined) return undefined;
      names.push(name);
    }
    return names;
  }
  const single = literalName(node);
  return single === undefined ? undefined : [single];
}

/** `::API::Base` -> `API::Base`; `Projects::IssuesController` as written. */
export function constantPath(node: Node): string | undefined {
  if (node.type !== 'constant' && node.type !== 'scope_resolution') return undefined;
  const text = node.text.replace(/\s+/g, '');
  return text.startsWith('::') ? text.slice(2) : text;
}

/** Whether the written constant was absolute (`::API::Base`). */
export function isAbsoluteConstant(node: Node): boolean {
  return node.text.trimStart().startsWith('::');
}

/** The positional (non-pair, non-block) arguments and keyword pairs of a call. */
export interface CallArguments {
  positional: Node[];
  options: Map<string, Node>;
}

export function callArguments(call: Node): CallArguments {
  const positional: Node[] = [];
  const options = new Map<string, Node>();
  const list = call.childForFieldName('arguments');
  if (list === null) return { positional, options };
  for (const arg of list.namedChildren) {
    if (arg === null || arg.type === 'comment' || arg.type === 'block_argument') continue;
    if (arg.type === 'pair') {
      const key = arg.childForFieldName('key');
      const value = arg.childForFieldName('value');
      const name = key === null ? undefined : literalName(key);
      if (name !== undefined && value !== null) options.set(name, value);
      continue;
    }
    if (arg.type === 'hash') {
      // `get 'x', { urgency: :low }`
      for (const pair of arg.namedChildren) {
        const key = pair?.childForFieldName('key');
        const value = pair?.childForFieldName('value');
        const name = key ? literalName(key) : undefined;
        if (name !== undefined && value) options.set(name, value);
      }
      continue;
    }
    positional.push(arg);
  }
  return { positional, options };
}

/** The statements of a `do ... end` / `{ ... }` block, or of a class/module body. */
export function blockStatements(node: Node | null): Node[] {
  if (node === null) return [];
  const body = node.type === 'body_statement' || node.type === 'block_body' ? node : node.childForFieldName('body');
  if (body === null) return [];
  // `namedChildren` is one wasm call; `namedChild(i)` walks from the first child each time.
  const out: Node[] = [];
  for (const child of body.namedChildren) if (child !== null && child.type !== 'comment') out.push(child);
  return out;
}
