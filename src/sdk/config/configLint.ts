/**
 * Checks of a valid `.budgetlens.yml` against the catalog: things that parse but are probably
 * wrong. Warnings, not errors (the config still loads), each at the config line to fix. The CLI
 * `lint` command and the editor's diagnostics show them next to the catalog's own warnings.
 */
import { closestCategory } from '../catalog/closestCategory';
import { isExceptionExpired } from '../budget/policy';
import type { GitLabCatalog } from '../catalog/gitlabCatalog';
import type { CatalogWarning } from '../catalog/types';
import type { ProjectConfig } from './types';

/**
 * - a path rule naming a category the catalog does not know (with "did you mean");
 * - a custom target past its review date at `asOf` (GitLab handbook: exceptions are temporary).
 * Groups the catalog does not know are already in `catalog.warnings`.
 */
export function lintProjectConfig(config: ProjectConfig, catalog: GitLabCatalog, asOf: Date = new Date()): CatalogWarning[] {
  const out: CatalogWarning[] = [];
  const known = new Set([...catalog.knownCategories, ...catalog.categories.keys()]);
  config.mapping.pathRules.forEach((rule, i) => {
    if (catalog.isValidCategory(rule.category)) return;
    const near = closestCategory(rule.category, known);
    out.push({
      message: `path rule "${rule.pattern}" maps to unknown feature category "${rule.category}"${near ? ` (did you mean "${near}"?)` : ''}`,
      location: config.locations.pathRuleCategories[i] ?? { file: config.file, line: 1, column: 1 },
    });
  });
  for (const [key, settings] of Object.entries(config.groups)) {
    const ct = settings.customTarget;
    if (ct && isExceptionExpired(ct, asOf)) {
      out.push({
        message: `custom target ${ct.target} % for group "${key}" passed its review date ${ct.reviewDate}: review it, or remove it to return to ${config.defaultTarget} %`,
        location: config.locations.groups[key] ?? { file: config.file, line: 1, column: 1 },
      });
    }
  }
  return out;
}
