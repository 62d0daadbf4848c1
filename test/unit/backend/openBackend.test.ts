/**
 * The one way a backend becomes a BudgetApi (src/sdk/backend/openBackend.ts), which the CLI's
 * data commands (src/cli/backend.ts) and the editor (src/extension/budgetBackend.ts) both call.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendDescription, openBudgetBackend, openNetworkBackend } from '../../../src/sdk/backend/openBackend';
import { BudgetApiClient } from '../../../src/sdk/client/budgetApiClient';
import { parseCatalog } from '../../../src/sdk/catalog/catalogParser';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import { openStoreSource } from '../../../src/sdk/store/storeSource';

const STAGES = 'catalog/gitlab/stages.yml';
const catalog = parseCatalog(readFileSync(STAGES, 'utf8'), STAGES);

describe('openBudgetBackend', () => {
  test('a Budget API: a client on /api/v1, no catalog needed, described without trailing slashes or token', async () => {
    const opened = openBudgetBackend({ kind: 'api', url: 'http://127.0.0.1:7464/' }, { token: 'secret' });
    assert.ok(opened.api instanceof BudgetApiClient);
    assert.equal(opened.kind, 'api');
    assert.equal(opened.description, 'Budget API http://127.0.0.1:7464');
    assert.equal(opened.errorUrl, 'http://127.0.0.1:7464/api/v1');
    assert.equal(opened.catalog, undefined);
    await opened.close();
    // The editor's opener (no store code) opens it the same way.
    const network = openNetworkBackend({ kind: 'api', url: 'http://127.0.0.1:7464/' }, { token: 'secret', apiRetries: 1 });
    assert.deepEqual([network.kind, network.description, network.errorUrl], [opened.kind, opened.description, opened.errorUrl]);
  });

  test('Prometheus: a BudgetService over the source with the catalog; none without a catalog', async () => {
    assert.throws(() => openBudgetBackend({ kind: 'prometheus', url: 'http://127.0.0.1:9090' }), /Prometheus http:\/\/127\.0\.0\.1:9090 needs a catalog/);
    const opened = openBudgetBackend({ kind: 'prometheus', url: 'http://127.0.0.1:9090/' }, { catalog, token: 'secret', prometheusTimeoutMs: 500 });
    assert.ok(opened.api instanceof BudgetService);
    assert.equal(opened.kind, 'prometheus');
    assert.equal(opened.source?.kind, 'prometheus');
    assert.equal(opened.description, 'Prometheus http://127.0.0.1:9090');
    assert.equal(opened.catalog, catalog);
    assert.doesNotMatch(opened.description, /secret/);
    await opened.close();
  });

  test('a store: opened read-only, described by its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bl-open-backend-'));
    try {
      const path = join(dir, 'store.db');
      await openStoreSource({ path, catalog }).close();
      const objective = {
        name: 'workspace-starts',
        target: '0.998',
        budgetingMethod: 'Occurrences' as const,
        window: { kind: 'rolling' as const, minutes: 40320, label: '28d' },
        sli: {
          kind: 'ratio' as const,
          form: 'bad' as const,
          bad: { sourceType: 'prometheus', spec: { query: 'sum(starts_failure_total)' } },
          total: { sourceType: 'prometheus', spec: { query: 'sum(starts_total)' } },
          counter: true,
        },
        location: { file: join(dir, 'slo', 'gitpod.yaml'), line: 7, column: 3 },
      };
      const opened = openBudgetBackend({ kind: 'store', path }, { catalog, objectives: [objective], workspaceRoot: dir });
      assert.ok(opened.api instanceof BudgetService);
      assert.equal(opened.kind, 'store');
      assert.equal(opened.description, `store ${path}`);
      assert.equal(opened.errorUrl, path);
      // The project's objectives reach the service and the store's evaluator (its metric event
      // logs): an empty store has no events, so no data, not an error.
      const r = await opened.api.objectives();
      assert.deepEqual(r.data.map((o) => [o.name, o.definedAt, o.figures?.status, o.error]), [['workspace-starts', { file: 'slo/gitpod.yaml', line: 7 }, 'no_data', undefined]]);
      await opened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('backendDescription', () => {
    assert.equal(backendDescription('api', 'https://budget.example//'), 'Budget API https://budget.example');
    assert.equal(backendDescription('prometheus', 'http://p:9090'), 'Prometheus http://p:9090');
    assert.equal(backendDescription('store', '/data/store.db'), 'store /data/store.db');
  });
});
