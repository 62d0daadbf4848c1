/** `budget-lens status --explain` over Prometheus: each query with its graph page (formatExplain, pure). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatExplain } from '../../../src/cli/commands/status';
import type { GroupStatus } from '../../../src/cli/commands/status';
import { aBudgetFigures, aGroupBudget, aResultMeta, anApiResult } from '../../support/builders';

test('the PromQL sent, each with its Prometheus graph page; no daily line without the series', () => {
  const counts = { apdexSuccess: 62_990, apdexWeight: 63_000, ops: 63_006, errors: 2 };
  // f = (63,000 - 62,990) + 2 = 12, m = 126,006: apdex 10 * 40,320 / 126,006 = 3.1998, errors 2 * 40,320 / 126,006 = 0.6400.
  const figures = aBudgetFigures({ counts, failures: 12, measurements: 126_006 });
  const meta = aResultMeta({
    window: { label: '28d', minutes: 40_320, start: '2026-11-07T00:00:00.000Z', end: '2026-12-05T00:00:00.000Z' },
    provenance: { kind: 'promql', source: 'http://prom:9090', queries: ['sum by (stage_group) (x{env="gprd"})'] },
  });
  const status: GroupStatus = {
    group: anApiResult(aGroupBudget({ ...figures }), meta),
    topEndpoints: anApiResult({ scope: { group: 'project_management' }, total: figures, endpoints: [] }, meta),
    burnRates: anApiResult([], meta),
  };
  assert.deepEqual(formatExplain(status), [
    '',
    'How it is computed',
    '  window 2026-11-07 00:00 UTC → 2026-12-05 00:00 UTC (28 d)',
    '  availability (s + o − e) / (w + o) = (62,990 + 63,006 − 2) / (63,000 + 63,006)',
    '  spent 3.84 budget-min = apdex 3.20 (10 slow) + errors 0.64 (2 errors), each failure 40,320 / 126,006 budget-min',
    '  PromQL sent to http://prom:9090:',
    '    sum by (stage_group) (x{env="gprd"})',
    '      open: http://prom:9090/graph?g0.expr=sum%20by%20%28stage_group%29%20%28x%7Benv%3D%22gprd%22%7D%29&g0.tab=1',
  ]);
});
