/**
 * The editor adapters on known files of examples/gitlab-style. Expected texts follow from the
 * example's declarations and GitLab's catalog: team_planning and service_desk belong to group
 * project_management ("Project Management", stage plan); urgency :low is 5 s for requests
 * (domain.md urgency table), :high is 10 s for Sidekiq.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { eventually, hoverText, lensTitles, openFile, testState, workspaceRoot, workspaceUri } from './helpers';

const ISSUES = 'app/controllers/projects/issues_controller.rb';
const MILESTONES = 'app/controllers/projects/milestones_controller.rb';
const TAGS = 'lib/api/tags.rb';
const MERGE_WORKER = 'app/workers/merge_worker.rb';

before(async () => {
  assert.equal((await testState()).phase, 'ready');
});

describe('CodeLens', () => {
  it('puts the category, group and stage above each action of IssuesController', async () => {
    await openFile(ISSUES);
    const plan = 'team_planning · Project Management · plan';
    assert.deepEqual(await lensTitles(ISSUES), [
      [16, plan], // def index
      [26, plan], // def show
      [36, plan], // def new
      [40, plan], // def create
      [50, plan], // def update
      [55, 'service_desk · Project Management · plan'], // def service_desk
    ]);
  });

  it('puts one on a class with a class default and on each Grape route', async () => {
    const scm = 'source_code_management · Source Code · create';
    assert.deepEqual(await lensTitles(TAGS), [
      [4, scm], // class Tags
      [16, scm], // get ':id/repository/tags'
      [22, scm], // get ':id/repository/tags/:tag_name'
      [29, scm], // post ':id/repository/tags'
    ]);
  });

  it('says when a category is not in the catalog', async () => {
    const titles = await lensTitles(MILESTONES);
    assert.deepEqual(titles[0], [3, 'team_planing · not in the catalog']);
  });
});

describe('hover', () => {
  it('explains feature_category :team_planning with its group, stage and endpoints', async () => {
    // Line 11: `  feature_category :team_planning, [:index, :show, :new, :create, :update]`, column 22 is in the symbol.
    const text = await hoverText(ISSUES, 11, 22);
    assert.match(text, /`team_planning` → group \*\*Project Management\*\* \(`project_management`\) → stage \*\*Plan\*\* \(`plan`\)/);
    assert.match(text, /Endpoints \(5\):/);
    assert.match(text, /`Projects::IssuesController#create` \(high, 0\.25 s\) \[line 40\]\(command:budgetLens\.goToEndpoint\?/);
    assert.doesNotMatch(text, /service_desk/);
  });

  it('gives the apdex threshold of urgency :low for requests', async () => {
    // Line 13: `  urgency :low, [:index, :show]`.
    const text = await hoverText(ISSUES, 13, 12);
    assert.match(text, /Apdex threshold \*\*5 s\*\* \(rails_request\)/);
    assert.match(text, /Endpoints \(2\):\n- `Projects::IssuesController#index` \(low, 5 s\) \[line 16\]\(.*\)\n- `Projects::IssuesController#show` \(low, 5 s\) \[line 26\]/);
  });

  it('uses the Sidekiq table in a worker (urgency :high = 10 s)', async () => {
    const text = await hoverText(MERGE_WORKER, 9, 12);
    assert.match(text, /Apdex threshold \*\*10 s\*\* \(sidekiq_execution\)/);
    assert.match(text, /`MergeWorker`/);
  });

  it('covers only the route on a Grape route option', async () => {
    // Line 16: get ':id/repository/tags', feature_category: :source_code_management, urgency: :low do
    const text = await hoverText(TAGS, 16, 50);
    assert.match(text, /Endpoints \(1\):\n- `GET \/api\/:version\/projects\/:id\/repository\/tags`/);
  });

  it('offers the suggestion on the misspelt category', async () => {
    // MilestonesController line 11: `  feature_category :team_planing`.
    const text = await hoverText(MILESTONES, 11, 24);
    assert.match(text, /`team_planing` is not in the catalog: its traffic counts for no group\. Did you mean `team_planning`\?/);
    assert.match(text, /Endpoints \(3\):/);
  });

  it('stays quiet away from a declaration', async () => {
    assert.equal(await hoverText(ISSUES, 16, 7), '');
  });
});

describe('diagnostics', () => {
  it('flags the misspelt category in MilestonesController on its symbol, with a quick fix', async () => {
    const uri = workspaceUri(MILESTONES);
    const diagnostics = await eventually('milestones diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Budget Lens');
      return d.length > 0 ? d : undefined;
    });
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d?.code, 'unknown_category');
    assert.equal(d?.severity, vscode.DiagnosticSeverity.Error);
    // Line 11 `  feature_category :team_planing`: the name starts at column 21 (0-based 20), 12 characters.
    assert.deepEqual([d?.range.start.line, d?.range.start.character, d?.range.end.character], [10, 20, 32]);
    await vscode.workspace.openTextDocument(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d!.range);
    const fix = actions?.find((a) => a.title === 'Change to team_planning');
    assert.ok(fix, `no quick fix among ${actions?.map((a) => a.title).join(', ')}`);
    const edits = fix.edit?.get(uri) ?? [];
    assert.deepEqual(edits.map((e) => e.newText), ['team_planning']);
  });

  it('flags the re-declared action in LabelsController at line 11', async () => {
    const d = await eventually('labels diagnostics', () => {
      const all = vscode.languages.getDiagnostics(workspaceUri('app/controllers/projects/labels_controller.rb'));
      return all.find((x) => x.code === 'redeclared_action');
    });
    assert.equal(d.range.start.line, 10);
    assert.match(d.message, /re-declared as :service_desk/);
  });
});

describe('Go to Endpoint', () => {
  it('opens the Grape route definition for an endpoint id', async () => {
    const target = await vscode.commands.executeCommand('budgetLens.goToEndpoint', 'POST /api/:version/projects/:id/repository/tags');
    assert.deepEqual(target, { file: TAGS, line: 29 });
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, workspaceUri(TAGS).fsPath);
    assert.equal(editor?.selection.active.line, 28);
  });

  it('opens a controller action', async () => {
    await vscode.commands.executeCommand('budgetLens.goToEndpoint', 'Projects::IssuesController#service_desk');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, workspaceUri(ISSUES).fsPath);
    assert.equal(editor?.selection.active.line, 54);
  });

  it('does not move for an unknown id', async () => {
    const target = await vscode.commands.executeCommand('budgetLens.goToEndpoint', 'GET /nowhere');
    assert.equal(target, undefined);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, workspaceUri(ISSUES).fsPath);
  });
});

describe('status bar and Show Mapping', () => {
  it("shows the active file's group", async () => {
    await openFile(ISSUES);
    const onIssues = await eventually('status bar on issues', async () => {
      const s = (await testState()).statusBar;
      return s.text.includes('Project Management') ? s : undefined;
    });
    assert.equal(onIssues.text, '$(organization) Project Management');
    assert.equal(onIssues.command, 'budgetLens.showMapping');

    await openFile('app/controllers/projects/jobs_controller.rb');
    const onJobs = await eventually('status bar on jobs', async () => {
      const s = (await testState()).statusBar;
      return s.text.includes('Pipeline Execution') ? s : undefined;
    });
    assert.equal(onJobs.text, '$(organization) Pipeline Execution');
  });

  it('lists the current file mapping', async () => {
    await openFile(MERGE_WORKER);
    const rows = await vscode.commands.executeCommand<string[]>('budgetLens.showMapping');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    // The last row names the catalog: the example's .budgetlens.yml points at catalog/gitlab.
    const catalog = `Catalog: ${resolve(workspaceRoot(), '../../catalog/gitlab/stages.yml')} (.budgetlens.yml)`;
    assert.deepEqual(rows, ['code_review_workflow · Code Review · create', 'MergeWorker', catalog]);
  });
});

describe('unsaved edits', () => {
  it('moves the lenses with the buffer before it is saved, and back on revert', async () => {
    const editor = await openFile(ISSUES);
    const plan = 'team_planning · Project Management · plan';
    await editor.edit((b) => b.insert(new vscode.Position(2, 0), '# one\n# two\n'));
    const moved = await eventually('lenses two lines lower', async () => {
      const titles = await lensTitles(ISSUES);
      return titles[0]?.[0] === 18 ? titles : undefined;
    });
    assert.deepEqual(moved[0], [18, plan]); // def index, 16 + 2
    assert.deepEqual(moved.at(-1), [57, 'service_desk · Project Management · plan']); // def service_desk, 55 + 2
    await vscode.commands.executeCommand('workbench.action.files.revert');
    const back = await eventually('lenses back in place', async () => {
      const titles = await lensTitles(ISSUES);
      return titles[0]?.[0] === 16 ? titles : undefined;
    });
    assert.deepEqual(back[0], [16, plan]);
    assert.equal(editor.document.isDirty, false);
  });
});
