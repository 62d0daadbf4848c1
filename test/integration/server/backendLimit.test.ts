/**
 * Bounded backend answers (issue 12, item 2): every answer a backend sends is read as a stream and
 * counted; past the byte limit the request is aborted and the caller gets an error naming the
 * limit and the URL (the Budget API server: 502 backend_too_large). A Content-Length over the
 * limit is refused before a byte of the body is read, and a small compressed answer that inflates
 * past the limit is counted after inflating. /healthz answers while a huge answer is arriving.
 *
 * The backends are stub node:http servers (the behaviour under test is a backend's answer size);
 * the Prometheus client and source, the Budget API server and BudgetApiClient are the real code.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { startServe } from '../../../src/cli/commands/serve';
import { UsageError } from '../../../src/cli/io';
import { loadCatalog } from '../../../src/sdk/catalog/catalogParser';
import { BudgetApiClient } from '../../../src/sdk/client/budgetApiClient';
import { BudgetApiError } from '../../../src/sdk/client/clientErrors';
import { BudgetServer } from '../../../src/sdk/server/budgetServer';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import { PrometheusClient, PrometheusError } from '../../../src/sdk/sources/prometheusClient';
import { createPrometheusSource } from '../../../src/sdk/sources/prometheusSource';
import { drainOrClose } from '../../support/drain';

const REPO = resolve(__dirname, '../../..');
/** The limit the tests set: 1 MiB = 1,048,576 bytes. */
const LIMIT = 1024 * 1024;
/** The oversized answer: 50 MiB = 52,428,800 bytes, fifty times the limit. */
const BIG = 50 * 1024 * 1024;

/** One vector sample, 85 bytes: `{"metric":{"feature_category":"team_planning","n":"000001"},"value":[1733400000,"1"]}`. */
function sample(i: number): string {
  return `{"metric":{"feature_category":"team_planning","n":"${String(i).padStart(6, '0')}"},"value":[1733400000,"1"]}`;
}
const HEAD = '{"status":"success","data":{"resultType":"vector","result":[';
const TAIL = ']}}';

/** A valid Prometheus vector answer of at least `bytes` bytes, as ~64 KiB strings. */
function* bigAnswer(bytes: number): Generator<string> {
  yield HEAD;
  let sent = HEAD.length;
  let i = 0;
  while (sent < bytes) {
    const parts: string[] = [];
    let size = 0;
    while (size < 64 * 1024) {
      const s = (i === 0 ? '' : ',') + sample(i++);
      parts.push(s);
      size += s.length;
    }
    const chunk = parts.join('');
    sent += chunk.length;
    yield chunk;
  }
  yield TAIL;
}

/** Streams the generator with back-pressure; stops when the client goes away. Returns the bytes written. */
async function stream(res: ServerResponse, chunks: Iterable<string>): Promise<number> {
  let written = 0;
  for (const chunk of chunks) {
    if (res.destroyed) break;
    written += chunk.length;
    if (!res.write(chunk)) {
      await drainOrClose(res);
    }
  }
  if (!res.destroyed) res.end();
  return written;
}

type Mode = 'small' | 'big' | 'declared' | 'gzip';

