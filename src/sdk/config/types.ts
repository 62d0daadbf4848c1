/**
 * The project config `.budgetlens.yml` after validation and defaults (docs/config.md).
 * Every path in it is absolute, resolved against the directory holding the config file.
 * It never holds credentials: tokens live in the editor's SecretStorage or BUDGET_LENS_TOKEN.
 */
import type { Adjustment, BudgetWindow, Component, CustomTarget, TargetPercent } from '../contract/budgetTypes';
import type { SourceLocation } from '../contract/errors';
import type { ObjectiveFilePattern } from '../objectives/objectiveFiles';
import type { ObjectiveSpec } from '../objectives/spec';

export const CONFIG_FILE_NAME = '.budgetlens.yml';
export { DEFAULT_TARGET } from '../budget/target';
export { DEFAULT_WINDOW } from '../budget/window';
export const DEFAULT_GRAPE_MOUNT_PREFIX = '/api/:version';
/** The embedded store the CLI reads and writes when no `--store` (or config) names one, relative to the current directory. */
export const DEFAULT_STORE_PATH = '.budgetlens/store.db';
/** Where a backend token comes from outside the editor (the CLI, CI). */
export const TOKEN_ENV_VAR = 'BUDGET_LENS_TOKEN';

export interface CatalogPaths {
  /** Absolute path of GitLab's stages.yml layout; undefined when not configured. */
  stagesPath?: string;
  /** Absolute path of the flat feature_categories.yml list; optional. */
  featureCategoriesPath?: string;
  /** `catalog.history`: the catalogs in force over time (docs/config.md "Catalog history"); absent: today's catalog throughout. */
  history?: CatalogHistorySetting;
}

/** One `catalog.history` entry: the catalog in force from `from` until the next entry's. */
export interface CatalogHistoryEntry {
  /** ISO instant (a date is its midnight UTC). */
  from: string;
  /** Absolute paths. */
  stagesPath: string;
  featureCategoriesPath?: string;
  /**
   * The per-group settings in force from `from` on (issue 15 item 2: custom targets with their
   * history), each key with where it was written; absent: the top-level `groups`.
   */
  groups?: Record<string, GroupSettings>;
  groupLocations?: Record<string, SourceLocation>;
  /** The entry in `.budgetlens.yml`. */
  location: SourceLocation;
}

/** `history: git` (the git history of the catalog files) or an explicit list, oldest first. */
export type CatalogHistorySetting = { kind: 'git' } | { kind: 'list'; entries: CatalogHistoryEntry[] };

export interface GroupSettings {
  /** Components that do not count toward this group's budget (e.g. `graphql_query`). */
  ignoredComponents: Component[];
  customTarget?: CustomTarget;
}

/** One CODEOWNERS-style rule: files matching `pattern` belong to `category`. Last match wins. */
export interface PathRule {
  pattern: string;
  category: string;
}

export interface MappingConfig {
  /** In file order; the last matching rule wins (as in CODEOWNERS). */
  pathRules: PathRule[];
  /** Prefix of Grape route origins; GitLab mounts its API at `/api/:version`. */
  grapeMountPrefix: string;
  /** Globs (CODEOWNERS semantics) of workspace files never indexed. */
  exclude: string[];
  /** Absolute path of graphql_known_operations.yml (operation -> feature_category, urgency). */
  graphqlOperationsPath?: string;
}

export interface StoreBackendConfig {
  kind: 'store';
  /** Absolute path of the embedded store's database file. */
  path: string;
}

export type PrometheusMode = 'recording_rules' | 'raw';

export interface PrometheusBackendConfig {
  kind: 'prometheus';
  /** Base URL of anything that speaks the Prometheus HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics). */
  url: string;
  /** `recording_rules`: GitLab's gitlab:component:stage_group:* series; `raw`: gitlab_sli_* counters. */
  mode: PrometheusMode;
  /** Label matchers added to every query, e.g. {environment: "gprd", stage: "main"}. */
  selectors: Record<string, string>;
  /** Prepended to every metric name (for re-namespaced metrics); empty when not set. */
  metricPrefix: string;
}

export interface ApiBackendConfig {
  kind: 'api';
  /** Base URL of a `budget-lens serve` Budget API. */
  url: string;
}

export type BackendConfig = StoreBackendConfig | PrometheusBackendConfig | ApiBackendConfig;

/**
 * One `objectives.pathRules` entry: files matching `pattern` (CODEOWNERS semantics, as
 * mapping.pathRules) carry these objectives. Last match wins.
 */
export interface ObjectivePathRule {
  pattern: string;
  /** `objective:` as written: one name or a list. */
  objectives: string[];
  /** Where each name was written (same order), for unknown_objective findings. */
  locations: SourceLocation[];
}

/** `objectives:` (docs/objectives.md): OpenSLO files to read and the native objectives, already built. */
export interface ObjectivesConfig {
  /** Globs as written, relative to the config's directory, each with where it was written. */
  files: ObjectiveFilePattern[];
  /** `objectives.list`, as ObjectiveSpecs (locations in the config file). */
  list: ObjectiveSpec[];
  /** `objectives.pathRules`, in file order (empty when not given). */
  pathRules: ObjectivePathRule[];
}

/** Where things were written, for diagnostics that point back into the config file. */
export interface ConfigLocations {
  /** Group key as written -> location of the key. */
  groups: Record<string, SourceLocation>;
  /** Same order as mapping.pathRules: location of each rule's `category` value. */
  pathRuleCategories: SourceLocation[];
}

/** One `adjustments:` entry (docs/config.md "Adjustments") with where it was written. */
export interface ConfiguredAdjustment extends Adjustment {
  /** The entry in `.budgetlens.yml` or in the file `adjustments: { file }` names. */
  location: SourceLocation;
}

export interface ProjectConfig {
  /** Absolute path of the config file (or the name it was parsed under). */
  file: string;
  /** The directory relative paths are resolved against. */
  root: string;
  catalog: CatalogPaths;
  /** Decimal string, e.g. "99.95". */
  defaultTarget: TargetPercent;
  window: BudgetWindow;
  /** Keyed as written in the config; the catalog normalises keys when merging. */
  groups: Record<string, GroupSettings>;
  mapping: MappingConfig;
  /** Undefined when the config names no backend. */
  backend?: BackendConfig;
  /** Empty lists when the config has no `objectives:`. */
  objectives: ObjectivesConfig;
  /** Manual adjustments, in file order; empty without `adjustments:`. */
  adjustments: ConfiguredAdjustment[];
  /** Absolute path of the file `adjustments: { file }` names (the editor re-opens the project when it changes). */
  adjustmentsFile?: string;
  locations: ConfigLocations;
}
