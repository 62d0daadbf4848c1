/**
 * Builds the CatalogHistory of an explicit `catalog.history` list (config/catalogHistoryConfig.ts
 * checked its dates and that its files exist): each entry's stages.yml (+ feature_categories.yml)
 * read like any catalog, with the entry's own `groups` (the settings in force from it on: custom
 * targets with their history, issue 15 item 2) or else the project's. A file that does not parse is
 * an InputError at its own file:line:col, as for the catalog of today.
 */
import type { CatalogHistoryEntry } from '../config/types';
import type { CatalogConfigInput } from './catalogParser';
import { loadCatalog } from './catalogParser';
import { CatalogHistory } from './catalogHistory';
import { DEFAULT_TARGET } from '../config/types';

export async function loadCatalogHistory(entries: readonly CatalogHistoryEntry[], config?: CatalogConfigInput): Promise<CatalogHistory> {
  const epochs = await Promise.all(
    entries.map(async (e) => ({
      from: Date.parse(e.from),
      catalog: await loadCatalog({ stagesPath: e.stagesPath, ...(e.featureCategoriesPath ? { featureCategoriesPath: e.featureCategoriesPath } : {}), ...(config || e.groups ? { config: entryConfig(e, config) } : {}) }),
      label: `${e.location.file}:${e.location.line}`,
    })),
  );
  return new CatalogHistory(epochs);
}

/** The config an entry's catalog is read with: its own groups when it has them. */
function entryConfig(e: CatalogHistoryEntry, config: CatalogConfigInput | undefined): CatalogConfigInput {
  const base: CatalogConfigInput = config ?? { defaultTarget: DEFAULT_TARGET, groups: {} };
  if (e.groups === undefined) return base;
  return { ...base, groups: e.groups, locations: { ...(base.locations ?? { pathRuleCategories: [] }), groups: e.groupLocations ?? {} } };
}
