/**
 * "What changed?" (issue 14 item 5) in a real git repository against a REAL Budget API. The
 * launcher opens a copy of examples/gitlab-style outside the repo (scripts/test-extension.mjs
 * prepareGitWorkspace); this suite makes it a git repository with three commits dated by hand
 * (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE), then `dist/cli.js` ingests the budget suites' base log
 * (budgetLog.ts issuesControllerLines, two hours ago) and serves it:
 *   team_planning's failing endpoints: #index f 3, #create f 2, #show f 1 (the budgetData suite's figures)
 *   the budget window: 28 d ending now; the hover asks git over it rounded out to whole UTC days
 *   commits (issues_controller.rb):
 *     IMPORT  40 days ago, 10:00 UTC: every file              -> before the window: listed nowhere
 *     CACHE    5 days ago, 10:00 UTC: line 17, inside #index  -> listed under #index only
 *     PARAMS   3 days ago, 10:00 UTC: line 67, issue_params   -> inside the window, but no action's lines: listed nowhere
 * So the category hover lists CACHE (its short sha, day and subject) under #index, and "no commit
 * touched its code in the window" under #create and #show; Show Commit opens `git show <CACHE>`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { BudgetApiProcess } from './budgetApiProcess';
import { ingestLogs, startBudgetApi } from './budgetApiProcess';
import { issuesControllerLines } from './budgetLog';
import { ISSUES, eventually, extensionPath, hoverText, openFile, setSetting, testState, unescapeMarkdown, workspaceRoot, leaveBudgetApi, useBudgetApi } from './helpers';

const TOKEN = 'budget-lens-what-changed-token';
const DAY = 86_400_000;
const AUTHOR = 'Budget Lens Test';

/** `YYYY-MM-DDT10:00:00+00:00`, `daysAgo` UTC days before today. */
function dateDaysAgo(daysAgo: number): string {
  return `${new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10)}T10:00:00+00:00`;
}

