/**
 * How the Prometheus source fails, against loopback servers that misbehave on purpose: one that
 * accepts connections and never answers, and an HTTP server whose answers each test sets (401,
 * 503, partial responses with warnings, NaN/Inf samples, non-JSON). The servers are stand-ins for
 * a broken backend; the source and its client are the real code under test.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WINDOW_28D } from '../../../src/sdk/budget/window';
import { PrometheusError } from '../../../src/sdk/sources/prometheusClient';
import { createPrometheusSource } from '../../../src/sdk/sources/prometheusSource';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

function vector(samples: Array<{ metric: Record<string, string>; value: string }>, warnings?: string[]): string {
  return JSON.stringify({
    status: 'success',
    data: { resultType: 'vector', result: samples.map((s) => ({ metric: s.metric, value: [1780272000, s.value] })) },
    ...(warnings ? { warnings } : {}),
  });
}

const at = new Date('2026-06-01T00:00:00Z');

describe('Prometheus source failure modes', () => {
  let http: Server;
  let httpUrl: string;
  let handler: Handler = (_req, _body, res) => res.end();
  const seen: Array<{ url: string; auth: string | undefined; body: string }> = [];
  let silent: NetServer;
  let silentUrl: string;
  const sockets: Socket[] = [];

  before(async () => {
    http = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
        handler(req, body, res);
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    // Accepts the connection, reads the request, never writes a byte back.
    silent = createNetServer((s) => {
      sockets.push(s);
      s.on('data', () => undefined);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
    await new Promise((r) => http.close(r));
  });

  test('a server that never answers times out fast with a typed error naming the URL', async () => {
    const source = createPrometheusSource({ url: silentUrl, timeoutMs: 300 });
    const t0 = Date.now();
    await assert.rejects(source.groupCounts({ window: WINDOW_28D, at }), (e: unknown) => {
      assert.ok(PrometheusError.is(e), String(e));
      assert.equal(e.kind, 'timeout');
      assert.equal(e.url, `${silentUrl}/api/v1/query`);
      assert.match(e.message, /did not answer within 300 ms/);
      return true;
    });
    const elapsed = Date.now() - t0;
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
  });

  test('a caller abort cancels the request and says so (not a timeout)', async () => {
    const source = createPrometheusSource({ url: silentUrl, timeoutMs: 10_000 });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    await assert.rejects(source.categoryCounts({ window: WINDOW_28D, at, signal: ctl.signal }), (e: unknown) => {
      assert.ok(PrometheusError.is(e));
      assert.equal(e.kind, 'aborted');
      return true;
    });
  });

  test('401 and 503 become typed HTTP errors with URL and status; auth headers are sent', async () => {
    handler = (_req, _body, res) => {
      res.statusCode = 401;
      res.end('unauthorized');
    };
    const source = createPrometheusSource({ url: httpUrl + '/', headers: { Authorization: 'Bearer t0ken' } });
    await assert.rejects(source.groupCounts({ window: WINDOW_28D, at }), (e: unknown) => {
      assert.ok(PrometheusError.is(e));
      assert.equal(e.kind, 'http');
      assert.equal(e.details.status, 401);
      assert.equal(e.url, `${httpUrl}/api/v1/query`);
      assert.match(e.message, /HTTP 401 \(check the auth headers\)/);
      return true;
    });
    assert.equal(seen.at(-1)?.auth, 'Bearer t0ken');
    handler = (_req, _body, res) => {
      res.statusCode = 503;
      res.end('<html>Service Unavailable</html>');
    };
    await assert.rejects(source.groupCounts({ window: WINDOW_28D, at }), (e: unknown) => PrometheusError.is(e) && e.kind === 'http' && e.details.status === 503);
  });

  test('status:error in a 5xx body keeps the Prometheus errorType and message', async () => {
    handler = (_req, _body, res) => {
      res.statusCode = 503;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }));
    };
    const source = createPrometheusSource({ url: httpUrl });
    await assert.rejects(source.groupCounts({ window: WINDOW_28D, at }), (e: unknown) => {
      assert.ok(PrometheusError.is(e));
      assert.equal(e.kind, 'query');
      assert.equal(e.details.errorType, 'timeout');
      assert.equal(e.details.status, 503);
      assert.match(e.message, /timeout: query timed out in expression evaluation/);
      return true;
    });
  });

  test('a 200 that is not Prometheus JSON is a bad_response, not a crash', async () => {
    handler = (_req, _body, res) => res.end('<html>login page</html>');
    const source = createPrometheusSource({ url: httpUrl });
    await assert.rejects(source.groupCounts({ window: WINDOW_28D, at }), (e: unknown) => PrometheusError.is(e) && e.kind === 'bad_response');
  });

  test('an unreachable server is a network error naming the URL', async () => {
    const source = createPrometheusSource({ url: 'http://127.0.0.1:1', timeoutMs: 2000 });
    await assert.rejects(source.groupCounts({ window: WINDOW_28D, at }), (e: unknown) => {
      assert.ok(PrometheusError.is(e));
      assert.equal(e.kind, 'network');
      assert.match(e.message, /cannot reach http:\/\/127\.0\.0\.1:1\/api\/v1\/query/);
      return true;
    });
  });

  test('one refresh is a bounded number of queries, whatever the number of groups', async () => {
    handler = (req, _body, res) => {
      res.setHeader('content-type', 'application/json');
      const resultType = req.url === '/api/v1/query_range' ? 'matrix' : 'vector';
      res.end(JSON.stringify({ status: 'success', data: { resultType, result: [] } }));
    };
    const source = createPrometheusSource({ url: httpUrl });
    const groups = Array.from({ length: 80 }, (_, i) => `group_${i}`);
    // Let requests of earlier tests that were still in flight land first.
    await new Promise((r) => setTimeout(r, 200));
    const count = async (call: () => Promise<unknown>): Promise<number> => {
      const before = seen.length;
      await call();
      return seen.length - before;
    };
    assert.equal(await count(() => source.groupCounts({ window: WINDOW_28D, at, groups })), 4);
    assert.equal(await count(() => source.categoryCounts({ window: WINDOW_28D, at })), 4);
    assert.equal(await count(() => source.endpointCounts({ window: WINDOW_28D, at, scope: { group: 'source_code' } })), 4);
    // Midnight-aligned: one range query per kind. Unaligned: plus the two clipped days per kind.
    assert.equal(await count(() => source.dailyCounts({ window: WINDOW_28D, at, scope: { group: 'source_code' } })), 4);
    const unaligned = new Date(at.getTime() - 6 * 3_600_000);
    assert.equal(await count(() => source.dailyCounts({ window: WINDOW_28D, at: unaligned, scope: { group: 'source_code' } })), 12);
    const res = await source.dailyCounts({ window: WINDOW_28D, at: unaligned, scope: { group: 'source_code' } });
    assert.equal(res.data.length, 29);
    assert.ok(res.data.every((d) => d.components.length === 0), 'days without data are listed with no counts');
  });

  test('the first failing query of a refresh cancels its siblings', async () => {
    let closedUnanswered = 0;
    handler = (_req, body, res) => {
      if ((new URLSearchParams(body).get('query') ?? '').includes(':error:')) {
        res.statusCode = 503;
        res.end('overloaded');
        return;
      }
      // Never answer the others; count the ones the client gives up on.
      res.on('close', () => {
        if (!res.writableEnded) closedUnanswered++;
      });
    };
    const source = createPrometheusSource({ url: httpUrl, timeoutMs: 20_000 });
    const t0 = Date.now();
    await assert.rejects(source.groupCounts({ window: WINDOW_28D, at }), (e: unknown) => PrometheusError.is(e) && e.kind === 'http' && e.details.status === 503);
    assert.ok(Date.now() - t0 < 2000);
    const deadline = Date.now() + 2000;
    while (closedUnanswered < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(closedUnanswered, 3);
  });

  test('NaN/Inf samples are dropped as bad data with a warning; partial-response warnings reach meta', async () => {
    handler = (_req, body, res) => {
      const q = new URLSearchParams(body).get('query') ?? '';
      res.setHeader('content-type', 'application/json');
      const g = { stage_group: 'source_code', component: 'rails_request' };
      if (q.includes('apdex:success')) res.end(vector([{ metric: g, value: 'NaN' }], ['store 2 of 3 unreachable: partial response']));
      else if (q.includes('apdex:weight')) res.end(vector([{ metric: g, value: '+Inf' }]));
      else if (q.includes(':ops:')) res.end(vector([{ metric: g, value: '1000' }]));
      else res.end(vector([{ metric: g, value: '4' }]));
    };
    const source = createPrometheusSource({ url: httpUrl });
    const res = await source.groupCounts({ window: WINDOW_28D, at, groups: ['source_code'] });
    assert.deepEqual(res.data, [
      { group: 'source_code', components: [{ component: 'rails_request', counts: { apdexSuccess: 0, apdexWeight: 0, ops: 1000, errors: 4 }, hasErrorSli: true }] },
    ]);
    const warnings = res.meta.warnings ?? [];
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.ok(warnings.some((w) => w === 'server warning: store 2 of 3 unreachable: partial response'));
    assert.ok(warnings.some((w) => w.startsWith('dropped a NaN sample {stage_group="source_code",component="rails_request"}')));
    assert.ok(warnings.some((w) => w.startsWith('dropped a +Inf sample')));
    // Form-encoded POST with the evaluation time in unix seconds.
    const sent = new URLSearchParams(seen.at(-1)!.body);
    assert.equal(sent.get('time'), '1780272000.000');
    // The default 30 s client timeout is passed on so the server gives up too.
    assert.equal(sent.get('timeout'), '30s');
    assert.equal(seen.at(-1)!.url, '/api/v1/query');
  });
});
