/**
 * Manual adjustments on the embedded store (issue 15 item 3): hand-written GitLab request logs with
 * an incident -> ingest -> a real SQLite store -> BudgetService with a 2-hour adjustment for all
 * groups. Measured and adjusted figures, computed by hand:
 *
 * 2026-03-10, every hour 00:00-23:00, duration 0.1 s (under every threshold):
 *  team_planning (project_management), `Projects::IssuesController#index`, low urgency (5 s):
 *    100 requests an hour, all 200, except 10:00 and 11:00 (the incident): 40 of the 100 are 500s.
 *    o = 2400, e = 2 x 40 = 80, w = 2400 - 80 = 2320 (a 5xx is no apdex measurement), s = 2320
 *    f = (2320 - 2320) + 80 = 80, m = 2320 + 2400 = 4720
 *  source_code_management (source_code), Grape `GET /api/:version/projects/:id/repository/tags`:
 *    100 an hour, all 200, except 10 x 500 in each incident hour.
 *    o = 2400, e = 20, w = 2380, s = 2380 -> f = 20, m = 4780
 *
 * Window 1d ending 2026-03-11T00:00Z (24 hour buckets), target 99.95 %: budget 0.0005 x 1440 = 0.72 min.
 *  project_management as measured: A = 1 - 80/4720 = 0.98305..., spent 80 x 1440 / 4720 = 24.40677... min
 *  source_code as measured:        A = 1 - 20/4780,            spent 20 x 1440 / 4780 = 6.02510... min
 * Adjustment [10:00, 12:00) for all groups removes the buckets 10:00 and 11:00 (200 requests each):
 *  project_management adjusted: o = 2200, e = 0, w = s = 2200 -> f = 0, m = 4400, A = 1, spent 0, remaining 0.72
 *    removed f = 80, m = 120 + 200 = 320 (w 120 + o 200)
 *  source_code adjusted: the same 2200 / 0 -> f = 0, m = 4400; removed f = 20, m = 180 + 200 = 380
 * A range off the hour edges, [10:30, 11:30), is widened to the buckets it touches: the same two hours.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { openStoreSource } from '../../../src/sdk/store/storeSource';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import type { ConfiguredAdjustment } from '../../../src/sdk/config/types';
import type { Catalog } from '../../../src/sdk/catalog/types';
import { GITLAB_FIXTURES, gitlabCatalog } from '../../support/builders';
import { captureIo } from '../../support/cliIo';
import { main } from '../../../src/cli/main';
import type { MonthlyReport } from '../../../src/sdk/contract/apiTypes';
import { ISSUES_INDEX, REPOSITORY_TAGS } from '../../support/logEndpoints';
import { BudgetServer } from '../../../src/sdk/server/budgetServer';
import { BudgetApiClient } from '../../../src/sdk/client/budgetApiClient';

const DAY = '2026-03-10';
const AT = new Date('2026-03-11T00:00:00Z');
const INCIDENT_HOURS = [10, 11];

function hourLines(errorsInIncidentHour: number, fields: Record<string, unknown>): string {
  let out = '';
  for (let h = 0; h < 24; h++) {
    const start = Date.parse(`${DAY}T${String(h).padStart(2, '0')}:00:00Z`);
    for (let i = 0; i < 100; i++) {
      const status = INCIDENT_HOURS.includes(h) && i < errorsInIncidentHour ? 500 : 200;
      out += JSON.stringify({ time: new Date(start + i * 30_000).toISOString(), status, duration_s: 0.1, ...fields }) + '\n';
    }
  }
  return out;
}

const at = (line: number): ConfiguredAdjustment['location'] => ({ file: '/ws/.budgetlens.yml', line, column: 5 });
const INCIDENT: ConfiguredAdjustment = {
  from: '2026-03-10T10:00:00.000Z',
  to: '2026-03-10T12:00:00.000Z',
  scope: { all: true },
  reason: 'Patroni failover: the primary database was unreachable',
  link: 'https://gitlab.com/gitlab-com/gl-infra/production/-/issues/1',
  location: at(2),
};

describe('a 2-hour adjustment removes an incident\'s spend for all groups (store)', () => {
  let dir: string;
  let store: string;
  let catalog: Catalog;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-adjustments-'));
    store = join(dir, 'store.db');
    writeFileSync(
      join(dir, 'production_json.log'),
      hourLines(40, { ...ISSUES_INDEX }),
    );
    writeFileSync(
      join(dir, 'api_json.log'),
      hourLines(10, { ...REPOSITORY_TAGS }),
    );
    const ingested = await ingestFiles(store, [join(dir, 'production_json.log'), join(dir, 'api_json.log')]);
    assert.equal(ingested.totals.accepted, 2 * 24 * 100);
    catalog = await gitlabCatalog();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function withService<T>(adjustments: ConfiguredAdjustment[], fn: (s: BudgetService) => Promise<T>): Promise<T> {
    const source = openStoreSource({ path: store, catalog, readonly: true });
    try {
      return await fn(new BudgetService(source, catalog, { adjustments }));
    } finally {
      await source.close();
    }
  }

  test('groups: as measured unchanged, adjusted without the two incident hours, the adjustment with what it removed', async () => {
    await withService([INCIDENT], async (service) => {
      const { data, meta } = await service.groups({ window: '1d', at: AT });
      const pm = data.find((g) => g.group === 'project_management')!;
      assert.equal(pm.failures, 80);
      assert.equal(pm.measurements, 4720);
      assert.equal(pm.budgetMinutes, 0.72);
      assert.ok(Math.abs(pm.spentMinutes! - (80 * 1440) / 4720) < 1e-9, String(pm.spentMinutes));
      assert.equal(pm.status, 'over_budget');
      assert.ok(pm.adjusted);
      assert.deepEqual(pm.adjusted.counts, { apdexSuccess: 2200, apdexWeight: 2200, ops: 2200, errors: 0 });
      assert.equal(pm.adjusted.failures, 0);
      assert.equal(pm.adjusted.measurements, 4400);
      assert.equal(pm.adjusted.availability, 1);
      assert.equal(pm.adjusted.spentMinutes, 0);
      assert.equal(pm.adjusted.remainingMinutes, 0.72);
      assert.equal(pm.adjusted.status, 'healthy');
      const { location: _l, ...written } = INCIDENT;
      assert.deepEqual(pm.adjusted.adjustments, [
        { ...written, counted: { start: '2026-03-10T10:00:00.000Z', end: '2026-03-10T12:00:00.000Z', minutes: 120 }, removedFailures: 80, removedMeasurements: 320 },
      ]);

      const sc = data.find((g) => g.group === 'source_code')!;
      assert.equal(sc.failures, 20);
      assert.equal(sc.measurements, 4780);
      assert.ok(Math.abs(sc.spentMinutes! - (20 * 1440) / 4780) < 1e-9);
      assert.equal(sc.adjusted!.failures, 0);
      assert.equal(sc.adjusted!.measurements, 4400);
      assert.equal(sc.adjusted!.adjustments[0]!.removedFailures, 20);
      assert.equal(sc.adjusted!.adjustments[0]!.removedMeasurements, 380);
      // `all` covers every group, with or without traffic in the range.
      const quiet = data.find((g) => g.group === 'code_review')!;
      assert.equal(quiet.adjusted!.adjustments[0]!.removedMeasurements, 0);
      // The removed part's store read is in the provenance.
      assert.ok(meta.provenance.queries.length >= 2, JSON.stringify(meta.provenance.queries));
    });
  });

  test('categories: the same removal by category', async () => {
    await withService([INCIDENT], async (service) => {
      const { data } = await service.categories(['team_planning', 'source_code_management'], { window: '1d', at: AT });
      assert.deepEqual(data.map((c) => [c.category, c.failures, c.measurements, c.adjusted?.failures, c.adjusted?.measurements]), [
        ['team_planning', 80, 4720, 0, 4400],
        ['source_code_management', 20, 4780, 0, 4400],
      ]);
    });
  });

  test('over HTTP (the Budget API and its schema-checked client): both figures and the adjustment arrive as the service answers them', async () => {
    const source = openStoreSource({ path: store, catalog, readonly: true });
    const server = new BudgetServer({ api: new BudgetService(source, catalog, { adjustments: [INCIDENT] }), sourceKind: 'store', log: () => {}, onClose: () => source.close() });
    try {
      const client = new BudgetApiClient({ baseUrl: await server.listen(0), retries: 0 });
      const { location: _l, ...written } = INCIDENT;
      // The same hand numbers: project_management f 80 / m 4720 as measured, 0 / 4400 adjusted; removed 80 and 320.
      const pm = (await client.group('project_management', { window: '1d', at: AT })).data;
      assert.deepEqual([pm.failures, pm.measurements, pm.adjusted?.failures, pm.adjusted?.measurements, pm.adjusted?.spentMinutes, pm.adjusted?.remainingMinutes], [80, 4720, 0, 4400, 0, 0.72]);
      assert.deepEqual(pm.adjusted?.adjustments, [
        { ...written, counted: { start: '2026-03-10T10:00:00.000Z', end: '2026-03-10T12:00:00.000Z', minutes: 120 }, removedFailures: 80, removedMeasurements: 320 },
      ]);
      const groups = (await client.groups({ window: '1d', at: AT })).data;
      assert.equal(groups.find((g) => g.group === 'source_code')?.adjusted?.adjustments[0]?.removedMeasurements, 380);
      const cats = (await client.categories(['team_planning', 'source_code_management'], { window: '1d', at: AT })).data;
      assert.deepEqual(cats.map((c) => [c.category, c.failures, c.measurements, c.adjusted?.failures, c.adjusted?.measurements]), [
        ['team_planning', 80, 4720, 0, 4400],
        ['source_code_management', 20, 4780, 0, 4400],
      ]);
      // Outside the range's window there is no `adjusted`, over HTTP too.
      assert.equal((await client.group('project_management', { window: '12h', at: AT })).data.adjusted, undefined);
    } finally {
      await server.close();
    }
  });

  test('a range off the hour edges is widened to the buckets it touches; a window it misses answers no adjusted figures', async () => {
    const offEdges = { ...INCIDENT, from: '2026-03-10T10:30:00.000Z', to: '2026-03-10T11:30:00.000Z', scope: { groups: ['project_management'] } };
    await withService([offEdges], async (service) => {
      const { data } = await service.groups({ window: '1d', at: AT });
      const pm = data.find((g) => g.group === 'project_management')!;
      assert.equal(pm.adjusted!.failures, 0);
      assert.deepEqual(pm.adjusted!.adjustments[0]!.counted, { start: '2026-03-10T10:00:00.000Z', end: '2026-03-10T12:00:00.000Z', minutes: 120 });
      assert.equal(data.find((g) => g.group === 'source_code')!.adjusted, undefined);
      // Window 2026-03-10T12:00 - 2026-03-11T00:00: the incident lies before it.
      const later = await service.groups({ window: '12h', at: AT });
      assert.equal(later.data.find((g) => g.group === 'project_management')!.adjusted, undefined);
    });
  });

  test('an adjustment for one group\'s component only removes that component', async () => {
    const sidekiqOnly = { ...INCIDENT, scope: { all: true as const, components: ['sidekiq_execution'] } };
    await withService([sidekiqOnly], async (service) => {
      const pm = (await service.groups({ window: '1d', at: AT })).data.find((g) => g.group === 'project_management')!;
      // No Sidekiq traffic: nothing removed, the adjusted figures equal the measured ones.
      assert.equal(pm.adjusted!.failures, 80);
      assert.equal(pm.adjusted!.adjustments[0]!.removedFailures, 0);
    });
  });

  test('an unknown group is refused when the service is made, at the adjustment\'s file:line', async () => {
    const source = openStoreSource({ path: store, catalog, readonly: true });
    try {
      assert.throws(() => new BudgetService(source, catalog, { adjustments: [{ ...INCIDENT, scope: { groups: ['source_cod'] } }] }), {
        message: '/ws/.budgetlens.yml:2:5: adjustment 2026-03-10T10:00:00.000Z - 2026-03-10T12:00:00.000Z: unknown group "source_cod" (did you mean "source_code"?)',
      });
    } finally {
      await source.close();
    }
  });

  describe('the CLI with the adjustment in .budgetlens.yml', () => {
    const CONFIG = [
      'adjustments:', //                                                                              1
      '  - from: 2026-03-10T10:00:00Z', //                                                             2
      '    to: 2026-03-10T12:00:00Z', //                                                               3
      '    scope: all', //                                                                             4
      '    reason: "Patroni failover: the primary database was unreachable"', //                     5
      '    link: https://gitlab.com/gitlab-com/gl-infra/production/-/issues/1', //                    6
      '',
    ].join('\n');

    async function cli(args: string[], config = CONFIG): Promise<{ code: number; out: string; err: string }> {
      writeFileSync(join(dir, '.budgetlens.yml'), config);
      const c = captureIo(dir, {});
      const code = await main([...args, '--store', store, '--catalog', GITLAB_FIXTURES], c.io);
      return { code, out: c.out(), err: c.err() };
    }

    test('status shows both figures and the adjustment', async () => {
      const r = await cli(['status', '--group', 'project_management', '--window', '1d', '--at', '2026-03-11T00:00:00Z']);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.split('\n');
      // measured 80 x 1440 / 4720 = 24.41 min spent, 0.72 - 24.41 = -23.69 left; adjusted 0 and 0.72
      assert.ok(lines.includes('  status        over_budget   adjusted: healthy'), r.out);
      assert.ok(lines.includes('  availability  98.305 %   adjusted: 100.000 %'), r.out);
      assert.ok(lines.includes('  spent         24.41 min   adjusted: 0.00 min'), r.out);
      assert.ok(lines.includes('  remaining     -23.69 min   adjusted: 0.72 min'), r.out);
      assert.ok(lines.includes('  2026-03-10T10:00:00.000Z - 2026-03-10T12:00:00.000Z  all groups: Patroni failover: the primary database was unreachable (https://gitlab.com/gitlab-com/gl-infra/production/-/issues/1)'), r.out);
      assert.ok(lines.includes('    counted 2026-03-10T10:00:00.000Z - 2026-03-10T12:00:00.000Z, removed 80 failures of 320 measurements'), r.out);
    });

    test('report: both figures for the groups it touched and the month\'s adjustments', async () => {
      // March 2026: 44,640 min, budget 0.0005 x 44,640 = 22.32 min.
      // project_management as measured: 80 x 44,640 / 4720 = 756.61 min; adjusted 0.
      const md = await cli(['report', '--month', '2026-03']);
      assert.equal(md.code, 0, md.err);
      const lines = md.out.split('\n');
      assert.ok(lines.includes('## Manual adjustments'), md.out);
      assert.ok(lines.includes('| 2026-03-10 10:00 UTC | 2026-03-10 12:00 UTC | all groups | Patroni failover: the primary database was unreachable | https://gitlab.com/gitlab-com/gl-infra/production/-/issues/1 |'), md.out);
      assert.ok(lines.includes('| Project Management (`project_management`) | 98.305 % | 100.000 % | 756.61 min / 22.32 min | 0.00 min / 22.32 min | 80 |'), md.out);
      const row = lines.find((l) => l.includes('`project_management`') && l.includes('(adjusted 0.00 min)'));
      assert.ok(row, md.out);

      const json = await cli(['report', '--month', '2026-03', '--format', 'json']);
      assert.equal(json.code, 0, json.err);
      const report = (JSON.parse(json.out) as { data?: MonthlyReport } & MonthlyReport);
      const data = report.data ?? report;
      assert.deepEqual(data.adjustments?.map((a) => [a.from, a.to, a.reason, a.counted.minutes]), [['2026-03-10T10:00:00.000Z', '2026-03-10T12:00:00.000Z', 'Patroni failover: the primary database was unreachable', 120]]);
      const pm = data.groups.find((g) => g.group === 'project_management')!;
      assert.equal(pm.failures, 80);
      assert.equal(pm.adjusted?.failures, 0);
      assert.equal(pm.adjusted?.measurements, 4400);
    });

    test('an unknown group in the config: refused with the config\'s file:line, no figures', async () => {
      const r = await cli(['status', '--group', 'project_management', '--window', '1d', '--at', '2026-03-11T00:00:00Z'], CONFIG.replace('scope: all', 'groups: [source_cod]'));
      assert.notEqual(r.code, 0);
      assert.match(r.err, /\.budgetlens\.yml:2:5: adjustment 2026-03-10T10:00:00\.000Z - 2026-03-10T12:00:00\.000Z: unknown group "source_cod" \(did you mean "source_code"\?\)/);
      assert.equal(r.out, '');
    });
  });
});
