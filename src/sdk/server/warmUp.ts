/**
 * What `budget-lens serve` does over a store before it announces its URL (issue 14, "Performance":
 * the first /endpoints request of a process under 20 ms): the service reads the window's endpoint
 * rows and runs F15 once (BudgetService.warmUp), then the server answers one real request for
 * those endpoints to itself (BudgetServer.warmUp). Shared with bench/extension.ts, which measures
 * the first client request after it.
 */
import type { BudgetService } from '../service/budgetService';
import type { BudgetServer } from './budgetServer';

export interface WarmUpReport {
  ms: number;
  categories: number;
  endpoints: number;
  /** The status of the server's request to itself (absent when there was nothing to ask). */
  status?: number;
}

export async function warmUpServer(server: BudgetServer, service: BudgetService): Promise<WarmUpReport> {
  const started = performance.now();
  const read = await service.warmUp();
  let status: number | undefined;
  if (read.ids.length > 0) {
    // A pinned `at`: no client's request shares this cache key.
    status = await server.warmUp(`/endpoints?ids=${read.ids.map(encodeURIComponent).join(',')}&at=${encodeURIComponent(read.at.toISOString())}`);
  }
  return { ms: Math.round((performance.now() - started) * 100) / 100, categories: read.categories, endpoints: read.endpoints, ...(status !== undefined ? { status } : {}) };
}
