/**
 * "What changed?" (issue 14 item 5): the commits that touched an endpoint's code within a budget
 * window, and the day its spend rose, so a regression leads to its change. Plain `git` in a child
 * process, read-only and local: `git log` never fetches, GIT_TERMINAL_PROMPT=0 and no pager, a
 * timeout, an AbortSignal. A folder that is not a repository, git missing, a file git does not
 * track or a range past its end: no commits, with the reason (never a throw).
 *
 * With a line range, `git log -L start,end:file --no-patch` follows those lines through history
 * (as of HEAD: uncommitted edits that shift them are not known to git); without, `-- file`.
 */
import { execFile } from 'node:child_process';
import { definitionEnd } from '../mapping/annotations';

/** One commit that touched the code, as `git log` tells it. */
export interface CommitInfo {
  sha: string;
  shortSha: string;
  /** Author date, ISO 8601 with the author's offset (`2026-11-20T10:00:00+01:00`). */
  date: string;
  author: string;
  subject: string;
}

export interface CommitsTouchingOptions {
  since: Date;
  until: Date;
  /** At most this many, newest first (default 3). */
  limit?: number;
  signal?: AbortSignal;
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** The git binary (default `git` on PATH). */
  git?: string;
}

/** The answer: the commits (newest first) and, when there are none because git could not say, why. */
export interface CommitsTouching {
  commits: CommitInfo[];
  /** Set when git was not asked or failed: not a repository, git missing, untracked file, timeout. */
  reason?: string;
}

