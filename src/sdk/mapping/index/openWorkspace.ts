/**
 * Wires a WorkspaceIndex from what a workspace declares: `.budgetlens.yml` (catalog paths,
 * mapping options, path rules) and the catalog. Shared by the CLI commands and the extension so
 * both index a workspace the same way.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { resolveCatalog } from '../../catalog/defaultCatalog';
import type { CatalogOrigin } from '../../catalog/defaultCatalog';
import type { GitLabCatalog } from '../../catalog/gitlabCatalog';
import { NOT_OWNED_GROUP, UNKNOWN_CATEGORY } from '../../catalog/types';
import { loadProjectConfig } from '../../config/projectConfig';
import { CONFIG_FILE_NAME } from '../../config/types';
import type { ProjectConfig } from '../../config/types';
import { configIssues, expiredCustomTargetMessage } from '../../project/configLint';
import type { Finding } from '../types';
import { WorkspaceIndex } from './workspaceIndex';
import { scanAnnotations } from '../annotations';
import { compilePathRules } from '../pathRules';
import { findRipgrep } from './ripgrepPrefilter';
import type { PathRuleMatcher } from '../pathRules';
import type { AnnotationScanner, PathCategoryLookup, WorkspaceIndexOptions } from './workspaceIndex';

export interface OpenWorkspaceOptions {
  /** Workspace root (absolute). */
  root: string;
  /**
   * A directory holding stages.yml (and optionally feature_categories.yml); overrides the config.
   * Without it and without `catalog:` in the config, the bundled snapshot (defaultCatalog.ts).
   */
  catalogDir?: string;
  /** How `catalogDir` is named in labels and errors (`budgetLens.catalogPath`, `--catalog`). */
  catalogDirSource?: string;
  /** Where the bundled snapshot is (default: found next to the running code); tests only. */
  defaultCatalogDir?: string;
  /** Default: the comment-annotation scanner of src/sdk/mapping/annotations.ts. */
  annotations?: AnnotationScanner;
  workers?: number;
  workerScript?: string;
  /**
   * The ripgrep binary for the cold build's pre-filter; default findRipgrep() (`BUDGET_LENS_RIPGREP`,
   * else `rg` on PATH); false: none, every file is read in this process.
   */
  ripgrep?: string | false;
  /** WorkspaceIndexOptions.fullRead: the reference index of the pre-filter checks (internal). */
  fullRead?: boolean;
}

export interface OpenedWorkspace {
  root: string;
  config?: ProjectConfig;
  catalog: GitLabCatalog;
  /** Which catalog is in use (setting/flag, config or the bundled snapshot), worded for users. */
  catalogOrigin: CatalogOrigin;
  index: WorkspaceIndex;
}

/** Thrown when no catalog can be found; the CLI turns it into a usage error. */
export { MissingCatalogError } from '../../catalog/defaultCatalog';

/** The nearest directory at or above `start` holding a `.budgetlens.yml`, if any. */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = resolve(start);
  if (existsSync(dir) && !statSync(dir).isDirectory()) dir = dirname(dir);
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE_NAME))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Workspace-relative with '/' separators. */
export function toWorkspacePath(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

const annotationScanner: AnnotationScanner = (file, text, knownCategories) => scanAnnotations(text, file, { knownCategories });

function ruleLookup(matcher: PathRuleMatcher): PathCategoryLookup {
  return (file) => matcher.categoryFor(file);
}

/** Loads config and catalog and creates (but does not build) the index. */
export async function openWorkspace(options: OpenWorkspaceOptions): Promise<OpenedWorkspace> {
  const root = resolve(options.root);
  const configPath = join(root, CONFIG_FILE_NAME);
  const config = existsSync(configPath) ? await loadProjectConfig(configPath) : undefined;
  const { catalog, origin } = await resolveCatalog({
    root,
    catalogDir: options.catalogDir,
    catalogDirSource: options.catalogDirSource,
    config,
    defaultDir: options.defaultCatalogDir,
  });
  const known = new Set([...catalog.knownCategories, ...catalog.categories.keys(), NOT_OWNED_GROUP, UNKNOWN_CATEGORY]);
  const indexOptions: WorkspaceIndexOptions = {
    root,
    knownCategories: known,
    grapeMountPrefix: config?.mapping.grapeMountPrefix,
    exclude: config?.mapping.exclude,
    pathRules: config?.mapping.pathRules.length ? ruleLookup(compilePathRules(config.mapping.pathRules)) : undefined,
    annotations: options.annotations ?? annotationScanner,
    graphqlOperations:
      config?.mapping.graphqlOperationsPath !== undefined ? toWorkspacePath(root, config.mapping.graphqlOperationsPath) : undefined,
    workers: options.workers,
    workerScript: options.workerScript,
    ripgrep: options.ripgrep === false ? undefined : (options.ripgrep ?? findRipgrep()),
    ...(options.fullRead ? { fullRead: true } : {}),
  };
  return { root, config, catalog, catalogOrigin: origin, index: new WorkspaceIndex(indexOptions) };
}

/**
 * Findings about the workspace's `.budgetlens.yml` that only make sense with the catalog in hand
 * (project/configLint.ts configIssues): a path rule naming a category the catalog does not know
 * (an error, with its suggestion for the quick fix), a custom target past its review date at
 * `asOf` (a warning at the group key). `budget-lens lint` prints them; the editor's Problems
 * view shows them on the config's lines.
 */
export function configFindings(ws: OpenedWorkspace, asOf: Date = new Date()): Finding[] {
  const config = ws.config;
  if (!config) return [];
  const file = toWorkspacePath(ws.root, config.file);
  return configIssues(config, ws.catalog, asOf).map((issue): Finding => {
    const at = { file, line: issue.location.line, column: issue.location.column };
    if (issue.kind === 'expired_custom_target') return { code: 'expired_custom_target', severity: 'warning', message: expiredCustomTargetMessage(issue), ...at };
    const { pattern, category, suggestion } = issue;
    return {
      code: 'unknown_category',
      severity: 'error',
      message: `path rule "${pattern}" maps to unknown feature category '${category}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
      ...at,
      ...(suggestion ? { suggestion } : {}),
    };
  });
}
