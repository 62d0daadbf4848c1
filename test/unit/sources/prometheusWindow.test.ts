import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { daySegments, fullDayRun, windowBounds, windowMeta } from '../../../src/sdk/sources/prometheusWindow';
import { CountTable, failuresOf } from '../../../src/sdk/sources/prometheusCounts';
import { parseSampleValue } from '../../../src/sdk/sources/prometheusClient';

const W28 = { label: '28d', minutes: 40320 };

describe('window bounds and UTC days', () => {
  test('a window ends at `at`, truncated to whole seconds', () => {
    const b = windowBounds(W28, new Date('2026-06-01T00:00:00.750Z'));
    assert.equal(b.end.toISOString(), '2026-06-01T00:00:00.000Z');
    assert.equal(b.start.toISOString(), '2026-05-04T00:00:00.000Z');
    assert.deepEqual(windowMeta(W28, b), {
      window: { label: '28d', minutes: 40320, start: '2026-05-04T00:00:00.000Z', end: '2026-06-01T00:00:00.000Z' },
      asOf: '2026-06-01T00:00:00.000Z',
    });
  });

  test('a midnight-aligned 28 d window is 28 full days', () => {
    const segs = daySegments(windowBounds(W28, new Date('2026-06-01T00:00:00Z')));
    assert.equal(segs.length, 28);
    assert.ok(segs.every((s) => s.full));
    assert.equal(segs[0]!.date, '2026-05-04');
    assert.equal(segs[27]!.date, '2026-05-31');
    const run = fullDayRun(segs)!;
    assert.equal(run.first.end.toISOString(), '2026-05-05T00:00:00.000Z');
    assert.equal(run.last.end.toISOString(), '2026-06-01T00:00:00.000Z');
  });

  test('an unaligned window has clipped first and last days', () => {
    const segs = daySegments(windowBounds({ label: '2d', minutes: 2880 }, new Date('2026-06-01T06:00:00Z')));
    assert.deepEqual(
      segs.map((s) => [s.date, s.start.toISOString().slice(11, 16), s.end.toISOString().slice(11, 16), s.full]),
      [
        ['2026-05-30', '06:00', '00:00', false],
        ['2026-05-31', '00:00', '00:00', true],
        ['2026-06-01', '00:00', '06:00', false],
      ],
    );
    // A 1 h window inside one day: a single clipped day, no full days.
    const hour = daySegments(windowBounds({ label: '1h', minutes: 60 }, new Date('2026-06-01T06:00:00Z')));
    assert.equal(hour.length, 1);
    assert.equal(fullDayRun(hour), undefined);
  });
});

describe('count folding', () => {
  test('sums per entity and component; hasErrorSli only where an error series was seen', () => {
    const t = new CountTable();
    t.addSamples('ops', [
      { labels: { stage_group: 'a', component: 'rails_request' }, value: 100 },
      { labels: { stage_group: 'a', component: 'sidekiq_execution' }, value: 10 },
      { labels: { stage_group: 'b', component: 'rails_request' }, value: 7 },
    ], (l) => l['stage_group']);
    t.addSamples('errors', [{ labels: { stage_group: 'a', component: 'rails_request' }, value: 2 }], (l) => l['stage_group']);
    t.addSamples('errors', [{ labels: { stage_group: 'a', component: 'rails_request' }, value: 3 }], (l) => l['stage_group']);
    t.addSamples('ops', [{ labels: { stage_group: 'skip', component: 'x' }, value: 1 }], () => undefined);
    assert.deepEqual(t.components('a'), [
      { component: 'rails_request', counts: { apdexSuccess: 0, apdexWeight: 0, ops: 100, errors: 5 }, hasErrorSli: true },
      { component: 'sidekiq_execution', counts: { apdexSuccess: 0, apdexWeight: 0, ops: 10, errors: 0 }, hasErrorSli: false },
    ]);
    assert.deepEqual([...t.rows.keys()], ['a', 'b']);
    assert.deepEqual([...t.componentsWithErrorSli()], ['rails_request']);
    assert.deepEqual(t.components('nobody'), []);
  });

  test('failures (F2): apdex misses plus errors, errors only with an error SLI', () => {
    // domain.md F2: s=9990, w=10000, e=5 -> f = 15
    const c = { apdexSuccess: 9990, apdexWeight: 10000, ops: 10000, errors: 5 };
    assert.equal(failuresOf(c, true), 15);
    assert.equal(failuresOf(c, false), 10);
  });

  test('sample values: NaN and infinities are not counts', () => {
    assert.equal(parseSampleValue('12.5'), 12.5);
    assert.equal(parseSampleValue('1e3'), 1000);
    assert.equal(parseSampleValue('NaN'), undefined);
    assert.equal(parseSampleValue('+Inf'), undefined);
    assert.equal(parseSampleValue('-Inf'), undefined);
  });
});
