import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Classification, SliEvent } from '../../../src/sdk/store/logClassifier';
import { HourParser, classifyLogLine } from '../../../src/sdk/store/logClassifier';
import { apdexThresholdSeconds } from '../../../src/sdk/budget/urgency';

const T = '2024-03-05T10:15:00.000Z';
// Epoch hour of 2024-03-05T10:00Z: Date.UTC(2024, 2, 5, 10) / 3.6e6 = 1709632800000 / 3600000 = 474898.
const HOUR = 474898;

function classify(line: Record<string, unknown>): Classification {
  return classifyLogLine(line, new HourParser());
}

function event(line: Record<string, unknown>): SliEvent {
  const c = classify(line);
  assert.equal(c.kind, 'event', JSON.stringify(c));
  return c as SliEvent;
}

function rails(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    time: T,
    method: 'GET',
    controller: 'Projects::IssuesController',
    action: 'index',
    status: 200,
    'meta.caller_id': 'Projects::IssuesController#index',
    'meta.feature_category': 'team_planning',
    ...extra,
  };
}

function sidekiq(extra: Record<string, unknown>): Record<string, unknown> {
  return { time: T, class: 'WorkItems::CopyTimelogsWorker', job_status: 'done', 'meta.feature_category': 'team_planning', ...extra };
}

describe('apdex thresholds (domain.md section 1 table)', () => {
  test('requests and graphql', () => {
    for (const c of ['rails_request', 'graphql_query']) {
      assert.equal(apdexThresholdSeconds(c, 'high'), 0.25);
      assert.equal(apdexThresholdSeconds(c, 'medium'), 0.5);
      assert.equal(apdexThresholdSeconds(c, 'default'), 1);
      assert.equal(apdexThresholdSeconds(c, 'low'), 5);
      assert.equal(apdexThresholdSeconds(c, 'throttled'), undefined);
    }
  });
  test('sidekiq', () => {
    assert.equal(apdexThresholdSeconds('sidekiq_execution', 'high'), 10);
    assert.equal(apdexThresholdSeconds('sidekiq_execution', 'low'), 300);
    assert.equal(apdexThresholdSeconds('sidekiq_execution', 'throttled'), 300);
    assert.equal(apdexThresholdSeconds('sidekiq_execution', 'medium'), undefined);
  });
});

describe('rails requests at the threshold boundary (success iff duration < threshold)', () => {
  const cases: Array<[string, number]> = [
    ['high', 0.25],
    ['medium', 0.5],
    ['default', 1],
    ['low', 5],
  ];
  for (const [urgency, threshold] of cases) {
    test(`${urgency}: ${threshold} s is not a success, just below is`, () => {
      const at = event(rails({ request_urgency: urgency, duration_s: threshold }));
      assert.deepEqual([at.s, at.w, at.o, at.e], [0, 1, 1, 0]);
      const below = event(rails({ request_urgency: urgency, duration_s: threshold - 0.001 }));
      assert.deepEqual([below.s, below.w, below.o, below.e], [1, 1, 1, 0]);
    });
  }
  test('no request_urgency means default (1 s)', () => {
    assert.equal(event(rails({ duration_s: 0.999 })).s, 1);
    assert.equal(event(rails({ duration_s: 1 })).s, 0);
    assert.equal(event(rails({ duration_s: 1 })).urgency, 'default');
  });
  test('target_duration_s overrides the urgency table', () => {
    // low would allow 5 s, but the line says its target is 2 s.
    assert.equal(event(rails({ request_urgency: 'low', target_duration_s: 2, duration_s: 2 })).s, 0);
    assert.equal(event(rails({ request_urgency: 'low', target_duration_s: 2, duration_s: 1.99 })).s, 1);
  });
  test('5xx is an error and an operation, not an apdex measurement', () => {
    const e = event(rails({ status: 503, duration_s: 0.01 }));
    assert.deepEqual([e.s, e.w, e.o, e.e], [0, 0, 1, 1]);
    const e500 = event(rails({ status: 500 }));
    assert.equal(e500.e, 1);
  });
  test('4xx is an apdex measurement, not an error', () => {
    const e = event(rails({ status: 404, duration_s: 0.01 }));
    assert.deepEqual([e.s, e.w, e.o, e.e], [1, 1, 1, 0]);
  });
  test('event carries the hour, category and component', () => {
    const e = event(rails({ duration_s: 0.1 }));
    assert.equal(e.hour, HOUR);
    assert.equal(e.component, 'rails_request');
    assert.equal(e.category, 'team_planning');
    assert.equal(e.endpointId, 'Projects::IssuesController#index');
  });
});

