/**
 * Builds the Catalog from GitLab's `stages.yml` (+ optional `feature_categories.yml`) and the
 * project config's per-group settings. Structural problems are InputErrors at file:line:col;
 * ambiguities GitLab tolerates (a category listed by two groups: the first group wins) are
 * warnings on the catalog.
 */
import { readFile } from 'node:fs/promises';
import type { TargetPercent } from '../budget/types';
import { DEFAULT_TARGET } from '../budget/target';
import type { ProjectConfig } from '../config/types';
import { validateYamlSource } from '../config/schemaErrors';
import { locatePath, parseYamlSource } from '../config/yamlSource';
import type { YamlPath, YamlSource } from '../config/yamlSource';
import { InputError } from '../errors';
import type { SourceLocation } from '../errors';
import { featureCategoriesSchema, stagesSchema } from './catalogSchemas';
import { closestCategory } from './closestCategory';
import { GitLabCatalog, isPseudoCategory, notOwnedGroupInfo } from './gitlabCatalog';
import { normaliseGroupKey } from './groupKey';
import { NOT_OWNED_GROUP } from './types';
import type { CatalogWarning, CategoryInfo, GroupInfo } from './types';

/** What the catalog takes from `.budgetlens.yml`; a whole ProjectConfig fits. */
export type CatalogConfigInput = Pick<ProjectConfig, 'defaultTarget' | 'groups'> &
  Partial<Pick<ProjectConfig, 'file' | 'locations'>>;

interface StagesFile {
  stages: Record<string, { display_name?: string; groups?: Record<string, { name: string; categories?: string[] | null }> }>;
}

function throwFirst(errors: InputError[]): void {
  if (errors[0]) throw errors[0];
}

function parseStages(src: YamlSource, warnings: CatalogWarning[]) {
  throwFirst(validateYamlSource(src, stagesSchema));
  const data = src.value as StagesFile;
  const groups = new Map<string, GroupInfo>();
  const categories = new Map<string, CategoryInfo>();
  // Where each owned category is written, for warnings found later.
  const categoryPaths = new Map<string, YamlPath>();
  let notOwned: GroupInfo | undefined;
  for (const [stageKey, stage] of Object.entries(data.stages)) {
    for (const [rawKey, g] of Object.entries(stage.groups ?? {})) {
      const key = normaliseGroupKey(rawKey);
      const groupPath = ['stages', stageKey, 'groups', rawKey];
      const existing = groups.get(key) ?? (key === NOT_OWNED_GROUP ? notOwned : undefined);
      if (existing) {
        warnings.push({
          message: `group "${rawKey}" normalises to "${key}", already defined in stage "${existing.stage}"; this later definition is ignored`,
          location: locatePath(src, groupPath, true),
        });
        continue;
      }
      const info: GroupInfo = {
        key,
        name: g.name,
        stage: stageKey,
        stageDisplayName: stage.display_name ?? stageKey,
        categories: [],
        ignoredComponents: [],
      };
      (g.categories ?? []).forEach((category, i) => {
        const at = (): SourceLocation => locatePath(src, [...groupPath, 'categories', i]);
        if (isPseudoCategory(category) && key !== NOT_OWNED_GROUP) {
          warnings.push({ message: `"${category}" always belongs to the not_owned pseudo-group; ignored in group "${key}"`, location: at() });
          return;
        }
        const owner = categories.get(category);
        if (owner) {
          // GitLab resolves duplicates the same way: the first group listing a category owns it.
          if (owner.group !== key) {
            warnings.push({ message: `category "${category}" is already owned by group "${owner.group}" (first group wins); ignored in group "${key}"`, location: at() });
          }
          return;
        }
        categories.set(category, { name: category, group: key, stage: stageKey });
        categoryPaths.set(category, [...groupPath, 'categories', i]);
        info.categories.push(category);
      });
      if (key === NOT_OWNED_GROUP) notOwned = info;
      else groups.set(key, info);
    }
  }
  return { groups, categories, categoryPaths, notOwned };
}

