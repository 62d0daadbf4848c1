/**
 * Generates a GitLab-sized Ruby tree for `npm run bench:index`: 25,000 files, ~75 MB, ~20 % with
 * feature_category/urgency declarations, laid out like gitlab-org/gitlab (app/controllers/projects,
 * lib/api, app/workers, ee/...). Deterministic for a seed, so runs are comparable.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { seededRandom } from '../../src/sdk/store/seededRandom';

export interface TreeSpec {
  files: number;
  /** Target average file size in bytes. */
  avgBytes: number;
  seed: number;
}

export const GITLAB_SIZED: TreeSpec = { files: 25_000, avgBytes: 2_550, seed: 20261122 };

/** A 3,000-line controller the benchmark re-indexes incrementally. */
export const BIG_CONTROLLER = 'app/controllers/projects/big_settings_controller.rb';

const GENERATOR_VERSION = 7;

/** Real category names from GitLab's catalog. */
const CATEGORIES = [
  'team_planning', 'service_desk', 'source_code_management', 'code_review_workflow', 'continuous_integration',
  'merge_trains', 'code_testing', 'review_apps', 'package_registry', 'container_registry', 'user_management',
  'groups_and_projects', 'system_access', 'importers', 'wiki', 'pages', 'integrations', 'webhooks',
  'secret_detection', 'vulnerability_management', 'dependency_management', 'deployment_management',
  'environment_management', 'incident_management', 'observability', 'portfolio_management', 'notifications',
  'global_search', 'code_search', 'runner',
];
const URGENCIES = ['high', 'medium', 'default', 'low'];
const NOUNS = [
  'issue', 'merge_request', 'pipeline', 'job', 'runner', 'label', 'milestone', 'branch', 'tag', 'commit',
  'blob', 'tree', 'wiki_page', 'snippet', 'deployment', 'environment', 'release', 'package', 'registry',
  'member', 'group', 'project', 'webhook', 'integration', 'vulnerability', 'epic', 'iteration', 'board',
];
const NAMESPACES = ['projects', 'groups', 'admin', 'dashboard', 'profiles', 'organizations', 'explore'];

function camel(snake: string): string {
  return snake.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
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

  /** A plausible method body of about `lines` lines. */
  method(name: string, lines: number): string[] {
    const noun = this.pick(NOUNS);
    const out = [`  def ${name}`];
    for (let i = 0; i < lines; i++) {
      switch (this.int(5)) {
        case 0: out.push(`    @${noun}s = ${camel(noun)}sFinder.new(current_user, params.merge(page: params[:page])).execute`); break;
        case 1: out.push(`    return render_404 unless can?(current_user, :read_${noun}, @${noun})`); break;
        case 2: out.push(`    result = ::${camel(noun)}s::UpdateService.new(project: project, current_user: current_user).execute(@${noun})`); break;
        case 3: out.push(`    Gitlab::AppLogger.info(message: '${noun} ${name}', ${noun}_id: @${noun}&.id)`); break;
        default: out.push(`    respond_to { |format| format.json { render json: ${camel(noun)}Serializer.new.represent(@${noun}) } }`);
      }
    }
    out.push('  end', '');
    return out;
  }

  body(targetBytes: number, prefix: string): string[] {
    const out: string[] = [];
    let bytes = 0;
    let n = 0;
    while (bytes < targetBytes) {
      const m = this.method(`${prefix}_${this.pick(NOUNS)}_${n++}`, 3 + this.int(8));
      for (const l of m) bytes += l.length + 1;
      out.push(...m);
    }
    return out;
  }

  size(avg: number): number {
    // Skewed: most files small, a few large (like a real tree).
    return Math.max(300, Math.round(avg * (0.3 + 1.4 * this.r() * this.r() * 2)));
  }
}

/**
 * Share of declaring files with a class-level line outside the subset parser's subset (so the
 * index parses them with tree-sitter), and the lines used: constructs from real GitLab files it
 * still refuses, all lambdas beyond `-> { call }` / `-> do ... end` (a parameter list, `||`, `&&`
 * or `==` in the body). In a fresh sample of real GitLab controllers, APIs and workers (200 files,
 * 152 declaring), 3 declaring files (2.0 %) are refused, all for such a lambda (2 Grape APIs, which
 * also hold a class-level heredoc, and 1 controller); the benchmark keeps that share. No worker in
 * that sample is refused; the worker line is the refused worker line of an earlier sample (a
 * constant built by a block with a parameter). When the subset grows, these lines must stay
 * outside it (test/unit/mapping/ruby/subsetParser.test.ts checks the sample has refusals).
 */
