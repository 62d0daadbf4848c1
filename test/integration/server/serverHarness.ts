/**
 * Starts a real BudgetServer on 127.0.0.1:0 over BudgetService + the scenario's in-memory source,
 * with logs collected instead of printed. Shared by the server and client integration tests.
 */
import type { Catalog } from '../../../src/sdk/catalog/types';
import type { BudgetServerOptions } from '../../../src/sdk/server/budgetServer';
import { BudgetServer } from '../../../src/sdk/server/budgetServer';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import { MemorySource, SCENARIO, SCENARIO_AT, scenarioCatalog } from '../../support/builders';

export interface Harness {
  server: BudgetServer;
  source: MemorySource;
  service: BudgetService;
  catalog: Catalog;
  url: string;
  logs: Array<Record<string, unknown>>;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: unknown; text: string }>;
}

export async function startHarness(opts: Partial<BudgetServerOptions> = {}): Promise<Harness> {
  const catalog = await scenarioCatalog();
  const source = new MemorySource(catalog, SCENARIO, () => SCENARIO_AT);
  const service = new BudgetService(source, catalog, { now: () => SCENARIO_AT });
  const logs: Array<Record<string, unknown>> = [];
  const server = new BudgetServer({
    api: service,
    sourceKind: 'store',
    log: (e) => logs.push(e),
    onClose: () => source.close(),
    ...opts,
  });
  const url = await server.listen(0);
  return {
    server,
    source,
    service,
    catalog,
    url,
    logs,
    async get(path, headers = {}) {
      const res = await fetch(url + path, { headers });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: res.status, headers: res.headers, body, text };
    },
  };
}
