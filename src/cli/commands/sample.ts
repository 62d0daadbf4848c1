/**
 * `budget-lens sample`: writes a realistic, deterministic 28-day GitLab log set (gzip NDJSON:
 * Rails, Grape, GraphQL, Sidekiq) for an endpoint inventory, and optionally ingests it. With
 * `--gitpod`: metric event logs for examples/gitpod-style instead (workspace starts with a startup
 * histogram, start failures, stops, one bad week; store/sampleEventLogs.ts).
 * The inventory comes from `--endpoints file.json`, else from `budget-lens endpoints --json`
 * over `--root` (default examples/gitlab-style).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../io';
import { UsageError } from '../io';
import * as endpointsCommand from './endpoints';
import { formatFileReport } from './ingest';
import {
  DEFAULT_STORE_PATH,
  dateRejection,
  ingestFiles,
  instantRejection,
  InvalidQueryError,
  parseAtParam,
  toSampleEndpoint,
  writeGitpodSampleEvents,
  writeSampleLogs,
} from '../../sdk';
import type { SampleEndpoint } from '../../sdk';

export const summary = 'write a realistic 28-day sample log set (gzip NDJSON) for the example workspace';

const DEFAULT_OUT = '.budgetlens/sample-logs';
const DEFAULT_ROOT = 'examples/gitlab-style';

const USAGE = `usage: budget-lens sample [--out dir] [--days 28] [--seed n] [--end iso] [--calls n]
                          [--endpoints file.json | --root dir] [--ingest [--store path]]
       budget-lens sample --gitpod [--out dir] [--days 35] [--seed n] [--end iso] [--ingest [--store path]]

  --gitpod             metric event logs for examples/gitpod-style (gitpod-events.ndjson.gz):
                       workspace starts with a startup-time histogram, start failures, stops
                       (reason failed after a start), one bad week (the second-to-last)
  --out dir            where to write the logs (default ${DEFAULT_OUT})
  --days n             days of history before --end (default 28)
  --seed n             PRNG seed; same seed, end and inventory give the same files (default 1)
  --end iso            end of the data, exclusive: 2026-11-01 (UTC) or 2026-11-01T00:00:00Z,
                       a real date in 1970-2100 (default: now, to the minute)
  --calls n            approximate requests + jobs in total (default 150000)
  --endpoints file     inventory JSON: an array (or {endpoints: [...]}) of {id, kind, category, urgency}
  --root dir           workspace to inventory with 'budget-lens endpoints --json' (default ${DEFAULT_ROOT})
  --ingest             ingest the written files into the store afterwards
  --store path         store for --ingest (default ${DEFAULT_STORE_PATH})
`;

interface SampleArgs {
  out: string;
  days: number;
  seed: number;
  end?: Date;
  calls: number;
  endpointsFile?: string;
  root: string;
  ingest: boolean;
  store: string;
  help: boolean;
  gitpod: boolean;
  daysGiven: boolean;
}

function positiveInt(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} needs a positive integer, got '${v ?? ''}'`);
  return n;
}

function parseArgs(args: string[], cwd: string): SampleArgs {
  const out: SampleArgs = {
    out: resolve(cwd, DEFAULT_OUT),
    days: 28,
    seed: 1,
    calls: 150_000,
    root: resolve(cwd, DEFAULT_ROOT),
    ingest: false,
    store: resolve(cwd, DEFAULT_STORE_PATH),
    help: false,
    gitpod: false,
    daysGiven: false,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : args[++i]);
    switch (flag) {
      case '--help':
      case '-h':
        out.help = true;
        break;
      case '--out':
        out.out = resolve(cwd, value() ?? '');
        break;
      case '--days':
        out.days = positiveInt('--days', value());
        out.daysGiven = true;
        break;
      case '--gitpod':
        out.gitpod = true;
        break;
      case '--seed':
        out.seed = positiveInt('--seed', value());
        break;
      case '--calls':
        out.calls = positiveInt('--calls', value());
        break;
      case '--end':
        out.end = parseEnd(value() ?? '');
        break;
      case '--endpoints':
        out.endpointsFile = resolve(cwd, value() ?? '');
        break;
      case '--root':
        out.root = resolve(cwd, value() ?? '');
        break;
      case '--ingest':
        out.ingest = true;
        break;
      case '--store':
        out.store = resolve(cwd, value() ?? '');
        break;
      default:
        throw new UsageError(`unknown argument '${a}'\n\n${USAGE}`);
    }
  }
  if (out.gitpod && !out.daysGiven) out.days = 35;
  if (out.end) {
    // The first sample hour must be a sane time too, or ingest would refuse every line before 1970.
    const start = new Date(out.end.getTime() - out.days * 86_400_000);
    const early = instantRejection(start.getTime());
    if (early) throw new UsageError(`--days: the ${out.days} days before ${out.end.toISOString()} start at ${start.toISOString()}: ${early.message}`);
  }
  return out;
}

/**
 * `--end`: a date (`2026-11-01`, midnight UTC) or an RFC 3339 time, a date that exists in the years
 * 1970-2100 (new Date() rolls 2026-02-30 over to 03-02 and takes any year).
 */
