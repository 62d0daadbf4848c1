/**
 * A tiny in-memory Catalog for store tests: the store is under test, not the catalog, so a fake
 * with GitLab's semantics (unlisted/unknown categories -> not_owned) is enough.
 */
import type { Catalog, CategoryInfo, GroupInfo } from '../../../src/sdk/catalog/types';
import { NOT_OWNED_GROUP } from '../../../src/sdk/catalog/types';

function group(key: string, stage: string, categories: string[]): GroupInfo {
  return { key, name: key, stage, stageDisplayName: stage, categories, ignoredComponents: [] };
}

export function fakeCatalog(groups: Record<string, string[]>): Catalog {
  const notOwned = group(NOT_OWNED_GROUP, NOT_OWNED_GROUP, ['not_owned', 'unknown']);
  const map = new Map<string, GroupInfo>();
  const cats = new Map<string, CategoryInfo>();
  for (const [key, categories] of Object.entries(groups)) {
    const g = group(key, 'plan', categories);
    map.set(key, g);
    for (const c of categories) if (!cats.has(c)) cats.set(c, { name: c, group: key, stage: 'plan' });
  }
  map.set(NOT_OWNED_GROUP, notOwned);
  return {
    groups: map,
    categories: cats,
    knownCategories: new Set(cats.keys()),
    groupOf: (category) => map.get(cats.get(category)?.group ?? NOT_OWNED_GROUP) ?? notOwned,
    categoriesOf: (key) => map.get(key)?.categories ?? [],
    stageOf: (category) => cats.get(category)?.stage ?? NOT_OWNED_GROUP,
    targetOf: () => '99.95',
  };
}
