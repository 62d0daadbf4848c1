/**
 * StoreSource: BudgetSource over the embedded SQLite store (storeSchema.ts). Group and category
 * reads use the category rollups only; endpoint reads use the per-endpoint tables restricted to
 * the scope's categories. Whole days come from the daily rollups, the window's edges from the
 * hourly tables (windowBuckets.ts). Statements are prepared once per source.
 */
import type { Statement } from 'better-sqlite3';
import type { ComponentCounts, SliCounts } from '../contract/budgetTypes';
import type { Catalog } from '../catalog/types';
import type {
  BudgetSource,
  CategoryCounts,
  DailyCounts,
  EndpointCounts,
  EvalOptions,
  GroupCounts,
  ResultMeta,
  Scope,
  Sourced,
} from '../contract/budgetSource';
import type { StoreDatabase } from './storeSchema';
import { AGGREGATE_TABLES, openStoreDatabase, rowChecksumSql } from './storeSchema';
import { StoreDamagedError, findDamagedRows } from './storeCheck';
import type { WindowBuckets } from './windowBuckets';
import { FINEST_WINDOW_MINUTES, HOUR_MS, epochDayToDate, hourRangeBuckets, windowBuckets } from './windowBuckets';
import type { CatalogHistory } from '../catalog/catalogHistory';
import { END_TIME_HOUR } from '../budget/saneTime';
import { zeroCounts } from '../budget/counts';
import { sumComponentsByKey } from '../budget/rollUp';

export interface StoreSourceOptions {
  path: string;
  catalog: Catalog;
  /**
   * The catalog in force over time (issue 15 item 1): group figures attribute each hour bucket to
   * the group that owned the category at the hour's start (a change at 10:30 counts from 11:00).
   * Without it, `catalog` for every hour.
   */
  history?: CatalogHistory;
  /** Open without writing (no migration, the file must exist). */
  readonly?: boolean;
}

export interface StoreSource extends BudgetSource {
  readonly kind: 'store';
  readonly path: string;
  endpointCountsWithPeers(opts: EvalOptions & { endpointIds: string[] }): Promise<Sourced<EndpointCounts[]>>;
}

const IN_SCOPE = 'category IN (SELECT value FROM json_each(@categories))';

const [HOURLY_ENDPOINT, DAILY_ENDPOINT, HOURLY_CATEGORY, DAILY_CATEGORY] = AGGREGATE_TABLES;
/** Per row read: 1 when its checksum does not match its counts (schema 3); any 1 refuses the read. */
const BAD = (table: (typeof AGGREGATE_TABLES)[number], q = ''): string => `(${rowChecksumSql(table, q)} <> ${q}ck) AS bad`;

/** Rows of the category rollups in the window, for the categories in @categories. */
const CATEGORY_ROWS = (cols: string, hourCols: string): string => `
    SELECT ${cols}, ${BAD(DAILY_CATEGORY)} FROM daily_category WHERE ${IN_SCOPE} AND day >= @firstDay AND day < @endDay
    UNION ALL
    SELECT ${hourCols}, ${BAD(HOURLY_CATEGORY)} FROM hourly_category WHERE ${IN_SCOPE} AND hour >= @headStart AND hour < @headEnd
    UNION ALL
    SELECT ${hourCols}, ${BAD(HOURLY_CATEGORY)} FROM hourly_category WHERE ${IN_SCOPE} AND hour >= @tailStart AND hour < @tailEnd`;

const CATEGORY_COUNTS_SQL = `SELECT category, component, SUM(s) AS s, SUM(w) AS w, SUM(o) AS o, SUM(e) AS e, MAX(bad) AS bad FROM (${CATEGORY_ROWS(
  'category, component, s, w, o, e',
  'category, component, s, w, o, e',
)}
  ) GROUP BY category, component ORDER BY category, component`;

const DAILY_COUNTS_SQL = `SELECT day, component, SUM(s) AS s, SUM(w) AS w, SUM(o) AS o, SUM(e) AS e, MAX(bad) AS bad FROM (${CATEGORY_ROWS(
  'day, component, s, w, o, e',
  'hour / 24 AS day, component, s, w, o, e',
)}
  ) GROUP BY day, component ORDER BY day, component`;

const ENDPOINT_ROWS = (table: (typeof AGGREGATE_TABLES)[number], range: string): string =>
  `SELECT t.endpoint, t.s, t.w, t.o, t.e, ${BAD(table, 't.')} FROM endpoints en JOIN ${table.table} t ON t.endpoint = en.id AND ${range} WHERE en.${IN_SCOPE}`;

