/**
 * Grape routes the way GitLab's runtime names and attributes them (issue 10, item 1): EE
 * `prepended` modules past the pre-filter, a class's own `prefix`/`version`, `version ... do`
 * blocks, escaped quotes in paths, category and urgency resolved per path (API::Base#route keys
 * route options by `namespace/path`, so every method on a path shares them), class-level lists
 * of paths, and a concern's `included do feature_category` applying to the API that includes it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { mightDeclare } from '../../../../src/sdk/mapping/ruby';
import { FIXTURES, FixtureWorkspace } from './fixtureWorkspace';

let ws: FixtureWorkspace;
before(async () => {
  ws = await FixtureWorkspace.load();
});

function rows(file: string): [string, string, string, number][] {
  return ws.map(file).endpoints.map((e) => [e.id, e.category, e.urgency, e.line]);
}

describe('Grape: EE prepended modules', () => {
  test('an EE API module with no marker word passes the pre-filter (its routes were dropped before parsing)', () => {
    assert.equal(mightDeclare(readFileSync(join(FIXTURES, 'ee/lib/ee/api/project_milestones.rb'), 'utf8')), true);
  });

  test('its route maps to the API class with the class defaults', () => {
    assert.deepEqual(rows('ee/lib/ee/api/project_milestones.rb'), [
      ['GET /api/:version/projects/:id/milestones/:milestone_id/burndown_events', 'team_planning', 'default', 10],
    ]);
  });
});

describe('Grape: per-path category and urgency', () => {
  test('a GET and a POST on one path share the urgency one of them declares; so do a PUT and a DELETE with the category', () => {
    assert.deepEqual(rows('lib/api/project_milestones.rb'), [
      ['GET /api/:version/projects/:id/milestones', 'team_planning', 'default', 8],
      ['GET /api/:version/projects/:id/milestones/:milestone_id/issues', 'team_planning', 'low', 13],
      ['POST /api/:version/projects/:id/milestones/:milestone_id/issues', 'team_planning', 'low', 17],
      ['PUT /api/:version/projects/:id/milestones/:milestone_id/promote', 'portfolio_management', 'high', 21],
      ['DELETE /api/:version/projects/:id/milestones/:milestone_id/promote', 'portfolio_management', 'high', 25],
    ]);
  });

  test('a class-level feature_category with a list of paths sets those routes', () => {
    assert.deepEqual(rows('lib/api/project_shares.rb'), [
      ['GET /api/:version/projects/:id/share_locations', 'groups_and_projects', 'low', 12],
      ['POST /api/:version/projects/:id/share', 'groups_and_projects', 'low', 16],
    ]);
    assert.deepEqual(ws.map('lib/api/project_shares.rb').findings, []);
  });
});

describe('Grape: prefix and version', () => {
  test("a class's own prefix 'api/scim' and version 'v2' make /api/scim/:version/...", () => {
    assert.deepEqual(rows('ee/lib/api/scim/group_scim.rb'), [
      ['GET /api/scim/:version/groups/:group/Users', 'system_access', 'low', 15],
      // DELETE ':id' declares urgency :default for the path, so the GET on it has it too
      ['GET /api/scim/:version/groups/:group/Users/:id', 'system_access', 'default', 19],
      ['DELETE /api/scim/:version/groups/:group/Users/:id', 'system_access', 'default', 23],
    ]);
  });

  test('a version %w[v3 v4] do block nests its routes without adding to the path', () => {
    assert.deepEqual(rows('lib/api/user_status.rb'), [
      ['GET /api/:version/user', 'user_profile', 'low', 10],
      ['GET /api/:version/user/status', 'user_profile', 'default', 15],
    ]);
  });
});

describe('Grape: path strings', () => {
  test("escaped quotes and backslashes are read as Ruby reads them (\\' is ', \\\\ is \\)", () => {
    assert.deepEqual(rows('lib/api/nuget_packages.rb'), [
      ["GET /api/:version/projects/:project_id/packages/nuget/v2/Packages\\(Id='*package_name',Version='*package_version'\\)", 'package_registry', 'low', 10],
      ['GET /api/:version/projects/:project_id/packages/nuget/v2/FindPackagesById\\(\\)', 'package_registry', 'low', 14],
    ]);
  });
});

describe('Grape: concerns included into a namespace', () => {
  test("the concern's included-block category and urgency apply to the including API's own routes", () => {
    assert.deepEqual(rows('lib/api/debian_project_packages.rb'), [
      ['GET /api/:version/projects/:id/packages/debian/pool/:distribution/:letter/:package_name/:package_version/:file_name', 'package_registry', 'low', 9],
      ['PUT /api/:version/projects/:id/packages/debian/:file_name', 'package_registry', 'default', 13],
    ]);
  });

  test("the concern's routes get the namespace they are included in, in the concern's file", () => {
    assert.deepEqual(rows('lib/api/concerns/packages/debian_package_endpoints.rb'), [
      ['GET /api/:version/projects/:id/packages/debian/dists/*distribution/Release', 'package_registry', 'low', 13],
    ]);
  });
});

describe('Grape: routes in loops over literal lists', () => {
  test('a literal hash and a %w list: resource source_type.pluralize, interpolated paths, a loop variable as the category', () => {
    assert.deepEqual(rows('lib/api/members.rb'), [
      ['GET /api/:version/groups/:id/members', 'groups_and_projects', 'low', 12],
      ['DELETE /api/:version/groups/:id/members/:user_id', 'groups_and_projects', 'low', 16],
      ['GET /api/:version/projects/:id/members', 'source_code_management', 'low', 12],
      ['DELETE /api/:version/projects/:id/members/:user_id', 'source_code_management', 'low', 16],
      ['GET /api/:version/groups/:id/group_invitations', 'groups_and_projects', 'low', 24],
      ['GET /api/:version/projects/:id/project_invitations', 'groups_and_projects', 'low', 24],
    ]);
  });

  test('a loop over a list computed at load time is reported with its line, and maps nothing', () => {
    assert.deepEqual(
      ws.map('lib/api/members.rb').findings.map((f) => [f.code, f.severity, f.line, f.message]),
      [['route_unresolved', 'info', 30, '1 route(s) in a loop over `Helpers::MembersHelpers.member_sources` not mapped: the list is computed at load time']],
    );
  });
});

describe('Grape: classes mounted inside a namespace', () => {
  test('the mounted class runs under the mounting namespace (a constant path), in its own file, with no category of its own', () => {
    // A re-mounted plain Grape::API declares nothing, and GitLab's runtime looks the category up on it.
    assert.deepEqual(rows('lib/api/hooks/url_variables.rb'), [
      ['PUT /api/:version/projects/:id/hooks/:hook_id/url_variables/:key', 'unknown', 'default', 8],
      ['DELETE /api/:version/projects/:id/hooks/:hook_id/url_variables/:key', 'unknown', 'default', 12],
    ]);
  });

  test("the mounting class's own routes are unchanged by the top-level mount in API::API", () => {
    assert.deepEqual(rows('lib/api/project_hooks.rb'), [['GET /api/:version/projects/:id/hooks/:hook_id', 'webhooks', 'low', 15]]);
  });

  test("a `mounted do` block's routes run under the mount; one built from the mount's configuration is reported, not guessed", () => {
    const mapping = ws.map('lib/api/hooks/custom_headers.rb');
    assert.deepEqual(
      mapping.endpoints.map((e) => [e.id, e.category, e.urgency, e.line]),
      [['DELETE /api/:version/projects/:id/hooks/:hook_id/custom_headers/:key', 'unknown', 'default', 12]],
    );
    assert.deepEqual(
      mapping.findings.map((f) => [f.code, f.line, f.message]),
      [['route_unresolved', 7, 'PUT route not mapped: its path `"#{configuration[:path]}/:key"` is computed at load time']],
    );
  });
});

describe('Grape: a loop over a constant hash of hashes', () => {
  test('each key becomes a path; properties[:feature_category] the category', () => {
    assert.deepEqual(rows('lib/api/templates.rb'), [
      ['GET /api/:version/templates/gitignores', 'source_code_management', 'default', 17],
      ['GET /api/:version/templates/gitignores/:name', 'source_code_management', 'low', 21],
      ['GET /api/:version/templates/gitlab_ci_ymls', 'pipeline_composition', 'default', 17],
      ['GET /api/:version/templates/gitlab_ci_ymls/:name', 'pipeline_composition', 'low', 21],
      // ActiveSupport's underscore: dashes and CamelCase to snake_case
      ['POST /api/:version/mattermost_slash_commands/trigger', 'integrations', 'default', 27],
      ['POST /api/:version/slack_slash_commands/trigger', 'integrations', 'default', 27],
    ]);
    assert.deepEqual(ws.map('lib/api/templates.rb').findings, []);
  });
});

describe('Grape: a loop over a constant hash with lambda values and a loop-local variable', () => {
  test('the keys drive the paths; a local built from the loop variable (singularize) is used in the path', () => {
    assert.deepEqual(rows('lib/api/todos.rb'), [
      ['POST /api/:version/projects/:id/merge_requests/:merge_request_iid/todo', 'notifications', 'low', 17],
      ['POST /api/:version/projects/:id/issues/:issue_iid/todo', 'notifications', 'low', 17],
    ]);
    assert.deepEqual(ws.map('lib/api/todos.rb').findings, []);
  });
});
