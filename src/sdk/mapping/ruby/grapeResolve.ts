/**
 * Grape routes resolved the way GitLab's runtime names and attributes them:
 *
 * - **Where a route runs.** A class mounted inside another's namespace (`mount ::API::Hooks::UrlVariables`
 *   under `resource :projects ... namespace ':id/hooks'`) runs its routes under that namespace, and
 *   under every mount of it; a module included inside a namespace (`include CustomAttributesEndpoints`
 *   in `resource :users do`) runs its `included do` routes there, in the including class. A class
 *   nobody mounts under a namespace runs at the root (GitLab's `API::API` mounts the rest at its top).
 *   A class's own `prefix 'api/scim'` (+ `version`) replaces the root's `/api/:version`.
 * - **Category and urgency per path.** GitLab's `API::Base.route` turns a route's
 *   `feature_category:`/`urgency:` options into `feature_category(value, [namespace/path])` of the
 *   class the route is defined in, and looks a request up by the same key
 *   (`Gitlab::EndpointAttributes#attribute_for_action`: the per-path value, else the class default,
 *   else the superclass's), so a GET and a POST on one path share them, and a class-level
 *   `feature_category :x, %w[/projects/:id/share_locations]` sets routes by path too.
 *
 * The routes of a mounted class or included module are reported in that class's or module's own
 * file (where they are written), once per place they run.
 */
import { joinRoutePath } from './routePath';
import type { ClassChain, FoundValue } from './classChain';
import type { AttributeDeclaration, RouteFacts, RubyClassFacts, RubyResolveContext } from './types';

/** One place a class's or module's routes run. */
export interface RouteContext {
  /** `/api/:version`, or a class's own prefix and version. */
  root: string;
  /** The namespaces outside `home` it is mounted under. */
  path: string;
  /** The class whose declarations (and per-path table) the routes use. */
  home: RubyClassFacts;
  /** The EE module being resolved with `home`. */
  extra?: RubyClassFacts;
  /** The nesting inside `home` the routes sit in (an included module's namespace), part of the per-path key. */
  keyPrefix: string;
}

/** Deeper mount/include chains are not real code (GitLab's deepest is 3). */
const MAX_DEPTH = 8;

interface PathValues {
  category?: AttributeDeclaration;
  urgency?: AttributeDeclaration;
}

export class GrapeResolver {
  private readonly contextCache = new Map<RubyClassFacts, RouteContext[]>();
  private readonly pathTables = new Map<RubyClassFacts, Map<string, PathValues>>();

  constructor(
    private readonly chain: ClassChain,
    private readonly ctx: RubyResolveContext,
  ) {}

  /** A class's own root when it declares `prefix` (`prefix 'api/scim'; version 'v2'` -> `/api/scim/:version`). */
  private ownRoot(cls: RubyClassFacts): string | undefined {
    if (cls.apiPrefix === undefined) return undefined;
    return joinRoutePath(cls.apiPrefix, cls.apiVersion === true ? ':version' : '') || '/';
  }

