/**
 * Per-file facts the Ruby extractor produces (cacheable, a pure function of file + text) and the
 * context the workspace index gives back when resolving inheritance across files.
 */
import type { Finding } from '../types';
import type { RailsRoutes, RailsRoutesFacts } from './railsRoutes';

/** One `feature_category` or `urgency` declaration, class-wide or for a list of actions. */
export interface AttributeDeclaration {
  /** The declared value: a category name or an urgency name, as written (without ':'). */
  value: string;
  /** Undefined for a class default; the action names for a per-action call. */
  actions?: string[];
  line: number;
  column: number;
  /** Where the value literal starts (for findings pointing at the value). */
  valueLine: number;
  valueColumn: number;
}

/** A public `def` in a controller. */
export interface ActionFacts {
  name: string;
  line: number;
  endLine: number;
}

/** A Grape route: `get ':id/tags', feature_category: :x do ... end`. */
export interface RouteFacts {
  method: string;
  /** The full origin without the mount prefix, e.g. `/projects/:id/repository/tags`. */
  path: string;
  category?: AttributeDeclaration;
  urgency?: AttributeDeclaration;
  line: number;
  endLine: number;
}

/**
 * `mount API::Hooks::UrlVariables` or `include ::API::Concerns::Packages::DebianPackageEndpoints`
 * in a class or module body: the routes the mounted class or included module defines run under
 * `path`, the Grape nesting the call sits in (`''` at the top of the body).
 */
export interface MountFacts {
  kind: 'mount' | 'include';
  /** The written constant's lexical-lookup candidates, innermost first. */
  candidates: string[];
  path: string;
  line: number;
}

export type RubyClassKind = 'controller' | 'grape' | 'worker' | 'module' | 'other';

export interface RubyClassFacts {
  /** Fully qualified, e.g. `Projects::IssuesController`. */
  name: string;
  /** The file that defines it (workspace-relative, '/' separators). */
  file: string;
  /** Fully qualified best guess, e.g. `Projects::ApplicationController`. */
  superclass?: string;
  /**
   * Every name Ruby's lexical constant lookup could mean, innermost scope first
   * (`module Projects; class IssuesController < ApplicationController` ->
   * `Projects::ApplicationController`, `ApplicationController`). Resolution takes the first one found.
   */
  superclassCandidates: string[];
  /** A guess from this file alone; resolution refines it through the superclass chain. */
  kind: RubyClassKind;
  /** True when the body includes ApplicationWorker / Sidekiq::Worker / Sidekiq::Job. */
  includesWorker: boolean;
  /**
   * For EE-style modules (`prepended do ... end`, `extend ActiveSupport::Concern`): the class the
   * module's declarations apply to (`EE::Projects::IssuesController` -> `Projects::IssuesController`).
   */
  prependsInto?: string;
  /** Modules prepended into this class (`prepend_mod`, `prepend EE::Foo`), fully qualified. */
  prepends: string[];
  /**
   * Modules included (`include Gitlab::GithubImport::Queue`), each as its lexical-lookup
   * candidates, innermost first. Concerns may include ApplicationWorker or declare
   * feature_category in `included do`, which then applies to the including class.
   */
  includes: string[][];
  /** Every `mount` and `include` with the Grape nesting it sits in (see MountFacts). */
  mounts: MountFacts[];
  /** A Grape class's own `prefix 'api/scim'` (replaces the mount prefix's `/api`). */
  apiPrefix?: string;
  /** A Grape class's own `version 'v2'` (without a block): `:version` follows its prefix. */
  apiVersion?: boolean;
  categories: AttributeDeclaration[];
  urgencies: AttributeDeclaration[];
  actions: ActionFacts[];
  /** `helper_method :a, :b`: methods for the views, never actions (absent: none). */
  helperMethods?: string[];
  routes: RouteFacts[];
  line: number;
  endLine: number;
}

/** A class with nothing declared yet: what the extractor starts from, and a placeholder for a class known only by name. */
export function newClassFacts(name: string, file: string, line: number, endLine: number, superclassCandidates: string[] = []): RubyClassFacts {
  return {
    name,
    file,
    superclassCandidates,
    kind: 'other',
    includesWorker: false,
    prepends: [],
    includes: [],
    mounts: [],
    categories: [],
    urgencies: [],
    actions: [],
    routes: [],
    line,
    endLine,
  };
}

export interface RubyFileFacts {
  file: string;
  classes: RubyClassFacts[];
  /** Fully qualified names of classes/modules this file depends on (superclasses, prepended/extended modules): when one of them changes, this file must be re-resolved. */
  dependsOn: string[];
  /** Parse errors etc. */
  findings: Finding[];
  /** A Rails routes file's routes (config/routes.rb, config/routes/*.rb): composed by the workspace. */
  railsRoutes?: RailsRoutesFacts;
}

export interface RubyResolveContext {
  lookupClass(fullyQualifiedName: string): RubyClassFacts | undefined;
  knownCategories: ReadonlySet<string>;
  /** Default '/api/:version'. */
  grapeMountPrefix: string;
  /**
   * Classes and modules with a `mount`/`include` entry naming `name` among its candidates (the
   * resolver checks which candidate it resolves to). Without it, a Grape class is taken as mounted
   * at the root and an included module's routes are not mapped.
   */
  mountersOf?(name: string): readonly RubyClassFacts[];
  /**
   * What the workspace's Rails routes reach (railsRoutes.ts); undefined without config/routes.rb,
   * and then a controller's actions are its public methods (no concern, parent or template actions).
   */
  railsRoutes?(): RailsRoutes | undefined;
  /** Actions with a view template (`app/views/<controller path>/<action>.*`, also under ee/), by controller path. */
  templatesOf?(controllerPath: string): ReadonlySet<string> | undefined;
}
