/**
 * The monthly report's category rule end to end: hand-written GitLab request logs for three
 * months -> ingest -> a real store -> `budget-lens report` (Markdown and --json).
 *
 * Each of 2026-08-15, 2026-09-15 and 2026-10-15 holds:
 *  team_planning (project_management), `Projects::IssuesController#index`, low urgency (5 s):
 *  2000 requests, 1996 fast 200s and 4 x 500
 *    -> o = 2000, e = 4, w = 1996 (a 5xx is no apdex measurement), s = 1996
 *    -> f = (1996 - 1996) + 4 = 4, m = 1996 + 2000 = 3996; 0.0005 * 3996 = 1.998 >= 1: not low traffic
 *    -> over its allocation every month: 4 / 3996 = 0.1 % of failures > 0.05 %
 *       August and October (44,640 min): spent 4 * 44,640 / 3996 = 44.684... of 22.32 min
 *       September (43,200 min): spent 4 * 43,200 / 3996 = 43.243... of 21.60 min
 *  source_code_management (source_code), Grape `GET /api/:version/projects/:id/repository/tags`:
 *  2000 fast 200s -> no failure, within every month: not listed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import type { MonthlyReport } from '../../../src/sdk/contract/apiTypes';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { captureIo } from '../../support/cliIo';
import { GITLAB_FIXTURES } from '../../support/builders';
import { ISSUES_INDEX, REPOSITORY_TAGS } from '../../support/logEndpoints';

const DAYS = ['2026-08-15', '2026-09-15', '2026-10-15'];

function lines(day: string, n: number, status: (i: number) => number, fields: Record<string, unknown>): string {
  const start = Date.parse(`${day}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => JSON.stringify({ time: new Date(start + i * 1000).toISOString(), status: status(i), duration_s: 0.1, ...fields })).join('\n') + '\n';
}

describe('the monthly report lists a category over its allocation three months in a row', () => {
  let dir: string;
  let store: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-category-rule-'));
    store = join(dir, 'store.db');
    let production = '';
    let api = '';
    for (const day of DAYS) {
      production += lines(day, 2000, (i) => (i < 4 ? 500 : 200), { ...ISSUES_INDEX });
      api += lines(day, 2000, () => 200, { ...REPOSITORY_TAGS });
    }
    writeFileSync(join(dir, 'production_json.log'), production);
    writeFileSync(join(dir, 'api_json.log'), api);
    const ingested = await ingestFiles(store, [join(dir, 'production_json.log'), join(dir, 'api_json.log')]);
    assert.equal(ingested.totals.accepted, 3 * 2000 * 2);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function report(extra: string[]): Promise<{ code: number; out: string; err: string }> {
    const c = captureIo(dir, {});
    const code = await main(['report', '--month', '2026-10', '--store', store, '--catalog', GITLAB_FIXTURES, ...extra], c.io);
    return { code, out: c.out(), err: c.err() };
  }

  test('Markdown: the section with the three months, spent / budget', async () => {
    const r = await report([]);
    assert.equal(r.code, 0, r.err);
    const md = r.out.split('\n');
    const at = md.indexOf('## Feature categories over their allocation 3 months in a row');
    assert.ok(at > 0, r.out);
    assert.deepEqual(md.slice(at + 2, at + 5), [
      '| Category | Group | 2026-08 | 2026-09 | 2026-10 |',
      '|---|---|---:|---:|---:|',
      '| `team_planning` | Project Management (`project_management`) | 44.68 min / 22.32 min | 43.24 min / 21.60 min | 44.68 min / 22.32 min |',
    ]);
    assert.equal(md[at + 5], '', 'source_code_management is within its allocation: one row only');
  });

  test('--format json: categoriesOverAllocation with the exact figures', async () => {
    const r = await report(['--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const data = (JSON.parse(r.out) as { data: MonthlyReport }).data;
    assert.equal(data.categoriesOverAllocation.length, 1);
    const c = data.categoriesOverAllocation[0]!;
    assert.deepEqual([c.category, c.group, c.stage], ['team_planning', 'project_management', 'plan']);
    assert.deepEqual(c.months.map((m) => [m.month, m.budgetMinutes]), [['2026-08', 22.32], ['2026-09', 21.6], ['2026-10', 22.32]]);
    assert.ok(Math.abs(c.months[0]!.spentMinutes - (4 * 44_640) / 3996) < 1e-9);
    assert.ok(Math.abs(c.months[1]!.spentMinutes - (4 * 43_200) / 3996) < 1e-9);
    assert.equal(c.months[2]!.availability, 1 - 4 / 3996);
  });
});