// `bad` is a window over every endpoint, not only the LIMIT's first: a damaged count anywhere
// in scope could have changed the ranking.
const ENDPOINT_COUNTS_SQL = `SELECT en.endpoint_id AS endpointId, en.component AS component, en.category AS category, en.urgency AS urgency,
    a.s AS s, a.w AS w, a.o AS o, a.e AS e, MAX(a.bad) OVER () AS bad
  FROM (SELECT endpoint, SUM(s) AS s, SUM(w) AS w, SUM(o) AS o, SUM(e) AS e, MAX(bad) AS bad FROM (
    ${ENDPOINT_ROWS(DAILY_ENDPOINT, 't.day >= @firstDay AND t.day < @endDay')}
    UNION ALL
    ${ENDPOINT_ROWS(HOURLY_ENDPOINT, 't.hour >= @headStart AND t.hour < @headEnd')}
    UNION ALL
    ${ENDPOINT_ROWS(HOURLY_ENDPOINT, 't.hour >= @tailStart AND t.hour < @tailEnd')}
  ) GROUP BY endpoint) a
  JOIN endpoints en ON en.id = a.endpoint
  ORDER BY (a.w - a.s + a.e) DESC, en.endpoint_id, en.component
  LIMIT @limit`;

const ENDPOINT_ROWS_BY_ID = (table: (typeof AGGREGATE_TABLES)[number], range: string): string =>
  `SELECT t.endpoint, t.s, t.w, t.o, t.e, ${BAD(table, 't.')} FROM endpoints en JOIN ${table.table} t ON t.endpoint = en.id AND ${range} WHERE en.endpoint_id IN (SELECT value FROM json_each(@endpointIds))`;

/** The asked endpoint ids' counts, any category and component (F15 reads them before their categories). */
const ENDPOINT_COUNTS_BY_ID_SQL = `SELECT en.endpoint_id AS endpointId, en.component AS component, en.category AS category, en.urgency AS urgency,
    a.s AS s, a.w AS w, a.o AS o, a.e AS e, a.bad AS bad
  FROM (SELECT endpoint, SUM(s) AS s, SUM(w) AS w, SUM(o) AS o, SUM(e) AS e, MAX(bad) AS bad FROM (
    ${ENDPOINT_ROWS_BY_ID(DAILY_ENDPOINT, 't.day >= @firstDay AND t.day < @endDay')}
    UNION ALL
    ${ENDPOINT_ROWS_BY_ID(HOURLY_ENDPOINT, 't.hour >= @headStart AND t.hour < @headEnd')}
    UNION ALL
    ${ENDPOINT_ROWS_BY_ID(HOURLY_ENDPOINT, 't.hour >= @tailStart AND t.hour < @tailEnd')}
  ) GROUP BY endpoint) a
  JOIN endpoints en ON en.id = a.endpoint
  ORDER BY en.endpoint_id, en.category, en.component`;

/** The categories any of @endpointIds has rows in (all time: the window's sums drop the others' empty rows). */
const CATEGORIES_OF_IDS = 'SELECT DISTINCT category FROM endpoints WHERE endpoint_id IN (SELECT value FROM json_each(@endpointIds))';

/** One range of one table, summed per endpoint row of the asked ids' categories (index order: no sort). */
const PEER_SUMS = (table: (typeof AGGREGATE_TABLES)[number], range: string): string =>
  `SELECT en.id AS id, en.endpoint_id AS endpointId, en.component AS component, en.category AS category, en.urgency AS urgency,
      SUM(t.s) AS s, SUM(t.w) AS w, SUM(t.o) AS o, SUM(t.e) AS e, MAX(${rowChecksumSql(table, 't.')} <> t.ck) AS bad
    FROM endpoints en JOIN ${table.table} t ON t.endpoint = en.id AND ${range}
    WHERE en.category IN (${CATEGORIES_OF_IDS}) GROUP BY en.category, en.id`;

/**
 * F15 in one read: every endpoint of the asked ids' categories, summed over the window, so the
 * asked rows (a subset) are not read twice. Each range is summed per endpoint as the index walks
 * it, and only those few rows (at most three per endpoint) are added up and sorted. `bad`
 * covers every row read, as endpointCounts' does.
 */
