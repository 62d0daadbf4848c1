/**
 * Which backend the editor's budget figures come from, and the BudgetApi that talks to it, without
 * `vscode` (unit tested in Node). `budgetLens.api.url` names a Budget API (`budget-lens serve`),
 * reached through BudgetApiClient; `budgetLens.prometheus.url`, used when the API URL is empty,
 * names anything that speaks the Prometheus HTTP API, reached through BudgetService over the
 * Prometheus source with the workspace's catalog. Both are opened by the SDK's openNetworkBackend,
 * as `budget-lens --api` / `--prometheus` open them (its openBudgetBackend, which adds the store).
 * Either way the token (SecretStorage, per URL) goes out as a Bearer header.
 */
import { BACKEND_LABELS, openNetworkBackend } from '../sdk';
import type { BackendConfig, BudgetApi, Catalog, OpenBudgetBackendOptions } from '../sdk';

export type BackendKind = 'api' | 'prometheus';

export interface BackendChoice {
  kind: BackendKind;
  /** Base URL without trailing slashes; the token is stored for it. */
  url: string;
  /** Set when both URLs are configured: the Prometheus URL that the API URL overrides. */
  ignoredPrometheusUrl?: string;
}

/** Per Prometheus request: the Budget API client's own default, so both backends go stale alike. */
export const PROMETHEUS_TIMEOUT_MS = 10_000;

/** The backend the settings name: the Budget API when its URL is set, else Prometheus, else none. */
export function chooseBackend(apiUrl: string, prometheusUrl: string): BackendChoice | undefined {
  if (apiUrl !== '') return { kind: 'api', url: apiUrl, ...(prometheusUrl !== '' ? { ignoredPrometheusUrl: prometheusUrl } : {}) };
  if (prometheusUrl !== '') return { kind: 'prometheus', url: prometheusUrl };
  return undefined;
}

/** How the output channel, notifications and the report's source line name a backend. */
export function backendLabel(kind: BackendKind): string {
  return BACKEND_LABELS[kind];
}

export interface OpenedBudgetApi {
  api: BudgetApi;
  /** The URL a failure names when the error carries none. */
  errorUrl: string;
}

/**
 * The BudgetApi for a choice. Prometheus needs the workspace's catalog (categories -> groups,
 * targets, ignored components, with `.budgetlens.yml` merged in) and takes the config's
 * `backend` section's mode, selectors and metric prefix when it is `prometheus`; the URL is
 * always the setting's.
 */
export function openBudgetApi(
  choice: BackendChoice,
  token: string | undefined,
  catalog: Catalog | undefined,
  backend?: BackendConfig,
  objectives: Pick<OpenBudgetBackendOptions, 'objectives' | 'workspaceRoot'> = {},
): OpenedBudgetApi | undefined {
  if (choice.kind === 'prometheus' && !catalog) return undefined;
  const { api, errorUrl } = openNetworkBackend(
    { kind: choice.kind, url: choice.url },
    { catalog, config: backend, token, apiRetries: 1, prometheusTimeoutMs: PROMETHEUS_TIMEOUT_MS, ...objectives },
  );
  return { api, errorUrl };
}
