/**
 * Issue 12 item 9: store failures say what failed. The SQLite errors here are real (a page limit
 * makes SQLITE_FULL, a read-only connection SQLITE_READONLY, a text file SQLITE_NOTADB); the
 * end-to-end part runs the CLI's ingest on a real 300 KB tmpfs in a private mount namespace
 * (`unshare -m`, skipped where the machine does not allow it): the disk fills, then the
 * file system is remounted read-only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeStoreFailure, storeFailureKind } from '../../../src/sdk/store/storeErrors';
import { StoreError, openStoreDatabase } from '../../../src/sdk/store/storeSchema';

const REPO = join(__dirname, '..', '..', '..');

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected an error');
}

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bl-store-errors-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('store failures in words, from real SQLite errors', () => {
  test('SQLITE_FULL: disk full while writing <path>', () => {
    const path = join(dir, 'full.db');
    const db = new Database(path);
    // 2 pages of 4096 bytes: the table's first row of 64 KB does not fit.
    db.pragma('max_page_count = 2');
    const e = caught(() => db.exec("CREATE TABLE t (b BLOB); INSERT INTO t VALUES (zeroblob(65536));"));
    db.close();
    assert.equal(storeFailureKind(e), 'disk_full');
    assert.equal(describeStoreFailure(e, path, 'writing'), `disk full while writing ${path} (SQLITE_FULL: database or disk is full)`);
  });

  test('SQLITE_READONLY: store is read-only: <path>', () => {
    const path = join(dir, 'ro.db');
    new Database(path).exec('CREATE TABLE t (x)');
    const db = new Database(path, { readonly: true });
    const e = caught(() => db.exec('INSERT INTO t VALUES (1)'));
    db.close();
    assert.equal(describeStoreFailure(e, path, 'writing'), `store is read-only: ${path} (SQLITE_READONLY: attempt to write a readonly database)`);
  });

  test('SQLITE_NOTADB stays "not a Budget Lens store"; SQLITE_CANTOPEN says it cannot open', () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database, just some text that is long enough to be read as a header\n'.repeat(100));
    const e = caught(() => openStoreDatabase(text));
    assert.ok(StoreError.is(e));
    assert.match(e.message, /: not a Budget Lens store \(not an SQLite database, or damaged\) \(SQLITE_NOTADB: file is not a database\)$/);
    const missing = caught(() => openStoreDatabase(join(dir, 'missing.db'), { readonly: true }));
    assert.ok(StoreError.is(missing));
    assert.match(missing.message, /missing\.db: cannot open the store: no such file or directory, or not a file \(SQLITE_CANTOPEN: unable to open database file\)$/);
  });

  test('file-system codes: ENOSPC, EROFS, EACCES', () => {
    const sys = (code: string, message: string): Error => Object.assign(new Error(message), { code });
    assert.equal(describeStoreFailure(sys('ENOSPC', 'ENOSPC: no space left on device, write'), '/s.db', 'writing'), 'disk full while writing /s.db (ENOSPC: no space left on device, write)');
    assert.equal(describeStoreFailure(sys('EROFS', "EROFS: read-only file system, mkdir '/ro'"), '/ro/s.db', 'opening'), "store is read-only: /ro/s.db (EROFS: read-only file system, mkdir '/ro')");
    assert.equal(describeStoreFailure(sys('EACCES', "EACCES: permission denied, open '/s.db'"), '/s.db', 'opening'), "permission denied opening /s.db (EACCES: permission denied, open '/s.db')");
    assert.equal(describeStoreFailure(sys('SQLITE_IOERR_WRITE', 'disk I/O error'), '/s.db', 'writing'), 'I/O error while writing /s.db (SQLITE_IOERR_WRITE: disk I/O error)');
  });
});

/** True when this machine lets us mount a tmpfs in a private mount namespace. */
function canMountTmpfs(): boolean {
  const probe = join(dir, 'probe');
  mkdirSync(probe, { recursive: true });
  const r = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs '${probe}'`], { encoding: 'utf8' });
  return r.status === 0;
}

describe('the CLI on a full, then read-only, file system (real tmpfs)', () => {
  test('disk full while writing <store>; then: store is read-only', (t) => {
    if (!canMountTmpfs()) {
      t.skip('unshare -m and mount -t tmpfs are not allowed here');
      return;
    }
    // 20000 lines over 3000 endpoints and 28 days: far more rows than 300 KB hold.
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const time = `2026-02-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`;
      lines.push(JSON.stringify({ time, status: 200, duration_s: 0.1, 'meta.caller_id': `C${i % 3000}#a`, 'meta.feature_category': 'team_planning' }));
    }
    const log = join(dir, 'big.log');
    writeFileSync(log, `${lines.join('\n')}\n`);
    const mnt = join(dir, 'mnt');
    mkdirSync(mnt, { recursive: true });
    const store = join(mnt, 'store.db');
    const cli = `'${process.execPath}' --import '${join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')}' '${join(REPO, 'src', 'cli', 'main.ts')}' ingest --store '${store}' '${log}'`;
    const script = [`mount -t tmpfs -o size=300k tmpfs '${mnt}'`, `${cli}; echo "rc=$?"`, `mount -o remount,ro '${mnt}'`, `${cli}; echo "rc=$?"`].join(' && ');
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8', timeout: 120_000 });
    const out = `${r.stdout}${r.stderr}`;
    // Before: "big.log: cannot read: database or disk is full", then "not a Budget Lens store: attempt to write a readonly database".
    assert.match(out, new RegExp(`big\\.log: disk full while writing ${store.replace(/[.]/g, '\\.')} \\(SQLITE_FULL: database or disk is full\\)\\n`), out);
    assert.match(out, /1 file\(s\): 0 ingested, 0 duplicate, 1 failed; 0 events added/);
    // The read-only mount is named before SQLite is asked to write (storeSchema.ts readOnlyError).
    assert.match(out, new RegExp(`store ${store.replace(/[.]/g, '\\.')} is read-only \\(read-only filesystem at ${store.replace(/[.]/g, '\\.')}\\); ingest needs write access`), out);
    assert.doesNotMatch(out, /cannot read|not a Budget Lens store/);
    assert.deepEqual(out.match(/rc=\d+/g), ['rc=1', 'rc=1']);
  });
});

