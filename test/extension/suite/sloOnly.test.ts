/**
 * A workspace measured only by its objectives (issue 13 item 6: "a workspace with only OpenSLO
 * files and no GitLab catalog gets an Objectives tree of its own"), on test/fixtures/slo-only:
 * no catalog, no feature categories, one OpenSLO file with two objectives and a Python service
 * whose `checkout` function (line 5) carries `# @slo checkout-success, checkout-latency` (line 4).
 * No backend: the lenses name their objectives, the tree lists them under its own root.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeItemState } from '../../../src/extension/groupTree';
import { eventually, hoverText, lensTitles, openFile, testState, unescapeMarkdown } from './helpers';

const SERVICE = 'src/checkout.py';

describe('a workspace with only objectives (test/fixtures/slo-only)', function () {
  this.timeout(60_000);

  it("SLO lenses above the annotated Python function, in the file's definition order", async () => {
    await openFile(SERVICE);
    const titles = await eventually('SLO lenses on checkout.py', async () => {
      const t = (await lensTitles(SERVICE)).filter(([, title]) => title.startsWith('SLO '));
      return t.length >= 2 ? t : undefined;
    }, 30_000);
    assert.deepEqual(titles, [
      [5, 'SLO checkout-success'],
      [5, 'SLO checkout-latency'],
    ]);
  });

  it('the hover on the # @slo line names both objectives and their definitions', async () => {
    const text = await eventually('the @slo hover', async () => {
      const t = unescapeMarkdown(await hoverText(SERVICE, 4, 4));
      return t.includes('checkout-latency') ? t : undefined;
    });
    // Without a backend, what the workspace's own definitions say (slo/checkout.yaml: the first
    // document's spec on line 8, the second's on line 38, as `budget-lens slo list` points).
    assert.ok(text.includes('**Objective** Checkouts succeed (`checkout-success`)'), text);
    assert.ok(text.includes('- target 99.5 % over rolling 7d, Occurrences: ratio bad/total'), text);
    assert.ok(text.includes('- defined in `slo/checkout.yaml:8`'), text);
    assert.ok(text.includes('**Objective** Checkouts answer in under 1 second (`checkout-latency`)'), text);
    assert.ok(text.includes('- target 95 % over rolling 7d, Occurrences: threshold lte 1'), text);
    assert.ok(text.includes('- defined in `slo/checkout.yaml:38`'), text);
    assert.ok(text.includes('Attached by @slo annotation on line 4 (checkout)'), text);
    assert.ok(text.includes('No budget backend'), text);
  });

  it('the tree has an Objectives root of its own, with every objective, and no group, even without a backend', async () => {
    const line = (i: TreeItemState): string => `${'  '.repeat(i.depth)}${i.label}`;
    let seen: TreeItemState[] = [];
    const tree = await eventually('the Objectives tree', async () => {
      const items = (await testState({ tree: true })).tree ?? [];
      seen = items;
      return items.some((i) => i.label === 'checkout-latency') ? items : undefined;
    }, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}; the tree: ${JSON.stringify(seen.map(line))}`);
    });
    // Without a backend the tree still lists them (each opens its definition), under the way to figures.
    assert.deepEqual(tree.map(line), ['No budget backend: set its URL to see figures', 'Objectives', '  checkout-success', '  checkout-latency']);
    assert.equal(tree[0]?.command?.command, 'budgetLens.setApiUrl');
    assert.deepEqual(tree[3]?.command, { command: 'budgetLens.openObjective', arguments: ['checkout-latency'] });
  });

  it('Go to Objective opens the OpenSLO document at the second objective', async () => {
    const target = await vscode.commands.executeCommand<{ file: string; line: number }>('budgetLens.openObjective', 'checkout-latency');
    assert.ok(target?.file.endsWith('checkout.yaml'), JSON.stringify(target));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor?.document.uri.fsPath.endsWith('checkout.yaml'));
    // The second document's spec starts on line 38 (1-based), where `budget-lens slo list` points.
    assert.equal(target.line, 38);
    assert.equal(editor?.selection.active.line, 37);
  });
});