describe('endpoint ids', () => {
  test('controller#action when there is no caller id', () => {
    const line = rails({ duration_s: 0.1 });
    delete line['meta.caller_id'];
    assert.equal(event(line).endpointId, 'Projects::IssuesController#index');
  });
  test('Grape: caller id "GET /api/:version/..." and METHOD route fallback', () => {
    const grape = { time: T, method: 'GET', route: '/api/:version/projects/:id/issues', status: 200, duration_s: 0.1, 'meta.feature_category': 'team_planning' };
    assert.equal(event(grape).endpointId, 'GET /api/:version/projects/:id/issues');
    assert.equal(event({ ...grape, 'meta.caller_id': 'POST /api/:version/x' }).endpointId, 'POST /api/:version/x');
  });
  test('nested meta object works like flat meta.* keys', () => {
    const e = event({ time: T, status: 200, duration_s: 0.1, meta: { caller_id: 'A#b', feature_category: 'wiki' } });
    assert.equal(e.endpointId, 'A#b');
    assert.equal(e.category, 'wiki');
  });
  test('graphql caller ids are graphql_query with request thresholds', () => {
    const line = rails({ 'meta.caller_id': 'graphql:getPipelineDetails', request_urgency: 'high', duration_s: 0.25 });
    const e = event(line);
    assert.equal(e.component, 'graphql_query');
    assert.equal(e.endpointId, 'graphql:getPipelineDetails');
    assert.equal(e.s, 0);
    assert.equal(event({ ...line, duration_s: 0.249 }).s, 1);
  });
  test('missing feature category is unknown (owned by not_owned)', () => {
    const line = rails({ duration_s: 0.1 });
    delete line['meta.feature_category'];
    assert.equal(event(line).category, 'unknown');
  });
});

describe('sidekiq jobs', () => {
  test('high urgency: 10 s is not a success, 9.999 s is', () => {
    assert.deepEqual(
      (({ s, w, o, e }) => [s, w, o, e])(event(sidekiq({ urgency: 'high', duration_s: 10 }))),
      [0, 1, 1, 0],
    );
    assert.equal(event(sidekiq({ urgency: 'high', duration_s: 9.999 })).s, 1);
  });
  test('low and throttled: 300 s boundary; no urgency means low', () => {
    for (const urgency of ['low', 'throttled']) {
      assert.equal(event(sidekiq({ urgency, duration_s: 300 })).s, 0);
      assert.equal(event(sidekiq({ urgency, duration_s: 299.9 })).s, 1);
    }
    const noUrgency = event(sidekiq({ duration_s: 299.9 }));
    assert.equal(noUrgency.urgency, 'low');
    assert.equal(noUrgency.s, 1);
  });
  test('fail is an error and an operation, not an apdex measurement', () => {
    const e = event(sidekiq({ job_status: 'fail', duration_s: 1 }));
    assert.deepEqual([e.s, e.w, e.o, e.e], [0, 0, 1, 1]);
    assert.equal(e.component, 'sidekiq_execution');
    assert.equal(e.endpointId, 'WorkItems::CopyTimelogsWorker');
  });
  test('start lines are ignored, not malformed (even without duration)', () => {
    assert.equal(classify(sidekiq({ job_status: 'start' })).kind, 'ignored');
  });
  test('medium is not a sidekiq urgency: malformed', () => {
    const c = classify(sidekiq({ urgency: 'medium', duration_s: 1 }));
    assert.equal(c.kind, 'malformed');
  });
});

describe('malformed lines', () => {
  const bad: Array<[string, unknown]> = [
    ['array', [1, 2]],
    ['null', null],
    ['no status nor job_status', { time: T, duration_s: 1 }],
    ['missing time', { ...rails({ duration_s: 0.1 }), time: undefined }],
    ['time without offset', rails({ duration_s: 0.1, time: '2024-03-05T10:15:00' })],
    ['not a date', rails({ duration_s: 0.1, time: 'yesterday' })],
    ['month 13', rails({ duration_s: 0.1, time: '2024-13-05T10:15:00Z' })],
    ['status as string', rails({ duration_s: 0.1, status: '200' })],
    ['missing duration on a 200', rails({})],
    ['negative duration', rails({ duration_s: -1 })],
    ['no endpoint id', { time: T, status: 200, duration_s: 0.1 }],
    ['unknown urgency', rails({ duration_s: 0.1, request_urgency: 'urgent' })],
    ['sidekiq without class', { time: T, job_status: 'done', duration_s: 1 }],
  ];
  for (const [name, line] of bad) {
    test(name, () => {
      const c = classifyLogLine(line, new HourParser());
      assert.equal(c.kind, 'malformed');
      assert.ok((c as { reason: string }).reason.length > 0);
    });
  }
});