  /** The class or module a mount/include entry resolves to: its first candidate that exists. */
  private target(candidates: readonly string[]): RubyClassFacts | undefined {
    for (const name of candidates) {
      const found = this.chain.find(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Classes and modules that mount or include `cls`, with the entry's path. */
  private mounters(cls: RubyClassFacts, kind: 'mount' | 'include'): { by: RubyClassFacts; path: string }[] {
    const out: { by: RubyClassFacts; path: string }[] = [];
    for (const by of this.ctx.mountersOf?.(cls.name) ?? []) {
      for (const m of by.mounts) {
        if (m.kind !== kind || !m.candidates.includes(cls.name)) continue;
        if (this.target(m.candidates)?.name !== cls.name) continue;
        out.push({ by, path: m.path });
      }
    }
    return out;
  }

  /** Where `cls`'s routes run: for a Grape class, a module included into one, or an EE module prepended into one. */
  contexts(cls: RubyClassFacts, home: RubyClassFacts, extra: RubyClassFacts | undefined, depth = 0): RouteContext[] {
    if (extra !== undefined) return this.contexts(home, home, undefined, depth).map((c) => ({ ...c, extra }));
    const cached = this.contextCache.get(cls);
    if (cached !== undefined) return cached;
    if (depth > MAX_DEPTH) return [];
    this.contextCache.set(cls, []); // a cycle resolves to nothing
    const out: RouteContext[] = [];
    const seen = new Set<string>();
    const add = (c: RouteContext): void => {
      const key = `${c.root}\u0000${c.path}\u0000${c.keyPrefix}\u0000${c.home.name}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push(c);
    };
    if (cls.kind === 'module') {
      // A concern: its routes run in whatever includes it, at the include's nesting.
      for (const { by, path } of this.mounters(cls, 'include')) {
        for (const c of this.contextsOf(by, depth + 1)) add({ ...c, keyPrefix: joinRoutePath(c.keyPrefix, path) });
      }
    } else {
      const own = this.ownRoot(cls);
      for (const { by, path } of this.mounters(cls, 'mount')) {
        for (const c of this.contextsOf(by, depth + 1)) {
          add({ root: own ?? c.root, path: joinRoutePath(c.path, c.keyPrefix, path), home: cls, keyPrefix: '' });
        }
      }
      if (out.length === 0) add({ root: own ?? this.ctx.grapeMountPrefix, path: '', home: cls, keyPrefix: '' });
    }
    this.contextCache.set(cls, out);
    return out;
  }

  /** Where a mounting or including class or module runs (an EE module: where its class runs). */
  private contextsOf(by: RubyClassFacts, depth: number): RouteContext[] {
    if (by.kind === 'module' && by.prependsInto !== undefined) {
      const home = this.chain.find(by.prependsInto);
      return home === undefined ? [] : this.contexts(home, home, undefined, depth);
    }
    return this.contexts(by, by, undefined, depth);
  }

  /**
   * Route options by path key for `home`: its own routes, its EE modules' and those of the modules
   * it includes (at their include's nesting). The first value written for a key wins (GitLab
   * raises on a second, different one).
   */
  private pathTable(home: RubyClassFacts): Map<string, PathValues> {
    const cached = this.pathTables.get(home);
    if (cached !== undefined) return cached;
    const table = new Map<string, PathValues>();
    this.pathTables.set(home, table);
    const addRoutes = (routes: readonly RouteFacts[], keyPrefix: string): void => {
      for (const r of routes) {
        if (r.category === undefined && r.urgency === undefined) continue;
        const key = joinRoutePath(keyPrefix, r.path);
        const values = table.get(key) ?? {};
        if (r.category !== undefined) values.category ??= r.category;
        if (r.urgency !== undefined) values.urgency ??= r.urgency;
        table.set(key, values);
      }
    };
    const visited = new Set<string>([home.name]);
    const visit = (cls: RubyClassFacts, keyPrefix: string, depth: number): void => {
      addRoutes(cls.routes, keyPrefix);
      if (depth > MAX_DEPTH) return;
      for (const m of cls.mounts) {
        if (m.kind !== 'include') continue;
        const module = this.target(m.candidates);
        if (module === undefined || module.kind !== 'module' || visited.has(module.name)) continue;
        visited.add(module.name);
        visit(module, joinRoutePath(keyPrefix, m.path), depth + 1);
      }
    };
    visit(home, '', 0);
    for (const m of this.chain.modulesOf(home)) if (!visited.has(m.name)) visit(m, '', 1);
    return table;
  }

  /**
   * A route's category or urgency: its own option, else its path's option on another method in the
   * home class, else the class's per-path list, default, superclass.
   */
  attribute(c: RouteContext, route: RouteFacts, attribute: 'category' | 'urgency'): FoundValue | undefined {
    const key = joinRoutePath(c.keyPrefix, route.path);
    const fromRoute = route[attribute] ?? this.pathTable(c.home).get(key)?.[attribute];
    if (fromRoute !== undefined) return { value: fromRoute.value, inherited: false, perAction: true };
    return this.chain.lookup(c.home, attribute, key, c.extra);
  }

  /** The value another method on the route's path declared first, when it differs from the route's own (GitLab raises on load). */
  conflict(c: RouteContext, route: RouteFacts, attribute: 'category' | 'urgency'): AttributeDeclaration | undefined {
    const own = route[attribute];
    if (own === undefined) return undefined;
    const first = this.pathTable(c.home).get(joinRoutePath(c.keyPrefix, route.path))?.[attribute];
    return first !== undefined && first !== own && first.value !== own.value ? first : undefined;
  }

  /** `GET /api/:version/projects/:id/hooks/:hook_id/url_variables/:key`. */
  static id(c: RouteContext, route: RouteFacts): string {
    return `${route.method} ${joinRoutePath(c.root, c.path, c.keyPrefix, route.path) || '/'}`;
  }
}
