/**
 * The fields of a GitLab request log line (production_json.log / api_json.log) for the endpoints
 * the store tests log again and again, spread into each line: `{ ...ISSUES_INDEX, status: 500, ... }`.
 * Categories and urgencies are those of examples/gitlab-style and the GitLab catalog.
 */

/** `Projects::IssuesController#index`: team_planning, urgency low (5 s). */
export const ISSUES_INDEX = {
  method: 'GET',
  path: '/gitlab-org/gitlab/-/issues',
  controller: 'Projects::IssuesController',
  action: 'index',
  'meta.caller_id': 'Projects::IssuesController#index',
  'meta.feature_category': 'team_planning',
  request_urgency: 'low',
  target_duration_s: 5,
} as const;

/** `GET /api/:version/projects/:id/repository/tags`: source_code_management, urgency low (5 s). */
export const REPOSITORY_TAGS = {
  method: 'GET',
  route: '/api/:version/projects/:id/repository/tags',
  path: '/api/v4/projects/1/repository/tags',
  'meta.caller_id': 'GET /api/:version/projects/:id/repository/tags',
  'meta.feature_category': 'source_code_management',
  request_urgency: 'low',
  target_duration_s: 5,
} as const;

/** `Projects::PipelineSchedulesController#play`: continuous_integration, urgency default (1 s). */
export const PIPELINE_SCHEDULE_PLAY = {
  method: 'POST',
  path: '/gitlab-org/gitlab/-/pipeline_schedules/7/play',
  controller: 'Projects::PipelineSchedulesController',
  action: 'play',
  'meta.caller_id': 'Projects::PipelineSchedulesController#play',
  'meta.feature_category': 'continuous_integration',
  request_urgency: 'default',
  target_duration_s: 1,
} as const;