function parseFeatureCategories(src: YamlSource): string[] {
  throwFirst(validateYamlSource(src, featureCategoriesSchema, src.value ?? []));
  return (src.value as string[] | null) ?? [];
}

function mergeConfig(groups: Map<string, GroupInfo>, notOwned: GroupInfo, config: CatalogConfigInput, warnings: CatalogWarning[]): void {
  const seen = new Map<string, string>();
  for (const [rawKey, settings] of Object.entries(config.groups)) {
    const key = normaliseGroupKey(rawKey);
    const earlier = seen.get(key);
    seen.set(key, rawKey);
    if (earlier !== undefined) {
      warnings.push({
        message: `group "${rawKey}" in the project config is the same group as "${earlier}" (both normalise to "${key}"); its settings replace the earlier ones`,
        location: config.locations?.groups[rawKey] ?? { file: config.file ?? '.budgetlens.yml', line: 1, column: 1 },
      });
    }
    const group = groups.get(key) ?? (key === NOT_OWNED_GROUP ? notOwned : undefined);
    if (!group) {
      const near = closestCategory(key, groups.keys());
      warnings.push({
        message: `group "${rawKey}" in the project config is not in stages.yml${near ? ` (did you mean "${near}"?)` : ''}; its settings are ignored`,
        location: config.locations?.groups[rawKey] ?? { file: config.file ?? '.budgetlens.yml', line: 1, column: 1 },
      });
      continue;
    }
    group.ignoredComponents = [...settings.ignoredComponents];
    if (settings.customTarget) group.customTarget = { ...settings.customTarget };
  }
}

/**
 * Builds a catalog from file contents (pure: no I/O). `featureCategoriesText` is the flat list;
 * without it the known categories are those stages.yml lists.
 */
export function parseCatalog(
  stagesText: string,
  stagesFile: string,
  featureCategoriesText?: string,
  featureCategoriesFile = 'feature_categories.yml',
  config?: CatalogConfigInput,
): GitLabCatalog {
  const warnings: CatalogWarning[] = [];
  const stagesSrc = parseYamlSource(stagesText, stagesFile);
  const parsed = parseStages(stagesSrc, warnings);
  const notOwned = parsed.notOwned ?? notOwnedGroupInfo();

  let known: Set<string>;
  if (featureCategoriesText !== undefined) {
    const fcSrc = parseYamlSource(featureCategoriesText, featureCategoriesFile);
    known = new Set(parseFeatureCategories(fcSrc));
    for (const [category, info] of parsed.categories) {
      if (!known.has(category)) {
        warnings.push({
          message: `category "${category}" (group "${info.group}") is not listed in ${featureCategoriesFile}`,
          location: locatePath(stagesSrc, parsed.categoryPaths.get(category) ?? []),
        });
      }
    }
  } else {
    known = new Set(parsed.categories.keys());
  }

  const defaultTarget: TargetPercent = config?.defaultTarget ?? DEFAULT_TARGET;
  if (config) mergeConfig(parsed.groups, notOwned, config, warnings);
  return new GitLabCatalog(parsed.groups, parsed.categories, known, defaultTarget, warnings, notOwned);
}

export interface LoadCatalogOptions {
  stagesPath: string;
  featureCategoriesPath?: string;
  config?: CatalogConfigInput;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new InputError(`cannot read catalog file: ${reason}`, { file, line: 1, column: 1 });
  }
}

/** Reads stages.yml (and feature_categories.yml) from disk and builds the catalog. */
export async function loadCatalog(options: LoadCatalogOptions): Promise<GitLabCatalog> {
  const stagesText = await readText(options.stagesPath);
  const fcText = options.featureCategoriesPath === undefined ? undefined : await readText(options.featureCategoriesPath);
  return parseCatalog(stagesText, options.stagesPath, fcText, options.featureCategoriesPath, options.config);
}
