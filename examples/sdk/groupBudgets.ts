/**
 * Budget Lens as a library: the engine, the catalog and the Budget API without the editor or the CLI.
 *
 *   npm install budget-lens            # the CLI's package; its "exports" is the SDK (src/sdk/index.ts)
 *   npx tsc -p .  &&  node groupBudgets.js [store.db [evaluation time]]
 *
 * 1. Figures from counts you already have: the engine (docs/domain.md, F1-F7) with the bundled
 *    GitLab catalog's group and target.
 * 2. With a store (`budget-lens sample` + `budget-lens ingest`), the same BudgetApi the CLI, the
 *    server and the extension read: each group's spend over 28 days.
 */
import { BudgetService, WINDOW_28D, computeBudgetFromCounts, formatAvailability, formatMinutes, openStoreSource, resolveCatalog } from 'budget-lens';
import type { BudgetApi, SliCounts } from 'budget-lens';

async function main(storePath: string | undefined, at: string | undefined): Promise<void> {
  const { catalog } = await resolveCatalog({ root: process.cwd() });

  // 28 days of one category's counts: apdex successes and weight, operations, errors.
  const counts: SliCounts = { apdexSuccess: 62_990, apdexWeight: 63_000, ops: 63_006, errors: 2 };
  const group = catalog.groupOf('team_planning');
  const figures = computeBudgetFromCounts(counts, { target: catalog.targetOf(group.key), window: WINDOW_28D });
  console.log(`${group.key}: ${formatMinutes(figures.spentMinutes)} of ${formatMinutes(figures.budgetMinutes)} spent, availability ${formatAvailability(figures.availability)}`);

  if (storePath === undefined) return;
  const source = openStoreSource({ path: storePath, catalog, readonly: true });
  try {
    const api: BudgetApi = new BudgetService(source, catalog);
    const { data } = await api.groups({ window: '28d', ...(at === undefined ? {} : { at: new Date(at) }) });
    for (const g of data.filter((row) => row.measurements > 0)) {
      console.log(`${g.group}: ${formatMinutes(g.spentMinutes)} of ${formatMinutes(g.budgetMinutes)} spent (${g.status})`);
    }
  } finally {
    await source.close();
  }
}

main(process.argv[2], process.argv[3]).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
