/**
 * Rails routes (`config/routes.rb`, `config/routes/*.rb`, `ee/config/routes/*.rb`): which
 * controller actions the router can reach, as `controller path -> action names`
 * (`projects/issues` -> show, index, ...). Only what decides an action id is read: `namespace`,
 * `scope module:/controller:`, `resources`/`resource` (default actions, `only:`/`except:`,
 * `controller:`, `module:`, `concerns:`), verbs with `to: 'c#a'`, `'path' => 'c#a'`,
 * `action:`/`controller:` or a symbol inside a resource, route `concern`s, and `draw`/`draw_all`
 * (GitLab's: the named file under config/routes and ee/config/routes, in the scope of the call).
 * Paths, `as:`, constraints and redirects do not matter. A file is read per file (facts); the
 * workspace composes them from config/routes.rb through its draws (composeRailsRoutes).
 */
import type { SyntaxNode as Node } from './syntaxNode';
import { parseRuby } from './parser';
import { callArguments, constantPath, literalName, literalNameList } from './syntax';

export interface RailsRouteEntry {
  /** Controller path relative to the module scope the file is drawn in (`projects/issues`). */
  controller: string;
  actions: string[];
  line: number;
}

export interface RailsRoutesFacts {
  entries: RailsRouteEntry[];
  /** Controllers with a route whose action is computed (`:action` in the path): any public method may be one. */
  open: string[];
  /** `draw :name` / `draw_all :name` with the module scope it sits in. */
  draws: { name: string; module: string }[];
  /**
   * `concern :awardable do post :toggle_award_emoji, on: :member end`: the actions it adds to the
   * resource that uses it, and the routes it draws (`resources :clusters` in `concern :clusterable`),
   * relative to the module it is used in.
   */
  concerns: Record<string, { actions: string[]; entries: RailsRouteEntry[] }>;
  /** `resources :x, concerns: [:awardable]` and `concerns :clusterable` (in a module, maybe a resource). */
  concernUses: { module: string; resource?: string; names: string[] }[];
}

/** What the router reaches: controller path -> actions; `open`: any public method (a computed action). */
export interface RailsRoutes {
  get(controllerPath: string): { actions: ReadonlySet<string>; open: boolean } | undefined;
}

const ROUTES_FILE = /(?:^|\/)config\/routes(?:\.rb|\/.+\.rb)$/;

/** `config/routes.rb`, `config/routes/**.rb`, `ee/config/routes/**.rb` (at any depth of a monorepo). */
export function isRoutesPath(file: string): boolean {
  return ROUTES_FILE.test(file);
}

const RESOURCES_ACTIONS = ['index', 'create', 'new', 'edit', 'show', 'update', 'destroy'];
const RESOURCE_ACTIONS = ['create', 'new', 'edit', 'show', 'update', 'destroy'];
const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'match', 'root']);
/** Route options that are never the `'path' => 'controller#action'` pair. */
const ROUTE_OPTIONS = new Set(['to', 'as', 'on', 'via', 'action', 'controller', 'constraints', 'defaults', 'format', 'module', 'path', 'only', 'except', 'param', 'concerns', 'shallow', 'anchor']);

interface Scope {
  module: string;
  /** `scope controller: :x` / `controller :x do`: the controller of bare verbs. */
  controller?: string;
  /** The enclosing `resources`/`resource`: the controller of `get :foo` inside it. */
  resource?: string;
  /** Inside `concern :name do`: verbs add their action to the concern. */
  concern?: string;
}

function join(module: string, name: string): string {
  if (name.startsWith('/')) return name.slice(1);
  return module === '' ? name : `${module}/${name}`;
}

/**
 * A verb's controller when the route names none: the scope's `controller`, the enclosing
 * resource, else the module itself (Rails' `add_controller_module` joins the module and a nil
 * controller: `namespace :elasticsearch do post :enqueue_index` is `elasticsearch#enqueue_index`).
 */
function defaultController(scope: Scope): string | undefined {
  return scope.controller ?? scope.resource ?? (scope.module === '' ? undefined : scope.module);
}

/**
 * ActiveSupport's plural rules, enough for route names: `policy` -> `policies`, `status` ->
 * `statuses`, `premium` -> `premia`, and a word already ending in `s` (`settings`) unchanged.
 */
