/**
 * The default catalog: GitLab's catalog snapshot shipped with Budget Lens (catalog/gitlab/ in the
 * repository, see its README), and the one rule that decides which catalog a workspace uses:
 *
 *   1. a catalog directory the caller names (`budgetLens.catalogPath` in the editor, `--catalog`
 *      in the CLI),
 *   2. else `catalog:` in `.budgetlens.yml`,
 *   3. else the bundled snapshot; in a GitLab checkout (a `config/feature_categories.yml` at the
 *      root) the checkout's own list says which categories are valid, the snapshot's stages.yml
 *      still says which group and stage own them.
 *
 * The snapshot is found relative to the running code, so every layout works: the sources under
 * tsx (src/sdk/catalog -> ../../../catalog), the bundles in dist/ (dist -> ../catalog), the
 * packaged .vsix (same as dist/: .vscodeignore keeps catalog/gitlab/*.yml) and a CLI installed
 * from `npm pack` (package.json `files` keeps them beside dist/).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ProjectConfig } from '../config/types';
import { CONFIG_FILE_NAME } from '../config/types';
import { InputError } from '../contract/errors';
import { loadCatalog } from './catalogParser';
import type { GitLabCatalog } from './gitlabCatalog';

/** What the bundled snapshot is: the date users see, and where it was derived from. */
export const DEFAULT_CATALOG_SNAPSHOT = {
  date: '2025-04-04',
  source: 'runbooks 8df1fb73',
} as const;

/** `GitLab catalog snapshot 2025-04-04 (runbooks 8df1fb73)`. */
export const DEFAULT_CATALOG_NAME = `GitLab catalog snapshot ${DEFAULT_CATALOG_SNAPSHOT.date} (${DEFAULT_CATALOG_SNAPSHOT.source})`;

/** Where a GitLab checkout keeps its list of valid feature categories. */
export const CHECKOUT_FEATURE_CATEGORIES = 'config/feature_categories.yml';

/**
 * The GitLab checkout holding `start`: the nearest directory at or above it with a
 * config/feature_categories.yml, looking no higher than the repository `start` is in (the first
 * directory with a `.git`): a project is never told the valid categories of a checkout it merely
 * sits inside. Undefined outside one.
 */
export function findGitLabCheckout(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, CHECKOUT_FEATURE_CATEGORIES))) return dir;
    const parent = dirname(dir);
    if (parent === dir || existsSync(join(dir, '.git'))) return undefined;
    dir = parent;
  }
}

/**
 * The folder holding the bundled stages.yml and feature_categories.yml, looked up from `from`
 * (the directory of the running module or bundle): `../catalog/gitlab` (dist/, the .vsix, an
 * installed CLI) or `../../../catalog/gitlab` (src/sdk/catalog under tsx). Undefined when neither
 * holds a stages.yml (a build that left the catalog out).
 */
export function findDefaultCatalogDir(from: string = typeof __dirname === 'string' ? __dirname : process.cwd()): string | undefined {
  for (const up of ['..', '../../..']) {
    const dir = resolve(from, up, 'catalog', 'gitlab');
    if (existsSync(join(dir, 'stages.yml'))) return dir;
  }
  return undefined;
}

/** Which of the three places the catalog came from. */
export type CatalogOriginKind = 'directory' | 'config' | 'bundled';

/** The catalog in use and where it came from, worded for tooltips, hovers and CLI headers. */
export interface CatalogOrigin {
  kind: CatalogOriginKind;
  stagesPath: string;
  featureCategoriesPath?: string;
  /** The checkout's own config/feature_categories.yml gave the valid categories (bundled only). */
  checkoutCategories: boolean;
  /**
   * One line: `GitLab catalog snapshot 2025-04-04 (runbooks 8df1fb73), bundled`,
   * `… bundled; valid categories from this checkout's config/feature_categories.yml`,
   * `/path/catalog (budgetLens.catalogPath)`, `/path/stages.yml (.budgetlens.yml)`.
   */
  label: string;
}

export interface ResolveCatalogOptions {
  /** The workspace root (where a GitLab checkout keeps config/feature_categories.yml). */
  root: string;
  /** A directory with stages.yml (+ feature_categories.yml) that wins over everything. */
  catalogDir?: string;
  /** How to name `catalogDir` in messages and labels: `budgetLens.catalogPath`, `--catalog`. */
  catalogDirSource?: string;
  config?: ProjectConfig;
  /** Where the bundled snapshot is (default findDefaultCatalogDir()); tests point elsewhere. */
  defaultDir?: string;
}

export interface ResolvedCatalog {
  catalog: GitLabCatalog;
  origin: CatalogOrigin;
}

/** Thrown when no catalog is named and the bundled one is missing from this build. */
export class MissingCatalogError extends Error {
  override readonly name = 'MissingCatalogError';
}

/** Picks the catalog by the precedence above and loads it. */
export async function resolveCatalog(options: ResolveCatalogOptions): Promise<ResolvedCatalog> {
  const { config } = options;
  if (options.catalogDir !== undefined) {
    const dir = resolve(options.root, options.catalogDir);
    const stagesPath = join(dir, 'stages.yml');
    const named = options.catalogDirSource ?? 'the catalog directory';
    if (!existsSync(stagesPath)) {
      throw new InputError(`no stages.yml in the catalog directory ${dir} (${named})`, { file: stagesPath, line: 1, column: 1 });
    }
    const fc = join(dir, 'feature_categories.yml');
    const featureCategoriesPath = existsSync(fc) ? fc : undefined;
    const catalog = await loadCatalog({ stagesPath, featureCategoriesPath, config });
    return { catalog, origin: { kind: 'directory', stagesPath, featureCategoriesPath, checkoutCategories: false, label: `${dir} (${named})` } };
  }
  const configured = config?.catalog.stagesPath;
  if (configured !== undefined) {
    const featureCategoriesPath = config?.catalog.featureCategoriesPath;
    const catalog = await loadCatalog({ stagesPath: configured, featureCategoriesPath, config });
    return { catalog, origin: { kind: 'config', stagesPath: configured, featureCategoriesPath, checkoutCategories: false, label: `${configured} (${CONFIG_FILE_NAME})` } };
  }
  const dir = options.defaultDir ?? findDefaultCatalogDir();
  if (dir === undefined) {
    throw new MissingCatalogError(`no catalog: this build of Budget Lens has no bundled catalog (catalog/gitlab); pass --catalog <dir>, set budgetLens.catalogPath or catalog.stages in ${CONFIG_FILE_NAME}`);
  }
  const stagesPath = join(dir, 'stages.yml');
  const checkoutRoot = findGitLabCheckout(options.root);
  const checkoutCategories = checkoutRoot !== undefined;
  const checkout = join(checkoutRoot ?? options.root, CHECKOUT_FEATURE_CATEGORIES);
  const bundledFc = join(dir, 'feature_categories.yml');
  const featureCategoriesPath = checkoutCategories ? checkout : existsSync(bundledFc) ? bundledFc : undefined;
  const catalog = await loadCatalog({ stagesPath, featureCategoriesPath, config });
  const label = checkoutCategories
    ? `${DEFAULT_CATALOG_NAME}, bundled; valid categories from this checkout's ${CHECKOUT_FEATURE_CATEGORIES}`
    : `${DEFAULT_CATALOG_NAME}, bundled`;
  return { catalog, origin: { kind: 'bundled', stagesPath, featureCategoriesPath, checkoutCategories, label } };
}
