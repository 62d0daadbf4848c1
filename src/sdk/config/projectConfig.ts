/**
 * Loads and validates `.budgetlens.yml` (docs/config.md): YAML -> JSON Schema (ajv) -> a typed
 * ProjectConfig with defaults and absolute paths. Every problem is an InputError at the
 * file:line:col of the offending node; credentials are refused with a message saying where
 * they belong.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isPair, isScalar, visit } from 'yaml';
import type { BudgetWindow } from '../contract/budgetTypes';
import { InputError } from '../contract/errors';
import { BudgetInputError } from '../budget/budgetInputError';
import { parseWindow } from '../budget/window';
import { projectConfigSchema } from './projectConfigSchema';
import { validateYamlSource } from '../yaml/schemaErrors';
import { readNativeObjectives } from '../objectives/native';
import { readAdjustments } from './adjustments';
import { readCatalogHistory } from './catalogHistoryConfig';
import { readGroupSettings, targetAt } from './groupSettings';
import {
  DEFAULT_GRAPE_MOUNT_PREFIX,
  DEFAULT_TARGET,
  DEFAULT_WINDOW,
  TOKEN_ENV_VAR,
} from './types';
import type { BackendConfig, ObjectivePathRule, PathRule, ProjectConfig } from './types';
import { locatePath, parseYamlSource } from '../yaml/yamlSource';
import type { YamlPath, YamlSource } from '../yaml/yamlSource';

/** Keys that would hold a credential. Matched case-insensitively, anywhere in the file. */
const SECRET_KEY = /^(token|api[_-]?token|access[_-]?token|auth[_-]?token|bearer|authorization|password|passwd|secret|api[_-]?key)$/i;

/** Minutes in a window label such as "28d" (m, h, d, w). */
export function parseWindowLabel(label: string): BudgetWindow | undefined {
  if (label.trim() !== label) return undefined;
  try {
    return parseWindow(label);
  } catch (e) {
    if (BudgetInputError.is(e)) return undefined;
    throw e;
  }
}

function secretKeyErrors(src: YamlSource): InputError[] {
  const out: InputError[] = [];
  visit(src.doc, {
    Pair(_key, pair) {
      if (isPair(pair) && isScalar(pair.key) && SECRET_KEY.test(String(pair.key.value)) && pair.key.range) {
        const pos = src.lineCounter.linePos(pair.key.range[0]);
        out.push(
          new InputError(
            `"${String(pair.key.value)}" is not allowed in .budgetlens.yml: the file is meant to be committed, so it never holds credentials. ` +
              `Store the token in the editor (Budget Lens keeps it in VS Code SecretStorage) or, for the CLI and CI, in the ${TOKEN_ENV_VAR} environment variable.`,
            { file: src.file, line: pos.line, column: pos.col },
          ),
        );
      }
    },
  });
  return out;
}

/** A target written as a YAML number keeps its source text ("99.80"), then is checked as a decimal. */
type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function buildBackend(raw: Raw, root: string): BackendConfig | undefined {
  switch (raw.kind) {
    case 'store':
      return { kind: 'store', path: path.resolve(root, String(raw.path)) };
    case 'prometheus':
      return {
        kind: 'prometheus',
        url: String(raw.url),
        mode: raw.mode === 'raw' ? 'raw' : 'recording_rules',
        selectors: Object.fromEntries(Object.entries(obj(raw.selectors)).map(([k, v]) => [k, String(v)])),
        metricPrefix: str(raw.metricPrefix) ?? '',
      };
    case 'api':
      return { kind: 'api', url: String(raw.url) };
    default:
      return undefined;
  }
}

/**
 * A top-level key with nothing after it (`mapping:` with every line below commented out) means
 * the same as leaving the section out, rather than "must be a mapping, got null".
 */
function withoutEmptySections(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

export interface ConfigCheck {
  /** Present only when there are no errors. */
  config?: ProjectConfig;
  /** Every problem found, in source order (for editor diagnostics). */
  errors: InputError[];
}

/** Validates config text and returns every error (a YAML syntax error stops at the first). */
export function checkProjectConfig(text: string, file: string): ConfigCheck {
  let src: YamlSource;
  try {
    src = parseYamlSource(text, file);
  } catch (e) {
    if (InputError.is(e)) return { errors: [e] };
    throw e;
  }
  const errors = secretKeyErrors(src);
  const value = withoutEmptySections(src.value ?? {});
  errors.push(...validateYamlSource(src, projectConfigSchema, value));
  // Schema errors and secret keys overlap (a `token` key is also an unknown key); say it once.
  const seenAt = new Set<string>();
  const unique = errors.filter((e) => {
    const at = `${e.location.line}:${e.location.column}`;
    if (seenAt.has(at)) return false;
    seenAt.add(at);
    return true;
  });
  if (unique.length > 0) return { errors: unique.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column) };
  return buildConfig(src, value as Raw);
}

