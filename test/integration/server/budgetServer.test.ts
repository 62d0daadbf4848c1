/**
 * The Budget API server over real HTTP on loopback. Data: the scenario of test/support/builders.ts
 * (figures computed by hand in test/unit/service/budgetService.test.ts), "now" = 2026-10-29T00:00Z.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { schemaProblem } from '../../../src/sdk/client/responseValidator';
import type { ResponseSchemaName } from '../../../src/sdk/contract/apiSchemas';
import type { GroupBudget } from '../../../src/sdk/contract/apiTypes';
import type { Harness } from './serverHarness';
import { startHarness } from './serverHarness';

interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

function errorOf(body: unknown): ErrorBody['error'] {
  assert.equal(schemaProblem('Error', body), null, 'error bodies match the Error schema');
  return (body as ErrorBody).error;
}

describe('Budget API server: routes', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.server.close());

  const routes: Array<[string, ResponseSchemaName]> = [
    ['/api/v1/healthz', 'Health'],
    ['/api/v1/groups', 'GroupList'],
    ['/api/v1/groups/project_management', 'Group'],
    ['/api/v1/groups/project_management/endpoints?limit=1', 'TopEndpoints'],
    ['/api/v1/groups/project_management/daily', 'DailySeries'],
    ['/api/v1/groups/knowledge/burn-rates', 'BurnRates'],
    ['/api/v1/categories?names=team_planning,wiki', 'CategoryList'],
    ['/api/v1/categories/team_planning', 'CategoryList'],
    ['/api/v1/categories/team_planning/endpoints', 'TopEndpoints'],
    ['/api/v1/categories/team_planning/daily?window=7d', 'DailySeries'],
    ['/api/v1/categories/wiki/burn-rates?at=1793232000', 'BurnRates'],
    ['/api/v1/endpoints?ids=Projects%3A%3AIssuesController%23index,GET%20%2Fapi%2F%3Aversion%2Fprojects%2F%3Aid%2Fissues', 'EndpointBudgets'],
    ['/api/v1/report?month=2026-10', 'MonthlyReport'],
    // The harness's project defines no objectives: an empty list (objectivesRoute.test.ts has them).
    ['/api/v1/objectives', 'ObjectiveList'],
  ];
  for (const [path, schema] of routes) {
    test(`GET ${path} -> 200 matching ${schema}`, async () => {
      const r = await h.get(path);
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(schemaProblem(schema, r.body), null);
    });
  }

  test('burn-rates carries the F16 alert next to meta and data; a body without it (an older server) still validates', async () => {
    const r = await h.get('/api/v1/groups/knowledge/burn-rates');
    const body = r.body as { data: unknown[]; alert: { tier: string | null; tiers: Array<{ tier: string; long: { window: string }; short: { window: string }; minShortMeasurements: number }> } };
    assert.equal(body.data.length, 3, 'the 1h / 6h / 3d rows as before');
    assert.equal(body.alert.tier, null);
    assert.deepEqual(
      body.alert.tiers.map((t) => [t.tier, t.long.window, t.short.window, t.minShortMeasurements]),
      [
        ['page', '1h', '5m', 695],
        ['ticket', '6h', '30m', 1667],
      ],
    );
    const { alert: _alert, ...older } = body;
    assert.equal(schemaProblem('BurnRates', older), null);
    assert.notEqual(schemaProblem('BurnRates', { ...body, alert: { tier: 'urgent', tiers: [] } }), null);
  });

  test('numbers survive the wire: F1-F5 of project_management, F8 of its endpoints', async () => {
    const g = (await h.get('/api/v1/groups/project_management')).body as { data: GroupBudget };
    assert.equal(g.data.availability, 0.99925);
    assert.equal(g.data.budgetMinutes, 20.16);
    assert.equal(g.data.spentMinutes, 30.24);
    assert.equal(g.data.remainingMinutes, -10.08);
    const top = (await h.get('/api/v1/groups/project_management/endpoints?limit=1')).body as {
      data: { endpoints: Array<{ endpointId: string; spentMinutes: number }> };
    };
    assert.deepEqual(top.data.endpoints, [
      { ...top.data.endpoints[0], endpointId: 'Projects::IssuesController#index', spentMinutes: 20.16 },
    ]);
    assert.equal(top.data.endpoints.length, 1);
  });

  test('at= pins the evaluation time (unix seconds and RFC 3339 agree)', async () => {
    // 1792368000 = 2026-10-19T00:00:00Z: 28 d back is 2026-09-21, so B (10-20) is outside
    // and A (10-05: f=10) plus September's row (09-10) is not: f = 10, m = 900.
    const unix = (await h.get('/api/v1/groups/project_management?at=1792368000')).body as { data: GroupBudget; meta: { asOf: string } };
    const rfc = (await h.get('/api/v1/groups/project_management?at=2026-10-19T00:00:00Z')).body as { data: GroupBudget };
    assert.equal(unix.meta.asOf, '2026-10-19T00:00:00.000Z');
    assert.equal(unix.data.failures, 10);
    assert.equal(unix.data.measurements, 900);
    assert.deepEqual(rfc.data, unix.data);
  });

  test('OpenAPI 3.1 document lists every route with its response schema', async () => {
    const r = await h.get('/api/v1/openapi.json');
    assert.equal(r.status, 200);
    const doc = r.body as { openapi: string; paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> } }>; components: { schemas: Record<string, unknown> } };
    assert.equal(doc.openapi, '3.1.0');
    for (const [path, schema] of routes) {
      const template = path
        .split('?')[0]!
        .replace('/groups/project_management', '/groups/{key}')
        .replace('/groups/knowledge', '/groups/{key}')
        .replace(/\/categories\/(team_planning|wiki)/, '/categories/{name}');
      const op = doc.paths[template];
      assert.ok(op, `missing ${template}`);
      assert.equal(op.get.responses['200']?.content?.['application/json']?.schema.$ref, `#/components/schemas/${schema}`);
      assert.ok(doc.components.schemas[schema]);
    }
    // /objectives/{name} answers 404 here (no objectives); its schema is checked all the same.
    assert.equal(doc.paths['/api/v1/objectives/{name}']?.get.responses['200']?.content?.['application/json']?.schema.$ref, '#/components/schemas/Objective');
    assert.equal(Object.keys(doc.paths).length, routes.length + 2); // + /objectives/{name} + openapi.json itself
  });

  const badRequests: Array<[string, string]> = [
    ['/api/v1/groups?window=28x', 'window'],
    ['/api/v1/groups?window=0d', 'window'],
    ['/api/v1/groups?window=999d', 'window'],
    ['/api/v1/groups?at=yesterday', 'at'],
    ['/api/v1/groups?at=2026-10-32T00:00:00Z', 'at'],
    ['/api/v1/groups/project_management/endpoints?limit=0', 'limit'],
    ['/api/v1/groups/project_management/endpoints?limit=abc', 'limit'],
    ['/api/v1/groups/project_management/endpoints?limit=1001', 'limit'],
    ['/api/v1/groups?foo=1', 'foo'],
    ['/api/v1/groups?window=7d&window=28d', 'window'],
    ['/api/v1/groups/project_management/burn-rates?window=7d', 'window'],
    ['/api/v1/categories?names=team_planning,,wiki', 'names'],
    ['/api/v1/report', 'month'],
    ['/api/v1/report?month=2026-13', 'month'],
    ['/api/v1/groups/%E0%A4%A', 'path'],
  ];
  for (const [path, field] of badRequests) {
    test(`GET ${path} -> 400 naming '${field}'`, async () => {
      const r = await h.get(path);
      assert.equal(r.status, 400, r.text);
      const err = errorOf(r.body);
      assert.equal(err.code, 'invalid_parameter');
      assert.equal(err.field, field);
      assert.ok(err.message.length > 10);
    });
  }

  test('404s: unknown group, category and route, as JSON', async () => {
    const g = await h.get('/api/v1/groups/no_such_group');
    assert.equal(g.status, 404);
    assert.deepEqual(errorOf(g.body), { code: 'unknown_group', message: "unknown group 'no_such_group'", field: 'key' });
    const c = await h.get('/api/v1/categories/team_planing/daily');
    assert.equal(c.status, 404);
    assert.equal(errorOf(c.body).code, 'unknown_category');
    const names = await h.get('/api/v1/categories?names=team_planning,nope');
    assert.equal(names.status, 404);
    const route = await h.get('/api/v1/nothing');
    assert.equal(route.status, 404);
    assert.equal(errorOf(route.body).code, 'not_found');
    assert.equal((await h.get('/')).status, 404);
  });

  // Issue 12 items 6-7: impossible dates were rolled over (200 for February 30th), years 0-99
  // read as 1900-1999 (0026-04 answered for 1926-04), any year accepted.
  const strictDates: Array<[string, string, string]> = [
    ['/api/v1/groups?at=2026-02-30T00:00:00Z', 'at', "at: '2026-02-30T00:00:00Z': February 2026 has 28 days, not 30"],
    ['/api/v1/groups?at=9999-01-01T00:00:00Z', 'at', "at: '9999-01-01T00:00:00Z': year 9999 is outside 1970-2100"],
    ['/api/v1/report?month=0026-04', 'month', "month: '0026-04': year 0026 is outside 1970-2100"],
    [
      '/api/v1/groups?at=1970-01-05T00:00:00Z&window=28d',
      'window',
      'window: the 28d window ending at 1970-01-05T00:00:00.000Z would start at 1969-12-08T00:00:00.000Z: year 1969 is outside 1970-2100',
    ],
  ];
  for (const [path, field, message] of strictDates) {
    test(`GET ${path} -> 400 naming '${field}' and why`, async () => {
      const r = await h.get(path);
      assert.equal(r.status, 400, r.text);
      assert.deepEqual(errorOf(r.body), { code: 'invalid_parameter', message, field });
    });
  }

  test('an unparsable request target is a 400, and the server stays up', async () => {
    const port = new URL(h.url).port;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let data = '';
      socket.on('data', (c: Buffer) => (data += c.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 400 /);
    assert.match(raw, /"field":"path"/);
    assert.equal((await h.get('/api/v1/healthz')).status, 200);
  });

  test('non-GET methods are 405 with Allow', async () => {
    const res = await fetch(`${h.url}/api/v1/groups`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });

  test('one structured log line per request: method, path, status, ms', async () => {
    h.logs.length = 0;
    await h.get('/api/v1/groups/project_management?window=7d');
    await h.get('/api/v1/groups?window=bad');
    const requests = h.logs.filter((l) => l['msg'] === 'request');
    assert.equal(requests.length, 2);
    assert.equal(requests[0]?.['method'], 'GET');
    assert.equal(requests[0]?.['path'], '/api/v1/groups/project_management');
    assert.equal(requests[0]?.['status'], 200);
    assert.equal(typeof requests[0]?.['ms'], 'number');
    assert.equal(requests[1]?.['status'], 400);
  });
});

describe('Budget API server: cache and concurrency', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.server.close());

  test('a repeated query is a cache hit that spares the backend; parameter order does not matter', async () => {
    const first = await h.get('/api/v1/groups/project_management/endpoints?window=7d&limit=3');
    const callsAfterFirst = h.source.calls['endpointCounts'];
    const second = await h.get('/api/v1/groups/project_management/endpoints?limit=3&window=7d');
    assert.equal(first.headers.get('x-cache'), 'miss');
    assert.equal(second.headers.get('x-cache'), 'hit');
    assert.equal(h.source.calls['endpointCounts'], callsAfterFirst);
    assert.equal(second.text, first.text);
    const other = await h.get('/api/v1/groups/project_management/endpoints?limit=4&window=7d');
    assert.equal(other.headers.get('x-cache'), 'miss');
  });

  test('ETag and If-None-Match: an unchanged answer is a 304 without a body', async () => {
    const first = await h.get('/api/v1/groups/knowledge');
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^"[A-Za-z0-9_-]{27}"$/); // sha1, base64url
    const again = await h.get('/api/v1/groups/knowledge', { 'If-None-Match': etag ?? '' });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    const stale = await h.get('/api/v1/groups/knowledge', { 'If-None-Match': '"something-else"' });
    assert.equal(stale.status, 200);
    assert.equal(stale.text, first.text);
    const other = await h.get('/api/v1/groups/source_code');
    assert.notEqual(other.headers.get('etag'), etag);
  });

  test('50 concurrent requests over 5 routes all answer correctly', async () => {
    h.server.cache.clear();
    const paths = [
      '/api/v1/groups',
      '/api/v1/groups/project_management',
      '/api/v1/groups/knowledge/burn-rates',
      '/api/v1/categories/team_planning/daily',
      '/api/v1/report?month=2026-10',
    ];
    const expected = await Promise.all(paths.map(async (p) => JSON.stringify((await h.get(p)).body)));
    h.server.cache.clear();
    h.source.delayMs = 20;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => h.get(paths[i % paths.length]!)));
    h.source.delayMs = 0;
    results.forEach((r, i) => {
      assert.equal(r.status, 200);
      assert.equal(JSON.stringify(r.body), expected[i % paths.length]);
    });
    // Identical concurrent queries coalesce: far fewer than 50 route evaluations reached the source.
    assert.ok(results.filter((r) => r.headers.get('x-cache') === 'hit').length >= 40);
  });

  test('with the cache disabled every request reaches the backend', async () => {
    const h2 = await startHarness({ cache: { ttlMs: 0 } });
    try {
      await h2.get('/api/v1/groups');
      await h2.get('/api/v1/groups');
      assert.equal(h2.source.calls['groupCounts'], 2);
    } finally {
      await h2.server.close();
    }
  });
});

describe('Budget API server: auth', () => {
  let h: Harness;
  const token = 's3cret-token-value';
  before(async () => {
    h = await startHarness({ token });
  });
  after(() => h.server.close());

  test('401 with WWW-Authenticate without or with a wrong token; 200 with it', async () => {
    const none = await h.get('/api/v1/groups');
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="budget-lens"');
    assert.equal(errorOf(none.body).code, 'unauthorized');
    const wrong = await h.get('/api/v1/groups', { Authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    const prefix = await h.get('/api/v1/groups', { Authorization: `Bearer ${token}x` });
    assert.equal(prefix.status, 401);
    const ok = await h.get('/api/v1/groups', { Authorization: `Bearer ${token}` });
    assert.equal(ok.status, 200);
  });

  test('health and the OpenAPI document stay open; the document declares bearer auth', async () => {
    assert.equal((await h.get('/api/v1/healthz')).status, 200);
    const doc = (await h.get('/api/v1/openapi.json')).body as { components: { securitySchemes?: unknown } };
    assert.deepEqual(doc.components.securitySchemes, { bearer: { type: 'http', scheme: 'bearer' } });
  });

  test('the token never appears in the logs', () => {
    assert.ok(h.logs.length > 0);
    assert.ok(!JSON.stringify(h.logs).includes(token));
  });
});

describe('Budget API server: failing backends', () => {
  test('a backend that never answers -> 503 backend_timeout within the deadline; the server stays up', async () => {
    const h = await startHarness({ deadlineMs: 200 });
    try {
      h.source.behaviour = 'hang';
      const started = Date.now();
      const r = await h.get('/api/v1/groups/project_management');
      const elapsed = Date.now() - started;
      assert.equal(r.status, 503);
      assert.equal(errorOf(r.body).code, 'backend_timeout');
      assert.match(errorOf(r.body).message, /200 ms/);
      assert.equal(r.headers.get('retry-after'), '1');
      assert.ok(elapsed >= 190 && elapsed < 2000, `answered after ${elapsed} ms`);
      assert.equal((await h.get('/api/v1/healthz')).status, 200);
      h.source.behaviour = 'ok';
      assert.equal((await h.get('/api/v1/groups/project_management')).status, 200, 'timeouts are not cached');
    } finally {
      await h.server.close();
    }
  });

  test('a backend that disappears mid-refresh -> 503 backend_unavailable, then recovers', async () => {
    const h = await startHarness({ cache: { ttlMs: 0 } });
    try {
      assert.equal((await h.get('/api/v1/groups')).status, 200);
      h.source.behaviour = 'fail';
      const down = await h.get('/api/v1/groups');
      assert.equal(down.status, 503);
      assert.equal(errorOf(down.body).code, 'backend_unavailable');
      assert.match(errorOf(down.body).message, /ECONNREFUSED/);
      h.source.behaviour = 'broken';
      const broken = await h.get('/api/v1/groups/knowledge/daily');
      assert.equal(broken.status, 502);
      assert.equal(errorOf(broken.body).code, 'backend_error');
      h.source.behaviour = 'ok';
      assert.equal((await h.get('/api/v1/groups')).status, 200);
    } finally {
      await h.server.close();
    }
  });
});

describe('Budget API server: graceful shutdown', () => {
  test('close() lets the in-flight request finish, refuses new ones, then closes the source', async () => {
    const h = await startHarness();
    h.source.delayMs = 300;
    const inFlight = h.get('/api/v1/groups/project_management');
    await new Promise((r) => setTimeout(r, 50));
    const closed = h.server.close();
    const r = await inFlight;
    assert.equal(r.status, 200);
    assert.equal((r.body as { data: GroupBudget }).data.spentMinutes, 30.24);
    await closed;
    assert.equal(h.source.closed, true);
    await assert.rejects(
      new Promise((resolve, reject) => {
        const req = request(`${h.url}/api/v1/healthz`, resolve);
        req.on('error', reject);
        req.end();
      }),
      /ECONNREFUSED/,
    );
  });
});

/** GET with a Host header of our choosing (fetch sets its own). */
function getWithHost(base: string, path: string, host: string): Promise<{ status: number; body: unknown }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: { Host: host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Budget API server: hardening', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ allowedHosts: ['budget.internal'] });
  });
  after(() => h.server.close());

  test('a name that is not allowed gets 421 and no data (DNS rebinding); addresses, localhost and allowed names pass', async () => {
    const port = new URL(h.url).port;
    const evil = await getWithHost(h.url, '/api/v1/groups', `rebind.evil.example:${port}`);
    assert.equal(evil.status, 421);
    const error = errorOf(evil.body);
    assert.equal(error.code, 'host_not_allowed');
    assert.match(error.message, /Host 'rebind\.evil\.example' is not allowed .*--allow-host rebind\.evil\.example/);
    assert.ok(!JSON.stringify(evil.body).includes('project_management'), 'no figures in the refusal');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `app.localhost:${port}`, `[::1]:${port}`, '10.1.2.3', `budget.internal:${port}`]) {
      assert.equal((await getWithHost(h.url, '/api/v1/groups', host)).status, 200, host);
    }
    assert.equal((await getWithHost(h.url, '/api/v1/groups', 'bad host:x')).status, 421);
  });

  test('the request log keeps the API parameters and redacts the value of any other (a ?token= never reaches it)', async () => {
    h.logs.length = 0;
    const secret = 'glpat-s3cr3t-value';
    const r = await h.get(`/api/v1/groups?window=7d&token=${secret}`);
    assert.equal(r.status, 400); // unknown parameter
    const logged = h.logs.filter((l) => l['msg'] === 'request');
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.['query'], '?window=7d&token=[redacted]');
    assert.ok(!JSON.stringify(h.logs).includes(secret));
  });
});
