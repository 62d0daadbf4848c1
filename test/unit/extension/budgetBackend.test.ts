/**
 * Which backend the editor uses (src/extension/budgetBackend.ts) and the Prometheus one end to end
 * at the HTTP level: BudgetService over the Prometheus source, pointed at a loopback stub that
 * records what arrives and answers as a Prometheus behind an auth proxy would. The real
 * Prometheus is exercised by the extension-host suite `prometheus` and test/integration.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { failureOf } from '../../../src/extension/budgetCache';
import { backendLabel, chooseBackend, openBudgetApi } from '../../../src/extension/budgetBackend';
import { BudgetApiClient } from '../../../src/sdk/client/budgetApiClient';
import { parseCatalog } from '../../../src/sdk/catalog/catalogParser';
import { BudgetService } from '../../../src/sdk/service/budgetService';

const STAGES = 'catalog/gitlab/stages.yml';

describe('chooseBackend', () => {
  test('the Budget API URL wins; Prometheus only when it is empty; neither: none', () => {
    assert.deepEqual(chooseBackend('http://127.0.0.1:7464', ''), { kind: 'api', url: 'http://127.0.0.1:7464' });
    assert.deepEqual(chooseBackend('http://127.0.0.1:7464', 'http://127.0.0.1:9090'), {
      kind: 'api',
      url: 'http://127.0.0.1:7464',
      ignoredPrometheusUrl: 'http://127.0.0.1:9090',
    });
    assert.deepEqual(chooseBackend('', 'http://127.0.0.1:9090'), { kind: 'prometheus', url: 'http://127.0.0.1:9090' });
    assert.equal(chooseBackend('', ''), undefined);
    assert.deepEqual([backendLabel('api'), backendLabel('prometheus')], ['Budget API', 'Prometheus']);
  });

  test('openBudgetApi: the API is a client on /api/v1; Prometheus waits for a catalog, then is a BudgetService', () => {
    const api = openBudgetApi({ kind: 'api', url: 'http://127.0.0.1:7464' }, 't', undefined);
    assert.ok(api?.api instanceof BudgetApiClient);
    assert.equal(api?.errorUrl, 'http://127.0.0.1:7464/api/v1');
    assert.equal(openBudgetApi({ kind: 'prometheus', url: 'http://127.0.0.1:9090' }, undefined, undefined), undefined);
    const catalog = parseCatalog(readFileSync(STAGES, 'utf8'), STAGES);
    const prom = openBudgetApi({ kind: 'prometheus', url: 'http://127.0.0.1:9090' }, undefined, catalog);
    assert.ok(prom?.api instanceof BudgetService);
    assert.equal(prom?.errorUrl, 'http://127.0.0.1:9090');
  });

  test('Prometheus takes the workspace adjustments; ones the catalog refuses fail every request at their file:line', async () => {
    const catalog = parseCatalog(readFileSync(STAGES, 'utf8'), STAGES);
    const good = { from: '2026-03-10T10:00:00.000Z', to: '2026-03-10T12:00:00.000Z', scope: { all: true as const }, reason: 'db', location: { file: '/w/.budgetlens.yml', line: 4, column: 5 } };
    assert.ok(openBudgetApi({ kind: 'prometheus', url: 'http://127.0.0.1:9090' }, undefined, catalog, undefined, {}, [good])?.api instanceof BudgetService);
    // A Budget API applies its server's config: the workspace's are not its business (not even checked).
    const unknown = { ...good, scope: { groups: ['project_managment'] }, location: { file: '/w/.budgetlens.yml', line: 9, column: 5 } };
    assert.ok(openBudgetApi({ kind: 'api', url: 'http://127.0.0.1:7464' }, undefined, undefined, undefined, {}, [unknown])?.api instanceof BudgetApiClient);
    const refused = openBudgetApi({ kind: 'prometheus', url: 'http://127.0.0.1:9090' }, undefined, catalog, undefined, {}, [unknown]);
    assert.ok(refused);
    assert.ok(!(refused.api instanceof BudgetService));
    for (const call of [() => refused.api.categories(['team_planning']), () => refused.api.group('project_management'), () => refused.api.groups()]) {
      await assert.rejects(call, /\/w\/\.budgetlens\.yml:9:5: adjustment .*unknown group "project_managment" \(did you mean "project_management"\?\)/);
    }
    // The failure the views show names it too (status 0: no HTTP answer).
    const failure = await refused.api.groups().catch((e: unknown) => failureOf(e, refused.errorUrl, 0));
    assert.match(JSON.stringify(failure), /unknown group/);
  });
});

describe('the Prometheus backend over HTTP', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ path: string; auth: string | undefined; query: string }> = [];
  let answer: 'empty' | '401' = 'empty';

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', auth: req.headers.authorization, query: new URLSearchParams(body).get('query') ?? '' });
        if (answer === '401') {
          res.writeHead(401, { 'Content-Type': 'text/plain' });
          res.end('Unauthorized');
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('the token goes out as Bearer on every query; no series is "no data", not 0 %', async () => {
    const catalog = parseCatalog(readFileSync(STAGES, 'utf8'), STAGES);
    const opened = openBudgetApi({ kind: 'prometheus', url }, 'prom-token', catalog);
    assert.ok(opened);
    const { data } = await opened.api.categories(['team_planning']);
    assert.equal(data[0]?.category, 'team_planning');
    assert.equal(data[0]?.group, 'project_management');
    assert.equal(data[0]?.spentMinutes, null);
    // 4 counter kinds + the ignored-components list, each one POST to /api/v1/query.
    assert.equal(seen.length, 5);
    assert.ok(seen.every((r) => r.path === '/api/v1/query' && r.auth === 'Bearer prom-token'), JSON.stringify(seen));
    assert.ok(seen.some((r) => r.query.includes('gitlab:component:feature_category:execution:ops:rate_1h{feature_category=~"team_planning"}')), JSON.stringify(seen.map((r) => r.query)));
  });

  test("a `.budgetlens.yml` prometheus backend's selectors and metric prefix reach every query; the setting's URL is used", async () => {
    seen.length = 0;
    const catalog = parseCatalog(readFileSync(STAGES, 'utf8'), STAGES);
    const backend = { kind: 'prometheus' as const, url: 'http://elsewhere.invalid:9090', mode: 'recording_rules' as const, selectors: { environment: 'gprd' }, metricPrefix: 'acme_' };
    const opened = openBudgetApi({ kind: 'prometheus', url }, undefined, catalog, backend);
    assert.ok(opened);
    await opened.api.categories(['team_planning']);
    assert.equal(seen.length, 5);
    const counters = seen.filter((r) => r.query.includes('feature_category=~"team_planning"'));
    assert.equal(counters.length, 4, JSON.stringify(seen.map((r) => r.query)));
    for (const r of counters) {
      assert.ok(r.query.includes('acme_gitlab:component:feature_category:execution:'), r.query);
      assert.ok(r.query.includes('environment="gprd"'), r.query);
    }
  });

  test('a 401 becomes the Failure the caches keep: query URL, status 401, unauthorized', async () => {
    answer = '401';
    const catalog = parseCatalog(readFileSync(STAGES, 'utf8'), STAGES);
    // A new service: the last one keeps the ignored-components list for 60 s.
    const opened = openBudgetApi({ kind: 'prometheus', url }, undefined, catalog);
    assert.ok(opened);
    const e = await opened.api.group('project_management').then(() => undefined, (err: unknown) => err);
    const f = failureOf(e, opened.errorUrl, 0);
    assert.deepEqual([f.url, f.status, f.unauthorized], [`${url}/api/v1/query`, 401, true]);
    assert.match(f.message, /^Prometheus: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query answered HTTP 401 \(check the auth headers\)$/);
  });
});
