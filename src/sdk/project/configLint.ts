/**
 * Checks of a valid `.budgetlens.yml` against the catalog: things that parse but are probably
 * wrong, each at the config line to fix. The one place these checks are made: `configIssues`.
 * `budget-lens lint` and the editor's Problems view get them as Findings (configFindings in
 * openProject.ts), `lintProjectConfig` words them as catalog warnings.
 */
import { isExceptionExpired } from '../budget/policy';
import type { CustomTarget, TargetPercent } from '../contract/budgetTypes';
import { closestCategory } from '../catalog/closestCategory';
import type { GitLabCatalog } from '../catalog/gitlabCatalog';
import type { CatalogWarning } from '../catalog/types';
import type { SourceLocation } from '../contract/errors';
import type { ProjectConfig } from '../config/types';
import { adjustmentScopeErrors } from '../catalog/adjustmentScopes';
import { formatLocation } from '../contract/errors';

/** A path rule naming a category the catalog does not know, located at the category's value. */
export interface UnknownPathRuleCategory {
  kind: 'unknown_path_rule_category';
  pattern: string;
  category: string;
  /** The closest known category, for "did you mean". */
  suggestion?: string;
  location: SourceLocation;
}

/** A custom target past its review date (GitLab handbook: exceptions are temporary), located at the group key. */
export interface ExpiredCustomTarget {
  kind: 'expired_custom_target';
  /** The group key as written in the config. */
  group: string;
  customTarget: CustomTarget;
  /** What the group returns to once the exception is removed. */
  defaultTarget: TargetPercent;
  location: SourceLocation;
}

/** An adjustment naming a group or category the catalog lacks, or overlapping another through a group's category (catalog/adjustmentScopes.ts). */
export interface InvalidAdjustment {
  kind: 'invalid_adjustment';
  /** Without the file:line prefix. */
  message: string;
  location: SourceLocation;
}

export type ConfigIssue = UnknownPathRuleCategory | ExpiredCustomTarget | InvalidAdjustment;

/**
 * - a path rule naming a category the catalog does not know (with "did you mean");
 * - a custom target past its review date at `asOf` (budget/policy.ts isExceptionExpired).
 * Groups the catalog does not know are already in `catalog.warnings`.
 */
export function configIssues(config: ProjectConfig, catalog: GitLabCatalog, asOf: Date = new Date()): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const known = new Set([...catalog.knownCategories, ...catalog.categories.keys()]);
  config.mapping.pathRules.forEach((rule, i) => {
    if (catalog.isValidCategory(rule.category)) return;
    const suggestion = closestCategory(rule.category, known);
    out.push({
      kind: 'unknown_path_rule_category',
      pattern: rule.pattern,
      category: rule.category,
      ...(suggestion !== undefined ? { suggestion } : {}),
      location: config.locations.pathRuleCategories[i] ?? { file: config.file, line: 1, column: 1 },
    });
  });
  for (const [key, settings] of Object.entries(config.groups)) {
    const ct = settings.customTarget;
    if (ct && isExceptionExpired(ct, asOf)) {
      out.push({
        kind: 'expired_custom_target',
        group: key,
        customTarget: ct,
        defaultTarget: config.defaultTarget,
        location: config.locations.groups[key] ?? { file: config.file, line: 1, column: 1 },
      });
    }
  }
  for (const e of adjustmentScopeErrors(config.adjustments, catalog)) {
    out.push({ kind: 'invalid_adjustment', message: e.message.slice(formatLocation(e.location).length + 2), location: e.location });
  }
  return out;
}

/** `custom target 99.80 % for group "code_review" passed its review date 2026-06-30: review it, or remove it to return to 99.95 %` */
export function expiredCustomTargetMessage(issue: ExpiredCustomTarget): string {
  const ct = issue.customTarget;
  return `custom target ${ct.target} % for group "${issue.group}" passed its review date ${ct.reviewDate}: review it, or remove it to return to ${issue.defaultTarget} %`;
}

/** The issues as catalog warnings (message + location), next to the catalog's own. */
export function lintProjectConfig(config: ProjectConfig, catalog: GitLabCatalog, asOf: Date = new Date()): CatalogWarning[] {
  return configIssues(config, catalog, asOf).map((issue) => ({
    message:
      issue.kind === 'expired_custom_target'
        ? expiredCustomTargetMessage(issue)
        : issue.kind === 'invalid_adjustment'
          ? issue.message
          : `path rule "${issue.pattern}" maps to unknown feature category "${issue.category}"${issue.suggestion ? ` (did you mean "${issue.suggestion}"?)` : ''}`,
    location: issue.location,
  }));
}
