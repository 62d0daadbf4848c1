/**
 * Rails controllers (domain.md section 1): per-action and class-level feature_category/urgency,
 * public actions only, inheritance through the workspace, EE prepended modules.
 * Thresholds: rails_request high 0.25, medium 0.5, default 1, low 5 (urgency table).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FixtureWorkspace } from './fixtureWorkspace';

let ws: FixtureWorkspace;
before(async () => {
  ws = await FixtureWorkspace.load();
});

const ISSUES = 'app/controllers/projects/issues_controller.rb';
const EE_ISSUES = 'ee/app/controllers/ee/projects/issues_controller.rb';

describe('per-action declarations (Projects::IssuesController)', () => {
  test('multi-line arrays, %i[...], %w[...], symbols and strings give each action its category and urgency', () => {
    const byId = new Map(ws.map(ISSUES).endpoints.map((e) => [e.id, e]));
    // index/show: team_planning from the multi-line array (lines 9-12), urgency :low [:index, :show] -> 5 s.
    assert.deepEqual(
      { ...byId.get('Projects::IssuesController#index') },
      {
        id: 'Projects::IssuesController#index',
        kind: 'rails',
        category: 'team_planning',
        urgency: 'low',
        thresholdS: 5,
        file: ISSUES,
        line: 18,
        attribution: 'declaration',
      },
    );
    assert.equal(byId.get('Projects::IssuesController#show')?.line, 33);
    assert.equal(byId.get('Projects::IssuesController#show')?.urgency, 'low');
    // %w[create_merge_request] and urgency :high, ['create_merge_request'] (a string) -> 0.25 s.
    const mr = byId.get('Projects::IssuesController#create_merge_request');
    assert.equal(mr?.category, 'source_code_management');
    assert.equal(mr?.urgency, 'high');
    assert.equal(mr?.thresholdS, 0.25);
    // %i[service_desk]; no urgency declared -> controllers default `default` = 1 s.
    const sd = byId.get('Projects::IssuesController#service_desk');
    assert.equal(sd?.category, 'service_desk');
    assert.equal(sd?.urgency, 'default');
    assert.equal(sd?.thresholdS, 1);
  });

  test('an action without a declaration, in a chain that declares nothing, is unknown', () => {
    const e = ws.endpoint(ISSUES, 'Projects::IssuesController#export_csv');
    assert.equal(e.category, 'unknown');
    assert.equal(e.attribution, 'unknown');
    assert.equal(e.line, 56);
  });

  test('only public methods are actions: protected and private methods are not endpoints', () => {
    const ids = ws.map(ISSUES).endpoints.filter((e) => e.line >= 18).map((e) => e.id);
    assert.deepEqual(ids, [
      'Projects::IssuesController#index',
      'Projects::IssuesController#show',
      'Projects::IssuesController#create_merge_request',
      'Projects::IssuesController#service_desk',
      'Projects::IssuesController#export_csv',
    ]);
  });

  test('declared actions without a def here (from concerns or a parent) are endpoints at their declaration', () => {
    // Lines 9-12 list calendar, new, create, edit, update, destroy, move, related_branches, which
    // IssuableActions and friends define; Rails routes them, so they are endpoints.
    const declared = ws.map(ISSUES).endpoints.filter((e) => e.line < 18);
    assert.deepEqual(
      declared.map((e) => [e.id, e.category, e.urgency, e.line]),
      ['calendar', 'new', 'create', 'edit', 'update', 'destroy', 'move', 'related_branches'].map((a) => [
        `Projects::IssuesController#${a}`,
        'team_planning',
        'default',
        9,
      ]),
    );
  });

  test('a controller with per-action declarations but no public def is a base class: no endpoints', () => {
    // Boards::ApplicationController declares [:index] for its subclasses.
    assert.deepEqual(ws.map('app/controllers/boards/application_controller.rb').endpoints, []);
  });

  test('an action declared in the class and defined in its EE module is reported once, by the EE file', async () => {
    const local = await FixtureWorkspace.of({
      'app/controllers/projects/wikis_controller.rb':
        "class Projects::WikisController < ApplicationController\n  feature_category :wiki, [:show, :git_access]\n  def show; end\nend\n\nProjects::WikisController.prepend_mod\n",
      'ee/app/controllers/ee/projects/wikis_controller.rb':
        'module EE\n  module Projects\n    module WikisController\n      extend ActiveSupport::Concern\n      prepended do\n        feature_category :wiki, [:history]\n      end\n\n      def git_access; end\n    end\n  end\nend\n',
    });
    const ce = local.map('app/controllers/projects/wikis_controller.rb').endpoints;
    const ee = local.map('ee/app/controllers/ee/projects/wikis_controller.rb').endpoints;
    assert.deepEqual(ce.map((e) => [e.id, e.line]), [['Projects::WikisController#show', 3]]);
    assert.deepEqual(
      ee.map((e) => [e.id, e.category, e.line]),
      [
        ['Projects::WikisController#git_access', 'wiki', 9],
        // declared in the EE module, defined nowhere in either file (a concern's action)
        ['Projects::WikisController#history', 'wiki', 6],
      ],
    );
  });

  test('category ranges: the class (no default -> unknown) and each def with a per-action category', () => {
    const ranges = ws.map(ISSUES).categories.map((r) => [r.scope, r.name, r.category, r.startLine, r.endLine]);
    assert.deepEqual(ranges, [
      ['class', 'Projects::IssuesController', 'unknown', 3, 71],
      ['action', 'Projects::IssuesController#index', 'team_planning', 18, 31],
      ['action', 'Projects::IssuesController#show', 'team_planning', 33, 38],
      ['action', 'Projects::IssuesController#create_merge_request', 'source_code_management', 40, 49],
      ['action', 'Projects::IssuesController#service_desk', 'service_desk', 51, 54],
    ]);
  });
});

describe('class defaults (Projects::PipelinesController)', () => {
  test('the class default covers every action; per-action urgency refines it', () => {
    const eps = ws.map('app/controllers/projects/pipelines_controller.rb').endpoints;
    assert.deepEqual(
      eps.map((e) => [e.id, e.category, e.urgency, e.thresholdS, e.line]),
      [
        ['Projects::PipelinesController#index', 'continuous_integration', 'low', 5, 7],
        ['Projects::PipelinesController#show', 'continuous_integration', 'low', 5, 9],
        // `private def render_show` is not an action; `public` re-opens visibility for charts.
        ['Projects::PipelinesController#charts', 'continuous_integration', 'default', 1, 21],
      ],
    );
  });

  test('the class range carries the class default', () => {
    const cls = ws.map('app/controllers/projects/pipelines_controller.rb').categories.find((r) => r.scope === 'class');
    assert.deepEqual(cls, {
      category: 'continuous_integration',
      scope: 'class',
      name: 'Projects::PipelinesController',
      startLine: 3,
      endLine: 24,
      attribution: 'declaration',
    });
  });
});

describe('inheritance', () => {
  test('per-action values are inherited from a parent controller found by Ruby constant lookup', () => {
    // `module Groups; class BoardsController < Boards::ApplicationController`: Groups::Boards::... does
    // not exist, so the top-level Boards::ApplicationController (feature_category :portfolio_management, [:index]) applies.
    const index = ws.endpoint('app/controllers/groups/boards_controller.rb', 'Groups::BoardsController#index');
    assert.equal(index.category, 'portfolio_management');
    assert.equal(index.urgency, 'low');
    assert.equal(index.thresholdS, 5);
    assert.equal(index.attribution, 'inherited');
    const show = ws.endpoint('app/controllers/groups/boards_controller.rb', 'Groups::BoardsController#show');
    assert.equal(show.category, 'unknown');
    assert.equal(show.attribution, 'unknown');
  });

  test('a superclass defined later in the same file is found; the class own default wins over it', () => {
    const file = 'app/controllers/groups/settings_controller.rb';
    const show = ws.endpoint(file, 'Groups::SettingsController#show');
    assert.equal(show.category, 'groups_and_projects');
    assert.equal(show.urgency, 'medium');
    assert.equal(show.thresholdS, 0.5);
    const parent = ws.map(file).categories.find((r) => r.name === 'Groups::ApplicationController');
    assert.equal(parent?.category, 'user_management');
    assert.equal(parent?.startLine, 11);
  });

  test('an unannotated controller inherits its parent class default', async () => {
    const local = await FixtureWorkspace.of({
      'app/controllers/projects/application_controller.rb':
        'module Projects\n  class ApplicationController < ::ApplicationController\n    feature_category :groups_and_projects\n    urgency :high\n  end\nend\n',
      'app/controllers/projects/settings/ci_cd_controller.rb':
        'module Projects\n  module Settings\n    class CiCdController < Projects::ApplicationController\n      def show\n      end\n    end\n  end\nend\n',
    });
    const e = local.endpoint('app/controllers/projects/settings/ci_cd_controller.rb', 'Projects::Settings::CiCdController#show');
    assert.deepEqual([e.category, e.urgency, e.thresholdS, e.line, e.attribution], ['groups_and_projects', 'high', 0.25, 4, 'inherited']);
    const cls = local.map('app/controllers/projects/settings/ci_cd_controller.rb').categories[0];
    assert.deepEqual([cls?.scope, cls?.category, cls?.attribution, cls?.startLine, cls?.endLine], ['class', 'groups_and_projects', 'inherited', 3, 6]);
  });

  test('dependsOn names every class the file could inherit from or be prepended with', () => {
    // and, for a controller, the routes and its templates' folder (pseudo-names the index re-resolves by).
    assert.deepEqual(ws.facts.get('app/controllers/groups/boards_controller.rb')?.dependsOn, [
      '@routes',
      '@views:groups/boards',
      'Boards::ApplicationController',
      'Groups::Boards::ApplicationController',
    ]);
    // Included concerns too (a concern can declare feature_category in `included do`). Inside the
    // compact `class Projects::IssuesController`, Ruby looks in Projects::IssuesController, then the top level.
    assert.deepEqual(ws.facts.get(ISSUES)?.dependsOn, [
      '@routes',
      '@views:projects/issues',
      'EE::Projects::IssuesController',
      'IssuableActions',
      'Projects::ApplicationController',
      'Projects::IssuesController::IssuableActions',
      'Projects::IssuesController::ToggleSubscriptionAction',
      'ToggleSubscriptionAction',
    ]);
    assert.deepEqual(ws.facts.get(EE_ISSUES)?.dependsOn, [
      '@routes',
      '@views:projects/issues',
      'DescriptionDiffActions', // `include DescriptionDiffActions` in the prepended block, looked up lexically
      'EE::DescriptionDiffActions',
      'EE::Projects::DescriptionDiffActions',
      'EE::Projects::IssuesController::DescriptionDiffActions',
      'Projects::IssuesController',
    ]);
  });
});

describe('EE prepended modules', () => {
  test('`module EE; module Projects; module IssuesController` applies to Projects::IssuesController', () => {
    const facts = ws.facts.get(EE_ISSUES);
    const module = facts?.classes.find((c) => c.name === 'EE::Projects::IssuesController');
    assert.equal(module?.prependsInto, 'Projects::IssuesController');
    // The namespace-only modules around it apply to nothing.
    assert.equal(facts?.classes.find((c) => c.name === 'EE::Projects')?.prependsInto, undefined);
    assert.deepEqual(ws.facts.get(ISSUES)?.classes[0]?.prepends, ['EE::Projects::IssuesController']);
  });

  test('actions defined in the EE module get the class name and the prepended declarations', () => {
    const eps = ws.map(EE_ISSUES).endpoints;
    assert.deepEqual(
      eps.map((e) => [e.id, e.category, e.urgency, e.thresholdS, e.file, e.line]),
      [
        ['Projects::IssuesController#delete_description_version', 'team_planning', 'low', 5, EE_ISSUES, 18],
        ['Projects::IssuesController#description_diff', 'team_planning', 'default', 1, EE_ISSUES, 22],
      ],
    );
  });

  test('`Admin::UsersController.prepend_mod` applies EE::Admin::UsersController\'s class default', () => {
    const ce = ws.endpoint('app/controllers/admin/users_controller.rb', 'Admin::UsersController#index');
    assert.deepEqual([ce.category, ce.attribution, ce.line], ['user_management', 'declaration', 4]);
    const ee = ws.endpoint('ee/app/controllers/ee/admin/users_controller.rb', 'Admin::UsersController#identity_verification_exemption');
    assert.deepEqual([ee.category, ee.line], ['user_management', 12]);
  });

  test('without the EE file in the workspace, the CE class keeps only its own declarations', async () => {
    const local = await FixtureWorkspace.load((f) => f === 'app/controllers/admin/users_controller.rb');
    const e = local.endpoint('app/controllers/admin/users_controller.rb', 'Admin::UsersController#index');
    assert.equal(e.category, 'unknown');
  });
});

describe('names', () => {
  test('nested `module A; class B` and compact `class A::B` both give the fully qualified name', async () => {
    const local = await FixtureWorkspace.of({
      'a.rb': 'module Admin\n  module Ci\n    class RunnersController < ApplicationController\n      feature_category :fleet_visibility\n      def index; end\n    end\n  end\nend\n',
      'b.rb': 'module Admin\n  class Ci::VariablesController < ApplicationController\n    feature_category :ci_variables\n    def show; end\n  end\nend\n',
      'c.rb': 'class ::Admin::TopController < ApplicationController\n  feature_category :team_planning\n  def show; end\nend\n',
    });
    assert.deepEqual(local.map('a.rb').endpoints.map((e) => [e.id, e.category, e.line]), [['Admin::Ci::RunnersController#index', 'fleet_visibility', 5]]);
    assert.deepEqual(local.map('b.rb').endpoints.map((e) => [e.id, e.category, e.line]), [['Admin::Ci::VariablesController#show', 'ci_variables', 4]]);
    assert.deepEqual(local.map('c.rb').endpoints.map((e) => e.id), ['Admin::TopController#show']);
    // Ruby resolves `ApplicationController` inside `module Admin; module Ci` innermost first.
    assert.deepEqual(local.facts.get('a.rb')?.classes.at(-1)?.superclassCandidates, [
      'Admin::Ci::ApplicationController',
      'Admin::ApplicationController',
      'ApplicationController',
    ]);
  });
});
