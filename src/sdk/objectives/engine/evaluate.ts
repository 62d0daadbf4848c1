/**
 * One entry for an ObjectiveSpec: picks the budgeting method's figures and the window's length.
 * The counts come from a source; this only checks that they fit the method.
 */
import { BudgetInputError } from '../../budget/budgetInputError';
import type { ObjectiveSpec } from '../spec';
import type { EventCounts, SliceOutcomes, SliceSample } from './counts';
import { occurrenceFigures } from './occurrences';
import type { OccurrenceFigures } from './occurrences';
import { ratioTimesliceFigures } from './ratioTimeslices';
import type { RatioTimesliceFigures } from './ratioTimeslices';
import { timesliceFigures } from './timeslices';
import type { TimesliceFigures } from './timeslices';
import { windowMinutesAt } from './window';

/** What a source measured over the objective's window. */
export type ObjectiveInput =
  /** Occurrences: the window's events. */
  | { kind: 'events'; counts: EventCounts }
  /** Timeslices: slices the source classified itself. */
  | { kind: 'sliceOutcomes'; outcomes: SliceOutcomes }
  /** Timeslices (classified against timeSliceTarget here) or RatioTimeslices: one sample per reported slice. */
  | { kind: 'slices'; samples: readonly SliceSample[] };

export type ObjectiveFigures = (OccurrenceFigures | TimesliceFigures | RatioTimesliceFigures) & {
  /** spec.name */
  objective: string;
  /** The window's length: rolling, the spec's; calendar, the current period's at opts.at. Null only for an Occurrences calendar window without `at`. */
  windowMinutes: number | null;
};

export interface EvaluateOptions {
  /** Evaluation time (epoch ms or Date): a calendar window's period is the one containing it. */
  at?: number | Date;
  /** The window's length, when the caller knows it already (wins over `at`). */
  windowMinutes?: number;
}

export type EvaluatedSpec = Pick<ObjectiveSpec, 'name' | 'target' | 'budgetingMethod' | 'window' | 'timeSliceTarget' | 'timeSliceWindowMinutes'>;

function windowMinutesOf(spec: EvaluatedSpec, opts: EvaluateOptions): number | null {
  if (opts.windowMinutes !== undefined) return opts.windowMinutes;
  if (spec.window.kind === 'rolling') return spec.window.minutes;
  return opts.at === undefined ? null : windowMinutesAt(spec.window, opts.at);
}

/** The figures of one objective over one window. Throws BudgetInputError when the input does not fit the method. */
export function evaluateObjective(spec: EvaluatedSpec, input: ObjectiveInput, opts: EvaluateOptions = {}): ObjectiveFigures {
  const windowMinutes = windowMinutesOf(spec, opts);
  const wrong = (): never => {
    throw new BudgetInputError(`objective ${spec.name}: ${spec.budgetingMethod} cannot be evaluated from ${input.kind}`);
  };
  if (spec.budgetingMethod === 'Occurrences') {
    if (input.kind !== 'events') return wrong();
    return { ...occurrenceFigures(input.counts, spec.target), objective: spec.name, windowMinutes };
  }
  if (windowMinutes === null) throw new BudgetInputError(`objective ${spec.name}: a calendar window needs an evaluation time (at)`);
  if (spec.timeSliceWindowMinutes === undefined) throw new BudgetInputError(`objective ${spec.name}: ${spec.budgetingMethod} needs a timeSliceWindow`);
  const sliceWindow = { windowMinutes, sliceMinutes: spec.timeSliceWindowMinutes };
  if (spec.budgetingMethod === 'Timeslices') {
    const opt = { ...sliceWindow, target: spec.target, timeSliceTarget: spec.timeSliceTarget };
    if (input.kind === 'sliceOutcomes') return { ...timesliceFigures(input.outcomes, opt), objective: spec.name, windowMinutes };
    if (input.kind === 'slices') return { ...timesliceFigures(input.samples, opt), objective: spec.name, windowMinutes };
    return wrong();
  }
  if (input.kind !== 'slices') return wrong();
  return { ...ratioTimesliceFigures(input.samples, { ...sliceWindow, target: spec.target }), objective: spec.name, windowMinutes };
}