function parseEnd(v: string): Date {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (date) {
    const [year, month, day] = date.slice(1, 4).map(Number) as [number, number, number];
    const bad = dateRejection(year, month, day);
    if (bad) throw new UsageError(`--end: '${v}': ${bad.message}`);
    return new Date(Date.UTC(year, month - 1, day));
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v)) throw new UsageError(`--end needs an ISO date/time like 2026-11-01 or 2026-11-01T00:00:00Z, got '${v}'`);
  try {
    return parseAtParam(v, '--end');
  } catch (e) {
    if (InvalidQueryError.is(e)) throw new UsageError(e.message);
    throw e;
  }
}

/** Accepts an array of endpoints or an object with an `endpoints` array; `where` names the origin in errors. */
export function parseInventory(json: string, where: string): SampleEndpoint[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(`${where}: not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { endpoints?: unknown } | null)?.endpoints;
  if (!Array.isArray(list)) throw new Error(`${where}: expected an array of endpoints or {"endpoints": [...]}`);
  const endpoints: SampleEndpoint[] = [];
  list.forEach((raw, i) => {
    const ep = toSampleEndpoint(raw);
    if (typeof ep === 'string') throw new Error(`${where}: endpoint [${i}]: ${ep}`);
    endpoints.push(ep);
  });
  if (endpoints.length === 0) throw new Error(`${where}: the inventory has no endpoints`);
  return endpoints;
}

/** Runs `budget-lens endpoints --json --root <root>` in-process and returns its stdout. */
async function inventoryFromWorkspace(root: string, io: CliIo): Promise<string> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await endpointsCommand.run(['--json', '--root', root], { ...io, stdout, stderr });
  if (code !== 0) {
    throw new Error(`'budget-lens endpoints --json --root ${root}' failed (exit ${code}): ${err.trim()}; pass --endpoints file.json instead`);
  }
  return out;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const opts = parseArgs(args, io.cwd);
  if (opts.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (opts.gitpod) return gitpod(opts, io);
  const endpoints = opts.endpointsFile
    ? parseInventory(readFileSync(opts.endpointsFile, 'utf8'), opts.endpointsFile)
    : parseInventory(await inventoryFromWorkspace(opts.root, io), `budget-lens endpoints --json --root ${opts.root}`);
  const started = Date.now();
  const result = await writeSampleLogs({ outDir: opts.out, endpoints, days: opts.days, seed: opts.seed, end: opts.end, calls: opts.calls });
  io.stdout.write(
    [
      `wrote ${result.lines} lines for ${endpoints.length} endpoints, ${result.start} .. ${result.end} (${Date.now() - started} ms):`,
      ...result.files.map((f) => `  ${f}`),
      `degraded category: ${result.degradedCategory} (slow: ${result.slowEndpoints.join(', ') || 'none'}; erroring: ${result.erroringEndpoints.join(', ') || 'none'})`,
      ...result.incidents.map((i) => `incident: ${i.kind} on ${i.endpointId}, ${i.start} .. ${i.end}`),
      '',
    ].join('\n'),
  );
  if (!opts.ingest) {
    io.stdout.write(`next: budget-lens ingest ${opts.out}\n`);
    return 0;
  }
  const report = await ingestFiles(opts.store, result.files);
  for (const r of report.files) io.stdout.write(`${formatFileReport(r, r.file)}\n`);
  return report.totals.failed > 0 ? 1 : 0;
}

/** `--gitpod`: the example's metric event logs, then (with --ingest) the store. */
async function gitpod(opts: SampleArgs, io: CliIo): Promise<number> {
  const started = Date.now();
  const result = await writeGitpodSampleEvents({ outDir: opts.out, days: opts.days, seed: opts.seed, ...(opts.end ? { end: opts.end } : {}) });
  io.stdout.write(
    [
      `wrote ${result.lines} event lines, ${result.start} .. ${result.end} (${Date.now() - started} ms):`,
      `  ${result.file}`,
      `bad week: ${result.badWeek.start} .. ${result.badWeek.end}`,
      '',
    ].join('\n'),
  );
  if (!opts.ingest) {
    io.stdout.write(`next: budget-lens ingest ${result.file}\n`);
    return 0;
  }
  const report = await ingestFiles(opts.store, [result.file]);
  for (const r of report.files) io.stdout.write(`${formatFileReport(r, r.file)}\n`);
  if (report.totals.failed === 0) io.stdout.write(`next: budget-lens slo status --root examples/gitpod-style --store ${opts.store} --at ${result.end}\n`);
  return report.totals.failed > 0 ? 1 : 0;
}
