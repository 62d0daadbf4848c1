import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAggregate } from '../../../src/sdk/store/aggregateWriter';
import { HourlyAggregator } from '../../../src/sdk/store/hourlyAggregator';
import { openStoreDatabase } from '../../../src/sdk/store/storeSchema';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bl-aggwriter-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const HOUR0 = 474_000; // an epoch hour at a UTC day boundary (474,000 / 24 = 19,750)

/** `rows` distinct (endpoint, hour) rows: endpoint E(i % 3) in cat_(i % 2), so six endpoint variants (i % 6); hour HOUR0 + i; each row s1 w1 o2 e1. */
function aggregate(rows: number): HourlyAggregator {
  const agg = new HourlyAggregator();
  for (let i = 0; i < rows; i++) {
    const ev = { component: 'rails_request', endpointId: `E${i % 3}#a`, category: `cat_${i % 2}`, urgency: 'default', hour: HOUR0 + i } as const;
    agg.add({ ...ev, s: 1, w: 1, o: 1, e: 0 });
    agg.add({ ...ev, s: 0, w: 0, o: 1, e: 1 });
  }
  return agg;
}

describe('writeFileAggregate batching', () => {
  // Statement sizes are 512, 64, 8 and 1 rows: counts around each size, and one that uses all.
  for (const rows of [1, 7, 8, 9, 63, 64, 65, 511, 512, 513, 512 + 64 + 8 + 1 + 7]) {
    test(`${rows} rows land exactly once`, () => {
      const db = openStoreDatabase(join(dir, `rows-${rows}.db`));
      try {
        const file = { sha256: `sha-${rows}`, name: 'f.log', size: 1, gzip: false, lines: 2 * rows, accepted: 2 * rows, ignored: 0, malformed: 0 };
        const outcome = writeFileAggregate(db, aggregate(rows), file, new Date('2024-03-05T00:00:00Z'));
        // hourly_endpoint: one row per (endpoint, hour) = rows. hourly_category: (category, hour,
        // component) with one endpoint per hour = rows. Daily tables: per endpoint variant (i % 6) or category (i % 2) and day.
        const days = (key: number): number => new Set(Array.from({ length: rows }, (_, i) => `${i % key} ${Math.floor((HOUR0 + i) / 24)}`)).size;
        // Written directly (no source): sourceId null.
        assert.deepEqual(outcome, { kind: 'written', rows: rows + rows + days(6) + days(2), sourceId: null });
        for (const table of ['hourly_endpoint', 'daily_endpoint', 'hourly_category', 'daily_category']) {
          const sums = db.prepare(`SELECT SUM(s) AS s, SUM(w) AS w, SUM(o) AS o, SUM(e) AS e FROM ${table}`).get();
          assert.deepEqual(sums, { s: rows, w: rows, o: 2 * rows, e: rows }, table);
        }
        const hourly = db.prepare('SELECT COUNT(*) AS n, MIN(o) AS lo, MAX(o) AS hi FROM hourly_endpoint').get();
        assert.deepEqual(hourly, { n: rows, lo: 2, hi: 2 });
      } finally {
        db.close();
      }
    });
  }
});
