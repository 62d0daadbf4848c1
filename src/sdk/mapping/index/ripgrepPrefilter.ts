/**
 * ripgrep as the cold build's pre-filter: one `rg --files-without-match` over the workspace lists
 * the files in which none of the index's markers occur, so this process never opens them. On a
 * Rails monolith that is four files of five (20,000 of the benchmark's 25,000): ripgrep reads
 * them natively on every core while this thread walks the tree, instead of this thread paying
 * open + read + close + the byte checks for each (~11 us a file in Node).
 *
 * It only ever removes work, never changes a result. A file is skipped only when ripgrep lists
 * it as searched without a match of a pattern that is a superset of what makes the scanner look
 * at a file's text (fileScanner.scanBufferDeferred):
 *   - the Ruby pre-filter's markers (prefilter.MARKERS) and the comment annotations' words;
 *   - a NUL byte anywhere, so binary files still reach the scanner and get their finding;
 * searched as raw bytes (`--encoding none`, `--text`), as the scanner does. Everything ripgrep
 * does not list (a match, a file over the size limit, an unreadable file, a symlink, a file its
 * ignore rules skip, a name it prints differently) is read here as before, and the walk, not
 * ripgrep, decides which files exist, so its .gitignore, exclude and nested-project rules hold.
 *
 * Where ripgrep comes from: VS Code ships it (the extension passes that binary); the CLI looks
 * for `rg` on PATH (Debian's `ripgrep` package). Without one, or when it fails, the cold build
 * reads every file itself: slower, same index.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { cpus } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { delimiter, join } from 'node:path';
import { MARKERS } from '../ruby/prefilter';
import { ANNOTATION_WORDS } from './fileScanner';
import { ALWAYS_SKIPPED_DIRS } from './fileWalker';

/** Environment variable naming the ripgrep binary to use, or `off` to read every file here. */
export const RIPGREP_ENV = 'BUDGET_LENS_RIPGREP';

/**
 * ripgrep's regex for "this file needs a look": any of the Ruby pre-filter's markers or an
 * annotation word with its '@'. Binary files need no pattern: ripgrep stops at a NUL byte and
 * does not list the file, so the scanner reads it and reports it.
 */
export function prefilterPattern(): string {
  const words = [...new Set([...MARKERS, ...ANNOTATION_WORDS.map((w) => `@${w}`)])];
  return words.map(escapeRegex).join('|');
}

function escapeRegex(word: string): string {
  return word.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&');
}

/**
 * ripgrep's threads: all cores but the one the index's own thread runs on. On 2 cores, ripgrep's
 * default (one thread a core) made the cold build slower: its second thread took the core that
 * V8's compiler and garbage-collector threads need (bench:index tree, 1 index thread, 6 alternating
 * runs each: --threads 1 904-988 ms, the default 946-1,072 ms).
 */
export function ripgrepThreads(cores: number): number {
  return Math.max(1, cores - 1);
}

/** The command line: see the file comment for why each flag. */
export function ripgrepArgs(maxFileBytes: number, threads = ripgrepThreads(cpus().length)): string[] {
  return [
    '--no-config', // a user's RIPGREP_CONFIG_PATH must not change what is listed
    '--threads',
    String(threads),
    '--count', // every file searched is listed, with its count: 0 is clean, 1 needs a look
    '--include-zero',
    '--max-count',
    '1', // one match settles it
    '--null', // NUL after each path: names with ':' or newlines stay whole
    '--no-mmap', // memory maps look for NUL bytes only in the first block
    '--encoding',
    'none', // raw bytes, as the scanner's checks; a UTF-16 BOM is not decoded away
    '--hidden', // the walk reads hidden files too
    '--no-require-git', // .gitignore outside a git repository, as the walk honours it
    '--no-messages',
    '--max-filesize',
    String(maxFileBytes), // bigger files are not listed: the scanner reports them
    '--path-separator',
    '/',
    ...[...ALWAYS_SKIPPED_DIRS].flatMap((dir) => ['--glob', `!${dir}/`]),
    '--regexp',
    prefilterPattern(),
  ];
}
/**
 * The ripgrep binary to use: `BUDGET_LENS_RIPGREP` (a path, or `off`), else `rg` on PATH.
 * Undefined when there is none.
 */
