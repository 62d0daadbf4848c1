/**
 * Deterministic synthetic traffic for the parity test: the same events written two ways, as
 * GitLab structured logs (domain.md section 5: Rails production_json, Grape api_json, sidekiq) and
 * as the raw gitlab_sli_* counters a GitLab process would export for them (domain.md section 4).
 *
 * The classification (apdex threshold per urgency, 5xx/failed job = error and not an apdex
 * measurement) is implemented here from the domain table, independently of the store's classifier.
 * Events never fall on the counter sampling grid, so "events up to sample time t" is unambiguous.
 */
import type { Series } from '../../support/seriesBuilders';
import { seededRandom } from '../../../src/sdk/store/seededRandom';

export type EndpointKind = 'rails' | 'grape' | 'graphql' | 'sidekiq';

export interface ParityEndpoint {
  id: string;
  kind: EndpointKind;
  category: string;
  urgency: string;
  perHour: number;
  /** Share of calls slower than the threshold. */
  slowShare: number;
  /** Share of calls that are 5xx / failed jobs. */
  errorShare: number;
}

export interface SyntheticEvent {
  timeMs: number;
  endpoint: ParityEndpoint;
  durationS: number;
  error: boolean;
}

/** domain.md section 1: request thresholds (rails_request, graphql_query) and sidekiq thresholds. */
const REQUEST_THRESHOLD: Record<string, number> = { high: 0.25, medium: 0.5, default: 1, low: 5 };
const SIDEKIQ_THRESHOLD: Record<string, number> = { high: 10, low: 300, throttled: 300 };

export function thresholdS(ep: ParityEndpoint): number {
  const t = ep.kind === 'sidekiq' ? SIDEKIQ_THRESHOLD[ep.urgency] : REQUEST_THRESHOLD[ep.urgency];
  if (t === undefined) throw new Error(`no threshold for ${ep.kind} urgency ${ep.urgency}`);
  return t;
}

export function componentOf(ep: ParityEndpoint): string {
  return ep.kind === 'sidekiq' ? 'sidekiq_execution' : ep.kind === 'graphql' ? 'graphql_query' : 'rails_request';
}

const HOUR_MS = 3_600_000;

/** Events in [fromMs, toMs), hour by hour, sorted by time; none lands on a multiple of `gridMs`. */
export function generateEvents(endpoints: readonly ParityEndpoint[], fromMs: number, toMs: number, gridMs: number, seed = 42): SyntheticEvent[] {
  const rnd = seededRandom(seed);
  const out: SyntheticEvent[] = [];
  for (let h = fromMs; h < toMs; h += HOUR_MS) {
    for (const ep of endpoints) {
      const n = Math.round(ep.perHour * (0.5 + rnd()));
      for (let i = 0; i < n; i++) {
        let timeMs = h + Math.floor(rnd() * HOUR_MS);
        if (timeMs % gridMs === 0) timeMs += 1;
        const error = rnd() < ep.errorShare;
        const slow = rnd() < ep.slowShare;
        const t = thresholdS(ep);
        // Slow calls land at or above the threshold (>= is not satisfactory: `duration < threshold`).
        const durationS = slow ? Math.round(t * (1 + rnd()) * 1000) / 1000 : Math.round(t * 0.9 * rnd() * 1000) / 1000;
        out.push({ timeMs, endpoint: ep, durationS: slow && rnd() < 0.1 ? t : durationS, error });
      }
    }
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

/** One NDJSON line in GitLab's format for the event's logger. */
export function logLine(e: SyntheticEvent): string {
  const ep = e.endpoint;
  const time = new Date(e.timeMs).toISOString();
  const common = { 'meta.feature_category': ep.category, duration_s: e.durationS };
  switch (ep.kind) {
    case 'sidekiq':
      return JSON.stringify({ time, severity: 'INFO', class: ep.id, job_status: e.error ? 'fail' : 'done', urgency: ep.urgency, ...common });
    case 'grape': {
      const [method, route] = ep.id.split(' ');
      return JSON.stringify({ time, method, path: route!.replace(':version', 'v4').replace(':id', '7'), route, status: e.error ? 500 : 200, 'meta.caller_id': ep.id, request_urgency: ep.urgency, ...common });
    }
    case 'graphql':
      return JSON.stringify({ time, method: 'POST', path: '/api/graphql', controller: 'GraphqlController', action: 'execute', status: e.error ? 500 : 200, 'meta.caller_id': ep.id, request_urgency: ep.urgency, ...common });
    case 'rails': {
      const [controller, action] = ep.id.split('#');
      return JSON.stringify({ time, method: 'GET', path: '/group/project/-/x', controller, action, status: e.error ? 503 : 200, 'meta.caller_id': ep.id, request_urgency: ep.urgency, target_duration_s: thresholdS(ep), ...common });
    }
  }
}

/** Sidekiq also logs a `start` line per job; the ingest must ignore it. */
export function sidekiqStartLine(e: SyntheticEvent): string {
  return JSON.stringify({ time: new Date(e.timeMs - 1).toISOString(), class: e.endpoint.id, job_status: 'start', 'meta.feature_category': e.endpoint.category });
}

/** The four counters per endpoint, sampled every `gridMs` from `fromMs` while t <= `toMs`. */
export function counterSeriesOf(events: readonly SyntheticEvent[], endpoints: readonly ParityEndpoint[], fromMs: number, toMs: number, gridMs: number, selectors: Record<string, string>): Series[] {
  const out: Series[] = [];
  for (const ep of endpoints) {
    const mine = events.filter((e) => e.endpoint === ep);
    const component = componentOf(ep);
    const labels =
      ep.kind === 'sidekiq'
        ? { ...selectors, worker: ep.id, feature_category: ep.category, urgency: ep.urgency }
        : { ...selectors, endpoint_id: ep.id, feature_category: ep.category, request_urgency: ep.urgency };
    const kinds = {
      apdex_total: (e: SyntheticEvent) => !e.error,
      apdex_success_total: (e: SyntheticEvent) => !e.error && e.durationS < thresholdS(ep),
      total: () => true,
      error_total: (e: SyntheticEvent) => e.error,
    };
    for (const [suffix, counts] of Object.entries(kinds)) {
      const samples: Array<[number, number]> = [];
      let i = 0;
      let value = 0;
      for (let t = fromMs; t <= toMs; t += gridMs) {
        while (i < mine.length && mine[i]!.timeMs <= t) {
          if (counts(mine[i]!)) value++;
          i++;
        }
        samples.push([t / 1000, value]);
      }
      out.push({ name: `gitlab_sli_${component}_${suffix}`, labels, samples });
    }
  }
  return out;
}
