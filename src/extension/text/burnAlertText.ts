/**
 * The burn alert's wording (domain.md F16): the notification, its actions, the status bar's
 * tier and its tooltip line. No vscode import: unit tested in Node.
 */
import type { BurnTierEvaluation } from '../../sdk';
import { notificationSafe, oneLine } from './safeText';

export const OPEN_PANEL_ACTION = 'Open Budget Panel';
export const TOP_OFFENDER_ACTION = 'Go to Top Offender';
export const BURN_ALERT_ACTIONS: readonly string[] = Object.freeze([OPEN_PANEL_ACTION, TOP_OFFENDER_ACTION]);

/** What burns: a group (its name) or a category. */
export interface BurnScopeLabel {
  kind: 'group' | 'category';
  /** The group's name ('Project Management') or the category ('team_planning'). */
  name: string;
}

/** A factor as the workbook writes it: 14.4 -> "14.4×", 6 -> "6×". */
export function factorText(factor: number): string {
  return `${Number(factor.toFixed(2))}×`;
}

/** A burn rate to one decimal: 15 -> "15.0×", null -> "no data". */
export function burnRateText(rate: number | null): string {
  return rate === null ? 'no data' : `${rate.toFixed(1)}×`;
}

/** '1h' -> '1 h', '30m' -> '30 m'. */
function windowText(label: string): string {
  return label.replace(/^(\d+)([a-z])$/, '$1 $2');
}

/** "15.0× over 1 h and 16.0× over 5 m, both above 14.4× (page tier)" */
function condition(t: BurnTierEvaluation): string {
  return `${burnRateText(t.long.burnRate)} over ${windowText(t.long.window)} and ${burnRateText(t.short.burnRate)} over ${windowText(t.short.window)}, both above ${factorText(t.threshold)} (${t.tier} tier)`;
}

/**
 * The notification: `Budget Lens: group Project Management is burning its error budget:
 * 15.0× over 1 h and 16.0× over 5 m, both above 14.4× (page tier).` An escalation says "now".
 */
export function burnAlertMessage(scope: BurnScopeLabel, t: BurnTierEvaluation, escalated: boolean): string {
  const now = escalated ? ' now' : '';
  return notificationSafe(`Budget Lens: ${scope.kind} ${scope.name} is${now} burning its error budget: ${condition(t)}.`);
}

/** The status bar's tier while it fires: `$(flame) 14.4× burn`. */
export function burnStatusBarText(t: BurnTierEvaluation): string {
  return `$(flame) ${factorText(t.threshold)} burn`;
}

/** The status bar tooltip's first line: `Burn alert (group Project Management): 15.0× over 1 h and ...`. */
export function burnTooltipLine(scope: BurnScopeLabel, t: BurnTierEvaluation): string {
  return oneLine(`Burn alert (${scope.kind} ${scope.name}): ${condition(t)}.`);
}
