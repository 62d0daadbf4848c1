/**
 * `budget-lens check --prometheus` against a real Prometheus (Debian's 2.42, backfilled with
 * promtool: docs/testing.md), then the same Prometheus stopped.
 *
 * Series: GitLab's recorded 1h rates (rails_request) at group and category level, one sample a
 * minute for 64 minutes two days before AT (inside the 28 d window), as rules evaluated every 60 s
 * write them; the source counts sum_over_time(rate) * 60, so each count is rate * 64 * 60 = rate * 3840:
 *  pipeline_execution / continuous_integration: w = s = o = 8/s, e = 0.25/s
 *    -> w = s = o = 30720, e = 960 -> f = 960, m = 61440
 *    -> spent 960 * 40320 / 61440 = 630 min > 20.16: OVER BUDGET, availability 1 - 960/61440 = 98.4375 %
 *  source_code / source_code_management: w = s = o = 8/s, e = 2^-8 = 0.00390625/s
 *    -> e = 15, f = 15, m = 61440 -> spent 15 * 40320 / 61440 = 9.84375 min: within
 *  code_review: no series -> no data.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import type { CheckResult } from '../../../src/cli/commands/check';
import { captureIo } from '../../support/cliIo';
import { GITLAB_FIXTURES } from '../../support/builders';
import type { MetricsServer } from '../../support/prometheusServer';
import { startPrometheus } from '../../support/prometheusServer';
import { sampledSeries, unix } from '../../support/seriesBuilders';
import type { Series } from '../../support/seriesBuilders';

const AT = '2026-06-01T00:00:00Z';
const FROM = unix(AT) - 2 * 86_400 + 30;
const TO = FROM + 63 * 60;

function recorded(level: 'stage_group' | 'feature_category', key: string, rates: { w: number; s: number; o: number; e: number }): Series[] {
  const labels = { [level]: key, component: 'rails_request', type: 'web' };
  const name = (suffix: string): string => `gitlab:component:${level}:execution:${suffix}`;
  return [
    sampledSeries(name('apdex:success:rate_1h'), labels, FROM, TO, 60, () => rates.s),
    sampledSeries(name('apdex:weight:score_1h'), labels, FROM, TO, 60, () => rates.w),
    sampledSeries(name('ops:rate_1h'), labels, FROM, TO, 60, () => rates.o),
    sampledSeries(name('error:rate_1h'), labels, FROM, TO, 60, () => rates.e),
  ];
}

describe('budget-lens check on a real Prometheus', () => {
  let prom: MetricsServer;
  let dir: string;
  const over = { w: 8, s: 8, o: 8, e: 0.25 };
  const within = { w: 8, s: 8, o: 8, e: 2 ** -8 };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'budget-lens-check-prom-'));
    prom = await startPrometheus([
      ...recorded('stage_group', 'pipeline_execution', over),
      ...recorded('feature_category', 'continuous_integration', over),
      ...recorded('stage_group', 'source_code', within),
      ...recorded('feature_category', 'source_code_management', within),
    ]);
  });
  after(async () => {
    await prom.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function check(args: string[]): Promise<{ code: number; json: CheckResult; err: string }> {
    const c = captureIo(dir);
    const code = await main(['check', '--prometheus', prom.url, '--catalog', GITLAB_FIXTURES, '--at', AT, '--json', ...args], c.io);
    return { code, json: JSON.parse(c.out()) as CheckResult, err: c.err() };
  }

  test('within (exit 0), over (exit 1), no data (exit 2) from the recorded series', async () => {
    const w = await check(['--group', 'source_code', '--category', 'source_code_management']);
    assert.equal(w.code, 0, w.err);
    assert.equal(w.json.source, `Prometheus ${prom.url}`);
    assert.deepEqual(
      w.json.scopes.map((s) => [s.key, s.verdict, s.failures, s.measurements, s.spentMinutes]),
      [['source_code', 'within', 15, 61440, 9.84375], ['source_code_management', 'within', 15, 61440, 9.84375]],
    );
    const o = await check(['--group', 'pipeline_execution', '--group', 'source_code', '--category', 'continuous_integration']);
    assert.equal(o.code, 1, o.err);
    assert.deepEqual(
      o.json.scopes.map((s) => [s.key, s.verdict, s.spentMinutes, s.availability]),
      [['pipeline_execution', 'over', 630, 0.984375], ['source_code', 'within', 9.84375, 1 - 15 / 61440], ['continuous_integration', 'over', 630, 0.984375]],
    );
    const n = await check(['--group', 'code_review']);
    assert.equal(n.code, 2);
    assert.deepEqual([n.json.verdict, n.json.scopes[0]?.measurements], ['no_data', 0]);
  });

  test('Prometheus stopped: exit 2 naming the query URL', async () => {
    await prom.stop();
    const r = await check(['--group', 'source_code', '--timeout', '5']);
    assert.equal(r.code, 2);
    assert.equal(r.json.verdict, 'error');
    assert.match(r.err, new RegExp(`^budget-lens check: error: Prometheus ${prom.url}: backend failed: .*${prom.url.replace(/[.]/g, '\\.')}`));
  });
});