const REFUSED_SHARE = 0.02;
const REFUSED_CONTROLLER_LINE = "  before_action :authorize_admin_item!, if: -> { action_name == 'publish' && params[:id].present? }";
const REFUSED_WORKER_LINES = ["  RESERVED_PREFIXES = Repository::RESERVED_NAMES.map { |n| File.join('refs', n, '/') }", ''];
const refusedGrapeLine = (name: string): string => `    allow_access_with_scope :read_${name}, if: ->(request) { request.get? || request.head? }`;

export interface GeneratedFile {
  path: string;
  text: string;
}

function controller(g: Gen, ns: string, name: string, bytes: number): string {
  const cls = `${camel(ns)}::${camel(name)}Controller`;
  const actions = ['index', 'show', 'create', 'update', 'destroy'].slice(0, 2 + g.int(4));
  const lines = ['# frozen_string_literal: true', '', `class ${cls} < ${camel(ns)}::ApplicationController`, '  include Gitlab::Utils::StrongMemoize', ''];
  if (g.chance(REFUSED_SHARE)) lines.push(REFUSED_CONTROLLER_LINE);
  if (g.chance(0.85)) {
    if (g.chance(0.7)) lines.push(`  feature_category :${g.pick(CATEGORIES)}`);
    else lines.push(`  feature_category :${g.pick(CATEGORIES)}, [${actions.map((a) => `:${a}`).join(', ')}]`);
    if (g.chance(0.5)) lines.push(`  urgency :${g.pick(URGENCIES)}, [:${actions[0]}]`);
  }
  lines.push('');
  for (const a of actions) lines.push(...g.method(a, 4 + g.int(6)));
  lines.push('  private', '', ...g.body(bytes - 800, 'find'), 'end');
  return lines.join('\n') + '\n';
}

function bigController(g: Gen): string {
  const lines = ['# frozen_string_literal: true', '', 'class Projects::BigSettingsController < Projects::ApplicationController'];
  lines.push('  feature_category :groups_and_projects, [:show]');
  const actions: string[] = [];
  for (let i = 0; lines.length < 2900; i++) {
    const a = `setting_${i}`;
    actions.push(a);
    lines.push(`  feature_category :${g.pick(CATEGORIES)}, [:${a}]`);
    lines.push(...g.method(a, 12));
  }
  lines.push(...g.method('show', 80));
  while (lines.length < 2999) lines.push('  # padding to 3,000 lines');
  lines.push('end');
  return lines.join('\n') + '\n';
}

function grapeApi(g: Gen, name: string, bytes: number): string {
  const lines = ['# frozen_string_literal: true', '', 'module API', `  class ${camel(name)}s < ::API::Base`, `    feature_category :${g.pick(CATEGORIES)}`, ''];
  if (g.chance(REFUSED_SHARE)) lines.push(refusedGrapeLine(name));
  lines.push(`    resource :projects, requirements: API::NAMESPACE_OR_PROJECT_REQUIREMENTS do`);
  for (const verb of ['get', 'post', 'put'].slice(0, 1 + g.int(3))) {
    const opts = g.chance(0.5) ? `, urgency: :${g.pick(URGENCIES)}` : '';
    lines.push(`      ${verb} ':id/${name}s'${opts} do`, `        present paginate(find_${name}s), with: Entities::${camel(name)}`, '      end');
  }
  lines.push('    end', '', '    helpers do', ...g.body(bytes - 600, 'helper').map((l) => `    ${l}`), '    end', '  end', 'end');
  return lines.join('\n') + '\n';
}

function worker(g: Gen, name: string, bytes: number): string {
  const cls = `${camel(name)}Worker`;
  const lines = ['# frozen_string_literal: true', '', `class ${cls}`, '  include ApplicationWorker', '', '  data_consistency :always'];
  if (g.chance(REFUSED_SHARE)) lines.push(...REFUSED_WORKER_LINES);
  lines.push(`  feature_category :${g.pick(CATEGORIES)}`);
  if (g.chance(0.4)) lines.push(`  urgency :${g.chance(0.5) ? 'high' : 'low'}`);
  lines.push('  idempotent!', '', ...g.method('perform', 6), ...g.body(bytes - 500, 'step'), 'end');
  return lines.join('\n') + '\n';
}

