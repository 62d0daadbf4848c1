/**
 * Endpoint spend (F7) and the top failing endpoints of a scope (F8): which endpoints spent the
 * group's budget. A row is one endpoint in one component, as the sources report them.
 */
import { dec, toNumber } from './exactDecimal';
import { exactProduct } from './exactRatio';
import type { BudgetWindow, Component } from '../contract/budgetTypes';
import type { EndpointCounts } from '../contract/budgetSource';
import type { EndpointRow } from '../contract/apiTypes';

/** The scope's totals the rows are measured against (usually its BudgetFigures). */
export interface ScopeTotals {
  /** f of the scope */
  failures: number;
  /** m of the scope */
  measurements: number;
  window: BudgetWindow;
}

export interface RankOptions {
  /** Rows to return (all when omitted). */
  limit?: number;
  /** Components the scope's group ignores: their endpoints spend nothing of its budget. */
  ignoredComponents?: readonly Component[];
}

/** F7: f_i * window_minutes / m of the scope, exact. 10 of 15 failures, m = 20000, 28 d -> 20.16. */
export function endpointSpentMinutes(endpointFailures: number, scopeMeasurements: number, window: BudgetWindow): number {
  if (!(scopeMeasurements > 0)) return 0;
  const fW = exactProduct(endpointFailures, window.minutes);
  if (fW !== null && Number.isSafeInteger(scopeMeasurements)) return fW / scopeMeasurements;
  return toNumber(dec(endpointFailures).times(window.minutes).div(dec(scopeMeasurements)));
}

/** a / b rounded once: plain division for safe integers (exact operands), decimals otherwise. */
function exactQuotient(a: number, b: number): number {
  return Number.isSafeInteger(a) && Number.isSafeInteger(b) ? a / b : toNumber(dec(a).div(dec(b)));
}

/** F7: window_minutes / m, exact: what one failure costs. m = 20000, 28 d -> 2.016. */
export function costOfOneFailure(scopeMeasurements: number, window: BudgetWindow): number | null {
  if (!(scopeMeasurements > 0)) return null;
  return toNumber(dec(window.minutes).div(dec(scopeMeasurements)));
}

interface Ranked {
  source: EndpointCounts;
  apdexFailures: number;
  errors: number;
  failures: number;
  measurements: number;
}

function byFailuresDesc(a: Ranked, b: Ranked): number {
  // More failures first; at equal failures the worse own ratio (fewer measurements) first;
  // then by id so the order never depends on the source's row order.
  return (
    b.failures - a.failures ||
    a.measurements - b.measurements ||
    (a.source.endpointId < b.source.endpointId ? -1 : a.source.endpointId > b.source.endpointId ? 1 : 0) ||
    (a.source.component < b.source.component ? -1 : a.source.component > b.source.component ? 1 : 0)
  );
}

/**
 * F8: endpoints sorted by f_i descending with m_i, share f_i / f, F7 minutes and own ratio
 * 1 - f_i / m_i. Example: A f=10 m=900, B f=5 m=19100 (scope f=15, m=20000) -> A then B.
 * Counts are compared as numbers; exact quotients are computed only for the returned rows.
 */
export function rankEndpoints(endpoints: readonly EndpointCounts[], scope: ScopeTotals, opts: RankOptions = {}): EndpointRow[] {
  const ignored = opts.ignoredComponents ?? [];
  const ranked: Ranked[] = [];
  for (const e of endpoints) {
    if (ignored.length > 0 && ignored.includes(e.component)) continue;
    const apdexFailures = e.counts.apdexWeight - e.counts.apdexSuccess;
    const errors = e.hasErrorSli ? e.counts.errors : 0;
    const measurements = e.counts.apdexWeight + (e.hasErrorSli ? e.counts.ops : 0);
    ranked.push({ source: e, apdexFailures, errors, failures: apdexFailures + errors, measurements });
  }
  ranked.sort(byFailuresDesc);
  const rows = opts.limit === undefined ? ranked : ranked.slice(0, Math.max(0, opts.limit));
  return rows.map((r) => toRow(r, scope));
}

function toRow(r: Ranked, scope: ScopeTotals): EndpointRow {
  const own = r.measurements > 0 ? Math.min(Math.max(r.failures, 0), r.measurements) : 0;
  return {
    endpointId: r.source.endpointId,
    component: r.source.component,
    category: r.source.category,
    urgency: r.source.urgency,
    apdexFailures: r.apdexFailures,
    errors: r.errors,
    failures: r.failures,
    measurements: r.measurements,
    shareOfSpend: scope.failures > 0 ? exactQuotient(r.failures, scope.failures) : 0,
    spentMinutes: endpointSpentMinutes(r.failures, scope.measurements, scope.window),
    // 1 - f_i/m_i as (m_i - f_i) / m_i, with f_i clamped to [0, m_i] as in computeBudget
    ownAvailability: r.measurements > 0 ? exactQuotient(r.measurements - own, r.measurements) : null,
  };
}
