/**
 * The Rails routes reader (railsRoutes.ts): controller path -> routed actions, on routes written
 * the way GitLab's config/routes*.rb write them.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initRubyParser } from '../../../../src/sdk/mapping/ruby';
import { composeRailsRoutes, controllerPath, extractRailsRoutes, isRoutesPath, pluralize, viewTemplate } from '../../../../src/sdk/mapping/ruby/railsRoutes';
import type { RailsRoutes } from '../../../../src/sdk/mapping/ruby/railsRoutes';

before(async () => {
  await initRubyParser();
});

function routesOf(files: Record<string, string>): RailsRoutes {
  const facts = new Map(Object.entries(files).map(([f, text]) => [f, extractRailsRoutes(text)] as const));
  const routes = composeRailsRoutes(facts);
  assert.ok(routes !== undefined);
  return routes;
}

function actions(routes: RailsRoutes, path: string): string[] | 'open' | undefined {
  const e = routes.get(path);
  if (e === undefined) return undefined;
  return e.open ? 'open' : [...e.actions].sort();
}

describe('one routes file', () => {
  test('namespace, resources with only/except, member and collection, nested resources', () => {
    const routes = routesOf({
      'config/routes.rb': [
        'Rails.application.routes.draw do',
        '  namespace :admin do',
        '    resources :labels, only: %i[index new create edit update destroy] do',
        "      resource :color, controller: 'labels/colors', only: [:update]",
        '      collection do',
        '        post :preview',
        '      end',
        '    end',
        '    resources :runners, except: [:new, :create] do',
        '      member { post :pause }',
        '      resources :jobs, only: :index',
        '    end',
        '  end',
        'end',
        '',
      ].join('\n'),
    });
    assert.deepEqual(actions(routes, 'admin/labels'), ['create', 'destroy', 'edit', 'index', 'new', 'preview', 'update']);
    assert.deepEqual(actions(routes, 'admin/labels/colors'), ['update']);
    // 7 REST actions minus new and create, plus the member route.
    assert.deepEqual(actions(routes, 'admin/runners'), ['destroy', 'edit', 'index', 'pause', 'show', 'update']);
    // A nested resource's controller is not under its parent's name.
    assert.deepEqual(actions(routes, 'admin/jobs'), ['index']);
    assert.equal(actions(routes, 'admin/application'), undefined);
  });

  test('a singular resource is served by the plural controller (and, for an uncountable word, the singular)', () => {
    const routes = routesOf({
      'config/routes.rb': [
        'scope module: :users do',
        '  resource :profile, only: [:show, :update]',
        '  resource :status, only: [:show]',
        '  resource :stadium, only: [:show]',
        "  resource :server_info, controller: 'server_info', only: [:show]",
        'end',
        '',
      ].join('\n'),
    });
    assert.deepEqual(actions(routes, 'users/profiles'), ['show', 'update']);
    assert.deepEqual(actions(routes, 'users/statuses'), ['show']);
    assert.deepEqual(actions(routes, 'users/stadium'), ['show']);
    assert.deepEqual(actions(routes, 'users/stadia'), ['show']);
    assert.deepEqual(actions(routes, 'users/server_info'), ['show']);
    assert.equal(actions(routes, 'users/server_infos'), undefined);
  });

  test("verbs: to: 'c#a', 'path' => 'c#a', action:, a scope's controller, a namespace as controller; redirects route nothing", () => {
    const routes = routesOf({
      'config/routes.rb': [
        "get '/.well-known/contact.txt', to: 'well_known#contact'",
        "put '/inbox' => 'projects/inbox#update' # a trailing comment",
        "get 'guide/:page', to: 'guides#show', as: :guide_page",
        "get 'old/*path', to: redirect { |_params, _req| '/' }",
        'scope controller: :editor do',
        "  get '/callback', action: :callback",
        'end',
        'namespace :admin do',
        '  namespace :search_index do',
        '    post :rebuild',
        '  end',
        'end',
        "get '/-/explorer', to: Tools::QueryExplorerController.action(:show)",
        '',
      ].join('\n'),
    });
    assert.deepEqual(actions(routes, 'well_known'), ['contact']);
    assert.deepEqual(actions(routes, 'projects/inbox'), ['update']);
    assert.deepEqual(actions(routes, 'guides'), ['show']);
    assert.deepEqual(actions(routes, 'editor'), ['callback']);
    assert.deepEqual(actions(routes, 'admin/search_index'), ['rebuild']);
    assert.deepEqual(actions(routes, 'tools/query_explorer'), ['show']);
    assert.equal(actions(routes, 'old'), undefined);
  });

  test('route concerns: actions for the resource that uses them, resources they draw where they are used', () => {
    const routes = routesOf({
      'config/routes.rb': [
        'concern :reactable do',
        '  post :react, on: :member',
        'end',
        'concern :deployable do',
        '  resources :environments, only: [:index, :show] do',
        '    collection { get :folder }',
        '  end',
        'end',
        'scope module: :projects do',
        '  resources :snippets, concerns: :reactable, only: [:show]',
        '  concerns :deployable',
        'end',
        '',
      ].join('\n'),
    });
    assert.deepEqual(actions(routes, 'projects/snippets'), ['react', 'show']);
    assert.deepEqual(actions(routes, 'projects/environments'), ['folder', 'index', 'show']);
    assert.equal(actions(routes, 'environments'), undefined);
  });

  test("gem-built routes (devise_for's controllers, even through a variable) and `:action` paths are open", () => {
    const routes = routesOf({
      'config/routes.rb': [
        'auth_controllers = { sessions: :sign_ins,',
        "                     passwords: 'accounts/passwords' }",
        'devise_for :people, controllers: auth_controllers',
        "get 'legacy/:action', controller: 'legacy'",
        '',
      ].join('\n'),
    });
    assert.equal(actions(routes, 'sign_ins'), 'open');
    assert.equal(actions(routes, 'accounts/passwords'), 'open');
    assert.equal(actions(routes, 'legacy'), 'open');
  });
});

describe('draws across files', () => {
  test('`draw :name` reads config/routes/<name>.rb and ee/config/routes/<name>.rb in the scope of the call', () => {
    const routes = routesOf({
      'config/routes.rb': "Rails.application.routes.draw do\n  scope path: '-' do\n    namespace :admin do\n      draw :admin\n    end\n  end\n  draw :import\nend\n",
      'config/routes/admin.rb': 'resources :keys, only: [:show, :destroy]\n',
      'ee/config/routes/admin.rb': 'resource :license, only: [:show]\n',
      'config/routes/import.rb': "namespace :import do\n  resource :archive, only: [:new], controller: :archive do\n    get :progress\n  end\nend\n",
      // Drawn by nobody: read at the top scope.
      'config/routes/orphan.rb': "get 'orphan', to: 'orphans#show'\n",
    });
    assert.deepEqual(actions(routes, 'admin/keys'), ['destroy', 'show']);
    assert.deepEqual(actions(routes, 'admin/licenses'), ['show']);
    assert.deepEqual(actions(routes, 'import/archive'), ['new', 'progress']);
    assert.deepEqual(actions(routes, 'orphans'), ['show']);
    assert.equal(actions(routes, 'keys'), undefined);
  });

  test('no config/routes.rb: nothing is known', () => {
    assert.equal(composeRailsRoutes(new Map([['config/routes/admin.rb', extractRailsRoutes('resources :keys\n')]])), undefined);
  });
});

describe('names and paths', () => {
  test('controllerPath, pluralize, isRoutesPath, viewTemplate', () => {
    assert.equal(controllerPath('Projects::IssuesController'), 'projects/issues');
    assert.equal(controllerPath('Groups::Settings::GitlabDuo::ModelSelectionController'), 'groups/settings/gitlab_duo/model_selection');
    assert.equal(controllerPath('Admin::CiCdController'), 'admin/ci_cd');
    assert.deepEqual(['policy', 'status', 'settings', 'premium', 'branch', 'key'].map(pluralize), ['policies', 'statuses', 'settings', 'premia', 'branches', 'keys']);
    assert.deepEqual(
      ['config/routes.rb', 'config/routes/project.rb', 'ee/config/routes/directs/promo.rb', 'config/routes_helper.rb', 'app/config/routes.yml'].map(isRoutesPath),
      [true, true, true, false, false],
    );
    assert.deepEqual(viewTemplate('ee/app/views/projects/security/discover/show.html.haml'), { dir: 'projects/security/discover', action: 'show' });
    assert.deepEqual(viewTemplate('app/views/ide/index.html.haml'), { dir: 'ide', action: 'index' });
    assert.equal(viewTemplate('app/views/projects/issues/_form.html.haml'), undefined);
    assert.equal(viewTemplate('app/views/layouts.html'), undefined);
    assert.equal(viewTemplate('app/assets/views/x/show.js'), undefined);
  });
});
