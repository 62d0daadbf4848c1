/**
 * Series for the objective tests against a real Prometheus (docs/objectives.md "Prometheus"),
 * every figure countable by hand. Evaluated at AT = 2026-03-01T00:00:00Z.
 *
 * 1. Workspace starts (Gitpod's 99.8 % over 28 d, Occurrences): counters sampled hourly from
 *    AT - 28 d to AT (673 samples, one exactly on each edge, so Prometheus 2's closed range makes
 *    increase() the exact difference). Before the window: 5,000 starts and 40 failures.
 *      starts:   hour 0 +520, hours 1..670 +14 each (9,380), hour 671 (the last) +100 -> 10,000
 *      failures: hour 10 +12, hour 671 +3                                           -> 15
 *    -> SLI 9,985 / 10,000 = 0.9985, budget 0.002 x 10,000 = 20 events, 20 - 15 = 5 left
 *       (fraction 0.25), healthy. Last hour: 3 bad of 100 -> burn (3/100)/0.002 = 15.
 *
 * 2. Start time, a classic histogram in Prometheus 2 spelling (le="16"), le 1..128 and +Inf,
 *    samples at AT - 28 d (all 0), AT - 27 d (the counts below) and AT (unchanged):
 *      le:      1   2   4    8   16   32   64  128  +Inf   (_count 200)
 *      count:  20  50  90  120  150  170  180  188   200
 *    95 % under 128 s -> 188 of 200 = 0.94, budget 0.05 x 200 = 10, 12 bad -> -2 left, over_budget.
 *    95 % under 120 s -> refused: "120 s is not a bucket bound of ...; nearest: 64, 128".
 *
 * 3. Workspace ready time, the same shape written by two exporters: instance "a" in Prometheus 2
 *    spelling (le="16"), instance "b" in Prometheus 3 spelling (le="16.0"), each:
 *      le:      4   16   64  +Inf   (_count 100)
 *      count:  50   97   99   100
 *    A threshold of 16 written "16" matches both: 194 of 200 = 0.97; 95 % -> budget 10, 6 bad, 4 left.
 *
 * 4. API latency over 5-minute slices (Timeslices, 1 d rolling, 99 %, slice target 0.95): counters
 *    `api_request_duration_seconds_bucket{le="0.1"}` and `_count` sampled every 5 minutes from
 *    AT - 1 d to AT (289 samples, 288 slices). Each slice has 100 requests, 100 under 0.1 s,
 *    except: slices 100, 101, 102 (90 under: ratio 0.9 < 0.95, bad) and slices 200..209 (no
 *    requests: empty).
 *    -> N 288, empty 10, counted 278, good 275, bad 3; SLI 275/278; budget 0.01 x 278 = 2.78
 *       slices = 13.9 minutes, allowed 2, slices left 2 - 3 = -1, minutes left 13.9 - 15 = -1.1,
 *       over_budget.
 */
import type { ObjectiveSpec } from '../../../src/sdk/objectives/spec';
import { counterSeries, unix, type Series } from '../../support/seriesBuilders';

export const AT = '2026-03-01T00:00:00Z';
export const AT_S = unix(AT);
const HOUR = 3600;
const DAY = 86400;
export const START_28D = AT_S - 28 * DAY;

function hourly(name: string, initial: number, inc: (hour: number) => number): Series {
  return counterSeries(name, {}, START_28D, HOUR, Array.from({ length: 672 }, (_, h) => inc(h)), { initial });
}

const BOUNDS = ['1', '2', '4', '8', '16', '32', '64', '128', '+Inf'];
const STARTUP = [20, 50, 90, 120, 150, 170, 180, 188, 200];

function histogram(name: string, labels: Record<string, string>, bounds: readonly string[], counts: readonly number[]): Series[] {
  const at = (v: number): Array<[number, number]> => [
    [START_28D, 0],
    [START_28D + DAY, v],
    [AT_S, v],
  ];
  return [
    ...bounds.map((le, i): Series => ({ name: `${name}_bucket`, labels: { ...labels, le }, samples: at(counts[i]!) })),
    { name: `${name}_count`, labels, samples: at(counts[counts.length - 1]!) },
  ];
}

