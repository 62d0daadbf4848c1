/**
 * `budget-lens ingest <files|dirs…> [--store path] [--json]`: GitLab NDJSON request and Sidekiq
 * logs and metric event logs for objectives (plain or gzip; each line recognised by content) into
 * the embedded store. Prints one summary line per file; exit 0 unless
 * a file could not be read (1). Re-ingesting the same content adds nothing.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { DEFAULT_STORE_PATH, ingestFiles } from '../../sdk';
import type { FileIngestReport } from '../../sdk';
import { loadIndexedWorkspace } from '../mappingOutput';

export const summary = 'ingest GitLab request/Sidekiq logs and metric event logs (NDJSON, plain or gzip) into the local store';

const USAGE = `usage: budget-lens ingest <file|dir>... [--store path] [--root dir [--catalog dir]] [--json] [--follow [--interval s]]

  <file|dir>     NDJSON log files (plain or gzip, detected by content); a directory means its files.
                 Request, Sidekiq and GraphQL lines count for the GitLab budget; metric event lines
                 ({"time","metric","labels","value"}, docs/objectives.md) for objectives
  --store path   store file (default ${DEFAULT_STORE_PATH} under the current directory)
  --root dir     index this workspace first: GraphQL operations (graphql_json.log) get the urgency
                 of their graphql:<Operation> endpoint (GitLab does not log it; default otherwise)
  --catalog dir  with --root: directory with stages.yml and feature_categories.yml
  --json         print the full report as JSON instead of one line per file
  --follow       keep reading the files as they grow (rotation-safe: each poll also reads <file>.1,
                 whose already-read bytes add nothing); one progress line per poll that added lines;
                 Ctrl-C (SIGINT) stops after the running poll is committed
  --interval s   seconds between polls with --follow (default 1)
`;

interface IngestArgs {
  inputs: string[];
  store: string;
  root?: string;
  catalog?: string;
  json: boolean;
  help: boolean;
  follow: boolean;
  interval: number;
}

function parseArgs(args: string[], cwd: string): IngestArgs {
  const out: IngestArgs = { inputs: [], store: resolve(cwd, DEFAULT_STORE_PATH), json: false, help: false, follow: false, interval: 1 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--json') out.json = true;
    else if (a === '--follow' || a === '-f') out.follow = true;
    else if (a === '--interval' || a.startsWith('--interval=')) {
      const v = Number(a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]);
      if (!(v > 0)) throw new UsageError('--interval needs a number of seconds above 0');
      out.interval = v;
    }
    else if (a === '--store' || a.startsWith('--store=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (!v) throw new UsageError('--store needs a path');
      out.store = resolve(cwd, v);
    } else if (a === '--root' || a === '--catalog' || a.startsWith('--root=') || a.startsWith('--catalog=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (!v) throw new UsageError(`${a.split('=')[0]} needs a directory`);
      if (a.startsWith('--root')) out.root = v;
      else out.catalog = v;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'\n\n${USAGE}`);
    else out.inputs.push(resolve(cwd, a));
  }
  return out;
}

/**
 * Files named directly, plus the regular files directly inside named directories (sorted),
 * leaving out the store's own files when the store sits in a log directory.
 */
function expandInputs(inputs: string[], store: string): string[] {
  const storeFiles = new Set([store, `${store}-wal`, `${store}-shm`, `${store}-journal`]);
  const files: string[] = [];
  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = statSync(input).isDirectory();
    } catch {
      // Missing files are reported by the ingest as failed (cannot read), with the OS error.
    }
    if (!isDir) {
      files.push(input);
      continue;
    }
    const inside = readdirSync(input)
      .map((name) => join(input, name))
      .filter((p) => !storeFiles.has(p) && statSync(p).isFile())
      .sort();
    files.push(...inside);
  }
  return files;
}

/** ` [2 time_out_of_range, 1 impossible_date]`: lines refused for their time, by reason. */
function timeRejections(r: FileIngestReport): string {
  const parts = Object.entries(r.rejectedTimes ?? {}).map(([code, n]) => `${n} ${code}`);
  return parts.length === 0 ? '' : ` [${parts.join(', ')}]`;
}

