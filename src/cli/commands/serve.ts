/**
 * `budget-lens serve`: the Budget API over HTTP (src/sdk/server) on the store or Prometheus.
 * Binds 127.0.0.1 by default, prints the URL, logs one JSON line per request to stderr, and shuts
 * down gracefully on SIGINT/SIGTERM (in-flight requests finish, then the source closes).
 */
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { BACKEND_OPTIONS, BACKEND_USAGE, openBackend } from '../backend';
import { parseCommandArgs } from '../mappingOutput';
import { API_PREFIX, BudgetServer, BudgetService, warmUpServer } from '../../sdk';
import type { LogSink } from '../../sdk';

export const summary = 'serve the Budget API (JSON under /api/v1, OpenAPI at /api/v1/openapi.json)';

export const DEFAULT_PORT = 7464;
/** Token that clients of this server must send; separate from BUDGET_LENS_TOKEN (the upstream's). */
export const SERVE_TOKEN_ENV_VAR = 'BUDGET_LENS_SERVE_TOKEN';

const USAGE = `usage: budget-lens serve [--store path | --prometheus url] [--host 127.0.0.1] [--port ${DEFAULT_PORT}]
                         [--deadline-ms 10000] [--cache-ttl-ms 15000] [--allow-host name]...

  --host h            interface to bind (default 127.0.0.1; 0.0.0.0 exposes it to the network)
  --port n            port (default ${DEFAULT_PORT}; 0 picks a free one)
  --deadline-ms n     per-request backend deadline; past it the answer is 503 (default 10000)
  --cache-ttl-ms n    response cache TTL, 0 disables (default 15000)
  --allow-host name   also answer requests whose Host header is this name (repeatable); IP
                      addresses, localhost and this machine's name always pass, any other name
                      gets 421 (a guard against DNS rebinding)
  Clients must send 'Authorization: Bearer <token>' when ${SERVE_TOKEN_ENV_VAR} is set.

${BACKEND_USAGE}
`;

function intFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name}: expected an integer ${min}..${max}, got '${value}'`);
  }
  return Number(value);
}

export interface RunningServer {
  /** `server.close()` shuts down gracefully and closes the source. */
  server: BudgetServer;
  url: string;
}

/** Starts the server (for `run` and in-process tests); stopping it is up to the caller. */
export async function startServe(args: string[], io: CliIo): Promise<RunningServer | undefined> {
  const { values } = parseCommandArgs(
    args,
    {
      ...BACKEND_OPTIONS,
      host: { type: 'string' },
      port: { type: 'string' },
      'deadline-ms': { type: 'string' },
      'cache-ttl-ms': { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
    false,
  );
  if (values.help) {
    io.stdout.write(USAGE);
    return undefined;
  }
  const port = intFlag('port', values.port, DEFAULT_PORT, 0, 65535);
  const deadlineMs = intFlag('deadline-ms', values['deadline-ms'], 10_000, 1, 600_000);
  const ttlMs = intFlag('cache-ttl-ms', values['cache-ttl-ms'], 15_000, 0, 3_600_000);
  const backend = await openBackend(io, values, { allowApi: false });
  const log: LogSink = (entry) => io.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  const token = io.env[SERVE_TOKEN_ENV_VAR] || undefined;
  const server = new BudgetServer({
    api: backend.api,
    token,
    deadlineMs,
    cache: { ttlMs },
    log,
    sourceKind: backend.kind,
    allowedHosts: values['allow-host'] ?? [],
    onClose: () => backend.close(),
  });
  let url: string;
  try {
    url = await server.listen(port, values.host ?? '127.0.0.1');
  } catch (e) {
    await backend.close();
    throw new Error(`cannot listen on ${values.host ?? '127.0.0.1'}:${port}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (backend.kind === 'store' && backend.api instanceof BudgetService) {
    // The first request's first-use costs (statements, page cache, compiled code) are paid here,
    // before the URL is announced; a failure is the first request's to report, not a reason not to start.
    try {
      log({ level: 'info', msg: 'warmed up', ...(await warmUpServer(server, backend.api)) });
    } catch (e) {
      log({ level: 'warn', msg: 'warm-up failed', error: e instanceof Error ? e.message : String(e) });
    }
  }
  io.stdout.write(`Budget API listening on ${url}${API_PREFIX} (${backend.description}${token ? ', bearer token required' : ''})\n`);
  io.stdout.write(`  try ${url}${API_PREFIX}/groups  ·  OpenAPI ${url}${API_PREFIX}/openapi.json\n`);
  return { server, url };
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const running = await startServe(args, io);
  if (!running) return 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    io.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'shutting down', signal })}\n`);
    void running.server.close();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await new Promise<void>((resolve) => running.server.http.once('close', () => resolve()));
    await running.server.close(); // idempotent: waits for the source to close too
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
