/**
 * Which backend the editor's budget figures come from, and the BudgetApi that talks to it, without
 * `vscode` (unit tested in Node). `budgetLens.api.url` names a Budget API (`budget-lens serve`),
 * reached through BudgetApiClient; `budgetLens.prometheus.url`, used when the API URL is empty,
 * names anything that speaks the Prometheus HTTP API, reached through BudgetService over the
 * Prometheus source with the workspace's catalog. Both are opened by the SDK's openNetworkBackend,
 * as `budget-lens --api` / `--prometheus` open them (its openBudgetBackend, which adds the store).
 * Either way the token (SecretStorage, per URL) goes out as a Bearer header. Prometheus also takes
 * the workspace's manual adjustments (`adjustments:`), so its answers carry `adjusted` figures as a
 * Budget API's do with its server's own config; adjustments the catalog refuses (an unknown group,
 * a group overlapping one of its categories) make every request fail with that error at its
 * file:line, as the CLI refuses to start: never the measured figures alone, silently.
 */
import { BACKEND_LABELS, openNetworkBackend } from '../sdk';
import type { BackendConfig, BudgetApi, Catalog, ConfiguredAdjustment, OpenBudgetBackendOptions } from '../sdk';

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
  adjustments: readonly ConfiguredAdjustment[] = [],
): OpenedBudgetApi | undefined {
  if (choice.kind === 'prometheus' && !catalog) return undefined;
  // A Budget API applies its server's adjustments; only Prometheus is given the workspace's.
  const adjusted = choice.kind === 'prometheus' && adjustments.length > 0 ? { adjustments } : {};
  try {
    const { api, errorUrl } = openNetworkBackend(
      { kind: choice.kind, url: choice.url },
      { catalog, config: backend, token, apiRetries: 1, prometheusTimeoutMs: PROMETHEUS_TIMEOUT_MS, ...objectives, ...adjusted },
    );
    return { api, errorUrl };
  } catch (e) {
    if (!('adjustments' in adjusted)) throw e;
    return { api: refusingApi(e), errorUrl: choice.url };
  }
}

/**
 * A BudgetApi whose every call fails with `error` (the refused adjustments, at their file:line):
 * the views say "no budget data" with it, as for any failing backend, until the config is fixed
 * (a config change re-opens the catalog, and the session the backend).
 */
export function refusingApi(error: unknown): BudgetApi {
  const fail = (): Promise<never> => Promise.reject(error);
  return {
    groups: fail,
    group: fail,
    categories: fail,
    topEndpoints: fail,
    endpoints: fail,
    daily: fail,
    burnRates: fail,
    report: fail,
    objectives: fail,
    objective: fail,
  };
}
