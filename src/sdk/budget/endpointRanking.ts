/**
 * Endpoint spend (F7) and the top failing endpoints of a scope (F8): which endpoints spent the
 * group's budget. A row is one endpoint in one component, as the sources report them.
 */
import { dec, toNumber } from './exactDecimal';
import { exactProduct } from './exactRatio';
import type { BudgetWindow, Component, SliCounts, TargetPercent } from '../contract/budgetTypes';
import type { EndpointCounts } from '../contract/budgetSource';
import type { EndpointBudget, EndpointRow } from '../contract/apiTypes';

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

/** What an endpoint's figures are measured against: its category's totals and its group's policy. */
export interface EndpointCategoryContext {
  /** f and m of the category (its group's ignored components left out). */
  failures: number;
  measurements: number;
  /** The category's group key. */
  group: string;
  target: TargetPercent;
  ignoredComponents: readonly Component[];
  /** Every endpoint row of the category, for the offenders' ranking (F8 order). */
  endpoints: readonly EndpointCounts[];
}

interface Summed {
  components: Component[];
  urgency: string;
  counts: SliCounts;
  apdexFailures: number;
  errors: number;
  failures: number;
  measurements: number;
}

/** One endpoint's rows (one per component) summed, ignored components left out (F2 per row). */
function sumEndpoint(rows: readonly EndpointCounts[], ignored: readonly Component[]): Summed {
  const out: Summed = { components: [], urgency: rows[0]?.urgency ?? '', counts: { apdexSuccess: 0, apdexWeight: 0, ops: 0, errors: 0 }, apdexFailures: 0, errors: 0, failures: 0, measurements: 0 };
  for (const r of rows) {
    if (ignored.includes(r.component)) continue;
    if (!out.components.includes(r.component)) out.components.push(r.component);
    const errors = r.hasErrorSli ? r.counts.errors : 0;
    const ops = r.hasErrorSli ? r.counts.ops : 0;
    out.counts.apdexSuccess += r.counts.apdexSuccess;
    out.counts.apdexWeight += r.counts.apdexWeight;
    out.counts.ops += ops;
    out.counts.errors += errors;
    out.apdexFailures += r.counts.apdexWeight - r.counts.apdexSuccess;
    out.errors += errors;
  }
  out.failures = out.apdexFailures + out.errors;
  out.measurements = out.counts.apdexWeight + out.counts.ops;
  return out;
}

/** A target `99.95` as the integer 9995 and its decimal places 2, parsed once per target text. */
const TARGET_DIGITS = new Map<string, { digits: bigint; scale: bigint } | null>();
function targetDigits(target: TargetPercent): { digits: bigint; scale: bigint } | null {
  let t = TARGET_DIGITS.get(target);
  if (t === undefined) {
    const m = /^(\d+)(?:\.(\d+))?$/.exec(target);
    t = m ? { digits: BigInt(`${m[1]}${m[2] ?? ''}`), scale: 10n ** BigInt((m[2] ?? '').length) } : null;
    if (TARGET_DIGITS.size < 64) TARGET_DIGITS.set(target, t);
  }
  return t;
}

/**
 * `1 - f/m < T`, exactly: (m - f) * 100 < T * m; never with m = 0 (no traffic is not below anything).
 * Integer counts take exact integer arithmetic (T = digits / scale: (m - f) * 100 * scale < digits * m),
 * fractional ones decimal.js: the same answer, without three decimals per endpoint.
 */
export function isBelowTarget(failures: number, measurements: number, target: TargetPercent): boolean {
  if (!(measurements > 0)) return false;
  const good = Math.max(0, measurements - Math.max(0, Math.min(failures, measurements)));
  const t = Number.isSafeInteger(good) && Number.isSafeInteger(measurements) ? targetDigits(target) : null;
  if (t) return BigInt(good) * 100n * t.scale < t.digits * BigInt(measurements);
  return dec(good).times(100).lt(dec(target).times(dec(measurements)));
}

