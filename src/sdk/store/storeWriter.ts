/**
 * Where an ingest's writes run. SQLite writes cost about as much as the parsing they follow, and
 * better-sqlite3 is synchronous, so on a multi-core machine the AggregateSink runs on a worker
 * thread with its own connection while the main thread parses: chunks of closed hours are posted
 * (their counts transferred, not copied) and the file's transaction commits when parsing ends.
 *
 * The worker script is storeWriterWorker.ts: from sources it is loaded through tsx; from a bundle
 * it must sit next to the bundle as storeWriterWorker.js. When neither is available (or when
 * asked), the same sink runs on the calling thread: identical results, no overlap.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AggregateChunk } from './hourlyAggregator';
import type { IngestedFileRecord, WriteOutcome } from './aggregateWriter';
import { AggregateSink } from './aggregateWriter';
import { openStoreDatabase } from './storeSchema';
import { describeStoreFailure } from './storeErrors';
import type { StoreDatabase } from './storeSchema';

export type WriterMode = 'auto' | 'thread' | 'main';

/** Overrides the writer mode (tests, benchmarks): `thread` or `main`. */
export const WRITER_MODE_ENV = 'BUDGET_LENS_STORE_WRITER';

export interface StoreWriter {
  readonly threaded: boolean;
  begin(): Promise<void>;
  /** Queues a chunk; a failure surfaces at commit. */
  write(chunk: AggregateChunk): void;
  commit(file: IngestedFileRecord, ingestedAt: Date): Promise<WriteOutcome>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

class InThreadWriter implements StoreWriter {
  readonly threaded = false;
  private readonly sink: AggregateSink;
  private failure: unknown;

  constructor(
    private readonly db: StoreDatabase,
    private readonly path: string,
  ) {
    this.sink = new AggregateSink(db);
  }

  async begin(): Promise<void> {
    this.failure = undefined;
    try {
      this.sink.begin();
    } catch (e) {
      throw new Error(describeStoreFailure(e, this.path, 'writing'));
    }
  }

  write(chunk: AggregateChunk): void {
    if (this.failure !== undefined) return;
    try {
      this.sink.write(chunk);
    } catch (e) {
      this.failure = e;
    }
  }

  async commit(file: IngestedFileRecord, ingestedAt: Date): Promise<WriteOutcome> {
    if (this.failure !== undefined) {
      this.sink.rollback();
      throw new Error(describeStoreFailure(this.failure, this.path, 'writing'));
    }
    try {
      return this.sink.commit(file, ingestedAt.toISOString());
    } catch (e) {
      this.sink.rollback();
      throw new Error(describeStoreFailure(e, this.path, 'writing'));
    }
  }

  async rollback(): Promise<void> {
    this.sink.rollback();
  }

  async close(): Promise<void> {
    this.sink.rollback();
    this.db.close();
  }
}

/** Messages to the worker; every one but `write` gets a reply with the same `seq`. */
export type WriterRequest =
  | { type: 'open'; seq: number; path: string }
  | { type: 'begin'; seq: number }
  | { type: 'write'; seq: number; chunk: AggregateChunk }
  | { type: 'commit'; seq: number; file: IngestedFileRecord; ingestedAt: string }
  | { type: 'rollback'; seq: number }
  | { type: 'close'; seq: number };

export type WriterReply = { seq: number; ok: true; outcome?: WriteOutcome } | { seq: number; ok: false; error: string };

class ThreadedWriter implements StoreWriter {
  readonly threaded = true;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (r: WriterReply) => void; reject: (e: Error) => void }>();
  private dead: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WriterReply) => {
      const p = this.pending.get(reply.seq);
      this.pending.delete(reply.seq);
      p?.resolve(reply);
    });
    const fail = (e: Error): void => {
      this.dead = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`store writer thread exited (${code})`)));
  }

  private request(msg: WriterRequest): Promise<WriterReply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending.set(msg.seq, { resolve, reject });
      this.worker.postMessage(msg);
    });
  }

  private async call(msg: WriterRequest): Promise<WriteOutcome | undefined> {
    const reply = await this.request(msg);
    if (!reply.ok) throw new Error(reply.error);
    return reply.outcome;
  }

  async open(path: string): Promise<void> {
    await this.call({ type: 'open', seq: ++this.seq, path });
  }

  async begin(): Promise<void> {
    await this.call({ type: 'begin', seq: ++this.seq });
  }

  write(chunk: AggregateChunk): void {
    if (this.dead) return;
    this.worker.postMessage({ type: 'write', seq: ++this.seq, chunk } satisfies WriterRequest, [
      chunk.rows.buffer as ArrayBuffer,
      ...(chunk.metrics ? [chunk.metrics.parts.buffer as ArrayBuffer] : []),
    ]);
  }

  async commit(file: IngestedFileRecord, ingestedAt: Date): Promise<WriteOutcome> {
    return (await this.call({ type: 'commit', seq: ++this.seq, file, ingestedAt: ingestedAt.toISOString() })) as WriteOutcome;
  }

  async rollback(): Promise<void> {
    await this.call({ type: 'rollback', seq: ++this.seq });
  }

  async close(): Promise<void> {
    try {
      if (!this.dead) await this.call({ type: 'close', seq: ++this.seq });
    } finally {
      await this.worker.terminate();
    }
  }
}

/** How to start the worker here, or undefined when no worker script is available. */
function workerLaunch(): { script: string; eval: boolean } | undefined {
  if (__filename.endsWith('.ts')) {
    // Running from sources under tsx: the worker needs tsx's require hook registered first.
    let tsx: string;
    try {
      tsx = require.resolve('tsx/cjs/api');
    } catch {
      return undefined;
    }
    const file = join(__dirname, 'storeWriterWorker.ts');
    return { script: `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`, eval: true };
  }
  const bundled = join(__dirname, 'storeWriterWorker.js');
  return existsSync(bundled) ? { script: bundled, eval: false } : undefined;
}

function chooseMode(requested: WriterMode | undefined, env: NodeJS.ProcessEnv): 'thread' | 'main' {
  const fromEnv = env[WRITER_MODE_ENV];
  const mode = requested && requested !== 'auto' ? requested : fromEnv === 'thread' || fromEnv === 'main' ? fromEnv : 'auto';
  if (mode !== 'auto') return mode;
  // One core: a thread would only add hand-off costs.
  return availableParallelism() > 1 ? 'thread' : 'main';
}

/**
 * Opens a writer on the store at `path` (created and migrated by the caller beforehand).
 * 'auto' uses a thread when a worker script is available; the thread opens its connection in
 * the background and a failure to open surfaces at the first `begin`.
 */
export async function openStoreWriter(path: string, mode?: WriterMode, env: NodeJS.ProcessEnv = process.env): Promise<StoreWriter> {
  const launch = chooseMode(mode, env) === 'thread' ? workerLaunch() : undefined;
  if (!launch) return new InThreadWriter(openStoreDatabase(path), path);
  const worker = new Worker(launch.script, { eval: launch.eval, env });
  const writer = new ThreadedWriter(worker);
  // Not awaited: the thread starts and opens the store while the caller already parses. Requests
  // queue behind the open in order; if it fails, every `begin` reports why.
  writer.open(path).catch(() => undefined);
  return writer;
}
