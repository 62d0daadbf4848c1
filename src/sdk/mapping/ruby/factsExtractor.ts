/**
 * One Ruby file -> RubyFileFacts: every class and module with its declarations, public actions,
 * Grape routes, includes and prepends. Pure per file; cross-file meaning (inheritance, EE modules)
 * is applied later by resolveFile.ts.
 */
import type { SyntaxNode as Node } from './syntaxNode';
import type { Finding } from '../types';
import { addMount, GRAPE_CALLS, isGrapeRoot, readConstant, walkLoop, walkNesting } from './grapeRoutes';
import { parseRuby } from './parser';
import { blockStatements, callArguments, constantPath, isAbsoluteConstant, literalName } from './syntax';
import { callName, defName } from './sourceReaders';
import { parseErrorFinding } from './syntaxErrors';
import { controllerPath, extractRailsRoutes, isRoutesPath } from './railsRoutes';
import type { RubyClassFacts, RubyClassKind, RubyFileFacts } from './types';
import { newClassFacts } from './types';
import { constantCandidates, declaration, endLine, line, qualify, readDeclaration } from './walkContext';
import type { ClassWalk, Walk } from './walkContext';

const WORKER_MODULES = new Set(['ApplicationWorker', 'Sidekiq::Worker', 'Sidekiq::Job']);
/** Roots that are never defined in the workspace, so the written name is the best guess. */
const EXTERNAL_ROOTS = new Set(['Grape', 'ActionController', 'ActiveRecord', 'ActiveJob', 'Sidekiq', 'ActiveSupport']);
/** EE/JH overrides live in `EE::<Class>` / `JH::<Class>` modules prepended into `<Class>`. */
const OVERRIDE_NAMESPACES = ['EE::', 'JH::'];

/** Deeper class/module nesting is not real code; stop before the recursion or names blow up. */
const MAX_NESTING = 64;

function prependTarget(name: string): string | undefined {
  for (const ns of OVERRIDE_NAMESPACES) if (name.startsWith(ns)) return name.slice(ns.length);
  return undefined;
}

function addPrepend(facts: RubyClassFacts, module: string): void {
  if (!facts.prepends.includes(module)) facts.prepends.push(module);
}

/** `prepend_mod` / `prepend_mod_with('X')` -> `EE::<self or X>`. */
function modPrepend(call: Node, self: string): string | undefined {
  const method = call.childForFieldName('method')?.text;
  if (method === 'prepend_mod') return `EE::${self}`;
  if (method !== 'prepend_mod_with') return undefined;
  const arg = callArguments(call).positional[0];
  const name = arg === undefined ? undefined : literalName(arg);
  return name === undefined ? undefined : `EE::${name.replace(/^::/, '')}`;
}

/** Receiver-less calls the extractor reads; the walk skips all others (`before_action`, ...) unread. */
const INTERESTING_CALLS = new Set([
  'feature_category', 'urgency', 'feature_category_not_owned!', 'include', 'extend', 'prepend', 'prepend_mod',
  'prepend_mod_with', 'prepended', 'included', 'mounted', 'private', 'protected', 'public', 'helper_method', ...GRAPE_CALLS,
]);

