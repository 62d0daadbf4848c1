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
import type { ClassWalk, Walk } from './walkContext';

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

function readRoute(walk: Walk, cls: ClassWalk, call: Node, verb: string, prefix: string): void {
  const { positional, options } = callArguments(call);
  const pathNode = positional[0];
  const path = pathNode === undefined ? '' : literalName(pathNode);
  if (path === undefined) return; // computed path: the origin cannot be known statically
  const route: RubyClassFacts['routes'][number] = {
    method: verb.toUpperCase(),
    path: joinRoutePath(prefix, path),
    line: line(walk, call),
    endLine: endLine(walk, call),
  };
  for (const [key, field] of [['feature_category', 'category'], ['urgency', 'urgency']] as const) {
    const valueNode = options.get(key);
    const value = valueNode === undefined ? undefined : literalName(valueNode);
    if (valueNode !== undefined && value !== undefined) route[field] = declaration(walk, call, valueNode, value);
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
  const segment = first === undefined ? '' : literalName(first);
  if (segment === undefined) return true;
  walkStatements(walk, cls, block, joinRoutePath(prefix, method === 'route_param' ? `:${segment}` : segment));
  return true;
}

function walkStatements(walk: Walk, cls: ClassWalk, block: Node, nested: string): void {
  for (const statement of blockStatements(block)) {
    if (statement.type !== 'call' || statement.childForFieldName('receiver') !== null) continue;
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