export function formatFileReport(r: FileIngestReport, displayName: string): string {
  // The error says what failed: `cannot read: …` (the log), `disk full while writing <store> (…)`, `store is read-only: …`.
  if (r.status === 'failed') return `${displayName}: ${r.error ?? 'unknown error'}`;
  const malformed =
    r.malformed === 0
      ? '0 malformed'
      : `${r.malformed} malformed${timeRejections(r)} (line${r.malformed === 1 ? '' : 's'} ${r.malformedLines
          .map((m) => `${m.line}: ${m.reason}`)
          .slice(0, 5)
          .join('; ')}${r.malformed > Math.min(5, r.malformedLines.length) ? '; …' : ''})`;
  const counts = `${r.lines} lines, ${r.accepted} accepted, ${r.ignored} ignored, ${malformed}`;
  if (r.status === 'duplicate') {
    return `${displayName}: ${counts}; duplicate of ${r.previous?.name ?? '?'} ingested ${r.previous?.ingestedAt ?? '?'}: skipped, nothing added`;
  }
  const span = r.firstHour && r.lastHour ? `, hours ${r.firstHour} .. ${r.lastHour}` : '';
  const resumed = r.resumed ? `; continues ${r.resumed.name} from byte ${r.resumed.offset}` : '';
  const pending = r.pendingBytes ? `; ${r.pendingBytes} bytes of a partial last line wait for the next ingest` : '';
  const hint = r.accepted === 0 && r.malformed > 0 ? ' (no line was a GitLab request or Sidekiq log line: is this the right file?)' : '';
  return `${displayName}: ${counts}; ${r.rowsWritten} aggregate rows written${span}${resumed}${pending}${hint}`;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const opts = parseArgs(args, io.cwd);
  if (opts.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (opts.inputs.length === 0) throw new UsageError(`no log files given\n\n${USAGE}`);
  const files = expandInputs(opts.inputs, opts.store);
  let graphqlUrgency: ((operation: string) => string | undefined) | undefined;
  if (opts.root !== undefined) {
    const { index } = await loadIndexedWorkspace(io, { root: opts.root, catalog: opts.catalog, json: false, help: false });
    const urgencies = new Map(index.endpoints().filter((e) => e.kind === 'graphql').map((e) => [e.id.slice('graphql:'.length), e.urgency]));
    graphqlUrgency = (operation) => urgencies.get(operation);
  }
  if (opts.follow) return follow(opts, files, graphqlUrgency, io);
  const report = await ingestFiles(opts.store, files, {
    graphqlUrgency,
    onFile: opts.json ? undefined : (r) => (r.status === 'failed' ? io.stderr : io.stdout).write(`${formatFileReport(r, r.file)}\n`),
  });
  if (opts.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const t = report.totals;
    io.stdout.write(
      `${t.files} file(s): ${t.ingested} ingested, ${t.duplicates} duplicate, ${t.failed} failed; ${t.accepted} events added to ${report.store}\n`,
    );
  }
  return report.totals.failed > 0 ? 1 : 0;
}

/** Stops on SIGINT/SIGTERM once the running poll is committed; the store then holds all it read. */
async function follow(opts: IngestArgs, files: string[], graphqlUrgency: ((operation: string) => string | undefined) | undefined, io: CliIo): Promise<number> {
  let stopping = false;
  let wake: () => void = () => undefined;
  const stop = (): void => {
    stopping = true;
    wake();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let total = 0;
  let failedPolls = 0;
  io.stdout.write(`following ${files.length} file(s) into ${opts.store} every ${opts.interval} s; Ctrl-C to stop\n`);
  try {
    while (!stopping) {
      // The rotated copy first: after rename + create or copytruncate it holds the old file's
      // tail; its bytes already read add nothing (content identity), so reading it is always safe.
      const poll = files.flatMap((f) => (existsSync(`${f}.1`) ? [`${f}.1`, f] : existsSync(f) ? [f] : []));
      const report = await ingestFiles(opts.store, poll, { graphqlUrgency });
      const added = report.files.filter((r) => r.status === 'ingested' && r.lines > 0);
      for (const r of report.files.filter((f) => f.status === 'failed')) io.stderr.write(`${formatFileReport(r, r.file)}\n`);
      failedPolls += report.totals.failed > 0 ? 1 : 0;
      if (added.length > 0) {
        const events = added.reduce((n, r) => n + r.accepted, 0);
        total += events;
        const detail = added.map((r) => `${r.file} +${r.lines} lines`).join(', ');
        io.stdout.write(`${new Date().toISOString()} ${detail}; ${events} events (${total} since start)\n`);
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, opts.interval * 1000);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  io.stdout.write(`stopped: ${total} events added to ${opts.store}\n`);
  return failedPolls > 0 ? 1 : 0;
}
