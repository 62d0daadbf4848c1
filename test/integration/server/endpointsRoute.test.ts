/**
 * `GET /api/v1/endpoints?ids=` over HTTP (a real BudgetServer on the shared in-memory scenario,
 * figures by hand in test/unit/service/endpointBudgets.test.ts): 400s with the field named, a
 * screenful of long ids in one request (the server reads 64 KiB of request head), and
 * BudgetApiClient's schema-checked answer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BudgetApiClient } from '../../../src/sdk/client/budgetApiClient';
import { InvalidRequestError } from '../../../src/sdk/client/clientErrors';
import type { Harness } from './serverHarness';
import { startHarness } from './serverHarness';

const A = 'Projects::IssuesController#index';

describe('GET /api/v1/endpoints', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.server.close();
  });

  test('400 with the field for a missing, empty or oversized ids', async () => {
    for (const path of ['/api/v1/endpoints', '/api/v1/endpoints?ids=', `/api/v1/endpoints?ids=${encodeURIComponent(`${A},,B`)}`, `/api/v1/endpoints?ids=${Array.from({ length: 501 }, (_, i) => `E${i}`).join(',')}`]) {
      const r = await h.get(path);
      assert.equal(r.status, 400, path);
      assert.deepEqual((r.body as { error: { code: string; field: string } }).error.field, 'ids', path);
    }
  });

  test('300 long ids in one request; the client validates the answer', async () => {
    const ids = [A, ...Array.from({ length: 299 }, (_, i) => `GET /api/:version/projects/:id/some/rather/long/route/number/${i}`)];
    assert.ok(encodeURIComponent(ids.join(',')).length > 16 * 1024, "longer than Node's default request head");
    const client = new BudgetApiClient({ baseUrl: h.url, retries: 0 });
    const before = h.source.calls['endpointCountsById'] ?? 0;
    const r = await client.endpoints(ids);
    assert.equal(h.source.calls['endpointCountsById'], before + 1);
    assert.equal(r.data.endpoints.length, 300);
    assert.equal(r.data.endpoints[0]?.spentMinutes, 20.16);
    assert.equal(r.data.endpoints[0]?.rank, 1);
    assert.equal(r.data.endpoints[1]?.measurements, 0);
    await assert.rejects(client.endpoints([]), (e) => e instanceof InvalidRequestError && e.field === 'ids');
  });
});

describe('the server warms itself up (serve over a store, before it announces its URL)', () => {
  test("its own request is answered and logged as `warm-up request`, never as a client's `request`", async () => {
    const h = await startHarness();
    try {
      const requests = (): number => h.logs.filter((e) => e.msg === 'request').length;
      const before = requests();
      assert.equal(await h.server.warmUp(`/endpoints?ids=${encodeURIComponent(A)}`), 200);
      assert.equal(requests(), before);
      const warm = h.logs.filter((e) => e.msg === 'warm-up request');
      assert.deepEqual(warm.map((e) => [e.path, e.status]), [['/api/v1/endpoints', 200]]);
      // The header's value is the server's own secret: a client sending the header is logged as a request.
      const r = await h.get(`/api/v1/endpoints?ids=${encodeURIComponent(A)}`, { 'x-budget-lens-warm-up': 'guess' });
      assert.equal(r.status, 200);
      assert.equal(requests(), before + 1);
    } finally {
      await h.server.close();
    }
  });
});
