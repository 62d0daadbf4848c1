/**
 * The low-level contract every backend implements: raw SLI counts over a window ending at an
 * evaluation instant. Budget arithmetic happens above it (src/sdk/budget via BudgetService), so
 * Prometheus and the embedded store give the same numbers for the same events.
 *
 * Implementations: PrometheusSource (src/sdk/sources/prometheus*.ts), StoreSource (src/sdk/store).
 */
import type { BudgetWindow, ComponentCounts, Component, SliCounts } from './budgetTypes';

export interface EvalOptions {
  window: BudgetWindow;
  /** The instant the window ends. Default: now. Makes reports and comparisons reproducible. */
  at?: Date;
  signal?: AbortSignal;
}

/** What a result is about: one group or one category. */
export type Scope = { group: string } | { category: string };

/** How a result was computed, shown to users like Pyrra's "show the query". */
export interface Provenance {
  kind: 'promql' | 'store';
  /** Prometheus base URL or store file path. */
  source: string;
  /** PromQL expressions, or a description of the store aggregate (SQL). */
  queries: string[];
}

/**
 * One change of the catalog in force (issue 15 item 1, domain.md section 1 "Catalog history"):
 * from `at` on, events are attributed to the new owner; before it, to the old one.
 * - `category_moved`: `category` went from group `from` to group `to`;
 * - `group_renamed`: group `from` is group `to` from now on (same categories, new key);
 * - `category_added` / `category_removed`: a category a group (`to` / `from`) began or ceased to own
 *   (before / after, it belongs to the not_owned pseudo-group).
 */
export interface CatalogChange {
  /** ISO instant the new catalog came in force. */
  at: string;
  kind: 'category_moved' | 'group_renamed' | 'category_added' | 'category_removed';
  /** Absent for group_renamed. */
  category?: string;
  /** The group before (absent for category_added). */
  from?: string;
  /** The group after (absent for category_removed). */
  to?: string;
}

export interface ResultMeta {
  window: { label: string; minutes: number; start: string; end: string };
  /** ISO time the window ends (the evaluation time). */
  asOf: string;
  provenance: Provenance;
  /**
   * Data-quality notes about this result (optional, added compatibly): a backend's partial-response
   * warnings, NaN/Inf samples dropped as bad data. Absent or empty when there is nothing to say.
   */
  warnings?: string[];
  /**
   * Catalog changes inside the window (optional, added compatibly): the window's hours are
   * attributed to the group that owned each category then, and this says what moved and when.
   * Absent when the catalog in force did not change inside the window (or no history is known).
   */
  catalogChanges?: CatalogChange[];
}

export interface Sourced<T> {
  meta: ResultMeta;
  data: T;
}

export interface GroupCounts {
  group: string;
  components: ComponentCounts[];
}

export interface CategoryCounts {
  category: string;
  components: ComponentCounts[];
}

export interface EndpointCounts {
  endpointId: string;
  component: Component;
  category: string;
  urgency: string;
  counts: SliCounts;
  hasErrorSli: boolean;
}

export interface DailyCounts {
  /** UTC day `YYYY-MM-DD`. */
  date: string;
  components: ComponentCounts[];
}

export interface BudgetSource {
  readonly kind: 'prometheus' | 'store';
  /**
   * The length of the buckets the source counts in, when it has any (the store: 60, hourly); a
   * window counts the buckets whose start lies in it. Absent: any range is counted as it is
   * (Prometheus). Manual adjustments are widened to whole buckets (budget/adjustments.ts).
   */
  readonly bucketMinutes?: number;
  /** Counts per group for the listed groups (all groups with data when omitted). */
  groupCounts(opts: EvalOptions & { groups?: string[] }): Promise<Sourced<GroupCounts[]>>;
  /** Counts per category for the listed categories (all with data when omitted). */
  categoryCounts(opts: EvalOptions & { categories?: string[] }): Promise<Sourced<CategoryCounts[]>>;
  /** Per-endpoint counts in a scope; the caller ranks them. `limit` bounds rows by failures. */
  endpointCounts(opts: EvalOptions & { scope: Scope; limit?: number }): Promise<Sourced<EndpointCounts[]>>;
  /**
   * Per-endpoint counts of exactly these endpoint ids (endpoint_id, or worker for jobs), in any
   * category and component, unranked; ids without traffic have no row.
   */
  endpointCountsById(opts: EvalOptions & { endpointIds: string[] }): Promise<Sourced<EndpointCounts[]>>;
  /**
   * Optional, one read for F15: every endpoint row (as endpointCounts returns them, unranked) of
   * each category any of these ids has rows in, so the asked ids' own rows are among them. Sorted
   * by endpoint id, category, component, urgency. A source without it is read by id, then per
   * category (the store has it: the asked rows are a subset of their categories' rows, read once).
   */
  endpointCountsWithPeers?(opts: EvalOptions & { endpointIds: string[] }): Promise<Sourced<EndpointCounts[]>>;
  /** One row per UTC day of the window, oldest first, days without data included with zero counts. */
  dailyCounts(opts: EvalOptions & { scope: Scope }): Promise<Sourced<DailyCounts[]>>;
  /** Components a backend says a group ignores (Prometheus: gitlab:ignored_component:stage_group). */
  ignoredComponents?(opts: { signal?: AbortSignal; at?: Date }): Promise<Array<{ group: string; component: Component }>>;
  close(): Promise<void>;
}
