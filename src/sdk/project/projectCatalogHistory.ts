/**
 * The catalog history a project configures (`catalog.history`, docs/config.md "Catalog history"):
 * the explicit list (its files read like any catalog: errors at their own file:line) or the git
 * history of the catalog files (a reason instead when git cannot tell it: the figures then use
 * today's catalog for every hour, and the caller says so). Undefined without `catalog.history`.
 */
import type { CatalogHistory } from '../catalog/catalogHistory';
import { loadCatalogHistory } from '../catalog/catalogHistoryLoader';
import type { ProjectConfig } from '../config/types';
import { catalogGitHistory } from './catalogGitHistory';

export type ProjectCatalogHistory = { history: CatalogHistory; notes: string[] } | { reason: string };

export async function projectCatalogHistory(config: ProjectConfig | undefined): Promise<ProjectCatalogHistory | undefined> {
  const setting = config?.catalog.history;
  if (config === undefined || setting === undefined) return undefined;
  if (setting.kind === 'list') return { history: await loadCatalogHistory(setting.entries, config), notes: [] };
  const stagesPath = config.catalog.stagesPath;
  if (stagesPath === undefined) return { reason: 'catalog.history: git needs catalog.stages' };
  const r = await catalogGitHistory({ stagesPath, ...(config.catalog.featureCategoriesPath ? { featureCategoriesPath: config.catalog.featureCategoriesPath } : {}), config, configPath: config.file });
  if ('reason' in r) return { reason: `catalog.history: git: ${r.reason}` };
  return { history: r.history, notes: r.skipped.map((s) => `catalog.history: commit ${s.sha.slice(0, 12)} skipped: ${s.reason}`) };
}
