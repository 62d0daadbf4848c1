/**
 * RubyFileFacts + the workspace's other classes -> FileMapping: endpoints with category, urgency
 * and threshold, the category ranges the editor shows, and validation findings.
 */
import type { Urgency } from '../../contract/budgetTypes';
import type { AttributionSource, CategoryRange, Endpoint, EndpointKind, FileMapping, Finding } from '../types';
import { ClassChain, placeholderClass } from './classChain';
import type { FoundValue, ResolvedKind } from './classChain';
import { GrapeResolver } from './grapeResolve';
import { controllerPath } from './railsRoutes';
import type { RouteContext } from './grapeResolve';
import type { RubyClassFacts, RubyFileFacts, RubyResolveContext } from './types';
import { defaultUrgency, thresholdFor, urgencyFor } from '../urgency';
import { validateDeclarations } from './validation';

const ENDPOINT_KIND: Record<Exclude<ResolvedKind, 'other'>, EndpointKind> = {
  controller: 'rails',
  grape: 'grape',
  worker: 'sidekiq',
};

const UNKNOWN_CATEGORY = 'unknown';

interface Resolved {
  category: string;
  attribution: AttributionSource;
  perAction: boolean;
}

function attributed(found: FoundValue | undefined): Resolved {
  if (found === undefined) return { category: UNKNOWN_CATEGORY, attribution: 'unknown', perAction: false };
  return { category: found.value, attribution: found.inherited ? 'inherited' : 'declaration', perAction: found.perAction };
}

function urgencyOf(kind: EndpointKind, found: FoundValue | undefined): Urgency {
  const valid = found === undefined ? undefined : urgencyFor(kind, found.value);
  return valid ?? defaultUrgency(kind);
}

/** The class an EE module applies to, or the class itself. */
function homeOf(cls: RubyClassFacts, chain: ClassChain): { home: RubyClassFacts; extra?: RubyClassFacts } {
  if (cls.kind !== 'module' || cls.prependsInto === undefined) return { home: cls };
  return { home: chain.find(cls.prependsInto) ?? placeholderClass(cls.prependsInto, cls.file), extra: cls };
}

function kindOfHome(home: RubyClassFacts, extra: RubyClassFacts | undefined, chain: ClassChain): ResolvedKind {
  const kind = chain.kindOf(home);
  if (kind !== 'other' || extra === undefined) return kind;
  // Target outside the workspace: guess from its name, as GitLab's naming conventions allow.
  if (home.name.endsWith('Controller')) return 'controller';
  if (home.name.endsWith('Worker')) return 'worker';
  return extra.routes.length > 0 ? 'grape' : 'other';
}

