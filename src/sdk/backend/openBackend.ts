/**
 * Opening a backend: the one way a Budget API url, a Prometheus url or a store path (+ the
 * catalog, the token and the limits) becomes a `BudgetApi`. A Budget API (`budget-lens serve`) is
 * reached through BudgetApiClient, which needs no catalog (the server has its own); Prometheus and
 * the store through BudgetService over their BudgetSource with the catalog. The CLI's data
 * commands (src/cli/backend.ts: flags and `.budgetlens.yml`) and the editor
 * (src/extension/budgetBackend.ts: the budgetLens.api.url / prometheus.url settings) decide what
 * to open and call this: openBudgetBackend for any of the three, openNetworkBackend for the two
 * reached over HTTP (the editor: no store code in its bundle). Sits above service/, client/,
 * sources/ and store/; nothing below imports it.
 */
import type { Catalog } from '../catalog/types';
import type { CatalogHistory } from '../catalog/catalogHistory';
import { BudgetApiClient } from '../client/budgetApiClient';
import type { BackendConfig, ConfiguredAdjustment } from '../config/types';
import type { BudgetApi } from '../contract/apiTypes';
import { BudgetService } from '../service/budgetService';
import type { BudgetSource } from '../contract/budgetSource';
import type { ObjectiveEvaluator } from '../objectives/evaluator';
import type { ObjectiveSpec } from '../objectives/spec';
import { PrometheusObjectiveEvaluator } from '../sources/objectiveSource';
import { PrometheusClient } from '../sources/prometheusClient';
import { configuredPrometheusSource } from '../sources/prometheusSource';
import { openStoreSource } from '../store/storeSource';
import { openStoreObjectiveEvaluator } from '../store/storeObjectives';

export type BudgetBackendKind = 'api' | 'prometheus' | 'store';

/** A backend reached over HTTP: a Budget API or anything speaking the Prometheus HTTP API. */
export type NetworkBackendTarget = { kind: 'api'; url: string } | { kind: 'prometheus'; url: string };
/** What to open: where the figures are. */
export type BudgetBackendTarget = NetworkBackendTarget | { kind: 'store'; path: string };

export interface OpenBudgetBackendOptions {
  /** Prometheus and the store need it (categories -> groups, targets, ignored components); a Budget API has its own. */
  catalog?: Catalog;
  /**
   * The `backend` of `.budgetlens.yml`: when it is `prometheus`, its mode, selectors and metric
   * prefix apply to a Prometheus target (whose URL is always the target's own).
   */
  config?: BackendConfig;
  /** Bearer token for the Budget API or Prometheus; never part of a description. */
  token?: string;
  /** The most bytes one answer may have (default 8 MiB). */
  maxResponseBytes?: number;
  /** Per Prometheus request (the source's default otherwise). */
  prometheusTimeoutMs?: number;
  /** Extra attempts of the Budget API client after a retryable failure (its default otherwise). */
  apiRetries?: number;
  /** Per Budget API attempt (the client's default, 10 s, otherwise). */
  apiTimeoutMs?: number;
  /**
   * The project's objectives (issue 13), for Prometheus and the store: a list, or a function
   * BudgetService calls on every request (the editor passes one reading its index, so an edited
   * OpenSLO file shows without reopening). A Budget API has its own (the server's project).
   */
  objectives?: readonly ObjectiveSpec[] | (() => readonly ObjectiveSpec[]);
  /** The root the objectives' files are relative to in answers (`definedAt.file`). */
  workspaceRoot?: string;
  /**
   * Manual adjustments (`.budgetlens.yml` `adjustments:`), for Prometheus and the store (a Budget
   * API applies its server's): BudgetService answers adjusted figures beside the measured ones.
   */
  adjustments?: readonly ConfiguredAdjustment[];
  /**
   * The catalog in force over time (`catalog.history`, issue 15 item 1), for Prometheus and the
   * store: group figures attribute each hour to the group that owned the category then, and answers
   * whose window spans a change say what moved (meta.catalogChanges).
   */
  catalogHistory?: CatalogHistory;
}

export interface OpenedBudgetBackend {
  api: BudgetApi;
  kind: BudgetBackendKind;
  /** Where the data comes from, safe to print: `Budget API <url>`, `Prometheus <url>`, `store <path>`; never the token. */
  description: string;
  /** The URL (or path) a failure names when its error carries none: the API base, the Prometheus URL, the store path. */
  errorUrl: string;
  /** The local catalog (absent for a Budget API, whose server has its own). */
  catalog?: Catalog;
  source?: BudgetSource;
  close(): Promise<void>;
}

/** How output, notifications and the report's source line name a backend. */
export const BACKEND_LABELS: Readonly<Record<BudgetBackendKind, string>> = Object.freeze({ api: 'Budget API', prometheus: 'Prometheus', store: 'store' });

