/**
 * Urgency names per component and their apdex thresholds (domain.md section 1, urgency table):
 * a request is satisfactory iff `duration < threshold`.
 */
import type { Urgency } from '../../budget/types';
import type { EndpointKind } from '../types';

const REQUEST_THRESHOLDS: Readonly<Partial<Record<Urgency, number>>> = { high: 0.25, medium: 0.5, default: 1, low: 5 };
const SIDEKIQ_THRESHOLDS: Readonly<Partial<Record<Urgency, number>>> = { high: 10, low: 300, throttled: 300 };

function thresholds(kind: EndpointKind): Readonly<Partial<Record<Urgency, number>>> {
  return kind === 'sidekiq' ? SIDEKIQ_THRESHOLDS : REQUEST_THRESHOLDS;
}

/** `default` for requests (controllers, Grape, GraphQL); `low` for Sidekiq workers. */
export function defaultUrgency(kind: EndpointKind): Urgency {
  return kind === 'sidekiq' ? 'low' : 'default';
}

/** The urgency if `name` exists for this component (`medium` is not a worker urgency), else undefined. */
export function urgencyFor(kind: EndpointKind, name: string): Urgency | undefined {
  return Object.prototype.hasOwnProperty.call(thresholds(kind), name) ? (name as Urgency) : undefined;
}

/** The names valid for a component, for messages. */
export function urgencyNames(kind: EndpointKind): string[] {
  return Object.keys(thresholds(kind));
}

/** Apdex threshold in seconds; an urgency the component does not know gets its default's. */
export function thresholdFor(kind: EndpointKind, urgency: Urgency): number {
  const table = thresholds(kind);
  return table[urgency] ?? table[defaultUrgency(kind)]!;
}
