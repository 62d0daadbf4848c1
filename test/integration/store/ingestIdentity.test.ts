/**
 * Ingest identity (issue 12 item 1): each log is tracked by content and position, so logrotate's
 * real sequences count every line exactly once. Every line is one successful request (status
 * 200, 0.1 s) of one endpoint, so the store's operation count `o` is the number of lines counted;
 * each expected figure is worked out in the comment above it. Before sources, every one of these
 * re-counted whole files (a grown or rotated file's sha256 differs from the one ingested).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { numberedRequestLines } from '../../support/logEndpoints';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bl-identity-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Operations counted in the store (hourly and daily tables must agree). */
function counted(store: string): number {
  const db = new Database(store, { readonly: true });
  try {
    const h = (db.prepare('SELECT COALESCE(SUM(o), 0) AS o FROM hourly_category').get() as { o: number }).o;
    const d = (db.prepare('SELECT COALESCE(SUM(o), 0) AS o FROM daily_endpoint').get() as { o: number }).o;
    assert.equal(h, d);
    return h;
  } finally {
    db.close();
  }
}

let n = 0;
function fresh(): { store: string; live: string } {
  const sub = join(dir, `case-${++n}`);
  mkdirSync(sub);
  return { store: join(sub, 'store.db'), live: join(sub, 'production_json.log') };
}

describe('ingest identity: logrotate sequences count each line once', () => {
  test('a grown file ingested twice resumes at its offset', async () => {
    const { store, live } = fresh();
    writeFileSync(live, numberedRequestLines(0, 3));
    await ingestFiles(store, [live]);
    appendFileSync(live, numberedRequestLines(3, 2));
    const r = await ingestFiles(store, [live]);
    // 3 lines, then 2 appended: 5 (before: 3 + 5 = 8).
    assert.equal(counted(store), 5);
    assert.equal(r.files[0]?.status, 'ingested');
    assert.equal(r.files[0]?.lines, 2);
    assert.equal(r.files[0]?.start, Buffer.byteLength(numberedRequestLines(0, 3)));
    assert.equal(r.files[0]?.resumed?.name, 'production_json.log');
    // Third time, nothing new: a duplicate.
    const again = await ingestFiles(store, [live]);
    assert.equal(again.files[0]?.status, 'duplicate');
    assert.equal(counted(store), 5);
  });

  test('the .gz of an ingested file adds nothing', async () => {
    const { store, live } = fresh();
    writeFileSync(live, numberedRequestLines(0, 4));
    await ingestFiles(store, [live]);
    const gz = `${live}.1.gz`;
    writeFileSync(gz, gzipSync(readFileSync(live)));
    const r = await ingestFiles(store, [gz]);
    // 4 lines once (before: 4 + 4 = 8).
    assert.equal(r.files[0]?.status, 'duplicate');
    assert.equal(counted(store), 4);
  });

  test('rename + create: the renamed file adds only its tail, the new file counts from its start', async () => {
    const { store, live } = fresh();
    writeFileSync(live, numberedRequestLines(0, 3));
    await ingestFiles(store, [live]);
    appendFileSync(live, numberedRequestLines(3, 1));
    renameSync(live, `${live}.1`);
    writeFileSync(live, numberedRequestLines(100, 2));
    await ingestFiles(store, [`${live}.1`, live]);
    // 3 ingested, 1 more in the renamed file, 2 in the new one: 6 (before: 3 + 4 + 2 = 9).
    assert.equal(counted(store), 6);
    // A day later logrotate compresses .1 (delaycompress): .1.gz adds nothing, the live file grows by 1.
    writeFileSync(`${live}.1.gz`, gzipSync(readFileSync(`${live}.1`)));
    unlinkSync(`${live}.1`);
    appendFileSync(live, numberedRequestLines(102, 1));
    const r = await ingestFiles(store, [`${live}.1.gz`, live]);
    assert.deepEqual(
      r.files.map((f) => [f.status, f.rowsWritten > 0 ? f.lines : 0]),
      [
        ['duplicate', 0],
        ['ingested', 1],
      ],
    );
    // 6 + 1 = 7 (before: 9 + 4 + 3 = 16).
    assert.equal(counted(store), 7);
  });

  test('copytruncate: the copy adds its tail, the truncated file counts its new content once', async () => {
    const { store, live } = fresh();
    writeFileSync(live, numberedRequestLines(0, 3));
    await ingestFiles(store, [live]);
    appendFileSync(live, numberedRequestLines(3, 2));
    copyFileSync(live, `${live}.1`);
    truncateSync(live, 0);
    appendFileSync(live, numberedRequestLines(200, 2));
    await ingestFiles(store, [`${live}.1`, live]);
    // 3 + 2 (the copy's tail) + 2 (after the truncation) = 7 (before: 3 + 5 + 2 = 10).
    assert.equal(counted(store), 7);
    appendFileSync(live, numberedRequestLines(202, 3));
    await ingestFiles(store, [`${live}.1`, live]);
    // The copy adds nothing, the live file its 3 new lines: 10.
    assert.equal(counted(store), 10);
    // Compress a day later: .1 -> .1.gz adds nothing.
    writeFileSync(`${live}.1.gz`, gzipSync(readFileSync(`${live}.1`)));
    unlinkSync(`${live}.1`);
    const r = await ingestFiles(store, [`${live}.1.gz`, live]);
    assert.deepEqual(r.files.map((f) => f.status), ['duplicate', 'duplicate']);
    assert.equal(counted(store), 10);
  });

  test('a file replaced with different content is a new source', async () => {
    const { store, live } = fresh();
    writeFileSync(live, numberedRequestLines(0, 3));
    await ingestFiles(store, [live]);
    // Shorter, other content: 3 + 2 = 5.
    writeFileSync(live, numberedRequestLines(300, 2));
    await ingestFiles(store, [live]);
    assert.equal(counted(store), 5);
    // Same first line as the first file, then different lines (its prefix does not hash the same):
    // all 3 of its lines count, 5 + 3 = 8.
    writeFileSync(live, numberedRequestLines(0, 1) + numberedRequestLines(400, 2));
    const r = await ingestFiles(store, [live]);
    assert.equal(r.files[0]?.start, 0);
    assert.equal(counted(store), 8);
  });

  test('a partial last line is counted once it is complete', async () => {
    const { store, live } = fresh();
    const third = numberedRequestLines(2, 1);
    writeFileSync(live, numberedRequestLines(0, 2) + third.slice(0, 40));
    const first = await ingestFiles(store, [live]);
    // 2 complete lines; the 40 bytes of the third wait.
    assert.equal(counted(store), 2);
    assert.equal(first.files[0]?.pendingBytes, 40);
    appendFileSync(live, third.slice(40));
    const second = await ingestFiles(store, [live]);
    // The third line, once: 3.
    assert.equal(second.files[0]?.lines, 1);
    assert.equal(second.files[0]?.malformed, 0);
    assert.equal(counted(store), 3);
  });

  test('a file holding the same bytes twice in one call counts once (plain, gz, copy)', async () => {
    const { store, live } = fresh();
    writeFileSync(live, numberedRequestLines(0, 5));
    writeFileSync(`${live}.gz`, gzipSync(readFileSync(live)));
    copyFileSync(live, `${live}.copy`);
    for (const writer of ['main', 'thread'] as const) {
      await ingestFiles(store, [live, `${live}.gz`, `${live}.copy`], { writer });
      // 5 lines once.
      assert.equal(counted(store), 5);
    }
  });
});

