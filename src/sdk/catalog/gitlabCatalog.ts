/**
 * The in-memory Catalog: lookups category -> group -> stage over maps built by catalogParser.
 * `not_owned` and `unknown` (and any category no group lists) resolve to the `not_owned`
 * pseudo-group, which is deliberately not in `groups`: the real groups are what stages.yml
 * lists (81 in GitLab's catalog), and the pseudo-group has no team to report to.
 */
import type { TargetPercent } from '../contract/budgetTypes';
import { normaliseGroupKey } from './groupKey';
import { NOT_OWNED_GROUP, UNKNOWN_CATEGORY } from './types';
import type { Catalog, CatalogWarning, CategoryInfo, GroupInfo } from './types';

/** The pseudo-group for `not_owned` and `unknown` (stage `not_owned`). */
export function notOwnedGroupInfo(): GroupInfo {
  return {
    key: NOT_OWNED_GROUP,
    name: 'Not owned',
    stage: NOT_OWNED_GROUP,
    stageDisplayName: 'Not owned',
    categories: [NOT_OWNED_GROUP, UNKNOWN_CATEGORY],
    ignoredComponents: [],
  };
}

/** Categories that always belong to the pseudo-group, whatever stages.yml says. */
export function isPseudoCategory(category: string): boolean {
  return category === NOT_OWNED_GROUP || category === UNKNOWN_CATEGORY;
}

export class GitLabCatalog implements Catalog {
  private readonly notOwned: GroupInfo;
  /** The stages.yml this catalog was read from (as given to the parser). */
  stagesFile = 'stages.yml';
  /** Keys of stages.yml the parser does not read (catalogParser.ts); noted once, never an error. */
  ignoredFields: { top: string[]; stage: string[]; group: string[] } = { top: [], stage: [], group: [] };

  constructor(
    readonly groups: ReadonlyMap<string, GroupInfo>,
    readonly categories: ReadonlyMap<string, CategoryInfo>,
    readonly knownCategories: ReadonlySet<string>,
    /** The project's default target ("99.95" unless .budgetlens.yml says otherwise). */
    readonly defaultTarget: TargetPercent,
    /** Non-fatal findings while building the catalog (first-group-wins, unknown config groups...). */
    readonly warnings: readonly CatalogWarning[] = [],
    notOwned: GroupInfo = notOwnedGroupInfo(),
  ) {
    this.notOwned = notOwned;
  }

  /** The `not_owned` pseudo-group (with any settings .budgetlens.yml gives it). */
  get notOwnedGroup(): GroupInfo {
    return this.notOwned;
  }

  /** A real group by key (normalised first) or the pseudo-group for `not_owned`. */
  group(key: string): GroupInfo | undefined {
    const k = normaliseGroupKey(key);
    return this.groups.get(k) ?? (k === NOT_OWNED_GROUP ? this.notOwned : undefined);
  }

  groupOf(category: string): GroupInfo {
    if (isPseudoCategory(category)) return this.notOwned;
    const info = this.categories.get(category);
    return (info && this.groups.get(info.group)) ?? this.notOwned;
  }

  categoriesOf(group: string): string[] {
    return [...(this.group(group)?.categories ?? [])];
  }

  stageOf(category: string): string {
    return this.groupOf(category).stage;
  }

  targetOf(group: string): string {
    return this.group(group)?.customTarget?.target ?? this.defaultTarget;
  }

  /** A category a declaration may use: listed in feature_categories.yml or stages.yml, or a pseudo-category. */
  isValidCategory(category: string): boolean {
    return isPseudoCategory(category) || this.knownCategories.has(category) || this.categories.has(category);
  }
}
