/**
 * Builds the CatalogHistory of an explicit `catalog.history` list (config/catalogHistoryConfig.ts
 * checked its dates and that its files exist): each entry's stages.yml (+ feature_categories.yml)
 * read like any catalog, with the project's group settings. A file that does not parse is an
 * InputError at its own file:line:col, as for the catalog of today.
 */
import type { CatalogHistoryEntry } from '../config/types';
import type { CatalogConfigInput } from './catalogParser';
import { loadCatalog } from './catalogParser';
import { CatalogHistory } from './catalogHistory';

export async function loadCatalogHistory(entries: readonly CatalogHistoryEntry[], config?: CatalogConfigInput): Promise<CatalogHistory> {
  const epochs = await Promise.all(
    entries.map(async (e) => ({
      from: Date.parse(e.from),
      catalog: await loadCatalog({ stagesPath: e.stagesPath, ...(e.featureCategoriesPath ? { featureCategoriesPath: e.featureCategoriesPath } : {}), ...(config ? { config } : {}) }),
      label: `${e.location.file}:${e.location.line}`,
    })),
  );
  return new CatalogHistory(epochs);
}
