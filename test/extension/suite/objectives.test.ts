/**
 * Objectives that are not GitLab's in the editor (issue 13 item 6), on examples/gitpod-style:
 * the SLO lenses above the code each objective is attached to (an `@slo` annotation on
 * startWorkspace and checkLiveness, the path rule `components/ws-manager/**` on the rest of the
 * file), the hover on an `@slo` line, and Go to Objective. This part needs no backend: the lenses
 * name their objectives, and the hover says where figures would come from.
 *
 * workspaceManager.ts as `budget-lens map` reads it: path rule on lines 1-21 and 40-50 (one
 * attachment: one lens, on line 1), `@slo workspace-starts, workspace-start-under-15s,
 * workspace-start-under-2m` on line 21 above startWorkspace (line 22), `@slo
 * workspace-keeps-working` on line 50 above checkLiveness (line 51).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually, hoverText, lensTitles, unescapeMarkdown, workspaceRoot } from './helpers';

const MANAGER = 'components/ws-manager/src/workspaceManager.ts';

describe('objectives in the editor (examples/gitpod-style)', function () {
  this.timeout(60_000);

  it('an SLO lens per objective above the code it is attached to', async () => {
    const titles = await eventually('SLO lenses on workspaceManager.ts', async () => {
      const t = (await lensTitles(MANAGER)).filter(([, title]) => title.startsWith('SLO '));
      return t.length >= 5 ? t : undefined;
    }, 30_000);
    assert.deepEqual(titles, [
      [1, 'SLO workspace-keeps-working'],
      [22, 'SLO workspace-starts'],
      [22, 'SLO workspace-start-under-15s'],
      [22, 'SLO workspace-start-under-2m'],
      [51, 'SLO workspace-keeps-working'],
    ]);
  });

  it('the hover on an @slo line names each objective and why it applies', async () => {
    const text = await eventually('the objective hover on line 21', async () => {
      const t = unescapeMarkdown(await hoverText(MANAGER, 21, 5));
      return t.includes('**Objective**') ? t : undefined;
    });
    for (const name of ['workspace-starts', 'workspace-start-under-15s', 'workspace-start-under-2m']) assert.ok(text.includes(`(\`${name}\`)`) || text.includes(`\`${name}\``), name);
    assert.ok(text.includes('Attached by @slo annotation on line 21 (startWorkspace)'), text);
    assert.ok(text.includes('No budget backend'), text);
  });

  it('Go to Objective opens the OpenSLO document at the objective', async () => {
    const target = await vscode.commands.executeCommand<{ file: string; line: number }>('budgetLens.openObjective', 'workspace-start-under-2m');
    assert.equal(target?.file, 'slo/workspace-start-under-2m.yaml');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, vscode.Uri.file(`${workspaceRoot()}/slo/workspace-start-under-2m.yaml`).fsPath);
    // The line the definition starts at (the objective's `spec`), as the CLI's `slo list` names it.
    assert.ok(target !== undefined && target.line > 1, `line ${target?.line}`);
  });
});
