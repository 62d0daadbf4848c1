/**
 * The catalog history from git (issue 15 item 1, `catalog: { history: git }`): every commit that
 * touched the catalog files (`git log --format=%H %cI -- <stages> <featureCategories>`), each
 * catalog (`git show <sha>:./<file>`) in force from its commit time (the committer date: when the
 * change landed, not when it was written). Local and read-only like gitHistory.ts: no network, a
 * timeout, never a throw: a reason instead (not a repository, git missing, files never committed).
 * A commit whose catalog does not parse keeps the catalog before it in force, and is listed in
 * `skipped` with the parser's error.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { CatalogHistory } from '../catalog/catalogHistory';
import type { CatalogEpoch } from '../catalog/catalogHistory';
import { parseCatalog } from '../catalog/catalogParser';
import type { CatalogConfigInput } from '../catalog/catalogParser';
import { InputError } from '../contract/errors';

export interface CatalogGitHistoryOptions {
  stagesPath: string;
  featureCategoriesPath?: string;
  config?: CatalogConfigInput;
  /** Per git call; default 10000 ms. */
  timeoutMs?: number;
  git?: string;
}

export type CatalogGitHistory =
  | { history: CatalogHistory; commits: number; skipped: Array<{ sha: string; reason: string }> }
  | { reason: string };

const ENV = (): NodeJS.ProcessEnv => ({ ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' });

function git(args: string[], opts: CatalogGitHistoryOptions): Promise<{ out: string } | { reason: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(opts.git ?? 'git', args, { env: ENV(), timeout: opts.timeoutMs ?? 10_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      if (!err) return resolve({ out: stdout });
      const e = err as NodeJS.ErrnoException & { killed?: boolean };
      if (e.code === 'ENOENT') return resolve({ reason: 'git is not on PATH', stderr });
      if (e.killed) return resolve({ reason: `git timed out after ${opts.timeoutMs ?? 10_000} ms`, stderr });
      const said = stderr.trim().split('\n').filter(Boolean).slice(0, 2).join(' / ').replace(/^fatal: /, '');
      resolve({ reason: said || e.message, stderr });
    });
  });
}

/** The catalog history of the files' commits, oldest first; a reason when git cannot tell it. */
export async function catalogGitHistory(opts: CatalogGitHistoryOptions): Promise<CatalogGitHistory> {
  const dir = path.dirname(opts.stagesPath);
  const files = [opts.stagesPath, ...(opts.featureCategoriesPath ? [opts.featureCategoriesPath] : [])].map((f) => path.relative(dir, f).split(path.sep).join('/'));
  if (files.some((f) => f.startsWith('-') || /[\0\n]/.test(f))) return { reason: `not a file path git can log: ${files.join(', ')}` };
  const log = await git(['-C', dir, '-c', 'core.quotepath=off', '--no-pager', 'log', '--no-color', '--format=%H %cI', '--', ...files], opts);
  if ('reason' in log) {
    if (/not a git repository/i.test(log.reason)) return { reason: `${dir} is not in a git repository` };
    if (/does not have any commits|bad default revision/i.test(log.reason)) return { reason: 'the repository has no commits yet' };
    return { reason: log.reason };
  }
  const commits = log.out
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((p): p is [string, string] => p.length === 2 && /^[0-9a-f]{7,64}$/.test(p[0]!))
    .reverse();
  if (commits.length === 0) return { reason: `git has no commits of ${files.join(' or ')}` };
  const [stagesRel, fcRel] = files;
  // By instant: two commits in the same second keep the later one (git log order) in force.
  const epochs = new Map<number, CatalogEpoch>();
  const skipped: Array<{ sha: string; reason: string }> = [];
  for (const [sha, date] of commits) {
    const from = Date.parse(date);
    const stages = await git(['-C', dir, '--no-pager', 'show', `${sha}:./${stagesRel}`], opts);
    if ('reason' in stages) {
      skipped.push({ sha, reason: `${stagesRel} is not in the commit: ${stages.reason}` });
      continue;
    }
    const fc = fcRel === undefined ? undefined : await git(['-C', dir, '--no-pager', 'show', `${sha}:./${fcRel}`], opts);
    const label = `commit ${sha.slice(0, 12)}`;
    try {
      const catalog = parseCatalog(stages.out, `${opts.stagesPath}@${sha.slice(0, 12)}`, fc && 'out' in fc ? fc.out : undefined, opts.featureCategoriesPath ? `${opts.featureCategoriesPath}@${sha.slice(0, 12)}` : undefined, opts.config);
      epochs.set(from, { from, catalog, label });
    } catch (e) {
      if (!InputError.is(e)) throw e;
      skipped.push({ sha, reason: e.message });
    }
  }
  if (epochs.size === 0) return { reason: `no commit of ${files.join(' or ')} holds a catalog that parses${skipped[0] ? ` (${skipped[0].reason})` : ''}` };
  return { history: new CatalogHistory([...epochs.values()]), commits: commits.length, skipped };
}
