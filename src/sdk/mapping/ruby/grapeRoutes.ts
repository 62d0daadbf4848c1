/**
 * Grape routes inside a class body: `get ':id/tags', feature_category: :x do`, nested under
 * namespace/resource/resources/group/segment/route_param blocks (params/desc/helpers blocks add
 * nothing to the path and are not entered).
 */
import type { SyntaxNode as Node } from './syntaxNode';
import { joinRoutePath } from './routePath';
import { blockStatements, callArguments, constantPath, literalName } from './syntax';
import type { RubyClassFacts } from './types';
import { constantCandidates, declaration, endLine, line } from './walkContext';
import type { ClassWalk, StaticValue, Walk } from './walkContext';

const ROUTE_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
/** Grape calls whose first argument is a path segment and whose block nests routes under it. */
const NESTING_CALLS = new Set(['namespace', 'resource', 'resources', 'group', 'segment']);
const GRAPE_ROOTS = new Set(['API::Base', 'Grape::API', 'Grape::API::Instance']);

/** Every call name walkNesting handles (the class-body walk skips other calls unread). */
export const GRAPE_CALLS: readonly string[] = [...ROUTE_VERBS, ...NESTING_CALLS, 'route_param', 'version', 'prefix', 'mount'];

/** The classes a Grape API inherits from (GitLab's `::API::Base`, or Grape itself). */
export function isGrapeRoot(name: string): boolean {
  return GRAPE_ROOTS.has(name);
}

