/**
 * npm run bench:budget — the budget engine over a GitLab-sized environment.
 *
 * Workload: the real catalog (catalog/gitlab/stages.yml: 81 groups, 139 categories)
 * and 5,000 synthetic endpoints spread over its categories and three components, with seeded
 * random counts. One "full report" = endpoints -> categories -> groups roll-up, exact figures for
 * all 139 categories and all groups, traffic shares, contract/policy per group (the monthly report
 * builder) and the top 10 failing endpoints per group.
 *
 * Baseline, measured in the same run: a plain JS loop summing the same 5,000 endpoints' four
 * counts into per-category totals (the least work any implementation must do).
 * Target: full report under 20 ms (median).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { aggregateCategoriesToGroups, sumComponentsByKey } from '../src/sdk/budget/rollUp';
import { computeBudget } from '../src/sdk/budget/budgetMath';
import { rankEndpoints } from '../src/sdk/budget/endpointRanking';
import { DEFAULT_TARGET } from '../src/sdk/budget/target';
import { monthWindow } from '../src/sdk/report/reportWindow';
import { buildMonthlyReportFromCounts } from '../src/sdk/report/monthlyReportBuilder';
import type { GroupInfo } from '../src/sdk/catalog/types';
import type { EndpointCounts } from '../src/sdk/contract/budgetSource';
import { seededRandom } from '../src/sdk/store/seededRandom';

const ENDPOINTS = 5000;
const WARMUP_RUNS = 30;
const RUNS = 200;
const TOP_ENDPOINTS = 10;
const TARGET_MS = 20;

interface StagesYaml {
  stages: Record<string, { display_name?: string; groups?: Record<string, { name?: string; categories?: string[] }> }>;
}

/** A tiny stages.yml reader (the catalog module is another engineer's; the bench needs only this). */
function loadGroups(): GroupInfo[] {
  const file = join(__dirname, '..', 'catalog', 'gitlab', 'stages.yml');
  const doc = parse(readFileSync(file, 'utf8')) as StagesYaml;
  const seen = new Set<string>();
  const groups: GroupInfo[] = [];
  for (const [stage, s] of Object.entries(doc.stages)) {
    for (const [rawKey, g] of Object.entries(s.groups ?? {})) {
      // first group listing a category wins (domain.md section 1)
      const categories = (g.categories ?? []).filter((c) => !seen.has(c));
      categories.forEach((c) => seen.add(c));
      groups.push({
        key: rawKey.toLowerCase().replace(/[^a-z0-9_-]/g, '-'),
        name: g.name ?? rawKey,
        stage,
        stageDisplayName: s.display_name ?? stage,
        categories,
        ignoredComponents: [],
      });
    }
  }
  return groups;
}

function makeEndpoints(categories: string[]): EndpointCounts[] {
  const rand = seededRandom(42);
  const components = ['rails_request', 'graphql_query', 'sidekiq_execution'];
  const out: EndpointCounts[] = [];
  for (let i = 0; i < ENDPOINTS; i++) {
    const w = Math.floor(rand() * 1_000_000);
    const o = w + Math.floor(rand() * 10_000);
    out.push({
      endpointId: `Bench::Endpoint${i}Controller#show`,
      component: components[i % 3] as string,
      category: categories[Math.floor(rand() * categories.length)] as string,
      urgency: 'default',
      counts: { apdexSuccess: w - Math.floor(rand() * w * 0.002), apdexWeight: w, ops: o, errors: Math.floor(rand() * o * 0.0005) },
      hasErrorSli: true,
    });
  }
  return out;
}

function fullReport(groups: readonly GroupInfo[], groupOfCategory: ReadonlyMap<string, GroupInfo>, endpoints: readonly EndpointCounts[]): number {
  const window = monthWindow('2026-10');
  // What a source does in SQL or PromQL: endpoint rows summed per category (the SDK's one roll-up).
  const categoryCounts = [...sumComponentsByKey(endpoints, (e) => e.category, (e) => [e])].map(([category, components]) => ({ category, components }));
  const categoryFigures = categoryCounts.map((c) => {
    const g = groupOfCategory.get(c.category);
    return computeBudget(c.components, { target: g?.customTarget?.target ?? DEFAULT_TARGET, window: window.window, ignoredComponents: g?.ignoredComponents });
  });
  const groupCounts = aggregateCategoriesToGroups(categoryCounts, (c) => groupOfCategory.get(c)?.key ?? 'not_owned');
  const report = buildMonthlyReportFromCounts({ month: '2026-10', window, groups, counts: groupCounts });
  // What a source's endpointCounts per group returns: each group's endpoint rows, in input order.
  const byGroup = new Map<string, EndpointCounts[]>();
  for (const e of endpoints) {
    const key = groupOfCategory.get(e.category)?.key ?? 'not_owned';
    const list = byGroup.get(key);
    if (list) list.push(e);
    else byGroup.set(key, [e]);
  }
  let rows = 0;
  for (const g of report.groups) {
    const top = rankEndpoints(byGroup.get(g.group) ?? [], { failures: g.failures, measurements: g.measurements, window: window.window }, { limit: TOP_ENDPOINTS, ignoredComponents: g.ignoredComponents });
    rows += top.length;
  }
  // Returned so the work cannot be optimised away.
  return rows + categoryFigures.length + report.groups.length;
}

function baseline(endpoints: readonly EndpointCounts[], categoryIndex: ReadonlyMap<string, number>, categories: number): number {
  const sums = new Float64Array(categories * 4);
  for (const e of endpoints) {
    const i = (categoryIndex.get(e.category) as number) * 4;
    sums[i] = (sums[i] as number) + e.counts.apdexSuccess;
    sums[i + 1] = (sums[i + 1] as number) + e.counts.apdexWeight;
    sums[i + 2] = (sums[i + 2] as number) + e.counts.ops;
    sums[i + 3] = (sums[i + 3] as number) + e.counts.errors;
  }
  return sums[0] as number;
}

function time(fn: () => unknown): number[] {
  for (let i = 0; i < WARMUP_RUNS; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b);
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function main(): void {
  const groups = loadGroups();
  const groupOfCategory = new Map<string, GroupInfo>();
  for (const g of groups) for (const c of g.categories) groupOfCategory.set(c, g);
  const categories = [...groupOfCategory.keys()];
  const categoryIndex = new Map(categories.map((c, i) => [c, i]));
  const endpoints = makeEndpoints(categories);

  const report = time(() => fullReport(groups, groupOfCategory, endpoints));
  const loop = time(() => baseline(endpoints, categoryIndex, categories.length));
  const median = pct(report, 50);
  const baseMedian = pct(loop, 50);

  console.log(`budget engine: ${groups.length} groups, ${categories.length} categories, ${endpoints.length} endpoints; ${RUNS} runs after ${WARMUP_RUNS} warm-up`);
  console.log(`full report   median ${median.toFixed(3)} ms   p95 ${pct(report, 95).toFixed(3)} ms   max ${pct(report, 100).toFixed(3)} ms`);
  console.log(`baseline loop median ${baseMedian.toFixed(3)} ms   p95 ${pct(loop, 95).toFixed(3)} ms   (plain JS loop summing the same counts per category)`);
  console.log(`ratio full report / baseline (median): ${(median / baseMedian).toFixed(1)}x`);
  console.log(`target: median under ${TARGET_MS} ms -> ${median < TARGET_MS ? 'met' : 'MISSED'}`);
  if (median >= TARGET_MS) process.exitCode = 1;
}

main();
