/**
 * Issue 12, item 3: read-only and damaged stores, on real SQLite files and a real HTTP server.
 * - a healthy store on a read-only folder is served (it was refused: "unable to open database
 *   file"), and `ingest` into it says why it cannot;
 * - a count changed behind the writer's back (raw SQL, or a byte flipped in the file, which
 *   `PRAGMA quick_check` does not notice) is refused with the row's time range, never served;
 * - `budget-lens store check` exits 0 on a healthy store, 1 on a damaged one, naming the rows;
 * - a schema-2 store migrates to 3 with its checksums filled and the same figures.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { captureIo } from '../../support/cliIo';
import { main } from '../../../src/cli/main';
import { startServe } from '../../../src/cli/commands/serve';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { openStoreDatabase, STORE_SCHEMA_VERSION } from '../../../src/sdk/store/storeSchema';
import { openStoreSource } from '../../../src/sdk/store/storeSource';
import { fakeCatalog } from '../../unit/store/fakeCatalog';

const catalog = fakeCatalog({ project_management: ['wiki', 'team_planning'] });
const CATALOG_DIR = join(__dirname, '..', '..', '..', 'catalog', 'gitlab');

function req(time: string, category: string, status: number, duration: number): string {
  return JSON.stringify({ time, status, duration_s: duration, 'meta.caller_id': 'WikisController#show', 'meta.feature_category': category });
}

// wiki, hour 2024-03-04T05:00Z: 5 requests, all 200 in 0.1 s (< 1 s): s=5 w=5 o=5 e=0.
// team_planning, hour 2024-03-04T07:00Z: 2 requests, one 500 (an error, outside apdex): s=1 w=1 o=2 e=1.
const LINES = [
  ...Array.from({ length: 5 }, (_, i) => req(`2024-03-04T05:0${i}:00Z`, 'wiki', 200, 0.1)),
  req('2024-03-04T07:00:00Z', 'team_planning', 200, 0.1),
  req('2024-03-04T07:01:00Z', 'team_planning', 500, 0.1),
];
// A 1-day window ending 2024-03-04T12:00Z reads hours 03-04 00:00..11:00 from hourly_category.
const WINDOW = { label: '1d', minutes: 1440 };
const AT = new Date('2024-03-04T12:00:00Z');
const WIKI_HOUR = Date.parse('2024-03-04T05:00:00Z') / 3_600_000; // 473,621


let dir = '';

async function freshStore(name: string): Promise<string> {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'a.log'), `${LINES.join('\n')}\n`);
  const store = join(folder, 'store.db');
  const report = await ingestFiles(store, [join(folder, 'a.log')]);
  assert.equal(report.totals.ingested, 1);
  // Every connection is closed: SQLite checkpointed the WAL into store.db and removed -wal/-shm.
  assert.equal(existsSync(`${store}-shm`), false);
  return store;
}

async function wikiCounts(store: string): Promise<unknown> {
  const source = openStoreSource({ path: store, catalog, readonly: true });
  try {
    const r = await source.categoryCounts({ window: WINDOW, at: AT, categories: ['wiki'] });
    return r.data[0]?.components.map((c) => c.counts);
  } finally {
    await source.close();
  }
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bl-integrity-'));
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Makes `folder` and the files in it unwritable, honestly for the user running the test: chmod for
 * a normal user; as root (chmod does not stop root) the immutable attribute, which does. Returns
 * an undo, or a reason when this machine cannot make a folder read-only for this user.
 */
function makeReadOnly(folder: string, files: string[]): { undo: () => void } | { skip: string } {
  const probe = join(folder, 'probe');
  let undo: () => void;
  if (process.getuid?.() !== 0) {
    for (const f of files) chmodSync(f, 0o444);
    chmodSync(folder, 0o555);
    undo = () => {
      chmodSync(folder, 0o755);
      for (const f of files) chmodSync(f, 0o644);
    };
  } else {
    try {
      execFileSync('chattr', ['+i', ...files, folder], { stdio: 'pipe' });
    } catch (e) {
      return { skip: `running as root and chattr +i failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})` };
    }
    undo = () => execFileSync('chattr', ['-i', ...files, folder], { stdio: 'pipe' });
  }
  try {
    writeFileSync(probe, 'x');
    rmSync(probe);
    undo();
    return { skip: 'the folder stayed writable' };
  } catch {
    return { undo };
  }
}

