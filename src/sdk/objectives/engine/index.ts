/**
 * The objective engine (issue 13): pure functions from an ObjectiveSpec and a window's counts to
 * figures, budgets and burn-rate alerts, in exact decimals, with the GitLab engine's no-data rules
 * (no data is never 100 % nor 0 %: null figures, status no_data). docs/objectives.md, "The engine".
 */
export { assertCount, countThresholdValues, meetsThreshold, readEvents } from './counts';
export type { EventCounts, ExactEvents, ObjectiveWarning, ObjectiveWarningCode, SliceOutcomes, SliceSample, ThresholdOp } from './counts';
export { objectiveTarget, timeSliceTargetOf } from './target';
export type { ObjectiveTarget } from './target';
export { occurrenceFigures } from './occurrences';
export type { OccurrenceFigures } from './occurrences';
export { classifySlices, timesliceFigures, windowSliceCount } from './timeslices';
export type { SliceWindow, TimesliceFigures, TimesliceOptions } from './timeslices';
export { ratioTimesliceFigures } from './ratioTimeslices';
export type { RatioTimesliceFigures, RatioTimesliceOptions } from './ratioTimeslices';
export {
  DEFAULT_BURN_ALERT_TIERS,
  MIN_BAD_EVENTS_TO_FIRE,
  burnAlertWindows,
  burnCountsOf,
  burnRate,
  evaluateBurnAlerts,
  maxBurnRate,
  minShortWindowEvents,
  sliceBurnCounts,
  tierOfAlertCondition,
  timeToExhaustionMinutes,
  unreachableReason,
} from './burn';
export type { AlertConditionLike, BurnAlertOp, BurnAlertOptions, BurnAlertResult, BurnAlertState, BurnAlertTier, BurnWindowCounts } from './burn';
export { instantOfLocalTime, parseStartTime, windowMinutesAt, windowRange } from './window';
export type { WindowRange } from './window';
export { evaluateObjective } from './evaluate';
export type { EvaluateOptions, EvaluatedSpec, ObjectiveFigures, ObjectiveInput } from './evaluate';
