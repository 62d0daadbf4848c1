/**
 * BudgetApiClient against the real server (same answers as the local service) and against tiny
 * raw node:http servers that misbehave on purpose (503s, hangs, malformed bodies).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BudgetApiClient } from '../../../src/sdk/client/budgetApiClient';
import {
  BadResponseError,
  BudgetApiError,
  InvalidRequestError,
  NotFoundError,
  RequestCancelledError,
  UnauthorizedError,
  UnavailableError,
} from '../../../src/sdk/client/clientErrors';
import { SCENARIO_AT, aGroupBudget, anApiResult } from '../../support/builders';
import type { Harness } from './serverHarness';
import { startHarness } from './serverHarness';

interface RawServer {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/** A bare server whose handler sees the request number (1-based). */
async function rawServer(handler: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<RawServer> {
  const state = { requests: 0 };
  const server = createServer((req, res) => handler(++state.requests, req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

describe('BudgetApiClient against the real server', () => {
  let h: Harness;
  let client: BudgetApiClient;
  before(async () => {
    h = await startHarness({ token: 'tok' });
    client = new BudgetApiClient({ baseUrl: h.url, token: 'tok', retryBaseDelayMs: 5 });
  });
  after(() => h.server.close());

  test('every BudgetApi method answers what the local service answers', async () => {
    const q = { at: SCENARIO_AT };
    assert.deepEqual(await client.groups(q), await h.service.groups(q));
    assert.deepEqual(await client.group('source_code', { ...q, window: '7d' }), await h.service.group('source_code', { ...q, window: '7d' }));
    assert.deepEqual(await client.categories(['team_planning', 'wiki'], q), await h.service.categories(['team_planning', 'wiki'], q));
    assert.deepEqual(await client.categories([], q), await h.service.categories([], q));
    const scope = { group: 'project_management' };
    assert.deepEqual(await client.topEndpoints(scope, { ...q, limit: 1 }), await h.service.topEndpoints(scope, { ...q, limit: 1 }));
    assert.deepEqual(await client.daily({ category: 'wiki' }, q), await h.service.daily({ category: 'wiki' }, q));
    assert.deepEqual(await client.burnRates({ group: 'knowledge' }, q), await h.service.burnRates({ group: 'knowledge' }, q));
    assert.deepEqual(await client.report('2026-10'), await h.service.report('2026-10'));
    assert.deepEqual(await client.health(), { status: 'ok', source: 'store' });
  });

  test('a known figure arrives exactly: 20.16 budget minutes (F3)', async () => {
    const g = await client.group('project_management');
    assert.equal(g.data.budgetMinutes, 20.16);
  });

  test('typed errors: 404 NotFoundError, 400 InvalidRequestError with the field, 401 UnauthorizedError', async () => {
    const notFound = await client.group('nope').catch((e: unknown) => e);
    assert.ok(NotFoundError.is(notFound));
    assert.ok(BudgetApiError.is(notFound));
    assert.equal(notFound.status, 404);
    assert.equal(notFound.code, 'unknown_group');
    assert.match(notFound.message, /\/api\/v1\/groups\/nope/);
    const bad = await client.groups({ window: '28x' }).catch((e: unknown) => e);
    assert.ok(InvalidRequestError.is(bad));
    assert.equal(bad.field, 'window');
    const anon = new BudgetApiClient({ baseUrl: h.url });
    const unauthorized = await anon.groups().catch((e: unknown) => e);
    assert.ok(UnauthorizedError.is(unauthorized));
    assert.equal(unauthorized.status, 401);
    assert.ok(!NotFoundError.is(unauthorized));
  });
});

describe('BudgetApiClient retries, cancellation and validation', () => {
  const validGroup = anApiResult(aGroupBudget());

  test('retries a 503 with backoff, then succeeds', async () => {
    const s = await rawServer((n, _req, res) => (n <= 2 ? json(res, 503, { error: { code: 'backend_timeout', message: 'slow' } }) : json(res, 200, validGroup)));
    try {
      const client = new BudgetApiClient({ baseUrl: s.url, retries: 3, retryBaseDelayMs: 10 });
      const r = await client.group('project_management');
      assert.equal(r.data.spentMinutes, 30.24);
      assert.equal(s.requests, 3);
    } finally {
      await s.close();
    }
  });

  test('gives up after the retries with UnavailableError naming the status', async () => {
    const s = await rawServer((_n, _req, res) => json(res, 502, { error: { code: 'backend_error', message: 'boom' } }));
    try {
      const client = new BudgetApiClient({ baseUrl: s.url, retries: 2, retryBaseDelayMs: 5 });
      const e = await client.groups().catch((err: unknown) => err);
      assert.ok(UnavailableError.is(e));
      assert.equal(e.status, 502);
      assert.equal(s.requests, 3); // 1 + 2 retries
    } finally {
      await s.close();
    }
  });

  test('never retries a 404', async () => {
    const s = await rawServer((_n, _req, res) => json(res, 404, { error: { code: 'unknown_group', message: "unknown group 'x'", field: 'key' } }));
    try {
      const client = new BudgetApiClient({ baseUrl: s.url, retries: 3, retryBaseDelayMs: 5 });
      const e = await client.group('x').catch((err: unknown) => err);
      assert.ok(NotFoundError.is(e));
      assert.equal(s.requests, 1);
    } finally {
      await s.close();
    }
  });

  test('network errors are retried, then UnavailableError with status 0', async () => {
    const s = await rawServer(() => {});
    const url = s.url;
    await s.close();
    const client = new BudgetApiClient({ baseUrl: url, retries: 1, retryBaseDelayMs: 5 });
    const e = await client.groups().catch((err: unknown) => err);
    assert.ok(UnavailableError.is(e));
    assert.equal(e.status, 0);
    assert.match(e.message, /ECONNREFUSED/);
  });

  test('an AbortSignal cancels a hanging request promptly', async () => {
    const s = await rawServer(() => {}); // never answers
    try {
      const client = new BudgetApiClient({ baseUrl: s.url, timeoutMs: 10_000 });
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 50);
      const e = await client.groups({ signal: controller.signal }).catch((err: unknown) => err);
      assert.ok(RequestCancelledError.is(e));
      assert.ok(Date.now() - started < 2000);
      assert.equal(s.requests, 1);
    } finally {
      await s.close();
    }
  });

  test('the default timeout ends a hanging request, without retrying it', async () => {
    const s = await rawServer(() => {});
    try {
      const client = new BudgetApiClient({ baseUrl: s.url, timeoutMs: 100, retries: 3 });
      const e = await client.groups().catch((err: unknown) => err);
      assert.ok(UnavailableError.is(e));
      assert.match(e.message, /timeout/i);
      assert.equal(s.requests, 1);
    } finally {
      await s.close();
    }
  });

  test('a schema-invalid body is a BadResponseError with the ajv path', async () => {
    const bad = anApiResult([{ ...aGroupBudget(), budgetMinutes: '20.16' }]);
    const s = await rawServer((_n, _req, res) => json(res, 200, bad));
    try {
      const client = new BudgetApiClient({ baseUrl: s.url });
      const e = await client.groups().catch((err: unknown) => err);
      assert.ok(BadResponseError.is(e));
      assert.match(e.message, /\/data\/0\/budgetMinutes must be number/);
      assert.match(e.message, /\/api\/v1\/groups/);
    } finally {
      await s.close();
    }
  });

  test('a body that is not JSON is a BadResponseError', async () => {
    const s = await rawServer((_n, _req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>proxy login</html>');
    });
    try {
      const e = await new BudgetApiClient({ baseUrl: s.url }).group('x').catch((err: unknown) => err);
      assert.ok(BadResponseError.is(e));
      assert.match(e.message, /not JSON/);
    } finally {
      await s.close();
    }
  });
});