function buildConfig(src: YamlSource, raw: Raw): ConfigCheck {
  const errors: InputError[] = [];
  const file = src.file;
  const root = path.dirname(path.resolve(file));
  const resolve = (p: unknown): string | undefined => (typeof p === 'string' ? path.resolve(root, p) : undefined);

  const defaultTarget = raw.defaultTarget === undefined ? DEFAULT_TARGET : targetAt(src, ['defaultTarget'], errors);
  const windowLabel = str(raw.window) ?? DEFAULT_WINDOW;
  const window = parseWindowLabel(windowLabel);

  const { groups, locations: groupLocations } = readGroupSettings(src, ['groups'], raw.groups, errors);

  const mapping = obj(raw.mapping);
  const rules = Array.isArray(mapping.pathRules) ? mapping.pathRules : [];
  const pathRules: PathRule[] = rules.map((r) => ({ pattern: String(obj(r).pattern), category: String(obj(r).category) }));
  const pathRuleCategories = rules.map((_r, i) => locatePath(src, ['mapping', 'pathRules', i, 'category']));

  const objectivesRaw = obj(raw.objectives);
  const native = window === undefined ? { objectives: [], errors: [] } : readNativeObjectives(src, ['objectives', 'list'], objectivesRaw.list, window);
  errors.push(...native.errors);
  const objectiveFiles = (Array.isArray(objectivesRaw.files) ? objectivesRaw.files : []).map((pattern: unknown, i) => ({
    pattern: String(pattern),
    location: locatePath(src, ['objectives', 'files', i]),
  }));
  const objectivePathRules = (Array.isArray(objectivesRaw.pathRules) ? objectivesRaw.pathRules : []).map((r: unknown, i): ObjectivePathRule => {
    const value = obj(r).objective;
    const at: YamlPath = ['objectives', 'pathRules', i, 'objective'];
    const names = Array.isArray(value) ? value.map(String) : [String(value)];
    return {
      pattern: String(obj(r).pattern),
      objectives: names,
      locations: names.map((_n, k) => locatePath(src, Array.isArray(value) ? [...at, k] : at)),
    };
  });

  const adjustments = readAdjustments(src, ['adjustments'], raw.adjustments, root);
  errors.push(...adjustments.errors);

  const catalog = obj(raw.catalog);
  const history = readCatalogHistory(src, ['catalog', 'history'], catalog.history, root, typeof catalog.stages === 'string');
  errors.push(...history.errors);
  const backendRaw = raw.backend === undefined ? undefined : obj(raw.backend);
  if (errors.length > 0 || defaultTarget === undefined || window === undefined) {
    return { errors };
  }
  const config: ProjectConfig = {
    file,
    root,
    catalog: {
      stagesPath: resolve(catalog.stages),
      featureCategoriesPath: resolve(catalog.featureCategories),
      ...(history.history ? { history: history.history } : {}),
    },
    defaultTarget,
    window,
    groups,
    mapping: {
      pathRules,
      grapeMountPrefix: str(mapping.grapeMountPrefix) ?? DEFAULT_GRAPE_MOUNT_PREFIX,
      exclude: strList(mapping.exclude),
      graphqlOperationsPath: resolve(mapping.graphqlOperations),
    },
    locations: { groups: groupLocations, pathRuleCategories },
    objectives: { files: objectiveFiles, list: native.objectives, pathRules: objectivePathRules },
    adjustments: adjustments.adjustments,
    ...(adjustments.file !== undefined ? { adjustmentsFile: adjustments.file } : {}),
  };
  if (backendRaw) config.backend = buildBackend(backendRaw, root);
  return { config, errors: [] };
}

/** Parses and validates config text; throws the first InputError (in source order). */
export function parseProjectConfig(text: string, file: string): ProjectConfig {
  const { config, errors } = checkProjectConfig(text, file);
  if (errors[0]) throw errors[0];
  if (!config) throw new InputError('invalid config', { file, line: 1, column: 1 });
  return config;
}

/** Reads and parses a `.budgetlens.yml`. A missing or unreadable file is an InputError at 1:1. */
export async function loadProjectConfig(configPath: string): Promise<ProjectConfig> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new InputError(`cannot read config: ${reason}`, { file: configPath, line: 1, column: 1 });
  }
  return parseProjectConfig(text, configPath);
}