export function pluralize(word: string): string {
  if (/(?:alias|status)$/.test(word)) return `${word}es`;
  if (word.endsWith('s')) return word;
  if (/[ti]um$/.test(word)) return `${word.slice(0, -2)}a`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(?:x|ch|sh|ss)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** `to: API::Graphql::GraphqlExplorerController.action(:show)` -> `/api/graphql/graphql_explorer#show` (an absolute controller path). */
function actionEndpoint(node: Node): string | undefined {
  if (node.type !== 'call' || node.childForFieldName('method')?.text !== 'action') return undefined;
  const receiver = node.childForFieldName('receiver');
  const name = receiver === null ? undefined : constantPath(receiver);
  const arg = callArguments(node).positional[0];
  const action = arg === undefined ? undefined : literalName(arg);
  if (name === undefined || !name.endsWith('Controller') || action === undefined) return undefined;
  return `/${controllerPath(name)}#${action}`;
}

function blockOf(call: Node): Node | null {
  return call.childForFieldName('block');
}

class RoutesWalk {
  readonly facts: RailsRoutesFacts = { entries: [], open: [], draws: [], concerns: {}, concernUses: [] };
  /** `devise_controllers = { sessions: :sessions, ... }`: hash literals assigned to local variables. */
  private readonly hashes = new Map<string, Node>();

  add(scope: Scope, controller: string | undefined, actions: string[], node: Node): void {
    if (scope.concern !== undefined) {
      const concern = (this.facts.concerns[scope.concern] ??= { actions: [], entries: [] });
      if (controller === '' || controller === undefined) concern.actions.push(...actions);
      else concern.entries.push({ controller, actions, line: node.startPosition.row + 1 });
      return;
    }
    if (controller === undefined || actions.length === 0) return;
    this.facts.entries.push({ controller, actions, line: node.startPosition.row + 1 });
  }

  statements(nodes: readonly (Node | null)[], scope: Scope): void {
    for (const node of nodes) if (node !== null) this.node(node, scope);
  }

  node(node: Node, scope: Scope): void {
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'identifier' && right?.type === 'hash') this.hashes.set(left.text, right);
    }
    if (node.type !== 'call') {
      if (node.type === 'comment' || node.type === 'string' || node.type === 'lambda') return;
      this.statements(node.namedChildren, scope);
      return;
    }
    const receiver = node.childForFieldName('receiver');
    const method = node.childForFieldName('method')?.text;
    if (receiver !== null || method === undefined) {
      this.body(node, scope);
      return;
    }
    this.call(node, method, scope);
  }

  body(call: Node, scope: Scope): void {
    const block = blockOf(call);
    if (block !== null) this.statements(block.namedChildren, scope);
  }

  call(call: Node, method: string, scope: Scope): void {
    const { positional, options } = callArguments(call);
    const option = (name: string): string | undefined => {
      const v = options.get(name);
      return v === undefined ? undefined : literalName(v);
    };
    switch (method) {
      case 'namespace': {
        const name = positional[0] === undefined ? undefined : literalName(positional[0]);
        const module = option('module') ?? name;
        this.body(call, { module: module === undefined ? scope.module : join(scope.module, module), concern: scope.concern });
        return;
      }
      case 'scope': {
        const module = option('module');
        const controller = option('controller');
        const next: Scope = { ...scope, module: module === undefined ? scope.module : join(scope.module, module) };
        if (controller !== undefined) next.controller = join(next.module, controller);
        this.body(call, next);
        return;
      }
      case 'controller': {
        const name = positional[0] === undefined ? undefined : literalName(positional[0]);
        this.body(call, name === undefined ? scope : { ...scope, controller: join(scope.module, name) });
        return;
      }
      case 'resources':
      case 'resource':
        this.resources(call, method === 'resources', positional, options, scope);
        return;
      case 'draw':
      case 'draw_all': {
        const name = positional[0] === undefined ? undefined : literalName(positional[0]);
        if (name !== undefined) this.facts.draws.push({ name, module: scope.module });
        return;
      }
      case 'devise_for': {
        // Devise's routes (sessions, registrations, omniauth callbacks per provider ...) are
        // built by the gem: a controller named in `controllers:` may serve any public method.
        const written = options.get('controllers');
        const controllers = written?.type === 'identifier' ? this.hashes.get(written.text) : written;
        for (const pair of controllers?.type === 'hash' ? controllers.namedChildren : []) {
          const value = pair?.childForFieldName('value');
          const name = value ? literalName(value) : undefined;
          if (name !== undefined && scope.concern === undefined) this.facts.open.push(join(scope.module, name));
        }
        return;
      }
      case 'concern': {
        const name = positional[0] === undefined ? undefined : literalName(positional[0]);
        if (name !== undefined && blockOf(call) !== null) this.body(call, { module: '', resource: '', concern: name });
        return;
      }
      case 'concerns': {
        const names = positional.flatMap((a) => literalNameList(a) ?? []);
        this.useConcerns(scope, names, scope.resource);
        return;
      }
      case 'controllers': {
        // use_doorkeeper's `controllers applications: 'oauth/applications', ...`: the gem routes them.
        for (const value of options.values()) {
          const name = literalName(value);
          if (name !== undefined && scope.concern === undefined) this.facts.open.push(join(scope.module, name));
        }
        return;
      }
      default:
        if (VERBS.has(method)) this.verb(call, method, positional, options, scope);
        else this.body(call, scope); // member, collection, constraints, defaults, Gitlab.ee, loops ...
    }
  }

  resources(call: Node, plural: boolean, positional: Node[], options: Map<string, Node>, scope: Scope): void {
    const moduleOption = options.get('module');
    const module = moduleOption === undefined ? scope.module : join(scope.module, literalName(moduleOption) ?? '');
    const controllerOption = options.get('controller');
    const controllerName = controllerOption === undefined ? undefined : literalName(controllerOption);
    let actions = plural ? RESOURCES_ACTIONS : RESOURCE_ACTIONS;
    const only = options.get('only');
    const onlyList = only === undefined ? undefined : literalNameList(only);
    if (onlyList !== undefined) actions = actions.filter((a) => onlyList.includes(a));
    const except = options.get('except');
    const exceptList = except === undefined ? undefined : literalNameList(except);
    if (exceptList !== undefined) actions = actions.filter((a) => !exceptList.includes(a));
    const concernsOption = options.get('concerns');
    const concerns = concernsOption === undefined ? undefined : literalNameList(concernsOption);
    for (const arg of positional) {
      const name = literalName(arg);
      if (name === undefined) continue;
      // `resource :profile` is served by ProfilesController (Rails pluralizes a singular
      // resource's name), unless the app's inflections make the word uncountable
      // (`discover_premium`): both are taken, a path no controller has routes nothing.
      const names = controllerName !== undefined ? [controllerName] : plural ? [name] : [pluralize(name), name];
      for (const n of new Set(names)) {
        const controller = join(module, n);
        this.add(scope, controller, actions, call);
        if (concerns !== undefined && concerns.length > 0) this.useConcerns(scope, concerns, controller);
      }
      this.body(call, { module, resource: join(module, names[0]!), concern: scope.concern });
    }
  }

  useConcerns(scope: Scope, names: string[], resource: string | undefined): void {
    if (scope.concern === undefined) this.facts.concernUses.push({ module: scope.module, resource, names });
  }

  verb(call: Node, method: string, positional: Node[], options: Map<string, Node>, scope: Scope): void {
    let target: string | undefined;
    const to = options.get('to') ?? (method === 'root' ? positional[0] : undefined);
    if (to !== undefined) {
      target = literalName(to) ?? actionEndpoint(to);
      if (target === undefined) return; // a redirect or a Rack app
    } else {
      // `get 'path' => 'controller#action'`
      for (const [key, value] of options) {
        if (ROUTE_OPTIONS.has(key)) continue;
        const text = literalName(value);
        if (text?.includes('#')) target = text;
      }
    }
    let controller: string | undefined;
    let action: string | undefined;
    if (target !== undefined) {
      if (!target.includes('#')) return;
      const [c, a] = target.split('#') as [string, string];
      controller = c === '' ? defaultController(scope) : join(scope.module, c);
      action = a;
    } else {
      const c = options.get('controller');
      const cName = c === undefined ? undefined : literalName(c);
      controller = cName === undefined ? defaultController(scope) : join(scope.module, cName);
      const a = options.get('action');
      action = a === undefined ? undefined : literalName(a);
      if (action === undefined && a === undefined && positional[0] !== undefined) {
        const path = literalName(positional[0]);
        if (path !== undefined) {
          if (/(^|\/):action\b/.test(path)) {
            if (controller !== undefined && scope.concern === undefined) this.facts.open.push(controller);
            return;
          }
          const word = path.replace(/^\//, '').replace(/\(.*$/, '');
          if (/^[a-z_][a-z0-9_]*$/.test(word)) action = word;
        }
      }
    }
    if (action === undefined || !/^[a-z_][a-z0-9_]*[?!]?$/.test(action)) return;
    this.add(scope, controller, [action], call);
  }
}