function plain(g: Gen, path: string, bytes: number): string {
  const mod = camel(path.replace(/\.rb$/, '').split('/').pop() ?? 'thing');
  return ['# frozen_string_literal: true', '', `module Gitlab`, `  class ${mod}`, ...g.body(bytes - 100, 'compute'), '  end', 'end', ''].join('\n');
}

/** The files of the tree, generated lazily in a fixed order. */
export function* generateTree(spec: TreeSpec): Generator<GeneratedFile> {
  const g = new Gen(spec.seed);
  yield { path: BIG_CONTROLLER, text: bigController(g) };
  for (const ns of NAMESPACES) {
    yield { path: `app/controllers/${ns}/application_controller.rb`, text: `class ${camel(ns)}::ApplicationController < ApplicationController\n  before_action :authenticate_user!\nend\n` };
  }
  yield { path: 'lib/api/base.rb', text: 'module API\n  class Base < Grape::API::Instance\n  end\nend\n' };
  const total = spec.files - 1 - NAMESPACES.length - 1;
  for (let i = 0; i < total; i++) {
    const bucket = i % 100;
    const noun = g.pick(NOUNS);
    const bytes = g.size(spec.avgBytes);
    const ee = g.chance(0.12) ? 'ee/' : '';
    // 11 % controllers, 6 % workers, 3 % Grape APIs: ~20 % declare; the rest never does.
    if (bucket < 11) {
      const ns = g.pick(NAMESPACES);
      const name = `${noun}_${i}`;
      yield { path: `${ee}app/controllers/${ns}/${noun}s/${name}_controller.rb`, text: controller(g, ns, name, bytes) };
    } else if (bucket < 17) {
      yield { path: `${ee}app/workers/${noun}s/${noun}_${i}_worker.rb`, text: worker(g, `${noun}_${i}`, bytes) };
    } else if (bucket < 20) {
      yield { path: `${ee}lib/api/${noun}s/${noun}_${i}.rb`, text: grapeApi(g, `${noun}_${i}`, bytes) };
    } else {
      const dir = g.pick(['app/models', 'app/services', 'lib/gitlab', 'app/finders', 'app/serializers', 'app/policies', 'spec/models']);
      const path = `${ee}${dir}/${noun}s/${noun}_${i}.rb`;
      yield { path, text: plain(g, path, bytes) };
    }
  }
}

/** Writes the tree under `root` unless a previous run left the same tree there. Returns total bytes. */
export function ensureTree(root: string, spec: TreeSpec = GITLAB_SIZED): { bytes: number; files: number; reused: boolean } {
  const marker = join(root, '.bench-tree.json');
  const key = JSON.stringify({ ...spec, version: GENERATOR_VERSION });
  if (existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as { key: string; bytes: number; files: number };
    if (saved.key === key) return { bytes: saved.bytes, files: saved.files, reused: true };
  }
  rmSync(root, { recursive: true, force: true });
  const made = new Set<string>();
  let bytes = 0;
  let files = 0;
  for (const f of generateTree(spec)) {
    const abs = join(root, f.path);
    const dir = dirname(abs);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(abs, f.text);
    bytes += Buffer.byteLength(f.text);
    files++;
  }
  writeFileSync(marker, JSON.stringify({ key, bytes, files }));
  return { bytes, files, reused: false };
}

/**
 * A Rails controller of `lines` lines with `actions` public actions for `npm run bench:extension`:
 * a class-level category and, every tenth action, a per-action one from `categories`. Actions
 * are named `action_<i>` (index and show first).
 */
export function actionController(opts: { cls: string; actions: number; lines: number; categories: readonly string[]; seed: number }): string {
  const g = new Gen(opts.seed);
  const names = ['index', 'show', ...Array.from({ length: opts.actions - 2 }, (_, i) => `action_${i + 2}`)];
  const [first, ...others] = opts.categories;
  const lines = ['# frozen_string_literal: true', '', `class ${opts.cls} < Projects::ApplicationController`, `  feature_category :${first ?? 'team_planning'}`];
  others.forEach((c, i) => {
    const own = names.filter((_, a) => a % 10 === i + 1).map((a) => `:${a}`);
    if (own.length > 0) lines.push(`  feature_category :${c}, [${own.join(', ')}]`);
  });
  lines.push('');
  // The bodies fill the file: lines left for methods, shared out over the actions.
  const perAction = Math.max(1, Math.floor((opts.lines - lines.length - 1 - opts.actions * 3) / opts.actions));
  for (const a of names) lines.push(...g.method(a, perAction));
  while (lines.length < opts.lines - 1) lines.push('  # padding');
  lines.push('end');
  return lines.join('\n') + '\n';
}
