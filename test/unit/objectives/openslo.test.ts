/**
 * OpenSLO v1 -> ObjectiveSpec (src/sdk/objectives/openslo.ts, docs/objectives.md): every supported
 * kind to its exact spec (targets as exact decimal strings, windows in minutes), Gitpod's and
 * GitLab's objectives from test/fixtures/openslo, and every refused document with its file:line:col
 * and reason.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOpenSlo } from '../../../src/sdk/objectives/openslo';
import type { ObjectivesResult } from '../../../src/sdk/objectives/openslo';
import type { ObjectiveFinding } from '../../../src/sdk/objectives/findings';
import type { ObjectiveSpec } from '../../../src/sdk/objectives/spec';

const FIXTURES = join(__dirname, '../../fixtures/openslo');
const WINDOW_28D = { label: '28d', minutes: 40320 };

function readFixture(...names: string[]): ObjectivesResult {
  return readOpenSlo(
    names.map((n) => ({ file: n, text: readFileSync(join(FIXTURES, n), 'utf8') })),
    { defaultWindow: WINDOW_28D },
  );
}

function read(text: string): ObjectivesResult {
  return readOpenSlo([{ file: 'slo.yaml', text }], { defaultWindow: WINDOW_28D });
}

function byName(r: ObjectivesResult, name: string): ObjectiveSpec {
  const o = r.objectives.find((x) => x.name === name);
  assert.ok(o, `objective ${name} among ${r.objectives.map((x) => x.name).join(', ')}`);
  return o;
}

function errorsOf(r: ObjectivesResult): ObjectiveFinding[] {
  return r.findings.filter((f) => f.severity === 'error');
}

/** The one error of a text: its `line:col`, code and message, and no objective built. */
function refused(text: string): { at: string; code: string; message: string } {
  const r = read(text);
  const errors = errorsOf(r);
  assert.equal(errors.length, 1, `one error expected, got:\n${r.findings.map((f) => `${f.line}:${f.column} ${f.message}`).join('\n')}`);
  assert.deepEqual(r.objectives, []);
  const e = errors[0]!;
  assert.equal(e.file, 'slo.yaml');
  return { at: `${e.line}:${e.column}`, code: e.code, message: e.message };
}

/** An SLO with an inline good/total SLI; `objective` and `window` replace their blocks (indented as in the text). */
function slo(opts: { objective?: string; window?: string; method?: string; extra?: string; header?: string } = {}): string {
  const objective = opts.objective ?? '    - target: 0.99';
  const window = opts.window ?? '    - duration: 28d\n      isRolling: true';
  return [
    opts.header ?? 'apiVersion: openslo/v1\nkind: SLO',
    'metadata:',
    '  name: checkout',
    'spec:',
    '  service: shop',
    '  indicator:',
    '    metadata:',
    '      name: checkout-ok',
    '    spec:',
    '      ratioMetric:',
    '        counter: true',
    '        good:',
    '          metricSource:',
    '            type: Prometheus',
    '            spec:',
    '              query: sum(ok)',
    '        total:',
    '          metricSource:',
    '            type: Prometheus',
    '            spec:',
    '              query: sum(all)',
    '  timeWindow:',
    window,
    `  budgetingMethod: ${opts.method ?? 'Occurrences'}`,
    '  objectives:',
    objective,
    ...(opts.extra !== undefined ? [opts.extra] : []),
    '',
  ].join('\n');
}
// Lines of slo(): 1 apiVersion, 2 kind, 3 metadata, 4 name, 5 spec, 6 service (the spec's
// location), ... 23 timeWindow, 24 first window line, 25 isRolling (default window),
// 26 budgetingMethod, 27 objectives, 28 the first objective line.

