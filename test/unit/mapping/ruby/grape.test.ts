/**
 * Grape APIs: route ids `"<METHOD> <origin>"` with the mount prefix, built from
 * namespace/resource/resources/group/segment/route_param nesting; class defaults and per-route
 * `feature_category:` / `urgency:` options (domain.md section 1; thresholds as rails_request).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { grapeEndpointId, joinRoutePath, resolveRubyFile } from '../../../../src/sdk/mapping/ruby';
import { FixtureWorkspace } from './fixtureWorkspace';

let ws: FixtureWorkspace;
before(async () => {
  ws = await FixtureWorkspace.load();
});

describe('API::Tags (domain.md example)', () => {
  test('resource :projects, requirements: ... + get \':id/repository/tags\' -> GET /api/:version/projects/:id/repository/tags', () => {
    const e = ws.endpoint('lib/api/tags.rb', 'GET /api/:version/projects/:id/repository/tags');
    assert.deepEqual(
      { ...e },
      {
        id: 'GET /api/:version/projects/:id/repository/tags',
        kind: 'grape',
        category: 'source_code_management',
        urgency: 'low',
        thresholdS: 5,
        file: 'lib/api/tags.rb',
        line: 26,
        attribution: 'declaration',
      },
    );
  });

  test('routes without options take the class defaults; options override them; multi-line headers are read', () => {
    const eps = ws.map('lib/api/tags.rb').endpoints;
    assert.deepEqual(
      eps.map((e) => [e.id, e.category, e.urgency, e.thresholdS, e.line]),
      [
        ['GET /api/:version/projects/:id/repository/tags', 'source_code_management', 'low', 5, 26],
        // no options: the class default urgency :low; the category is the one the DELETE on the
        // same path declares (GitLab keys route options by path, API::Base.route)
        ['GET /api/:version/projects/:id/repository/tags/:tag_name', 'continuous_integration', 'low', 5, 32],
        // urgency: :high on the route -> 0.25 s
        ['POST /api/:version/projects/:id/repository/tags', 'source_code_management', 'high', 0.25, 39],
        // feature_category: on the third line of a multi-line route header
        ['DELETE /api/:version/projects/:id/repository/tags/:tag_name', 'continuous_integration', 'low', 5, 46],
      ],
    );
  });

  test('a route option that differs from another method\'s on the same path is reported (GitLab raises on load)', () => {
    assert.deepEqual(
      ws.map('lib/api/tags.rb').findings.map((f) => [f.code, f.line, f.column]),
      [['redeclared_action', 39, 44]],
    );
  });

  test('each route block is a category range', () => {
    const routes = ws.map('lib/api/tags.rb').categories.filter((r) => r.scope === 'route');
    assert.deepEqual(
      routes.map((r) => [r.name, r.category, r.startLine, r.endLine]),
      [
        ['GET /api/:version/projects/:id/repository/tags', 'source_code_management', 26, 29],
        ['GET /api/:version/projects/:id/repository/tags/:tag_name', 'continuous_integration', 32, 37],
        ['POST /api/:version/projects/:id/repository/tags', 'source_code_management', 39, 44],
        ['DELETE /api/:version/projects/:id/repository/tags/:tag_name', 'continuous_integration', 46, 53],
      ],
    );
    const cls = ws.map('lib/api/tags.rb').categories.find((r) => r.scope === 'class');
    assert.deepEqual([cls?.name, cls?.category, cls?.startLine, cls?.endLine], ['API::Tags', 'source_code_management', 4, 55]);
  });
});

describe('API::Issues: nesting', () => {
  test('resources, route_param, namespace, group, segment, symbol and string paths, leading slashes', () => {
    const eps = ws.map('lib/api/issues.rb').endpoints;
    assert.deepEqual(
      eps.map((e) => [e.id, e.category, e.urgency, e.thresholdS, e.line]),
      [
        // resources :issues + `get do` (no path)
        ['GET /api/:version/issues', 'team_planning', 'default', 1, 14],
        // params block ignored; double-quoted path
        ['GET /api/:version/projects/:id/issues', 'team_planning', 'low', 5, 23],
        // route_param :id, namespace :issues, route_param :issue_iid
        ['GET /api/:version/projects/:id/issues/:issue_iid/time_stats', 'team_planning', 'medium', 0.5, 30],
        ['PUT /api/:version/projects/:id/issues/:issue_iid', 'team_planning', 'default', 1, 34],
        // symbol path; feature_category given as a string
        ['POST /api/:version/projects/:id/issues/:issue_iid/move', 'portfolio_management', 'default', 1, 38],
        // group :groups + segment '/:id/' + get '/issues': no double slashes
        ['GET /api/:version/groups/:id/issues', 'team_planning', 'default', 1, 48],
      ],
    );
  });

  test('routes in an EE module\'s prepended block map to the API class with its defaults', () => {
    const eps = ws.map('ee/lib/ee/api/issues.rb').endpoints;
    assert.deepEqual(
      eps.map((e) => [e.id, e.category, e.urgency, e.thresholdS, e.line, e.attribution]),
      [['GET /api/:version/projects/:id/issues/:issue_iid/related_epic', 'team_planning', 'high', 0.25, 10, 'declaration']],
    );
  });

  test('the mount prefix comes from the context', async () => {
    const local = await FixtureWorkspace.load((f) => f.startsWith('lib/api/'));
    const ctx = { ...local.ctx, grapeMountPrefix: '/api/v4/' };
    const facts = local.facts.get('lib/api/issues.rb');
    assert.ok(facts);
    assert.equal(resolveRubyFile(facts, ctx).endpoints[0]?.id, 'GET /api/v4/issues');
  });

  test('a class inheriting Grape::API directly is a Grape API', async () => {
    const local = await FixtureWorkspace.of({
      'lib/api/ping.rb': "module API\n  class Ping < Grape::API\n    feature_category :not_owned\n    get '/ping' do\n      'pong'\n    end\n  end\nend\n",
    });
    assert.deepEqual(
      local.map('lib/api/ping.rb').endpoints.map((e) => [e.id, e.kind, e.category, e.urgency, e.line]),
      [['GET /api/:version/ping', 'grape', 'not_owned', 'default', 4]],
    );
  });
});

describe('route paths', () => {
  test('joinRoutePath normalises slashes', () => {
    assert.equal(joinRoutePath('/projects', ':id/repository/tags'), '/projects/:id/repository/tags');
    assert.equal(joinRoutePath('/groups/', '/:id/', '/issues'), '/groups/:id/issues');
    assert.equal(joinRoutePath('', ''), '');
  });

  test('grapeEndpointId prefixes the mount point', () => {
    assert.equal(grapeEndpointId('GET', '/api/:version', '/projects/:id/issues'), 'GET /api/:version/projects/:id/issues');
    assert.equal(grapeEndpointId('GET', '', ''), 'GET /');
  });
});
