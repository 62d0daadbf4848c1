/**
 * Folding Prometheus samples into SLI counts. Each query answers one counter kind for many
 * entities (groups, categories, endpoints) and components; this adds them up per entity and
 * component and remembers which kinds were seen, because a component whose error series is
 * absent has no error SLI (`hasErrorSli: false`), while an absent error series next to an error
 * SLI that exists elsewhere in the answer means zero errors.
 */
import type { ComponentCounts, SliCounts } from '../contract/budgetTypes';
import { failuresOf as engineFailuresOf, zeroCounts } from '../budget/counts';
import type { VectorSample } from './prometheusClient';
import type { CounterKind } from './prometheusQueries';

const FIELD: Record<CounterKind, keyof SliCounts> = {
  apdexSuccess: 'apdexSuccess',
  apdexWeight: 'apdexWeight',
  ops: 'ops',
  errors: 'errors',
};

export interface CountAccumulator {
  counts: SliCounts;
  kinds: Set<CounterKind>;
}

/** entity key -> component -> accumulated counts. */
export class CountTable {
  readonly rows = new Map<string, Map<string, CountAccumulator>>();

  add(entity: string, component: string, kind: CounterKind, value: number): void {
    let byComponent = this.rows.get(entity);
    if (!byComponent) this.rows.set(entity, (byComponent = new Map()));
    let acc = byComponent.get(component);
    if (!acc) byComponent.set(component, (acc = { counts: zeroCounts(), kinds: new Set() }));
    acc.counts[FIELD[kind]] += value;
    acc.kinds.add(kind);
  }

  /**
   * Adds one query's samples. `entityOf` names the entity a sample belongs to, or undefined to skip
   * it (e.g. a category outside the requested scope).
   */
  addSamples(kind: CounterKind, samples: readonly VectorSample[], entityOf: (labels: Record<string, string>) => string | undefined): void {
    for (const s of samples) {
      const entity = entityOf(s.labels);
      if (entity === undefined) continue;
      this.add(entity, s.labels['component'] ?? 'unknown', kind, s.value);
    }
  }

  components(entity: string): ComponentCounts[] {
    const byComponent = this.rows.get(entity);
    if (!byComponent) return [];
    return [...byComponent.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([component, acc]) => ({ component, counts: { ...acc.counts }, hasErrorSli: acc.kinds.has('errors') }));
  }

  /** Components that have an error series for at least one entity of this table. */
  componentsWithErrorSli(): Set<string> {
    const out = new Set<string>();
    for (const byComponent of this.rows.values()) {
      for (const [component, acc] of byComponent) if (acc.kinds.has('errors')) out.add(component);
    }
    return out;
  }
}

/** f = (w - s) + e, counting errors only for components with an error SLI (domain.md F2). */
export function failuresOf(counts: SliCounts, hasErrorSli: boolean): number {
  return hasErrorSli ? engineFailuresOf(counts) : engineFailuresOf({ ...counts, errors: 0 });
}
