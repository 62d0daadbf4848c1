/**
 * The hand-made catalogs of test/fixtures/catalog/history, in force from 2026-11-01, 2026-11-15 and
 * 2026-11-20 (midnight UTC), as a CatalogHistory:
 *  11-15: team_planning project_management -> knowledge; group code_review renamed code_review_ui;
 *  11-20: duo_chat added to knowledge; portfolio_management no longer listed (-> not_owned).
 */
import * as path from 'node:path';
import { loadCatalog } from '../../src/sdk/catalog/catalogParser';
import { CatalogHistory } from '../../src/sdk/catalog/catalogHistory';
import type { Catalog } from '../../src/sdk/catalog/types';

export const HISTORY_FIXTURES = path.join(__dirname, '..', 'fixtures', 'catalog', 'history');
export const HISTORY_DATES = ['2026-11-01', '2026-11-15', '2026-11-20'] as const;

export async function fixtureCatalogs(): Promise<Catalog[]> {
  const fc = path.join(HISTORY_FIXTURES, 'feature_categories.yml');
  return Promise.all(HISTORY_DATES.map((d) => loadCatalog({ stagesPath: path.join(HISTORY_FIXTURES, `stages-${d}.yml`), featureCategoriesPath: fc })));
}

/** The history of the given fixture catalogs (default all three). */
export async function fixtureHistory(which: ReadonlyArray<0 | 1 | 2> = [0, 1, 2]): Promise<{ history: CatalogHistory; catalogs: Catalog[] }> {
  const catalogs = await fixtureCatalogs();
  const history = new CatalogHistory(which.map((i) => ({ from: Date.parse(`${HISTORY_DATES[i]}T00:00:00Z`), catalog: catalogs[i]!, label: HISTORY_DATES[i] })));
  return { history, catalogs };
}
