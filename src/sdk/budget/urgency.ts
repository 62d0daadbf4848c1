/**
 * The urgency -> apdex threshold table (domain.md section 1, urgency table): the one place it is
 * written. A request (rails_request, graphql_query, an annotated endpoint) or a Sidekiq job is
 * satisfactory when it finishes within its urgency's threshold (requests strictly below it,
 * GraphQL executions at or below it: see store/logClassifier.ts). The log classifier, the Ruby
 * and GraphQL extractors and the comment annotations all read it from here.
 */
import type { Component, Urgency } from '../contract/budgetTypes';

/** Requests (Rails controllers, Grape routes, GraphQL operations, annotated endpoints) or Sidekiq jobs. */
export type UrgencyFamily = 'request' | 'sidekiq';

/** The urgencies of requests, in the table's order. */
export type RequestUrgency = 'high' | 'medium' | 'default' | 'low';
/** The urgencies of Sidekiq workers (`medium` and `default` are none). */
export type SidekiqUrgency = 'high' | 'low' | 'throttled';

const REQUEST_THRESHOLDS_S: Readonly<Record<RequestUrgency, number>> = Object.freeze({ high: 0.25, medium: 0.5, default: 1, low: 5 });
const SIDEKIQ_THRESHOLDS_S: Readonly<Record<SidekiqUrgency, number>> = Object.freeze({ high: 10, low: 300, throttled: 300 });

/** Apdex thresholds in seconds per family and urgency. */
export const APDEX_THRESHOLDS_S: {
  readonly request: Readonly<Record<RequestUrgency, number>>;
  readonly sidekiq: Readonly<Record<SidekiqUrgency, number>>;
} = Object.freeze({ request: REQUEST_THRESHOLDS_S, sidekiq: SIDEKIQ_THRESHOLDS_S });

/** The urgency of an endpoint that declares none: `default` for requests, `low` for Sidekiq workers. */
export const DEFAULT_URGENCY: { readonly request: RequestUrgency; readonly sidekiq: SidekiqUrgency } = Object.freeze({
  request: 'default',
  sidekiq: 'low',
});

/** The family of an SLI component: sidekiq_execution is a job, every other component a request. */
export function urgencyFamily(component: Component): UrgencyFamily {
  return component === 'sidekiq_execution' ? 'sidekiq' : 'request';
}

/** The urgency if `name` is one of the family's (`medium` is not a worker urgency), else undefined. */
export function knownUrgency(family: UrgencyFamily, name: string): Urgency | undefined {
  return Object.prototype.hasOwnProperty.call(APDEX_THRESHOLDS_S[family], name) ? (name as Urgency) : undefined;
}

/** The urgency names of a family, in the table's order (for messages). */
export function urgencyNamesOf(family: UrgencyFamily): string[] {
  return Object.keys(APDEX_THRESHOLDS_S[family]);
}

/** The threshold in seconds for a family and urgency; undefined for a pair the table does not define. */
export function familyThresholdSeconds(family: UrgencyFamily, urgency: string): number | undefined {
  const table: Readonly<Record<string, number>> = APDEX_THRESHOLDS_S[family];
  return knownUrgency(family, urgency) === undefined ? undefined : table[urgency];
}

/** The threshold for a component and urgency; undefined for a pair the table does not define. */
export function apdexThresholdSeconds(component: Component, urgency: string): number | undefined {
  return familyThresholdSeconds(urgencyFamily(component), urgency);
}