function slices(name: string, perSlice: (i: number) => number): Series {
  return counterSeries(name, {}, AT_S - DAY, 300, Array.from({ length: 288 }, (_, i) => perSlice(i)), { initial: 1000 });
}
const emptySlice = (i: number): boolean => i >= 200 && i <= 209;
const badSlice = (i: number): boolean => i >= 100 && i <= 102;

export function objectiveSeries(): Series[] {
  return [
    hourly('gitpod_ws_manager_workspace_starts_total', 5000, (h) => (h === 0 ? 520 : h === 671 ? 100 : 14)),
    hourly('gitpod_ws_manager_workspace_starts_failure_total', 40, (h) => (h === 10 ? 12 : h === 671 ? 3 : 0)),
    ...histogram('gitpod_ws_manager_workspace_startup_seconds', {}, BOUNDS, STARTUP),
    ...histogram('gitpod_ws_ready_seconds', { instance: 'a' }, ['4', '16', '64', '+Inf'], [50, 97, 99, 100]),
    ...histogram('gitpod_ws_ready_seconds', { instance: 'b' }, ['4.0', '16.0', '64.0', '+Inf'], [50, 97, 99, 100]),
    slices('api_request_duration_seconds_count', (i) => (emptySlice(i) ? 0 : 100)),
    { ...slices('api_request_duration_seconds_bucket', (i) => (emptySlice(i) ? 0 : badSlice(i) ? 90 : 100)), labels: { le: '0.1' } },
  ];
}

const LOC = { file: 'test.yaml', line: 1, column: 1 };
const prom = (query: string): { sourceType: string; spec: { query: string } } => ({ sourceType: 'prometheus', spec: { query } });
const rolling28d = { kind: 'rolling' as const, minutes: 40320, label: '28d' };

export const STARTS: ObjectiveSpec = {
  name: 'workspace-starts',
  target: '0.998',
  budgetingMethod: 'Occurrences',
  window: rolling28d,
  sli: {
    kind: 'ratio',
    form: 'bad',
    bad: prom('sum(gitpod_ws_manager_workspace_starts_failure_total)'),
    total: prom('sum(gitpod_ws_manager_workspace_starts_total)'),
    counter: true,
  },
  location: LOC,
};

export function startupUnder(seconds: string): ObjectiveSpec {
  return {
    name: `workspace-start-under-${seconds}s`,
    target: '0.95',
    budgetingMethod: 'Occurrences',
    window: rolling28d,
    sli: { kind: 'threshold', metric: prom('gitpod_ws_manager_workspace_startup_seconds'), op: 'lte', threshold: seconds },
    location: LOC,
  };
}

export const READY: ObjectiveSpec = {
  name: 'workspace-ready',
  target: '0.95',
  budgetingMethod: 'Occurrences',
  window: rolling28d,
  sli: {
    kind: 'ratio',
    form: 'good',
    good: prom('sum(gitpod_ws_ready_seconds_bucket{le="16"})'),
    total: prom('sum(gitpod_ws_ready_seconds_count)'),
    counter: true,
  },
  location: LOC,
};

export const API_SLICES: ObjectiveSpec = {
  name: 'api-latency-share',
  target: '0.99',
  budgetingMethod: 'Timeslices',
  timeSliceTarget: '0.95',
  timeSliceWindowMinutes: 5,
  window: { kind: 'rolling', minutes: 1440, label: '1d' },
  sli: {
    kind: 'ratio',
    form: 'good',
    good: prom('sum(api_request_duration_seconds_bucket{le="0.1"})'),
    total: prom('sum(api_request_duration_seconds_count)'),
    counter: true,
  },
  location: LOC,
};
