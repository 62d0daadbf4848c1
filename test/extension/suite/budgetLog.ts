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

/**
 * The budget suites' base log: Projects::IssuesController (team_planning), all at `time`.
 *   #index  low (5 s):     10000 requests, 3 take 6 s   -> f 3
 *   #create high (0.25 s):  5001 requests, 2 answer 500 -> f 2
 *   #show   low (5 s):      2000 requests, 1 takes 6 s  -> f 1
 *   #update default (1 s):  3000 requests, all fast     -> f 0
 *   o = 20001, e = 2, w = 19999, s = 19995: f = (w - s) + e = 6, m = w + o = 40000.
 */
export function issuesControllerLines(time: string): string[] {
  return [
    ...railsLines(time, 'index', 'low', 10000, 3, 0),
    ...railsLines(time, 'create', 'high', 5001, 0, 2),
    ...railsLines(time, 'show', 'low', 2000, 1, 0),
    ...railsLines(time, 'update', 'default', 3000, 0, 0),
  ];
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
