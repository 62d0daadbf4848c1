/**
 * Formats realistic GitLab structured log lines (domain.md section 5) for the sample log set:
 * Rails `production_json.log` (controllers and GraphQL), Grape `api_json.log`, and `sidekiq.log`.
 * Field names and shapes follow GitLab's loggers; only `time`, `status`, `duration_s`,
 * `meta.caller_id`, `meta.feature_category`, urgency and `job_status` matter to the ingest.
 */
import { DEFAULT_URGENCY, apdexThresholdSeconds } from '../budget/urgency';

export type SampleEndpointKind = 'rails' | 'grape' | 'sidekiq' | 'graphql';

/** An endpoint of the inventory (a subset of mapping's Endpoint, as `budget-lens endpoints --json` prints it). */
export interface SampleEndpoint {
  id: string;
  kind: SampleEndpointKind;
  category: string;
  urgency: string;
}

/** The urgency a line carries: the inventory's when the component's table has it, else its default. */
export function effectiveUrgency(ep: SampleEndpoint): string {
  if (ep.kind === 'sidekiq') {
    return apdexThresholdSeconds('sidekiq_execution', ep.urgency) !== undefined ? ep.urgency : DEFAULT_URGENCY.sidekiq;
  }
  return apdexThresholdSeconds('rails_request', ep.urgency) !== undefined ? ep.urgency : DEFAULT_URGENCY.request;
}

export function thresholdOf(ep: SampleEndpoint): number {
  const component = ep.kind === 'sidekiq' ? 'sidekiq_execution' : 'rails_request';
  return apdexThresholdSeconds(component, effectiveUrgency(ep)) as number;
}

