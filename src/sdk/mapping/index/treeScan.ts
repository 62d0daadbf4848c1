/**
 * The first half of a cold build: walk the tree (fileWalker), run the ripgrep pre-filter, read and
 * extract what needs it (scanPool). Its answer, a TreeScan, is plain data; WorkspaceIndex turns it
 * into records and resolves them on its own thread (workspaceIndex.ts).
 *
 * `scanTreeInThread` runs the same scan in a worker thread of its own (indexWorker.ts, `tree`
 * mode) and takes its answer in one message: the file texts, skeletons, syntax trees, tree-sitter's
 * wasm memory (32 MB once it is loaded) and the garbage of reading 185 MB of a GitLab checkout all
 * live in that thread's heap, which is freed when it ends. The editor's extension host, shared
 * with every other extension and never restarted, keeps only the index (WorkspaceIndexOptions.
 * isolatedScan; docs/benchmarks.md, bench:workbench).
 */
import { cpus, getPriority, setPriority } from 'node:os';
import { sep } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { mustParse } from '../ruby/prefilter';
import { compileGlobList } from '../pathRules';
import { ALWAYS_SKIPPED_DIRS, classifyPath, walkWorkspace } from './fileWalker';
import type { WalkResult, WalkedFileKind } from './fileWalker';
import { DEFAULT_MAX_FILE_BYTES } from './fileScanner';
import type { ScannedFile } from './fileScanner';
import { ripgrepPrefilter } from './ripgrepPrefilter';
import { ScanPool, findWorkerScript, startWorker } from './scanPool';
import type { ScanItem, TreeScanMessage } from './workerProtocol';

/** What the scan needs: plain data, so that it can be handed to a worker thread. */
export interface TreeScanOptions {
  root: string;
  exclude?: readonly string[];
  graphqlOperations?: string;
  /** Scan threads (ScanPool); default defaultWorkers(cores). */
  workers?: number;
  workerScript?: string;
  maxFileBytes?: number;
  ripgrep?: string;
  fullRead?: boolean;
  /** Nested projects found by the previous walk (files under them are not the index's). */
  nested?: readonly string[];
}

/** The walk and the scans of a cold build (scans in no particular order). */
export interface TreeScan {
  walk: WalkResult;
  scans: ScannedFile[];
  /** Present when ripgrep ran; `error` when its list could not be used (every file then read). */
  prefilter?: { error?: string };
  /** Wall time of the walk, from the start of the scan. */
  walkMs: number;
  /** The scan thread's nice value when it was lowered (scanTreeInThread on Linux). */
  threadNice?: number;
}

/**
 * Threads for a cold build on a machine with `cores` cores: 2 (this thread and a worker) from 3
 * cores up, else 1. On 2 cores a worker costs more than it takes off this thread: V8's compiler
 * and garbage-collector threads of both isolates compete for the same two cores (bench:index,
 * 5 alternating runs: 1 thread 1,136 ms wall and 1,790 ms CPU, 2 threads 1,245 ms and 2,252 ms).
 */
export function defaultWorkers(cores: number): number {
  return cores > 2 ? 2 : 1;
}

/** Which paths the index reads, and as what (WorkspaceIndex and the scan decide the same way). */
export interface PathKinds {
  /** A path the index never reads: in an always-skipped directory, a nested project, or excluded. */
  outside(file: string, nested: readonly string[]): boolean;
  /** What the index reads `file` as; undefined for a file it never reads. */
  kindOf(file: string, nested: readonly string[]): WalkedFileKind | undefined;
}

export function pathKinds(options: { exclude?: readonly string[]; graphqlOperations?: string }): PathKinds {
  const excluded = options.exclude?.length ? compileGlobList(options.exclude) : undefined;
  const outside = (file: string, nested: readonly string[]): boolean => {
    if (file.split('/').some((seg) => ALWAYS_SKIPPED_DIRS.has(seg))) return true;
    // A file of a nested project (its own .budgetlens.yml) belongs to that project's index.
    for (const dir of nested) if (file.startsWith(dir) && file.charCodeAt(dir.length) === 47 /* / */) return true;
    return excluded?.(file) === true;
  };
  return { outside, kindOf: (file, nested) => (outside(file, nested) ? undefined : classifyPath(file, options.graphqlOperations)) };
}