describe('OpenSLO: valid documents of every supported kind -> exact ObjectiveSpec', () => {
  test('a ratio good/total SLO with an inline SLI, rolling 28d = 40,320 minutes, target 0.99', () => {
    const r = read(slo());
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.objectives, [
      {
        name: 'checkout',
        target: '0.99',
        budgetingMethod: 'Occurrences',
        window: { kind: 'rolling', minutes: 40320, label: '28d' },
        sli: {
          kind: 'ratio',
          form: 'good',
          good: { sourceType: 'prometheus', spec: { query: 'sum(ok)' } },
          total: { sourceType: 'prometheus', spec: { query: 'sum(all)' } },
          counter: true,
        },
        location: { file: 'slo.yaml', line: 6, column: 3 },
        service: 'shop',
      },
    ]);
  });

  test('4w and 7d rolling windows in minutes; targets kept exact (0.9995, targetPercent 99.95 -> "0.9995", 99.8 -> "0.998")', () => {
    assert.deepEqual(read(slo({ window: '    - duration: 4w\n      isRolling: true' })).objectives[0]!.window, { kind: 'rolling', minutes: 40320, label: '4w' });
    assert.deepEqual(read(slo({ window: '    - duration: 7d\n      isRolling: true' })).objectives[0]!.window, { kind: 'rolling', minutes: 10080, label: '7d' });
    assert.equal(read(slo({ objective: '    - target: 0.9995' })).objectives[0]!.target, '0.9995');
    assert.equal(read(slo({ objective: '    - targetPercent: 99.95' })).objectives[0]!.target, '0.9995');
    assert.equal(read(slo({ objective: '    - targetPercent: 99.8' })).objectives[0]!.target, '0.998');
    // Written with a trailing zero, still exact (never through a float).
    assert.equal(read(slo({ objective: '    - targetPercent: 99.90' })).objectives[0]!.target, '0.999');
  });

  test('a calendar month: 1M from startTime in timeZone (M is months)', () => {
    const r = read(slo({ window: '    - duration: 1M\n      isRolling: false\n      calendar:\n        startTime: 2026-01-01 00:00:00\n        timeZone: UTC' }));
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.objectives[0]!.window, { kind: 'calendar', unit: 'M', count: 1, startTime: '2026-01-01T00:00:00', timeZone: 'UTC', label: '1M' });
  });

  test('every kind of the fixture: DataSource, SLI by reference, raw failure ratio, RatioTimeslices, calendar month, two objectives, inline alert policy', () => {
    const r = readFixture('kinds.yaml');
    assert.deepEqual(errorsOf(r), []);
    assert.deepEqual(
      r.objectives.map((o) => o.name),
      ['checkout-errors', 'search/search-availability-monthly', 'search/1'],
    );
    const checkout = byName(r, 'checkout-errors');
    assert.deepEqual(checkout, {
      name: 'checkout-errors',
      target: '0.999',
      budgetingMethod: 'RatioTimeslices',
      window: { kind: 'calendar', unit: 'M', count: 1, startTime: '2026-01-01T00:00:00', timeZone: 'Europe/Berlin', label: '1M' },
      sli: {
        kind: 'ratio',
        form: 'raw',
        rawType: 'failure',
        raw: { sourceType: 'budget-lens-store', sourceName: 'store', spec: { query: 'error_ratio{component="checkout"}' } },
        counter: false,
      },
      // A bare number of timeSliceWindow is minutes.
      timeSliceWindowMinutes: 10,
      service: 'shop',
      location: { file: 'kinds.yaml', line: 30, column: 3 },
    });
    const [first, second] = [byName(r, 'search/search-availability-monthly'), byName(r, 'search/1')];
    assert.equal(first.target, '0.99');
    assert.equal(first.displayName, 'Search Availability (monthly)');
    assert.equal(second.target, '0.995');
    assert.equal(second.displayName, 'Search');
    assert.equal(first.sli.kind === 'ratio' && first.sli.counter, false);
    // No timeWindow: the project window, said as a note.
    assert.deepEqual(first.window, { kind: 'rolling', minutes: 40320, label: '28d' });
    assert.ok(r.findings.some((f) => f.code === 'objective_note' && f.severity === 'info' && /no timeWindow, so the project window applies: rolling 28d/.test(f.message)));
    assert.deepEqual(first.alerts, [
      {
        policy: 'search-slow-burn',
        condition: 'burn-1x-3d',
        severity: 'ticket',
        op: 'gt',
        threshold: '1',
        lookbackWindowMinutes: 4320,
        alertWhenNoData: false,
        alertWhenBreaching: false,
        alertWhenResolved: false,
        notificationTargets: [{ name: 'search-team', target: '#search-team' }],
      },
    ]);
  });
});