/** What one simulated request or job did. */
export interface SampleCall {
  timeMs: number;
  durationS: number;
  /** HTTP status, or for jobs: 200 = done, 500 = fail. */
  status: number;
  /** Small deterministic number used for ids, paths and jids. */
  n: number;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function correlationId(n: number, timeMs: number): string {
  return `01${(timeMs * 7 + n).toString(36).toUpperCase().padStart(12, '0')}${(n % 46656).toString(36).toUpperCase().padStart(3, '0')}`;
}

/** A JSON string literal. */
const q = (v: string): string => JSON.stringify(v);

function railsResource(controller: string): string {
  return controller
    .replace(/Controller$/, '')
    .split('::')
    .map((part) => part.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase())
    .join('/');
}

/**
 * The parts of an endpoint's lines that never change, JSON-encoded once: the generator writes
 * hundreds of thousands of lines, so per-line work is kept to numbers, times and concatenation.
 */
interface PreparedEndpoint {
  /** `,"meta.caller_id":...,"meta.feature_category":...,` plus urgency fields. */
  tail: string;
  /** Per-call path from the call number. */
  path: (n: number) => string;
  /** Kind-specific fields after `path` (method, controller/action or route...). */
  head: string;
  jobQueue: string;
}

const prepared = new WeakMap<SampleEndpoint, PreparedEndpoint>();

function prepare(ep: SampleEndpoint): PreparedEndpoint {
  const cached = prepared.get(ep);
  if (cached) return cached;
  const urgency = effectiveUrgency(ep);
  let p: PreparedEndpoint;
  const tail = `,"meta.caller_id":${q(ep.id)},"meta.feature_category":${q(ep.category)}`;
  if (ep.kind === 'sidekiq') {
    const queue = ep.id
      .replace(/Worker$/, '')
      .replace(/::/g, '_')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase();
    p = { tail: `,"meta.feature_category":${q(ep.category)},"urgency":${q(urgency)}`, path: () => '', head: '', jobQueue: q(queue) };
  } else if (ep.kind === 'grape') {
    const space = ep.id.indexOf(' ');
    const method = space > 0 ? ep.id.slice(0, space) : 'GET';
    const route = space > 0 ? ep.id.slice(space + 1) : ep.id;
    const parts = route.replace(':version', 'v4').split(/(:[a-z_]+)/);
    p = {
      tail: `${tail},"request_urgency":${q(urgency)},"target_duration_s":${thresholdOf(ep)}`,
      path: (n) => q(parts.map((x) => (x === ':id' ? String(n % 9000) : x.startsWith(':') ? `${x.slice(1)}-${n % 97}` : x)).join('')),
      head: `,"method":${q(method)},"route":${q(route)},"params":[],"host":"gitlab.example.com"`,
      jobQueue: '',
    };
  } else if (ep.kind === 'graphql') {
    p = {
      tail: `${tail},"request_urgency":${q(urgency)},"target_duration_s":${thresholdOf(ep)}`,
      path: () => '"/api/graphql"',
      head: `,"method":"POST","controller":"GraphqlController","action":"execute","format":"*/*","params":[{"key":"operationName","value":${q(ep.id.replace(/^graphql:/, ''))}}]`,
      jobQueue: '',
    };
  } else {
    const [controller = 'ApplicationController', action = 'index'] = ep.id.split('#');
    const resource = railsResource(controller);
    p = {
      tail: `${tail},"request_urgency":${q(urgency)},"target_duration_s":${thresholdOf(ep)}`,
      path: (n) => q(action === 'index' ? `/gitlab-org/project-${n % 40}/-/${resource}` : `/gitlab-org/project-${n % 40}/-/${resource}/${n % 5000}/${action}`),
      head: `,"method":"GET","controller":${q(controller)},"action":${q(action)},"format":"html","params":[]`,
      jobQueue: '',
    };
  }
  prepared.set(ep, p);
  return p;
}

function requestLine(ep: SampleEndpoint, call: SampleCall): string {
  const p = prepare(ep);
  const n = call.n;
  const d = call.durationS;
  const dbShare = 0.2 + (n % 7) / 20;
  return (
    `{"time":"${new Date(call.timeMs).toISOString()}","severity":"INFO","correlation_id":"${correlationId(n, call.timeMs)}"` +
    `,"remote_ip":"10.${n % 200}.${(n >> 3) % 250}.${n % 250}","ua":"Mozilla/5.0 (X11; Linux x86_64)"` +
    `,"path":${p.path(n)}${p.head},"status":${call.status},"duration_s":${round(d, 5)},"db_duration_s":${round(d * dbShare, 5)}` +
    `,"view_duration_s":${round(d * 0.1, 5)},"db_count":${3 + (n % 40)},"meta.client_id":"user/${n % 10000}"${p.tail}}`
  );
}

function sidekiqLines(ep: SampleEndpoint, call: SampleCall): string[] {
  const p = prepare(ep);
  const n = call.n;
  const jid = (call.timeMs * 31 + n).toString(16).padStart(24, '0').slice(-24);
  const startMs = call.timeMs - Math.round(call.durationS * 1000);
  const cls = q(ep.id);
  const base =
    `"severity":"INFO","retry":3,"queue":${p.jobQueue},"class":${cls},"args":["${n % 100000}"],"jid":"${jid}"` +
    `,"correlation_id":"${correlationId(n, call.timeMs)}"${p.tail},"worker_data_consistency":"sticky"` +
    `,"created_at":"${new Date(startMs - 150).toISOString()}","enqueued_at":"${new Date(startMs - 120).toISOString()}"`;
  const done = call.status < 500;
  const end = new Date(call.timeMs).toISOString();
  const status = done ? 'done' : 'fail';
  const failure = done ? '' : ',"error_class":"ActiveRecord::QueryCanceled","error_message":"canceling statement due to statement timeout"';
  return [
    `{${base},"time":"${new Date(startMs).toISOString()}","job_status":"start","message":${q(`${ep.id} JID-${jid}: start`)}}`,
    `{${base},"time":"${end}","job_status":"${status}","duration_s":${round(call.durationS, 5)},"db_duration_s":${round(call.durationS * 0.3, 5)}` +
      `,"completed_at":"${end}","message":${q(`${ep.id} JID-${jid}: ${status}: ${round(call.durationS, 6)} sec`)}${failure}}`,
  ];
}

/** The NDJSON lines (without newline) one call produces: one for a request, start + done/fail for a job. */
export function formatSampleCall(ep: SampleEndpoint, call: SampleCall): string[] {
  return ep.kind === 'sidekiq' ? sidekiqLines(ep, call) : [requestLine(ep, call)];
}

/** Which log file a kind goes to, as on a GitLab node. */
export function sampleLogFileOf(kind: SampleEndpointKind): 'production_json.log' | 'api_json.log' | 'sidekiq.log' {
  if (kind === 'grape') return 'api_json.log';
  if (kind === 'sidekiq') return 'sidekiq.log';
  return 'production_json.log';
}

/** Normalises an inventory entry (from `budget-lens endpoints --json` or a file) or says why not. */
export function toSampleEndpoint(raw: unknown): SampleEndpoint | string {
  if (raw === null || typeof raw !== 'object') return 'not an object';
  const r = raw as Record<string, unknown>;
  if (typeof r['id'] !== 'string' || r['id'] === '') return 'missing "id"';
  const id = r['id'];
  const category = typeof r['category'] === 'string' && r['category'] !== '' ? r['category'] : 'unknown';
  const urgency = typeof r['urgency'] === 'string' ? r['urgency'] : 'default';
  let kind = r['kind'];
  if (kind !== 'rails' && kind !== 'grape' && kind !== 'sidekiq' && kind !== 'graphql') {
    // 'annotated' and unknown kinds: infer from the id's shape (domain.md section 1 endpoint ids).
    kind = id.startsWith('graphql:') ? 'graphql' : /^[A-Z]+ \//.test(id) ? 'grape' : id.includes('#') ? 'rails' : 'sidekiq';
  }
  return { id, kind: kind as SampleEndpointKind, category, urgency };
}
