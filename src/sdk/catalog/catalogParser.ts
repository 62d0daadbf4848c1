/**
 * Builds the Catalog from GitLab's `stages.yml` (+ optional `feature_categories.yml`) and the
 * project config's per-group settings. Structural problems are InputErrors at file:line:col;
 * ambiguities GitLab tolerates (a category listed by two groups: the first group wins) are
 * warnings on the catalog.
 */
import { readFile } from 'node:fs/promises';
import type { TargetPercent } from '../contract/budgetTypes';
import { DEFAULT_TARGET } from '../budget/target';
import type { ProjectConfig } from '../config/types';
import { validateYamlSource } from '../yaml/schemaErrors';
import { locatePath, parseYamlSource } from '../yaml/yamlSource';
import type { YamlPath, YamlSource } from '../yaml/yamlSource';
import { InputError } from '../contract/errors';
import type { SourceLocation } from '../contract/errors';
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
  stages: Record<string, { display_name?: string; groups?: Record<string, { name: string; categories?: string[] | null }> | null }>;
}

/** The keys Budget Lens reads at each level of stages.yml; any other key is ignored (and noted). */
const READ_KEYS = {
  top: new Set(['stages']),
  stage: new Set(['display_name', 'groups']),
  group: new Set(['name', 'categories']),
} as const;

/**
 * Keys of stages.yml that Budget Lens does not read, per level, sorted: GitLab's current
 * `data/stages.yml` has many (marketing, pm, pdm, ux, be, fe, slack, label...). They are ignored,
 * never an error; the CLI and the extension say so once (ignoredFieldsNote).
 */
export interface IgnoredCatalogFields {
  top: string[];
  stage: string[];
  group: string[];
}

function collectIgnored(data: unknown): IgnoredCatalogFields {
  const seen = { top: new Set<string>(), stage: new Set<string>(), group: new Set<string>() };
  const unread = (value: unknown, level: keyof typeof READ_KEYS): void => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const key of Object.keys(value)) if (!READ_KEYS[level].has(key)) seen[level].add(key);
  };
  unread(data, 'top');
  const stages = (data as StagesFile).stages;
  for (const stage of Object.values(stages)) {
    unread(stage, 'stage');
    for (const group of Object.values(stage.groups ?? {})) unread(group, 'group');
  }
  return { top: [...seen.top].sort(), stage: [...seen.stage].sort(), group: [...seen.group].sort() };
}

/**
 * One line naming the ignored fields of a stages.yml, or undefined when it has none:
 * `stages.yml: 14 fields Budget Lens does not use were ignored (stage: body, marketing; group: be, fe, pm)`.
 */
export function ignoredFieldsNote(file: string, ignored: IgnoredCatalogFields): string | undefined {
  const parts = (['top', 'stage', 'group'] as const)
    .filter((level) => ignored[level].length > 0)
    .map((level) => `${level === 'top' ? 'top level' : level}: ${ignored[level].join(', ')}`);
  if (parts.length === 0) return undefined;
  const n = ignored.top.length + ignored.stage.length + ignored.group.length;
  return `${file}: ${n} field${n === 1 ? '' : 's'} Budget Lens does not use ${n === 1 ? 'was' : 'were'} ignored (${parts.join('; ')})`;
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
    // Categories belong to groups: under a stage they are ignored like any unread key, but said so
    // where they are, since such a list was most likely meant for one of the stage's groups.
    if ('categories' in stage) {
      warnings.push({
        message: `"categories" under stage "${stageKey}" is ignored: categories belong to a group (stages.${stageKey}.groups.<group>.categories)`,
        location: locatePath(src, ['stages', stageKey, 'categories'], true),
      });
    }
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
  return { groups, categories, categoryPaths, notOwned, ignored: collectIgnored(data) };
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
  const catalog = new GitLabCatalog(parsed.groups, parsed.categories, known, defaultTarget, warnings, notOwned);
  catalog.ignoredFields = parsed.ignored;
  catalog.stagesFile = stagesFile;
  return catalog;
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
