/**
 * Issue 12, defect 4, as a sweep: flipped bits in the stored counts must never be served as
 * figures. The report found 12 of 20 targeted flips served with 200 (and `quick_check` ok); the
 * row checksums (schema 3, storeSchema.ts) are meant to make that 0.
 *
 * A real store is written by a real ingest; then every count (s, w, o, e) of every row of the four
 * aggregate tables is damaged in the file, one flip at a time: a bit of each of its value bytes,
 * or, for the counts 0 and 1 (which SQLite stores in the record header, as serial types 8 and 9,
 * with no value byte), that serial type. After each flip StoreSource reads every window and scope
 * that touches the rows; each read must either be refused (an error) or return exactly what the
 * undamaged store returned. A read that returns anything else is a wrong figure served.
 *
 * The record layout parsed here is SQLite's file format (https://sqlite.org/fileformat2.html):
 * each table is one leaf page (the store is small), cells are records of
 * [header size, serial types..., values...], WITHOUT ROWID tables store their primary key columns
 * first, then the others in declaration order (s, w, o, e, then schema 3's ck).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ingestFiles } from '../../src/sdk/store/logIngest';
import { openStoreSource } from '../../src/sdk/store/storeSource';
import { fakeCatalog } from '../unit/store/fakeCatalog';

const catalog = fakeCatalog({ project_management: ['wiki', 'team_planning'] });

function req(time: number, caller: string, category: string, status: number, duration: number): string {
  return JSON.stringify({ time: new Date(time).toISOString(), status, duration_s: duration, 'meta.caller_id': caller, 'meta.feature_category': category });
}

const H = (iso: string): number => Date.parse(iso);
// Rails requests, default urgency: apdex success iff duration < 1 s; a 5xx is an error, not apdex.
// wiki WikisController#show, 03-04 05:00: 290 fast + 10 slow (2 s) 200s -> s=290 w=300 o=300 e=0
//   (300 needs a 2-byte value: both bytes are flipped).
// wiki WikisController#edit, 03-04 07:00: one fast 200 -> s=1 w=1 o=1 e=0 (serial type 9, no value byte).
// team_planning BoardsController#index, 03-04 07:00: 200 fast, 500, 200 slow (3 s) -> s=1 w=2 o=3 e=1.
// team_planning BoardsController#index, 03-05 05:00: 998 fast 200s + 2 502s -> s=998 w=998 o=1000 e=2.
// Daily rows: wiki 03-04 s=291 w=301 o=301 e=0; team_planning 03-04 s=1 w=2 o=3 e=1, 03-05 as the hour.
function logLines(): string[] {
  const out: string[] = [];
  const h5 = H('2024-03-04T05:00:00Z');
  for (let i = 0; i < 300; i++) out.push(req(h5 + i * 10_000, 'WikisController#show', 'wiki', 200, i < 290 ? 0.1 : 2));
  const h7 = H('2024-03-04T07:00:00Z');
  out.push(req(h7, 'WikisController#edit', 'wiki', 200, 0.1));
  out.push(req(h7 + 1000, 'BoardsController#index', 'team_planning', 200, 0.1));
  out.push(req(h7 + 2000, 'BoardsController#index', 'team_planning', 500, 0.1));
  out.push(req(h7 + 3000, 'BoardsController#index', 'team_planning', 200, 3));
  const d5 = H('2024-03-05T05:00:00Z');
  for (let i = 0; i < 1000; i++) out.push(req(d5 + i * 3000, 'BoardsController#index', 'team_planning', i < 998 ? 200 : 502, 0.1));
  return out;
}

/**
 * Windows that together read every stored row: 7 d ending 03-07 reads whole days (daily tables);
 * 2 d ending 03-05T12:00 reads day 03-04 whole and 03-05's hours (hourly); 1 d ending 03-04T12:00
 * reads 03-04's hours (hourly).
 */
const WINDOWS = [
  { window: { label: '7d', minutes: 7 * 1440 }, at: new Date('2024-03-07T00:00:00Z') },
  { window: { label: '2d', minutes: 2 * 1440 }, at: new Date('2024-03-05T12:00:00Z') },
  { window: { label: '1d', minutes: 1440 }, at: new Date('2024-03-04T12:00:00Z') },
];

/** Every read StoreSource offers, over every window: each result, or 'refused' when it threw. */
async function readAll(store: string): Promise<unknown[]> {
  let source;
  try {
    source = openStoreSource({ path: store, catalog, readonly: true });
  } catch {
    return ['refused at open'];
  }
  const out: unknown[] = [];
  const attempt = async (f: () => Promise<{ data: unknown }>): Promise<void> => {
    try {
      out.push((await f()).data);
    } catch {
      out.push('refused');
    }
  };
  try {
    for (const w of WINDOWS) {
      await attempt(() => source.groupCounts({ ...w }));
      await attempt(() => source.categoryCounts({ ...w }));
      for (const scope of [{ group: 'project_management' }, { category: 'wiki' }, { category: 'team_planning' }]) {
        await attempt(() => source.endpointCounts({ ...w, scope }));
        await attempt(() => source.dailyCounts({ ...w, scope }));
      }
    }
  } finally {
    await source.close();
  }
  return out;
}

