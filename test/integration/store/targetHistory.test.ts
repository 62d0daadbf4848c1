/**
 * Targets with their history (issue 15 item 2): custom targets taken from the catalog history
 * (`catalog.history` entries' `groups:`, the settings in force from each entry on), so a month is
 * judged against the target in force at its end, not today's. Real config file, real SQLite store
 * from NDJSON request logs.
 *
 * knowledge (the wiki) runs on a custom target of 99.80 % from 2026-10-01; on 2026-11-15, the middle
 * of the quarter, the exception is dropped and the default 99.95 % applies (today's config has no
 * custom target). Every month of the quarter: on days 1-5, 200 requests a day at 12:00 (0.1 s, low
 * urgency), two of them 500s in the month: f 2, m 1,000 - 2 + 1,000 = 1,998 (a 5xx is no apdex
 * measurement): 1 - A = 2 / 1,998 = 0.001001.
 *   October (31 d = 44,640 min), target 99.80 %: budget 0.002 x 44,640 = 89.28, spent 2 x 44,640 / 1,998
 *     = 44.68: within budget.
 *   November (30 d = 43,200 min), target 99.95 % (in force at the month's end): budget 21.6, spent 43.24: over.
 *   December (44,640 min), 99.95 %: budget 22.32, spent 44.68: over.
 * December's report: over budget 2 months in a row (December, November; October was within its
 * target then): reliability first. Judged with today's target for every month (no history), October
 * would be over too: 3 months, escalate.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { openStoreSource, type StoreSource } from '../../../src/sdk/store/storeSource';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import { loadProjectConfig } from '../../../src/sdk/config/projectConfig';
import { loadCatalog } from '../../../src/sdk/catalog/catalogParser';
import { projectCatalogHistory } from '../../../src/sdk/project/projectCatalogHistory';
import { renderReportMarkdown } from '../../../src/sdk/report/reportMarkdown';
import type { CatalogHistory } from '../../../src/sdk/catalog/catalogHistory';
import type { Catalog } from '../../../src/sdk/catalog/types';
import { HISTORY_FIXTURES } from '../../support/catalogHistoryFixtures';

const DAY_MS = 86_400_000;
const close = (a: number | null, b: number): boolean => a !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

function monthLogs(month: string): string {
  let out = '';
  for (let day = 0; day < 5; day++) {
    const noon = Date.parse(`${month}-01T12:00:00Z`) + day * DAY_MS;
    for (let i = 0; i < 200; i++) {
      const status = day < 2 && i === 0 ? 500 : 200;
      out +=
        JSON.stringify({
          time: new Date(noon + i * 1000).toISOString(),
          method: 'GET',
          path: '/wiki',
          controller: 'Projects::WikisController',
          action: 'show',
          status,
          duration_s: 0.1,
          'meta.caller_id': 'Projects::WikisController#show',
          'meta.feature_category': 'wiki',
          request_urgency: 'low',
          target_duration_s: 5,
        }) + '\n';
    }
  }
  return out;
}

describe('targets with their history: each month judged against the target in force then', () => {
  let dir: string;
  let source: StoreSource;
  let today: Catalog;
  let history: CatalogHistory;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-target-history-'));
    writeFileSync(join(dir, 'production_json.log'), monthLogs('2026-10') + monthLogs('2026-11') + monthLogs('2026-12'));
    const store = join(dir, 'store.db');
    assert.equal((await ingestFiles(store, [join(dir, 'production_json.log')])).totals.accepted, 3_000);
    for (const f of ['stages-2026-11-15.yml', 'feature_categories.yml']) copyFileSync(join(HISTORY_FIXTURES, f), join(dir, f));
    writeFileSync(
      join(dir, '.budgetlens.yml'),
      [
        'catalog:',
        '  stages: stages-2026-11-15.yml',
        '  featureCategories: feature_categories.yml',
        '  history:',
        '    - from: 2026-10-01',
        '      stages: stages-2026-11-15.yml',
        '      groups:',
        '        knowledge:',
        '          customTarget: { target: "99.80", reason: "wiki storage migration", reviewDate: 2026-12-31 }',
        '    - from: 2026-11-15',
        '      stages: stages-2026-11-15.yml',
        '',
      ].join('\n'),
    );
    const config = await loadProjectConfig(join(dir, '.budgetlens.yml'));
    today = await loadCatalog({ stagesPath: join(dir, 'stages-2026-11-15.yml'), featureCategoriesPath: join(dir, 'feature_categories.yml'), config });
    const h = await projectCatalogHistory(config);
    assert.ok(h && 'history' in h);
    history = h.history;
    source = openStoreSource({ path: store, catalog: today, history, readonly: true });
  });
  after(async () => {
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the monthly reports of the quarter: October at 99.80 %, November and December at 99.95 %', async () => {
    const service = new BudgetService(source, today, { catalogHistory: history });
    const row = async (month: string) => (await service.report(month)).data.groups.find((g) => g.group === 'knowledge')!;
    const oct = await row('2026-10');
    assert.deepEqual([oct.failures, oct.measurements, oct.target], [2, 1_998, '99.80']);
    assert.ok(close(oct.budgetMinutes, 89.28) && close(oct.spentMinutes, (2 * 44_640) / 1_998), `${oct.budgetMinutes} ${oct.spentMinutes}`);
    assert.equal(oct.action, 'understand_spend');
    assert.deepEqual(oct.customTarget, { target: '99.80', reason: 'wiki storage migration', reviewDate: '2026-12-31', expired: false });
    const nov = await row('2026-11');
    assert.equal(nov.target, '99.95');
    assert.ok(close(nov.budgetMinutes, 21.6) && close(nov.spentMinutes, (2 * 43_200) / 1_998));
    assert.equal(nov.customTarget, undefined);
    assert.deepEqual([nov.action, nov.monthsOverBudgetInRow], ['reliability_first', 1]);
    const decReport = (await service.report('2026-12')).data;
    const dec = decReport.groups.find((g) => g.group === 'knowledge')!;
    assert.ok(close(dec.budgetMinutes, 22.32) && close(dec.spentMinutes, (2 * 44_640) / 1_998));
    // October was within the target of then: the run is December and November only.
    assert.deepEqual([dec.action, dec.monthsOverBudgetInRow], ['reliability_first', 2]);
    // A = 1 - 2 / 1,998 = 99.8999 % (shown 99.899 %, availability is never rounded up); remaining 22.32 - 44.68 = -22.36.
    assert.ok(renderReportMarkdown(decReport).split('\n').includes('| Knowledge (`knowledge`) | 99.95 % | 99.899 % | 44.68 min / 22.32 min | -22.36 min | 100.000 % | low traffic | **reliability first** | 2 |'));

    // Without the history: today's 99.95 % for every month, October over too: three in a row, escalate.
    const retro = new BudgetService(source, today);
    const decRetro = (await retro.report('2026-12')).data.groups.find((g) => g.group === 'knowledge')!;
    assert.deepEqual([decRetro.action, decRetro.monthsOverBudgetInRow], ['escalate', 3]);
  });

  test('rolling windows: the target in force at the window\'s end', async () => {
    const service = new BudgetService(source, today, { catalogHistory: history });
    // 28 d ending 2026-10-20: October 1-5, f 2, m 1,998 at 99.80 %: budget 0.002 x 40,320 = 80.64.
    const before15 = await service.group('knowledge', { window: '28d', at: new Date('2026-10-20T00:00:00Z') });
    assert.equal(before15.data.target, '99.80');
    assert.ok(close(before15.data.budgetMinutes, 80.64));
    assert.equal(before15.data.customTarget?.target, '99.80');
    // 28 d ending 2026-11-20: November 1-5 (f 2, m 1,998) at 99.95 %: budget 20.16; no custom target.
    const after15 = await service.group('knowledge', { window: '28d', at: new Date('2026-11-20T00:00:00Z') });
    assert.equal(after15.data.target, '99.95');
    assert.ok(close(after15.data.budgetMinutes, 20.16));
    assert.equal(after15.data.customTarget, undefined);
  });
});
