/**
 * Issue 12 items 5-6 against a real SQLite store: a line dated 2026-02-30 is refused (it used to be
 * counted on 03-02) and a line dated 9999 is refused (it used to switch the "ingest newer logs"
 * warning off forever); both are counted as malformed with their reason.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import type { IngestReport } from '../../../src/sdk/store/logIngest';
import { openStoreSource } from '../../../src/sdk/store/storeSource';
import { fakeCatalog } from '../../unit/store/fakeCatalog';
import { captureIo } from '../../support/cliIo';
import { main } from '../../../src/cli/main';

const catalog = fakeCatalog({ project_management: ['team_planning'] });

function req(time: string, status: number, duration: number): string {
  return JSON.stringify({ time, status, duration_s: duration, 'meta.caller_id': 'A#x', 'meta.feature_category': 'team_planning' });
}

const LINES = [
  req('2026-03-01T10:00:00Z', 200, 0.1), // 1: success (0.1 < 1 s)
  req('2026-02-30T10:00:00Z', 500, 0.1), // 2: impossible_date (Date.parse made it 03-02T10:00, an error)
  req('9999-01-01T00:00:00Z', 200, 0.1), // 3: time_out_of_range (it made the last hour 9999-01-01)
  req('2026-03-01T11:00:00Z', 500, 0.1), // 4: error
];
// One day ending 2026-03-03T00:00: hours 03-02 00:00 .. 23:00, where line 2 used to land.
const DAY_OF_0302 = { window: { label: '1d', minutes: 1440 }, at: new Date('2026-03-03T00:00:00Z') };
const NEWER_LOGS = "the store's newest logs are from the hour 2026-03-01T11:00:00.000Z, before the window ends: ingest newer logs";

let dir = '';
let storePath = '';
let report: IngestReport;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bl-strict-'));
  storePath = join(dir, 'store.db');
  writeFileSync(join(dir, 'a.log'), `${LINES.join('\n')}\n`);
  report = await ingestFiles(storePath, [join(dir, 'a.log')], { writer: 'main' });
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('strict log times, ingested into a real store', () => {
  test('the impossible date and the year-9999 line are malformed, each with its reason', () => {
    const f = report.files[0];
    assert.ok(f);
    assert.equal(f.status, 'ingested');
    // 4 lines: 1 and 4 accepted, 2 and 3 refused.
    assert.equal(f.lines, 4);
    assert.equal(f.accepted, 2);
    assert.equal(f.malformed, 2);
    assert.deepEqual(f.rejectedTimes, { impossible_date: 1, time_out_of_range: 1 });
    assert.deepEqual(f.malformedLines, [
      { line: 2, reason: 'impossible_date: "time" 2026-02-30T10:00:00Z: February 2026 has 28 days, not 30' },
      { line: 3, reason: 'time_out_of_range: "time" 9999-01-01T00:00:00Z: year 9999 is outside 1970-2100' },
    ]);
    assert.equal(f.firstHour, '2026-03-01T10:00:00.000Z');
    assert.equal(f.lastHour, '2026-03-01T11:00:00.000Z');
  });

  test('nothing is counted on 03-02, and the "ingest newer logs" warning still fires', async () => {
    const source = openStoreSource({ path: storePath, catalog, readonly: true });
    try {
      const r = await source.categoryCounts({ ...DAY_OF_0302, categories: ['team_planning'] });
      assert.deepEqual(r.data[0]?.components, []);
      // The last hour with data is 03-01 11:00; the window ends in 03-02 23:00: 12 hours missing.
      assert.deepEqual(r.meta.warnings, [NEWER_LOGS]);
      // Two days ending 03-03 read lines 1 and 4: s1 w1 o2 e1.
      const two = await source.categoryCounts({ window: { label: '2d', minutes: 2880 }, at: DAY_OF_0302.at, categories: ['team_planning'] });
      assert.deepEqual(two.data[0]?.components.map((c) => c.counts), [{ apdexSuccess: 1, apdexWeight: 1, ops: 2, errors: 1 }]);
    } finally {
      await source.close();
    }
  });

  test('a store ingested before the check (a file whose last hour is in 9999) still warns', async () => {
    // What the old ingest recorded for this file: last_hour = the epoch hour of 9999-01-01,
    // Date.UTC(9999, 0, 1) / 3.6e6 = 253370764800000 / 3600000 = 70380768.
    const db = new Database(storePath);
    db.prepare('UPDATE ingested_files SET last_hour = ?').run(70380768);
    // A second, older file with a sane last hour: 2026-03-01T05:00Z = Date.UTC(2026, 2, 1, 5) / 3.6e6 = 1772341200000 / 3600000 = 492317.
    db.prepare(
      "INSERT INTO ingested_files (sha256, name, size, gzip, lines, accepted, ignored, malformed, first_hour, last_hour, ingested_at) VALUES ('x', 'old.log', 1, 0, 1, 1, 0, 0, 492317, 492317, '2026-03-01T06:00:00Z')",
    ).run();
    db.close();
    const source = openStoreSource({ path: storePath, catalog, readonly: true });
    try {
      const r = await source.categoryCounts({ ...DAY_OF_0302, categories: ['team_planning'] });
      // The 9999 bound is left out; the sane one (05:00) is the newest left.
      assert.deepEqual(r.meta.warnings, ["the store's newest logs are from the hour 2026-03-01T05:00:00.000Z, before the window ends: ingest newer logs"]);
    } finally {
      await source.close();
    }
  });

  test('a sane but future line (2099) does not silence the warning: a log covers no hour after it was read', async () => {
    // A file ingested at 2026-03-01T06:00Z whose last line is dated 2099-01-01T00:00Z (inside
    // 1970-2100, so accepted): Date.UTC(2099, 0, 1) / 3.6e6 = 4070908800000 / 3600000 = 1130808.
    // Its coverage ends at the hour after it was read, 07:00 (492318 + 1 = 492319); the window ends
    // in 03-02 23:00, so the warning names 07:00.
    const db = new Database(storePath);
    db.prepare('DELETE FROM ingested_files').run();
    db.prepare(
      "INSERT INTO ingested_files (sha256, name, size, gzip, lines, accepted, ignored, malformed, first_hour, last_hour, ingested_at) VALUES ('y', 'future.log', 1, 0, 2, 2, 0, 0, 492317, 1130808, '2026-03-01T06:00:00.000Z')",
    ).run();
    db.close();
    const source = openStoreSource({ path: storePath, catalog, readonly: true });
    try {
      const r = await source.categoryCounts({ ...DAY_OF_0302, categories: ['team_planning'] });
      assert.deepEqual(r.meta.warnings, ["the store's newest logs are from the hour 2026-03-01T07:00:00.000Z, before the window ends: ingest newer logs"]);
    } finally {
      await source.close();
    }
  });
});

describe('budget-lens ingest (CLI): refused times are counted by reason and listed with their line', () => {
  test('2 malformed [1 impossible_date, 1 time_out_of_range], lines 2 and 3 named', async () => {
    // Before, all 4 lines were accepted: line 2 on 03-02, line 3 in 9999 (hours .. 9999-01-01).
    writeFileSync(join(dir, 'cli.log'), `${LINES.join('\n')}\n`);
    const c = captureIo(dir);
    const code = await main(['ingest', '--store', join(dir, 'cli.db'), join(dir, 'cli.log')], c.io);
    const out = c.out() + c.err();
    assert.equal(code, 0, out);
    assert.ok(
      out.includes(
        `cli.log: 4 lines, 2 accepted, 0 ignored, 2 malformed [1 impossible_date, 1 time_out_of_range] (lines 2: impossible_date: "time" 2026-02-30T10:00:00Z: February 2026 has 28 days, not 30; 3: time_out_of_range: "time" 9999-01-01T00:00:00Z: year 9999 is outside 1970-2100);`,
      ),
      out,
    );
    assert.match(out, /hours 2026-03-01T10:00:00\.000Z \.\. 2026-03-01T11:00:00\.000Z/);
  });
});