function walkClassCall(walk: Walk, cls: ClassWalk, call: Node, method: string): void {
  const facts = cls.facts;
  switch (method) {
    case 'feature_category':
    case 'urgency': {
      const decl = readDeclaration(walk, call);
      if (decl !== undefined) (method === 'urgency' ? facts.urgencies : facts.categories).push(decl);
      cls.hasOwnStatements = true;
      return;
    }
    case 'feature_category_not_owned!': {
      const value = 'not_owned';
      facts.categories.push(declaration(walk, call, call, value));
      cls.hasOwnStatements = true;
      return;
    }
    case 'include':
    case 'extend':
    case 'prepend': {
      for (const arg of callArguments(call).positional) {
        const name = constantPath(arg);
        if (name === undefined) continue;
        if (method === 'include' && WORKER_MODULES.has(name)) facts.includesWorker = true;
        else if (method === 'include' && !EXTERNAL_ROOTS.has(name.split('::')[0]!)) facts.includes.push(addMount(walk, cls, call, 'include', '', arg)!);
        if (method === 'extend' && name === 'ActiveSupport::Concern') cls.isConcern = true;
        if (method === 'prepend') addPrepend(facts, constantCandidates(arg, cls.scopes)[0] ?? name);
      }
      cls.hasOwnStatements = true;
      return;
    }
    case 'prepend_mod':
    case 'prepend_mod_with': {
      const module = modPrepend(call, facts.name);
      if (module !== undefined) addPrepend(facts, module);
      return;
    }
    case 'mounted':
      // A Grape::API's `mounted do` runs once per mount, with that mount's `configuration`.
      cls.hasOwnStatements = true;
      walkClassBody(walk, cls, blockStatements(call.childForFieldName('block')));
      return;
    case 'prepended':
    case 'included': {
      cls.isConcern = true;
      cls.hasOwnStatements = true;
      walkClassBody(walk, cls, blockStatements(call.childForFieldName('block')));
      return;
    }
    case 'helper_method': {
      // Methods the views call; public so the views can, never routed as actions.
      for (const arg of callArguments(call).positional) {
        const name = literalName(arg);
        if (name !== undefined) (facts.helperMethods ??= []).push(name);
      }
      cls.hasOwnStatements = true;
      return;
    }
    case 'private':
    case 'protected':
    case 'public': {
      // `private def foo` makes only that method non-public; bare `private` is an identifier node.
      for (const arg of callArguments(call).positional) {
        if (arg.type === 'method') addAction(walk, cls, arg, method === 'public');
      }
      return;
    }
    default:
      if (walkNesting(walk, cls, call, method, '')) cls.hasOwnStatements = true;
  }
}

function addAction(walk: Walk, cls: ClassWalk, method: Node, isPublic: boolean): void {
  cls.hasOwnStatements = true;
  if (!isPublic) return;
  const name = (walk.fast ? defName(walk.parsed.source, method) : undefined) ?? method.childForFieldName('name')?.text;
  if (name === undefined) return;
  cls.facts.actions.push({ name, line: line(walk, method), endLine: endLine(walk, method) });
}

function walkClassBody(walk: Walk, cls: ClassWalk, statements: Node[]): void {
  const visibility = { public: true };
  for (const statement of statements) {
    switch (statement.type) {
      case 'method':
        addAction(walk, cls, statement, visibility.public);
        break;
      case 'identifier':
        if (statement.text === 'private' || statement.text === 'protected') visibility.public = false;
        else if (statement.text === 'public') visibility.public = true;
        else if (statement.text === 'end') walk.strayEnd ??= statement;
        break;
      case 'call': {
        const quick = walk.fast ? callName(walk.parsed.source, statement) : undefined;
        if (quick !== undefined && !quick.receiver) {
          if (INTERESTING_CALLS.has(quick.name)) walkClassCall(walk, cls, statement, quick.name);
          else cls.hasOwnStatements = true;
          break;
        }
        if (quick === undefined && statement.childForFieldName('receiver') === null) {
          const method = statement.childForFieldName('method')?.text;
          if (method !== undefined) walkClassCall(walk, cls, statement, method);
          break;
        }
        if (walkLoop(walk, cls, statement, '')) cls.hasOwnStatements = true;
        else walkReceiverCall(walk, statement, cls.scopes);
        break;
      }
      case 'assignment':
        readConstant(cls, statement);
        cls.hasOwnStatements = true;
        break;
      case 'class':
      case 'module':
      case 'ERROR':
        walkDefinition(walk, statement, cls.scopes);
        break;
      default:
        cls.hasOwnStatements = true;
    }
  }
}

