/**
 * Bad input in a scratch tree: each bad file is reported as a finding and skipped, and the index
 * still finishes with the good files mapped.
 *
 * Tests run as root, where chmod 000 does not stop a read. Reads are made to fail instead with a
 * dangling symlink (ENOENT), a pair of symlinks pointing at each other (ELOOP), and a FIFO (which
 * the walk must not open at all: a read would block forever). A directory named like a Ruby file
 * is fed to updateFile directly: the open succeeds but it is not a regular file.
 *
 * Run twice: reading every file here, and with ripgrep ruling out the files without markers
 * first (index/ripgrepPrefilter.ts); the bad files must come out the same.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WorkspaceIndex } from '../../../../src/sdk/mapping/index/workspaceIndex';
import { findRipgrep } from '../../../../src/sdk/mapping/index/ripgrepPrefilter';
import type { Finding } from '../../../../src/sdk/mapping/types';

const KNOWN = new Set(['team_planning', 'source_code_management', 'unknown', 'not_owned']);

function write(root: string, rel: string, data: string | Buffer): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), data);
}

function describeFinding(f: Finding): string {
  return `${f.file} ${f.code} ${f.severity}`;
}

const RIPGREP = findRipgrep();

for (const ripgrep of [undefined, RIPGREP ?? '/usr/bin/rg (not installed: apt-get install ripgrep)']) describe(`bad input (${ripgrep ? 'ripgrep pre-filter' : 'every file read here'})`, () => {
  let root: string;
  let index: WorkspaceIndex;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'bl-bad-'));
    write(root, 'app/controllers/good_controller.rb', 'class GoodController < ApplicationController\n  feature_category :team_planning\n\n  def index\n  end\nend\n');
    // A Ruby syntax error: the class body is never closed.
    write(root, 'app/controllers/broken_controller.rb', 'class BrokenController < ApplicationController\n  feature_category :team_planning\n  def index\n    if true\n  end\n');
    // A binary file with a Ruby name: NUL bytes in the first 8 KB.
    write(root, 'app/models/blob.rb', Buffer.from([0x23, 0x20, 0x00, 0x01, 0x02, 0xff, 0x00, 0x0a]));
    // A 50 MB file, created sparse so the test stays fast; it must not even be read.
    mkdirSync(join(root, 'db'), { recursive: true });
    const fd = openSync(join(root, 'db/structure_dump.rb'), 'w');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    // A directory symlink to the root: a loop if followed.
    symlinkSync(root, join(root, 'app/self'));
    symlinkSync(join(root, 'nowhere.rb'), join(root, 'app/dangling.rb'));
    symlinkSync(join(root, 'app/ping.rb'), join(root, 'app/pong.rb'));
    symlinkSync(join(root, 'app/pong.rb'), join(root, 'app/ping.rb'));
    execFileSync('mkfifo', [join(root, 'app/fifo_worker.rb')]);
    mkdirSync(join(root, 'lib/not_a_file.rb'), { recursive: true });
    // Two files without markers: one plain, one with a NUL byte past the first 8 KB (text for the
    // scanner; ripgrep stops at the NUL and leaves it to the scanner).
    write(root, 'app/models/plain.rb', 'class Plain\n  def x\n  end\nend\n');
    write(root, 'app/models/late_nul.rb', Buffer.concat([Buffer.from('# '.padEnd(9000, 'x') + '\n'), Buffer.from([0, 0x0a])]));
    index = new WorkspaceIndex({ root, knownCategories: KNOWN, workers: 1, ripgrep });
    await index.build();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the good file is indexed', () => {
    assert.equal(index.endpoint('GoodController#index')?.category, 'team_planning');
  });

  test('every bad entry is a finding, and nothing else is', () => {
    assert.deepEqual(index.findings().map(describeFinding), [
      'app/controllers/broken_controller.rb parse_error error',
      'app/dangling.rb file_skipped warning',
      'app/fifo_worker.rb file_skipped info',
      'app/models/blob.rb file_skipped info',
      'app/ping.rb file_skipped warning',
      'app/pong.rb file_skipped warning',
      'app/self file_skipped info',
      'db/structure_dump.rb file_skipped info',
    ]);
  });

  test('the messages say why', () => {
    const message = (file: string): string | undefined => index.findings().find((f) => f.file === file)?.message;
    assert.equal(message('db/structure_dump.rb'), 'file skipped: 50.0 MB is over the 2 MB limit');
    assert.equal(message('app/models/blob.rb'), 'file skipped: binary (NUL byte in the first 8 KB)');
    assert.equal(message('app/dangling.rb'), 'file skipped: unreadable symlink (ENOENT)');
    assert.equal(message('app/ping.rb'), 'file skipped: unreadable symlink (ELOOP)');
    assert.equal(message('app/self'), 'directory symlink not followed');
  });

  test('the syntax error points into the file, past line 1', () => {
    const f = index.findings().find((x) => x.code === 'parse_error');
    assert.equal(f?.file, 'app/controllers/broken_controller.rb');
    assert.ok((f?.line ?? 0) >= 1 && (f?.line ?? 0) <= 6, `line ${f?.line}`);
  });

  test('skipped files count in the build stats', () => {
    // blob.rb and structure_dump.rb are read-skipped; 5 walk findings (symlinks, FIFO, loop).
    assert.equal(index.lastBuild?.skipped, 7);
  });

  test('ripgrep rules out only the plain file, so the bad ones are still read and reported', () => {
    if (!ripgrep) {
      assert.equal(index.lastBuild?.prefilter, undefined);
      return;
    }
    assert.equal(index.lastBuild?.prefilter?.error, undefined);
    // plain.rb only: the controllers hold markers, blob.rb and late_nul.rb a NUL byte, the
    // 50 MB file is over the size limit, the symlinks and the FIFO are not searched.
    assert.equal(index.lastBuild?.prefilter?.ruledOut, 1);
    assert.deepEqual(index.fileMapping('app/models/plain.rb'), { file: 'app/models/plain.rb', categories: [], endpoints: [], findings: [] });
    assert.deepEqual(index.fileMapping('app/models/late_nul.rb'), { file: 'app/models/late_nul.rb', categories: [], endpoints: [], findings: [] });
  });

  test('updateFile on a directory named like a file reports it instead of throwing', async () => {
    await index.updateFile('lib/not_a_file.rb');
    const f = index.fileMapping('lib/not_a_file.rb')?.findings[0];
    assert.equal(f?.code, 'file_skipped');
    assert.equal(f?.message, 'file skipped: not a regular file');
  });

  test('an editor buffer with a syntax error replaces the mapping without throwing', async () => {
    await index.updateFile('app/controllers/good_controller.rb', 'class GoodController < ApplicationController\n  def index(\nend\n');
    const mapping = index.fileMapping('app/controllers/good_controller.rb');
    assert.ok(mapping?.findings.some((f) => f.code === 'parse_error'));
  });
});
