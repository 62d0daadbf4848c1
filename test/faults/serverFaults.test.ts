/**
 * The fault suite (issue 12 item 8): the Budget API server in front of a Prometheus that misbehaves
 * in every way a real one (or the proxy in front of it) does — garbage, an HTML 500, a 503, an
 * answer that never comes, NaN samples, a 50 MiB answer — and in front of clients that never finish their request.
 * For each: a clear answer naming the backend URL and what failed (never a 500 of our own, never
 * a hang), /healthz answering meanwhile, and the server serving again once the backend recovers.
 *
 * The stub is a plain HTTP server (the behaviour under test is the backend's, so a fake backend is
 * the right part to fake); the Budget API server, the Prometheus source and the client are real.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { loadCatalog } from '../../src/sdk/catalog/catalogParser';
import { BudgetServer } from '../../src/sdk/server/budgetServer';
import { BudgetService } from '../../src/sdk/service/budgetService';
import { createPrometheusSource } from '../../src/sdk/sources/prometheusSource';
import { drainOrClose } from '../support/drain';

const REPO = resolve(__dirname, '../..');
type Mode = 'ok' | 'garbage' | 'html500' | '503' | 'hang' | 'nan' | 'huge';

let mode: Mode = 'ok';
let stub: Server;
let stubUrl = '';
let server: BudgetServer;
let base = '';
const hung: Array<() => void> = [];

/** A Prometheus query answer: one vector sample per query, or NaN in `nan` mode. */
function vector(value: string): string {
  return JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1733400000, value] }] } });
}

before(async () => {
  stub = createServer((req, res) => {
    req.resume();
    switch (mode) {
      case 'ok':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(vector('0'));
        return;
      case 'nan':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(vector('NaN'));
        return;
      case 'garbage':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"success","data":{"resultType":"vec');
        return;
      case 'html500':
        res.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body><h1>Internal Server Error</h1></body></html>');
        return;
      case '503':
        res.writeHead(503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'too many queries' }));
        return;
      case 'hang':
        hung.push(() => res.destroy());
        return;
      case 'huge': {
        // 50 MiB of one never-ending JSON string, streamed without a Content-Length, until the client hangs up.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const chunk = Buffer.alloc(1 << 20, 0x61);
        res.write('{"status":"success","data":{"resultType":"vector","result":[],"pad":"');
        void (async () => {
          for (let sent = 0; sent < 50 && !res.destroyed; sent++) if (!res.write(chunk)) await drainOrClose(res);
          if (!res.destroyed) res.end('"}}');
        })();
        return;
      }
    }
  });
  await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  const catalog = await loadCatalog({ stagesPath: join(REPO, 'catalog', 'gitlab', 'stages.yml') });
  const source = createPrometheusSource({ url: stubUrl, catalog, timeoutMs: 1500 });
  server = new BudgetServer({ api: new BudgetService(source, catalog), sourceKind: 'prometheus', log: () => {}, onClose: () => source.close() });
  base = await server.listen(0);
});

after(async () => {
  for (const end of hung) end();
  await server.close();
  stub.closeAllConnections();
  await new Promise<void>((r) => stub.close(() => r()));
});

/** GET a path: status, body, and how long it took. */
async function get(path: string): Promise<{ status: number; body: { error?: { code: string; message: string } } & Record<string, unknown>; ms: number }> {
  const t0 = Date.now();
  const res = await fetch(base + path);
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    assert.fail(`${path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body, ms: Date.now() - t0 };
}

// Every request asks for a fresh evaluation time, so no answer comes from the server's cache.
let minute = 0;
const groupPath = (): string => `/api/v1/groups/project_management?at=${new Date(Date.UTC(2024, 11, 1) + ++minute * 60_000).toISOString()}`;

const cases: Array<{ mode: Mode; status: number; code: string; says: RegExp }> = [
  { mode: 'garbage', status: 502, code: 'backend_error', says: /JSON|bad_response|parse/i },
  { mode: 'html500', status: 503, code: 'backend_unavailable', says: /500/ },
  { mode: '503', status: 503, code: 'backend_unavailable', says: /503|too many queries/ },
  { mode: 'hang', status: 503, code: '', says: /1500 ms|did not answer|timed? ?out/i },
  // 50 MiB against the default limit of 8 MiB (8,388,608 bytes) on one backend answer.
  { mode: 'huge', status: 502, code: 'backend_too_large', says: /more than 8388608 bytes \(the limit on one backend answer\)/ },
];

for (const c of cases) {
  test(`a backend answering ${c.mode}: ${c.status}, naming the backend and what failed; /healthz answers meanwhile; the next good answer is served`, async () => {
    mode = c.mode;
    const pending = get(groupPath());
    const health = await get('/api/v1/healthz');
    assert.equal(health.status, 200);
    assert.ok(health.ms < 1000, `/healthz took ${health.ms} ms while the backend was ${c.mode}`);
    const r = await pending;
    assert.equal(r.status, c.status, JSON.stringify(r.body));
    if (c.code) assert.equal(r.body.error?.code, c.code);
    const message = r.body.error?.message ?? '';
    assert.match(message, c.says);
    // The backend's URL, so an operator knows which server failed (the timeout names the deadline instead).
    if (c.mode !== 'hang') assert.ok(message.includes(stubUrl), message);
    assert.ok(r.ms < 10_000, `the error took ${r.ms} ms`);
    mode = 'ok';
    assert.equal((await get(groupPath())).status, 200);
  });
}

test('NaN samples are not served as figures: the answer carries a warning, never NaN', async () => {
  mode = 'nan';
  const r = await get(groupPath());
  mode = 'ok';
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // The figures hold no NaN (JSON has none: it would be null or a string), and meta says what was dropped.
  assert.doesNotMatch(JSON.stringify(r.body.data), /NaN/);
  const warnings = (r.body.meta as { warnings?: string[] }).warnings ?? [];
  assert.ok(warnings.length > 0 && warnings.every((w) => /dropped a NaN sample .*\(bad data, not a count\)/.test(w)), warnings.join('\n'));
  assert.equal((r.body.data as { status: string }).status, 'no_data');
});

test('200 clients that never finish their request do not starve /healthz, and the server keeps serving', async () => {
  const port = Number(new URL(base).port);
  const sockets: Socket[] = [];
  for (let i = 0; i < 200; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.write('GET /api/v1/groups HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    sockets.push(s);
  }
  try {
    await new Promise((r) => setTimeout(r, 300));
    const health = await get('/api/v1/healthz');
    assert.equal(health.status, 200);
    assert.ok(health.ms < 1000, `/healthz took ${health.ms} ms with 200 slow clients`);
    assert.equal((await get(groupPath())).status, 200);
  } finally {
    for (const s of sockets) s.destroy();
  }
});
