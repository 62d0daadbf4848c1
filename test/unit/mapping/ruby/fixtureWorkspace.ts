/**
 * A minimal in-memory workspace over test/fixtures/ruby for the extractor tests: parses every .rb
 * file and answers lookupClass from all of them (the real workspace index is engineer D's; this is
 * only the cross-file context the resolver needs).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { initRubyParser, parseRubyFile, resolveRubyFile } from '../../../../src/sdk/mapping/ruby';
import { composeRailsRoutes, viewTemplate } from '../../../../src/sdk/mapping/ruby/railsRoutes';
import type { RailsRoutesFacts } from '../../../../src/sdk/mapping/ruby/railsRoutes';
import type { RubyClassFacts, RubyFileFacts, RubyResolveContext } from '../../../../src/sdk/mapping/ruby';
import type { Endpoint, FileMapping } from '../../../../src/sdk/mapping/types';

export const FIXTURES = join(__dirname, '../../../fixtures/ruby');
/** A routed Rails workspace: config/routes.rb, concerns, views (controllers.routed.test.ts). */
export const RAILS_FIXTURES = join(__dirname, '../../../fixtures/rails');
const CATALOG = join(__dirname, '../../../../catalog/gitlab/feature_categories.yml');

/** The 139 categories of GitLab's real catalog (feature_categories.yml). */
export function knownCategories(): ReadonlySet<string> {
  return new Set(parse(readFileSync(CATALOG, 'utf8')) as string[]);
}

function rubyFiles(dir: string, views = false): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return rubyFiles(p, views);
    return p.endsWith('.rb') || (views && viewTemplate(p.split('\\').join('/')) !== undefined) ? [p] : [];
  });
}

export function readFixture(file: string): string {
  return readFileSync(join(FIXTURES, file), 'utf8');
}

export class FixtureWorkspace {
  readonly facts = new Map<string, RubyFileFacts>();
  private readonly classes = new Map<string, RubyClassFacts>();
  private readonly mounters = new Map<string, RubyClassFacts[]>();
  readonly ctx: RubyResolveContext;

  private constructor(files: Record<string, string>) {
    const routes = new Map<string, RailsRoutesFacts>();
    const templates = new Map<string, Set<string>>();
    for (const [file, text] of Object.entries(files)) {
      // View templates are listed, never parsed (as the index's walk lists them).
      const view = viewTemplate(file);
      if (view !== undefined) {
        templates.set(view.dir, new Set([...(templates.get(view.dir) ?? []), view.action]));
        continue;
      }
      const facts = parseRubyFile(file, text);
      this.facts.set(file, facts);
      if (facts.railsRoutes) routes.set(file, facts.railsRoutes);
      for (const cls of facts.classes) if (!this.classes.has(cls.name)) this.classes.set(cls.name, cls);
      for (const cls of facts.classes) {
        for (const name of new Set(cls.mounts.flatMap((m) => m.candidates))) this.mounters.set(name, [...(this.mounters.get(name) ?? []), cls]);
      }
    }
    const railsRoutes = composeRailsRoutes(routes);
    this.ctx = {
      lookupClass: (name) => this.classes.get(name),
      mountersOf: (name) => this.mounters.get(name) ?? [],
      railsRoutes: () => railsRoutes,
      templatesOf: (path) => templates.get(path),
      knownCategories: knownCategories(),
      grapeMountPrefix: '/api/:version',
    };
  }

  /** Every .rb file under test/fixtures/ruby, keyed by its path relative to that folder. */
  static async load(only?: (file: string) => boolean, root = FIXTURES): Promise<FixtureWorkspace> {
    await initRubyParser();
    const files: Record<string, string> = {};
    for (const abs of rubyFiles(root, root !== FIXTURES)) {
      const file = relative(root, abs).split('\\').join('/');
      if (only === undefined || only(file)) files[file] = readFileSync(abs, 'utf8');
    }
    return new FixtureWorkspace(files);
  }

  /** An ad-hoc workspace from inline sources. */
  static async of(files: Record<string, string>): Promise<FixtureWorkspace> {
    await initRubyParser();
    return new FixtureWorkspace(files);
  }

  map(file: string): FileMapping {
    const facts = this.facts.get(file);
    if (facts === undefined) throw new Error(`no fixture ${file}`);
    return resolveRubyFile(facts, this.ctx);
  }

  endpoint(file: string, id: string): Endpoint {
    const found = this.map(file).endpoints.find((e) => e.id === id);
    if (found === undefined) throw new Error(`no endpoint ${id} in ${file}: ${this.map(file).endpoints.map((e) => e.id).join(', ')}`);
    return found;
  }
}