describe('a store from before sources (schema 1)', () => {
  test('is migrated, and a file it ingested stays a duplicate', async () => {
    const { store, live } = fresh();
    writeFileSync(live, numberedRequestLines(0, 4));
    await ingestFiles(store, [live]);
    // Turn it back into a version-1 store: no sources, ingested_files as version 1 wrote it (the
    // whole file's sha256, which for a plain file ending in a newline is its prefix hash).
    const db = new Database(store);
    db.exec(`DROP TABLE sources; ALTER TABLE ingested_files DROP COLUMN source; ALTER TABLE ingested_files DROP COLUMN start_offset;
      ALTER TABLE ingested_files DROP COLUMN end_offset; UPDATE schema_version SET version = 1`);
    // ... and without schema 3's row checksums.
    for (const t of ['hourly_endpoint', 'daily_endpoint', 'hourly_category', 'daily_category']) db.exec(`ALTER TABLE ${t} DROP COLUMN ck`);
    db.close();
    const r = await ingestFiles(store, [live]);
    assert.equal(r.files[0]?.status, 'duplicate');
    // 4 lines once.
    assert.equal(counted(store), 4);
    const v = new Database(store, { readonly: true });
    assert.equal((v.prepare('SELECT version FROM schema_version').get() as { version: number }).version, 4); // schema 4: the metric event logs' tables
    v.close();
  });
});
