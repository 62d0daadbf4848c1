/**
 * The hand-made catalogs of test/fixtures/catalog/history, in force from 2026-11-01, 2026-11-15 and
 * 2026-11-20 (midnight UTC), as a CatalogHistory:
 *  11-15: team_planning project_management -> knowledge; group code_review renamed code_review_ui;
 *  11-20: duo_chat added to knowledge; portfolio_management no longer listed (-> not_owned).
 */
import * as path from 'node:path';
import { loadCatalog } from '../../src/sdk/catalog/catalogParser';
import { CatalogHistory } from '../../src/sdk/catalog/catalogHistory';
import type { Catalog } from '../../src/sdk/catalog/types';

export const HISTORY_FIXTURES = path.join(__dirname, '..', 'fixtures', 'catalog', 'history');
export const HISTORY_DATES = ['2026-11-01', '2026-11-15', '2026-11-20'] as const;

export async function fixtureCatalogs(): Promise<Catalog[]> {
  const fc = path.join(HISTORY_FIXTURES, 'feature_categories.yml');
  return Promise.all(HISTORY_DATES.map((d) => loadCatalog({ stagesPath: path.join(HISTORY_FIXTURES, `stages-${d}.yml`), featureCategoriesPath: fc })));
}

/** The history of the given fixture catalogs (default all three). */
export async function fixtureHistory(which: ReadonlyArray<0 | 1 | 2> = [0, 1, 2]): Promise<{ history: CatalogHistory; catalogs: Catalog[] }> {
  const catalogs = await fixtureCatalogs();
  const history = new CatalogHistory(which.map((i) => ({ from: Date.parse(`${HISTORY_DATES[i]}T00:00:00Z`), catalog: catalogs[i]!, label: HISTORY_DATES[i] })));
  return { history, catalogs };
}

/** The four SLI counts, as the series of GitLab's exporters and rules name them. */
export type Kind = 'apdexSuccess' | 'apdexWeight' | 'ops' | 'errors';
export const KINDS: readonly Kind[] = ['apdexSuccess', 'apdexWeight', 'ops', 'errors'];

/** The labels GitLab's dashboard query selects on (docs/domain.md section 4). */
export const SEL: Record<string, string> = { environment: 'gprd', stage: 'main', monitor: 'global' };

/** The application's raw Rails request counters (by feature_category and endpoint_id). */
export const RAW: Record<Kind, string> = {
  apdexSuccess: 'gitlab_sli_rails_request_apdex_success_total',
  apdexWeight: 'gitlab_sli_rails_request_apdex_total',
  ops: 'gitlab_sli_rails_request_total',
  errors: 'gitlab_sli_rails_request_error_total',
};

/** GitLab's recorded per-second 1h rates by stage_group and component. */
export const RECORDED: Record<Kind, string> = {
  apdexSuccess: 'gitlab:component:stage_group:execution:apdex:success:rate_1h',
  apdexWeight: 'gitlab:component:stage_group:execution:apdex:weight:score_1h',
  ops: 'gitlab:component:stage_group:execution:ops:rate_1h',
  errors: 'gitlab:component:stage_group:execution:error:rate_1h',
};

/**
 * GitLab's recorded per-second 1h rates per Rails endpoint, by endpoint_id, feature_category and
 * request_urgency (no stage_group: what recording_rules mode reads for endpoints, prometheusQueries.ts).
 */
export const RECORDED_ENDPOINT: Record<Kind, string> = {
  apdexSuccess: 'application_sli_aggregation:rails_request:apdex:success:rate_1h',
  apdexWeight: 'application_sli_aggregation:rails_request:apdex:weight:rate_1h',
  ops: 'application_sli_aggregation:rails_request:ops:rate_1h',
  errors: 'application_sli_aggregation:rails_request:error:rate_1h',
};

/**
 * GitLab's dashboard availability of one group over 28 d (docs/domain.md section 4) over the
 * RECORDED series with the SEL labels, ignored components left out (with no
 * gitlab:ignored_component:stage_group series, the `unless` leaves every component in).
 */
export function dashboardQuery(group: string): string {
  const sel = `{environment="gprd",stage="main",monitor="global",stage_group="${group}"}`;
  const sot = (k: Kind): string => `sum_over_time(${RECORDED[k]}${sel}[28d])`;
  return `clamp_max(
  sum(sum by (stage_group, component) (
    label_replace(${sot('apdexSuccess')}, "sli_kind", "apdex", "", "")
    or label_replace(${sot('ops')} - ${sot('errors')}, "sli_kind", "error", "", "")
  ) unless on (stage_group, component) gitlab:ignored_component:stage_group)
  /
  sum(sum by (stage_group, component) (
    label_replace(${sot('apdexWeight')}, "sli_kind", "apdex", "", "")
    or label_replace(${sot('ops')} and ${sot('errors')}, "sli_kind", "error", "", "")
  ) unless on (stage_group, component) gitlab:ignored_component:stage_group),
1)`;
}