function resolveClass(cls: RubyClassFacts, chain: ClassChain, grape: GrapeResolver, ctx: RubyResolveContext, out: FileMapping): void {
  const { home, extra } = homeOf(cls, chain);
  if (cls.kind === 'module' && extra === undefined && cls.routes.length > 0) {
    // A concern with routes (`included do get ... end`): they run in the APIs that include it.
    validateDeclarations(cls, undefined, ctx.knownCategories, out.findings);
    for (const c of grape.contexts(cls, cls, undefined)) if (chain.kindOf(c.home) === 'grape') grapeRoutes(cls, c, grape, out);
    return;
  }
  // A module applied to no known class (a namespace or a plain concern) maps nothing itself.
  const resolvedKind = cls.kind === 'module' && extra === undefined ? 'other' : kindOfHome(home, extra, chain);
  // Builds the merged config once with conflict reporting for this file's declarations.
  chain.configOf(home, extra, { file: out.file, findings: out.findings });
  const endpointKind = resolvedKind === 'other' ? undefined : ENDPOINT_KIND[resolvedKind];
  validateDeclarations(cls, endpointKind, ctx.knownCategories, out.findings);
  if (endpointKind === undefined) return;

  const classDefault = attributed(chain.lookup(home, 'category', undefined, extra));
  out.categories.push({
    category: classDefault.category,
    scope: 'class',
    name: home.name,
    startLine: cls.line,
    endLine: cls.endLine,
    attribution: classDefault.attribution,
  });

  const endpoint = (id: string, line: number, category: Resolved, urgency: Urgency): Endpoint => ({
    id,
    kind: endpointKind,
    category: category.category,
    urgency,
    thresholdS: thresholdFor(endpointKind, urgency),
    file: out.file,
    line,
    attribution: category.attribution,
  });

  if (resolvedKind === 'worker') {
    if (extra !== undefined) return; // the worker's own file reports its endpoint
    const urgency = urgencyOf(endpointKind, chain.lookup(home, 'urgency', undefined));
    out.endpoints.push(endpoint(home.name, cls.line, classDefault, urgency));
    return;
  }

  if (resolvedKind === 'controller') {
    const controllerAction = (name: string, line: number): Resolved => {
      const category = attributed(chain.lookup(home, 'category', name, extra));
      const urgency = urgencyOf(endpointKind, chain.lookup(home, 'urgency', name, extra));
      out.endpoints.push(endpoint(`${home.name}#${name}`, line, category, urgency));
      return category;
    };
    const routes = ctx.railsRoutes?.();
    const path = controllerPath(home.name);
    const routed = routes?.get(path);
    // The routes name this controller nowhere: an abstract parent (its actions run under its
    // subclasses' names) or a controller GitLab never serves. No endpoint is its.
    if (routes !== undefined && routed === undefined) return;
    const helpers = helperMethods(home, extra, chain);
    // Without routes every public method is taken for an action; with them, only routed ones
    // (unless a route computes the action: `get ':action'`, a gem's controllers).
    const reachable = (name: string): boolean => !helpers.has(name) && (routed === undefined || routed.open || routed.actions.has(name));
    const reported = new Set<string>();
    for (const action of cls.actions) {
      if (!reachable(action.name)) continue;
      reported.add(action.name);
      const category = controllerAction(action.name, action.line);
      const id = `${home.name}#${action.name}`;
      if (category.perAction) out.categories.push(range(category, 'action', id, action.line, action.endLine));
    }
    for (const [name, line] of declaredElsewhere(cls, home, extra, chain, routed !== undefined)) {
      if (!reachable(name)) continue;
      reported.add(name);
      controllerAction(name, line);
    }
    if (routed !== undefined && extra === undefined) {
      // The EE module's file reports what the module defines or declares.
      for (const m of chain.modulesOf(home)) {
        for (const a of m.actions) reported.add(a.name);
        for (const d of [...m.categories, ...m.urgencies]) for (const a of d.actions ?? []) reported.add(a);
      }
      const templates = ctx.templatesOf?.(path);
      for (const [name, line] of actionsFromElsewhere(home, chain, templates)) {
        if (reported.has(name) || !routed.actions.has(name) || helpers.has(name)) continue;
        reported.add(name);
        controllerAction(name, line);
      }
    }
    return;
  }

  for (const c of grape.contexts(cls, home, extra)) grapeRoutes(cls, c, grape, out);
}

/** The endpoints and route ranges of `cls`'s routes in one place they run. */
function grapeRoutes(cls: RubyClassFacts, c: RouteContext, grape: GrapeResolver, out: FileMapping): void {
  for (const route of cls.routes) {
    const id = GrapeResolver.id(c, route);
    const category = attributed(grape.attribute(c, route, 'category'));
    const urgency = urgencyOf('grape', grape.attribute(c, route, 'urgency'));
    out.endpoints.push({
      id,
      kind: 'grape',
      category: category.category,
      urgency,
      thresholdS: thresholdFor('grape', urgency),
      file: out.file,
      line: route.line,
      attribution: category.attribution,
    });
    out.categories.push(range(category, 'route', id, route.line, route.endLine));
    for (const attribute of ['category', 'urgency'] as const) {
      const first = grape.conflict(c, route, attribute);
      const own = route[attribute];
      if (first === undefined || own === undefined) continue;
      const call = attribute === 'category' ? 'feature_category' : 'urgency';
      out.findings.push({
        code: 'redeclared_action',
        severity: 'error',
        message: `${call}: :${own.value} on ${route.method} ${route.path || '/'}, but another route on this path has ${call}: :${first.value} (line ${first.line}); GitLab keys route options by path and raises on load`,
        file: out.file,
        line: own.valueLine,
        column: own.valueColumn,
      });
    }
  }
}

/**
 * Actions this file's per-action declarations name but no `def` here defines: GitLab lists actions
 * that come from concerns (`IssuableActions#update`) or a parent class, and Rails routes them, so
 * they are endpoints too, located at the declaration. Each name is reported by one file only:
 * the class file skips actions its EE module defines, the EE module file skips actions the class
 * defines or declares. A controller with no public `def` anywhere is taken for a base class whose
 * declarations are for subclasses, and reports none.
 */
