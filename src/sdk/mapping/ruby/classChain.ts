/**
 * Cross-file meaning of class facts, following GitLab's `Gitlab::EndpointAttributes`:
 * a class's config is its own declarations followed by those of the modules prepended into it
 * (EE `prepended do`), and a lookup falls back to the superclass chain.
 */
import type { Finding } from '../types';
import { isGrapeRoot } from './grapeRoutes';
import type { AttributeDeclaration, RubyClassFacts, RubyResolveContext } from './types';
import { newClassFacts } from './types';

export type Attribute = 'category' | 'urgency';
export type ResolvedKind = 'controller' | 'grape' | 'worker' | 'other';

/** A declaration with the file it was written in. */
export interface SourcedDeclaration {
  decl: AttributeDeclaration;
  file: string;
  /** Written in the class itself or a module prepended into it (not an included concern). */
  own: boolean;
}

interface AttributeConfig {
  default?: SourcedDeclaration;
  actions: Map<string, SourcedDeclaration>;
}

type ClassConfig = Record<Attribute, AttributeConfig>;

/** What a lookup found, and whether it came from the class itself (or its prepended modules). */
export interface FoundValue {
  value: string;
  inherited: boolean;
  perAction: boolean;
}

const MAX_CHAIN = 32;
/** `include` chains are short in practice (a worker includes a concern that includes a queue concern). */
const MAX_INCLUDE_DEPTH = 4;
const CONTROLLER_ROOTS = new Set(['ActionController::Base', 'ActionController::API']);
const ATTRIBUTE_CALL: Record<Attribute, string> = { category: 'feature_category', urgency: 'urgency' };

function emptyConfig(): ClassConfig {
  return { category: { actions: new Map() }, urgency: { actions: new Map() } };
}

/** A class we only know by name (an EE module's target outside the workspace). */
export function placeholderClass(name: string, file: string): RubyClassFacts {
  return newClassFacts(name, file, 1, 1);
}

export class ClassChain {
  private readonly configs = new Map<string, ClassConfig>();
  private readonly chains = new Map<RubyClassFacts, RubyClassFacts[]>();
  private readonly included = new Map<RubyClassFacts, RubyClassFacts[]>();

  constructor(
    private readonly local: ReadonlyMap<string, RubyClassFacts>,
    private readonly ctx: RubyResolveContext,
  ) {}

  find(name: string): RubyClassFacts | undefined {
    return this.local.get(name) ?? this.ctx.lookupClass(name);
  }

  superclassOf(cls: RubyClassFacts): RubyClassFacts | undefined {
    for (const candidate of cls.superclassCandidates) {
      if (candidate === cls.name) continue;
      const found = this.find(candidate);
      if (found !== undefined && found.kind !== 'module') return found;
    }
    return undefined;
  }

  /** The class followed by its ancestors, stopping at cycles and unknown superclasses. */
  ancestors(cls: RubyClassFacts): RubyClassFacts[] {
    const cached = this.chains.get(cls);
    if (cached !== undefined) return cached;
    const chain = [cls];
    this.chains.set(cls, chain);
    const seen = new Set([cls.name]);
    for (let c = this.superclassOf(cls); c !== undefined && chain.length < MAX_CHAIN; c = this.superclassOf(c)) {
      if (seen.has(c.name)) break;
      seen.add(c.name);
      chain.push(c);
    }
    return chain;
  }

  /** Worker beats Grape beats controller: a worker subclass of anything is still a job. */
  kindOf(cls: RubyClassFacts): ResolvedKind {
    const chain = this.ancestors(cls);
    if (chain.some((c) => c.includesWorker || this.includedModules(c).some((m) => m.includesWorker))) return 'worker';
    if (chain.some((c) => isGrapeRoot(c.name) || c.superclassCandidates.some(isGrapeRoot))) return 'grape';
    if (chain.some((c) => c.name.endsWith('Controller') || c.superclassCandidates.some((s) => CONTROLLER_ROOTS.has(s)))) {
      return 'controller';
    }
    if (cls.routes.length > 0) return 'grape';
    return 'other';
  }

  /**
   * Workspace modules `cls` includes, depth first (a concern's own includes before it), each
   * once; modules outside the workspace (Rails, gems) are simply not found.
   */
  includedModules(cls: RubyClassFacts): RubyClassFacts[] {
    const cached = this.included.get(cls);
    if (cached !== undefined) return cached;
    const out: RubyClassFacts[] = [];
    this.included.set(cls, out);
    const seen = new Set<string>([cls.name]);
    const visit = (c: RubyClassFacts, depth: number): void => {
      if (depth > MAX_INCLUDE_DEPTH) return;
      for (const candidates of c.includes) {
        const m = this.firstModule(candidates);
        if (m === undefined || seen.has(m.name)) continue;
        seen.add(m.name);
        visit(m, depth + 1);
        out.push(m);
      }
    };
    visit(cls, 1);
    return out;
  }

  /** The first candidate name that is a workspace module (a loop: this runs for every include of every ancestor). */
  private firstModule(candidates: readonly string[]): RubyClassFacts | undefined {
    for (const name of candidates) {
      const found = this.find(name);
      if (found !== undefined && found.kind === 'module') return found;
    }
    return undefined;
  }

  /** Modules prepended into `cls` (found in the workspace), plus `extra` (the EE module being resolved). */
  modulesOf(cls: RubyClassFacts, extra?: RubyClassFacts): RubyClassFacts[] {
    const modules: RubyClassFacts[] = [];
    for (const name of cls.prepends) {
      const m = this.find(name);
      if (m !== undefined && m.kind === 'module' && !modules.includes(m)) modules.push(m);
    }
    if (extra !== undefined && !modules.some((m) => m.name === extra.name)) modules.push(extra);
    return modules;
  }

