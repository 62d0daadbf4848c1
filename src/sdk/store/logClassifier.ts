/**
 * Turns one parsed GitLab log line into an SLI event (domain.md sections 1 and 5).
 *
 * Rails, Grape and GraphQL request lines: a 5xx is an error and not an apdex measurement; any
 * other status is an apdex measurement, successful iff `duration_s < threshold` (strictly). Every
 * request is an operation. Sidekiq: `fail` is an error, `done` an apdex measurement; both are
 * operations; other statuses (`start`) are ignored. GraphQL executions (`graphql_json.log`, a
 * line with `query_fingerprint`, domain.md section 5): component graphql_query, id `meta.caller_id`;
 * an exception or a GraphQL error other than GitLab's ignored one is an error, an ignored error
 * is an operation only, anything else an apdex measurement, successful iff `duration_s <=
 * threshold` (inclusive, as GitLab's instrumentation tracer compares). Pure: no I/O, so the rules
 * test in isolation.
 */
import type { Component, Urgency } from '../contract/budgetTypes';
import type { TimeRejection, TimeRejectionCode } from '../budget/saneTime';
import { dateRejection, instantRejection } from '../budget/saneTime';
import { DEFAULT_URGENCY, apdexThresholdSeconds } from '../budget/urgency';

const REQUEST_DEFAULT_URGENCY: Urgency = DEFAULT_URGENCY.request;
const SIDEKIQ_DEFAULT_URGENCY: Urgency = DEFAULT_URGENCY.sidekiq;

/** One classified line. `hour` is the epoch hour (ms / 3,600,000, floored) of its `time`. */
export interface SliEvent {
  kind: 'event';
  hour: number;
  component: Component;
  endpointId: string;
  category: string;
  urgency: string;
  /** 1 when an apdex measurement succeeded. */
  s: 0 | 1;
  /** 1 when the line is an apdex measurement. */
  w: 0 | 1;
  /** Every classified line is one operation. */
  o: 1;
  /** 1 when the line is an error (5xx, failed job). */
  e: 0 | 1;
}

/** One allocation per line: the event is itself the classification. */
export type Classification = SliEvent | { kind: 'ignored' } | { kind: 'malformed'; reason: string; code?: TimeRejectionCode };

const IGNORED: Classification = { kind: 'ignored' };

function malformed(reason: string): Classification {
  return { kind: 'malformed', reason };
}

function timeMalformed(hours: HourParser): Classification {
  return hours.rejectionCode ? { kind: 'malformed', reason: hours.rejection, code: hours.rejectionCode } : malformed(hours.rejection);
}

type LogLine = Record<string, unknown>;

/**
 * Reads `meta.x` either flat (`"meta.caller_id"`, GitLab's format) or nested (`meta: {caller_id}`).
 * The flat key is a literal at each call site: a computed key would be built and looked up as a
 * fresh string on every line of a million-line file.
 */
function nestedMeta(line: LogLine, name: 'caller_id' | 'feature_category'): unknown {
  const meta = line['meta'];
  return meta !== null && typeof meta === 'object' ? (meta as LogLine)[name] : undefined;
}

function callerIdOf(line: LogLine): unknown {
  const flat = line['meta.caller_id'];
  return flat !== undefined ? flat : nestedMeta(line, 'caller_id');
}

function featureCategoryOf(line: LogLine): unknown {
  const flat = line['meta.feature_category'];
  return flat !== undefined ? flat : nestedMeta(line, 'feature_category');
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

// ISO 8601 with seconds and an explicit offset, as GitLab writes it; the fields' ranges are checked apart.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-]([01]\d):([0-5]\d))$/;
const HOUR_MS = 3_600_000;
const INVALID_TIME = 'missing or invalid "time" (ISO 8601 with offset expected)';

const D0 = 48;
const D9 = 57;

function digitsAt(t: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i);
    if (c < D0 || c > D9) return false;
  }
  return true;
}

function twoDigits(t: string, at: number): number {
  return (t.charCodeAt(at) - D0) * 10 + (t.charCodeAt(at + 1) - D0);
}

