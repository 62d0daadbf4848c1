/**
 * Opens a project: its `.budgetlens.yml`, its catalog, and the findings only the two together
 * give. No index: mapping/index/openWorkspace.ts builds the index on top of this, and a caller
 * that needs only the catalog and the backend settings (budget figures in the editor, the CLI's
 * data commands) opens the project without waiting for a cold index build.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { resolveCatalog } from '../catalog/defaultCatalog';
import type { CatalogOrigin } from '../catalog/defaultCatalog';
import type { GitLabCatalog } from '../catalog/gitlabCatalog';
import { loadProjectConfig } from '../config/projectConfig';
import { CONFIG_FILE_NAME } from '../config/types';
import type { ProjectConfig } from '../config/types';
import type { Finding } from '../mapping/types';
import type { GroupBudget } from '../contract/apiTypes';
import { formatPercent } from '../budget/format';
import { configIssues, expiredCustomTargetMessage } from './configLint';

/** Thrown when no catalog can be found; the CLI turns it into a usage error. */
export { MissingCatalogError } from '../catalog/defaultCatalog';

export interface OpenProjectOptions {
  /**
   * A directory holding stages.yml (and optionally feature_categories.yml); overrides the config.
   * Without it and without `catalog:` in the config, the bundled snapshot (defaultCatalog.ts).
   */
  catalogDir?: string;
  /** How `catalogDir` is named in labels and errors (`budgetLens.catalogPath`, `--catalog`). */
  catalogDirSource?: string;
  /** Where the bundled snapshot is (default: found next to the running code); tests only. */
  defaultCatalogDir?: string;
}

export interface OpenedProject {
  /** Absolute. */
  root: string;
  /** Undefined when the root has no `.budgetlens.yml`. */
  config?: ProjectConfig;
  catalog: GitLabCatalog;
  /** Which catalog is in use (setting/flag, config or the bundled snapshot), worded for users. */
  catalogOrigin: CatalogOrigin;
  /** configFindings as of opening: unknown path-rule categories, expired custom targets. */
  findings: Finding[];
}

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

/** Loads the root's `.budgetlens.yml` (when there is one) and resolves its catalog. */
export async function openProject(root: string, options: OpenProjectOptions = {}): Promise<OpenedProject> {
  const abs = resolve(root);
  const configPath = join(abs, CONFIG_FILE_NAME);
  const config = existsSync(configPath) ? await loadProjectConfig(configPath) : undefined;
  const { catalog, origin } = await resolveCatalog({
    root: abs,
    catalogDir: options.catalogDir,
    catalogDirSource: options.catalogDirSource,
    config,
    defaultDir: options.defaultCatalogDir,
  });
  const project = { root: abs, config, catalog, catalogOrigin: origin };
  return { ...project, findings: configFindings(project) };
}

/**
 * Findings about the project's `.budgetlens.yml` that only make sense with the catalog in hand
 * (configLint.ts configIssues): a path rule naming a category the catalog does not know (an
 * error, with its suggestion for the quick fix), a custom target past its review date at `asOf`
 * (a warning at the group key). `budget-lens lint` prints them; the editor's Problems view shows
 * them on the config's lines.
 */
/**
 * The traffic-share conditions of the config's custom targets (`expiresWhen: { trafficShareAbove }`),
 * judged on a backend's group answers (`budget-lens lint --store|--prometheus|--api`): an exception
 * the backend says expired by traffic share is an `expired_custom_target` warning at its group's
 * config line, with the share measured; without answers (no backend given), a note at the same
 * line that the condition was not checked. `answers` holds the answer per group key, or the error
 * asking for it.
 */
export function exceptionTrafficFindings(
  project: Pick<OpenedProject, 'root' | 'config'>,
  answers: ReadonlyMap<string, GroupBudget | Error> | undefined,
  backend?: string,
): Finding[] {
  const config = project.config;
  if (!config) return [];
  const file = toWorkspacePath(project.root, config.file);
  const out: Finding[] = [];
  for (const [key, settings] of Object.entries(config.groups)) {
    const above = settings.customTarget?.expiresWhen?.trafficShareAbove;
    if (above === undefined || settings.customTarget === undefined) continue;
    const loc = config.locations.groups[key] ?? { file: config.file, line: 1, column: 1 };
    const at = { file, line: loc.line, column: loc.column };
    const ct = settings.customTarget;
    const answer = answers?.get(key);
    if (answers === undefined) {
      out.push({ code: 'expired_custom_target', severity: 'info', message: `custom target ${ct.target} % for group "${key}" expires when its traffic share is above ${above} %: not checked without figures (lint with --store, --prometheus or --api)`, ...at });
    } else if (answer instanceof Error || answer === undefined) {
      out.push({ code: 'expired_custom_target', severity: 'info', message: `custom target ${ct.target} % for group "${key}": its traffic-share condition (above ${above} %) could not be checked: ${answer?.message ?? 'no answer'}`, ...at });
    } else if (answer.customTarget?.expired && answer.customTarget.expiredBecause === 'traffic_share') {
      out.push({
        code: 'expired_custom_target',
        severity: 'warning',
        message: `custom target ${ct.target} % for group "${key}" expired: its traffic share is ${formatPercent(answer.trafficShare)} over ${answer.window.label}, above ${above} %${backend ? ` (${backend})` : ''}: review it, or remove it to return to ${config.defaultTarget} %`,
        ...at,
      });
    }
  }
  return out;
}

export function configFindings(project: Pick<OpenedProject, 'root' | 'config' | 'catalog'>, asOf: Date = new Date()): Finding[] {
  const config = project.config;
  if (!config) return [];
  const file = toWorkspacePath(project.root, config.file);
  return configIssues(config, project.catalog, asOf).map((issue): Finding => {
    const at = { file, line: issue.location.line, column: issue.location.column };
    if (issue.kind === 'invalid_adjustment') return { code: 'invalid_adjustment', severity: 'error', message: issue.message, ...at, ...(issue.location.file !== config.file ? { file: toWorkspacePath(project.root, issue.location.file) } : {}) };
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
