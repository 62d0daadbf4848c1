/**
 * "What changed?" (issue 14 item 5): commitsTouching against a real repository made here (fixed
 * author and committer dates), spendRiseDay, definitionLines and the log parser.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { commitsTouching, definitionLines, parseGitLog, spendRiseDay } from '../../../src/sdk/project/gitHistory';

const CONTROLLER = (show: string, index: string): string =>
  [
    'class BoardsController < ApplicationController', // 1
    '  feature_category :team_planning', //            2
    '', //                                              3
    '  def index', //                                   4
    `    ${index}`, //                                  5
    '  end', //                                         6
    '', //                                              7
    '  def show', //                                    8
    `    ${show}`, //                                   9
    '  end', //                                         10
    'end', //                                           11
    '',
  ].join('\n');

describe('commitsTouching (a real git repository)', () => {
  let root = '';
  let outside = '';
  const shas: Record<string, string> = {};
  const git = (args: string[], date?: string): string =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Jane Doe',
        GIT_AUTHOR_EMAIL: 'jane@example.com',
        GIT_COMMITTER_NAME: 'Jane Doe',
        GIT_COMMITTER_EMAIL: 'jane@example.com',
        ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
      },
    });
  const commit = (name: string, text: string, date: string, subject: string): void => {
    writeFileSync(path.join(root, 'app/controllers/boards_controller.rb'), text);
    git(['add', '.']);
    git(['commit', '-q', '-m', subject], date);
    shas[name] = git(['rev-parse', 'HEAD']).trim();
  };

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'bl-git-'));
    outside = mkdtempSync(path.join(tmpdir(), 'bl-nogit-'));
    git(['init', '-q', '-b', 'main']);
    mkdirSync(path.join(root, 'app/controllers'), { recursive: true });
    commit('initial', CONTROLLER('@board = find', '@boards = all'), '2026-10-01T10:00:00Z', 'Add boards');
    commit('index', CONTROLLER('@board = find', '@boards = all.limit(20)'), '2026-11-10T10:00:00Z', 'Page the board list');
    commit('show', CONTROLLER('@board = find_by!(iid: params[:id])', '@boards = all.limit(20)'), '2026-11-20T10:00:00Z', 'Fix board *show* [x](command:evil)');
    writeFileSync(path.join(root, 'untracked.rb'), 'class X\nend\n');
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const window = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-11-29T00:00:00Z') };
  const file = 'app/controllers/boards_controller.rb';

  test("an action's lines: only the commit that changed them, with its fields", async () => {
    const answer = await commitsTouching(root, file, { startLine: 8, endLine: 10 }, window);
    assert.equal(answer.reason, undefined);
    assert.deepEqual(
      answer.commits.map((c) => c.sha),
      [shas.show],
    );
    const c = answer.commits[0]!;
    assert.equal(c.shortSha, c.sha.slice(0, c.shortSha.length));
    assert.ok(c.shortSha.length >= 7);
    assert.equal(c.author, 'Jane Doe');
    assert.equal(c.subject, 'Fix board *show* [x](command:evil)');
    assert.equal(new Date(c.date).toISOString(), '2026-11-20T10:00:00.000Z');
  });

  test('the other action: its own commit, not the one that changed show', async () => {
    const answer = await commitsTouching(root, file, { startLine: 4, endLine: 6 }, window);
    assert.deepEqual(
      answer.commits.map((c) => c.subject),
      ['Page the board list'],
    );
  });

  test('outside the window: excluded (the initial commit touched every line)', async () => {
    const wide = await commitsTouching(root, file, { startLine: 8, endLine: 10 }, { since: new Date('2026-09-01T00:00:00Z'), until: window.until });
    assert.deepEqual(
      wide.commits.map((c) => c.sha),
      [shas.show, shas.initial],
    );
    const early = await commitsTouching(root, file, { startLine: 8, endLine: 10 }, { since: new Date('2026-11-21T00:00:00Z'), until: window.until });
    assert.deepEqual(early.commits, []);
    assert.equal(early.reason, undefined);
  });

  test('no line range: every commit on the file in the window, newest first; limit', async () => {
    const all = await commitsTouching(root, file, undefined, window);
    assert.deepEqual(
      all.commits.map((c) => c.sha),
      [shas.show, shas.index],
    );
    const one = await commitsTouching(root, file, undefined, { ...window, limit: 1 });
    assert.deepEqual(
      one.commits.map((c) => c.sha),
      [shas.show],
    );
  });

  test('a file git does not track: empty (with lines: the reason)', async () => {
    assert.deepEqual(await commitsTouching(root, 'untracked.rb', undefined, window), { commits: [] });
    const lines = await commitsTouching(root, 'untracked.rb', { startLine: 1, endLine: 2 }, window);
    assert.deepEqual(lines.commits, []);
    assert.match(lines.reason ?? '', /does not track untracked\.rb/);
  });

  test('not a repository: empty with the reason', async () => {
    const answer = await commitsTouching(outside, file, undefined, window);
    assert.deepEqual(answer.commits, []);
    assert.match(answer.reason ?? '', /not in a git repository/);
  });

  test('git missing, a path that reads as an option, a bad range: empty with the reason, no throw', async () => {
    assert.match((await commitsTouching(root, file, undefined, { ...window, git: '/nonexistent/git' })).reason ?? '', /not on PATH/);
    assert.match((await commitsTouching(root, '--output=x', undefined, window)).reason ?? '', /not a file path/);
    assert.match((await commitsTouching(root, file, { startLine: 5, endLine: 2 }, window)).reason ?? '', /not a line range/);
  });

  test('an aborted signal: cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    assert.deepEqual(await commitsTouching(root, file, undefined, { ...window, signal: controller.signal }), { commits: [], reason: 'cancelled' });
  });
});

describe('parseGitLog', () => {
  test('records, a subject holding the separator, a patch after the record ignored', () => {
    const sha = 'a'.repeat(40);
    const out = `\x1e${sha}\x1faaaaaaa\x1f2026-11-20T10:00:00+00:00\x1fJane\x1fa\x1fb\n\ndiff --git a/x b/x\n+x\n\x1enot a record\n`;
    assert.deepEqual(parseGitLog(out), [{ sha, shortSha: 'aaaaaaa', date: '2026-11-20T10:00:00+00:00', author: 'Jane', subject: 'a\x1fb' }]);
  });
});

describe('definitionLines', () => {
  test("a Ruby def: from its line to its end; out of range: undefined", () => {
    const text = CONTROLLER('x', 'y');
    assert.deepEqual(definitionLines(text, 8, 'a.rb'), { startLine: 8, endLine: 10 });
    assert.deepEqual(definitionLines(text, 4, 'a.rb'), { startLine: 4, endLine: 6 });
    assert.equal(definitionLines(text, 99, 'a.rb'), undefined);
  });
});

describe('spendRiseDay', () => {
  test('the largest day-over-day rise, the first day never chosen, unsorted input', () => {
    const daily = [
      { date: '2026-11-03', spentMinutes: 1 },
      { date: '2026-11-01', spentMinutes: 9 },
      { date: '2026-11-02', spentMinutes: 0.5 },
      { date: '2026-11-04', spentMinutes: 4 },
      { date: '2026-11-05', spentMinutes: 0 },
    ];
    assert.deepEqual(spendRiseDay(daily), { date: '2026-11-04', riseMinutes: 3, spentMinutes: 4 });
  });
  test('a tie: the earlier day; flat, falling or short series: undefined', () => {
    assert.equal(
      spendRiseDay([
        { date: '2026-11-01', spentMinutes: 0 },
        { date: '2026-11-02', spentMinutes: 2 },
        { date: '2026-11-03', spentMinutes: 0 },
        { date: '2026-11-04', spentMinutes: 2 },
      ])?.date,
      '2026-11-02',
    );
    assert.equal(spendRiseDay([]), undefined);
    assert.equal(spendRiseDay([{ date: '2026-11-01', spentMinutes: 5 }]), undefined);
    assert.equal(
      spendRiseDay([
        { date: '2026-11-01', spentMinutes: 5 },
        { date: '2026-11-02', spentMinutes: 5 },
        { date: '2026-11-03', spentMinutes: 1 },
      ]),
      undefined,
    );
  });
});