describe('what changed: the commits that touched a top offender, from a real git repository', function () {
  this.timeout(600_000);
  let dir: string;
  let api: BudgetApiProcess;
  const commits: Record<'import' | 'cache' | 'params', { sha: string; date: string }> = {} as never;

  before(async () => {
    assert.equal((await testState()).phase, 'ready');
    const root = workspaceRoot();
    assert.doesNotMatch(root, /examples[\\/]gitlab-style$/, 'the launcher opens a copy outside the repo, never the example itself');
    const git = (args: string[], date?: string): string =>
      execFileSync('git', ['-c', `user.name=${AUTHOR}`, '-c', 'user.email=test@budget-lens.invalid', '-c', 'commit.gpgsign=false', ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
      }).trim();
    const commit = (subject: string, date: string): { sha: string; date: string } => {
      git(['commit', '-q', '-a', '-m', subject], date);
      return { sha: git(['rev-parse', 'HEAD']), date };
    };
    const edit = (line: number, from: string, to: string): void => {
      const file = join(root, ISSUES);
      const lines = readFileSync(file, 'utf8').split('\n');
      assert.equal(lines[line - 1], from, `line ${line} of ${ISSUES}`);
      lines[line - 1] = to;
      writeFileSync(file, lines.join('\n'));
    };
    git(['init', '-q']);
    git(['add', '-A']);
    commits.import = commit('Import the example', dateDaysAgo(40));
    edit(17, '    @issues = issuables_collection.page(params[:page])', '    @issues = issuables_collection.page(params[:page]).with_cached_counts');
    commits.cache = commit('Cache the issue list counts', dateDaysAgo(5));
    edit(67, '    params.require(:issue).permit(:title, :description, :confidential, label_ids: [], assignee_ids: [])', '    params.require(:issue).permit(:title, :description, :confidential, :due_date, label_ids: [], assignee_ids: [])');
    commits.params = commit('Permit due_date', dateDaysAgo(3));
    assert.equal(git(['status', '--porcelain']), '', 'everything committed');

    const repo = extensionPath();
    const time = new Date(Date.now() - 2 * 3600_000).toISOString();
    const ingested = await ingestLogs(repo, 'budget-lens-ext-changed-', { 'production_json.log': issuesControllerLines(time) });
    dir = ingested.dir;
    api = await startBudgetApi({ repo, store: ingested.store, catalogDir: ingested.catalogDir, token: TOKEN, cwd: dir });
    // serve warmed the endpoint figures up before it listened: team_planning, its top endpoint #index.
    assert.match(api.stderr(), /"msg":"warmed up","ms":[\d.]+,"categories":1,"endpoints":1,"status":200\}/);
    await setSetting('group', undefined);
    await openFile(ISSUES);
    await useBudgetApi(api.url, TOKEN);
  });

  after(async () => {
    await leaveBudgetApi(api, { dir });
  });

  it('the category hover lists the commit that touched #index in the window, and no other', async () => {
    // Line 11: `  feature_category :team_planning, [...]`, column 22 is in the symbol. git answers in
    // the background: the hover says nothing of commits until a later one.
    const text = await eventually(
      'a hover with the commits',
      async () => {
        const t = await hoverText(ISSUES, 11, 22);
        return (t.match(/^ {2}- (changed|no commit)/gm) ?? []).length === 3 ? t : undefined;
      },
      30_000,
    );
    const plain = unescapeMarkdown(text);
    const under = (id: string): string => {
      const start = plain.indexOf(`[\`Projects::IssuesController#${id}\`]`);
      assert.ok(start >= 0, `#${id} among the failing endpoints:\n${plain}`);
      return plain.slice(start).split('\n')[1] ?? '';
    };
    const short = commits.cache.sha.slice(0, 7);
    const link = `command:budgetLens.showCommit?${encodeURIComponent(JSON.stringify(['Projects::IssuesController#index', commits.cache.sha])).replace(/\(/g, '%28').replace(/\)/g, '%29')}`;
    // The one commit inside the window that touched lines 16-24: its short sha (a Show Commit link), its day, subject and author.
    const day = commits.cache.date.slice(0, 10);
    const index = under('index');
    assert.ok(
      index.startsWith(`  - changed: [\`${short}\`](${link}) ${day} "Cache the issue list counts" (${AUTHOR})`),
      index,
    );
    // Neither the import (before the window) nor the commit on issue_params (other lines) anywhere.
    assert.doesNotMatch(plain, /Permit due_date|Import the example/);
    assert.doesNotMatch(plain, new RegExp(`${commits.params.sha.slice(0, 7)}|${commits.import.sha.slice(0, 7)}`));
    // #create (40-48) and #show (26-34): only the import touched them, 40 days ago.
    assert.match(under('create'), /^ {2}- no commit touched its code in the window/);
    assert.match(under('show'), /^ {2}- no commit touched its code in the window/);
  });

  it('Show Commit opens `git show <sha>` of the file beside the code', async () => {
    const outcome = await vscode.commands.executeCommand<{ sha: string; file?: string; text?: string; reason?: string }>(
      'budgetLens.showCommit',
      'Projects::IssuesController#index',
      commits.cache.sha,
    );
    assert.equal(outcome?.reason, undefined);
    assert.equal(outcome?.file, ISSUES);
    const text = outcome?.text ?? '';
    assert.ok(text.startsWith(`commit ${commits.cache.sha}\n`), text.slice(0, 200));
    assert.match(text, /\n {4}Cache the issue list counts\n/);
    assert.match(text, /\n- {4}@issues = issuables_collection\.page\(params\[:page\]\)\n\+ {4}@issues = issuables_collection\.page\(params\[:page\]\)\.with_cached_counts\n/);
    const editor = await eventually('the diff document', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.languageId === 'diff' ? e : undefined;
    });
    assert.equal(editor.document.getText(), text);
    assert.equal(editor.document.isUntitled, true);
    // A sha that is not hex never reaches git.
    const refused = await vscode.commands.executeCommand<{ reason?: string }>('budgetLens.showCommit', 'Projects::IssuesController#index', '--output=/tmp/x');
    assert.match(refused?.reason ?? '', /^not a commit id: "--output=\/tmp\/x"$/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
