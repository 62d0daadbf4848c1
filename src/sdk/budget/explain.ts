/**
 * "Explain the number" (issue 14 item 2): the pieces behind a figure, worded the same in the
 * editor's hovers and `budget-lens status --explain`: F1 with this window's counts, the spend split
 * into its apdex and error parts (F7 against the scope's m), a daily-spend sparkline, and the
 * Prometheus graph page of a query. Pure, no I/O.
 */
import type { BudgetWindow, SliCounts } from '../contract/budgetTypes';
import type { DailySeries } from '../contract/apiTypes';
import type { ResultMeta } from '../contract/budgetSource';
import { endpointSpentMinutes } from './endpointRanking';
import { formatCount, formatMinutes } from './format';

/** F1 as written in domain.md. */
export const AVAILABILITY_FORMULA = '(s + o − e) / (w + o)';

/**
 * F1 with the counts put in: `(62,990 + 63,006 − 2) / (63,000 + 63,006)`
 * (s = 62,990, w = 63,000, o = 63,006, e = 2).
 */
export function availabilityFormulaValues(c: SliCounts): string {
  return `(${formatCount(c.apdexSuccess)} + ${formatCount(c.ops)} − ${formatCount(c.errors)}) / (${formatCount(c.apdexWeight)} + ${formatCount(c.ops)})`;
}

/** `(s + o − e) / (w + o) = (62,990 + 63,006 − 2) / (63,000 + 63,006)` */
export function availabilityFormulaText(c: SliCounts): string {
  return `${AVAILABILITY_FORMULA} = ${availabilityFormulaValues(c)}`;
}

export interface SpendParts {
  /** w − s: measurements slower than the threshold. */
  apdexFailures: number;
  errors: number;
  /** (w − s) × window minutes / m of the scope (F7). */
  apdexMinutes: number;
  /** e × window minutes / m of the scope (F7). */
  errorMinutes: number;
}

/**
 * The spend split by cause, each part F7 against `scopeMeasurements` (a category's m for the
 * category or one of its endpoints, F15), so the parts add up to the spend shown beside them.
 */
export function spendParts(c: SliCounts, scopeMeasurements: number, window: BudgetWindow): SpendParts {
  const apdexFailures = c.apdexWeight - c.apdexSuccess;
  return {
    apdexFailures,
    errors: c.errors,
    apdexMinutes: endpointSpentMinutes(apdexFailures, scopeMeasurements, window),
    errorMinutes: endpointSpentMinutes(c.errors, scopeMeasurements, window),
  };
}

const BARS = '▁▂▃▄▅▆▇█';

/**
 * One character per value, scaled to the largest: `▁` for nothing spent, `▂`..`█` for the rest
 * (any spend at all shows above the floor). All zeros: all `▁`.
 */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values.filter((v) => Number.isFinite(v)));
  return values
    .map((v) => {
      if (!(v > 0) || max === 0) return BARS[0];
      return BARS[Math.min(BARS.length - 1, Math.max(1, Math.ceil((v / max) * (BARS.length - 1))))];
    })
    .join('');
}

/**
 * The Prometheus graph page showing `expr` (table tab): `<base>/graph?g0.expr=…&g0.tab=1`; the
 * base's own path kept (a Thanos or VictoriaMetrics prefix). Undefined when the base is not an
 * http(s) URL. Every character a Markdown link could stop at is percent-encoded.
 */
export function prometheusGraphUrl(base: string, expr: string): string | undefined {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.search = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  const root = url.href.replace(/\/+$/, '');
  const href = `${root}/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`;
  return href.replace(/[()<>\s"'`\\[\]]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

// ---- the plain-text parts, worded once for the editor's hovers and `status --explain` ----------

/** Minutes with two decimals and no unit: 4.032 -> "4.03". */
function budgetMinutesText(minutes: number): string {
  return formatMinutes(minutes).slice(0, -' min'.length);
}

/** "28d" -> "28 d", "6h" -> "6 h"; anything else unchanged. */
function windowText(label: string): string {
  const m = /^(\d+)([dh])$/.exec(label);
  return m ? `${m[1]} ${m[2]}` : label;
}

/** `2026-11-07 09:00 UTC` */
function minuteUtc(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `window 2026-11-07 09:00 UTC → 2026-12-05 09:00 UTC (28 d)` */
export function windowRangeText(meta: Pick<ResultMeta, 'window'>): string {
  return `window ${minuteUtc(meta.window.start)} → ${minuteUtc(meta.window.end)} (${windowText(meta.window.label)})`;
}

/** `spent 6.05 budget-min = apdex 4.03 (4 slow) + errors 2.02 (2 errors)`, each F7 against the scope's m. */
export function spendPartsText(counts: SliCounts, scopeMeasurements: number, window: BudgetWindow): string {
  const p = spendParts(counts, scopeMeasurements, window);
  const total = p.apdexMinutes + p.errorMinutes;
  return `spent ${budgetMinutesText(total)} budget-min = apdex ${budgetMinutesText(p.apdexMinutes)} (${formatCount(p.apdexFailures)} slow) + errors ${budgetMinutesText(p.errorMinutes)} (${failuresOrErrors(p.errors)}), each failure ${formatCount(window.minutes)} / ${formatCount(scopeMeasurements)} budget-min`;
}

function failuresOrErrors(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'error' : 'errors'}`;
}

/** `▁▁▂▇ (28 days, most 2.02 budget-min on 2026-11-20)`; all zero: `(28 days, nothing spent)`. */
export function dailySparklineText(daily: DailySeries): string {
  const values = daily.days.map((d) => d.spentMinutes);
  let most = -1;
  values.forEach((v, i) => {
    if (v > 0 && (most < 0 || v > (values[most] ?? 0))) most = i;
  });
  const days = `${daily.days.length} ${daily.days.length === 1 ? 'day' : 'days'}`;
  const peak = most < 0 ? 'nothing spent' : `most ${budgetMinutesText(values[most] ?? 0)} budget-min on ${daily.days[most]?.date ?? ''}`;
  return `${sparkline(values)} (${days}, ${peak})`;
}
