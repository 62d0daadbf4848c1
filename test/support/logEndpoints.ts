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

/**
 * Request lines number `from` .. `from + n - 1` (a production_json.log excerpt), each distinct: its
 * own second from 2024-03-01T00:00:00Z and its own correlation id, a successful (200, 0.1 s)
 * request in `wiki`, so a store's operation count `o` is the number of lines counted. With
 * `endpoints` > 1 the lines take turns over that many controllers (`Projects::X<i mod n>Controller#show`).
 */
export function numberedRequestLines(from: number, n: number, endpoints = 1): string {
  let out = '';
  for (let i = from; i < from + n; i++) {
    const t = new Date(Date.UTC(2024, 2, 1) + i * 1000).toISOString();
    const caller = endpoints === 1 ? 'Projects::X#show' : `Projects::X${i % endpoints}Controller#show`;
    out += `${JSON.stringify({ time: t, status: 200, duration_s: 0.1, correlation_id: `c${i}`, 'meta.caller_id': caller, 'meta.feature_category': 'wiki' })}\n`;
  }
  return out;
}
