/**
 * How the editor words `meta.catalogChanges` (issue 15 item 1): the panel's lines under the header
 * and the group's tooltip (tree and status bar). Plain text, one line each; display names from the
 * local catalog, the key for a group no catalog of today has.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CatalogChange } from '../../../src/sdk/contract/budgetSource';
import { catalogChangeText, panelData } from '../../../src/extension/text/panelText';
import { statusBarBudgetTooltip } from '../../../src/extension/text/budgetText';
import { aGroupBudget } from '../../support/builders';

const NAMES: Record<string, string> = { project_management: 'Project Management', knowledge: 'Knowledge', code_review_ui: 'Code Review UI' };
const nameOf = (k: string): string | undefined => NAMES[k];
const moved: CatalogChange = { at: '2026-11-15T00:00:00.000Z', kind: 'category_moved', category: 'team_planning', from: 'project_management', to: 'knowledge' };

describe('catalog changes in the editor', () => {
  test('each kind, with the local names; a midnight is a day, any other instant a UTC minute', () => {
    assert.equal(catalogChangeText(moved, nameOf), 'team_planning moved from Project Management to Knowledge on 2026-11-15');
    assert.equal(catalogChangeText({ at: '2026-11-15T09:30:00Z', kind: 'group_renamed', from: 'code_review', to: 'code_review_ui' }, nameOf), 'code_review was renamed Code Review UI on 2026-11-15 09:30 UTC');
    assert.equal(catalogChangeText({ at: '2026-11-20T00:00:00.000Z', kind: 'category_added', category: 'duo_chat', to: 'knowledge' }, nameOf), 'duo_chat was added to Knowledge on 2026-11-20');
    assert.equal(catalogChangeText({ at: '2026-11-20T00:00:00.000Z', kind: 'category_removed', category: 'portfolio_management', from: 'project_management' }), 'portfolio_management was removed from project_management on 2026-11-20');
  });

  test('a backend string cannot bring line breaks', () => {
    const text = catalogChangeText({ ...moved, category: 'a\nb\u2028c' }, nameOf);
    assert.doesNotMatch(text, /[\n\u2028]/);
  });

  test('the panel data carries the worded lines, none when nothing moved', () => {
    const base = { group: aGroupBudget(), daily: undefined, burnRates: undefined, endpoints: undefined, categories: [], inWorkspace: () => false };
    assert.deepEqual(panelData({ ...base, catalogChanges: [moved], groupName: nameOf }).catalogChanges, ['team_planning moved from Project Management to Knowledge on 2026-11-15']);
    assert.equal(panelData({ ...base, catalogChanges: [] }).catalogChanges, undefined);
    assert.equal(panelData(base).catalogChanges, undefined);
  });

  test('the group tooltip lists them after the figures', () => {
    const lines = statusBarBudgetTooltip(aGroupBudget(), undefined, undefined, [catalogChangeText(moved, nameOf)]).split('\n');
    const i = lines.indexOf('The catalog changed in the window: each hour counts for the group that owned its category then.');
    assert.ok(i > 0, lines.join('\n'));
    assert.equal(lines[i + 1], '  team_planning moved from Project Management to Knowledge on 2026-11-15');
    assert.doesNotMatch(statusBarBudgetTooltip(aGroupBudget(), undefined, undefined), /catalog changed/);
  });
});
