/**
 * The thin chart.js renderer of the daily-spend chart (data: chartModel.ts). Colours come from
 * the theme's --vscode-* variables, read when drawing, so the chart follows light and dark themes.
 * Only the chart.js parts it uses are registered (a smaller bundle than chart.js/auto).
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import type { BudgetChartModel, BurnDownChartModel } from './chartModel';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

function themeColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** The theme's text colour, grid colour and font, read when a chart is drawn. */
function chartTheme(): { fg: string; grid: string; font: { family: string } } {
  return {
    fg: themeColor('--vscode-foreground', '#888'),
    grid: themeColor('--vscode-editorGroup-border', 'rgba(128,128,128,0.3)'),
    font: { family: themeColor('--vscode-font-family', 'sans-serif') },
  };
}

/** Draws the model on `canvas`; returns the chart so the caller destroys it before the next one. */
export function drawBudgetChart(canvas: HTMLCanvasElement, model: BudgetChartModel): Chart {
  const { fg, grid, font } = chartTheme();
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: model.labels,
      datasets: [
        { type: 'bar', label: 'spent that day (budget-min)', data: model.spent, backgroundColor: themeColor('--vscode-charts-blue', '#3794ff'), order: 3 },
        { type: 'line', label: 'spent so far (budget-min)', data: model.cumulative, borderColor: themeColor('--vscode-charts-orange', '#d18616'), backgroundColor: themeColor('--vscode-charts-orange', '#d18616'), pointRadius: 3, order: 2 },
        { type: 'line', label: 'budget (budget-min)', data: model.budget, borderColor: themeColor('--vscode-charts-red', '#f14c4c'), borderDash: [6, 4], pointRadius: 0, order: 1 },
      ],
    },
    options: {
      // No animation: the panel redraws on every update and tests read the pixels at once.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { ticks: { color: fg, font }, grid: { color: grid } },
        y: { beginAtZero: true, suggestedMax: model.suggestedMax, ticks: { color: fg, font }, grid: { color: grid }, title: { display: true, text: 'budget-min', color: fg, font } },
      },
      plugins: { legend: { labels: { color: fg, font } } },
    },
  });
}

/** Draws an objective's burn-down: the share of its budget left after each day, and the 0 % line. */
export function drawBurnDownChart(canvas: HTMLCanvasElement, model: BurnDownChartModel): Chart {
  const { fg, grid, font } = chartTheme();
  const line = themeColor('--vscode-charts-green', '#89d185');
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels: model.labels,
      datasets: [
        { label: 'budget left (%)', data: model.remaining, borderColor: line, backgroundColor: line, pointRadius: 2, spanGaps: false },
        { label: 'exhausted', data: model.zero, borderColor: themeColor('--vscode-charts-red', '#f14c4c'), borderDash: [6, 4], pointRadius: 0 },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { ticks: { color: fg, font }, grid: { color: grid } },
        y: { suggestedMin: model.suggestedMin, suggestedMax: 100, ticks: { color: fg, font }, grid: { color: grid }, title: { display: true, text: '% of budget left', color: fg, font } },
      },
      plugins: { legend: { labels: { color: fg, font } } },
    },
  });
}