/**
 * F15: each asked endpoint's own figures, measured against its category (the category its traffic
 * was reported under; the one with most measurements when it moved in the window): minutes
 * f_i × window_minutes / m_category, share f_i / f_category, own availability 1 − f_i / m_i
 * against the group's target, and its place among the category's offenders (endpoints with
 * f > 0, in F8 order). An id without traffic gets zeros, `category: null` and no rank.
 * Example (docs/domain.md F15): team_planning f = 6, m = 40,000 over 28 d; #index f = 3, m = 10,000
 * -> 3 × 40,320 / 40,000 = 3.024 min, 50 % of team_planning's spend, 99.97 % ≥ 99.95 %, #1 of 3.
 */
export function endpointBudgets(
  ids: readonly string[],
  rows: readonly EndpointCounts[],
  window: BudgetWindow,
  contextOf: (category: string) => EndpointCategoryContext,
  defaultTarget: TargetPercent,
): EndpointBudget[] {
  const byId = new Map<string, EndpointCounts[]>();
  for (const r of rows) {
    const list = byId.get(r.endpointId);
    if (list) list.push(r);
    else byId.set(r.endpointId, [r]);
  }
  const rankings = new Map<string, { ranked: Ranked[]; placeOf: Map<string, number> }>();
  const rankingOf = (category: string, ctx: EndpointCategoryContext): { ranked: Ranked[]; placeOf: Map<string, number> } => {
    let ranking = rankings.get(category);
    if (!ranking) {
      // Per endpoint id (its components summed), offenders only, F8 order.
      const perId = new Map<string, EndpointCounts[]>();
      for (const r of ctx.endpoints) {
        const list = perId.get(r.endpointId);
        if (list) list.push(r);
        else perId.set(r.endpointId, [r]);
      }
      const ranked = [...perId.values()]
        .map((list) => {
          const s = sumEndpoint(list, ctx.ignoredComponents);
          return { source: list[0]!, apdexFailures: s.apdexFailures, errors: s.errors, failures: s.failures, measurements: s.measurements };
        })
        .filter((r) => r.failures > 0)
        .sort(byFailuresDesc);
      ranking = { ranked, placeOf: new Map(ranked.map((r, i) => [r.source.endpointId, i])) };
      rankings.set(category, ranking);
    }
    return ranking;
  };
  return [...new Set(ids)].map((endpointId): EndpointBudget => {
    const own = byId.get(endpointId) ?? [];
    // The category with most measurements (an endpoint moved to another category mid-window).
    const weight = new Map<string, number>();
    for (const r of own) weight.set(r.category, (weight.get(r.category) ?? 0) + r.counts.apdexWeight + r.counts.ops);
    const category = [...weight].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
    if (category === undefined) {
      return {
        endpointId, category: null, group: null, components: [], urgency: null,
        counts: { apdexSuccess: 0, apdexWeight: 0, ops: 0, errors: 0 },
        apdexFailures: 0, errors: 0, failures: 0, measurements: 0, ownAvailability: null,
        target: defaultTarget, belowTarget: false, spentMinutes: 0, shareOfSpend: 0,
        categoryFailures: 0, categoryMeasurements: 0, rank: null, offenders: 0,
      };
    }
    const ctx = contextOf(category);
    const s = sumEndpoint(own, ctx.ignoredComponents);
    const { ranked, placeOf } = rankingOf(category, ctx);
    const place = s.failures > 0 ? (placeOf.get(endpointId) ?? -1) : -1;
    const clamped = s.measurements > 0 ? Math.min(Math.max(s.failures, 0), s.measurements) : 0;
    return {
      endpointId,
      category,
      group: ctx.group,
      components: s.components,
      urgency: s.urgency,
      counts: s.counts,
      apdexFailures: s.apdexFailures,
      errors: s.errors,
      failures: s.failures,
      measurements: s.measurements,
      ownAvailability: s.measurements > 0 ? exactQuotient(s.measurements - clamped, s.measurements) : null,
      target: ctx.target,
      belowTarget: isBelowTarget(s.failures, s.measurements, ctx.target),
      spentMinutes: endpointSpentMinutes(s.failures, ctx.measurements, window),
      shareOfSpend: ctx.failures > 0 ? exactQuotient(s.failures, ctx.failures) : 0,
      categoryFailures: ctx.failures,
      categoryMeasurements: ctx.measurements,
      rank: place >= 0 ? place + 1 : null,
      offenders: ranked.length,
    };
  });
}
