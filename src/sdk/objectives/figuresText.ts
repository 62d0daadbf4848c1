/**
 * An objective's figures in words, one wording for every place that shows them: `budget-lens slo
 * status`, the editor's lens, hover, tree and panel (issue 13 item 6). Plain text; the editor
 * escapes what it puts in Markdown. Rounded only here, for display (docs/objectives.md "The engine"
 * says what each figure is).
 */
import { NO_DATA_TEXT, formatCount, formatFactor, formatPercent } from '../budget/format';
import { ExactDecimal } from '../budget/exactDecimal';
import type { BurnAlertResult, ObjectiveMethodFigures, ObjectiveQuery } from '../contract/objectiveTypes';

/** "0.998" -> "99.8 %" (as written, never rounded). */
export function targetPercentText(target: string): string {
  return `${new ExactDecimal(target).times(100).toFixed()} %`;
}

/**
 * An SLI with as many decimals as its target needs plus one (target 99.8 % -> 2 decimals,
 * "99.93 %"; 99.95 % -> 3, "99.949 %"), and more where rounding would meet a target the SLI
 * misses: 99.7997 % against 99.8 % reads "99.7997 %", never "99.80 %" (up to 6 decimals).
 */
export function sliPercentText(sli: number | null, target: string): string {
  if (sli === null) return NO_DATA_TEXT;
  const targetPercent = new ExactDecimal(target).times(100);
  const decimals = (targetPercent.toFixed().split('.')[1] ?? '').length;
  let digits = Math.min(Math.max(decimals + 1, 2), 4);
  const text = (): string => formatPercent(sli, digits);
  if (new ExactDecimal(String(sli)).lt(new ExactDecimal(target))) {
    while (digits < 6 && new ExactDecimal(text().replace(' %', '')).gte(targetPercent)) digits++;
  }
  return text();
}

/** The SLI against its target: `99.93 % ≥ 99.8 %`, `98.10 % < 99.8 %`, or `no events`. */
export function sliVsTargetText(f: ObjectiveMethodFigures): string {
  if (f.sli === null) return f.method === 'Occurrences' ? 'no events' : 'no slices with events';
  const meets = new ExactDecimal(String(f.sli)).gte(new ExactDecimal(f.target));
  return `${sliPercentText(f.sli, f.target)} ${meets ? '≥' : '<'} ${targetPercentText(f.target)}`;
}

/** What the SLI is made of: `99.93 % (4,997 good of 5,000 events)`, by budgeting method. */
export function sliCountsText(f: ObjectiveMethodFigures): string {
  const sli = sliPercentText(f.sli, f.target);
  if (f.method === 'Occurrences') return `${sli} (${formatCount(f.good)} good of ${formatCount(f.total)} events)`;
  if (f.method === 'Timeslices') {
    return `${sli} (${formatCount(f.goodSlices)} good of ${formatCount(f.goodSlices + f.badSlices)} slices; ${formatCount(f.badSlices)} bad, ${formatCount(f.emptySlices)} empty)`;
  }
  return `${sli} (mean of ${formatCount(f.judgedSlices)} slice ratios; ${formatCount(f.emptySlices)} empty)`;
}

/**
 * The budget left in the method's own unit: `7 of 10 events (70.00 %)`, `19 of 20 bad slices
 * allowed; 0.16 of 20.16 bad minutes`; `- (no events)` without data.
 */
export function budgetLeftText(f: ObjectiveMethodFigures): string {
  if (f.method === 'Occurrences') {
    if (f.budgetEvents === null || f.eventsLeft === null) return '- (no events)';
    return `${formatCount(f.eventsLeft)} of ${formatCount(f.budgetEvents)} events (${formatPercent(f.remainingFraction)})`;
  }
  if (f.slicesLeft === null || f.minutesLeft === null) return '- (no slices with events)';
  if (f.method === 'Timeslices') {
    return `${formatCount(f.slicesLeft)} of ${formatCount(f.allowedBadSlices)} bad slices allowed; ${formatCount(f.minutesLeft)} of ${formatCount(f.budgetMinutes)} bad minutes`;
  }
  return `${formatCount(f.slicesLeft)} of ${formatCount(f.budgetSlices)} slices; ${formatCount(f.minutesLeft)} of ${formatCount(f.budgetMinutes)} minutes`;
}

/**
 * The share of the budget left, whole percent: `62 % left`, `over budget (-40 %)`, or undefined
 * without data; under 1 % either way, two decimals (`over budget (-0.16 %)`, never `(0 %)`).
 */
export function budgetLeftShareText(f: Pick<ObjectiveMethodFigures, 'remainingFraction'>): string | undefined {
  const r = f.remainingFraction;
  if (r === null) return undefined;
  const digits = r !== 0 && Math.abs(r) < 0.01 ? 2 : 0;
  return r < 0 ? `over budget (${formatPercent(r, digits)})` : `${formatPercent(r, digits)} left`;
}

/** The last hour's burn rate: `burn 0.40x` or undefined without events in the hour. */
export function burnRateText(burnRate1h: number | null): string | undefined {
  return burnRate1h === null ? undefined : `burn ${formatFactor(burnRate1h)}`;
}

/** The firing alerts by name: `firing: 1h/5m above 14.4x`; undefined when none fires. */
export function firingAlertsText(alerts: readonly Pick<BurnAlertResult, 'firing' | 'name'>[]): string | undefined {
  const firing = alerts.filter((a) => a.firing).map((a) => a.name);
  return firing.length === 0 ? undefined : `firing: ${firing.join(', ')}`;
}

/**
 * The formula behind the SLI with its counts, by method:
 * Occurrences `SLI = good / total = 4,997 / 5,000`; Timeslices `SLI = good slices / judged slices
 * = 8,000 / 8,064`; RatioTimeslices `SLI = mean of 8,064 slice ratios`.
 */
export function sliFormulaText(f: ObjectiveMethodFigures): string {
  if (f.method === 'Occurrences') return `SLI = good / total = ${formatCount(f.good)} / ${formatCount(f.total)}`;
  if (f.method === 'Timeslices') return `SLI = good slices / judged slices = ${formatCount(f.goodSlices)} / ${formatCount(f.goodSlices + f.badSlices)}`;
  return `SLI = mean of ${formatCount(f.judgedSlices)} slice ratios`;
}

/** The budget's formula with its numbers: `budget = (1 − 0.998) × 5,000 = 10 events`, `(1 − 0.9995) × 40,320 slices = 20.16 slices`. */
export function budgetFormulaText(f: ObjectiveMethodFigures): string | undefined {
  if (f.method === 'Occurrences') {
    return f.budgetEvents === null ? undefined : `budget = (1 − ${f.target}) × ${formatCount(f.total)} events = ${formatCount(f.budgetEvents)} events`;
  }
  return `budget = (1 − ${f.target}) × ${formatCount(f.countedSlices)} slices = ${formatCount(f.budgetSlices)} slices (${formatCount(f.budgetMinutes)} min)`;
}

/**
 * An objective's queries as they are shown: those over its own window, and the burn windows the
 * same queries were also sent over (`["5m", "1h"]`), folded into one line by the caller.
 */
export function foldedQueries(queries: readonly ObjectiveQuery[], window: string): { main: ObjectiveQuery[]; burnWindows: string[] } {
  return { main: queries.filter((q) => q.window === window), burnWindows: [...new Set(queries.filter((q) => q.window !== window).map((q) => q.window))] };
}
