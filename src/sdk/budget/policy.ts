/**
 * GitLab's error-budget policy around the numbers (domain.md section 3): when the contract
 * applies, what a group must do, when to escalate, when to look for a shared cause first, and
 * custom-target exceptions past their review date.
 */
import { BudgetInputError } from './budgetInputError';
import { isOverBudget } from './budgetMath';
import { shareExceedsPercent } from './trafficShare';
import type { BudgetFigures, CustomTarget, ExceptionExpiry, TargetPercent } from '../contract/budgetTypes';
import type { ContractAction, GroupBudget } from '../contract/apiTypes';

/** The contract applies only to groups with traffic share strictly above 0.01 %. */
export const CONTRACT_MIN_SHARE_PERCENT = '0.01';
/** Groups above 0.1 % count toward the shared-cause rule. */
export const SIGNIFICANT_SHARE_PERCENT = '0.1';
/** Over budget this many months running (including the current one) -> escalation. */
export const ESCALATE_AFTER_MONTHS = 3;
/** More than this many significant groups over budget -> investigate a shared cause first. */
export const SHARED_CAUSE_MAX_GROUPS = 5;

export function contractApplies(measurements: number, totalMeasurements: number): boolean {
  return shareExceedsPercent(measurements, totalMeasurements, CONTRACT_MIN_SHARE_PERCENT);
}

export function isSignificantTraffic(measurements: number, totalMeasurements: number): boolean {
  return shareExceedsPercent(measurements, totalMeasurements, SIGNIFICANT_SHARE_PERCENT);
}

/**
 * What the group must do this month:
 * no data -> `no_data`; share <= 0.01 % -> `not_applicable`; within budget -> `understand_spend`;
 * over budget -> `reliability_first`, or `escalate` from the third month over budget running.
 * "Over budget" is spend above budget even when the status says low_traffic: a group whose
 * traffic share puts it under the contract is not too small to count.
 */
export function contractAction(input: {
  figures: Pick<BudgetFigures, 'measurements' | 'remainingMinutes'>;
  contractApplies: boolean;
  monthsOverBudgetInRow: number;
}): ContractAction {
  if (input.figures.measurements <= 0 || input.figures.remainingMinutes === null) return 'no_data';
  if (!input.contractApplies) return 'not_applicable';
  if (!isOverBudget(input.figures)) return 'understand_spend';
  return input.monthsOverBudgetInRow >= ESCALATE_AFTER_MONTHS ? 'escalate' : 'reliability_first';
}

/** "If more than 5 groups with share > 0.1 % are over budget" (monthly report rule). */
export function needsSharedCauseInvestigation(significantOverBudgetGroups: number): boolean {
  return significantOverBudgetGroups > SHARED_CAUSE_MAX_GROUPS;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why a review date is unusable, or null. For config validators. */
export function reviewDateProblem(reviewDate: string): string | null {
  const match = ISO_DATE.exec(reviewDate);
  if (match === null) return `review date "${reviewDate}" is not a date like 2026-12-31`;
  const d = new Date(`${reviewDate}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== reviewDate) {
    return `review date "${reviewDate}" is not a calendar date`;
  }
  return null;
}

/**
 * An exception is expired once its review date is past: on the review date itself it still
 * holds; from the next UTC day on it is flagged. Throws BudgetInputError for a malformed date.
 */
export function isExceptionExpired(ct: Pick<CustomTarget, 'reviewDate'>, asOf: Date): boolean {
  const problem = reviewDateProblem(ct.reviewDate);
  if (problem !== null) throw new BudgetInputError(problem);
  return asOf.toISOString().slice(0, 10) > ct.reviewDate;
}

/**
 * Whether an exception still holds at `asOf`: past its review date (isExceptionExpired), or, with
 * `expiresWhen.trafficShareAbove`, once the group's share of the environment's measurements
 * (F13, exact: m_group / m_total above the percent) exceeds it. Null while it holds; the review
 * date wins when both apply.
 */
export function exceptionExpiry(
  ct: Pick<CustomTarget, 'reviewDate' | 'expiresWhen'>,
  asOf: Date,
  traffic?: { measurements: number; totalMeasurements: number },
): ExceptionExpiry | null {
  if (isExceptionExpired(ct, asOf)) return 'review_date';
  const above = ct.expiresWhen?.trafficShareAbove;
  if (above !== undefined && traffic !== undefined && shareExceedsPercent(traffic.measurements, traffic.totalMeasurements, above)) return 'traffic_share';
  return null;
}

/**
 * The target a group is held to. An expired exception still applies (the handbook asks for a
 * review, not an automatic reset); the report flags it so somebody reviews it.
 */
export function effectiveTarget(group: { customTarget?: Pick<CustomTarget, 'target'> }, defaultTarget: TargetPercent): TargetPercent {
  return group.customTarget?.target ?? defaultTarget;
}

/** A group's exception as the API reports it: expired (and why) by review date or traffic share. */
export function customTargetState(
  ct: CustomTarget,
  asOf: Date,
  traffic: { measurements: number; totalMeasurements: number },
): NonNullable<GroupBudget['customTarget']> {
  const why = exceptionExpiry(ct, asOf, traffic);
  return why === null ? { ...ct, expired: false } : { ...ct, expired: true, expiredBecause: why };
}
