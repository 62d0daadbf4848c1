/**
 * Formats realistic GitLab structured log lines (domain.md section 5) for the sample log set:
 * Rails `production_json.log` (controllers and GraphQL), Grape `api_json.log`, and `sidekiq.log`.
 * Field names and shapes follow GitLab's loggers; only `time`, `status`, `duration_s`,
 * `meta.caller_id`, `meta.feature_category`, urgency and `job_status` matter to the ingest.
 */
import { apdexThresholdSeconds } from './logClassifier';

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
    return apdexThresholdSeconds('sidekiq_execution', ep.urgency) !== undefined ? ep.urgency : 'low';
  }
  return apdexThresholdSeconds('rails_request', ep.urgency) !== undefined ? ep.urgency : 'default';
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

function railsPath(controllerAction: string, n: number): string {
  const [controller = 'Application', action = 'index'] = controllerAction.split('#');
  const resource = controller
    .replace(/Controller$/, '')
    .split('::')
    .map((part) => part.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase())
    .join('/');
  const id = n % 5000;
  return action === 'index' ? `/gitlab-org/project-${id % 40}/-/${resource}` : `/gitlab-org/project-${id % 40}/-/${resource}/${id}/${action}`;
}

function grapePath(route: string, n: number): string {
  return route.replace(':version', 'v4').replace(/:([a-z_]+)/g, (_m, name: string) => (name === 'id' ? String(n % 9000) : `${name}-${n % 97}`));
}

function requestLine(ep: SampleEndpoint, call: SampleCall): Record<string, unknown> {
  const urgency = effectiveUrgency(ep);
  const dbShare = 0.2 + (call.n % 7) / 20;
  const common = {
    time: new Date(call.timeMs).toISOString(),
    severity: 'INFO',
    correlation_id: correlationId(call.n, call.timeMs),
    remote_ip: `10.${call.n % 200}.${(call.n >> 3) % 250}.${call.n % 250}`,
    ua: 'Mozilla/5.0 (X11; Linux x86_64)',
    status: call.status,
    duration_s: round(call.durationS, 5),
    db_duration_s: round(call.durationS * dbShare, 5),
    view_duration_s: round(call.durationS * 0.1, 5),
    db_count: 3 + (call.n % 40),
    'meta.caller_id': ep.id,
    'meta.feature_category': ep.category,
    'meta.client_id': `user/${call.n % 10000}`,
    request_urgency: urgency,
    target_duration_s: thresholdOf(ep),
  };
  if (ep.kind === 'grape') {
    const space = ep.id.indexOf(' ');
    const method = space > 0 ? ep.id.slice(0, space) : 'GET';
    const route = space > 0 ? ep.id.slice(space + 1) : ep.id;
    return { ...common, method, path: grapePath(route, call.n), route, params: [], host: 'gitlab.example.com' };
  }
  if (ep.kind === 'graphql') {
    return {
      ...common,
      method: 'POST',
      path: '/api/graphql',
      controller: 'GraphqlController',
      action: 'execute',
      format: '*/*',
      params: [{ key: 'operationName', value: ep.id.replace(/^graphql:/, '') }],
    };
  }
  const [controller, action] = ep.id.split('#');
  return { ...common, method: 'GET', path: railsPath(ep.id, call.n), controller, action, format: 'html', params: [] };
}

function sidekiqLines(ep: SampleEndpoint, call: SampleCall): Array<Record<string, unknown>> {
  const jid = (call.timeMs * 31 + call.n).toString(16).padStart(24, '0').slice(-24);
  const queue = ep.id
    .replace(/Worker$/, '')
    .replace(/::/g, '_')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
  const startMs = call.timeMs - Math.round(call.durationS * 1000);
  const base = {
    severity: 'INFO',
    retry: 3,
    queue,
    class: ep.id,
    args: [String(call.n % 100000)],
    jid,
    correlation_id: correlationId(call.n, call.timeMs),
    'meta.feature_category': ep.category,
    urgency: effectiveUrgency(ep),
    worker_data_consistency: 'sticky',
    created_at: new Date(startMs - 150).toISOString(),
    enqueued_at: new Date(startMs - 120).toISOString(),
  };
  const done = call.status < 500;
  const start = { ...base, time: new Date(startMs).toISOString(), job_status: 'start', message: `${ep.id} JID-${jid}: start` };
  const end = {
    ...base,
    time: new Date(call.timeMs).toISOString(),
    job_status: done ? 'done' : 'fail',
    duration_s: round(call.durationS, 5),
    db_duration_s: round(call.durationS * 0.3, 5),
    completed_at: new Date(call.timeMs).toISOString(),
    message: `${ep.id} JID-${jid}: ${done ? 'done' : 'fail'}: ${round(call.durationS, 6)} sec`,
    ...(done ? {} : { error_class: 'ActiveRecord::QueryCanceled', error_message: 'canceling statement due to statement timeout' }),
  };
  return [start, end];
}

/** The NDJSON lines (without newline) one call produces: one for a request, start + done/fail for a job. */
export function formatSampleCall(ep: SampleEndpoint, call: SampleCall): string[] {
  if (ep.kind === 'sidekiq') return sidekiqLines(ep, call).map((l) => JSON.stringify(l));
  return [JSON.stringify(requestLine(ep, call))];
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
