/**
 * F15, each endpoint's own figures measured against its category: BudgetService.endpoints over the
 * shared scenario (test/unit/service/budgetService.test.ts), the `/endpoints` route's query
 * parsing and its OpenAPI entry, and the response schema. By hand, 28 d = 40,320 min, 99.95 %:
 *   team_planning: f = 15, m = 20,000
 *   A `Projects::IssuesController#index`: w 450, s 440, o 450, e 0 -> f 10, m 900
 *     minutes 10 * 40320 / 20000 = 20.16, share 10/15 = 2/3, own 890/900 = 0.98888… < 0.9995
 *     (below target), #1 of 2 offenders
 *   B `GET /api/:version/projects/:id/issues`: w 9550, s 9550, o 9550, e 5 -> f 5, m 19,100
 *     minutes 5 * 40320 / 20000 = 10.08, share 1/3, own 19095/19100 = 0.99973… ≥ 0.9995, #2 of 2
 *   `graphql:getBlobInfo` (source_code_management): graphql_query, which source_code ignores:
 *     nothing counted, so no figures and no rank
 *   `Nobody#calls`: no traffic at all
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog } from '../../../src/sdk/catalog/types';
import { BudgetService, MAX_ENDPOINT_IDS } from '../../../src/sdk/service/budgetService';
import { InvalidQueryError } from '../../../src/sdk/contract/serviceErrors';
import { matchRoute, parseIdsParam, parseQuery } from '../../../src/sdk/server/routes';
import { buildOpenApiDocument } from '../../../src/sdk/server/openapi';
import { schemaProblem } from '../../../src/sdk/client/responseValidator';
import { endpointBudgets } from '../../../src/sdk/budget/endpointRanking';
import { parseWindow } from '../../../src/sdk/budget/window';
import { MemorySource, SCENARIO, SCENARIO_AT, scenarioCatalog } from '../../support/builders';

const A = 'Projects::IssuesController#index';
const B = 'GET /api/:version/projects/:id/issues';

describe('BudgetService.endpoints (F15)', () => {
  let catalog: Catalog;
  let source: MemorySource;
  let service: BudgetService;

  before(async () => {
    catalog = await scenarioCatalog();
    source = new MemorySource(catalog, SCENARIO, () => SCENARIO_AT);
    service = new BudgetService(source, catalog, { now: () => SCENARIO_AT });
  });

  test('each id in the order asked: minutes and share of its category, own availability against the target, rank', async () => {
    const r = await service.endpoints([B, A, 'Nobody#calls', A, 'graphql:getBlobInfo']);
    assert.equal(schemaProblem('EndpointBudgets', r), null);
    const [b, a, none, blob] = r.data.endpoints;
    assert.equal(r.data.endpoints.length, 4, 'duplicates answered once');
    assert.deepEqual(
      { ...a, counts: undefined },
      {
        endpointId: A, category: 'team_planning', group: 'project_management', components: ['rails_request'], urgency: 'low', counts: undefined,
        apdexFailures: 10, errors: 0, failures: 10, measurements: 900, ownAvailability: 890 / 900, target: '99.95', belowTarget: true,
        spentMinutes: 20.16, shareOfSpend: 10 / 15, categoryFailures: 15, categoryMeasurements: 20000, rank: 1, offenders: 2,
      },
    );
    assert.deepEqual(a?.counts, { apdexSuccess: 440, apdexWeight: 450, ops: 450, errors: 0 });
    assert.equal(b?.spentMinutes, 10.08);
    assert.equal(b?.shareOfSpend, 5 / 15);
    assert.equal(b?.ownAvailability, 19095 / 19100);
    assert.equal(b?.belowTarget, false);
    assert.equal(b?.rank, 2);
    assert.equal(none?.category, null);
    assert.equal(none?.measurements, 0);
    assert.equal(none?.ownAvailability, null);
    assert.equal(none?.rank, null);
    assert.equal(none?.belowTarget, false);
    assert.equal(blob?.category, 'source_code_management');
    assert.equal(blob?.measurements, 0, 'the group ignores graphql_query');
    assert.equal(blob?.rank, null);
    // The provenance lists every source read: by id, the categories' totals, their endpoints.
    assert.ok(r.meta.provenance.queries.some((q) => q.includes('endpointCountsById')));
    assert.ok(r.meta.provenance.queries.some((q) => q.includes('categoryCounts')));
  });

  test('no id, or more than the limit, is a 400', async () => {
    await assert.rejects(service.endpoints([]), (e) => InvalidQueryError.is(e));
    const many = Array.from({ length: MAX_ENDPOINT_IDS + 1 }, (_, i) => `E#${i}`);
    await assert.rejects(service.endpoints(many), (e) => InvalidQueryError.is(e) && /at most 500/.test(e.message));
  });

  test('only ids without traffic: one source read', async () => {
    const before = source.calls['categoryCounts'] ?? 0;
    const r = await service.endpoints(['Nobody#calls']);
    assert.equal(r.data.endpoints[0]?.measurements, 0);
    assert.equal(source.calls['categoryCounts'] ?? 0, before);
  });

  test('endpointBudgets ranks per endpoint id over its components and ties by fewer measurements', () => {
    const row = (endpointId: string, component: string, w: number, s: number, o = 0, e = 0) => ({
      endpointId, component, category: 'c', urgency: 'default', counts: { apdexWeight: w, apdexSuccess: s, ops: o, errors: e }, hasErrorSli: true,
    });
    const rows = [row('X', 'rails_request', 100, 98), row('X', 'graphql_query', 100, 99), row('Y', 'rails_request', 50, 47), row('Z', 'rails_request', 10, 10)];
    const out = endpointBudgets(['Y', 'X', 'Z'], rows, parseWindow('28d'), () => ({ failures: 6, measurements: 260, group: 'g', target: '99.95', ignoredComponents: [], endpoints: rows }), '99.95');
    // X: f 3 (2 + 1), m 200; Y: f 3, m 50 -> Y first (the worse own ratio), Z no failure.
    assert.deepEqual(out.map((e) => [e.endpointId, e.failures, e.rank, e.offenders]), [['Y', 3, 1, 2], ['X', 3, 2, 2], ['Z', 0, null, 2]]);
    assert.deepEqual(out[1]?.components, ['rails_request', 'graphql_query']);
    assert.equal(out[2]?.ownAvailability, 1);
    assert.equal(out[2]?.belowTarget, false);
  });

  test('the target is compared exactly: 1 failure in 2,000 is at the target, not below', () => {
    const rows = [{ endpointId: 'E', component: 'rails_request', category: 'c', urgency: 'default', counts: { apdexWeight: 1000, apdexSuccess: 999, ops: 1000, errors: 0 }, hasErrorSli: true }];
    const [e] = endpointBudgets(['E'], rows, parseWindow('28d'), () => ({ failures: 1, measurements: 2000, group: 'g', target: '99.95', ignoredComponents: [], endpoints: rows }), '99.95');
    assert.equal(e?.ownAvailability, 0.9995);
    assert.equal(e?.belowTarget, false);
  });
});

describe('GET /api/v1/endpoints', () => {
  test('the route: ids required, comma-separated, none empty, at most 500', () => {
    const m = matchRoute('/endpoints');
    assert.equal(m?.route.operationId, 'listEndpoints');
    const route = m!.route;
    assert.deepEqual(parseQuery(route, new URLSearchParams({ ids: `${A},${B}`, window: '7d' })), { ids: [A, B], window: '7d' });
    assert.throws(() => parseQuery(route, new URLSearchParams()), (e) => InvalidQueryError.is(e) && e.field === 'ids');
    assert.throws(() => parseQuery(route, new URLSearchParams({ ids: '' })), (e) => InvalidQueryError.is(e) && e.field === 'ids');
    assert.throws(() => parseQuery(route, new URLSearchParams({ ids: `${A},,${B}` })), /empty endpoint id/);
    assert.throws(() => parseQuery(route, new URLSearchParams({ ids: A, limit: '3' })), /unknown query parameter 'limit'/);
    assert.deepEqual(parseIdsParam(`${A},${A}`), [A]);
    assert.throws(() => parseIdsParam(Array.from({ length: 501 }, (_, i) => `E#${i}`).join(',')), /at most 500/);
  });

  test('OpenAPI lists it with its required ids parameter and the EndpointBudgets schema', () => {
    const doc = buildOpenApiDocument({ withAuth: false }) as {
      paths: Record<string, { get: { operationId: string; parameters: Array<{ name: string; required: boolean }>; responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> } }>;
      components: { schemas: Record<string, unknown> };
    };
    const op = doc.paths['/api/v1/endpoints']?.get;
    assert.equal(op?.operationId, 'listEndpoints');
    assert.deepEqual(op?.parameters.find((p) => p.name === 'ids')?.required, true);
    assert.equal(op?.responses['200']?.content?.['application/json']?.schema.$ref, '#/components/schemas/EndpointBudgets');
    assert.ok(doc.components.schemas['EndpointBudgets']);
  });

  test('the schema refuses a rank of 0 and a missing category field', () => {
    const meta = { window: { label: '28d', minutes: 40320, start: 'a', end: 'b' }, asOf: 'b', provenance: { kind: 'store', source: 's', queries: [] } };
    const e = {
      endpointId: A, category: 'team_planning', group: 'project_management', components: ['rails_request'], urgency: 'low', counts: { apdexSuccess: 1, apdexWeight: 1, ops: 1, errors: 0 },
      apdexFailures: 0, errors: 0, failures: 0, measurements: 2, ownAvailability: 1, target: '99.95', belowTarget: false, spentMinutes: 0, shareOfSpend: 0,
      categoryFailures: 0, categoryMeasurements: 2, rank: null, offenders: 0,
    };
    assert.equal(schemaProblem('EndpointBudgets', { meta, data: { endpoints: [e] } }), null);
    assert.notEqual(schemaProblem('EndpointBudgets', { meta, data: { endpoints: [{ ...e, rank: 0 }] } }), null);
    const { category: _, ...noCategory } = e;
    assert.notEqual(schemaProblem('EndpointBudgets', { meta, data: { endpoints: [noCategory] } }), null);
  });
});