/** String methods a path may go through in a loop (`source_type.pluralize`, `slug.underscore`, `"#{x}".to_sym`). */
function stringMethod(value: string, method: string): string | undefined {
  switch (method) {
    case 'to_s':
    case 'to_sym':
    case 'freeze':
      return value;
    case 'underscore':
      // ActiveSupport: `Foo::BarBaz` -> `foo/bar_baz`, `a-b` -> `a_b`
      return value.replace(/::/g, '/').replace(/([A-Z\d]+)([A-Z][a-z])/g, '$1_$2').replace(/([a-z\d])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
    case 'dasherize':
      return value.replace(/_/g, '-');
    case 'singularize':
      if (/ies$/.test(value)) return `${value.slice(0, -3)}y`;
      if (/(ss|us)$/.test(value)) return value;
      return value.replace(/(?:(s|x|z|ch|sh)es|s)$/, '$1');
    case 'pluralize':
      if (/(s|x|z|ch|sh)$/.test(value)) return `${value}es`;
      if (/[^aeiou]y$/.test(value)) return `${value.slice(0, -1)}ies`;
      return `${value}s`;
    default:
      return undefined;
  }
}

/**
 * The value of a path or option as Ruby computes it at load time, when it can be known here: a
 * literal, a constant assigned a literal in the class, a loop variable over a literal list, an
 * interpolation of those, or one of them through `to_s`/`to_sym`/`pluralize`. Undefined otherwise.
 */
export function staticValue(cls: ClassWalk, node: Node): string | undefined {
  const value = staticData(cls, node);
  return typeof value === 'string' ? value : undefined;
}

/** staticValue, or a hash literal of such values (`{ gitignores: { feature_category: :x } }`), or `h[:key]` of one. */
function staticData(cls: ClassWalk, node: Node): StaticValue | undefined {
  switch (node.type) {
    case 'identifier':
      return cls.env?.get(node.text) ?? undefined;
    case 'constant':
      return cls.constants?.get(node.text);
    case 'hash': {
      const out = new Map<string, StaticValue | null>();
      for (const pair of node.namedChildren) {
        if (pair === null || pair.type === 'comment') continue;
        const key = pair.type === 'pair' ? pair.childForFieldName('key') : null;
        const value = pair.type === 'pair' ? pair.childForFieldName('value') : null;
        const k = key === null ? undefined : staticValue(cls, key);
        if (k === undefined) return undefined;
        // A value we cannot know (a number, a lambda) is kept as unknown: only a use of it fails.
        const v = value === null ? undefined : staticData(cls, value);
        out.set(k, v ?? null);
      }
      return out;
    }
    case 'element_reference': {
      const object = node.childForFieldName('object');
      // Compared by position: the wasm binding hands out a new wrapper for every node access.
      const keys = node.namedChildren.filter((c) => c !== null && c.type !== 'comment' && c.startIndex !== object?.startIndex);
      const hash = object === null ? undefined : staticData(cls, object);
      const key = keys.length === 1 ? staticValue(cls, keys[0]!) : undefined;
      return typeof hash === 'object' && key !== undefined ? (hash.get(key) ?? undefined) : undefined;
    }
    case 'parenthesized_statements':
      return node.namedChildCount === 1 ? staticData(cls, node.namedChild(0)!) : undefined;
    case 'call': {
      const receiver = node.childForFieldName('receiver');
      const method = node.childForFieldName('method')?.text;
      if (receiver === null || method === undefined || node.childForFieldName('arguments') !== null) return undefined;
      const value = staticData(cls, receiver);
      if (method === 'freeze') return value;
      return typeof value === 'string' ? stringMethod(value, method) : undefined;
    }
    case 'string':
    case 'delimited_symbol': {
      if (!node.namedChildren.some((c) => c?.type === 'interpolation')) return literalName(node);
      let out = '';
      for (const part of node.namedChildren) {
        if (part === null) continue;
        if (part.type === 'string_content') out += part.text;
        else if (part.type === 'interpolation' && part.namedChildCount === 1) {
          const value = staticValue(cls, part.namedChild(0)!);
          if (value === undefined) return undefined;
          out += value;
        } else if (part.type === 'escape_sequence' && /^\\[\\"']$/.test(part.text)) out += part.text.slice(1);
        else return undefined;
      }
      return out;
    }
    case 'simple_symbol':
    case 'hash_key_symbol':
    case 'bare_string':
    case 'bare_symbol':
      return literalName(node);
    default:
      return undefined;
  }
}

function unresolved(walk: Walk, call: Node, message: string): void {
  walk.findings.push({ code: 'route_unresolved', severity: 'info', message, file: walk.file, line: line(walk, call), column: call.startPosition.column + 1 });
}

function readRoute(walk: Walk, cls: ClassWalk, call: Node, verb: string, prefix: string): void {
  const { positional, options } = callArguments(call);
  const pathNode = positional[0];
  const path = pathNode === undefined ? '' : staticValue(cls, pathNode);
  if (path === undefined) {
    unresolved(walk, call, `${verb.toUpperCase()} route not mapped: its path \`${pathNode!.text}\` is computed at load time`);
    return;
  }
  const route: RubyClassFacts['routes'][number] = {
    method: verb.toUpperCase(),
    path: joinRoutePath(prefix, path),
    line: line(walk, call),
    endLine: endLine(walk, call),
  };
  for (const [key, field] of [['feature_category', 'category'], ['urgency', 'urgency']] as const) {
    const valueNode = options.get(key);
    if (valueNode === undefined) continue;
    const value = staticValue(cls, valueNode);
    if (value !== undefined) route[field] = declaration(walk, call, valueNode, value);
    else {
      unresolved(walk, call, `${verb.toUpperCase()} ${route.path || '/'} not mapped: its ${key} \`${valueNode.text}\` is computed at load time`);
      return;
    }
  }
  cls.facts.routes.push(route);
  cls.hasOwnStatements = true;
}

/** `mount X` / `include X` (not Rails', Grape's or Sidekiq's own modules): a MountFacts entry under `prefix`. */
export function addMount(walk: Walk, cls: ClassWalk, call: Node, kind: 'mount' | 'include', prefix: string, arg: Node): string[] | undefined {
  if (constantPath(arg) === undefined) return undefined;
  const candidates = constantCandidates(arg, cls.scopes);
  cls.facts.mounts.push({ kind, candidates, path: prefix, line: line(walk, call) });
  return candidates;
}

/** Statements of a Grape namespace block (and of the class body, with prefix ''). */
export function walkNesting(walk: Walk, cls: ClassWalk, call: Node, method: string, prefix: string): boolean {
  if (ROUTE_VERBS.has(method)) {
    readRoute(walk, cls, call, method, prefix);
    return true;
  }
  if (method === 'mount') {
    const target = callArguments(call).positional[0];
    if (target !== undefined) addMount(walk, cls, call, 'mount', prefix, target);
    cls.hasOwnStatements = true;
    return true;
  }
  if (method === 'prefix' || method === 'version') {
    const block = call.childForFieldName('block');
    // `version %w[v3 v4], using: :path do ... end`: its routes take the version the request names.
    if (method === 'version' && block !== null) {
      walkStatements(walk, cls, block, prefix);
      return true;
    }
    if (prefix !== '' || block !== null) return true;
    const first = callArguments(call).positional[0];
    if (method === 'version') cls.facts.apiVersion = true;
    else if (first !== undefined) {
      const value = literalName(first);
      if (value !== undefined) cls.facts.apiPrefix = value;
    }
    cls.hasOwnStatements = true;
    return true;
  }
  if (!NESTING_CALLS.has(method) && method !== 'route_param') return false;
  const block = call.childForFieldName('block');
  if (block === null) return true;
  const first = callArguments(call).positional[0];
  const segment = first === undefined ? '' : staticValue(cls, first);
  if (segment === undefined) {
    const routes = countRoutes(block);
    if (routes > 0) unresolved(walk, call, `${routes} route(s) under \`${method} ${first!.text}\` not mapped: the path is computed at load time`);
    return true;
  }
  walkStatements(walk, cls, block, joinRoutePath(prefix, method === 'route_param' ? `:${segment}` : segment));
  return true;
}

/** Route calls anywhere inside a block (what an unresolvable nesting or loop would have defined). */
function countRoutes(block: Node): number {
  let n = 0;
  for (const statement of blockStatements(block)) {
    if (statement.type !== 'call') continue;
    const name = statement.childForFieldName('method')?.text;
    if (statement.childForFieldName('receiver') === null && name !== undefined && ROUTE_VERBS.has(name)) n++;
    const inner = statement.childForFieldName('block');
    if (inner !== null) n += countRoutes(inner);
  }
  return n;
}

const LOOP_METHODS = new Set(['each', 'each_pair', 'tap']);

/** The values a literal receiver yields: `%w[group project]` -> [['group'], ['project']]; `{ 'group' => :x }` -> [['group', 'x']]. */
function loopValues(cls: ClassWalk, receiver: Node, method: string): (StaticValue | null)[][] | undefined {
  if (method === 'tap') {
    const value = staticValue(cls, receiver);
    return value === undefined ? undefined : [[value]];
  }
  const data = receiver.type === 'constant' || receiver.type === 'call' ? staticData(cls, receiver) : undefined;
  if (typeof data === 'object') return [...data].map(([k, v]) => [k, v]);
  const out: (StaticValue | null)[][] = [];
  if (receiver.type === 'array' || receiver.type === 'string_array' || receiver.type === 'symbol_array') {
    for (const element of receiver.namedChildren) {
      if (element === null || element.type === 'comment') continue;
      const value = staticValue(cls, element);
      if (value === undefined) return undefined;
      out.push([value]);
    }
    return out;
  }
  if (receiver.type === 'hash') {
    for (const pair of receiver.namedChildren) {
      if (pair === null || pair.type === 'comment') continue;
      if (pair.type !== 'pair') return undefined;
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      const k = key === null ? undefined : staticValue(cls, key);
      if (k === undefined) return undefined;
      out.push([k, (value === null ? undefined : staticData(cls, value)) ?? null]);
    }
    return out;
  }
  return undefined;
}

/**
 * `%w[group project].each do |source_type| ... end` (also a literal hash's `each` with two block
 * variables, and `'x'.tap do |path|`): the block is walked once per value with its variables
 * bound. A loop over anything else (a helper's list, a model's) is reported, with how many routes
 * it would define, and not mapped. False when `call` is not such a loop.
 */
export function walkLoop(walk: Walk, cls: ClassWalk, call: Node, prefix: string): boolean {
  const method = call.childForFieldName('method')?.text;
  const receiver = call.childForFieldName('receiver');
  const block = call.childForFieldName('block');
  if (method === undefined || !LOOP_METHODS.has(method) || receiver === null || block === null) return false;
  const params: string[] = [];
  for (const p of block.childForFieldName('parameters')?.namedChildren ?? []) {
    if (p === null) continue;
    if (p.type !== 'identifier') return false;
    params.push(p.text);
  }
  const values = loopValues(cls, receiver, method);
  if (values === undefined) {
    const routes = countRoutes(block);
    if (routes > 0) unresolved(walk, call, `${routes} route(s) in a loop over \`${receiver.text}\` not mapped: the list is computed at load time`);
    return true;
  }
  const outer = cls.env;
  try {
    for (const value of values) {
      const env = new Map(outer);
      params.forEach((name, i) => env.set(name, value[i] ?? null));
      cls.env = env;
      walkStatements(walk, cls, block, prefix);
    }
  } finally {
    cls.env = outer;
  }
  return true;
}

/** `MLFLOW_API_PREFIX = ':id/ml/mlflow/api/2.0/mlflow/'`: remembered for the paths below it. */
export function readConstant(cls: ClassWalk, assignment: Node): void {
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (left?.type !== 'constant' || right === null) return;
  const value = staticData(cls, right);
  if (value !== undefined) (cls.constants ??= new Map()).set(left.text, value);
}

function walkStatements(walk: Walk, cls: ClassWalk, block: Node, nested: string): void {
  for (const statement of blockStatements(block)) {
    if (statement.type === 'assignment' && cls.env !== undefined) {
      // `type_id_str = :"#{type.singularize}_iid"` inside a loop: a local the routes below may use.
      const left = statement.childForFieldName('left');
      const right = statement.childForFieldName('right');
      if (left?.type === 'identifier') cls.env.set(left.text, (right === null ? undefined : staticData(cls, right)) ?? null);
      continue;
    }
    if (statement.type !== 'call') continue;
    if (statement.childForFieldName('receiver') !== null) {
      walkLoop(walk, cls, statement, nested);
      continue;
    }
    const name = statement.childForFieldName('method')?.text;
    if (name === 'include') {
      // A concern included inside a namespace: its `included do` routes run under the namespace,
      // and its declarations apply to this class as any include's do.
      for (const arg of callArguments(statement).positional) {
        const candidates = addMount(walk, cls, statement, 'include', nested, arg);
        if (candidates !== undefined) cls.facts.includes.push(candidates);
      }
      cls.hasOwnStatements = true;
    } else if (name !== undefined) walkNesting(walk, cls, statement, name, nested);
  }
}