const ENDPOINT_COUNTS_WITH_PEERS_SQL = `SELECT endpointId, component, category, urgency,
    SUM(s) AS s, SUM(w) AS w, SUM(o) AS o, SUM(e) AS e, MAX(bad) AS bad FROM (
    ${PEER_SUMS(DAILY_ENDPOINT, 't.day >= @firstDay AND t.day < @endDay')}
    UNION ALL
    ${PEER_SUMS(HOURLY_ENDPOINT, 't.hour >= @headStart AND t.hour < @headEnd')}
    UNION ALL
    ${PEER_SUMS(HOURLY_ENDPOINT, 't.hour >= @tailStart AND t.hour < @tailEnd')}
  ) GROUP BY id
  ORDER BY endpointId, category, component, urgency`;

const DATA_CATEGORIES_SQL = 'SELECT DISTINCT category FROM endpoints ORDER BY category';

/**
 * The hours the ingested files cover, from sane hours only (saneTime.ts: 1970-2100): a store
 * ingested before lines were checked may hold a file whose last hour is in 9999, which would
 * silence the "ingest newer logs" warning forever; such a bound is left out. A sane but future
 * hour (one line dated 2099) is capped at the hour after the file was ingested: a log cannot
 * cover hours that had not happened when it was read, so the warning still fires once it is old.
 */
const COVERAGE_SQL = `SELECT MIN(CASE WHEN first_hour >= 0 AND first_hour < ${END_TIME_HOUR} THEN first_hour END) AS first,
  MAX(CASE WHEN last_hour >= 0 AND last_hour < ${END_TIME_HOUR}
    THEN MIN(last_hour, COALESCE(CAST(strftime('%s', ingested_at) AS INTEGER) / 3600 + 1, last_hour)) END) AS last FROM ingested_files`;

interface CountsRecord {
  s: number;
  w: number;
  o: number;
  e: number;
  /** 1 when a row summed here failed its checksum. */
  bad: number;
}

function sli(r: CountsRecord): SliCounts {
  return { apdexSuccess: r.s, apdexWeight: r.w, ops: r.o, errors: r.e };
}

function componentCounts(component: string, counts: SliCounts): ComponentCounts {
  // Every log-derived component has an error SLI: requests have 5xx, jobs have failures.
  return { component, counts, hasErrorSli: true };
}


function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

class SqliteStoreSource implements StoreSource {
  readonly kind = 'store' as const;
  /** Hourly buckets (windowBuckets.ts): a manual adjustment removes the hours it touches. */
  readonly bucketMinutes = FINEST_WINDOW_MINUTES;
  private readonly db: StoreDatabase;
  private readonly categoryCountsStmt: Statement;
  private readonly dailyCountsStmt: Statement;
  private readonly endpointCountsStmt: Statement;
  private readonly endpointCountsByIdStmt: Statement;
  private readonly endpointCountsWithPeersStmt: Statement;
  private readonly dataCategoriesStmt: Statement;
  private readonly coverageStmt: Statement;

  constructor(
    readonly path: string,
    private readonly catalog: Catalog,
    readonly: boolean,
    private readonly history?: CatalogHistory,
  ) {
    this.db = openStoreDatabase(path, { readonly });
    this.categoryCountsStmt = this.db.prepare(CATEGORY_COUNTS_SQL);
    this.dailyCountsStmt = this.db.prepare(DAILY_COUNTS_SQL);
    this.endpointCountsStmt = this.db.prepare(ENDPOINT_COUNTS_SQL);
    this.endpointCountsByIdStmt = this.db.prepare(ENDPOINT_COUNTS_BY_ID_SQL);
    this.endpointCountsWithPeersStmt = this.db.prepare(ENDPOINT_COUNTS_WITH_PEERS_SQL);
    this.dataCategoriesStmt = this.db.prepare(DATA_CATEGORIES_SQL).pluck();
    this.coverageStmt = this.db.prepare(COVERAGE_SQL);
  }

  private params(b: WindowBuckets, categories: string[]): Record<string, number | string> {
    return {
      categories: JSON.stringify(categories),
      firstDay: b.firstDay,
      endDay: b.endDay,
      headStart: b.headStart,
      headEnd: b.headEnd,
      tailStart: b.tailStart,
      tailEnd: b.tailEnd,
    };
  }

