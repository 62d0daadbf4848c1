/**
 * parseJsonInTurn (src/sdk/contract/boundedBody.ts): big backend answers are parsed one at a time, each
 * after a turn of the event loop, so other work (the server's /healthz) runs between two of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARSE_IN_TURN_ABOVE_CHARS, parseJsonInTurn } from '../../../src/sdk/contract/boundedBody';

/** A JSON array just over the threshold: [0,1,2,...]. */
function bigJson(): string {
  const parts: number[] = [];
  let length = 2;
  for (let i = 0; length <= PARSE_IN_TURN_ABOVE_CHARS; i++) {
    parts.push(i);
    length += String(i).length + 1;
  }
  return JSON.stringify(parts);
}

test('small and big answers parse to what JSON.parse gives; bad JSON rejects with SyntaxError', async () => {
  assert.deepEqual(await parseJsonInTurn('{"status":"success","data":[1,2]}'), { status: 'success', data: [1, 2] });
  const big = bigJson();
  assert.ok(big.length > PARSE_IN_TURN_ABOVE_CHARS);
  assert.deepEqual(await parseJsonInTurn(big), JSON.parse(big));
  await assert.rejects(parseJsonInTurn('<html>502</html>'), SyntaxError);
  await assert.rejects(parseJsonInTurn(`${big.slice(0, -1)},]`), SyntaxError);
  // A failed big parse does not block the queue for the next one.
  assert.deepEqual(await parseJsonInTurn(big), JSON.parse(big));
});

test('between two big parses, work queued after the first one runs before the second', async () => {
  const big = bigJson();
  const order: string[] = [];
  const first = parseJsonInTurn(big);
  const second = parseJsonInTurn(big);
  // What an incoming /healthz is to the server: I/O that arrives while the first answer is parsed.
  const io = first.then(() => new Promise<void>((resolve) => setImmediate(() => (order.push('io'), resolve()))));
  await Promise.all([second.then(() => order.push('second')), io]);
  // Parsed back to back (plain JSON.parse), 'second' would come first.
  assert.deepEqual(order, ['io', 'second']);
});
