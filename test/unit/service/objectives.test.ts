/**
 * BudgetService.objectives / objective (issue 13) over an in-memory ObjectiveEvaluator: fixed
 * counts per objective handed to the real objective engine (the Prometheus evaluator is tested
 * against a real Prometheus in test/integration/server/objectivesRoute.test.ts). What is under
 * test is the service: order, names, 404 with a suggestion, one failure beside the others, the
 * bound on concurrent evaluations, the backend down for all, no evaluator at all, meta.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog } from '../../../src/sdk/catalog/types';
import { BackendError, BackendTimeoutError, InvalidQueryError, UnknownScopeError } from '../../../src/sdk/contract/serviceErrors';
import type { BackendFault } from '../../../src/sdk/contract/serviceErrors';
import { evaluateObjective, windowRange } from '../../../src/sdk/objectives/engine';
import type { EventCounts } from '../../../src/sdk/objectives/engine';
import type { ObjectiveEvaluation, ObjectiveEvaluationOptions, ObjectiveEvaluator } from '../../../src/sdk/objectives/evaluator';
import type { ObjectiveSpec } from '../../../src/sdk/objectives/spec';
import { BudgetService } from '../../../src/sdk/service/budgetService';
import { MemorySource, SCENARIO, SCENARIO_AT, scenarioCatalog } from '../../support/builders';

const ROOT = '/repo';
const AT = new Date('2026-03-01T00:00:30Z'); // floored to the minute: 00:00

function spec(name: string, line: number, extra: Partial<ObjectiveSpec> = {}): ObjectiveSpec {
  return {
    name,
    target: '0.998',
    budgetingMethod: 'Occurrences',
    window: { kind: 'rolling', minutes: 40320, label: '28d' },
    sli: { kind: 'ratio', form: 'bad', bad: { sourceType: 'prometheus', spec: { query: 'bad' } }, total: { sourceType: 'prometheus', spec: { query: 'total' } }, counter: true },
    location: { file: `${ROOT}/slo/gitpod.yaml`, line, column: 3 },
    ...extra,
  };
}

class Unavailable extends Error {
  backendFault(): BackendFault {
    return { unavailable: true };
  }
}

class Refused extends Error {
  readonly code = 'unsupported_query';
}

/** Counts per objective name (or an error to throw), evaluated by the engine; records what it was asked. */
class CountsEvaluator implements ObjectiveEvaluator {
  readonly kind = 'prometheus';
  readonly source = 'http://prom.test:9090';
  inFlight = 0;
  maxInFlight = 0;
  asked: Array<{ name: string; at: string }> = [];
  constructor(private readonly counts: Record<string, EventCounts | Error>) {}

  async evaluate(s: ObjectiveSpec, opts: ObjectiveEvaluationOptions = {}): Promise<ObjectiveEvaluation> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.asked.push({ name: s.name, at: opts.at!.toISOString() });
    await new Promise((r) => setTimeout(r, 5));
    this.inFlight--;
    const c = this.counts[s.name];
    if (c === undefined || c instanceof Error) throw c ?? new Error(`no counts for ${s.name}`);
    const r = windowRange(s.window, opts.at!);
    return {
      objective: s.name,
      figures: evaluateObjective(s, { kind: 'events', counts: c }, { windowMinutes: r.minutes }),
      range: { start: new Date(r.start).toISOString(), end: opts.at!.toISOString(), minutes: r.minutes },
      burnRate1h: null,
      burnAlerts: [],
      queries: [{ role: 'total', query: `sum(increase(${s.name}_total[28d]))`, kind: 'instant', window: '28d' }],
      warnings: [],
    };
  }

  async burnDown(s: ObjectiveSpec): Promise<{ points: []; queries: [] } | never> {
    if (s.name === 'broken-burn-down') throw new Error('the range query failed');
    return { points: [], queries: [] };
  }
}