/** `:MM:SS[.fraction]Z` from index 13 on: the part after a `YYYY-MM-DDTHH` prefix. */
function isUtcIsoTail(t: string): boolean {
  const n = t.length;
  if (n < 20 || t.charCodeAt(n - 1) !== 90 /* Z */ || t[13] !== ':' || t[16] !== ':') return false;
  if (!digitsAt(t, 14, 16) || !digitsAt(t, 17, 19) || twoDigits(t, 14) > 59 || twoDigits(t, 17) > 59) return false;
  if (n === 20) return true;
  return t[19] === '.' && n <= 30 && n > 21 && digitsAt(t, 20, n - 1);
}

/** `YYYY-MM-DDTHH:MM:SS[.fraction]Z` by character codes: the shape GitLab writes (fields checked apart). */
function isUtcIsoShape(t: string): boolean {
  if (!isUtcIsoTail(t)) return false;
  if (t[4] !== '-' || t[7] !== '-' || t[10] !== 'T') return false;
  return digitsAt(t, 0, 4) && digitsAt(t, 5, 7) && digitsAt(t, 8, 10) && digitsAt(t, 11, 13);
}

/** The malformed-line reason of a refused `time`: `<code>: "time" <value>: <why>`. */
function timeReason(r: TimeRejection, time: string): string {
  return `${r.code}: "time" ${time.length > 40 ? `${time.slice(0, 40)}…` : time}: ${r.message}`;
}

/** Date.parse rolls 2026-02-30 over to 03-02 and takes any year: both are refused first. */
function fieldRejection(year: number, month: number, day: number, hour: number): TimeRejection | undefined {
  const bad = dateRejection(year, month, day);
  if (bad) return bad;
  return hour > 23 ? { code: 'impossible_date', message: `hour ${hour} does not exist` } : undefined;
}

/**
 * Parses `time` to an epoch hour: a date that exists, in the years 1970-2100 (saneTime.ts). Logs
 * are written in time order, so consecutive lines share an hour prefix; caching the last UTC
 * prefix keeps the checks and Date.parse off the hot path. On undefined, `rejection` says why.
 */
export class HourParser {
  private lastPrefix = '';
  private lastHour = 0;
  /** The malformed-line reason of the last `parse` that returned undefined. */
  rejection = INVALID_TIME;
  /** The code of that reason, when the time had the right shape but a refused value. */
  rejectionCode: TimeRejectionCode | undefined;

  private refuse(r: TimeRejection | undefined, time: string): undefined {
    this.rejection = r ? timeReason(r, time) : INVALID_TIME;
    this.rejectionCode = r?.code;
    return undefined;
  }

  parse(time: unknown): number | undefined {
    if (typeof time !== 'string') return this.refuse(undefined, '');
    // Same hour as the previous line (the common case): the prefix was validated then.
    if (this.lastPrefix !== '' && time.startsWith(this.lastPrefix) && isUtcIsoTail(time)) return this.lastHour;
    if (isUtcIsoShape(time)) {
      const prefix = time.slice(0, 13);
      if (prefix === this.lastPrefix) return this.lastHour;
      const year = twoDigits(time, 0) * 100 + twoDigits(time, 2);
      const bad = fieldRejection(year, twoDigits(time, 5), twoDigits(time, 8), twoDigits(time, 11));
      if (bad) return this.refuse(bad, time);
      const ms = Date.parse(`${prefix}:00:00Z`);
      if (Number.isNaN(ms)) return this.refuse(undefined, time);
      this.lastPrefix = prefix;
      this.lastHour = ms / HOUR_MS;
      return this.lastHour;
    }
    // Other offsets (+02:00): rarer, so the general path.
    const m = ISO_TIME.exec(time);
    if (!m || Number(m[5]) > 59 || Number(m[6]) > 59 || Number(m[7] ?? 0) > 23) return this.refuse(undefined, time);
    const bad = fieldRejection(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]));
    if (bad) return this.refuse(bad, time);
    const ms = Date.parse(time);
    // 2100-12-31T23:30:00-01:00 is already 2101 in UTC.
    const out = instantRejection(ms);
    if (out) return this.refuse(out, time);
    return Math.floor(ms / HOUR_MS);
  }
}

function requestComponent(endpointId: string): Component {
  return endpointId.startsWith('graphql:') ? 'graphql_query' : 'rails_request';
}

