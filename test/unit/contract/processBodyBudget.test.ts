/**
 * The process-wide budget on backend answers held at once (issue 12; contract/boundedBody.ts):
 * readers past it pause until another lets go, the oldest reader still reading always goes on, an
 * aborted waiter gives its bytes back. Streams are PassThroughs the test writes to, so the order of
 * events is the test's. Budget 100 bytes, per-answer limit 1,000, chunks of 60 bytes.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { processBodyBytes, readBoundedBody, setProcessBodyBudget } from '../../../src/sdk/contract/boundedBody';
import type { BoundedBody } from '../../../src/sdk/contract/boundedBody';

let before = 0;
beforeEach(() => {
  before = setProcessBodyBudget(100);
  processBodyBytes(true);
});
afterEach(() => {
  setProcessBodyBudget(before);
});

const turns = async (n = 5): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

function reader(name: string, signal?: AbortSignal): { stream: PassThrough; body: Promise<BoundedBody>; settled: () => boolean } {
  const stream = new PassThrough();
  let done = false;
  const body = readBoundedBody(stream, { url: `http://stub/${name}`, limitBytes: 1000, ...(signal ? { signal } : {}), abort: () => {} });
  body.then(
    () => (done = true),
    () => (done = true),
  );
  return { stream, body, settled: () => done };
}

const sixty = Buffer.alloc(60, 0x61);

test('past the budget a younger reader waits for an older one; the oldest never waits', async () => {
  const a = reader('a');
  const b = reader('b');
  const c = reader('c');
  b.stream.write(sixty); // held 60
  await turns();
  c.stream.end(sixty); // held 120 > 100: c is not the oldest, it waits with its chunk
  await turns();
  assert.equal(processBodyBytes().held, 120);
  assert.equal(c.settled(), false, 'c waits while over the budget');
  a.stream.end(sixty); // held 180: a is the oldest reader, it goes on and finishes
  const bodyA = await a.body;
  assert.equal(bodyA.bytes.length, 60);
  await turns();
  assert.equal(c.settled(), false, 'still over the budget (a holds its bytes until released), and b is older than c');
  bodyA.release(); // held 120: still over, c still waits for b
  await turns();
  assert.equal(c.settled(), false);
  b.stream.end(); // b finishes: c is now the oldest reader
  const bodyB = await b.body;
  const bodyC = await c.body;
  assert.deepEqual([bodyB.bytes.length, bodyC.bytes.length], [60, 60]);
  // At most: the budget plus a chunk per reader (100 + 60 + ... here 180 with a's oldest chunk).
  assert.equal(processBodyBytes().peak, 180);
  bodyB.release();
  bodyC.release();
  bodyC.release(); // twice is once
  assert.equal(processBodyBytes().held, 0);
});

test('a waiting reader that is aborted gives its bytes back and rejects; the others go on', async () => {
  const a = reader('a');
  const stop = new AbortController();
  const b = reader('b', stop.signal);
  a.stream.write(Buffer.alloc(90));
  await turns();
  b.stream.write(sixty); // held 150 > 100: b waits
  await turns();
  assert.equal(processBodyBytes().held, 150);
  stop.abort(new Error('the caller gave up'));
  await assert.rejects(b.body, /the caller gave up/);
  assert.equal(processBodyBytes().held, 90, "b's 60 bytes went back");
  a.stream.end();
  (await a.body).release();
  assert.equal(processBodyBytes().held, 0);
});

test('an answer over its own limit is refused and gives its bytes back', async () => {
  const a = reader('a');
  for (let i = 0; i < 17; i++) a.stream.write(sixty); // 1,020 > 1,000
  await assert.rejects(a.body, /answered more than 1000 bytes/);
  assert.equal(processBodyBytes().held, 0);
});
