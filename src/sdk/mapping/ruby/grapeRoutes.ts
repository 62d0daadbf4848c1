/**
 * Grape routes inside a class body: `get ':id/tags', feature_category: :x do`, nested under
 * namespace/resource/resources/group/segment/route_param blocks (params/desc/helpers blocks add
 * nothing to the path and are not entered).
 */
import type { SyntaxNode as Node } from './syntaxNode';
import { joinRoutePath } from './routePath';
import { blockStatements, callArguments, literalName } from './syntax';
import type { RubyClassFacts } from './types';
import { declaration, endLine, line } from './walkContext';
import type { ClassWalk, Walk } from './walkContext';

const ROUTE_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
/** Grape calls whose first argument is a path segment and whose block nests routes under it. */
const NESTING_CALLS = new Set(['namespace', 'resource', 'resources', 'group', 'segment']);
const GRAPE_ROOTS = new Set(['API::Base', 'Grape::API', 'Grape::API::Instance']);

/** Every call name walkNesting handles (the class-body walk skips other calls unread). */
export const GRAPE_CALLS: readonly string[] = [...ROUTE_VERBS, ...NESTING_CALLS, 'route_param'];

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

/** Statements of a Grape namespace block (and of the class body, with prefix ''). */
export function walkNesting(walk: Walk, cls: ClassWalk, call: Node, method: string, prefix: string): boolean {
  if (ROUTE_VERBS.has(method)) {
    readRoute(walk, cls, call, method, prefix);
    return true;
  }
  if (!NESTING_CALLS.has(method) && method !== 'route_param') return false;
  const block = call.childForFieldName('block');
  if (block === null) return true;
  const first = callArguments(call).positional[0];
  const segment = first === undefined ? '' : literalName(first);
  if (segment === undefined) return true;
  const nested = joinRoutePath(prefix, method === 'route_param' ? `:${segment}` : segment);
  for (const statement of blockStatements(block)) {
    if (statement.type !== 'call' || statement.childForFieldName('receiver') !== null) continue;
    const name = statement.childForFieldName('method')?.text;
    if (name !== undefined) walkNesting(walk, cls, statement, name, nested);
  }
  return true;
}