export function findRipgrep(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env[RIPGREP_ENV];
  if (configured === 'off') return undefined;
  if (configured) return configured;
  const names = process.platform === 'win32' ? ['rg.exe'] : ['rg'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The ripgrep VS Code ships, under its application root (desktop: unpacked from the asar). */
export function vscodeRipgrep(appRoot: string): string | undefined {
  const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
  for (const modules of ['node_modules', 'node_modules.asar.unpacked']) {
    for (const pkg of ['@vscode/ripgrep', 'vscode-ripgrep']) {
      const candidate = join(appRoot, modules, pkg, 'bin', exe);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface RipgrepPrefilterOptions {
  maxFileBytes: number;
  signal?: AbortSignal;
  /** ripgrep is stopped (and every file read here) when it has not finished by then. */
  timeoutMs?: number;
  /**
   * Called as ripgrep finds them with files that hold a marker (workspace-relative), so they can
   * be read while it goes on with the rest.
   */
  onMarked?: (files: string[]) => void;
}

export interface RipgrepPrefilterResult {
  /** Workspace-relative paths ('/' separators) ripgrep searched without finding a marker. */
  clean: Set<string>;
  /** Why ripgrep gave nothing or stopped early (spawn error, timeout): unlisted files are read here. */
  error?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Runs ripgrep over `root`: resolves with the files it found no marker in, reporting the marked
 * ones on the way. Never rejects: on a failure the files it did not list as clean are simply
 * read by the caller; on abort ripgrep is killed.
 */
export function ripgrepPrefilter(rg: string, root: string, options: RipgrepPrefilterOptions): Promise<RipgrepPrefilterResult> {
  return new Promise((resolvePromise) => {
    const list = new CountListParser();
    let settled = false;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolvePromise(error === undefined ? { clean: list.clean } : { clean: list.clean, error });
    };
    const stop = (error: string): void => {
      child.kill();
      finish(error);
    };
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => stop(`ripgrep did not finish within ${timeoutMs} ms`), timeoutMs);
    const onAbort = (): void => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const child = spawn(rg, ripgrepArgs(options.maxFileBytes), { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      const marked = list.push(chunk);
      if (marked.length > 0) options.onMarked?.(marked);
    });
    child.on('error', (e) => finish(`cannot run ${rg}: ${e.message}`));
    child.on('close', (code, signal) => {
      // 0: a file matched, 1: none did, 2: some file could not be searched (it is not listed).
      // Anything else (killed, crashed) may have cut the list short; what it listed stands.
      finish(code === 0 || code === 1 || code === 2 ? undefined : `${rg} exited with ${signal ?? `code ${code}`}`);
    });
  });
}

/**
 * Parses ripgrep's `path\0count\n` lines as they arrive in chunks: counts of 0 go to `clean`,
 * the others are returned by push(). A line cut at a chunk's end (or a UTF-8 character cut
 * between chunks) waits for the next chunk; one never completed (ripgrep killed) is dropped, so
 * its file is read by the caller. Each chunk is decoded once and the paths sliced from the
 * string: a decode per path took ~2x as long (28 against 15 ms for the benchmark tree's 25,000
 * lines, one process each).
 */
export class CountListParser {
  readonly clean = new Set<string>();
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');

  push(chunk: Buffer): string[] {
    const text = this.pending + this.decoder.write(chunk);
    const marked: string[] = [];
    let start = 0;
    // A path holds no NUL but may hold a newline; the count after the NUL holds neither.
    for (;;) {
      const nul = text.indexOf('\0', start);
      const nl = nul === -1 ? -1 : text.indexOf('\n', nul + 1);
      if (nl === -1) break;
      const path = text.slice(start, nul);
      // `--max-count 1`: the count is 0 or 1.
      if (nl - nul === 2 && text.charCodeAt(nul + 1) === ZERO) this.clean.add(path);
      else marked.push(path);
      start = nl + 1;
    }
    this.pending = text.slice(start);
    return marked;
  }
}

const ZERO = 48;