/** Endpoint id of a request line: caller id, else `Controller#action`, else `METHOD route`. */
function requestEndpointId(line: LogLine): string | undefined {
  const callerId = nonEmptyString(callerIdOf(line));
  if (callerId) return callerId;
  const controller = nonEmptyString(line['controller']);
  const action = nonEmptyString(line['action']);
  if (controller && action) return `${controller}#${action}`;
  const method = nonEmptyString(line['method']);
  const route = nonEmptyString(line['route']);
  if (method && route) return `${method} ${route}`;
  return undefined;
}

function isRequestLine(line: LogLine): boolean {
  return line['status'] !== undefined || line['controller'] !== undefined || line['route'] !== undefined;
}

/** A GraphQL execution line of graphql_json.log: GitLab's tracer always logs the query's fingerprint. */
function isGraphqlLine(line: LogLine): boolean {
  return line['query_fingerprint'] !== undefined && line['status'] === undefined && line['job_status'] === undefined;
}

/**
 * The one error message GitLab's instrumentation tracer does not count as an error
 * (`Subscriptions::BaseSubscription::UNAUTHORIZED_ERROR_MESSAGE`): such a query is neither an
 * error nor an apdex measurement.
 */
const IGNORED_GRAPHQL_ERROR = 'Unauthorized subscription';

/** 'error', 'ignored' (only ignored errors) or undefined (no errors), as GitLab's tracer decides. */
function graphqlErrorType(line: LogLine): 'error' | 'ignored' | undefined {
  const exception = line['exception.class'];
  const errors = line['graphql_errors'];
  const messages = Array.isArray(errors) ? errors.map((e) => (e !== null && typeof e === 'object' ? (e as LogLine)['message'] : e)) : [];
  if (typeof exception === 'string' && exception !== '') return 'error';
  if (messages.length === 0) return undefined;
  return messages.some((m) => m !== IGNORED_GRAPHQL_ERROR) ? 'error' : 'ignored';
}

/** Operation name -> urgency: GitLab does not log a query's urgency, it looks it up by operation. */
export type GraphqlUrgencyLookup = (operationName: string) => string | undefined;

function classifyGraphql(line: LogLine, hour: number, urgencyOf: GraphqlUrgencyLookup | undefined): Classification {
  const callerId = nonEmptyString(callerIdOf(line));
  const operation = nonEmptyString(line['operation_name']);
  // GitLab's caller id is `graphql:<Operation>` for a registered operation, `graphql:unknown` else.
  const endpointId = callerId?.startsWith('graphql:') ? callerId : `graphql:${operation ?? 'unknown'}`;
  const category = categoryOf(line);
  if (category === undefined) return malformed('"meta.feature_category" is not a string');
  const name = endpointId.slice('graphql:'.length);
  const logged = line['request_urgency'];
  const urgency = typeof logged === 'string' ? logged : (urgencyOf?.(name) ?? REQUEST_DEFAULT_URGENCY);
  const component: Component = 'graphql_query';
  const errorType = graphqlErrorType(line);
  if (errorType === 'error') return { kind: 'event', hour, component, endpointId, category, urgency, s: 0, w: 0, o: 1, e: 1 };
  if (errorType === 'ignored') return { kind: 'event', hour, component, endpointId, category, urgency, s: 0, w: 0, o: 1, e: 0 };
  const duration = line['duration_s'];
  if (typeof duration !== 'number' || !(duration >= 0)) return malformed('missing or invalid "duration_s"');
  const threshold = apdexThresholdSeconds(component, urgency);
  if (threshold === undefined) return malformed(`unknown urgency "${urgency}" for a GraphQL operation`);
  // instrumentation_tracer.rb: `success: duration_s <= query_urgency.duration` (inclusive, unlike Rails requests).
  const s = duration <= threshold ? 1 : 0;
  return { kind: 'event', hour, component, endpointId, category, urgency, s, w: 1, o: 1, e: 0 };
}

function isSidekiqLine(line: LogLine): boolean {
  return line['job_status'] !== undefined;
}

