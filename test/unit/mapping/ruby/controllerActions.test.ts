/**
 * Which controller actions GitLab serves (issue 10, item 2), on test/fixtures/rails: a workspace
 * with config/routes.rb (+ config/routes/*.rb, ee/config/routes/*.rb through `draw`), concerns
 * and view templates. An action is a public method (of the class, its EE module, its concerns or
 * its ancestors) or a template that the routes reach; an id is always the routed controller's
 * (`Import::ManifestController#status`, though Import::BaseController defines it).
 * rails_request thresholds: high 0.25 s, default 1 s, low 5 s.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FixtureWorkspace, RAILS_FIXTURES } from './fixtureWorkspace';

let ws: FixtureWorkspace;
before(async () => {
  ws = await FixtureWorkspace.load(undefined, RAILS_FIXTURES);
});

type Row = [id: string, category: string, urgency: string, line: number, attribution: string];
function rows(file: string): Row[] {
  return ws.map(file).endpoints.map((e) => [e.id, e.category, e.urgency, e.line, e.attribution]);
}

const ISSUES = 'app/controllers/projects/issues_controller.rb';

describe('actions from included concerns', () => {
  test('public methods of concerns (and a concern\'s concern) that the routes reach, at the include line', () => {
    // Routes (config/routes/project.rb, module projects): resources :issues (7 REST actions) +
    // member toggle_subscription, realtime_changes, description_diff, delete_description_version,
    // collection bulk_update, and toggle_award_emoji from the :awardable route concern.
    // Own defs: index (11), new (15), realtime_changes (17); `issue` is protected.
    // ToggleSubscriptionAction (include, line 4): toggle_subscription.
    // IssuableActions (include, line 5): show, update, destroy, bulk_update, and
    // check_destroy_confirmation! (public but routed nowhere: not an action); it includes
    // ToggleAwardEmoji, whose toggle_award_emoji is reported at IssuableActions' include line.
    // bulk_update has a per-action urgency here (line 9), so it sits at that declaration.
    // create and edit are routed but defined nowhere and have no template: not actions.
    // description_diff comes from DescriptionDiffActions, included by the EE module: class line 3.
    assert.deepEqual(rows(ISSUES), [
      ['Projects::IssuesController#index', 'team_planning', 'default', 11, 'declaration'],
      ['Projects::IssuesController#new', 'team_planning', 'default', 15, 'declaration'],
      ['Projects::IssuesController#realtime_changes', 'team_planning', 'high', 17, 'declaration'],
      ['Projects::IssuesController#bulk_update', 'team_planning', 'low', 9, 'declaration'],
      ['Projects::IssuesController#toggle_subscription', 'team_planning', 'default', 4, 'declaration'],
      ['Projects::IssuesController#toggle_award_emoji', 'team_planning', 'default', 5, 'declaration'],
      ['Projects::IssuesController#show', 'team_planning', 'default', 5, 'declaration'],
      ['Projects::IssuesController#update', 'team_planning', 'default', 5, 'declaration'],
      ['Projects::IssuesController#destroy', 'team_planning', 'default', 5, 'declaration'],
      ['Projects::IssuesController#description_diff', 'team_planning', 'default', 3, 'declaration'],
    ]);
  });

  test('the EE module\'s file reports what it declares, once', () => {
    // `feature_category :team_planning, [:delete_description_version]` (line 11) in `prepended do`:
    // the action is DescriptionDiffActions', declared here, so this file reports it; the class file does not.
    assert.deepEqual(rows('ee/app/controllers/ee/projects/issues_controller.rb'), [
      ['Projects::IssuesController#delete_description_version', 'team_planning', 'default', 11, 'declaration'],
    ]);
  });

  test('a concern\'s `included do urgency :low, [:test]` applies to the action it brings', () => {
    // Integrations::Actions (include, line 4): edit, update, test; routes: edit, update (resources
    // only:) + member overrides, test. Class default :integrations; test is low (5 s).
    const eps = ws.map('app/controllers/admin/integrations_controller.rb').endpoints;
    assert.deepEqual(
      eps.map((e) => [e.id, e.category, e.urgency, e.thresholdS, e.line]),
      [
        ['Admin::IntegrationsController#overrides', 'integrations', 'default', 1, 8],
        ['Admin::IntegrationsController#edit', 'integrations', 'default', 1, 4],
        ['Admin::IntegrationsController#update', 'integrations', 'default', 1, 4],
        ['Admin::IntegrationsController#test', 'integrations', 'low', 5, 4],
      ],
    );
  });
});

describe('template-only actions', () => {
  test('a routed action with a template and no method is an action, at the class line', () => {
    // ee/config/routes/project.rb: namespace :security, resource :discover, only: [:show];
    // ee/app/views/projects/security/discover/show.html.haml. edit.html.haml exists but is routed
    // nowhere; _promo.html.haml is a partial. Class default vulnerability_management, urgency low.
    assert.deepEqual(rows('app/controllers/projects/security/discover_controller.rb'), [
      ['Projects::Security::DiscoverController#show', 'vulnerability_management', 'low', 5, 'declaration'],
    ]);
  });
});

describe('inherited actions and abstract parents', () => {
  test('a parent\'s public action runs under the subclass\'s name, at its class line', () => {
    // resources :project_callouts, only: [:create]; Users::CalloutsController#create (its parent).
    assert.deepEqual(rows('app/controllers/users/project_callouts_controller.rb'), [
      ['Users::ProjectCalloutsController#create', 'navigation', 'low', 4, 'inherited'],
    ]);
    // The parent is routed too (resources :callouts, module: :users): its own id stays.
    assert.deepEqual(rows('app/controllers/users/callouts_controller.rb'), [['Users::CalloutsController#create', 'navigation', 'low', 8, 'declaration']]);
  });

  test('an abstract parent the routes never name has no ids; its subclass gets its routed actions', () => {
    // Import::BaseController (status, realtime_changes; feature_category :importers, urgency :low)
    // is routed nowhere. import.rb: resource :manifest, only: [:create, :new], controller: :manifest
    // + get :status, :realtime_changes.
    assert.deepEqual(rows('app/controllers/import/base_controller.rb'), []);
    assert.deepEqual(rows('app/controllers/import/manifest_controller.rb'), [
      ['Import::ManifestController#new', 'importers', 'low', 6, 'inherited'],
      ['Import::ManifestController#create', 'importers', 'low', 8, 'inherited'],
      ['Import::ManifestController#status', 'importers', 'low', 3, 'inherited'],
      ['Import::ManifestController#realtime_changes', 'importers', 'low', 3, 'inherited'],
    ]);
    // Projects::ApplicationController's public `project` and Admin::ApplicationController's
    // public `authenticate_admin!` are nobody's actions.
    assert.deepEqual(rows('app/controllers/projects/application_controller.rb'), []);
    assert.deepEqual(rows('app/controllers/admin/application_controller.rb'), []);
  });

  test('the class range stays on an unrouted parent (the editor still shows its category)', () => {
    const ranges = ws.map('app/controllers/import/base_controller.rb').categories.map((r) => [r.scope, r.name, r.category]);
    assert.deepEqual(ranges, [['class', 'Import::BaseController', 'importers']]);
  });
});

describe('only real actions', () => {
  test('helper_method names and public methods no route reaches are not actions', () => {
    // Admin::AuditLogsController: index (routed); tracking_namespace_source (helper_method, line 6);
    // additional_properties_for_tracking (public, routed nowhere); audit_events_params (private).
    assert.deepEqual(rows('app/controllers/admin/audit_logs_controller.rb'), [['Admin::AuditLogsController#index', 'audit_events', 'low', 11, 'declaration']]);
    // ApplicationController: route_not_found is routed (match '*unmatched_route'); current_user_mode
    // is a helper_method; render_404 is protected.
    assert.deepEqual(rows('app/controllers/application_controller.rb'), [['ApplicationController#route_not_found', 'not_owned', 'default', 8, 'declaration']]);
  });

  test('without any routes file, helper_method names are still not actions', async () => {
    const local = await FixtureWorkspace.of({
      'app/controllers/admin/dashboard_controller.rb':
        "class Admin::DashboardController < Admin::ApplicationController\n  helper_method :show_license_breakdown?\n\n  feature_category :not_owned\n\n  def index; end\n\n  def show_license_breakdown?\n    false\n  end\nend\n",
    });
    assert.deepEqual(
      local.map('app/controllers/admin/dashboard_controller.rb').endpoints.map((e) => [e.id, e.line]),
      [['Admin::DashboardController#index', 6]],
    );
  });
});
