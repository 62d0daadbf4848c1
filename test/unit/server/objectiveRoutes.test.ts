/**
 * The objective routes in the route table (issue 13): `/objectives?names=` parsed like
 * `/endpoints?ids=` (comma-separated, none empty, not repeated), `/objectives/{name}` with a
 * percent-encoded `/` (an OpenSLO SLO with several objectives), and the OpenAPI document
 * generated from the table: both paths, their schemas, the 404 of an unknown objective.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidQueryError } from '../../../src/sdk/contract/serviceErrors';
import { buildOpenApiDocument } from '../../../src/sdk/server/openapi';
import { matchRoute, parseQuery } from '../../../src/sdk/server/routes';

describe('objective routes', () => {
  test('/objectives takes names and at; names are comma-separated, none empty, never repeated', () => {
    const m = matchRoute('/objectives');
    assert.equal(m?.route.operationId, 'listObjectives');
    const q = parseQuery(m!.route, new URLSearchParams('names=workspace-starts,search/1&at=2026-03-01T00:00:00Z'));
    assert.deepEqual(q.names, ['workspace-starts', 'search/1']);
    assert.equal(q.at?.toISOString(), '2026-03-01T00:00:00.000Z');
    assert.throws(() => parseQuery(m!.route, new URLSearchParams('names=a,,b')), (e) => InvalidQueryError.is(e) && e.field === 'names');
    assert.throws(() => parseQuery(m!.route, new URLSearchParams('names=a&names=b')), (e) => InvalidQueryError.is(e) && e.field === 'names');
    assert.throws(() => parseQuery(m!.route, new URLSearchParams('window=7d')), (e) => InvalidQueryError.is(e) && /allowed: at, names/.test(e.message));
  });

  test('/objectives/{name} decodes a percent-encoded slash into one name', () => {
    const m = matchRoute('/objectives/search%2Fsearch-availability-monthly');
    assert.equal(m?.route.operationId, 'getObjective');
    assert.deepEqual(m?.params, { name: 'search/search-availability-monthly' });
    assert.deepEqual(m?.route.query, ['at']);
  });

  test('the OpenAPI document lists both with their schemas and the 404', () => {
    const doc = buildOpenApiDocument({ withAuth: false }) as {
      paths: Record<string, { get: { parameters: Array<{ name: string; in: string; description: string }>; responses: Record<string, { description: string; content?: Record<string, { schema: { $ref: string } }> }> } }>;
      components: { schemas: Record<string, unknown> };
    };
    const list = doc.paths['/api/v1/objectives']!.get;
    const one = doc.paths['/api/v1/objectives/{name}']!.get;
    assert.equal(list.responses['200']?.content?.['application/json']?.schema.$ref, '#/components/schemas/ObjectiveList');
    assert.equal(one.responses['200']?.content?.['application/json']?.schema.$ref, '#/components/schemas/Objective');
    assert.match(list.responses['404']!.description, /Unknown objective.*did you mean/);
    assert.match(one.responses['404']!.description, /Unknown objective/);
    assert.match(one.parameters.find((p) => p.in === 'path')!.description, /^Objective name/);
    assert.ok(doc.components.schemas['ObjectiveList'] && doc.components.schemas['Objective']);
  });
});
