import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { captureIo } from '../../support/cliIo';
import { integrityCheck, storeSums } from '../../support/storeSnapshot';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { KILL_AFTER_ROWS_ENV } from '../../../src/sdk/store/aggregateWriter';
import { WRITER_MODE_ENV } from '../../../src/sdk/store/storeWriter';
import { run as runIngest } from '../../../src/cli/commands/ingest';

const REPO = resolve(__dirname, '../../..');

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bl-ingest-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every count in the store and the ingested files, so "nothing changed" is one deepEqual. */
function snapshot(path: string): Record<string, unknown> {
  const db = new Database(path, { readonly: true });
  try {
    return { ...storeSums(path), files: db.prepare('SELECT COUNT(*) AS n FROM ingested_files').get() };
  } finally {
    db.close();
  }
}

/** `count` request lines over `endpoints` endpoints and 48 hours; every 10th is a 500, the rest 0.1 s. */
function bigLog(count: number, endpoints: number): string {
  const base = Date.UTC(2024, 2, 1);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = new Date(base + (i % 48) * 3_600_000 + (i % 60) * 1000).toISOString();
    lines.push(
      JSON.stringify({ time: t, status: i % 10 === 0 ? 500 : 200, duration_s: 0.1, 'meta.caller_id': `E${i % endpoints}#a`, 'meta.feature_category': `cat_${i % 7}` }),
    );
  }
  return `${lines.join('\n')}\n`;
}


describe('ingest into a real SQLite store', () => {
  test('re-ingesting the same content adds nothing and says so, even under another name', async () => {
    const store = join(dir, 'dup.db');
    const f = join(dir, 'one.log.gz');
    writeFileSync(f, gzipSync(bigLog(1000, 10)));
    const first = await ingestFiles(store, [f]);
    assert.equal(first.files[0]?.status, 'ingested');
    assert.equal(first.files[0]?.accepted, 1000);
    const before = snapshot(store);
    // 1000 lines: 100 errors (every 10th), 900 successes; o = 1000.
    assert.deepEqual(before['hourly_category'], { n: (before['hourly_category'] as { n: number }).n, s: 900, w: 900, o: 1000, e: 100 });
    const renamed = join(dir, 'renamed.gz');
    copyFileSync(f, renamed);
    const again = await ingestFiles(store, [f, renamed]);
    assert.deepEqual(
      again.files.map((r) => [r.status, r.rowsWritten, r.previous?.name]),
      [
        ['duplicate', 0, 'one.log.gz'],
        ['duplicate', 0, 'one.log.gz'],
      ],
    );
    assert.deepEqual(snapshot(store), before);
  });

  test('an unreadable file fails alone; the others are ingested', async () => {
    const store = join(dir, 'partial.db');
    const good = join(dir, 'good.log');
    writeFileSync(good, bigLog(50, 5));
    const corrupt = join(dir, 'corrupt.gz');
    writeFileSync(corrupt, Buffer.concat([gzipSync(bigLog(50, 5)).subarray(0, 30), Buffer.from('not gzip')]));
    const r = await ingestFiles(store, [join(dir, 'missing.log'), corrupt, good]);
    assert.deepEqual(
      r.files.map((f) => f.status),
      ['failed', 'failed', 'ingested'],
    );
    assert.match(r.files[0]?.error ?? '', /ENOENT/);
    assert.equal((snapshot(store)['files'] as { n: number }).n, 1);
    assert.equal((snapshot(store)['hourly_category'] as { o: number }).o, 50);
  });

  for (const mode of ['thread', 'main'] as const) {
    test(`files of one call: the next parses while the last commits; a copy within the call is a duplicate (${mode} writer)`, async () => {
      const store = join(dir, `pipelined-${mode}.db`);
      const a = join(dir, `a-${mode}.log`);
      writeFileSync(a, bigLog(300, 6));
      const copy = join(dir, `copy-of-a-${mode}.log`);
      copyFileSync(a, copy);
      const b = join(dir, `b-${mode}.log.gz`);
      writeFileSync(b, gzipSync(bigLog(700, 9)));
      const seen: string[] = [];
      const r = await ingestFiles(store, [a, copy, b], { writer: mode, onFile: (f) => seen.push(f.file) });
      assert.deepEqual(seen, [a, copy, b]);
      assert.deepEqual(
        r.files.map((f) => [f.status, f.previous?.name]),
        [
          ['ingested', undefined],
          ['duplicate', `a-${mode}.log`],
          ['ingested', undefined],
        ],
      );
      assert.equal(r.files[1]?.rowsWritten, 0);
      const s = snapshot(store);
      // a once (300 operations, 30 errors) and b (700 operations, 70 errors); the copy adds nothing.
      assert.deepEqual(s['files'], { n: 2 });
      assert.equal((s['hourly_category'] as { o: number }).o, 1_000);
      assert.equal((s['daily_endpoint'] as { e: number }).e, 100);
    });
  }

  for (const mode of ['thread', 'main'] as const) {
    test(`a process SIGKILLed mid-transaction leaves the store exactly as before (writes on ${mode === 'thread' ? 'a worker thread' : 'the main thread'})`, async () => {
      const store = join(dir, `killed-${mode}.db`);
      const small = join(dir, `small-${mode}.log`);
      writeFileSync(small, bigLog(200, 4));
      await ingestFiles(store, [small]);
      const before = snapshot(store);
      // 80,000 lines over 200 endpoints x 48 hours: the first chunk of closed hours is written
      // after 32,768 lines, while the file is still being parsed, and holds far more than the
      // 500 rows after which the child kills itself inside the open write transaction.
      const big = join(dir, `big-${mode}.log.gz`);
      writeFileSync(big, gzipSync(bigLog(80_000, 200)));
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'ingest', big, '--store', store], {
        cwd: REPO,
        env: { ...process.env, [KILL_AFTER_ROWS_ENV]: '500', [WRITER_MODE_ENV]: mode },
        encoding: 'utf8',
      });
      assert.equal(child.signal, 'SIGKILL', `child exited with ${child.status}: ${child.stderr}`);
      assert.equal(integrityCheck(store), 'ok');
      assert.deepEqual(snapshot(store), before);
      // The same file ingests fine afterwards, and only once.
      const after = await ingestFiles(store, [big], { writer: mode });
      assert.equal(after.files[0]?.status, 'ingested');
      assert.equal(after.files[0]?.accepted, 80_000);
      const s = snapshot(store);
      // 200 + 80,000 operations; errors every 10th line: 20 + 8,000.
      assert.equal((s['hourly_category'] as { o: number }).o, 80_200);
      assert.equal((s['daily_endpoint'] as { e: number }).e, 8_020);
      assert.equal((s['files'] as { n: number }).n, 2);
    });
  }
});