describe('HourParser', () => {
  test('floors to the UTC hour, with offsets and fractions', () => {
    const p = new HourParser();
    assert.equal(p.parse('2024-03-05T10:59:59.999Z'), HOUR);
    assert.equal(p.parse('2024-03-05T10:00:00Z'), HOUR);
    assert.equal(p.parse('2024-03-05T11:00:00Z'), HOUR + 1);
    // 12:30+02:00 is 10:30Z.
    assert.equal(p.parse('2024-03-05T12:30:00+02:00'), HOUR);
    // 09:59:59.999Z is in the previous hour.
    assert.equal(p.parse('2024-03-05T09:59:59.999Z'), HOUR - 1);
  });
  test('rejects out-of-range fields and odd shapes on the fast UTC path', () => {
    const p = new HourParser();
    for (const bad of [
      '2024-03-05T24:00:00Z',
      '2024-03-05T10:60:00Z',
      '2024-03-05T10:00:60Z',
      '2024-00-05T10:00:00Z',
      '2024-03-32T10:00:00Z',
      '2024-03-05 10:00:00Z',
      '2024-03-05T10:00:00.Z',
      '2024-03-05T10:00:00.1234567890Z',
      '2024-03-05T10:00Z',
      '2024-03-05T1a:00:00Z',
    ]) {
      assert.equal(p.parse(bad), undefined, bad);
    }
    assert.equal(p.parse('2024-03-05T10:00:00.123456789Z'), HOUR);
    assert.equal(p.parse('2024-03-05T10:00:00.1Z'), HOUR);
    // Now 2024-03-05T10 is the cached prefix: a bad tail after it is still rejected.
    for (const bad of ['2024-03-05T10:61:00Z', '2024-03-05T10:00:00', '2024-03-05T10:00:0xZ', '2024-03-05T10']) {
      assert.equal(p.parse(bad), undefined, bad);
    }
  });

  test('the cache does not leak between different prefixes', () => {
    const p = new HourParser();
    assert.equal(p.parse('2024-03-05T10:10:00Z'), HOUR);
    assert.equal(p.parse('2024-03-06T10:10:00Z'), HOUR + 24);
    assert.equal(p.parse('2024-03-05T10:20:00Z'), HOUR);
  });
});

describe('strict times (issue 12 items 5-6): dates that exist, years 1970-2100', () => {
  function refused(time: string): { reason: string; code?: string } {
    const c = classifyLogLine(rails({ duration_s: 0.1, time }), new HourParser());
    assert.equal(c.kind, 'malformed', `${time}: ${JSON.stringify(c)}`);
    return c as { reason: string; code?: string };
  }

  test('2026-02-30 is refused as impossible_date, not counted on 03-02 (Date.parse rolls it over)', () => {
    const c = refused('2026-02-30T10:00:00Z');
    assert.equal(c.code, 'impossible_date');
    assert.equal(c.reason, 'impossible_date: "time" 2026-02-30T10:00:00Z: February 2026 has 28 days, not 30');
    // The offset path too: 2026-02-30T12:00+02:00 would be 03-02T10:00Z.
    assert.equal(refused('2026-02-30T12:00:00+02:00').code, 'impossible_date');
    // April has 30 days; 2028 is a leap year, 2100 is not (divisible by 100, not by 400).
    assert.equal(refused('2026-04-31T00:00:00Z').code, 'impossible_date');
    assert.equal(refused('2100-02-29T00:00:00Z').code, 'impossible_date');
    assert.equal(new HourParser().parse('2028-02-29T00:00:00Z'), Date.UTC(2028, 1, 29) / 3_600_000);
  });

  test('month 13 and hour 24 are impossible_date', () => {
    assert.equal(refused('2026-13-01T00:00:00Z').reason, 'impossible_date: "time" 2026-13-01T00:00:00Z: month 13 does not exist');
    assert.equal(refused('2026-03-05T24:00:00Z').code, 'impossible_date');
  });

  test('years outside 1970-2100 are time_out_of_range; 2100-12-31 is accepted', () => {
    const c = refused('9999-01-01T00:00:00Z');
    assert.equal(c.code, 'time_out_of_range');
    assert.equal(c.reason, 'time_out_of_range: "time" 9999-01-01T00:00:00Z: year 9999 is outside 1970-2100');
    assert.equal(refused('1969-12-31T23:59:59Z').code, 'time_out_of_range');
    assert.equal(refused('0026-04-01T00:00:00Z').code, 'time_out_of_range');
    assert.equal(refused('2101-01-01T00:00:00Z').code, 'time_out_of_range');
    // 2100-12-31T23:30-01:00 is 2101-01-01T00:30Z: past the range once in UTC.
    assert.equal(refused('2100-12-31T23:30:00-01:00').code, 'time_out_of_range');
    // Date.UTC(2100, 11, 31, 23) / 3.6e6 = 4133977200000 / 3600000 = 1148327 (the last accepted hour).
    assert.equal(new HourParser().parse('2100-12-31T23:59:59Z'), 1148327);
    // 1970-01-01T00:00Z is epoch hour 0.
    assert.equal(new HourParser().parse('1970-01-01T00:00:00Z'), 0);
  });

  test('a bad line after a cached hour is still refused, and the cache still serves the good hour', () => {
    const p = new HourParser();
    assert.equal(p.parse('2024-03-05T10:00:00Z'), HOUR);
    assert.equal(p.parse('2024-02-30T10:00:00Z'), undefined);
    assert.equal(p.rejectionCode, 'impossible_date');
    assert.equal(p.parse('2024-03-05T10:30:00Z'), HOUR);
  });
});