describe('a store on a disk something else filled (real tmpfs)', () => {
  test('ingest and status say disk full, not an I/O error', (t) => {
    if (!canMountTmpfs()) {
      t.skip('unshare -m and mount -t tmpfs are not allowed here');
      return;
    }
    const line = (time: string, id: string): string => JSON.stringify({ time, status: 200, duration_s: 0.1, 'meta.caller_id': id, 'meta.feature_category': 'team_planning' });
    const first = join(dir, 'first.log');
    const second = join(dir, 'second.log');
    writeFileSync(first, `${line('2026-03-01T10:00:00Z', 'A#x')}\n`);
    writeFileSync(second, `${line('2026-03-01T11:00:00Z', 'A#y')}\n`);
    const mnt = join(dir, 'mnt-filled');
    mkdirSync(mnt, { recursive: true });
    const store = join(mnt, 'store.db');
    const cli = (args: string): string => `'${process.execPath}' --import '${join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')}' '${join(REPO, 'src', 'cli', 'main.ts')}' ${args}`;
    // The store is written and closed (its -wal and -shm gone), then another file takes every block.
    const script = [
      `mount -t tmpfs -o size=400k tmpfs '${mnt}'`,
      cli(`ingest --store '${store}' '${first}'`),
      `(dd if=/dev/zero of='${mnt}/other' bs=4k 2>/dev/null; true)`,
      `${cli(`ingest --store '${store}' '${second}'`)}; echo "rc=$?"`,
      `${cli(`status --store '${store}' --group project_management`)}; echo "rc=$?"`,
    ].join(' && ');
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8', timeout: 120_000 });
    const out = `${r.stdout}${r.stderr}`;
    const at = store.replace(/[.]/g, '\\.');
    // Before: "<store>: I/O error while writing the store (SQLITE_IOERR_SHMSIZE: disk I/O error)" and
    // "... I/O error while opening the store (...)": SQLite cannot size its -shm file, and says only "I/O".
    assert.match(out, new RegExp(`budget-lens ingest: ${at}: disk full while writing the store \\(SQLITE_IOERR`), out);
    assert.match(out, new RegExp(`budget-lens status: ${at}: disk full while opening the store \\(SQLITE_IOERR`), out);
    assert.doesNotMatch(out, /I\/O error while/);
    assert.deepEqual(out.match(/rc=\d+/g), ['rc=1', 'rc=1']);
  });
});