describe('OpenSLO: Gitpod objectives (test/fixtures/openslo/gitpod)', () => {
  const r = readFixture('gitpod/workspaces.yaml');

  test('no finding; three objectives', () => {
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.objectives.map((o) => [o.name, o.target]),
      [
        ['workspace-starts', '0.998'],
        ['workspace-start-time', '0.95'],
        ['workspace-keeps-working', '0.998'],
      ],
    );
  });

  test('99.8 % of workspaces start successfully: bad/total counters through the DataSource, the catalog annotations, a burn-rate alert by reference', () => {
    assert.deepEqual(byName(r, 'workspace-starts'), {
      name: 'workspace-starts',
      displayName: 'Start success',
      description: 'A workspace start that ends in a running workspace, of all starts',
      service: 'workspaces',
      target: '0.998',
      budgetingMethod: 'Occurrences',
      window: { kind: 'rolling', minutes: 40320, label: '28d' },
      sli: {
        kind: 'ratio',
        form: 'bad',
        bad: { sourceType: 'prometheus', sourceName: 'gitpod-prometheus', spec: { query: 'sum(gitpod_ws_manager_workspace_starts_failure_total)' } },
        total: { sourceType: 'prometheus', sourceName: 'gitpod-prometheus', spec: { query: 'sum(gitpod_ws_manager_workspace_starts_total)' } },
        counter: true,
      },
      category: 'workspace_start',
      group: 'workspace',
      location: { file: 'gitpod/workspaces.yaml', line: 30, column: 3 },
      alerts: [
        {
          policy: 'fast-burn',
          condition: 'burn-14x-1h',
          severity: 'page',
          op: 'gte',
          threshold: '14.4',
          lookbackWindowMinutes: 60,
          alertAfterMinutes: 5,
          alertWhenNoData: false,
          alertWhenBreaching: true,
          alertWhenResolved: false,
          notificationTargets: [{ name: 'workspace-oncall', target: 'pagerduty' }],
        },
      ],
    });
  });

  test('95 % start in under 2 min: the histogram bucket le="128" over its count, SLI by indicatorRef, 4w = 40,320 minutes', () => {
    const o = byName(r, 'workspace-start-time');
    assert.equal(o.target, '0.95');
    assert.deepEqual(o.window, { kind: 'rolling', minutes: 40320, label: '4w' });
    assert.deepEqual(o.sli, {
      kind: 'ratio',
      form: 'good',
      good: { sourceType: 'prometheus', sourceName: 'gitpod-prometheus', spec: { query: 'sum(gitpod_ws_manager_workspace_startup_seconds_bucket{le="128"})' } },
      total: { sourceType: 'prometheus', sourceName: 'gitpod-prometheus', spec: { query: 'sum(gitpod_ws_manager_workspace_startup_seconds_count)' } },
      counter: true,
    });
    assert.equal(o.category, 'workspace_start');
  });

  test('99.8 % keep working after start: failed stops over all stops', () => {
    const o = byName(r, 'workspace-keeps-working');
    assert.equal(o.sli.kind === 'ratio' && o.sli.form, 'bad');
    assert.equal(o.alerts, undefined);
  });
});

describe("OpenSLO: GitLab's handbook time-slice objective (test/fixtures/openslo/gitlab)", () => {
  const r = readFixture('gitlab/api-latency.yaml');

  test('99.95 % of 5-minute p95 latencies < 100 ms over 28 d: Timeslices over a thresholdMetric', () => {
    assert.deepEqual(r.findings, []);
    const o = byName(r, 'api-latency-p95');
    assert.deepEqual(
      { target: o.target, method: o.budgetingMethod, window: o.window, slice: o.timeSliceWindowMinutes, sliceTarget: o.timeSliceTarget, sli: o.sli },
      {
        target: '0.9995',
        method: 'Timeslices',
        window: { kind: 'rolling', minutes: 40320, label: '28d' },
        slice: 5,
        sliceTarget: '1',
        sli: {
          kind: 'threshold',
          metric: { sourceType: 'prometheus', spec: { query: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="gitlab-api"}[5m])))' } },
          op: 'lt',
          threshold: '0.1',
        },
      },
    );
  });

  test('the same as a ratio: a slice is good when 95 % of its requests took at most 100 ms', () => {
    const o = byName(r, 'api-latency-share');
    assert.equal(o.target, '0.9995');
    assert.equal(o.budgetingMethod, 'Timeslices');
    assert.equal(o.timeSliceTarget, '0.95');
    assert.equal(o.timeSliceWindowMinutes, 5);
    assert.equal(o.sli.kind === 'ratio' && o.sli.form, 'good');
  });
});