function varint(b: Buffer, at: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    const byte = b[at + i] as number;
    if (i === 8) return [v * 256 + byte, 9];
    v = v * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [v, i + 1];
  }
  throw new Error('unreachable');
}

function serialSize(t: number): number {
  if (t >= 12) return Math.floor((t - 12) / 2);
  return [0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0][t] as number;
}

interface Flip {
  what: string;
  offset: number;
  mask: number;
}

/** The flips of every count of every row of `table` (a one-page WITHOUT ROWID table). */
function countFlips(bytes: Buffer, pageSize: number, table: string, rootPage: number, pkColumns: number): Flip[] {
  const page = (rootPage - 1) * pageSize;
  assert.equal(bytes[page], 0x0a, `${table} is one leaf page (the store is small)`);
  const cells = bytes.readUInt16BE(page + 3);
  const flips: Flip[] = [];
  for (let c = 0; c < cells; c++) {
    const cell = page + bytes.readUInt16BE(page + 8 + 2 * c);
    const [payload, n1] = varint(bytes, cell);
    const record = cell + n1;
    const [headerSize, n2] = varint(bytes, record);
    assert.ok(payload < pageSize / 4, 'no overflow pages');
    const types: Array<{ type: number; typeAt: number }> = [];
    for (let p = record + n2; p < record + headerSize; ) {
      const [type, n] = varint(bytes, p);
      types.push({ type, typeAt: p });
      p += n;
    }
    let body = record + headerSize;
    types.forEach(({ type, typeAt }, col) => {
      const size = serialSize(type);
      const count = col - pkColumns;
      if (count >= 0 && count < 4) {
        const what = `${table} row ${c} ${'swoe'[count]}`;
        if (type === 8 || type === 9) flips.push({ what: `${what} (${type - 8}, serial type)`, offset: typeAt, mask: 0x01 });
        for (let i = 0; i < size; i++) for (const mask of [0x01, 0x10, 0x80]) flips.push({ what: `${what} byte ${i} ^ 0x${mask.toString(16)}`, offset: body + i, mask });
      }
      body += size;
    });
  }
  return flips;
}

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bl-flips-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('no flipped count is served: every read is refused or unchanged', async (t) => {
  const log = join(dir, 'a.log');
  writeFileSync(log, `${logLines().join('\n')}\n`);
  const store = join(dir, 'store.db');
  assert.equal((await ingestFiles(store, [log])).totals.ingested, 1);

  const baseline = await readAll(store);
  assert.ok(!baseline.includes('refused'), 'the undamaged store is served');
  // By hand (above): the 7 d window's wiki counts, one component (rails).
  const wiki7d = (baseline[1] as Array<{ category: string; components: Array<{ counts: unknown }> }>).find((c) => c.category === 'wiki');
  assert.deepEqual(wiki7d?.components.map((c) => c.counts), [{ apdexSuccess: 291, apdexWeight: 301, ops: 301, errors: 0 }]);

  const meta = new Database(store, { readonly: true });
  const pageSize = meta.pragma('page_size', { simple: true }) as number;
  const roots = new Map((meta.prepare("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string; rootpage: number }>).map((r) => [r.name, r.rootpage]));
  meta.close();
  const clean = readFileSync(store);
  const flips = [
    ...countFlips(clean, pageSize, 'hourly_endpoint', roots.get('hourly_endpoint') as number, 2),
    ...countFlips(clean, pageSize, 'daily_endpoint', roots.get('daily_endpoint') as number, 2),
    ...countFlips(clean, pageSize, 'hourly_category', roots.get('hourly_category') as number, 3),
    ...countFlips(clean, pageSize, 'daily_category', roots.get('daily_category') as number, 3),
  ];
  // 4 rows per table; every count has at least one flip.
  assert.ok(flips.length >= 4 * 4 * 4, `${flips.length} flips`);

  const trial = join(dir, 'trial.db');
  const served: string[] = [];
  let refused = 0;
  for (const flip of flips) {
    const bytes = Buffer.from(clean);
    bytes[flip.offset] = (bytes[flip.offset] as number) ^ flip.mask;
    rmSync(`${trial}-wal`, { force: true });
    rmSync(`${trial}-shm`, { force: true });
    writeFileSync(trial, bytes);
    const got = await readAll(trial);
    let wrong = false;
    got.forEach((r, i) => {
      if (r === 'refused' || r === 'refused at open') refused++;
      else if (JSON.stringify(r) !== JSON.stringify(baseline[i])) wrong = true;
    });
    if (wrong) served.push(flip.what);
  }
  t.diagnostic(`${flips.length} flips, ${served.length} served wrong figures, ${refused} reads refused`);
  assert.deepEqual(served, [], `${served.length} of ${flips.length} flipped counts were served as figures`);
  copyFileSync(store, trial); // the clean copy is still served
  assert.deepEqual(await readAll(trial), baseline);
});
