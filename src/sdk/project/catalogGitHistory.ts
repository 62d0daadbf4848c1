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
import { parseProjectConfig } from '../config/projectConfig';

export interface CatalogGitHistoryOptions {
  stagesPath: string;
  featureCategoriesPath?: string;
  /** Today's config: the targets of every epoch unless `configPath` gives them their own history. */
  config?: CatalogConfigInput;
  /**
   * The project's `.budgetlens.yml`: its commits are epochs too, each with the `groups:` (custom
   * targets, ignored components) and `defaultTarget` it held then (targets with their history,
   * issue 15 item 2); a commit before the file existed has none (the defaults).
   */
  configPath?: string;
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
  const top = await git(['-C', dir, 'rev-parse', '--show-toplevel'], opts);
  if ('reason' in top) {
    if (/not a git repository/i.test(top.reason)) return { reason: `${dir} is not in a git repository` };
    return { reason: top.reason };
  }
  const root = top.out.trim();
  // Paths from the top of the work tree, `/`-separated (git's own form); one outside it is not logged.
  const fromTop = (f: string): string | undefined => {
    const rel = path.relative(root, f).split(path.sep).join('/');
    return rel.startsWith('../') || path.isAbsolute(rel) ? undefined : rel;
  };
  const stagesRel = fromTop(opts.stagesPath);
  const fcRel = opts.featureCategoriesPath ? fromTop(opts.featureCategoriesPath) : undefined;
  const configRel = opts.configPath ? fromTop(opts.configPath) : undefined;
  if (stagesRel === undefined) return { reason: `${opts.stagesPath} is outside the git work tree ${root}` };
  const files = [stagesRel, ...(fcRel ? [fcRel] : []), ...(configRel ? [configRel] : [])];
  if (files.some((f) => f.startsWith('-') || /[\0\n]/.test(f))) return { reason: `not a file path git can log: ${files.join(', ')}` };
  const log = await git(['-C', root, '-c', 'core.quotepath=off', '--no-pager', 'log', '--no-color', '--format=%H %cI', '--', ...files], opts);
  if ('reason' in log) {
    if (/does not have any commits|bad default revision/i.test(log.reason)) return { reason: 'the repository has no commits yet' };
    return { reason: log.reason };
  }
  const commits = log.out
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((p): p is [string, string] => p.length === 2 && /^[0-9a-f]{7,64}$/.test(p[0]!))
    .reverse();
  if (commits.length === 0) return { reason: `git has no commits of ${files.join(' or ')}` };
  // By instant: two commits in the same second keep the later one (git log order) in force.
  const epochs = new Map<number, CatalogEpoch>();
  const skipped: Array<{ sha: string; reason: string }> = [];
  let targets: CatalogConfigInput | undefined = configRel === undefined ? opts.config : undefined;
  for (const [sha, date] of commits) {
    const from = Date.parse(date);
    const short = sha.slice(0, 12);
    if (configRel !== undefined) {
      // The targets the config held at this commit; one that does not parse keeps the ones before.
      const text = await git(['-C', root, '--no-pager', 'show', `${sha}:${configRel}`], opts);
      if ('out' in text) {
        try {
          const c = parseProjectConfig(text.out, `${opts.configPath}@${short}`);
          targets = { defaultTarget: c.defaultTarget, groups: c.groups, file: c.file, locations: c.locations };
        } catch (e) {
          if (!InputError.is(e)) throw e;
          skipped.push({ sha, reason: `its ${configRel} does not parse, so its targets are not used: ${e.message}` });
        }
      } else targets = undefined;
    }
    const stages = await git(['-C', root, '--no-pager', 'show', `${sha}:${stagesRel}`], opts);
    if ('reason' in stages) {
      skipped.push({ sha, reason: `${stagesRel} is not in the commit: ${stages.reason}` });
      continue;
    }
    const fc = fcRel === undefined ? undefined : await git(['-C', root, '--no-pager', 'show', `${sha}:${fcRel}`], opts);
    const label = `commit ${short}`;
    try {
      const catalog = parseCatalog(stages.out, `${opts.stagesPath}@${short}`, fc && 'out' in fc ? fc.out : undefined, opts.featureCategoriesPath ? `${opts.featureCategoriesPath}@${short}` : undefined, targets);
      epochs.set(from, { from, catalog, label });
    } catch (e) {
      if (!InputError.is(e)) throw e;
      skipped.push({ sha, reason: e.message });
    }
  }
  if (epochs.size === 0) return { reason: `no commit of ${files.join(' or ')} holds a catalog that parses${skipped[0] ? ` (${skipped[0].reason})` : ''}` };
  return { history: new CatalogHistory([...epochs.values()]), commits: commits.length, skipped };
}
