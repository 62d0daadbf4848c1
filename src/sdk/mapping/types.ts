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

export interface FileMapping {
  file: string;
  categories: CategoryRange[];
  endpoints: Endpoint[];
  findings: Finding[];
}
