/**
 * "Explain the number" (issue 14 item 2): the pieces behind a figure, worded the same in the
 * editor's hovers and `budget-lens status --explain`: F1 with this window's counts, the spend split
 * into its apdex and error parts (F7 against the scope's m), a daily-spend sparkline, and the
 * Prometheus graph page of a query. Pure, no I/O.
 */
import type { BudgetWindow, SliCounts } from '../contract/budgetTypes';
import { endpointSpentMinutes } from './endpointRanking';
import { formatCount } from './format';

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
