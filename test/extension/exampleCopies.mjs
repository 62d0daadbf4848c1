// Copies of examples/gitlab-style outside the repo, for the suites that change their workspace, for
// both launchers (scripts/test-extension.mjs and .vscode-test.mjs), so nothing a suite does reaches
// the example itself. Each copy's catalog paths are pointed back at the repo's catalog/gitlab.
// - whatChanged: the suite makes it a git repository of its own (`git init`, commits with fixed
//   dates), so no commit is ever made in this repository.
// - adjustments: the suite writes manual adjustments into the workspace's own .budgetlens.yml (the
//   Prometheus backend applies the workspace's) and puts the file back.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Suite -> the folder of its copy (made by prepareCopy). */
export const COPY_WORKSPACES = {
  whatChanged: join(tmpdir(), 'budget-lens-what-changed', 'gitlab-style'),
  adjustments: join(tmpdir(), 'budget-lens-adjustments', 'gitlab-style'),
};

/** A fresh copy of the example for `suite` (the previous run's, git history and all, removed first); its folder. */
export function prepareCopy(repo, suite) {
  const target = COPY_WORKSPACES[suite];
  rmSync(dirname(target), { recursive: true, force: true });
  cpSync(join(repo, 'examples', 'gitlab-style'), target, { recursive: true, filter: (src) => !src.includes(`${'/'}.budgetlens${'/'}`) });
  const config = join(target, '.budgetlens.yml');
  writeFileSync(config, readFileSync(config, 'utf8').replaceAll('../../catalog/gitlab/', `${join(repo, 'catalog', 'gitlab')}/`));
  return target;
}
