/**
 * Small generated GitLab-style Ruby trees for the pre-filter property test
 * (test/unit/mapping/index/prefilterProperty.test.ts): Rails controllers (namespaced, inheriting,
 * EE modules prepended into them), Grape APIs (resources, namespaces, route_param, `desc` blocks,
 * route options, class-level path lists, route concerns, EE `prepended do` modules, mounts from
 * an `API::API` root and from other APIs), Sidekiq workers, concerns, and files that only look
 * like they declare (specs tagging `feature_category:`, comments, strings). Declarations come in
 * the syntactic forms GitLab uses and a few more: parentheses, `%i[]` and multi-line lists,
 * trailing comments, declarations in heredocs and comments (which declare nothing), method bodies
 * with heredocs (some at column 0), blocks, one-line and endless defs, `class << self`, private
 * sections. Deterministic for a seed. Every file is valid Ruby: the property compares two ways of
 * reading valid code, not error recovery.
 *
 * Out of scope, documented in docs/architecture.md: a Grape API subclassing another API with no
 * marker in its file at all (no `desc`, category or urgency): the byte pre-filter cannot know its
 * superclass is an API, and no such file exists in GitLab (every route there has a `desc`).
 */
import { seededRandom } from '../../src/sdk/store/seededRandom';

const CATEGORIES = ['team_planning', 'source_code_management', 'wiki', 'continuous_integration', 'code_review_workflow', 'groups_and_projects', 'user_management', 'not_a_category'];
const URGENCIES = ['high', 'medium', 'default', 'low', 'throttled'];
const NOUNS = ['issue', 'label', 'branch', 'pipeline', 'wiki_page', 'member', 'snippet', 'release'];
const ACTIONS = ['index', 'show', 'new', 'create', 'edit', 'update', 'destroy', 'preview', 'bulk_update', 'export_csv'];
const NAMESPACES = ['Projects', 'Groups', 'Admin'];

