/**
 * `budget-lens ingest --follow` in a child process: tails a live log through growth, rename +
 * create and copytruncate, prints progress, and on SIGINT exits 0 with everything it read
 * committed. Every line is one request, so the store's operation count is the lines counted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { numberedRequestLines } from '../../support/logEndpoints';

const REPO = resolve(__dirname, '../../..');
let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bl-follow-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function counted(store: string): number {
  const db = new Database(store, { readonly: true });
  try {
    return (db.prepare('SELECT COALESCE(SUM(o), 0) AS o FROM hourly_category').get() as { o: number }).o;
  } finally {
    db.close();
  }
}

test('ingest --follow tails growth, rename + create and copytruncate, and stops cleanly on SIGINT', async () => {
  const live = join(dir, 'production_json.log');
  const store = join(dir, 'store.db');
  writeFileSync(live, numberedRequestLines(0, 3));
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'ingest', live, '--store', store, '--follow', '--interval', '0.1'], { cwd: REPO });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const waitFor = async (text: string): Promise<void> => {
    const until = Date.now() + 30_000;
    while (!out.includes(text)) {
      if (Date.now() > until) throw new Error(`no '${text}' in: ${out}\n${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    // 3 lines at the start.
    await waitFor('(3 since start)');
    // Grows by 2: 5.
    appendFileSync(live, numberedRequestLines(3, 2));
    await waitFor('(5 since start)');
    // rename + create: 1 more line in the old file before the rename, 2 in the new one: 8.
    appendFileSync(live, numberedRequestLines(5, 1));
    renameSync(live, `${live}.1`);
    writeFileSync(live, numberedRequestLines(100, 2));
    await waitFor('(8 since start)');
    // copytruncate: 1 more line, copied to .1, truncated, 2 new lines: 11.
    appendFileSync(live, numberedRequestLines(102, 1));
    copyFileSync(live, `${live}.1`);
    truncateSync(live, 0);
    appendFileSync(live, numberedRequestLines(200, 2));
    await waitFor('(11 since start)');
    // A partial line is not counted until it ends; then SIGINT.
    appendFileSync(live, numberedRequestLines(202, 1).slice(0, 30));
    child.kill('SIGINT');
    assert.equal(await exited, 0, err);
  } finally {
    child.kill('SIGKILL');
  }
  assert.match(out, /stopped: 11 events added/);
  // 3 + 2 + 1 + 2 + 1 + 2 = 11, committed.
  assert.equal(counted(store), 11);
});
