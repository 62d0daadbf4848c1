/**
 * Roll-ups: endpoints -> categories -> groups, per component, summing plain numbers
 * (domain.md section 2: sum counts first, divide last). Ignored components are kept here and
 * dropped when a group's figures are computed, so one roll-up serves every group's rules.
 */
import { addComponentCounts, zeroCounts } from './counts';
import type { Component, ComponentCounts } from './types';
import type { CategoryCounts, EndpointCounts, GroupCounts } from '../sources/budgetSource';

type ByComponent = Map<Component, ComponentCounts>;

function addInto(target: ByComponent, component: Component, counts: ComponentCounts['counts'], hasErrorSli: boolean): void {
  let acc = target.get(component);
  if (acc === undefined) {
    acc = { component, counts: zeroCounts(), hasErrorSli: false };
    target.set(component, acc);
  }
  // A component has an error SLI if any of its rows do; rows without one add no `o`/`e`.
  addComponentCounts(acc.counts, counts, hasErrorSli);
  acc.hasErrorSli ||= hasErrorSli;
}

/** Per-category, per-component sums of endpoint rows, in first-seen order. */
export function aggregateEndpointsByCategory(endpoints: readonly EndpointCounts[]): CategoryCounts[] {
  const byCategory = new Map<string, ByComponent>();
  for (const e of endpoints) {
    let comps = byCategory.get(e.category);
    if (comps === undefined) {
      comps = new Map();
      byCategory.set(e.category, comps);
    }
    addInto(comps, e.component, e.counts, e.hasErrorSli);
  }
  return [...byCategory].map(([category, comps]) => ({ category, components: [...comps.values()] }));
}

/**
 * Per-group, per-component sums of category rows. `groupOf` is usually `catalog.groupOf(c).key`
 * (unknown categories land in not_owned there).
 */
export function aggregateCategoriesToGroups(categories: readonly CategoryCounts[], groupOf: (category: string) => string): GroupCounts[] {
  const byGroup = new Map<string, ByComponent>();
  for (const c of categories) {
    const group = groupOf(c.category);
    let comps = byGroup.get(group);
    if (comps === undefined) {
      comps = new Map();
      byGroup.set(group, comps);
    }
    for (const cc of c.components) addInto(comps, cc.component, cc.counts, cc.hasErrorSli);
  }
  return [...byGroup].map(([group, comps]) => ({ group, components: [...comps.values()] }));
}

/** Endpoint rows grouped by a key (e.g. their group), keeping the input order inside each list. */
export function partitionEndpoints(endpoints: readonly EndpointCounts[], keyOf: (e: EndpointCounts) => string): Map<string, EndpointCounts[]> {
  const out = new Map<string, EndpointCounts[]>();
  for (const e of endpoints) {
    const key = keyOf(e);
    let list = out.get(key);
    if (list === undefined) {
      list = [];
      out.set(key, list);
    }
    list.push(e);
  }
  return out;
}
