/**
 * The ownership catalog: feature category -> group -> stage (domain.md section 1).
 * Built from GitLab's `stages.yml` + `feature_categories.yml`, plus `.budgetlens.yml`.
 */
import type { Component, CustomTarget } from '../contract/budgetTypes';
import type { SourceLocation } from '../contract/errors';

export interface GroupInfo {
  /** Normalised key: downcased, chars outside [a-z0-9_-] replaced by '-'. */
  key: string;
  name: string;
  stage: string;
  stageDisplayName: string;
  categories: string[];
  ignoredComponents: Component[];
  customTarget?: CustomTarget;
}

export interface CategoryInfo {
  name: string;
  group: string;
  stage: string;
}

/** The pseudo-group that owns `not_owned` and `unknown` (stage `not_owned`). */
export const NOT_OWNED_GROUP = 'not_owned';
export const UNKNOWN_CATEGORY = 'unknown';

export interface Catalog {
  readonly groups: ReadonlyMap<string, GroupInfo>;
  readonly categories: ReadonlyMap<string, CategoryInfo>;
  /** Flat list from feature_categories.yml (may contain names no group lists). */
  readonly knownCategories: ReadonlySet<string>;
  /** Category -> its group; `unknown`/`not_owned`/unlisted -> the `not_owned` pseudo-group. */
  groupOf(category: string): GroupInfo;
  categoriesOf(group: string): string[];
  stageOf(category: string): string;
  /** The effective target of a group ("99.95" unless a custom target applies). */
  targetOf(group: string): string;
}

/** Something odd but usable in the catalog inputs (first-group-wins, unknown group in config...). */
export interface CatalogWarning {
  message: string;
  location: SourceLocation;
}