function declaredElsewhere(
  cls: RubyClassFacts,
  home: RubyClassFacts,
  extra: RubyClassFacts | undefined,
  chain: ClassChain,
  routed: boolean,
): Map<string, number> {
  const out = new Map<string, number>();
  // Most classes declare no per-action values: nothing to look for (and no sets to build).
  if (!cls.categories.some((d) => d.actions !== undefined) && !cls.urgencies.some((d) => d.actions !== undefined)) return out;
  const related = extra === undefined ? chain.modulesOf(home) : [home];
  const defined = new Set([cls, ...related].flatMap((c) => c.actions.map((a) => a.name)));
  // Without routes, a controller with no public def is taken for a base class (the routes tell).
  if (defined.size === 0 && !routed) return out;
  const skip = new Set(defined);
  if (extra !== undefined) for (const d of [...home.categories, ...home.urgencies]) for (const a of d.actions ?? []) skip.add(a);
  const declarations = [...cls.categories, ...cls.urgencies].sort((a, b) => a.line - b.line || a.column - b.column);
  for (const decl of declarations) {
    for (const action of decl.actions ?? []) if (!skip.has(action) && !out.has(action)) out.set(action, decl.line);
  }
  return out;
}

/**
 * `helper_method` names of the controller, its EE modules, its concerns and its ancestors: public
 * so the views can call them, never actions.
 */
function helperMethods(home: RubyClassFacts, extra: RubyClassFacts | undefined, chain: ClassChain): Set<string> {
  const names = new Set<string>();
  for (const c of chain.ancestors(home)) {
    for (const owner of [c, ...chain.modulesOf(c, c === home ? extra : undefined)]) {
      for (const n of owner.helperMethods ?? []) names.add(n);
      for (const m of chain.includedModules(owner)) for (const n of m.helperMethods ?? []) names.add(n);
    }
  }
  return names;
}

/**
 * A routed controller's actions that no `def` of its own file or EE module defines, in Rails'
 * order of lookup, each with the line it is reported at (in the controller's file):
 * - public methods of the concerns it (or its EE module) includes, at the `include` that brings
 *   them (a concern's concern at its includer's line; an EE module's include at the class line);
 * - public methods of its ancestors and their concerns and EE modules, at the class line
 *   (GitLab serves them under this controller's name);
 * - templates with no method (`app/views/<path>/<action>.*`; Rails renders them), at the class line.
 * The caller keeps the ones the routes reach.
 */
function actionsFromElsewhere(home: RubyClassFacts, chain: ClassChain, templates: ReadonlySet<string> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  const add = (name: string, line: number): void => {
    if (!out.has(name)) out.set(name, line);
  };
  const includeLines = new Map<string, number>();
  for (const mount of home.mounts) {
    if (mount.kind !== 'include') continue;
    const module = mount.candidates.map((n) => chain.find(n)).find((m) => m !== undefined && m.kind === 'module');
    if (module === undefined) continue;
    for (const m of [module, ...chain.includedModules(module)]) if (!includeLines.has(m.name)) includeLines.set(m.name, mount.line);
  }
  const ancestors = chain.ancestors(home);
  for (let i = 0; i < ancestors.length; i++) {
    const c = ancestors[i]!;
    const owners = [c, ...chain.modulesOf(c)];
    if (i > 0) for (const owner of owners) for (const a of owner.actions) add(a.name, home.line);
    for (const owner of owners) {
      for (const m of chain.includedModules(owner)) {
        const line = i === 0 ? (includeLines.get(m.name) ?? home.line) : home.line;
        for (const a of m.actions) add(a.name, line);
      }
    }
  }
  for (const name of templates ?? []) add(name, home.line);
  return out;
}

function range(resolved: Resolved, scope: CategoryRange['scope'], name: string, startLine: number, endLine: number): CategoryRange {
  return { category: resolved.category, scope, name, startLine, endLine, attribution: resolved.attribution };
}

function dedupe(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}:${f.line}:${f.column}:${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Resolve one file's facts into a FileMapping, using other files' classes for inheritance/prepend. */
export function resolveFacts(facts: RubyFileFacts, ctx: RubyResolveContext): FileMapping {
  const local = new Map(facts.classes.map((c) => [c.name, c] as const));
  const chain = new ClassChain(local, ctx);
  const grape = new GrapeResolver(chain, ctx);
  const out: FileMapping = { file: facts.file, categories: [], endpoints: [], findings: [...facts.findings] };
  for (const cls of facts.classes) resolveClass(cls, chain, grape, ctx, out);
  out.findings = dedupe(out.findings).sort((a, b) => a.line - b.line || a.column - b.column);
  out.categories.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out;
}