describe('budget-lens ingest (CLI)', () => {
  test('prints a summary per file with malformed line numbers and exits 0', async () => {
    const f = join(dir, 'cli.log');
    writeFileSync(f, `${bigLog(3, 1)}{broken\n\n{"time":"2024-03-01T00:00:00Z","status":200}\n`);
    const { io, out, err } = captureIo(dir);
    const code = await runIngest(['cli.log', '--store', 'cli/store.db'], io);
    assert.equal(code, 0, err());
    // Lines 1-3 accepted, 4 invalid JSON, 5 blank (ignored), 6 has no endpoint id.
    assert.match(out(), /cli\.log: 6 lines, 3 accepted, 1 ignored, 2 malformed \(lines 4: invalid JSON; 6: request line without/);
    assert.match(out(), /1 file\(s\): 1 ingested, 0 duplicate, 0 failed; 3 events added/);
    const again = captureIo(dir);
    assert.equal(await runIngest([f, '--store', join(dir, 'cli/store.db')], again.io), 0);
    assert.match(again.out(), /duplicate of cli\.log ingested .*: skipped, nothing added/);
  });

  test('exits 1 when a file cannot be read, and reports it on stderr', async () => {
    const { io, err } = captureIo(dir);
    assert.equal(await runIngest(['nope.log', '--store', 'cli2.db'], io), 1);
    assert.match(err(), /nope\.log: cannot read: .*ENOENT/);
  });

  test('a directory argument ingests its files; no files is a usage error', async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'a.log'), bigLog(5, 1));
    writeFileSync(join(logs, 'b.log.gz'), gzipSync(bigLog(7, 2)));
    const { io, out } = captureIo(dir);
    assert.equal(await runIngest([logs, '--store', 'dir.db'], io), 0);
    assert.match(out(), /2 file\(s\): 2 ingested, 0 duplicate, 0 failed; 12 events added/);
    // A store kept inside the log directory is not ingested as a log; other junk gets a hint.
    writeFileSync(join(logs, 'notes.txt'), 'hello\nworld\n');
    const again = captureIo(dir);
    assert.equal(await runIngest([logs, '--store', join(logs, 'store.db')], again.io), 0);
    assert.doesNotMatch(again.out(), /store\.db:/);
    assert.match(again.out(), /notes\.txt: 2 lines, 0 accepted, 0 ignored, 2 malformed .*is this the right file\?/);
    const third = captureIo(dir);
    assert.equal(await runIngest([logs, '--store', join(logs, 'store.db')], third.io), 0);
    assert.match(third.out(), /3 file\(s\): 0 ingested, 3 duplicate/);
    await assert.rejects(runIngest(['--store', 'x.db'], captureIo(dir).io), /no log files given/);
  });
});
