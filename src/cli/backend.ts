/**
 * Opening a Budget API for the data commands (`serve`, `report`, `status`) from flags and
 * `.budgetlens.yml`: `--store path` (default .budgetlens/store.db), `--prometheus url`, or
 * `--api url` (a remote `budget-lens serve`), with the catalog from `--catalog dir` or the config.
 * The backend token comes only from the environment (BUDGET_LENS_TOKEN), never from a flag, and
 * is never printed: descriptions show the URL or path only.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import {
  CONFIG_FILE_NAME,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_STORE_PATH,
  findWorkspaceRoot,
  loadProjectConfig,
  MissingCatalogError,
  openBudgetBackend,
  openProjectObjectives,
  projectCatalogHistory,
  resolveCatalog,
  TOKEN_ENV_VAR,
} from '../sdk';
import type { Catalog, ObjectiveSpec, OpenedBudgetBackend, ProjectConfig } from '../sdk';
import type { CliIo } from './io';
import { UsageError } from './io';

export const BACKEND_OPTIONS = {
  store: { type: 'string' },
  prometheus: { type: 'string' },
  api: { type: 'string' },
  catalog: { type: 'string' },
  config: { type: 'string' },
  'max-backend-bytes': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const BACKEND_USAGE = `backend (one of; default: the config's backend, else the store):
  --store path         embedded store (default ${DEFAULT_STORE_PATH})
  --prometheus url     anything speaking the Prometheus HTTP API (recording-rule series)
  --api url            a running 'budget-lens serve'
  --catalog dir        directory with stages.yml (+ feature_categories.yml); default: the config's
                       catalog, else the bundled GitLab snapshot
  --config path        .budgetlens.yml (default: the nearest one above the current directory)
  --max-backend-bytes n
                       the most bytes one answer from Prometheus or the API may have; a bigger one
                       is cut off and refused, naming the limit and URL (default ${DEFAULT_MAX_RESPONSE_BYTES} = 8 MiB)
  Token for Prometheus or the API: environment variable ${TOKEN_ENV_VAR}.`;

export interface BackendFlags {
  store?: string;
  prometheus?: string;
  api?: string;
  catalog?: string;
  config?: string;
  'max-backend-bytes'?: string;
}

/** The most bytes one answer from the backend may have; at least 1 KiB (1024), at most 1 GiB (1073741824). */
function maxBackendBytes(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RESPONSE_BYTES;
  if (!/^\d+$/.test(value) || Number(value) < 1024 || Number(value) > 1024 ** 3) {
    throw new UsageError(`--max-backend-bytes: expected an integer number of bytes 1024..${1024 ** 3}, got '${value}'`);
  }
  return Number(value);
}

/** The SDK's opened backend: api, kind, description (a path or URL, never the token), catalog (absent for `--api`), close. */
export type OpenedBackend = OpenedBudgetBackend;

async function loadConfig(io: CliIo, flags: BackendFlags): Promise<ProjectConfig | undefined> {
  if (flags.config !== undefined) return loadProjectConfig(resolve(io.cwd, flags.config));
  const root = findWorkspaceRoot(io.cwd);
  return root === undefined ? undefined : loadProjectConfig(join(root, CONFIG_FILE_NAME));
}

/**
 * The catalog by the one precedence (src/sdk/catalog/defaultCatalog.ts): `--catalog dir`, else
 * `catalog:` in the config, else the bundled GitLab snapshot.
 */
async function loadCatalogFor(io: CliIo, flags: BackendFlags, config: ProjectConfig | undefined): Promise<Catalog> {
  if (flags.catalog !== undefined) {
    const dir = resolve(io.cwd, flags.catalog);
    if (!existsSync(join(dir, 'stages.yml'))) throw new UsageError(`--catalog: no stages.yml in ${dir}`);
  }
  try {
    const root = config?.root ?? findWorkspaceRoot(io.cwd) ?? io.cwd;
    const catalogDir = flags.catalog !== undefined ? resolve(io.cwd, flags.catalog) : undefined;
    return (await resolveCatalog({ root, catalogDir, catalogDirSource: '--catalog', config })).catalog;
  } catch (e) {
    if (e instanceof MissingCatalogError) throw new UsageError(e.message);
    throw e;
  }
}

function checkUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag}: '${value}' is not a URL (expected e.g. http://127.0.0.1:9090)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag}: only http and https URLs are supported`);
  if (url.username || url.password) throw new UsageError(`${flag}: put credentials in ${TOKEN_ENV_VAR}, not in the URL`);
  return value.replace(/\/+$/, '');
}

/** The project's objectives for Prometheus and the store (the report's section, `serve`'s /objectives, `slo status`). */
export interface BackendObjectives {
  objectives: readonly ObjectiveSpec[];
  /** Their files are named relative to it in answers. */
  root: string;
}

/** The config's objectives; none without a config. Findings are `slo lint`'s to print, not every data command's. */
async function objectivesOf(config: ProjectConfig | undefined): Promise<BackendObjectives | undefined> {
  if (config === undefined) return undefined;
  const { objectives } = await openProjectObjectives({ root: config.root, config });
  return { objectives, root: config.root };
}

/**
 * Opens the backend the flags (or the config) name. `allowApi: false` for `serve`; `timeoutMs`
 * bounds each request to the API or Prometheus (default: the client's own, 10 s / 30 s);
 * `objectives` (default: the config's) go to Prometheus and the store.
 */
export async function openBackend(
  io: CliIo,
  flags: BackendFlags,
  opts: { allowApi?: boolean; timeoutMs?: number; objectives?: BackendObjectives } = {},
): Promise<OpenedBackend> {
  const chosen = (['store', 'prometheus', 'api'] as const).filter((k) => flags[k] !== undefined);
  if (chosen.length > 1) throw new UsageError(`choose one backend: --${chosen.join(', --')} were all given`);
  if (flags.api !== undefined && opts.allowApi === false) throw new UsageError('--api cannot be served again; point clients at that server directly');
  const token = io.env[TOKEN_ENV_VAR] || undefined;
  const maxResponseBytes = maxBackendBytes(flags['max-backend-bytes']);
  const config = await loadConfig(io, flags);
  const configured = chosen.length === 0 ? config?.backend : undefined;

  const apiUrl = flags.api !== undefined ? checkUrl('--api', flags.api) : configured?.kind === 'api' && opts.allowApi !== false ? configured.url : undefined;
  if (apiUrl !== undefined) return openBudgetBackend({ kind: 'api', url: apiUrl }, { token, maxResponseBytes, apiTimeoutMs: opts.timeoutMs });

  const catalog = await loadCatalogFor(io, flags, config);
  const project = opts.objectives ?? (await objectivesOf(config));
  // `catalog.history` (issue 15 item 1), unless --catalog names another catalog than the config's.
  const history = flags.catalog === undefined ? await projectCatalogHistory(config) : undefined;
  if (history !== undefined && 'reason' in history) io.stderr.write(`budget-lens: ${history.reason}; today's catalog is used for every hour\n`);
  else for (const note of history?.notes ?? []) io.stderr.write(`budget-lens: ${note}\n`);
  const objectives = {
    ...(history !== undefined && 'history' in history ? { catalogHistory: history.history } : {}),
    ...(project === undefined ? {} : { objectives: project.objectives, workspaceRoot: project.root }),
    ...(config?.adjustments.length ? { adjustments: config.adjustments } : {}),
  };
  if (flags.prometheus !== undefined || configured?.kind === 'prometheus') {
    const url = flags.prometheus !== undefined ? checkUrl('--prometheus', flags.prometheus) : configured?.kind === 'prometheus' ? configured.url : '';
    return openBudgetBackend({ kind: 'prometheus', url }, { catalog, config: configured, token, maxResponseBytes, prometheusTimeoutMs: opts.timeoutMs, ...objectives });
  }
  const path =
    flags.store !== undefined
      ? resolve(io.cwd, flags.store)
      : configured?.kind === 'store'
        ? configured.path
        : resolve(io.cwd, DEFAULT_STORE_PATH);
  if (!existsSync(path)) {
    throw new UsageError(`no store at ${path}: create it with 'budget-lens ingest <logs>' or 'budget-lens sample --ingest' (in ${dirname(path)})`);
  }
  return openBudgetBackend({ kind: 'store', path }, { catalog, ...objectives });
}