describe('BudgetService objectives', () => {
  let catalog: Catalog;
  let source: MemorySource;
  before(async () => {
    catalog = await scenarioCatalog();
    source = new MemorySource(catalog, SCENARIO, () => SCENARIO_AT);
  });

  const service = (objectives: ObjectiveSpec[], evaluator?: ObjectiveEvaluator, extra = {}): BudgetService =>
    new BudgetService(source, catalog, { now: () => AT, objectives: () => objectives, workspaceRoot: ROOT, ...(evaluator ? { objectiveEvaluator: evaluator } : {}), ...extra });

  test('every objective in the project order, its definition in brief and the engine figures; meta spans them', async () => {
    // workspace-starts: 15 bad of 10,000 at 99.8 % -> budget 20, 5 left, 0.25.
    const ev = new CountsEvaluator({ 'workspace-starts': { bad: 15, total: 10000 }, 'workspace-ready': { bad: 0, total: 0 } });
    const api = service([spec('workspace-starts', 4, { displayName: 'Workspaces start', category: 'workspace_start' }), spec('workspace-ready', 30)], ev);
    const r = await api.objectives();
    assert.deepEqual(r.data.map((o) => o.name), ['workspace-starts', 'workspace-ready']);
    const [starts, ready] = r.data;
    assert.deepEqual(
      { ...starts!, figures: undefined },
      {
        name: 'workspace-starts',
        displayName: 'Workspaces start',
        category: 'workspace_start',
        definedAt: { file: 'slo/gitpod.yaml', line: 4 },
        target: '0.998',
        method: 'Occurrences',
        window: '28d',
        sli: 'ratio bad/total',
        figures: undefined,
        range: { start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z', minutes: 40320 },
        burnRate1h: null,
        burnAlerts: [],
        queries: [{ role: 'total', query: 'sum(increase(workspace-starts_total[28d]))', kind: 'instant', window: '28d' }],
        warnings: [],
      },
    );
    assert.deepEqual(starts!.figures, { method: 'Occurrences', target: '0.998', good: 9985, bad: 15, total: 10000, sli: 0.9985, budgetEvents: 20, eventsLeft: 5, remainingFraction: 0.25, status: 'healthy', lowTraffic: false, warnings: [] });
    assert.equal(ready!.figures?.status, 'no_data');
    assert.deepEqual(ev.asked.map((a) => a.at), ['2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
    assert.deepEqual(r.meta.window, { label: '28d', minutes: 40320, start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z' });
    assert.deepEqual(r.meta.provenance, { kind: 'promql', source: 'http://prom.test:9090', queries: ['sum(increase(workspace-starts_total[28d]))', 'sum(increase(workspace-ready_total[28d]))'] });
  });

  test('names narrow and order; duplicates once; an unknown name is UnknownScopeError with the closest name', async () => {
    const ev = new CountsEvaluator({ a: { bad: 0, total: 1 }, 'workspace-starts': { bad: 0, total: 1 } });
    const api = service([spec('a', 1), spec('workspace-starts', 2)], ev);
    assert.deepEqual((await api.objectives({ names: ['workspace-starts', 'a', 'workspace-starts'] })).data.map((o) => o.name), ['workspace-starts', 'a']);
    await assert.rejects(api.objectives({ names: ['workspace-start'] }), (e) => UnknownScopeError.is(e) && e.kind === 'objective' && e.message === "unknown objective 'workspace-start'; did you mean 'workspace-starts'?");
    await assert.rejects(api.objective('nope'), (e) => UnknownScopeError.is(e) && e.key === 'nope');
    await assert.rejects(api.objectives({ names: Array.from({ length: 501 }, (_, i) => `o${i}`) }), (e) => InvalidQueryError.is(e) && e.field === 'names');
    await assert.rejects(api.objectives({ at: new Date('2150-01-01T00:00:00Z') }), (e) => InvalidQueryError.is(e) && e.field === 'at');
  });

  test('one objective failing answers figures null and its error; the others are unaffected', async () => {
    const ev = new CountsEvaluator({ good: { bad: 1, total: 1000 }, refused: new Refused('objective refused: rate() is not a counter'), down: new Unavailable('cannot reach http://prom.test:9090'), odd: new Error('boom') });
    const r = await service([spec('good', 1), spec('refused', 2), spec('down', 3), spec('odd', 4)], ev).objectives();
    assert.equal(r.data[0]!.figures?.status, 'healthy');
    assert.deepEqual(r.data.slice(1).map((o) => [o.figures, o.range, o.error]), [
      [null, null, { code: 'unsupported_query', message: 'objective refused: rate() is not a counter' }],
      [null, null, { code: 'backend_unavailable', message: 'cannot reach http://prom.test:9090' }],
      [null, null, { code: 'evaluation_failed', message: 'boom' }],
    ]);
  });

  test('the backend down for every objective asked fails the request (503), as the other routes do', async () => {
    const ev = new CountsEvaluator({ a: new Unavailable('cannot reach http://prom.test:9090'), b: new Refused('refused') });
    await assert.rejects(service([spec('a', 1), spec('b', 2)], ev).objectives(), (e) => BackendError.is(e) && e.unavailable);
  });

  test('at most objectiveConcurrency evaluations at a time (default 8)', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `o${i}`);
    const ev = new CountsEvaluator(Object.fromEntries(names.map((n) => [n, { bad: 0, total: 10 }])));
    const r = await service(names.map((n, i) => spec(n, i)), ev, { objectiveConcurrency: 3 }).objectives();
    assert.equal(r.data.length, 20);
    assert.equal(ev.maxInFlight, 3);
    const ev8 = new CountsEvaluator(Object.fromEntries(names.map((n) => [n, { bad: 0, total: 10 }])));
    await service(names.map((n, i) => spec(n, i)), ev8).objectives();
    assert.equal(ev8.maxInFlight, 8);
  });

  test('no evaluator: each objective answers objectives_unsupported with the reason', async () => {
    const r = await service([spec('a', 1)], undefined, { objectivesUnsupported: 'the store does not evaluate objectives yet' }).objectives();
    assert.deepEqual(r.data[0]!.error, { code: 'objectives_unsupported', message: 'the store does not evaluate objectives yet' });
    assert.equal(r.data[0]!.figures, null);
    const d = await service([spec('a', 1)]).objective('a');
    assert.deepEqual([d.data.error?.code, d.data.error?.message, d.data.burnDown], ['objectives_unsupported', 'the store backend does not evaluate objectives', []]);
  });

  test('a project without objectives answers an empty list', async () => {
    const r = await new BudgetService(source, catalog, { now: () => AT }).objectives();
    assert.deepEqual(r.data, []);
    assert.equal(r.meta.asOf, '2026-03-01T00:00:00.000Z');
  });

  test('objective(name): a burn-down that fails is a warning beside the figures', async () => {
    const ev = new CountsEvaluator({ 'broken-burn-down': { bad: 0, total: 1000 } }); // budget 2 events: healthy
    const d = await service([spec('broken-burn-down', 1)], ev).objective('broken-burn-down');
    assert.equal(d.data.figures?.status, 'healthy');
    assert.deepEqual(d.data.burnDown, []);
    assert.deepEqual(d.data.warnings, ['burn-down: the range query failed']);
  });

  test("the request's deadline is the truth when it aborted the evaluations", async () => {
    const deadline = new AbortController();
    deadline.abort(new BackendTimeoutError(10));
    const ev = new CountsEvaluator({ a: new Error('aborted') });
    await assert.rejects(service([spec('a', 1)], ev).objectives({ signal: deadline.signal }), (e) => BackendTimeoutError.is(e));
  });
});