/** Walks and scans the tree on this thread (the scan pool may start workers of its own). */
export async function scanTree(options: TreeScanOptions, signal?: AbortSignal, onProgress?: (scanned: number, total: number) => void): Promise<TreeScan> {
  const started = performance.now();
  const { root, fullRead } = options;
  const workers = options.workers ?? defaultWorkers(cpus().length);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const paths = pathKinds(options);
  const nested = options.nested ?? [];
  // Workers load their parser while this thread walks the tree and, without ripgrep, reads
  // every directory's files as the walk finds them (the walk yields every few ms).
  // Walked paths are plain relative paths ('/'-separated, no '.' or '..'), so joining is a
  // concatenation; path.join's normalisation cost 12-30 ms per 25,000 files in the profiles.
  const absPrefix = root.endsWith('/') || root.endsWith(sep) ? root : root + sep;
  const pool = ScanPool.start({ workers, maxFileBytes, signal, onProgress, workerScript: options.workerScript, fullRead });
  // ripgrep reads the tree on the other core while this thread walks it. The files it finds a
  // marker in are scanned as it reports them (before the walk has reached some: a file the walk
  // then leaves out is scanned for nothing and dropped); the ones it finds none in are recorded
  // without being opened; whatever it did not list is scanned once both are done.
  const ripgrep = fullRead ? undefined : options.ripgrep;
  const queued = new Set<string>();
  /** Scans each file not queued yet; a file without a kind is not one the index reads. */
  const queue = (files: Iterable<[file: string, kind: WalkedFileKind | undefined]>): void => {
    const items: ScanItem[] = [];
    for (const [file, kind] of files) {
      if (kind === undefined || queued.has(file)) continue;
      queued.add(file);
      items.push({ abs: absPrefix + file, file, kind });
    }
    pool.add(items);
  };
  const prefilter = ripgrep
    ? ripgrepPrefilter(ripgrep, root, { maxFileBytes, signal, onMarked: (files) => queue(files.map((f) => [f, paths.kindOf(f, nested)])) })
    : undefined;
  let walk: WalkResult;
  try {
    walk = await walkWorkspace(root, {
      exclude: options.exclude,
      graphqlOperations: options.graphqlOperations,
      signal,
      onFiles: prefilter ? undefined : (files) => pool.add(files.map((f) => ({ abs: absPrefix + f.file, file: f.file, kind: f.kind }))),
    });
  } catch (e) {
    await Promise.all([pool.close(), prefilter]);
    throw e;
  }
  const walkMs = performance.now() - started;
  const listed = prefilter ? await prefilter : undefined;
  if (listed) {
    const { clean } = listed;
    // The GraphQL operations file, `.graphql` documents, routes files and controller concerns
    // are always read: parsed whatever they contain.
    queue(walk.files.filter((f) => f.kind !== 'source' || !clean.has(f.file) || mustParse(f.file)).map((f) => [f.file, f.kind]));
  }
  const scans = await pool.finish();
  signal?.throwIfAborted();
  return { walk, scans, ...(listed ? { prefilter: listed.error !== undefined ? { error: listed.error } : {} } : {}), walkMs };
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('indexing cancelled', 'AbortError');
}

/**
 * scanTree in a worker thread of its own, ended once it has answered (or on abort). Without a
 * worker script (a bundle shipped without dist/indexWorker.js) it runs on this thread.
 */
export function scanTreeInThread(options: TreeScanOptions, signal?: AbortSignal, onProgress?: (scanned: number, total: number) => void): Promise<TreeScan> {
  const script = options.workerScript ?? findWorkerScript();
  if (script === undefined) return scanTree(options, signal, onProgress);
  signal?.throwIfAborted();
  return new Promise<TreeScan>((resolve, reject) => {
    let worker: Worker;
    let settled = false;
    const settle = (error: Error | undefined, result?: TreeScan): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // Its heap (texts, trees, the parser's wasm memory, the garbage) goes with it.
      void worker.terminate();
      if (error) reject(error);
      else resolve(result as TreeScan);
    };
    const onAbort = (): void => settle(abortError(signal as AbortSignal));
    try {
      worker = startWorker(script, { maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, tree: { ...options, workerScript: script } });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: TreeScanMessage) => {
      if (msg.progress) onProgress?.(msg.progress[0], msg.progress[1]);
      else if (msg.error !== undefined) settle(new Error(msg.error));
      else if (msg.result) settle(undefined, msg.result);
    });
    worker.on('error', (e) => settle(e));
    worker.on('exit', (code) => settle(new Error(`index scan thread exited (code ${code})`)));
  });
}

/** Progress messages from the scan thread: at most one per this many ms (each one redraws the status bar). */
const PROGRESS_EVERY_MS = 100;

/**
 * The nice value of the isolated scan thread on Linux: background work, so the thread that asked
 * for it (the extension host, answering lenses and hovers) keeps the CPU it needs while a cold
 * build runs on a busy machine, as rust-analyzer gives its indexing threads a lower QoS. Linux
 * keeps a nice value per thread (setpriority on the calling thread's id, which `os.setPriority(0)`
 * is there), inherited by the threads and processes it starts (its scan workers, ripgrep);
 * elsewhere pid 0 is the whole process, so nothing is changed. `BUDGET_LENS_SCAN_NICE` overrides
 * it (0: off) for benchmarks (bench/workbench.mjs).
 */
export const SCAN_THREAD_NICE = 10;

/** Lowers this thread's priority (Linux only); a refusal is ignored: the scan runs as before. */
export function lowerScanThreadPriority(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): number | undefined {
  if (platform !== 'linux') return undefined;
  const raw = env['BUDGET_LENS_SCAN_NICE'];
  const nice = raw !== undefined && /^\d{1,2}$/.test(raw) ? Math.min(Number(raw), 19) : SCAN_THREAD_NICE;
  if (nice === 0) return undefined;
  try {
    setPriority(0, Math.max(getPriority(0), nice));
    return getPriority(0);
  } catch {
    return undefined;
  }
}

/** The worker side of scanTreeInThread (indexWorker.ts, `tree` mode). */
export function runTreeScanWorker(options: TreeScanOptions, post: (msg: TreeScanMessage) => void): void {
  const nice = lowerScanThreadPriority();
  let last = 0;
  const progress = (scanned: number, total: number): void => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    post({ progress: [scanned, total] });
  };
  scanTree(options, undefined, progress).then(
    (result) => post({ result: nice === undefined ? result : { ...result, threadNice: nice } }),
    (e: unknown) => post({ error: e instanceof Error ? e.message : String(e) }),
  );
}
