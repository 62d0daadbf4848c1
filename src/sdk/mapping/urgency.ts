/**
 * Urgencies per endpoint kind, over the one urgency -> apdex threshold table (budget/urgency.ts,
 * domain.md section 1): Sidekiq workers have the sidekiq column, every other kind the request one.
 */
import type { Urgency } from '../contract/budgetTypes';
import type { UrgencyFamily } from '../budget/urgency';
import { DEFAULT_URGENCY, familyThresholdSeconds, knownUrgency, urgencyNamesOf } from '../budget/urgency';
import type { EndpointKind } from './types';

function family(kind: EndpointKind): UrgencyFamily {
  return kind === 'sidekiq' ? 'sidekiq' : 'request';
}

/** `default` for requests (controllers, Grape, GraphQL); `low` for Sidekiq workers. */
export function defaultUrgency(kind: EndpointKind): Urgency {
  return DEFAULT_URGENCY[family(kind)];
}

/** The urgency if `name` exists for this component (`medium` is not a worker urgency), else undefined. */
export function urgencyFor(kind: EndpointKind, name: string): Urgency | undefined {
  return knownUrgency(family(kind), name);
}

/** The names valid for a component, for messages. */
export function urgencyNames(kind: EndpointKind): string[] {
  return urgencyNamesOf(family(kind));
}

/** Apdex threshold in seconds; an urgency the component does not know gets its default's. */
export function thresholdFor(kind: EndpointKind, urgency: Urgency): number {
  return familyThresholdSeconds(family(kind), urgency) ?? familyThresholdSeconds(family(kind), defaultUrgency(kind))!;
}
