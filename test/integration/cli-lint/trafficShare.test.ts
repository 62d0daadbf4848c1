/**
 * `budget-lens lint` and the custom targets' traffic-share conditions (issue 15 item 2:
 * `expiresWhen: { trafficShareAbove }` flagged in lint, with the config line). The figures come
 * from a real store built from request logs; the share is F13, the group's measurements over all
 * groups' (domain.md), so by hand:
 *   project_management: Projects::IssuesController#index (team_planning), 10 requests;
 *   source_code:        GET /api/:version/projects/:id/repository/tags, 90 requests;
 *   every request one apdex and one error measurement on both sides alike, so the shares are
 *   10 / 100 = 10.00 % and 90 / 100 = 90.00 %.
 * project_management's exception expires above 5 % -> expired (warning at its key's line, 8);
 * source_code's above 95 % -> holds (nothing said).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { ingestFiles } from '../../../src/sdk/store/logIngest';
import { GITLAB_FIXTURES } from '../../support/builders';
import { captureIo } from '../../support/cliIo';
import { ISSUES_INDEX, REPOSITORY_TAGS } from '../../support/logEndpoints';

const CONFIG = `catalog:
  stages: ${join(GITLAB_FIXTURES, 'stages.yml')}
  featureCategories: ${join(GITLAB_FIXTURES, 'feature_categories.yml')}
groups:
  source_code:
    customTarget: { target: "99.80", reason: "a migration", reviewDate: "2099-12-31", expiresWhen: { trafficShareAbove: "95" } }
  # Until it carries real traffic.
  project_management:
    customTarget:
      target: "99.80"
      reason: "a new issue index"
      reviewDate: "2099-12-31"
      expiresWhen:
        trafficShareAbove: "5"
`;

describe('budget-lens lint: custom targets that expire by traffic share', () => {
  let dir: string;
  let store: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-lint-share-'));
    writeFileSync(join(dir, '.budgetlens.yml'), CONFIG);
    // Yesterday (inside the default 28-day window ending now), one request a minute.
    const start = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;
    const lines = (n: number, fields: Record<string, unknown>): string =>
      Array.from({ length: n }, (_, i) => JSON.stringify({ time: new Date(start + i * 60_000).toISOString(), status: 200, duration_s: 0.1, ...fields })).join('\n') + '\n';
    writeFileSync(join(dir, 'production_json.log'), lines(10, ISSUES_INDEX));
    writeFileSync(join(dir, 'api_json.log'), lines(90, REPOSITORY_TAGS));
    store = join(dir, 'store.db');
    const ingested = await ingestFiles(store, [join(dir, 'production_json.log'), join(dir, 'api_json.log')]);
    assert.equal(ingested.totals.accepted, 100);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('with a store: the expired exception is a warning at its group line with the share measured; the other says nothing', async () => {
    const c = captureIo(dir);
    const code = await main(['lint', '--root', dir, '--store', store, '--json'], c.io);
    assert.equal(code, 0, c.err());
    const findings = (JSON.parse(c.out()) as Array<{ code: string; severity: string; message: string; file: string; line: number }>).filter((f) => f.code === 'expired_custom_target');
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.severity]),
      [['.budgetlens.yml', 8, 'warning']],
    );
    assert.match(findings[0]!.message, /^custom target 99\.80 % for group "project_management" expired: its traffic share is 10\.00 % over 28d, above 5 % \(store .*store\.db\): review it, or remove it to return to 99\.95 %$/);
  });

  test('without figures: each condition is a note saying it was not checked', async () => {
    const c = captureIo(dir);
    const code = await main(['lint', '--root', dir, '--json'], c.io);
    assert.equal(code, 0, c.err());
    const notes = (JSON.parse(c.out()) as Array<{ code: string; severity: string; message: string; line: number }>).filter((f) => f.code === 'expired_custom_target');
    assert.deepEqual(
      notes.map((f) => [f.line, f.severity]),
      [
        [5, 'info'],
        [8, 'info'],
      ],
    );
    assert.ok(notes.every((f) => f.message.includes('not checked without figures (lint with --store, --prometheus or --api)')), JSON.stringify(notes));
  });

  test('a backend that cannot answer: a note naming why, exit 0 (lint is about the config)', async () => {
    const c = captureIo(dir);
    const code = await main(['lint', '--root', dir, '--api', 'http://127.0.0.1:9', '--json'], c.io);
    assert.equal(code, 0, c.err());
    const notes = (JSON.parse(c.out()) as Array<{ code: string; severity: string; message: string }>).filter((f) => f.code === 'expired_custom_target');
    assert.equal(notes.length, 2);
    assert.ok(notes.every((f) => f.severity === 'info' && f.message.includes('could not be checked')), JSON.stringify(notes));
  });
});
