/**
 * Code -> feature category mapping and endpoint inventory (issue 3).
 * Endpoint ids are byte-for-byte the ids the backend reports (domain.md section 1).
 */
import type { ObjectiveFindingCode } from '../objectives/findings';
import type { Urgency } from '../contract/budgetTypes';

export type EndpointKind = 'rails' | 'grape' | 'sidekiq' | 'graphql' | 'annotated';

/** How a category was attributed; precedence: declaration > annotation > path_rule > unknown. */
export type AttributionSource = 'declaration' | 'inherited' | 'annotation' | 'path_rule' | 'unknown';

export interface Endpoint {
  /** `Projects::IssuesController#index`, `GET /api/:version/projects/:id/issues`, `WorkItems::CopyTimelogsWorker`, `graphql:getPipelineDetails`. */
  id: string;
  kind: EndpointKind;
  category: string;
  urgency: Urgency;
  /** Apdex threshold in seconds for this urgency and component. */
  thresholdS: number;
  /** Workspace-relative path with '/' separators. */
  file: string;
  /** 1-based line of the definition (`def action`, `get '...'`, class line for workers). */
  line: number;
  attribution: AttributionSource;
}

export type RangeScope = 'file' | 'class' | 'action' | 'route';

/** A range of a file attributed to a category. Lines are 1-based, inclusive. */
export interface CategoryRange {
  category: string;
  scope: RangeScope;
  /** Class, `Class#action` or route id the range belongs to; the file path for scope 'file'. */
  name: string;
  startLine: number;
  endLine: number;
  attribution: AttributionSource;
}

export type FindingCode =
  | 'unknown_category'
  | 'redeclared_action'
  | 'redeclared_default'
  | 'action_under_class_default'
  | 'unknown_urgency'
  | 'parse_error'
  | 'file_skipped'
  /** A Grape route whose path or options are computed at load time (a loop over a method's result, `configuration[:path]`): not mapped. */
  | 'route_unresolved'
  /** `.budgetlens.yml`: a group's custom target past its review date (project/configLint.ts). */
  | 'expired_custom_target'
  /** A manual adjustment naming a group or category the catalog lacks, or overlapping another (issue 15). */
  | 'invalid_adjustment'
  /** `@slo <name>` or an `objectives.pathRules` entry naming no objective of the project. */
  | 'unknown_objective'
  /** Objective definitions: OpenSLO files and `objectives:` (objectives/findings.ts). */
  | ObjectiveFindingCode;

export interface Finding {
  code: FindingCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  line: number;
  column: number;
  /** For unknown_category: the closest known name. */
  suggestion?: string;
}

/**
 * A range of a file attached to objectives by a `@slo <name>` annotation (annotations.ts). Lines
 * are 1-based, inclusive; ranges of one file may nest (the innermost applies).
 */
export interface ObjectiveRange {
  /** Objective names as written, in order, without repeats. */
  objectives: string[];
  scope: RangeScope;
  /** The function or class name; the file path for scope 'file'. */
  name: string;
  startLine: number;
  endLine: number;
  /** 1-based line of the (first) `@slo` tag. */
  line: number;
}

/**
 * How objectives reach a line, strongest first: a `@slo` annotation around it, an
 * `objectives.pathRules` rule matching the file, the objectives of the line's feature category
 * (ObjectiveSpec.category) or of its group (ObjectiveSpec.group).
 */
export type ObjectiveAttribution = 'annotation' | 'path_rule' | 'category';

/** The objectives that apply at one line, and why (WorkspaceIndex.objectivesAt). */
export interface LineObjectives {
  objectives: string[];
  attribution: ObjectiveAttribution;
  /** annotation: the innermost @slo range around the line. */
  range?: ObjectiveRange;
  /** path_rule: the winning rule's pattern and index in objectives.pathRules. */
  rule?: { pattern: string; index: number };
  /** category: the line's feature category (its objectives, then its group's). */
  category?: string;
}

export interface FileMapping {
  file: string;
  categories: CategoryRange[];
  endpoints: Endpoint[];
  findings: Finding[];
  /** `@slo` annotation ranges; absent when the file has none. */
  objectives?: ObjectiveRange[];
}