/** The routes one file declares. Requires initRubyParser(). */
export function extractRailsRoutes(text: string): RailsRoutesFacts {
  const parsed = parseRuby(text, { skeleton: false });
  try {
    const walk = new RoutesWalk();
    walk.statements(parsed.tree.rootNode.namedChildren, { module: '' });
    return walk.facts;
  } finally {
    parsed.release();
  }
}

/**
 * The workspace's routes: config/routes.rb (at the shortest path that has one) and, through each
 * `draw`, `config/routes/<name>.rb` and `ee/`/`jh/config/routes/<name>.rb` in the scope of the
 * call; routes files no draw reaches are read at the top scope. Undefined when the workspace has
 * no config/routes.rb (then nothing is known about what is routed).
 */
export function composeRailsRoutes(files: ReadonlyMap<string, RailsRoutesFacts>): RailsRoutes | undefined {
  const roots = [...files.keys()].filter((f) => f === 'config/routes.rb' || f.endsWith('/config/routes.rb')).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  if (roots.length === 0) return undefined;
  const routes = new Map<string, { actions: Set<string>; open: boolean }>();
  const entry = (controller: string): { actions: Set<string>; open: boolean } => {
    let e = routes.get(controller);
    if (e === undefined) routes.set(controller, (e = { actions: new Set(), open: false }));
    return e;
  };
  const concerns = new Map<string, { actions: string[]; entries: RailsRouteEntry[] }>();
  for (const facts of files.values()) {
    for (const [name, c] of Object.entries(facts.concerns)) {
      const known = concerns.get(name);
      concerns.set(name, known === undefined ? c : { actions: [...known.actions, ...c.actions], entries: [...known.entries, ...c.entries] });
    }
  }
  const seen = new Set<string>();
  const visit = (file: string, module: string): void => {
    const key = `${file}\0${module}`;
    const facts = files.get(file);
    if (facts === undefined || seen.has(key)) return;
    seen.add(key);
    reached.add(file);
    for (const e of facts.entries) for (const a of e.actions) entry(join(module, e.controller)).actions.add(a);
    for (const c of facts.open) entry(join(module, c)).open = true;
    for (const use of facts.concernUses) {
      const at = join(module, use.module);
      for (const name of use.names) {
        const concern = concerns.get(name);
        if (concern === undefined) continue;
        if (use.resource !== undefined) for (const a of concern.actions) entry(join(module, use.resource)).actions.add(a);
        for (const e of concern.entries) for (const a of e.actions) entry(join(at, e.controller)).actions.add(a);
      }
    }
    const base = file.slice(0, file.indexOf('config/routes'));
    for (const d of facts.draws) {
      for (const dir of ['', 'ee/', 'jh/']) visit(`${base}${dir}config/routes/${d.name}.rb`, join(module, d.module));
    }
  };
  const reached = new Set<string>();
  for (const root of roots) visit(root, '');
  for (const file of [...files.keys()].sort()) if (!reached.has(file)) visit(file, '');
  return routes;
}

/** `Projects::IssuesController` -> `projects/issues` (Rails' `controller_path`). */
export function controllerPath(className: string): string {
  return className
    .replace(/Controller$/, '')
    .split('::')
    .map((s) => s.replace(/([A-Z\d]+)([A-Z][a-z])/g, '$1_$2').replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase())
    .join('/');
}

/** `app/views/projects/issues/show.html.haml` (also under ee/ or jh/) -> its controller path and action; undefined for partials and anything else. */
export function viewTemplate(file: string): { dir: string; action: string } | undefined {
  const at = file.startsWith('app/views/') ? 0 : file.indexOf('/app/views/') + 1;
  if (at === 0 && !file.startsWith('app/views/')) return undefined;
  const rest = file.slice(at + 'app/views/'.length);
  const slash = rest.lastIndexOf('/');
  if (slash <= 0) return undefined;
  const base = rest.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot <= 0 || base.charCodeAt(0) === 95 /* _ partial */) return undefined;
  const action = base.slice(0, dot);
  if (!/^[a-z][a-z0-9_]*$/.test(action)) return undefined;
  return { dir: rest.slice(0, slash), action };
}