describe('bounded backend answers', () => {
  let mode: Mode = 'small';
  let stub: Server;
  let stubUrl = '';
  /** Bytes the stub wrote per request (only meaningful for `big`). */
  const written: number[] = [];
  let gzipped: Buffer;
  let server: BudgetServer;
  let base = '';

  before(async () => {
    // The gzip bomb: ~50 MiB of JSON that compresses to a few hundred KiB (honest Content-Length of the compressed bytes).
    // ceil(52,428,800 / 86) = 609,638 copies of one 85-byte sample and its comma = 52,428,868 bytes ≈ 50 MiB.
    const copies = Math.ceil(BIG / 86);
    gzipped = gzipSync(Buffer.from(HEAD + new Array<string>(copies).fill(sample(0)).join(',') + TAIL));
    stub = createServer((req, res) => {
      req.resume();
      switch (mode) {
        case 'small':
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(HEAD + sample(0) + TAIL);
          return;
        case 'big':
          res.writeHead(200, { 'Content-Type': 'application/json' });
          void stream(res, bigAnswer(BIG)).then((n) => written.push(n));
          return;
        case 'declared':
          // Declares 50 MiB, sends 8 bytes, then waits: only the header can tell the client to stop.
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(BIG) });
          res.write('{"status');
          return;
        case 'gzip':
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(gzipped.length) }).end(gzipped);
          return;
      }
    });
    await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
    stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
    const catalog = await loadCatalog({ stagesPath: join(REPO, 'catalog', 'gitlab', 'stages.yml') });
    const source = createPrometheusSource({ url: stubUrl, catalog, timeoutMs: 5000, maxResponseBytes: LIMIT });
    server = new BudgetServer({ api: new BudgetService(source, catalog), sourceKind: 'prometheus', log: () => {}, onClose: () => source.close() });
    base = await server.listen(0);
  });

  after(async () => {
    await server.close();
    stub.closeAllConnections();
    await new Promise<void>((r) => stub.close(() => r()));
  });

  const at = new Date('2024-12-01T00:00:00Z');

  function assertTooLarge(e: unknown): true {
    assert.ok(PrometheusError.is(e), String(e));
    assert.equal(e.kind, 'too_large', e.message);
    assert.equal(e.url, `${stubUrl}/api/v1/query`);
    assert.equal(e.details.limitBytes, LIMIT);
    assert.match(e.message, /1048576 bytes/);
    assert.ok(e.message.includes(`${stubUrl}/api/v1/query`), e.message);
    return true;
  }

  test('a 50 MiB streamed answer: rejected with the limit error, the request aborted after ~the limit', async () => {
    mode = 'big';
    written.length = 0;
    const client = new PrometheusClient({ url: stubUrl, timeoutMs: 10_000, maxResponseBytes: LIMIT });
    await assert.rejects(client.query('up', at), assertTooLarge);
    // The stub notices the closed socket after its next write; wait for it to report.
    for (let i = 0; i < 100 && written.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(written.length, 1);
    // The stub writes with back-pressure, so it wrote what the client read (<= 1 MiB + one 64 KiB
    // chunk) plus what the loopback socket buffers hold (a few MiB); 16 MiB is far above that and
    // far below the 50 MiB answer.
    assert.ok(written[0]! < 16 * 1024 * 1024, `the stub wrote ${written[0]} bytes before the client hung up`);
  });

  test('a Content-Length over the limit is refused up front, without waiting for the body', async () => {
    mode = 'declared';
    const client = new PrometheusClient({ url: stubUrl, timeoutMs: 10_000, maxResponseBytes: LIMIT });
    const t0 = Date.now();
    await assert.rejects(client.query('up', at), (e: unknown) => {
      assertTooLarge(e);
      assert.match((e as Error).message, /Content-Length 52428800/);
      return true;
    });
    // The stub never sends the body: only the header check can answer before the 10 s timeout.
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  });

  test('a small gzip answer that inflates to 50 MiB is counted after inflating and refused', async () => {
    mode = 'gzip';
    assert.ok(gzipped.length < LIMIT, `the compressed answer is ${gzipped.length} bytes`);
    const client = new PrometheusClient({ url: stubUrl, timeoutMs: 10_000, maxResponseBytes: LIMIT });
    await assert.rejects(client.query('up', at), assertTooLarge);
  });

  test('an answer under the limit is served as before', async () => {
    mode = 'small';
    const client = new PrometheusClient({ url: stubUrl, maxResponseBytes: LIMIT });
    const r = await client.query('up', at);
    assert.deepEqual(r.result, [{ labels: { feature_category: 'team_planning', n: '000000' }, value: 1 }]);
  });

  test('the Budget API server answers 502 backend_too_large naming the limit and the URL; /healthz answers meanwhile', async () => {
    mode = 'big';
    const t0 = Date.now();
    const pending = fetch(`${base}/api/v1/groups/project_management?at=${at.toISOString()}`);
    // Ask /healthz while the big answers are arriving.
    await new Promise((r) => setTimeout(r, 50));
    const h0 = Date.now();
    const health = await fetch(`${base}/api/v1/healthz`);
    const healthMs = Date.now() - h0;
    assert.equal(health.status, 200);
    assert.ok(healthMs < 1000, `/healthz took ${healthMs} ms while a 50 MiB backend answer was arriving`);
    const res = await pending;
    const body = (await res.json()) as { error?: { code: string; message: string } };
    assert.equal(res.status, 502, JSON.stringify(body));
    assert.equal(body.error?.code, 'backend_too_large');
    assert.match(body.error?.message ?? '', /1048576 bytes/);
    assert.ok(body.error?.message.includes(stubUrl), body.error?.message);
    assert.ok(Date.now() - t0 < 5000, `the 502 took ${Date.now() - t0} ms`);
    mode = 'small';
  });

  test('budget-lens serve --max-backend-bytes sets the limit (and refuses a value that is not a byte count)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bl-limit-'));
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), cwd, env: {} };
    try {
      await assert.rejects(startServe(['--prometheus', stubUrl, '--max-backend-bytes', '1MB'], io), (e: unknown) => {
        assert.ok(e instanceof UsageError);
        assert.match(e.message, /--max-backend-bytes: .*'1MB'/);
        return true;
      });
      const running = await startServe(['--prometheus', stubUrl, '--port', '0', '--max-backend-bytes', String(LIMIT)], io);
      assert.ok(running);
      try {
        mode = 'big';
        const res = await fetch(`${running.url}/api/v1/groups/project_management?at=${at.toISOString()}`);
        const body = (await res.json()) as { error?: { code: string; message: string } };
        assert.equal(res.status, 502, JSON.stringify(body));
        assert.equal(body.error?.code, 'backend_too_large');
        assert.match(body.error?.message ?? '', /1048576 bytes/);
      } finally {
        mode = 'small';
        await running.server.close();
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('the OpenAPI document lists backend_too_large under 502', async () => {
    const doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as { paths: Record<string, { get: { responses: Record<string, { description: string }> } }> };
    assert.match(doc.paths['/api/v1/groups']!.get.responses['502']!.description, /backend_too_large/);
  });

  test('BudgetApiClient: a 50 MiB answer is refused after the limit, naming it and the URL, not retried', async () => {
    let requests = 0;
    const api = createServer((req, res) => {
      requests++;
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      void stream(res, bigAnswer(BIG));
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    try {
      const client = new BudgetApiClient({ baseUrl: apiUrl, retryBaseDelayMs: 5, maxResponseBytes: LIMIT });
      await assert.rejects(client.groups(), (e: unknown) => {
        assert.ok(BudgetApiError.is(e), String(e));
        assert.equal(e.name, 'ResponseTooLargeError');
        assert.match(e.message, /1048576 bytes/);
        assert.ok(e.message.includes(`${apiUrl}/api/v1/groups`), e.message);
        return true;
      });
      assert.equal(requests, 1, 'an answer over the limit is not retried');
    } finally {
      api.closeAllConnections();
      await new Promise<void>((r) => api.close(() => r()));
    }
  });
});
