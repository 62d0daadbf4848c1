import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { aggregateLogFile } from '../../../src/sdk/store/logIngest';
import type { AggregateChunk } from '../../../src/sdk/store/hourlyAggregator';
import { CHUNK_ROW_WIDTH } from '../../../src/sdk/store/hourlyAggregator';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bl-writer-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every aggregate row of the store, sorted, so two stores compare with one deepEqual. */
function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    const q = (sql: string) => db.prepare(sql).all();
    return {
      hourly_endpoint: q(
        'SELECT en.endpoint_id, en.component, en.category, en.urgency, h.hour, h.s, h.w, h.o, h.e FROM hourly_endpoint h JOIN endpoints en ON en.id = h.endpoint ORDER BY 1, 2, 3, 4, 5',
      ),
      daily_endpoint: q(
        'SELECT en.endpoint_id, en.component, en.category, en.urgency, d.day, d.s, d.w, d.o, d.e FROM daily_endpoint d JOIN endpoints en ON en.id = d.endpoint ORDER BY 1, 2, 3, 4, 5',
      ),
      hourly_category: q('SELECT * FROM hourly_category ORDER BY category, hour, component'),
      daily_category: q('SELECT * FROM daily_category ORDER BY category, day, component'),
      files: q('SELECT sha256, name, lines, accepted, ignored, malformed, first_hour, last_hour FROM ingested_files ORDER BY sha256'),
    };
  } finally {
    db.close();
  }
}

/**
 * 80,000 request lines over 30 hours in time order, plus every 1,000th line a straggler stamped
 * 5 hours earlier: with a drain every 32,768 events, stragglers land in hours already written.
 */
function logWithStragglers(): string {
  const base = Date.UTC(2024, 2, 1, 12);
  const lines: string[] = [];
  for (let i = 0; i < 80_000; i++) {
    const hourOffset = Math.floor((i / 80_000) * 30) - (i % 1000 === 999 ? 5 : 0);
    const t = new Date(base + hourOffset * 3_600_000 + (i % 3600) * 1000).toISOString();
    lines.push(
      JSON.stringify({
        time: t,
        status: i % 97 === 0 ? 502 : 200,
        duration_s: (i % 13) / 10,
        'meta.caller_id': `C${i % 37}#show`,
        'meta.feature_category': `cat_${i % 5}`,
        request_urgency: i % 2 ? 'high' : 'default',
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('store writer: worker thread vs calling thread', () => {
  test('the same files give byte-for-byte the same aggregates in both modes', async () => {
    const f = join(dir, 'stragglers.log');
    writeFileSync(f, logWithStragglers());
    const g = join(dir, 'second.log');
    writeFileSync(g, logWithStragglers().replace(/"cat_0"/g, '"cat_9"'));
    const threaded = await ingestFiles(join(dir, 'thread.db'), [f, g], { writer: 'thread' });
    const main = await ingestFiles(join(dir, 'main.db'), [f, g], { writer: 'main' });
    assert.equal(threaded.writer, 'thread');
    assert.equal(main.writer, 'main');
    assert.deepEqual(
      threaded.files.map((r) => r.status),
      ['ingested', 'ingested'],
    );
    assert.deepEqual(
      threaded.files.map((r) => r.accepted),
      main.files.map((r) => r.accepted),
    );
    const a = dump(join(dir, 'thread.db'));
    assert.deepEqual(a, dump(join(dir, 'main.db')));
    // 2 files x 80,000 operations; every 97th line is a 502 (825 per file: i = 0, 97, ..., 79,928).
    const totals = (a['hourly_category'] as Array<{ o: number; e: number }>).reduce((t, r) => ({ o: t.o + r.o, e: t.e + r.e }), { o: 0, e: 0 });
    assert.deepEqual(totals, { o: 160_000, e: 1_650 });
  });

  test('draining closed hours while parsing loses and duplicates nothing, stragglers included', async () => {
    const f = join(dir, 'drain.log');
    writeFileSync(f, logWithStragglers());
    const whole = await aggregateLogFile(f, { maxListed: 10 });
    const chunks: AggregateChunk[] = [];
    const streamed = await aggregateLogFile(f, { maxListed: 10, onChunk: (c) => chunks.push(c) });
    chunks.push(streamed.agg.drain());
    // 80,000 events, a drain every 32,768: two mid-file chunks plus the final one.
    assert.equal(chunks.length, 3);
    const sum = new Map<string, number[]>();
    for (const c of chunks) {
      for (let i = 0; i < c.rows.length; i += CHUNK_ROW_WIDTH) {
        const key = `${JSON.stringify(c.endpoints[c.rows[i] as number])}@${c.rows[i + 1]}`;
        const prev = sum.get(key) ?? [0, 0, 0, 0];
        sum.set(key, prev.map((v, k) => v + (c.rows[i + 2 + k] as number)));
      }
    }
    const expected = new Map<string, number[]>();
    const all = whole.agg.drain();
    for (let i = 0; i < all.rows.length; i += CHUNK_ROW_WIDTH) {
      expected.set(`${JSON.stringify(all.endpoints[all.rows[i] as number])}@${all.rows[i + 1]}`, Array.from(all.rows.subarray(i + 2, i + 6)));
    }
    assert.deepEqual(new Map([...sum].sort()), new Map([...expected].sort()));
    // Stragglers made some hour appear in two chunks (written twice, added up).
    const keysPerChunk = chunks.map((c) => {
      const s = new Set<string>();
      for (let i = 0; i < c.rows.length; i += CHUNK_ROW_WIDTH) s.add(`${JSON.stringify(c.endpoints[c.rows[i] as number])}@${c.rows[i + 1]}`);
      return s;
    });
    const repeated = [...(keysPerChunk[1] ?? [])].filter((k) => keysPerChunk[0]?.has(k));
    assert.ok(repeated.length > 0, 'expected a straggler row in two chunks');
  });

  test('a big duplicate (hashed on a thread, possibly stopped early) reports the first ingest', async () => {
    const f = join(dir, 'big.log');
    // ~12 MB: above the 8 MiB threshold for hashing on a worker thread.
    writeFileSync(f, logWithStragglers());
    const store = join(dir, 'dup.db');
    const first = await ingestFiles(store, [f]);
    assert.equal(first.files[0]?.status, 'ingested');
    const before = dump(store);
    const again = await ingestFiles(store, [f]);
    const r = again.files[0];
    assert.equal(r?.status, 'duplicate');
    assert.equal(r?.previous?.name, 'big.log');
    assert.equal(r?.lines, 80_000);
    assert.equal(r?.accepted, 80_000);
    assert.equal(r?.rowsWritten, 0);
    assert.deepEqual(dump(store), before);
  });
});