/** `Budget API http://127.0.0.1:7464`: the label and the URL without trailing slashes (or the store's path). */
export function backendDescription(kind: BudgetBackendKind, where: string): string {
  return `${BACKEND_LABELS[kind]} ${kind === 'store' ? where : where.replace(/\/+$/, '')}`;
}

function needCatalog(kind: BudgetBackendKind, where: string, catalog: Catalog | undefined): Catalog {
  if (catalog === undefined) throw new Error(`${backendDescription(kind, where)} needs a catalog`);
  return catalog;
}

/** How objectives are evaluated on a backend: an evaluator (closed with the backend when it can be), or why there is none. */
type ObjectiveBackend = { evaluator: ObjectiveEvaluator & { close?(): void | Promise<void> } } | { unsupported: string };

/** BudgetService over a source: Prometheus and the store, with the project's objectives. */
function serviceBackend(kind: BudgetBackendKind, where: string, source: BudgetSource, catalog: Catalog, opts: OpenBudgetBackendOptions, objectives: ObjectiveBackend): OpenedBudgetBackend {
  let api: BudgetService;
  try {
    api = makeService();
  } catch (e) {
    // Refused adjustments (InputError at their file:line): nothing stays open.
    void Promise.resolve('evaluator' in objectives ? objectives.evaluator.close?.() : undefined).finally(() => source.close());
    throw e;
  }
  function makeService(): BudgetService {
    return new BudgetService(source, catalog, {
    ...(opts.objectives !== undefined ? { objectives: opts.objectives } : {}),
    ...(opts.workspaceRoot !== undefined ? { workspaceRoot: opts.workspaceRoot } : {}),
    ...(opts.adjustments !== undefined ? { adjustments: opts.adjustments } : {}),
    ...(opts.catalogHistory !== undefined ? { catalogHistory: opts.catalogHistory } : {}),
    ...('evaluator' in objectives ? { objectiveEvaluator: objectives.evaluator } : { objectivesUnsupported: objectives.unsupported }),
    });
  }
  const close = async (): Promise<void> => {
    try {
      if ('evaluator' in objectives) await objectives.evaluator.close?.();
    } finally {
      await source.close();
    }
  };
  return { api, kind, description: backendDescription(kind, where), errorUrl: where, catalog, source, close };
}

/**
 * A Budget API or Prometheus: what the editor opens. It references no store code, so a bundle
 * that only calls this one (the extension's) stays free of the store.
 */
export function openNetworkBackend(target: NetworkBackendTarget, opts: OpenBudgetBackendOptions = {}): OpenedBudgetBackend {
  const { token, maxResponseBytes } = opts;
  if (target.kind === 'api') {
    const client = new BudgetApiClient({
      baseUrl: target.url,
      token,
      ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
      ...(opts.apiRetries !== undefined ? { retries: opts.apiRetries } : {}),
      ...(opts.apiTimeoutMs !== undefined ? { timeoutMs: opts.apiTimeoutMs } : {}),
    });
    return { api: client, kind: 'api', description: backendDescription('api', target.url), errorUrl: client.apiBase, close: async () => {} };
  }
  const catalog = needCatalog('prometheus', target.url, opts.catalog);
  const source = configuredPrometheusSource({
    url: target.url,
    catalog,
    ...(opts.catalogHistory !== undefined ? { history: opts.catalogHistory } : {}),
    backend: opts.config,
    token,
    ...(opts.prometheusTimeoutMs !== undefined ? { timeoutMs: opts.prometheusTimeoutMs } : {}),
    ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
  });
  // Objectives are asked with their own PromQL (docs/objectives.md), through a client of their own.
  const client = new PrometheusClient({
    url: target.url,
    ...(opts.prometheusTimeoutMs !== undefined ? { timeoutMs: opts.prometheusTimeoutMs } : {}),
    ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
    ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
  });
  return serviceBackend('prometheus', target.url, source, catalog, opts, { evaluator: new PrometheusObjectiveEvaluator(client) });
}

/** The BudgetApi for any target (the CLI's data commands). Throws when Prometheus or the store is asked for without a catalog. */
export function openBudgetBackend(target: BudgetBackendTarget, opts: OpenBudgetBackendOptions = {}): OpenedBudgetBackend {
  if (target.kind !== 'store') return openNetworkBackend(target, opts);
  const catalog = needCatalog('store', target.path, opts.catalog);
  // The data commands only read: never migrate or create a store here.
  const source = openStoreSource({ path: target.path, catalog, readonly: true, ...(opts.catalogHistory !== undefined ? { history: opts.catalogHistory } : {}) });
  // The store's objectives: its metric event logs (src/sdk/store/storeObjectives.ts), closed with the backend.
  const objectives: ObjectiveBackend = { evaluator: openStoreObjectiveEvaluator(target.path) };
  return serviceBackend('store', target.path, source, catalog, opts, objectives);
}
