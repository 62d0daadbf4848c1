/**
 * Request-log lines (domain.md section 5) for the suites that serve a real Budget API: the
 * budgetData and panelTree suites write them, `budget-lens ingest` reads them. Each suite's header
 * computes its figures by hand from the lines it writes.
 */

/**
 * `count` Rails requests of one action: the first `errors` answer 500, the next `slow` take 6 s
 * (over the 5 s low / 0.25 s high / 1 s default thresholds), the rest 0.1 s.
 */
export function railsLines(
  time: string,
  action: string,
  urgency: string,
  count: number,
  slow: number,
  errors: number,
  where: { controller: string; category: string } = { controller: 'Projects::IssuesController', category: 'team_planning' },
): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      time,
      method: action === 'create' ? 'POST' : 'GET',
      path: '/gitlab-org/gitlab/-/issues',
      controller: where.controller,
      action,
      status: i < errors ? 500 : 200,
      duration_s: i >= errors && i < errors + slow ? 6 : 0.1,
      'meta.caller_id': `${where.controller}#${action}`,
      'meta.feature_category': where.category,
      request_urgency: urgency,
    }),
  );
}

/** `count` Grape requests of the tags API (source_code_management, urgency low); the first `slow` take 6 s. */
export function grapeLines(time: string, count: number, slow: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      time,
      method: 'GET',
      route: '/api/:version/projects/:id/repository/tags',
      status: 200,
      duration_s: i < slow ? 6 : 0.05,
      'meta.caller_id': 'GET /api/:version/projects/:id/repository/tags',
      'meta.feature_category': 'source_code_management',
      request_urgency: 'low',
    }),
  );
}
