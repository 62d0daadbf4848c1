/**
 * The daily-spend chart's data, apart from drawing (GitLens keeps timelineData.ts apart from its
 * renderer the same way): pure, no DOM, tested in Node (test/unit/extension/panelText.test.ts, "daily chart model").
 * budgetChart.ts hands it to chart.js.
 */
import type { PanelBurnDownPoint, PanelDaily } from '../src/shared/protocol';

export interface BudgetChartModel {
  /** `11-20` for 2026-11-20: the window is at most weeks long, the year adds nothing. */
  labels: string[];
  /** Budget-min spent each day (bars). */
  spent: number[];
  /** Budget-min spent up to and including each day (line). */
  cumulative: number[];
  /** F3 on every day (the dashed line the cumulative spend must stay under). */
  budget: number[];
  /** The y axis reaches at least the budget, so a day's small spend is seen against it. */
  suggestedMax: number;
}

export function buildBudgetChartModel(daily: PanelDaily): BudgetChartModel {
  const days = [...daily.days].sort((a, b) => a.date.localeCompare(b.date));
  const cumulative = days.map((d) => d.cumulativeSpentMinutes);
  return {
    labels: days.map((d) => (/^\d{4}-\d{2}-\d{2}$/.test(d.date) ? d.date.slice(5) : d.date)),
    spent: days.map((d) => d.spentMinutes),
    cumulative,
    budget: days.map(() => daily.budgetMinutes),
    suggestedMax: Math.max(daily.budgetMinutes, ...cumulative),
  };
}

/** An objective's burn-down (issue 13): the share of its budget left after each day, in percent. */
export interface BurnDownChartModel {
  labels: string[];
  /** Percent of the budget left after each day; null before any event (a gap in the line). */
  remaining: Array<number | null>;
  /** 0 % on every day: below it the objective is over budget. */
  zero: number[];
  /** The y axis spans at least 0..100 %, further when a day went over budget. */
  suggestedMin: number;
}

export function buildBurnDownModel(points: readonly PanelBurnDownPoint[]): BurnDownChartModel {
  const days = [...points].sort((a, b) => a.day.localeCompare(b.day));
  const remaining = days.map((p) => (p.remainingFraction === null ? null : Math.round(p.remainingFraction * 10_000) / 100));
  return {
    labels: days.map((p) => (/^\d{4}-\d{2}-\d{2}$/.test(p.day) ? p.day.slice(5) : p.day)),
    remaining,
    zero: days.map(() => 0),
    suggestedMin: Math.min(0, ...remaining.filter((r): r is number => r !== null)),
  };
}
