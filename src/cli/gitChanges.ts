/**
 * The files a change touches, for `budget-lens check --changed <range>`: `git diff --name-only
 * --relative <range>` run in the workspace root, so the paths are workspace-relative (the index's
 * own form) and a workspace in a sub-directory of its repository sees only its own files.
 */
import { execFile } from 'node:child_process';
import { UsageError } from './io';

/** A range git can diff and that cannot be read as an option: `HEAD~1..HEAD`, `origin/main...HEAD`, a commit. */
export function checkRange(range: string): string {
  if (range.trim() === '') throw new UsageError('--changed: expected a git range such as origin/main...HEAD, got an empty string');
  if (range.startsWith('-')) throw new UsageError(`--changed: '${range}' is not a git range (it starts with '-')`);
  if (/[\0\n]/.test(range)) throw new UsageError('--changed: a git range has no NUL or newline');
  return range;
}

/** Thrown when git is missing or refuses the range; the message says what ran, where, and git's own words. */
export class GitError extends Error {
  override readonly name = 'GitError';
}

/**
 * The workspace-relative paths (`/` separators) of the files `range` changes under `root`, sorted.
 * Deleted files are listed too (the caller finds them missing from the index).
 */
export function changedFiles(root: string, range: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const args = ['-c', 'core.quotepath=off', 'diff', '--name-only', '--relative', '-z', checkRange(range), '--'];
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: root, env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return reject(new GitError('git is not on PATH; --changed needs it'));
        const said = stderr.trim().split('\n').filter(Boolean).slice(0, 3).join(' / ') || err.message;
        return reject(new GitError(`git diff --name-only ${range} failed in ${root}: ${said}`));
      }
      resolve([...new Set(stdout.split('\0').filter((p) => p !== ''))].sort());
    });
  });
}