describe('OpenSLO: refused documents, each with file:line:col and the reason', () => {
  test('timeSliceWindow longer than the window', () => {
    const e = refused(slo({ window: '    - duration: 1h\n      isRolling: true', method: 'RatioTimeslices', objective: '    - target: 0.99\n      timeSliceWindow: 2h' }));
    assert.equal(e.at, '29:24');
    assert.match(e.message, /a time slice of 120 min is longer than the 1h window \(60 min\)/);
  });

  test('a slice longer than the shortest calendar month (28 d) is refused too', () => {
    const e = refused(
      slo({
        window: '    - duration: 1M\n      calendar:\n        startTime: 2026-01-01 00:00:00\n        timeZone: UTC',
        method: 'RatioTimeslices',
        objective: '    - target: 0.99\n      timeSliceWindow: 29d',
      }),
    );
    assert.match(e.message, /longer than the 1M window \(40320 min at its shortest\)/);
  });

  test('target 100 % and more, target 1, target 0', () => {
    let e = refused(slo({ objective: '    - targetPercent: 100' }));
    assert.equal(e.at, '28:22');
    assert.match(e.message, /targetPercent must be greater than 0 and less than 100: a target of 100 % or more leaves no error budget/);
    e = refused(slo({ objective: '    - target: 1' }));
    assert.match(e.message, /spec\.objectives\[0\]\.target: 1 is out of range: target must be greater than 0 and less than 1/);
    e = refused(slo({ objective: '    - target: 0' }));
    assert.match(e.message, /0 is out of range/);
    e = refused(slo({ objective: '    - target: 0.99\n      targetPercent: 99' }));
    assert.match(e.message, /give either target or targetPercent, not both/);
    e = refused(slo({ objective: '    - displayName: none' }));
    assert.match(e.message, /missing target \(a ratio, 0\.998\) or targetPercent/);
  });

  test('an unknown kind, a missing kind, another apiVersion', () => {
    let e = refused('apiVersion: openslo/v1\nkind: ServiceLevelObjective\nmetadata:\n  name: x\nspec: {}\n');
    assert.deepEqual([e.at, e.code], ['2:7', 'objective_invalid']);
    assert.match(e.message, /unknown kind "ServiceLevelObjective": OpenSLO v1 kinds are SLO, SLI, DataSource, Service, AlertPolicy, AlertCondition, AlertNotificationTarget/);
    e = refused(slo({ header: 'apiVersion: openslo/v1alpha\nkind: SLO' }));
    assert.deepEqual([e.at, e.code], ['1:13', 'objective_unsupported']);
    assert.match(e.message, /apiVersion "openslo\/v1alpha" is not supported: Budget Lens reads openslo\/v1 only/);
    e = refused(slo({ header: 'apiVersion: v1\nkind: SLO' }));
    assert.match(e.message, /apiVersion must be "openslo\/v1", got "v1"/);
  });

  test('a missing reference: indicatorRef, metricSourceRef, alertPolicyRef, conditionRef, targetRef', () => {
    let e = refused('apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: a\nspec:\n  service: s\n  indicatorRef: nope\n  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.9\n');
    assert.deepEqual([e.at, e.code], ['7:17', 'objective_unresolved']);
    assert.match(e.message, /indicatorRef "nope" names no SLI document \(no SLI is defined\)/);
    const withRef = slo().replace('            type: Prometheus\n            spec:\n              query: sum(ok)', '            metricSourceRef: prom\n            spec:\n              query: sum(ok)');
    e = refused(withRef);
    assert.deepEqual([e.at, e.code], ['15:30', 'objective_unresolved']);
    assert.match(e.message, /metricSourceRef "prom" names no DataSource document/);
    e = refused(slo({ extra: '  alertPolicies:\n    - alertPolicyRef: paging' }));
    assert.deepEqual([e.at, e.code], ['30:23', 'objective_unresolved']);
    assert.match(e.message, /alertPolicyRef "paging" names no AlertPolicy document/);
    const r = read('apiVersion: openslo/v1\nkind: AlertPolicy\nmetadata:\n  name: p\nspec:\n  conditions:\n    - conditionRef: c\n  notificationTargets:\n    - targetRef: t\n');
    assert.deepEqual(
      errorsOf(r).map((f) => [`${f.line}:${f.column}`, f.message]),
      [
        ['7:21', 'AlertPolicy "p": spec.conditions[0].conditionRef: conditionRef "c" names no AlertCondition document'],
        ['9:18', 'AlertPolicy "p": spec.notificationTargets[0].targetRef: targetRef "t" names no AlertNotificationTarget document'],
      ],
    );
  });

  test('a composite SLO (an indicator per objective) is refused, naming its line', () => {
    const text = 'apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: journey\nspec:\n  service: s\n  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.99\n      indicatorRef: login\n    - target: 0.99\n      indicatorRef: checkout\n';
    const e = refused(text);
    assert.deepEqual([e.at, e.code], ['10:7', 'objective_unsupported']);
    assert.match(e.message, /composite SLOs \(an indicator per objective\) are not supported/);
  });

  test('m is minutes, M months: a rolling 1M is refused (no fixed length), a 28m window is warned about, 1M calendar is a month', () => {
    let e = refused(slo({ window: '    - duration: 1M\n      isRolling: true' }));
    assert.deepEqual([e.at, e.code], ['24:17', 'objective_unsupported']);
    assert.match(e.message, /a rolling window of 1M \(1 month\) is not supported: months, quarters and years have no fixed length; write it in days or weeks/);
    const r = read(slo({ window: '    - duration: 28m\n      isRolling: true' }));
    assert.deepEqual(r.objectives[0]!.window, { kind: 'rolling', minutes: 28, label: '28m' });
    assert.deepEqual(
      r.findings.map((f) => [f.severity, `${f.line}:${f.column}`, f.message]),
      [['warning', '24:17', 'SLO "checkout": the window 28m (28 minutes) is in minutes; months are written with a capital M (1M)']],
    );
    e = refused(slo({ window: '    - duration: 28 d\n      isRolling: true' }));
    assert.match(e.message, /duration "28 d" is not valid: a positive whole number and one unit: m \(minutes\), h, d, w, M \(months\), Q or Y/);
    e = refused(slo({ method: 'Timeslices', objective: '    - target: 0.99\n      timeSliceTarget: 0.9\n      timeSliceWindow: 1M' }));
    assert.match(e.message, /a time slice of 1M \(1 month\) is not supported: slices are in m \(minutes\), h, d or w/);
  });

  test('exactly one time window; a window that is neither rolling nor calendar; bad calendar fields', () => {
    let e = refused(slo({ window: '    - duration: 28d\n      isRolling: true\n    - duration: 7d\n      isRolling: true' }));
    assert.deepEqual([e.at], ['24:5']);
    assert.match(e.message, /timeWindow must hold exactly one window, it holds 2/);
    e = refused(slo({ window: '    - duration: 28d' }));
    assert.match(e.message, /'calendar' must be set when 'isRolling' is false or missing \(a rolling window needs isRolling: true\)/);
    e = refused(slo({ window: '    - duration: 1M\n      isRolling: true\n      calendar:\n        startTime: 2026-01-01 00:00:00\n        timeZone: UTC' }));
    assert.match(e.message, /'calendar' cannot be set when 'isRolling' is true/);
    const r = read(slo({ window: '    - duration: 1M\n      calendar:\n        startTime: 2026-02-30 00:00:00\n        timeZone: Mars/Olympus' }));
    assert.deepEqual(
      errorsOf(r).map((f) => `${f.line}:${f.column} ${f.message.replace(/^SLO "checkout": /, '')}`),
      [
        '26:20 spec.timeWindow[0].calendar.startTime: startTime "2026-02-30 00:00:00": February 2026 has 28 days, not 30',
        '27:19 spec.timeWindow[0].calendar.timeZone: timeZone "Mars/Olympus" is not an IANA time zone (e.g. UTC, Europe/Berlin)',
      ],
    );
  });

  test('op and value: required with a thresholdMetric, refused with a ratioMetric; a thresholdMetric has one objective', () => {
    const threshold = (objective: string): string =>
      `apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: p95\nspec:\n  service: api\n  indicator:\n    metadata:\n      name: p95\n    spec:\n      thresholdMetric:\n        metricSource:\n          type: Prometheus\n          spec:\n            query: q\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n  budgetingMethod: Occurrences\n  objectives:\n${objective}\n`;
    let e = refused(threshold('    - target: 0.99\n      value: 0.1'));
    assert.deepEqual([e.at], ['21:7']);
    assert.match(e.message, /op \(lt, lte, gt or gte\) is required with a thresholdMetric/);
    e = refused(threshold('    - target: 0.99\n      op: lt'));
    assert.match(e.message, /value is required with a thresholdMetric/);
    e = refused(threshold('    - target: 0.99\n      op: below\n      value: 1'));
    assert.match(e.message, /spec\.objectives\[0\]\.op: must be one of lt, lte, gt, gte, got the string "below"/);
    e = refused(threshold('    - target: 0.99\n      op: lt\n      value: 1\n    - target: 0.9\n      op: lt\n      value: 2'));
    assert.match(e.message, /an SLO with a thresholdMetric has exactly one objective/);
    e = refused(slo({ objective: '    - target: 0.99\n      op: lt' }));
    assert.deepEqual([e.at], ['29:7']);
    assert.match(e.message, /op is only used with a thresholdMetric; this SLI is a ratioMetric/);
  });

  test('Timeslices need timeSliceTarget in (0, 1] and timeSliceWindow; Occurrences take neither', () => {
    let e = refused(slo({ method: 'Timeslices', objective: '    - target: 0.99\n      timeSliceWindow: 5m' }));
    assert.match(e.message, /timeSliceTarget is required with budgetingMethod Timeslices/);
    e = refused(slo({ method: 'Timeslices', objective: '    - target: 0.99\n      timeSliceTarget: 1.5\n      timeSliceWindow: 5m' }));
    assert.match(e.message, /1\.5 is out of range: timeSliceTarget must be greater than 0 and at most 1/);
    e = refused(slo({ method: 'RatioTimeslices', objective: '    - target: 0.99' }));
    assert.match(e.message, /timeSliceWindow is required with budgetingMethod RatioTimeslices/);
    e = refused(slo({ objective: '    - target: 0.99\n      timeSliceWindow: 5m' }));
    assert.match(e.message, /timeSliceWindow is only used with budgetingMethod Timeslices or RatioTimeslices, not Occurrences/);
  });

  test('names are DNS labels; unknown keys name the allowed ones; a name defined twice', () => {
    let e = refused(slo().replace('  name: checkout\n', '  name: Checkout_API\n'));
    assert.equal(e.at, '4:9');
    assert.match(e.message, /metadata\.name: the string "Checkout_API" is not valid: a name of up to 63 lower case letters, digits and "-"/);
    e = refused(slo({ objective: '    - targetPercnt: 99' }));
    assert.equal(e.at, '28:7');
    assert.match(e.message, /unknown key "targetPercnt" in spec\.objectives\[0\] \(expected one of: displayName, op, value, target, targetPercent, timeSliceTarget/);
    const r = read(`${slo()}---\n${slo()}`);
    assert.deepEqual(
      errorsOf(r).map((f) => [`${f.line}:${f.column}`, f.code, f.message]),
      [['33:9', 'objective_duplicate', 'SLO "checkout" is defined twice (first at slo.yaml:4:9)']],
    );
    assert.equal(r.objectives.length, 1);
  });

  test('ratioMetric rules: good xor bad over total, raw with rawType', () => {
    let e = refused(slo().replace('        total:', '        bad:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: sum(bad)\n        total:'));
    assert.match(e.message, /give either good or bad over total, not both/);
    e = refused(slo().replace(/ {8}total:[\s\S]*?sum\(all\)\n/, ''));
    assert.match(e.message, /ratioMetric needs total \(with good or bad\) or raw \(with rawType\)/);
  });

  test('a YAML error in one document is reported at its line; the other documents are still read', () => {
    const r = read(`${slo()}---\napiVersion: openslo/v1\nkind: SLO\nmetadata: {name: [x\n`);
    assert.equal(r.objectives.length, 1);
    const errors = errorsOf(r);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /^invalid YAML/);
    assert.ok(errors[0]!.line >= 33);
  });
});