/** `Projects::IssuesController.prepend_mod` (GitLab puts it after the class, at file level). */
function walkReceiverCall(walk: Walk, call: Node, scopes: string[]): void {
  const receiver = call.childForFieldName('receiver');
  if (receiver === null) return;
  const target = constantCandidates(receiver, scopes)[0];
  if (target === undefined) return;
  const module = modPrepend(call, target);
  if (module === undefined) return;
  const list = walk.filePrepends.get(target) ?? [];
  if (!list.includes(module)) list.push(module);
  walk.filePrepends.set(target, list);
}

function guessKind(facts: RubyClassFacts, isModule: boolean): RubyClassKind {
  if (isModule) return 'module';
  if (facts.includesWorker) return 'worker';
  if (facts.superclassCandidates.some(isGrapeRoot) || facts.routes.length > 0) return 'grape';
  if (facts.name.endsWith('Controller') || (facts.superclass ?? '').endsWith('Controller')) return 'controller';
  return 'other';
}

interface DefinitionParts {
  isModule: boolean;
  nameNode: Node | null;
  superNode: Node | null;
  statements: Node[];
}

/**
 * The parts of a `class`/`module` node, or of an ERROR node that tree-sitter produced for a class
 * with a syntax error inside (`ERROR: class <name> <superclass> ...statements`), so declarations
 * before and around the error are still extracted.
 */
function definitionParts(node: Node): DefinitionParts | undefined {
  if (node.type === 'class' || node.type === 'module') {
    const isModule = node.type === 'module';
    return {
      isModule,
      nameNode: node.childForFieldName('name'),
      superNode: isModule ? null : (node.childForFieldName('superclass')?.namedChild(0) ?? null),
      statements: blockStatements(node),
    };
  }
  if (node.type !== 'ERROR') return undefined;
  const keyword = node.child(0)?.type;
  if (keyword !== 'class' && keyword !== 'module') return undefined;
  const parts: DefinitionParts = { isModule: keyword === 'module', nameNode: null, superNode: null, statements: [] };
  for (const child of node.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    if (parts.nameNode === null && (child.type === 'constant' || child.type === 'scope_resolution')) parts.nameNode = child;
    else if (child.type === 'superclass') parts.superNode = child.namedChild(0);
    else if (child.type === 'body_statement') parts.statements.push(...blockStatements(child));
    else parts.statements.push(child);
  }
  return parts;
}

function walkDefinition(walk: Walk, node: Node, scopes: string[]): void {
  if (scopes.length >= MAX_NESTING) {
    if (!walk.findings.some((f) => f.code === 'file_skipped')) {
      walk.findings.push({
        code: 'file_skipped',
        severity: 'warning',
        message: `classes and modules nested deeper than ${MAX_NESTING} levels are not mapped`,
        file: walk.file,
        line: line(walk, node),
        column: node.startPosition.column + 1,
      });
    }
    return;
  }
  const parts = definitionParts(node);
  if (parts === undefined) {
    // Statements tree-sitter could not place: look inside for definitions it did recognise.
    if (node.type === 'ERROR') for (const child of node.namedChildren) if (child !== null) walkDefinition(walk, child, scopes);
    return;
  }
  const { nameNode, isModule, superNode } = parts;
  const written = nameNode === null ? undefined : constantPath(nameNode);
  if (nameNode === null || written === undefined) return;
  const name = isAbsoluteConstant(nameNode) ? written : qualify(scopes[0], written);
  const candidates = superNode === null ? [] : constantCandidates(superNode, scopes, name);
  const writtenSuper = superNode === null ? undefined : constantPath(superNode);
  const external = writtenSuper !== undefined && EXTERNAL_ROOTS.has(writtenSuper.split('::')[0]!);
  const facts = newClassFacts(name, walk.file, line(walk, node), endLine(walk, node), candidates);
  const superclass = external ? writtenSuper : candidates[0];
  if (superclass !== undefined) facts.superclass = superclass;
  walk.classes.push(facts);
  const cls: ClassWalk = { facts, scopes: [name, ...scopes], hasOwnStatements: false, isConcern: false };
  walkClassBody(walk, cls, parts.statements);
  if (isModule) {
    const target = prependTarget(name);
    // Namespace-only modules (`module EE; module Projects`) hold nothing of their own.
    if (target !== undefined && (cls.isConcern || cls.hasOwnStatements)) facts.prependsInto = target;
  }
  facts.kind = guessKind(facts, isModule);
}

