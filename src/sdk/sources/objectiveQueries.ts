/**
 * PromQL for objectives that are not GitLab's (issue 13, docs/objectives.md "Prometheus"): pure
 * builders from an ObjectiveSpec's queries to the exact expressions Budget Lens sends, so they are
 * unit-tested as strings and printed by `budget-lens slo status` ("explain the number").
 *
 * What a user writes in `spec.query` is the counter itself, never a rate: a selector
 * (`x_total{job="a"}`), `sum(selector)` / `sum by (...) (selector)`, or such terms joined by `+`
 * and `-` (`sum(starts_total) - sum(starts_failure_total)`). Budget Lens puts the window in:
 *
 *   counter: true    one term -> sum(increase(<selector>[W]))
 *   counter: false   one term -> sum(sum_over_time(<selector>[W]))   (each sample: its interval's events)
 *   several terms    (<term> or vector(0)) - (<term> or vector(0)) ...
 *
 * A classic histogram's bucket (`x_bucket{le="16"}`) is matched on `le` numerically: the bounds the
 * server holds are read first (histogramBoundsQuery) and the matcher names the stored spellings
 * (`16` in Prometheus 2, `16.0` in Prometheus 3, both across an upgrade: `le=~"16|16\\.0"`);
 * a threshold that is not a bound is refused with the nearest bounds.
 */
import type { CounterTerm, LabelMatcher } from '../objectives/objectiveQuery';
import { formatSelector, promDuration } from '../objectives/objectiveQuery';

// The query language itself lives in objectives/ (both the store and this source read it); re-exported here.
export {
  ObjectiveQueryError,
  bucketMatcherFor,
  counterTermsOf,
  formatSelector,
  histogramBase,
  histogramParts,
  leMatcher,
  parseCounterExpression,
  parseSelector,
  promDuration,
  withLe,
  writtenLe,
} from '../objectives/objectiveQuery';
export type { CounterTerm, LabelMatcher, Selector } from '../objectives/objectiveQuery';

/** The events of a counter query over the window: see the header for the shapes. */
export function windowCountQuery(terms: readonly CounterTerm[], counter: boolean, windowMinutes: number): string {
  const w = promDuration(windowMinutes);
  const fn = counter ? 'increase' : 'sum_over_time';
  const one = (t: CounterTerm): string => `sum(${fn}(${formatSelector(t.selector)}[${w}]))`;
  if (terms.length === 1 && terms[0]!.sign === 1) return one(terms[0]!);
  return terms.map((t, i) => `${i === 0 ? (t.sign === -1 ? '- ' : '') : t.sign === -1 ? ' - ' : ' + '}(${one(t)} or vector(0))`).join('');
}

/** The bounds of a classic histogram's buckets with the other matchers, over the window: `count by (le) (count_over_time(x_bucket{...}[W]))`. */
export function histogramBoundsQuery(base: string, matchers: readonly LabelMatcher[], windowMinutes: number): string {
  const sel = formatSelector({ metric: `${base}_bucket`, matchers: matchers.filter((m) => m.name !== 'le') });
  return `count by (le) (count_over_time(${sel}[${promDuration(windowMinutes)}]))`;
}

