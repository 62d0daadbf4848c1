import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_ROW_WIDTH, HourlyAggregator } from '../../../src/sdk/store/hourlyAggregator';
import type { AggregateChunk } from '../../../src/sdk/store/hourlyAggregator';

const base = { component: 'rails_request', endpointId: 'A#b', category: 'team_planning', urgency: 'default' } as const;
const ok = { s: 1, w: 1, o: 1, e: 0 } as const;
const error = { s: 0, w: 0, o: 1, e: 1 } as const;

/** Chunk rows as "endpointId hour s/w/o/e" strings, in chunk order. */
function rowsOf(chunk: AggregateChunk): string[] {
  const out: string[] = [];
  for (let i = 0; i < chunk.rows.length; i += CHUNK_ROW_WIDTH) {
    const r = chunk.rows;
    out.push(`${chunk.endpoints[r[i] as number]?.endpointId} ${r[i + 1]} ${r[i + 2]}/${r[i + 3]}/${r[i + 4]}/${r[i + 5]}`);
  }
  return out;
}

describe('HourlyAggregator', () => {
  test('sums per endpoint and hour; a straggler joins its pending hour', () => {
    const agg = new HourlyAggregator();
    agg.add({ ...base, hour: 10, ...ok });
    agg.add({ ...base, hour: 10, ...error });
    agg.add({ ...base, hour: 11, ...ok });
    agg.add({ ...base, hour: 10, ...ok }); // late line for hour 10, still pending
    agg.add({ ...base, endpointId: 'W', component: 'sidekiq_execution', hour: 11, ...error });
    assert.equal(agg.rowCount, 3);
    assert.equal(agg.firstHour, 10);
    assert.equal(agg.lastHour, 11);
    // Hour 10: ok + error + ok = s 2, w 2, o 3, e 1.
    assert.deepEqual(rowsOf(agg.drain()), ['A#b 10 2/2/3/1', 'A#b 11 1/1/1/0', 'W 11 0/0/1/1']);
    assert.equal(agg.rowCount, 0);
  });

  test('drain takes closed hours only; open ones stay and keep counting', () => {
    const agg = new HourlyAggregator();
    for (const hour of [5, 6, 7]) agg.add({ ...base, hour, ...ok });
    assert.deepEqual(rowsOf(agg.drain(7)), ['A#b 5 1/1/1/0', 'A#b 6 1/1/1/0']);
    agg.add({ ...base, hour: 7, ...error });
    agg.add({ ...base, hour: 8, ...ok });
    assert.deepEqual(rowsOf(agg.drain()), ['A#b 7 1/1/2/1', 'A#b 8 1/1/1/0']);
  });

  test('a straggler for an already drained hour becomes a new row of that hour, counted once', () => {
    const agg = new HourlyAggregator();
    agg.add({ ...base, hour: 5, ...ok });
    agg.add({ ...base, hour: 6, ...ok });
    assert.deepEqual(rowsOf(agg.drain(6)), ['A#b 5 1/1/1/0']);
    agg.add({ ...base, hour: 5, ...error }); // hour 5 was written already: a new row adds to it
    agg.add({ ...base, hour: 6, ...ok });
    agg.add({ ...base, hour: 5, ...error });
    assert.deepEqual(rowsOf(agg.drain()), ['A#b 6 2/2/2/0', 'A#b 5 0/0/2/2']);
  });

  test('variants of one endpoint id (another category or urgency) are separate rows', () => {
    const agg = new HourlyAggregator();
    agg.add({ ...base, hour: 1, ...ok });
    agg.add({ ...base, urgency: 'high', hour: 1, ...ok });
    agg.add({ ...base, category: 'code_review', hour: 1, ...ok });
    const chunk = agg.drain();
    assert.deepEqual(chunk.endpoints.map((k) => `${k.category} ${k.urgency}`), ['team_planning default', 'team_planning high', 'code_review default']);
    assert.equal(chunk.rows.length, 3 * CHUNK_ROW_WIDTH);
  });
});
