/**
 * Roll-ups of a source's count rows: per key (a category's group, an endpoint's category), per
 * component, summing plain numbers (domain.md section 2: sum counts first, divide last). Ignored
 * components are kept here and dropped when a group's figures are computed, so one roll-up serves
 * every group's rules. The store's groupCounts rolls its category rows up with it.
 */
import { addComponentCounts, zeroCounts } from './counts';
import type { Component, ComponentCounts } from '../contract/budgetTypes';
import type { CategoryCounts, GroupCounts } from '../contract/budgetSource';

/**
 * Per-key, per-component sums of rows, keys and components in first-seen order. A component has
 * an error SLI if any of its rows do; rows without one add no `o`/`e`.
 */
export function sumComponentsByKey<R>(rows: Iterable<R>, keyOf: (row: R) => string, componentsOf: (row: R) => Iterable<ComponentCounts>): Map<string, ComponentCounts[]> {
  const byKey = new Map<string, Map<Component, ComponentCounts>>();
  for (const row of rows) {
    const key = keyOf(row);
    let comps = byKey.get(key);
    if (comps === undefined) byKey.set(key, (comps = new Map()));
    for (const { component, counts, hasErrorSli } of componentsOf(row)) {
      let acc = comps.get(component);
      if (acc === undefined) comps.set(component, (acc = { component, counts: zeroCounts(), hasErrorSli: false }));
      addComponentCounts(acc.counts, counts, hasErrorSli);
      acc.hasErrorSli ||= hasErrorSli;
    }
  }
  return new Map([...byKey].map(([key, comps]) => [key, [...comps.values()]]));
}

/**
 * Per-group, per-component sums of category rows. `groupOf` is usually `catalog.groupOf(c).key`
 * (unknown categories land in not_owned there).
 */
export function aggregateCategoriesToGroups(categories: Iterable<CategoryCounts>, groupOf: (category: string) => string): GroupCounts[] {
  return [...sumComponentsByKey(categories, (c) => groupOf(c.category), (c) => c.components)].map(([group, components]) => ({ group, components }));
}