  /**
   * The class's own config. With `report`, conflicts GitLab raises on are reported for
   * declarations written in `report.file` (the later of two conflicting declarations is blamed).
   */
  configOf(cls: RubyClassFacts, extra?: RubyClassFacts, report?: { file: string; findings: Finding[] }): ClassConfig {
    const cacheable = report === undefined;
    const key = extra === undefined ? cls.name : `${cls.name}+${extra.name}`;
    const cached = cacheable ? this.configs.get(key) : undefined;
    if (cached !== undefined) return cached;
    const config = emptyConfig();
    // Included concerns first (`include` sits at the top of a class body and runs its `included`
    // block there), then the class body, then prepended EE modules (prepend_mod is at file end).
    // Controllers and Grape APIs declare through Gitlab::EndpointAttributes, which raises on a
    // second, different class default; workers (WorkerAttributes#set_class_attribute) and plain
    // modules just take the last value.
    const endpointAttributes = cls.kind === 'controller' || cls.kind === 'grape';
    for (const m of this.includedModules(cls)) applyOwner(config, m, false, report, endpointAttributes);
    applyOwner(config, cls, true, report, endpointAttributes);
    for (const m of this.modulesOf(cls, extra)) applyOwner(config, m, true, report, endpointAttributes);
    // A reporting build gives the same config (reporting only adds findings), so it fills the
    // cache too: resolveClass reports on a class and then looks its values up, which built the
    // same config twice per class.
    if (cacheable || !this.configs.has(key)) this.configs.set(key, config);
    return config;
  }

  /**
   * The value for an action (or, with `action` undefined, the class default): the class's own
   * per-action value, then its own default, then the same lookup on the superclass.
   */
  lookup(cls: RubyClassFacts, attribute: Attribute, action: string | undefined, extra?: RubyClassFacts): FoundValue | undefined {
    const chain = this.ancestors(cls);
    for (let i = 0; i < chain.length; i++) {
      const config = this.configOf(chain[i]!, i === 0 ? extra : undefined)[attribute];
      const perAction = action === undefined ? undefined : config.actions.get(action);
      const found = perAction ?? config.default;
      if (found !== undefined) return { value: found.decl.value, inherited: i > 0 || !found.own, perAction: perAction !== undefined };
    }
    return undefined;
  }
}

/** Applies one owner's declarations to a config, in order (a loop, not a list of owners: this runs per class per file). */
function applyOwner(
  config: ClassConfig,
  owner: RubyClassFacts,
  own: boolean,
  report: { file: string; findings: Finding[] } | undefined,
  endpointAttributes: boolean,
): void {
  for (const decl of owner.categories) apply(config.category, 'category', { decl, file: owner.file, own }, report, endpointAttributes);
  for (const decl of owner.urgencies) apply(config.urgency, 'urgency', { decl, file: owner.file, own }, report, endpointAttributes);
}

function conflict(
  report: { file: string; findings: Finding[] } | undefined,
  later: SourcedDeclaration,
  code: 'redeclared_action' | 'redeclared_default' | 'action_under_class_default',
  message: string,
): void {
  if (report === undefined || later.file !== report.file) return;
  report.findings.push({ code, severity: 'error', message, file: later.file, line: later.decl.line, column: later.decl.column });
}

/**
 * One declaration into a class's config, with the conflicts GitLab's
 * `Gitlab::EndpointAttributes::Config#set` raises on (lib/gitlab/endpoint_attributes/config.rb),
 * checked in declaration order exactly as it checks them:
 * - a class default (`feature_category :x`, no actions) when the class already has a default for
 *   that attribute with a different value ("Attributes already defined"); an equal value is fine;
 * - a per-action value when the class already has a default for that attribute with a different
 *   value ("already defined for all actions, but re-defined for ..."); an equal value is fine, and
 *   so is a class default declared *after* per-action values (a default is never checked against
 *   the per-action values);
 * - a per-action value for an action that already has a different one ("Attributes re-defined for
 *   action").
 * The per-action value wins over the default whatever the order (`attribute_for_action`).
 */
function apply(
  config: AttributeConfig,
  attribute: Attribute,
  sourced: SourcedDeclaration,
  report: { file: string; findings: Finding[] } | undefined,
  endpointAttributes: boolean,
): void {
  const call = ATTRIBUTE_CALL[attribute];
  const { decl } = sourced;
  const previousDefault = config.default;
  const where = (earlier: SourcedDeclaration): string => (earlier.file === sourced.file ? `line ${earlier.decl.line}` : `${earlier.file}:${earlier.decl.line}`);
  if (decl.actions === undefined) {
    if (endpointAttributes && previousDefault !== undefined && previousDefault.decl.value !== decl.value) {
      conflict(report, sourced, 'redeclared_default', `class default ${call} re-declared as :${decl.value}; it was :${previousDefault.decl.value} (${where(previousDefault)}); GitLab raises on load`);
      return; // GitLab raises before merging: the first default stands
    }
    config.default = sourced;
    return;
  }
  if (previousDefault !== undefined && previousDefault.decl.value !== decl.value) {
    conflict(report, sourced, 'action_under_class_default', `${call} for ${decl.actions.join(', ')} under the class default ${call} :${previousDefault.decl.value} (${where(previousDefault)}); GitLab raises on load`);
  }
  for (const action of decl.actions) {
    const previous = config.actions.get(action);
    if (previous !== undefined && previous.decl.value !== decl.value) {
      conflict(report, sourced, 'redeclared_action', `${call} for action ${action} re-declared as :${decl.value}; it was :${previous.decl.value} (${where(previous)}); GitLab raises on load`);
    }
    config.actions.set(action, sourced);
  }
}