function categoryOf(line: LogLine): string | undefined {
  const c = featureCategoryOf(line);
  if (c === undefined || c === null || c === '') return 'unknown';
  return typeof c === 'string' ? c : undefined;
}

function thresholdFor(line: LogLine, component: Component, urgency: string): number | undefined {
  const target = line['target_duration_s'];
  if (typeof target === 'number' && target > 0) return target;
  return apdexThresholdSeconds(component, urgency);
}

function classifyRequest(line: LogLine, hour: number): Classification {
  const endpointId = requestEndpointId(line);
  if (!endpointId) return malformed('request line without meta.caller_id, controller#action or method+route');
  const status = line['status'];
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return malformed('missing or invalid "status"');
  }
  const component = requestComponent(endpointId);
  const category = categoryOf(line);
  if (category === undefined) return malformed('"meta.feature_category" is not a string');
  const urgencyRaw = line['request_urgency'] ?? REQUEST_DEFAULT_URGENCY;
  if (typeof urgencyRaw !== 'string') return malformed('"request_urgency" is not a string');
  const urgency = urgencyRaw;
  if (status >= 500) {
    return { kind: 'event', hour, component, endpointId, category, urgency, s: 0, w: 0, o: 1, e: 1 };
  }
  const duration = line['duration_s'];
  if (typeof duration !== 'number' || !(duration >= 0)) return malformed('missing or invalid "duration_s"');
  const threshold = thresholdFor(line, component, urgency);
  if (threshold === undefined) return malformed(`unknown request_urgency "${urgency}" and no target_duration_s`);
  const s = duration < threshold ? 1 : 0;
  return { kind: 'event', hour, component, endpointId, category, urgency, s, w: 1, o: 1, e: 0 };
}

function classifySidekiq(line: LogLine, hour: number): Classification {
  const status = line['job_status'];
  if (status !== 'done' && status !== 'fail') return IGNORED;
  const endpointId = nonEmptyString(line['class']);
  if (!endpointId) return malformed('sidekiq line without "class"');
  const category = categoryOf(line);
  if (category === undefined) return malformed('"meta.feature_category" is not a string');
  const urgencyRaw = line['urgency'] ?? SIDEKIQ_DEFAULT_URGENCY;
  if (typeof urgencyRaw !== 'string') return malformed('"urgency" is not a string');
  const urgency = urgencyRaw;
  const component: Component = 'sidekiq_execution';
  if (status === 'fail') {
    return { kind: 'event', hour, component, endpointId, category, urgency, s: 0, w: 0, o: 1, e: 1 };
  }
  const duration = line['duration_s'];
  if (typeof duration !== 'number' || !(duration >= 0)) return malformed('missing or invalid "duration_s"');
  const threshold = thresholdFor(line, component, urgency);
  if (threshold === undefined) return malformed(`unknown urgency "${urgency}" for a sidekiq job`);
  const s = duration < threshold ? 1 : 0;
  return { kind: 'event', hour, component, endpointId, category, urgency, s, w: 1, o: 1, e: 0 };
}

/** Classifies one parsed line; `hours` carries the time-prefix cache across a file's lines. */
export function classifyLogLine(parsed: unknown, hours: HourParser, graphqlUrgency?: GraphqlUrgencyLookup): Classification {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return malformed('not a JSON object');
  const line = parsed as LogLine;
  if (isGraphqlLine(line)) {
    const hour = hours.parse(line['time']);
    if (hour === undefined) return timeMalformed(hours);
    return classifyGraphql(line, hour, graphqlUrgency);
  }
  const sidekiq = isSidekiqLine(line);
  if (!sidekiq && !isRequestLine(line)) {
    // graphql_json.log's other lines (a timeout, a deprecated argument, GLQL): messages, not requests.
    if (typeof line['message'] === 'string' && line['duration_s'] === undefined) return IGNORED;
    return malformed('neither a request line (status), a GraphQL execution (query_fingerprint) nor a sidekiq line (job_status)');
  }
  if (sidekiq && line['job_status'] !== 'done' && line['job_status'] !== 'fail') return IGNORED;
  const hour = hours.parse(line['time']);
  if (hour === undefined) return timeMalformed(hours);
  return sidekiq ? classifySidekiq(line, hour) : classifyRequest(line, hour);
}
