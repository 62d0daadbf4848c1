/**
 * Manual adjustments against the catalog (issue 15 item 3): what config/adjustments.ts cannot tell
 * without it. A group or category the catalog does not know (with "did you mean"), and two
 * adjustments overlapping in time where one names a group and the other a category of that group
 * (the category's spend would be removed twice). Errors at the adjustment's file:line; BudgetService
 * refuses to start with any, and `budget-lens lint` lists them.
 */
import type { AdjustmentScope } from '../contract/budgetTypes';
import type { InputError } from '../contract/errors';
import { InputError as InputErrorClass } from '../contract/errors';
import { sharedScope } from '../budget/adjustments';
import { overlapErrors } from '../config/adjustments';
import type { ConfiguredAdjustment } from '../config/types';
import { closestCategory } from './closestCategory';
import { NOT_OWNED_GROUP, UNKNOWN_CATEGORY } from './types';
import type { Catalog } from './types';

function knownCategory(catalog: Catalog, name: string): boolean {
  return name === NOT_OWNED_GROUP || name === UNKNOWN_CATEGORY || catalog.categories.has(name) || catalog.knownCategories.has(name);
}

/** sharedScope, plus a group list against a category list: a category of one of the groups. */
export function sharedScopeIn(catalog: Catalog): (a: AdjustmentScope, b: AdjustmentScope) => string | undefined {
  return (a, b) => {
    const plain = sharedScope(a, b);
    if (plain !== undefined || (a.components && b.components && !a.components.some((c) => b.components!.includes(c)))) return plain;
    const [groups, categories] = a.groups && b.categories ? [a.groups, b.categories] : b.groups && a.categories ? [b.groups, a.categories] : [undefined, undefined];
    const hit = categories?.find((c) => groups!.includes(catalog.groupOf(c).key));
    return hit === undefined ? undefined : `category "${hit}" of group "${catalog.groupOf(hit).key}"`;
  };
}

export function adjustmentScopeErrors(adjustments: readonly ConfiguredAdjustment[], catalog: Catalog): InputError[] {
  const out: InputError[] = [];
  for (const a of adjustments) {
    for (const group of a.scope.groups ?? []) {
      if (catalog.groups.has(group) || group === NOT_OWNED_GROUP) continue;
      const suggestion = closestCategory(group, catalog.groups.keys());
      out.push(new InputErrorClass(`adjustment ${a.from} - ${a.to}: unknown group "${group}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, a.location));
    }
    for (const category of a.scope.categories ?? []) {
      if (knownCategory(catalog, category)) continue;
      const suggestion = closestCategory(category, catalog.knownCategories);
      out.push(new InputErrorClass(`adjustment ${a.from} - ${a.to}: unknown feature category "${category}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, a.location));
    }
  }
  // Overlaps the config could tell are refused there already; this adds group-against-category ones.
  const plain = new Set(overlapErrors(adjustments).map((e) => e.message));
  out.push(...overlapErrors(adjustments, sharedScopeIn(catalog)).filter((e) => !plain.has(e.message)));
  return out;
}
