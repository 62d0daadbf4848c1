/**
 * Summing SLI counts (domain.md section 2: sum counts first, divide last), failures and
 * measurements (F2), data-quality checks and counter deltas across resets (F14).
 * Plain number arithmetic: this is the hot path of a report over thousands of endpoints.
 */
import type { Component, ComponentCounts, DataQualityWarning, SliCounts } from '../contract/budgetTypes';

export function zeroCounts(): SliCounts {
  return { apdexSuccess: 0, apdexWeight: 0, ops: 0, errors: 0 };
}

/** Adds `from` into `into` (mutates `into`); `o` and `e` only when the component has an error SLI. */
export function addComponentCounts(into: SliCounts, from: SliCounts, hasErrorSli: boolean): void {
  into.apdexSuccess += from.apdexSuccess;
  into.apdexWeight += from.apdexWeight;
  if (hasErrorSli) {
    into.ops += from.ops;
    into.errors += from.errors;
  }
}

/**
 * The summed counts of the non-ignored components. Components without an error SLI contribute
 * nothing to `o` (nor `e`), as in GitLab's `ops and error` join.
 */
export function sumComponents(components: readonly ComponentCounts[], ignored: readonly Component[] = []): SliCounts {
  const total = zeroCounts();
  for (const c of components) {
    if (ignored.length > 0 && ignored.includes(c.component)) continue;
    addComponentCounts(total, c.counts, c.hasErrorSli);
  }
  return total;
}

/** F2: f = (w - s) + e */
export function failuresOf(c: SliCounts): number {
  return c.apdexWeight - c.apdexSuccess + c.errors;
}

/** F2: m = w + o */
export function measurementsOf(c: SliCounts): number {
  return c.apdexWeight + c.ops;
}

/**
 * Counts from Prometheus are sums of float rates, so `s` may exceed `w` by a rounding hair
 * (10000.000000000002 vs 10000). Only a difference beyond this relative slack is bad instrumentation.
 */
const RELATIVE_SLACK = 1e-9;

function exceeds(part: number, whole: number): boolean {
  return part - whole > RELATIVE_SLACK * Math.max(1, Math.abs(whole));
}

/** Bad-instrumentation checks (domain.md section 2, "States"): s > w, e > o, f > m. */
export function dataQualityWarnings(c: SliCounts): DataQualityWarning[] {
  const warnings: DataQualityWarning[] = [];
  if (exceeds(c.apdexSuccess, c.apdexWeight)) {
    warnings.push({
      code: 'apdex_success_exceeds_weight',
      message: `apdex successes (${c.apdexSuccess}) exceed apdex measurements (${c.apdexWeight}): check the apdex instrumentation`,
    });
  }
  if (exceeds(c.errors, c.ops)) {
    warnings.push({
      code: 'errors_exceed_ops',
      message: `errors (${c.errors}) exceed operations (${c.ops}): check the error instrumentation`,
    });
  }
  const f = failuresOf(c);
  const m = measurementsOf(c);
  if (m > 0 && exceeds(f, m)) {
    warnings.push({
      code: 'failures_exceed_measurements',
      message: `failures (${f}) exceed measurements (${m}): availability is shown as 0 %`,
    });
  }
  return warnings;
}

/**
 * F14: the increase of a counter over samples, across resets: a sample lower than its predecessor
 * means the process restarted and counted from zero, so it contributes its own value.
 * 100, 150, 20, 70 -> 50 + 20 + 50 = 120.
 */
export function counterDelta(samples: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < samples.length; i++) {
    const v = samples[i] as number;
    const prev = samples[i - 1] as number;
    total += v >= prev ? v - prev : v;
  }
  return total;
}
