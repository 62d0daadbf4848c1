/**
 * An objective as the engine evaluates it (issue 13): what OpenSLO v1 documents and the compact
 * native form in .budgetlens.yml both become (objectives/definitions), and what the objective
 * engine (objectives/engine) computes figures, budgets and burn-rate alerts from.
 * Plain data: no YAML positions here except `location`, no queries (sources turn `sli` into counts).
 */
import type { SourceLocation } from '../contract/errors';

/** OpenSLO v1 `budgetingMethod`. */
export type BudgetingMethod = 'Occurrences' | 'Timeslices' | 'RatioTimeslices';

/** OpenSLO `timeWindow`: rolling (`28d`, `7d`, `4w`, `1h`) or calendar-aligned (`1M` from startTime in timeZone). */
export type ObjectiveWindow =
  | {
      kind: 'rolling';
      /** Length in minutes: 28d -> 40,320. */
      minutes: number;
      /** As written: "28d". */
      label: string;
    }
  | {
      kind: 'calendar';
      /** OpenSLO duration units for calendar windows: d, w, M (month), Q, Y. */
      unit: 'd' | 'w' | 'M' | 'Q' | 'Y';
      count: number;
      /** RFC 3339 local date-time the calendar starts from, as written ("2022-01-01 12:00:00" is normalised to "2022-01-01T12:00:00"). */
      startTime: string;
      /** IANA zone ("UTC", "Europe/Berlin"). */
      timeZone: string;
      label: string;
    };

/** How the SLI is measured, source-neutral. Queries stay strings: the source decides what they mean. */
export type ObjectiveSli =
  | {
      kind: 'ratio';
      /** good/total, bad/total, or raw (a ready ratio series; rawType says whether it is good or bad). */
      form: 'good' | 'bad' | 'raw';
      rawType?: 'success' | 'failure';
      /** One query per part, as written in the metricSource spec (e.g. { query: 'sum(rate(x[5m]))' }). */
      good?: MetricQuery;
      bad?: MetricQuery;
      total?: MetricQuery;
      raw?: MetricQuery;
      /** Counter (increase over the window) or per-interval values (summed as given). */
      counter: boolean;
    }
  | {
      kind: 'threshold';
      metric: MetricQuery;
      /** A value is good when `value op threshold` holds: op lt, lte, gt, gte. */
      op: 'lt' | 'lte' | 'gt' | 'gte';
      /** Decimal string as written ("120", "0.5"). */
      threshold: string;
    };

export interface MetricQuery {
  /** The DataSource's `type` (prometheus, budget-lens-store, ...). */
  sourceType: string;
  /** The DataSource's name when it was referenced, else undefined (inline). */
  sourceName?: string;
  /** metricSource.spec as written: e.g. { query: "..." } for Prometheus. */
  spec: Readonly<Record<string, unknown>>;
}

export interface ObjectiveSpec {
  /** metadata.name (unique across the project); the id used by the API, annotations and path rules. */
  name: string;
  displayName?: string;
  description?: string;
  /** The OpenSLO `service` it belongs to. */
  service?: string;
  /** The objective's target as an exact decimal ratio string in (0, 1): "0.998" (targetPercent 99.8 -> "0.998"). */
  target: string;
  budgetingMethod: BudgetingMethod;
  window: ObjectiveWindow;
  /** Timeslices: a slice is good when its own ratio/value meets this (decimal ratio string). */
  timeSliceTarget?: string;
  /** Timeslices / RatioTimeslices: slice length in minutes (1m -> 1, 5m -> 5). */
  timeSliceWindowMinutes?: number;
  sli: ObjectiveSli;
  /** Where this objective attaches in the catalog: a feature category and/or a stage group. */
  category?: string;
  group?: string;
  /** Where it was defined (file:line:col of its `spec` or native entry). */
  location: SourceLocation;
  /** Burn-rate alerts from the OpenSLO SLO's alertPolicies; absent when it has none (added with the definitions). */
  alerts?: ObjectiveAlert[];
}

/**
 * A burn-rate alert of an objective: one OpenSLO AlertPolicy (inline or alertPolicyRef) with its one
 * AlertCondition (inline or conditionRef) of kind burnrate, and its notification targets.
 */
export interface ObjectiveAlert {
  /** The AlertPolicy's metadata.name. */
  policy: string;
  /** The AlertCondition's metadata.name. */
  condition: string;
  severity: string;
  /** Alert when `burn rate op threshold` holds. */
  op: 'lt' | 'lte' | 'gt' | 'gte';
  /** The burn rate as an exact decimal string ("14.4"). */
  threshold: string;
  lookbackWindowMinutes: number;
  alertAfterMinutes?: number;
  alertWhenNoData: boolean;
  alertWhenBreaching: boolean;
  alertWhenResolved: boolean;
  /** AlertNotificationTarget name and its `target` as written. */
  notificationTargets: { name: string; target: string }[];
}