  private meta(opts: EvalOptions, b: WindowBuckets, sql: string, params: Record<string, number | string>): ResultMeta {
    const end = new Date(b.endMs).toISOString();
    const warnings = this.coverageWarnings(b);
    if (opts.window.minutes < FINEST_WINDOW_MINUTES) {
      warnings.push(`the store keeps hourly counts: the ${opts.window.label} window was read as the hour ending at ${end} (the same buckets as 1h)`);
    }
    return {
      window: { label: opts.window.label, minutes: opts.window.minutes, start: new Date(b.startMs).toISOString(), end },
      asOf: end,
      provenance: { kind: 'store', source: this.path, queries: [`-- params: ${JSON.stringify(params)}\n${sql.trim()}`] },
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }

  /**
   * Says when the window reaches past the ingested logs, so "no data" or a small spend is not
   * mistaken for a healthy period: a store only knows the hours its files covered.
   */
  private coverageWarnings(b: WindowBuckets): string[] {
    const { first, last } = this.coverageStmt.get() as { first: number | null; last: number | null };
    const warnings: string[] = [];
    const hourIso = (h: number): string => new Date(h * HOUR_MS).toISOString();
    if (first !== null && first > b.firstHour) warnings.push(`the store's logs start at ${hourIso(first)}, after the window starts: earlier hours have no data`);
    // One hour of grace: the hour in progress is never in a rotated log yet.
    if (last !== null && last < b.endHour - 2) warnings.push(`the store's newest logs are from the hour ${hourIso(last)}, before the window ends: ingest newer logs`);
    return warnings;
  }

  /**
   * Refuses the read when any row it summed failed its checksum: damaged counts are never served.
   * The error names the damaged rows (table, category or endpoint, hour or day).
   */
  private verify<T extends { bad: number | null }>(rows: T[], b: WindowBuckets, categories: string[]): T[] {
    if (!rows.some((r) => r.bad)) return rows;
    const damaged = findDamagedRows(this.db, {
      categories,
      hours: [
        [b.headStart, b.headEnd],
        [b.tailStart, b.tailEnd],
      ],
      days: [[b.firstDay, b.endDay]],
    });
    throw new StoreDamagedError(this.path, damaged);
  }

  /** Categories with any stored data (a small indexed table, not the counts). */
  private dataCategories(): string[] {
    return this.dataCategoriesStmt.all() as string[];
  }

  private scopeCategories(scope: Scope, catalog: Catalog = this.catalog): string[] {
    if ('category' in scope) return [scope.category];
    const group = scope.group;
    // Data categories owned by the group (unlisted ones belong to not_owned via groupOf), plus
    // the catalog's own list so a group without data is still a well-formed empty scope.
    const fromData = this.dataCategories().filter((c) => catalog.groupOf(c).key === group);
    return [...new Set([...catalog.categoriesOf(group), ...fromData])];
  }

  /**
   * The parts of the window one catalog was in force (catalog history, docs/domain.md section 1): the
   * window's hours cut where the catalog changed (an hour bucket goes to the catalog in force at its
   * start), each with its buckets. Without a history, the whole window with today's catalog.
   */
  private parts(b: WindowBuckets): Array<{ buckets: WindowBuckets; catalog: Catalog }> {
    if (!this.history) return [{ buckets: b, catalog: this.catalog }];
    return this.history
      .segments(b.firstHour * HOUR_MS, b.endHour * HOUR_MS, (ms) => Math.ceil(ms / HOUR_MS) * HOUR_MS)
      .map((s) => ({ buckets: hourRangeBuckets(s.start / HOUR_MS, s.end / HOUR_MS), catalog: s.catalog }));
  }

  /**
   * A scope's parts: a category is itself in every part (one part, the whole window); a group is,
   * in each part, the categories it owned then.
   */
  private scopeParts(scope: Scope, b: WindowBuckets): Array<{ buckets: WindowBuckets; categories: string[] }> {
    if ('category' in scope) return [{ buckets: b, categories: [scope.category] }];
    return this.parts(b).map((p) => ({ buckets: p.buckets, categories: this.scopeCategories(scope, p.catalog) }));
  }

  /** The provenance of a read made of several parts: each part's params, then the statement. */
  private partsMeta(opts: EvalOptions, b: WindowBuckets, sql: string, params: Array<Record<string, number | string>>): ResultMeta {
    const meta = this.meta(opts, b, sql, params[params.length - 1] ?? this.params(b, []));
    if (params.length > 1) meta.provenance.queries = [`${params.map((p) => `-- params: ${JSON.stringify(p)}`).join('\n')}\n${sql.trim()}`];
    return meta;
  }

  private categoryRows(b: WindowBuckets, categories: string[]): Array<CountsRecord & { category: string; component: string }> {
    return this.verify(this.categoryCountsStmt.all(this.params(b, categories)) as Array<CountsRecord & { category: string; component: string }>, b, categories);
  }

  async groupCounts(opts: EvalOptions & { groups?: string[] }): Promise<Sourced<GroupCounts[]>> {
    throwIfAborted(opts.signal);
    const b = windowBuckets(opts.window, opts.at ?? new Date());
    const wanted = opts.groups ? new Set(opts.groups) : undefined;
    const dataCategories = this.dataCategories();
    // Attribution at query time (docs/domain.md "Catalog history"): the window's hours cut where the
    // catalog in force changed, each part's categories rolled up with that part's catalog.
    const rows: Array<{ group: string; category: string; components: ComponentCounts[] }> = [];
    const params: Array<Record<string, number | string>> = [];
    for (const part of this.parts(b)) {
      const categories = dataCategories.filter((c) => !wanted || wanted.has(part.catalog.groupOf(c).key));
      params.push(this.params(part.buckets, categories));
      for (const row of this.categoryRows(part.buckets, categories)) {
        rows.push({ group: part.catalog.groupOf(row.category).key, category: row.category, components: [componentCounts(row.component, sli(row))] });
      }
    }
    const byGroup = sumComponentsByKey(rows, (r) => r.group, (r) => r.components);
    // Asked-for groups in the order asked, with or without data.
    const data = opts.groups
      ? [...new Set(opts.groups)].map((group) => ({ group, components: byGroup.get(group) ?? [] }))
      : [...byGroup].map(([group, components]) => ({ group, components }));
    if (!opts.groups) data.sort((x, y) => x.group.localeCompare(y.group));
    return { meta: this.partsMeta(opts, b, CATEGORY_COUNTS_SQL, params), data };
  }

  async categoryCounts(opts: EvalOptions & { categories?: string[] }): Promise<Sourced<CategoryCounts[]>> {
    throwIfAborted(opts.signal);
    const b = windowBuckets(opts.window, opts.at ?? new Date());
    const categories = opts.categories ?? this.dataCategories();
    const params = this.params(b, categories);
    const byCategory = new Map<string, ComponentCounts[]>();
    for (const c of opts.categories ?? []) byCategory.set(c, []);
    for (const row of this.categoryRows(b, categories)) {
      let comps = byCategory.get(row.category);
      if (!comps) byCategory.set(row.category, (comps = []));
      comps.push(componentCounts(row.component, sli(row)));
    }
    const data = [...byCategory].map(([category, components]) => ({ category, components }));
    return { meta: this.meta(opts, b, CATEGORY_COUNTS_SQL, params), data };
  }

  async endpointCounts(opts: EvalOptions & { scope: Scope; limit?: number }): Promise<Sourced<EndpointCounts[]>> {
    throwIfAborted(opts.signal);
    const b = windowBuckets(opts.window, opts.at ?? new Date());
    type Row = CountsRecord & { endpointId: string; component: string; category: string; urgency: string };
    const parts = this.scopeParts(opts.scope, b);
    // One part: SQL ranks and limits. Several (a group across catalog changes): each part's rows
    // unranked, summed per endpoint row, then ranked as the SQL does (f desc, id, component).
    const limit = parts.length === 1 ? (opts.limit ?? -1) : -1;
    const params: Array<Record<string, number | string>> = [];
    const byRow = new Map<string, Row>();
    for (const part of parts) {
      const p = { ...this.params(part.buckets, part.categories), limit };
      params.push(p);
      for (const r of this.verify(this.endpointCountsStmt.all(p) as Row[], part.buckets, part.categories)) {
        const key = [r.endpointId, r.component, r.category, r.urgency].join('\u0000');
        const acc = byRow.get(key);
        if (acc) {
          acc.s += r.s;
          acc.w += r.w;
          acc.o += r.o;
          acc.e += r.e;
        } else byRow.set(key, { ...r });
      }
    }
    let rows = [...byRow.values()];
    if (parts.length > 1) {
      const f = (r: Row): number => r.w - r.s + r.e;
      rows.sort((x, y) => f(y) - f(x) || (x.endpointId < y.endpointId ? -1 : x.endpointId > y.endpointId ? 1 : 0) || (x.component < y.component ? -1 : x.component > y.component ? 1 : 0));
      if (opts.limit !== undefined && opts.limit >= 0) rows = rows.slice(0, opts.limit);
    }
    const data = rows.map((r) => ({
      endpointId: r.endpointId,
      component: r.component,
      category: r.category,
      urgency: r.urgency,
      counts: sli(r),
      hasErrorSli: true,
    }));
    return { meta: this.partsMeta(opts, b, ENDPOINT_COUNTS_SQL, params), data };
  }

  async endpointCountsById(opts: EvalOptions & { endpointIds: string[] }): Promise<Sourced<EndpointCounts[]>> {
    throwIfAborted(opts.signal);
    const b = windowBuckets(opts.window, opts.at ?? new Date());
    const params = { ...this.params(b, []), endpointIds: JSON.stringify([...new Set(opts.endpointIds)]) };
    delete (params as Record<string, unknown>)['categories'];
    type Row = CountsRecord & { endpointId: string; component: string; category: string; urgency: string };
    const rows = this.endpointCountsByIdStmt.all(params) as Row[];
    // A damaged row of these endpoints refuses the read, naming the damaged rows of their categories.
    this.verify(rows, b, [...new Set(rows.map((r) => r.category))]);
    const data = rows.map((r) => ({ endpointId: r.endpointId, component: r.component, category: r.category, urgency: r.urgency, counts: sli(r), hasErrorSli: true }));
    return { meta: this.meta(opts, b, ENDPOINT_COUNTS_BY_ID_SQL, params), data };
  }

  async endpointCountsWithPeers(opts: EvalOptions & { endpointIds: string[] }): Promise<Sourced<EndpointCounts[]>> {
    throwIfAborted(opts.signal);
    const b = windowBuckets(opts.window, opts.at ?? new Date());
    const params = { ...this.params(b, []), endpointIds: JSON.stringify([...new Set(opts.endpointIds)]) };
    delete (params as Record<string, unknown>)['categories'];
    type Row = CountsRecord & { endpointId: string; component: string; category: string; urgency: string };
    const rows = this.endpointCountsWithPeersStmt.all(params) as Row[];
    this.verify(rows, b, [...new Set(rows.map((r) => r.category))]);
    const data = rows.map((r) => ({ endpointId: r.endpointId, component: r.component, category: r.category, urgency: r.urgency, counts: sli(r), hasErrorSli: true }));
    return { meta: this.meta(opts, b, ENDPOINT_COUNTS_WITH_PEERS_SQL, params), data };
  }

  async dailyCounts(opts: EvalOptions & { scope: Scope }): Promise<Sourced<DailyCounts[]>> {
    throwIfAborted(opts.signal);
    const b = windowBuckets(opts.window, opts.at ?? new Date());
    // A group's days: in each part of the window, the categories it owned then (catalog history);
    // a day cut by a change sums its parts.
    const params: Array<Record<string, number | string>> = [];
    const rows: Array<CountsRecord & { day: number; component: string }> = [];
    for (const part of this.scopeParts(opts.scope, b)) {
      const p = this.params(part.buckets, part.categories);
      params.push(p);
      rows.push(...this.verify(this.dailyCountsStmt.all(p) as Array<CountsRecord & { day: number; component: string }>, part.buckets, part.categories));
    }
    const components = [...new Set(rows.map((r) => r.component))].sort();
    const byDay = new Map<number, Map<string, SliCounts>>();
    for (const r of rows) {
      let comps = byDay.get(r.day);
      if (!comps) byDay.set(r.day, (comps = new Map()));
      const prev = comps.get(r.component);
      const c = sli(r);
      comps.set(r.component, prev ? { apdexSuccess: prev.apdexSuccess + c.apdexSuccess, apdexWeight: prev.apdexWeight + c.apdexWeight, ops: prev.ops + c.ops, errors: prev.errors + c.errors } : c);
    }
    // Zero-filled: every UTC day of the window, every component seen anywhere in the window.
    const data = b.calendarDays.map((day) => ({
      date: epochDayToDate(day),
      components: components.map((component) => componentCounts(component, byDay.get(day)?.get(component) ?? zeroCounts())),
    }));
    return { meta: this.partsMeta(opts, b, DAILY_COUNTS_SQL, params), data };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens the store at `path` as a BudgetSource. Throws StoreError when the file is unusable. */
export function openStoreSource(opts: StoreSourceOptions): StoreSource {
  return new SqliteStoreSource(opts.path, opts.catalog, opts.readonly ?? false, opts.history);
}
