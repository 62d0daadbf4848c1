// The whatChanged suite's workspace, for both launchers (scripts/test-extension.mjs and
// .vscode-test.mjs): a copy of examples/gitlab-style outside the repo, which the suite makes a git
// repository of its own (`git init`, commits with fixed dates), so no commit is ever made in this
// repository. The example's catalog paths are pointed back at the repo's catalog/gitlab.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const GIT_WORKSPACE = join(tmpdir(), 'budget-lens-what-changed', 'gitlab-style');

/** A fresh copy (the previous run's, git history and all, removed first). */
export function prepareGitWorkspace(repo) {
  rmSync(dirname(GIT_WORKSPACE), { recursive: true, force: true });
  cpSync(join(repo, 'examples', 'gitlab-style'), GIT_WORKSPACE, { recursive: true, filter: (src) => !src.includes(`${'/'}.budgetlens${'/'}`) });
  const config = join(GIT_WORKSPACE, '.budgetlens.yml');
  writeFileSync(config, readFileSync(config, 'utf8').replaceAll('../../catalog/gitlab/', `${join(repo, 'catalog', 'gitlab')}/`));
  return GIT_WORKSPACE;
}