export interface LineRange {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

const RECORD = '\x1e';
const FIELD = '\x1f';
const FORMAT = `--format=${'%x1e'}%H${'%x1f'}%h${'%x1f'}%aI${'%x1f'}%an${'%x1f'}%s`;

/** Parses `--format` records; anything after a record's first line (a patch) is ignored. */
export function parseGitLog(stdout: string): CommitInfo[] {
  const out: CommitInfo[] = [];
  for (const record of stdout.split(RECORD)) {
    const first = record.split('\n', 1)[0]!;
    const [sha, shortSha, date, author, ...subject] = first.split(FIELD);
    if (!sha || !/^[0-9a-f]{7,64}$/.test(sha) || shortSha === undefined || date === undefined || author === undefined) continue;
    out.push({ sha, shortSha, date, author, subject: subject.join(FIELD) });
  }
  return out;
}

/**
 * The commits (no merges) between `since` and `until` (committer dates) that touched `lines` of
 * `file` (workspace-relative to `root`, `/` separators), or the file when `lines` is undefined.
 */
export function commitsTouching(root: string, file: string, lines: LineRange | undefined, options: CommitsTouchingOptions): Promise<CommitsTouching> {
  const limit = Math.max(1, Math.floor(options.limit ?? 3));
  if (file === '' || file.startsWith('-') || /[\0\n]/.test(file)) return Promise.resolve({ commits: [], reason: `not a file path git can log: ${JSON.stringify(file)}` });
  if (lines && !(Number.isInteger(lines.startLine) && Number.isInteger(lines.endLine) && lines.startLine >= 1 && lines.endLine >= lines.startLine)) {
    return Promise.resolve({ commits: [], reason: `not a line range: ${lines.startLine},${lines.endLine}` });
  }
  const args = [
    '-C',
    root,
    '-c',
    'core.quotepath=off',
    '--no-pager',
    'log',
    '--no-merges',
    '--no-color',
    '--no-ext-diff',
    `--since=${options.since.toISOString()}`,
    `--until=${options.until.toISOString()}`,
    FORMAT,
    // -L has no -n of its own that stops the walk early; -n limits what it prints.
    `-n${limit}`,
    ...(lines ? [`-L${lines.startLine},${lines.endLine}:${file}`, '--no-patch'] : ['--', file]),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
  return new Promise((resolve) => {
    execFile(options.git ?? 'git', args, { env, timeout: options.timeoutMs ?? 5000, signal: options.signal, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        if (e.name === 'AbortError' || options.signal?.aborted) return resolve({ commits: [], reason: 'cancelled' });
        if (e.code === 'ENOENT') return resolve({ commits: [], reason: 'git is not on PATH' });
        if (e.killed) return resolve({ commits: [], reason: `git log timed out after ${options.timeoutMs ?? 5000} ms` });
        const said = stderr.trim().split('\n').filter(Boolean).slice(0, 2).join(' / ');
        if (/not a git repository/i.test(said)) return resolve({ commits: [], reason: `${root} is not in a git repository` });
        if (/no path .* in the commit|does not exist in/i.test(said)) return resolve({ commits: [], reason: `git does not track ${file}` });
        if (/does not have any commits|bad default revision|unknown revision/i.test(said)) return resolve({ commits: [], reason: 'the repository has no commits yet' });
        return resolve({ commits: [], reason: said.replace(/^fatal: /, '') || e.message });
      }
      resolve({ commits: parseGitLog(stdout).slice(0, limit) });
    });
  });
}

/**
 * The lines of the definition (`def`, route block, function) starting at 1-based `line` of a
 * file's text: an endpoint's own lines, for `commitsTouching` when the index holds only its start.
 */
export function definitionLines(text: string, line: number, file: string): LineRange | undefined {
  const lines = text.split(/\r?\n/);
  if (!Number.isInteger(line) || line < 1 || line > lines.length) return undefined;
  return { startLine: line, endLine: Math.min(lines.length, definitionEnd(lines, line - 1, file) + 1) };
}

/** The day of a daily series (domain.md F7's per-day spend) whose spend rose most over the day before. */
export interface SpendRise {
  date: string;
  /** Its spend minus the day before's, budget-min (> 0). */
  riseMinutes: number;
  spentMinutes: number;
}

/**
 * The day with the largest day-over-day rise in spend (the earlier day on a tie). The window's
 * first day has no day before it in the series (the window may start mid-burn), so it is never
 * chosen. Undefined when no day rose (a flat or falling series, fewer than two days).
 */
export function spendRiseDay(daily: ReadonlyArray<{ date: string; spentMinutes: number }>): SpendRise | undefined {
  const days = [...daily].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let best: SpendRise | undefined;
  for (let i = 1; i < days.length; i++) {
    const rise = days[i]!.spentMinutes - days[i - 1]!.spentMinutes;
    if (!(rise > 0) || !Number.isFinite(rise)) continue;
    if (best === undefined || rise > best.riseMinutes) best = { date: days[i]!.date, riseMinutes: rise, spentMinutes: days[i]!.spentMinutes };
  }
  return best;
}

/**
 * What `git show <sha> -- <file>` prints (the commit's header and its patch of that file), for
 * the editor's "open the commit"; the reason instead when git cannot say. Local and read-only.
 */
export function commitText(root: string, sha: string, file: string | undefined, options: { signal?: AbortSignal; timeoutMs?: number; git?: string } = {}): Promise<{ text: string } | { reason: string }> {
  if (!/^[0-9a-f]{7,64}$/.test(sha)) return Promise.resolve({ reason: `not a commit id: ${JSON.stringify(sha)}` });
  if (file !== undefined && (file === '' || file.startsWith('-') || /[\0\n]/.test(file))) return Promise.resolve({ reason: `not a file path git can show: ${JSON.stringify(file)}` });
  const args = ['-C', root, '-c', 'core.quotepath=off', '--no-pager', 'show', '--no-color', '--no-ext-diff', '--format=fuller', sha, '--', ...(file !== undefined ? [file] : [])];
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
  return new Promise((resolve) => {
    execFile(options.git ?? 'git', args, { env, timeout: options.timeoutMs ?? 10000, signal: options.signal, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      if (!err) return resolve({ text: stdout });
      const e = err as NodeJS.ErrnoException & { killed?: boolean };
      if (e.code === 'ENOENT') return resolve({ reason: 'git is not on PATH' });
      resolve({ reason: stderr.trim().split('\n').filter(Boolean).slice(0, 2).join(' / ').replace(/^fatal: /, '') || e.message });
    });
  });
}

const DAY_MS = 86_400_000;

/**
 * A budget window (ISO start and end) rounded out to whole UTC days, for `commitsTouching`: the
 * start of its first day to the end of its last, so a window that moves by minutes asks git the
 * same question all day. Undefined for times that are not times or an end before the start.
 */
export function wholeDays(window: { start: string; end: string }): { since: Date; until: Date } | undefined {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return undefined;
  return { since: new Date(Math.floor(start / DAY_MS) * DAY_MS), until: new Date(Math.ceil(end / DAY_MS) * DAY_MS) };
}
