/**
 * CatalogHistory (issue 15 item 1): the catalog in force at each moment, over the hand-made catalogs
 * of test/fixtures/catalog/history (in force from 2026-11-01, 2026-11-15 and 2026-11-20, midnight UTC):
 *  11-15: team_planning project_management -> knowledge; group code_review renamed code_review_ui;
 *  11-20: duo_chat added to knowledge; portfolio_management no longer listed (-> not_owned).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogHistory, catalogDiff, describeCatalogChange } from '../../../src/sdk/catalog/catalogHistory';
import { fixtureHistory } from '../../support/catalogHistoryFixtures';

const ms = (iso: string): number => Date.parse(iso);

describe('CatalogHistory', () => {
  test('groupOf(category, at): the group that owned it then; the first catalog before its from', async () => {
    const { history } = await fixtureHistory();
    assert.equal(history.groupOf('team_planning', ms('2026-10-01T00:00:00Z')).key, 'project_management');
    assert.equal(history.groupOf('team_planning', ms('2026-11-14T23:59:59.999Z')).key, 'project_management');
    assert.equal(history.groupOf('team_planning', ms('2026-11-15T00:00:00Z')).key, 'knowledge');
    assert.equal(history.groupOf('code_review_workflow', new Date('2026-11-10T00:00:00Z')).key, 'code_review');
    assert.equal(history.groupOf('code_review_workflow', new Date('2026-11-16T00:00:00Z')).key, 'code_review_ui');
    assert.equal(history.groupOf('portfolio_management', ms('2026-11-19T00:00:00Z')).key, 'project_management');
    assert.equal(history.groupOf('portfolio_management', ms('2026-11-20T00:00:00Z')).key, 'not_owned');
    assert.equal(history.groupOf('duo_chat', ms('2026-11-19T00:00:00Z')).key, 'not_owned');
    assert.equal(history.groupOf('duo_chat', ms('2026-11-21T00:00:00Z')).key, 'knowledge');
  });

  test('changesWithin(start, end): what moved, at its instant, renames as one change', async () => {
    const { history } = await fixtureHistory();
    const changes = history.changesWithin(ms('2026-11-01T00:00:00Z'), ms('2026-11-29T00:00:00Z'));
    assert.deepEqual(changes, [
      { at: '2026-11-15T00:00:00.000Z', kind: 'group_renamed', from: 'code_review', to: 'code_review_ui' },
      { at: '2026-11-15T00:00:00.000Z', kind: 'category_moved', category: 'team_planning', from: 'project_management', to: 'knowledge' },
      { at: '2026-11-20T00:00:00.000Z', kind: 'category_added', category: 'duo_chat', to: 'knowledge' },
      { at: '2026-11-20T00:00:00.000Z', kind: 'category_removed', category: 'portfolio_management', from: 'project_management' },
    ]);
    assert.deepEqual(changes.map(describeCatalogChange).slice(0, 2), [
      '2026-11-15T00:00:00.000Z: group code_review renamed to code_review_ui',
      '2026-11-15T00:00:00.000Z: team_planning moved from project_management to knowledge',
    ]);
    // (start, end]: a change at the window's start is not inside it; one at its end is.
    assert.deepEqual(history.changesWithin(ms('2026-11-15T00:00:00Z'), ms('2026-11-19T00:00:00Z')), []);
    assert.equal(history.changesWithin(ms('2026-11-10T00:00:00Z'), ms('2026-11-15T00:00:00Z')).length, 2);
    assert.equal(history.spansChange(ms('2026-11-10T00:00:00Z'), ms('2026-11-16T00:00:00Z')), true);
    assert.equal(history.spansChange(ms('2026-11-15T00:00:00Z'), ms('2026-11-19T00:00:00Z')), false);
  });

  test('segments: a range cut at each change, boundaries aligned on request', async () => {
    const { history, catalogs } = await fixtureHistory();
    const segs = history.segments(ms('2026-11-10T00:00:00Z'), ms('2026-11-21T00:00:00Z'));
    assert.deepEqual(
      segs.map((s) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()]),
      [
        ['2026-11-10T00:00:00.000Z', '2026-11-15T00:00:00.000Z'],
        ['2026-11-15T00:00:00.000Z', '2026-11-20T00:00:00.000Z'],
        ['2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z'],
      ],
    );
    assert.deepEqual(segs.map((s) => s.catalog), catalogs);
    // A change at 10:30 with hour alignment: the 10:00 bucket stays with the old catalog.
    const h = new CatalogHistory([
      { from: 0, catalog: catalogs[0]!, label: 'a' },
      { from: ms('2026-11-15T10:30:00Z'), catalog: catalogs[1]!, label: 'b' },
    ]);
    const hour = (t: number): number => Math.ceil(t / 3_600_000) * 3_600_000;
    assert.deepEqual(
      h.segments(ms('2026-11-15T00:00:00Z'), ms('2026-11-16T00:00:00Z'), hour).map((s) => [new Date(s.start).toISOString(), s.label]),
      [
        ['2026-11-15T00:00:00.000Z', 'a'],
        ['2026-11-15T11:00:00.000Z', 'b'],
      ],
    );
    assert.deepEqual(h.segments(ms('2026-11-15T11:00:00Z'), ms('2026-11-16T00:00:00Z'), hour).map((s) => s.label), ['b']);
    assert.deepEqual(CatalogHistory.single(catalogs[0]!).segments(0, 10).map((s) => [s.start, s.end]), [[0, 10]]);
  });

  test('catalogDiff: nothing between a catalog and itself; a split group is moves, not a rename', async () => {
    const { catalogs } = await fixtureHistory();
    assert.deepEqual(catalogDiff(catalogs[0]!, catalogs[0]!, 'x'), []);
    // Backwards (11-15 -> 11-01): code_review_ui renamed back, team_planning moved back.
    assert.deepEqual(
      catalogDiff(catalogs[1]!, catalogs[0]!, 'x').map((c) => c.kind),
      ['group_renamed', 'category_moved'],
    );
  });
});