/**
 * Per-file facts; a pure function of (file, text). Requires initRubyParser().
 * `skeleton: false` parses the full text (slower; tests compare both).
 */
export function extractRubyFacts(
  file: string,
  text: string,
  options: { skeleton?: boolean; reuseTrees?: boolean; fastPaths?: boolean; subsetParser?: boolean } = {},
): RubyFileFacts {
  // A routes file is all blocks (the skeleton would drop them) and declares no class.
  if (isRoutesPath(file)) return { file, classes: [], dependsOn: [], findings: [], railsRoutes: extractRailsRoutes(text) };
  const parsed = parseRuby(text, {
    skeleton: options.skeleton,
    cacheKey: options.reuseTrees === false ? undefined : file,
    subsetParser: options.subsetParser,
  });
  try {
    const walk: Walk = { file, parsed, classes: [], findings: [], filePrepends: new Map(), fast: options.fastPaths !== false };
    const top: Node[] = [];
    const root = parsed.tree.rootNode;
    // With a bad enough error the root itself is an ERROR node holding the class's parts.
    if (root.type === 'ERROR') top.push(root);
    else {
      for (const child of root.namedChildren) if (child !== null) top.push(child);
    }
    for (const statement of top) {
      if (statement.type === 'class' || statement.type === 'module' || statement.type === 'ERROR') walkDefinition(walk, statement, []);
      else if (statement.type === 'call') walkReceiverCall(walk, statement, []);
      else if (statement.type === 'identifier' && statement.text === 'end') walk.strayEnd ??= statement;
    }
    if (walk.strayEnd !== undefined && parsed.lineMap !== undefined) {
      // Only the full text can tell a real surplus `end` from a body the skeleton cut wrongly.
      return extractRubyFacts(file, text, { ...options, skeleton: false });
    }
    for (const [target, modules] of walk.filePrepends) {
      const cls = walk.classes.find((c) => c.name === target);
      if (cls !== undefined) for (const m of modules) addPrepend(cls, m);
    }
    const findings: Finding[] = [];
    const parseError = parseErrorFinding(file, parsed, walk.strayEnd);
    if (parseError !== undefined) findings.push(parseError);
    findings.push(...walk.findings);
    return { file, classes: walk.classes, dependsOn: dependencies(walk.classes), findings };
  } finally {
    parsed.release();
  }
}

/** The dependency name of every controller file on the workspace's routes. */
export const ROUTES_DEPENDENCY = '@routes';

/** The dependency name of a controller's file on its templates (`@views:projects/issues`). */
export function viewsDependency(path: string): string {
  return `@views:${path}`;
}

function dependencies(classes: RubyClassFacts[]): string[] {
  const own = new Set(classes.map((c) => c.name));
  const deps = new Set<string>();
  for (const c of classes) {
    for (const s of c.superclassCandidates) deps.add(s);
    if (c.superclass !== undefined) deps.add(c.superclass);
    for (const p of c.prepends) deps.add(p);
    for (const candidates of c.includes) for (const i of candidates) deps.add(i);
    for (const m of c.mounts) for (const i of m.candidates) deps.add(i);
    if (c.prependsInto !== undefined) deps.add(c.prependsInto);
    // A controller's actions also depend on the routes and on its views (pseudo-names the index
    // re-resolves by when a routes file or a template under app/views/<path>/ changes).
    const controller = c.kind === 'module' ? c.prependsInto : c.name;
    if (controller?.endsWith('Controller')) {
      deps.add(ROUTES_DEPENDENCY);
      deps.add(viewsDependency(controllerPath(controller)));
    }
  }
  for (const name of own) deps.delete(name);
  return [...deps].sort();
}