function camel(snake: string): string {
  return snake
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

const COL0 = '<<COL0>>';

function indent(lines: string[], by: number): string[] {
  const pad = ' '.repeat(by);
  // `<<COL0>>` marks a heredoc line that stays at column 0 (file() drops the mark).
  return lines.map((l) => (l === '' || l.startsWith(COL0) ? l : pad + l));
}

class Gen {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = seededRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  some<T>(xs: readonly T[], max: number): T[] {
    const out = new Set<T>();
    const n = 1 + this.int(max);
    for (let i = 0; i < n; i++) out.add(this.pick(xs));
    return [...out];
  }

  /** A list of symbols in one of GitLab's spellings. */
  symbolList(names: string[]): string {
    switch (this.int(4)) {
      case 0:
        return `[${names.map((n) => `:${n}`).join(', ')}]`;
      case 1:
        return `%i[${names.join(' ')}]`;
      case 2:
        return `[\n  ${names.map((n) => `:${n}`).join(',\n  ')}\n]`;
      default:
        return `[${names.map((n) => `:${n}`).join(', ')}] # actions`;
    }
  }

  /** `feature_category :x` / `urgency :y` lines, class-wide or for some actions. */
  declarations(actions: string[]): string[] {
    const out: string[] = [];
    if (this.chance(0.2)) out.push('feature_category_not_owned!');
    else if (this.chance(0.7)) out.push(this.pick([`feature_category :${this.pick(CATEGORIES)}`, `feature_category(:${this.pick(CATEGORIES)})`]));
    if (actions.length > 0 && this.chance(0.6)) {
      const list = this.symbolList(this.some(actions, 3));
      out.push(...(this.chance(0.3) ? `feature_category(:${this.pick(CATEGORIES)}, ${list})` : `feature_category :${this.pick(CATEGORIES)}, ${list}`).split('\n'));
    }
    if (this.chance(0.5)) out.push(`urgency :${this.pick(URGENCIES)}`);
    if (actions.length > 0 && this.chance(0.5)) out.push(...`urgency :${this.pick(URGENCIES)}, ${this.symbolList(this.some(actions, 2))}`.split('\n'));
    if (this.chance(0.2)) out.push(`# feature_category :${this.pick(CATEGORIES)}, [:commented_out]`);
    return out;
  }

  /** A method body: plain statements, blocks, conditionals, heredocs (some with text at column 0). */
  body(): string[] {
    const out: string[] = [];
    const n = this.int(5);
    for (let i = 0; i < n; i++) {
      switch (this.int(9)) {
        case 0:
          out.push(`@${this.pick(NOUNS)} = find_${this.pick(NOUNS)}(params[:id])`);
          break;
        case 1:
          out.push('return render_404 unless can?(current_user, :read_project, project)');
          break;
        case 2:
          out.push('items.each do |item|', '  item.touch', 'end');
          break;
        case 3:
          out.push('if params[:all]', '  render json: { all: true }', 'else', '  head :ok', 'end');
          break;
        case 4:
          out.push('text = <<~TEXT', '  feature_category :in_a_heredoc', '  end', 'TEXT', 'log(text)');
          break;
        case 5:
          // A squiggly-less heredoc whose text sits at column 0: the skeleton cannot prove the body's end.
          out.push('sql = <<-SQL', '<<COL0>>SELECT 1', '<<COL0>>end', 'SQL', 'execute(sql)');
          break;
        case 6:
          out.push("respond_to do |format|", '  format.html', "  format.json { render json: { urgency: 'high' } }", 'end');
          break;
        case 7:
          out.push(`# urgency :${this.pick(URGENCIES)} would not be read here`);
          break;
        default:
          out.push('begin', '  work!', 'rescue StandardError => e', '  track(e)', 'end');
      }
    }
    return out;
  }

  method(name: string): string[] {
    switch (this.int(6)) {
      case 0:
        return [`def ${name}; end`];
      case 1:
        return [`def ${name} = head(:ok)`];
      case 2:
        return [`def ${name}(id, options = {})`, ...indent(this.body(), 2), 'end'];
      default:
        return [`def ${name}`, ...indent(this.body(), 2), 'end'];
    }
  }
}

export interface GeneratedTree {
  files: Map<string, string>;
}

interface Controller {
  name: string;
  path: string;
  actions: string[];
}

function wrapModules(modules: string[], inner: string[]): string[] {
  let lines = inner;
  for (let i = modules.length - 1; i >= 0; i--) lines = [`module ${modules[i]}`, ...indent(lines, 2), 'end'];
  return lines;
}

function file(lines: string[]): string {
  return ['# frozen_string_literal: true', '', ...lines.map((l) => (l.startsWith(COL0) ? l.slice(COL0.length) : l)), ''].join('\n');
}

function controllers(g: Gen, files: Map<string, string>): Controller[] {
  const out: Controller[] = [];
  if (g.chance(0.6)) {
    const base = ['class ApplicationController < ::ApplicationController', ...indent(g.chance(0.5) ? g.declarations([]) : ['before_action :project'], 2), 'end'];
    files.set('app/controllers/projects/application_controller.rb', file(wrapModules(['Projects'], base)));
  }
  const count = g.int(4);
  for (let i = 0; i < count; i++) {
    const noun = `${g.pick(NOUNS)}${i}`;
    const ns = g.chance(0.7) ? g.pick(NAMESPACES) : undefined;
    const cls = `${camel(noun)}sController`;
    const name = ns ? `${ns}::${cls}` : cls;
    const actions = g.some(ACTIONS, 4);
    const base = g.pick(['ApplicationController', 'Projects::ApplicationController', ...out.map((c) => c.name)]);
    const lines: string[] = [];
    if (g.chance(0.3)) lines.push('include ::Gitlab::Utils::StrongMemoize');
    if (g.chance(0.3) && files.has('app/controllers/concerns/shared_actions.rb')) lines.push('include SharedActions');
    lines.push(...g.declarations(actions));
    if (g.chance(0.5)) lines.push('', `before_action :authorize_read!, only: ${g.symbolList(g.some(actions, 2)).replace(/\n\s*/g, ' ')}`);
    if (g.chance(0.2)) lines.push('', 'DESCRIPTION = <<~MD', '  feature_category :only_text', '  urgency :high', 'MD');
    if (g.chance(0.2)) lines.push('', 'class << self', '  def finder', '    Finder', '  end', 'end');
    for (const a of actions) lines.push('', ...g.method(a));
    if (g.chance(0.3)) lines.push('', `feature_category :${g.pick(CATEGORIES)}, [:late_action]`, '', 'def late_action', 'end');
    if (g.chance(0.7)) {
      lines.push('', g.pick(['private', 'protected']));
      for (let p = 0; p < 1 + g.int(3); p++) lines.push('', ...g.method(`helper_${p}`));
    }
    const classLines = [`class ${cls} < ${base}`, ...indent(lines, 2), 'end'];
    const ee = g.chance(0.4);
    const body = ns ? wrapModules([ns], classLines) : classLines;
    if (ee) body.push('', g.chance(0.5) ? `${name}.prepend_mod_with('${name}')` : `${name}.prepend_mod`);
    const path = `app/controllers/${ns ? `${ns.toLowerCase()}/` : ''}${noun}s_controller.rb`;
    files.set(path, file(body));
    out.push({ name, path, actions });
    if (ee) {
      const eeActions = [`ee_${g.pick(ACTIONS)}`];
      const inner = ['extend ActiveSupport::Concern', '', 'prepended do', ...indent(g.declarations(eeActions), 2), 'end'];
      for (const a of eeActions) inner.push('', ...g.method(a));
      const modules = ['EE', ...(ns ? [ns] : [])];
      files.set(`ee/${path.replace('app/controllers/', 'app/controllers/ee/')}`, file(wrapModules(modules, [`module ${cls}`, ...indent(inner, 2), 'end'])));
    }
  }
  return out;
}

function routeLines(g: Gen, depth: number): string[] {
  const out: string[] = [];
  const n = 1 + g.int(3);
  for (let i = 0; i < n; i++) {
    if (depth < 2 && g.chance(0.3)) {
      const head = g.pick([`namespace ':id/${g.pick(NOUNS)}s'`, `resource :${g.pick(NOUNS)}s`, `route_param :${g.pick(NOUNS)}_id`, "namespace 'projects/:id'"]);
      out.push(`${head} do`, ...indent(routeLines(g, depth + 1), 2), 'end');
      continue;
    }
    if (g.chance(0.7)) {
      out.push(`desc '${camel(g.pick(NOUNS))} things' do`, `  success Entities::${camel(g.pick(NOUNS))}`, '  tags %w[things]', 'end');
    }
    if (g.chance(0.5)) out.push('params do', "  requires :id, type: String, desc: 'The ID'", 'end');
    const verb = g.pick(['get', 'post', 'put', 'delete']);
    const path = g.pick([`':id/${g.pick(NOUNS)}s'`, `"${g.pick(NOUNS)}s/:name"`, '']);
    const options: string[] = [];
    if (g.chance(0.3)) options.push(`urgency: :${g.pick(URGENCIES)}`);
    if (g.chance(0.3)) options.push(`feature_category: :${g.pick(CATEGORIES)}`);
    const args = [path, ...options].filter((a) => a !== '').join(', ');
    out.push(`${verb}${args === '' ? '' : ` ${args}`} do`, ...indent(g.body(), 2), 'end');
  }
  return out;
}

function apis(g: Gen, files: Map<string, string>): void {
  const names: string[] = [];
  const count = g.int(4);
  let concern: string | undefined;
  if (g.chance(0.4)) {
    concern = 'API::Concerns::Things';
    const inner = ['extend ActiveSupport::Concern', '', 'included do', ...indent(routeLines(g, 1), 2), 'end'];
    files.set('lib/api/concerns/things.rb', file(wrapModules(['API', 'Concerns'], [`module Things`, ...indent(inner, 2), 'end'])));
  }
  for (let i = 0; i < count; i++) {
    const noun = `${g.pick(NOUNS)}${i}`;
    const cls = `${camel(noun)}s`;
    const superclass = names.length > 0 && g.chance(0.2) ? `${names[0]}` : g.pick(['::API::Base', 'Grape::API::Instance']);
    const lines: string[] = [];
    if (g.chance(0.4)) lines.push('include PaginationParams');
    if (concern && g.chance(0.6)) lines.push(`include ::${concern}`);
    lines.push(...g.declarations([]));
    if (g.chance(0.3)) lines.push(`feature_category :${g.pick(CATEGORIES)}, %w[/projects/:id/${g.pick(NOUNS)}s]`);
    if (g.chance(0.5)) lines.push('', 'before { authenticate! }');
    if (g.chance(0.5)) lines.push('', 'helpers do', ...indent(g.method(`find_${g.pick(NOUNS)}`), 2), 'end');
    const routes = routeLines(g, 0);
    // A subclass of another API always carries a `desc` (see the header).
    if (superclass === names[0] && !routes.some((l) => l.startsWith('desc'))) routes.unshift("desc 'Subclass route' do", 'end');
    lines.push('', ...(g.chance(0.7) ? [`resource :projects, requirements: API::NAMESPACE_OR_PROJECT_REQUIREMENTS do`, ...indent(routes, 2), 'end'] : routes));
    if (names.length > 0 && g.chance(0.3)) lines.push('', `mount ::${g.pick(names)}`);
    const ee = g.chance(0.4);
    const body = wrapModules(['API'], [`class ${cls} < ${superclass}`, ...indent(lines, 2), 'end']);
    if (ee) body.push('', g.chance(0.5) ? `API::${cls}.prepend_mod_with('API::${cls}')` : `API::${cls}.prepend_mod`);
    files.set(`lib/api/${noun}s.rb`, file(body));
    names.push(`API::${cls}`);
    if (ee) {
      const inner = ['extend ActiveSupport::Concern', '', 'prepended do', ...indent(routeLines(g, 0), 2), 'end'];
      if (g.chance(0.5)) inner.splice(2, 0, 'extend ::Gitlab::Utils::Override', '');
      files.set(`ee/lib/ee/api/${noun}s.rb`, file(wrapModules(['EE', 'API'], [`module ${cls}`, ...indent(inner, 2), 'end'])));
    }
  }
  if (names.length > 0 && g.chance(0.7)) {
    const mounts = names.filter(() => g.chance(0.7)).map((n) => `mount ::${n}`);
    files.set('lib/api/api.rb', file(wrapModules(['API'], ['class API < ::API::Base', "  prefix 'api'", ...indent(mounts, 2), 'end'])));
  }
}

function workers(g: Gen, files: Map<string, string>): void {
  if (g.chance(0.4)) {
    const inner = ['extend ActiveSupport::Concern', '', 'included do', ...indent(g.declarations([]), 2), 'end'];
    files.set('app/workers/concerns/cronjob_things.rb', file([`module CronjobThings`, ...indent(inner, 2), 'end']));
  }
  const count = g.int(4);
  for (let i = 0; i < count; i++) {
    const noun = `${g.pick(NOUNS)}${i}`;
    const cls = `${camel(noun)}Worker`;
    const lines = [g.pick(['include ApplicationWorker', 'include Sidekiq::Job', 'include ::ApplicationWorker'])];
    if (files.has('app/workers/concerns/cronjob_things.rb') && g.chance(0.5)) lines.push('include CronjobThings');
    lines.push('', 'data_consistency :always', 'sidekiq_options retry: 3', ...g.declarations([]));
    if (g.chance(0.3)) lines.push('idempotent!');
    lines.push('', ...g.method('perform'));
    const ns = g.chance(0.4) ? camel(g.pick(NOUNS)) : undefined;
    const classLines = [`class ${cls}`, ...indent(lines, 2), 'end'];
    files.set(`app/workers/${ns ? `${ns.toLowerCase()}/` : ''}${noun}_worker.rb`, file(ns ? wrapModules([ns], classLines) : classLines));
  }
}

function concerns(g: Gen, files: Map<string, string>): void {
  if (!g.chance(0.5)) return;
  const inner = ['extend ActiveSupport::Concern', '', 'included do', ...indent(g.declarations(['shared_action']), 2), '  before_action :check!', 'end', '', ...g.method('shared_action')];
  files.set('app/controllers/concerns/shared_actions.rb', file(['module SharedActions', ...indent(inner, 2), 'end']));
}

/** Files that hold a marker but declare nothing the index maps, and files with no marker at all. */
function decoys(g: Gen, files: Map<string, string>, controllersMade: Controller[]): void {
  // Most files of a monolith name no marker at all: the ones the pre-filters rule out.
  for (let i = 0; i < 1 + g.int(3); i++) {
    const noun = `${g.pick(NOUNS)}_finder${i}`;
    files.set(`app/finders/${noun}.rb`, file([`class ${camel(noun)}`, ...indent(g.method('execute'), 2), 'end']));
  }
  const count = g.int(4);
  for (let i = 0; i < count; i++) {
    const noun = `${g.pick(NOUNS)}${i}`;
    switch (g.int(4)) {
      case 0: {
        const target = controllersMade.length > 0 ? g.pick(controllersMade).name : `${camel(noun)}Worker`;
        files.set(
          `spec/${noun}_spec.rb`,
          file([`RSpec.describe ${target}, feature_category: :${g.pick(CATEGORIES)} do`, "  describe 'GET index' do", "    it 'works' do", '      get :index', '    end', '  end', 'end']),
        );
        break;
      }
      case 1:
        files.set(`app/models/${noun}.rb`, file([`class ${camel(noun)} < ApplicationRecord`, `  # feature_category :${g.pick(CATEGORIES)} is set on the controller`, "  URGENCY_LABEL = 'urgency'", ...indent(g.method('title'), 2), 'end']));
        break;
      case 2:
        files.set(`app/services/${noun}_service.rb`, file([`class ${camel(noun)}Service`, ...indent(g.method('execute'), 2), 'end']));
        break;
      default:
        files.set(`lib/gitlab/${noun}.rb`, file(wrapModules(['Gitlab'], [`class ${camel(noun)}`, '  def controller_name', "    'Controller'", '  end', 'end'])));
    }
  }
}

/** A tree for `seed`: file path -> text. */
export function gitlabStyleTree(seed: number): Map<string, string> {
  const g = new Gen(seed);
  const files = new Map<string, string>();
  concerns(g, files);
  const made = controllers(g, files);
  apis(g, files);
  workers(g, files);
  decoys(g, files, made);
  return files;
}