describe('a healthy store in a read-only folder', () => {
  test('is served (read-only), and ingest into it says it is read-only', async (t) => {
    const store = await freshStore('readonly');
    const folder = join(dir, 'readonly');
    const ro = makeReadOnly(folder, [store, join(folder, 'a.log')]);
    if ('skip' in ro) {
      t.skip(ro.skip);
      return;
    }
    try {
      // The figures from LINES: wiki s=5 w=5 o=5 e=0.
      assert.deepEqual(await wikiCounts(store), [{ apdexSuccess: 5, apdexWeight: 5, ops: 5, errors: 0 }]);
      // The real server, as `budget-lens serve --store` runs it.
      const c = captureIo(folder);
      const running = await startServe(['--store', store, '--catalog', CATALOG_DIR, '--port', '0'], c.io);
      assert.ok(running);
      try {
        const res = await fetch(`${running.url}/api/v1/categories/wiki/endpoints?at=${AT.toISOString()}&window=1d`);
        assert.equal(res.status, 200, await res.clone().text());
        const body = (await res.json()) as { data: { endpoints: Array<{ endpointId: string }> } };
        assert.deepEqual(
          body.data.endpoints.map((e) => e.endpointId),
          ['WikisController#show'],
        );
      } finally {
        await running.server.close();
      }
      // Ingest needs write access and says so, naming the store; the store is untouched.
      const ing = captureIo(folder);
      assert.equal(await main(['ingest', join(folder, 'a.log'), '--store', store], ing.io), 1);
      assert.match(ing.err(), new RegExp(`store ${store.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is read-only \\(.+\\); ingest needs write access`));
      // `store check` works read-only too.
      const chk = captureIo(folder);
      assert.equal(await main(['store', 'check', '--store', store], chk.io), 0, chk.out() + chk.err());
      assert.equal(existsSync(`${store}-shm`), false);
    } finally {
      ro.undo();
    }
    assert.deepEqual(await wikiCounts(store), [{ apdexSuccess: 5, apdexWeight: 5, ops: 5, errors: 0 }]);
  });
});