describe('GraphQL executions (graphql_json.log)', () => {
  function graphql(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      severity: 'INFO',
      time: T,
      query_fingerprint: '2/abc',
      duration_s: 0.4,
      operation_name: 'getPipelineHeader',
      'meta.caller_id': 'graphql:getPipelineHeader',
      'meta.feature_category': 'continuous_integration',
      'query_analysis.duration_s': 0.001,
      ...extra,
    };
  }
  const counts = (e: SliEvent): string => `${e.component} ${e.endpointId} ${e.category} ${e.urgency} s${e.s} w${e.w} o${e.o} e${e.e}`;

  test('component graphql_query, id from meta.caller_id, apdex against the default 1 s, inclusive', () => {
    assert.equal(counts(event(graphql({}))), 'graphql_query graphql:getPipelineHeader continuous_integration default s1 w1 o1 e0');
    assert.equal(event(graphql({})).hour, HOUR);
    // GitLab's tracer: success iff duration_s <= threshold (1 s exactly is satisfactory).
    assert.equal(counts(event(graphql({ duration_s: 1 }))), 'graphql_query graphql:getPipelineHeader continuous_integration default s1 w1 o1 e0');
    assert.equal(counts(event(graphql({ duration_s: 1.0001 }))), 'graphql_query graphql:getPipelineHeader continuous_integration default s0 w1 o1 e0');
    // query_analysis.duration_s is the analyzer's time, never the query's.
    assert.equal(counts(event(graphql({ duration_s: 2, 'query_analysis.duration_s': 0.1 }))), 'graphql_query graphql:getPipelineHeader continuous_integration default s0 w1 o1 e0');
  });

  test('errors: an exception or a GraphQL error is an error; only "Unauthorized subscription" is an operation without apdex', () => {
    assert.equal(counts(event(graphql({ 'exception.class': 'ActiveRecord::QueryCanceled' }))), 'graphql_query graphql:getPipelineHeader continuous_integration default s0 w0 o1 e1');
    assert.equal(counts(event(graphql({ graphql_errors: [{ message: 'boom' }] }))), 'graphql_query graphql:getPipelineHeader continuous_integration default s0 w0 o1 e1');
    assert.equal(counts(event(graphql({ graphql_errors: [{ message: 'Unauthorized subscription' }] }))), 'graphql_query graphql:getPipelineHeader continuous_integration default s0 w0 o1 e0');
    assert.equal(counts(event(graphql({ graphql_errors: [{ message: 'Unauthorized subscription' }, { message: 'x' }] }))), 'graphql_query graphql:getPipelineHeader continuous_integration default s0 w0 o1 e1');
  });

  test("the operation's urgency comes from a lookup (GitLab does not log it); unregistered operations are graphql:unknown", () => {
    const lookup = (op: string): string | undefined => (op === 'getPipelineHeader' ? 'high' : undefined);
    const c = classifyLogLine(graphql({ duration_s: 0.3 }), new HourParser(), lookup) as SliEvent;
    assert.equal(counts(c), 'graphql_query graphql:getPipelineHeader continuous_integration high s0 w1 o1 e0');
    assert.equal(counts(event(graphql({ 'meta.caller_id': 'graphql:unknown', operation_name: 'other' }))), 'graphql_query graphql:unknown continuous_integration default s1 w1 o1 e0');
    // Without a caller id: graphql:<operation_name>.
    assert.equal(event(graphql({ 'meta.caller_id': undefined })).endpointId, 'graphql:getPipelineHeader');
  });

  test("graphql_json.log's other lines (timeouts, GLQL) are ignored, not malformed", () => {
    assert.deepEqual(classify({ severity: 'ERROR', time: T, message: 'Timeout on validation of query', query: 'query { x }' }), { kind: 'ignored' });
    assert.equal(classify(graphql({ duration_s: 'slow' })).kind, 'malformed');
  });
});
