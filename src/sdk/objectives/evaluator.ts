/**
 * What a backend does for objectives (issue 13): evaluate an ObjectiveSpec at an instant and lay
 * out its burn-down day by day. Implemented by the Prometheus source (sources/objectiveSource.ts)
 * and the embedded store (store/); BudgetService turns its answers into the Budget API's
 * ObjectiveBudget / ObjectiveDetail. Sources turn the SLI into counts; the engine (./engine) does
 * every division, so two evaluators given the same counts give the same figures.
 */
import type { BurnAlertResult, ObjectiveBurnDownPoint, ObjectiveQuery } from '../contract/objectiveTypes';
import type { ObjectiveFigures } from './engine/evaluate';
import type { ObjectiveSpec } from './spec';

export interface ObjectiveEvaluationOptions {
  /** Evaluation time; floored to the minute. Default now. */
  at?: Date;
  signal?: AbortSignal;
}

/** One objective evaluated over its window ending at `at`. */
export interface ObjectiveEvaluation {
  objective: string;
  figures: ObjectiveFigures;
  /** The measured part of the window: [start, end), ISO; `end` is the evaluation time. */
  range: { start: string; end: string; minutes: number };
  /** (bad / total) / (1 - T) over the last hour; null without events. */
  burnRate1h: number | null;
  burnAlerts: BurnAlertResult[];
  /** Every expression evaluated for the window and the burn windows, in order. */
  queries: ObjectiveQuery[];
  warnings: string[];
}

export interface ObjectiveEvaluator {
  /** Which backend answers ("prometheus", "store"): named in errors and the API's provenance. */
  readonly kind: string;
  /** Where it reads (the Prometheus URL, the store's path): the answers' provenance. Optional. */
  readonly source?: string;
  /** Throws an Error with a clear message when the SLI cannot be evaluated by this backend (ObjectiveQueryError, a source's own error). */
  evaluate(spec: ObjectiveSpec, opts?: ObjectiveEvaluationOptions): Promise<ObjectiveEvaluation>;
  /**
   * The window's burn-down, one point per day from the window's start to `at` (the last point is
   * the partial day ending at `at`): budget left after each day, from cumulative counts.
   */
  burnDown(spec: ObjectiveSpec, opts?: ObjectiveEvaluationOptions): Promise<{ points: ObjectiveBurnDownPoint[]; queries: ObjectiveQuery[] }>;
}