describe('damaged counts are refused, never served', () => {
  test('a count changed with raw SQL: StoreSource and the HTTP API refuse it with the row and its hour', async () => {
    const store = await freshStore('raw-sql');
    const db = new Database(store);
    // Behind the writer's back: wiki's hour 05:00 gets s = 5 + 2 = 7 (more successes than requests).
    assert.equal(db.prepare("UPDATE hourly_category SET s = s + 2 WHERE category = 'wiki' AND hour = ?").run(WIKI_HOUR).changes, 1);
    db.close();
    await assert.rejects(wikiCounts(store), /store .* is damaged: counts fail their checksum in hourly_category category wiki \(\S+\) 2024-03-04T05:00Z\.\.2024-03-04T06:00Z/);
    // team_planning's rows are sound: a read that does not touch the damaged row is served.
    const source = openStoreSource({ path: store, catalog, readonly: true });
    const tp = await source.categoryCounts({ window: WINDOW, at: AT, categories: ['team_planning'] });
    await source.close();
    assert.deepEqual(
      tp.data[0]?.components.map((c) => c.counts),
      [{ apdexSuccess: 1, apdexWeight: 1, ops: 2, errors: 1 }],
    );

    const c = captureIo(dir);
    const running = await startServe(['--store', store, '--catalog', CATALOG_DIR, '--port', '0', '--cache-ttl-ms', '0'], c.io);
    assert.ok(running);
    try {
      const res = await fetch(`${running.url}/api/v1/groups/knowledge?at=${AT.toISOString()}&window=1d`);
      const text = await res.text();
      assert.notEqual(res.status, 200, text);
      assert.match(text, /hourly_category category wiki .* 2024-03-04T05:00Z\.\.2024-03-04T06:00Z/);
    } finally {
      await running.server.close();
    }

    const chk = captureIo(dir);
    assert.equal(await main(['store', 'check', '--store', store], chk.io), 1);
    assert.match(chk.out(), /damaged rows {2}1\n {4}hourly_category category wiki \(\S+\) 2024-03-04T05:00Z\.\.2024-03-04T06:00Z\nDAMAGED/);
  });

  test('a damaged endpoint row refuses the one-read endpoint figures (F15) of every id in its category', async () => {
    const store = await freshStore('raw-sql-endpoint');
    const db = new Database(store);
    // Behind the writer's back: the team_planning endpoint's hour 07:00 gets e = 1 + 1 = 2.
    assert.equal(db.prepare("UPDATE hourly_endpoint SET e = e + 1 WHERE endpoint IN (SELECT id FROM endpoints WHERE category = 'team_planning')").run().changes, 1);
    db.close();
    const source = openStoreSource({ path: store, catalog, readonly: true });
    try {
      await assert.rejects(
        source.endpointCountsWithPeers({ window: WINDOW, at: AT, endpointIds: ['WikisController#show'] }),
        /is damaged: counts fail their checksum in hourly_endpoint/,
      );
    } finally {
      await source.close();
    }
  });

  test('a byte flipped in the file (quick_check says ok) is refused, and store check finds it', async () => {
    const store = await freshStore('flip');
    const db = new Database(store, { readonly: true });
    const { component } = db.prepare("SELECT component FROM hourly_category WHERE category = 'wiki'").get() as { component: string };
    db.close();
    // hourly_category's record body: 'wiki', the hour (473,621 fits a 24-bit int: 3 bytes), the
    // component, then s=5 w=5 o=5 as one byte each. Flip s's 5 (0b101) to 7 (0b111).
    const hour = Buffer.alloc(3);
    hour.writeUIntBE(WIKI_HOUR, 0, 3);
    const pattern = Buffer.concat([Buffer.from('wiki'), hour, Buffer.from(component), Buffer.from([5, 5, 5])]);
    const bytes = readFileSync(store);
    const at = bytes.indexOf(pattern);
    assert.ok(at > 0, 'the wiki hour record is in the file');
    assert.equal(bytes.indexOf(pattern, at + 1), -1, 'exactly once');
    bytes[at + pattern.length - 3] = 7;
    writeFileSync(store, bytes);

    const check = new Database(store, { readonly: true });
    assert.deepEqual(check.pragma('quick_check'), [{ quick_check: 'ok' }]);
    check.close();
    await assert.rejects(wikiCounts(store), /is damaged: counts fail their checksum in hourly_category category wiki .* 2024-03-04T05:00Z\.\.2024-03-04T06:00Z/);
    const chk = captureIo(dir);
    assert.equal(await main(['store', 'check', '--store', store], chk.io), 1);
    assert.match(chk.out(), /quick_check {3}ok\n.*\n {2}damaged rows {2}1\n {4}hourly_category category wiki/);
  });

  test('store check on a healthy store exits 0 and counts the rows', async () => {
    const store = await freshStore('healthy');
    const chk = captureIo(dir);
    assert.equal(await main(['store', 'check', '--store', store], chk.io), 0, chk.out());
    // 2 endpoints? No: one caller id (WikisController#show) in two categories = 2 endpoint rows
    // per table; hours: wiki 05:00, team_planning 07:00; one day. hourly_endpoint 2 + daily_endpoint 2
    // + hourly_category 2 + daily_category 2 = 8 rows.
    assert.match(chk.out(), /quick_check {3}ok\n {2}rows checked {2}8\n {2}damaged rows {2}0\nhealthy\n/);
  });
});

describe('schema 2 -> 3', () => {
  test('migration fills the checksums and keeps the figures', async () => {
    const store = await freshStore('migrate');
    const before3 = await wikiCounts(store);
    // Back to the schema-2 layout: the same tables without the ck column, version 2.
    const db = new Database(store);
    for (const t of ['hourly_endpoint', 'daily_endpoint', 'hourly_category', 'daily_category']) db.exec(`ALTER TABLE ${t} DROP COLUMN ck`);
    db.exec('UPDATE schema_version SET version = 2');
    db.close();
    const copy = join(dir, 'migrate', 'v2.db');
    copyFileSync(store, copy);

    openStoreDatabase(copy).close(); // a writable open migrates
    const v = new Database(copy, { readonly: true });
    assert.equal((v.prepare('SELECT version FROM schema_version').get() as { version: number }).version, STORE_SCHEMA_VERSION);
    assert.equal(STORE_SCHEMA_VERSION, 4); // 4 adds the metric event logs' tables (empty here)
    assert.equal((v.prepare('SELECT COUNT(*) AS n FROM hourly_category WHERE ck < 0').get() as { n: number }).n, 0);
    v.close();
    assert.deepEqual(await wikiCounts(copy), before3);
    assert.deepEqual(before3, [{ apdexSuccess: 5, apdexWeight: 5, ops: 5, errors: 0 }]);
    const chk = captureIo(dir);
    assert.equal(await main(['store', 'check', '--store', copy], chk.io), 0, chk.out());
  });
});
