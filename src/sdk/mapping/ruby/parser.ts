/**
 * Loads tree-sitter and the Ruby grammar once, and parses Ruby text into a tree whose rows can be
 * mapped back to the original file (skeleton parsing, see skeleton.ts); the subset parser
 * (subsetParser.ts) goes first and tree-sitter parses what it refuses.
 *
 * Two bindings of the same grammar: the native one (`tree-sitter` + `tree-sitter-ruby`, N-API
 * prebuilds inside the npm packages) where it loads, else web-tree-sitter (wasm). Why both: the
 * first use of the wasm parser in a process makes V8 compile its lexer with TurboFan, ~190 ms of
 * CPU even for one file, plus ~40 ms to load; the native binding costs nothing to warm up, and a
 * cold index meets a few refused skeletons in every real tree. The wasm one needs no binary, so
 * it is the fallback (a bundle without node_modules, a platform without a prebuild).
 * `BUDGET_LENS_TREE_SITTER=wasm` forces it (tests run the Ruby suites on both); `=native` keeps the
 * native binding past NATIVE_TREE_BUDGET (below).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';
import { buildSkeleton } from './skeleton';
import { parseSubset } from './subsetParser';
import type { SyntaxNode, SyntaxTree } from './syntaxNode';

// `require`, not `import`: the extension and CLI are CommonJS bundles, and esbuild resolves an
// `import` to web-tree-sitter's ESM build, whose loader needs `import.meta.url` (undefined in
// CJS: "createRequire ... Received undefined" at Parser.init). `require` selects
// web-tree-sitter.cjs in the bundle, under tsx and in worker threads alike.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Edit, Language, Parser } = require('web-tree-sitter') as typeof TreeSitter;
type Edit = TreeSitter.Edit;

/** A tree of either binding, as used here (their node APIs are the same; see SyntaxNode). */
interface RubyTree extends SyntaxTree {
  readonly rootNode: SyntaxNode;
  edit(edit: Edit): void;
  delete(): void;
}

export type RubyParserKind = 'native' | 'wasm';

interface RubyParserBinding {
  readonly kind: RubyParserKind;
  parse(text: string, oldTree?: RubyTree): RubyTree | null;
}

let parser: RubyParserBinding | undefined;
let loading: Promise<void> | undefined;

interface NativeParser {
  setLanguage(language: unknown): void;
  parse(input: string, oldTree: unknown, options: { bufferSize: number }): (RubyTree & { delete?: () => void }) | null;
}

/** The native binding, or undefined when it does not load here (or wasm is forced). */
function loadNativeBinding(): RubyParserBinding | undefined {
  if (process.env.BUDGET_LENS_TREE_SITTER === 'wasm') return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const NativeParserClass = require('tree-sitter') as new () => NativeParser;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ruby = require('tree-sitter-ruby') as unknown;
    const native = new NativeParserClass();
    native.setLanguage(ruby);
    return {
      kind: 'native',
      parse(text, oldTree) {
        // The buffer must hold the whole input (a smaller one fails with "Invalid argument" past 32 KB).
        const tree = native.parse(text, oldTree ?? null, { bufferSize: text.length + 1 });
        // Native trees are garbage collected: delete() is a no-op, as the callers expect one.
        if (tree !== null && typeof tree.delete !== 'function') tree.delete = () => undefined;
        return tree;
      },
    };
  } catch {
    return undefined;
  }
}

/** Which binding initRubyParser() loaded (undefined before it completed). */
export function rubyParserKind(): RubyParserKind | undefined {
  return parser?.kind;
}

/**
 * A wasm file next to the running bundle (dist/, where scripts/build.mjs copies both), else the
 * copy inside node_modules (tests and `tsx` runs).
 */
function locateWasm(fileName: string, packagePath: string): string {
  const bundled = typeof __dirname === 'string' ? join(__dirname, fileName) : '';
  if (bundled !== '' && existsSync(bundled)) return bundled;
  return require.resolve(packagePath);
}

async function loadWasmBinding(): Promise<RubyParserBinding> {
  const runtimeWasm = locateWasm('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
  await Parser.init({ locateFile: () => runtimeWasm });
  const ruby = await Language.load(locateWasm('tree-sitter-ruby.wasm', 'tree-sitter-ruby/tree-sitter-ruby.wasm'));
  const p = new Parser();
  p.setLanguage(ruby);
  return { kind: 'wasm', parse: (text, oldTree) => p.parse(text, oldTree as TreeSitter.Tree | undefined) };
}

/** Loads the native binding, else web-tree-sitter + tree-sitter-ruby.wasm, once; later calls return the same promise. */
export function initRubyParser(): Promise<void> {
  loading ??= (async () => {
    const native = loadNativeBinding();
    if (native !== undefined) {
      parser = native;
      return;
    }
    parser = await loadWasmBinding();
  })().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/**
 * Native parses after which a thread moves to the wasm binding (unless BUDGET_LENS_TREE_SITTER=native).
 * The native binding has no `tree.delete()`: its trees (and a native cache entry per node the
 * extractor reads) are freed only when V8 collects their wrappers, and V8 does not hurry for
 * memory it cannot see. Extracting the 1,727 skeletons of a GitLab checkout that the subset
 * parser refuses left 97 MB more RSS with it, 10 MB with wasm, whose trees are deleted at once;
 * the cold `endpoints` peaked at 312-325 MB against 280-285 MB. Below the budget (a generated
 * tree's hundred refused skeletons, an editor's edits) the native binding keeps its start-up
 * advantage; past it the wasm one loads in the background and takes over when ready.
 */
const NATIVE_TREE_BUDGET = 256;
let nativeParses = 0;
let switching: Promise<void> | undefined;

function countNativeParse(): void {
  if (++nativeParses <= NATIVE_TREE_BUDGET || switching !== undefined || process.env.BUDGET_LENS_TREE_SITTER === 'native') return;
  switching = loadWasmBinding().then(
    (wasm) => {
      parser = wasm;
      // Cached native trees cannot be edited and handed to the wasm parser.
      for (const { tree } of reparseCache.values()) tree.delete();
      reparseCache.clear();
    },
    () => undefined, // wasm unavailable: stay native
  );
}

/**
 * Thrown when a file needs tree-sitter (the subset parser refused it) before initRubyParser() has
 * completed. The cold index starts its threads without loading tree-sitter, since most skeletons
 * never need it; a thread that meets one of these loads it then and scans that file again.
 */
export class TreeSitterNotLoaded extends Error {
  constructor() {
    super('initRubyParser() must complete before parsing Ruby with tree-sitter');
    this.name = 'TreeSitterNotLoaded';
  }
}

/** Whether tree-sitter is loaded (parseRuby then never throws TreeSitterNotLoaded). */
export function rubyParserLoaded(): boolean {
  return parser !== undefined;
}

function requireParser(): RubyParserBinding {
  if (parser === undefined) throw new TreeSitterNotLoaded();
  if (parser.kind === 'native') countNativeParse();
  return parser;
}

/** A parsed tree plus the map from its rows to the original file's 0-based rows. */
export interface ParsedRuby {
  /** tree-sitter's tree, or the subset parser's identical one (see subsetParser.ts). */
  tree: SyntaxTree;
  /** Original 0-based row of tree row `r`; undefined when the tree is of the full text. */
  lineMap: number[] | undefined;
  /** The text the tree was parsed from (the skeleton or the full text); node indices point into it. */
  source: string;
  /** Frees the tree unless the re-parse cache keeps it (wasm memory is not garbage collected). */
  release(): void;
}

/**
 * The last skeleton tree of a few recently parsed files. Re-parsing an edited file reuses it:
 * an edit inside a method body leaves the skeleton unchanged (no parse at all), and any other
 * edit is applied with `tree.edit()` and parsed incrementally, which tree-sitter guarantees gives
 * the same tree as a fresh parse. Bounded so a cold index over thousands of files holds only a
 * handful of trees.
 */
const REPARSE_CACHE_SIZE = 8;
const reparseCache = new Map<string, { skeleton: string; tree: RubyTree; kind: RubyParserKind }>();

function pointAt(text: string, index: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/** The smallest single edit turning `before` into `after` (common prefix and suffix kept). */
function editBetween(before: string, after: string): Edit {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  return new Edit({
    startIndex: prefix,
    oldEndIndex: before.length - suffix,
    newEndIndex: after.length - suffix,
    startPosition: pointAt(before, prefix),
    oldEndPosition: pointAt(before, before.length - suffix),
    newEndPosition: pointAt(after, after.length - suffix),
  });
}

function parseSkeletonCached(p: RubyParserBinding, skeleton: string, cacheKey: string | undefined): RubyTree | null {
  const cached = cacheKey === undefined ? undefined : reparseCache.get(cacheKey);
  if (cacheKey !== undefined) reparseCache.delete(cacheKey);
  let tree: RubyTree | null;
  if (cached !== undefined && cached.kind !== p.kind) {
    cached.tree.delete();
    tree = p.parse(skeleton);
  } else if (cached !== undefined && cached.skeleton === skeleton) {
    tree = cached.tree;
  } else if (cached !== undefined) {
    cached.tree.edit(editBetween(cached.skeleton, skeleton));
    tree = p.parse(skeleton, cached.tree);
    cached.tree.delete();
  } else {
    tree = p.parse(skeleton);
  }
  if (tree === null || tree.rootNode.hasError || cacheKey === undefined) return tree;
  reparseCache.set(cacheKey, { skeleton, tree, kind: p.kind });
  if (reparseCache.size > REPARSE_CACHE_SIZE) {
    const [oldestKey, oldest] = reparseCache.entries().next().value as [string, { tree: RubyTree }];
    reparseCache.delete(oldestKey);
    oldest.tree.delete();
  }
  return tree;
}

function owned(tree: RubyTree, lineMap: number[] | undefined, source: string): ParsedRuby {
  return { tree, lineMap, source, release: () => tree.delete() };
}

/**
 * Parses the skeleton; if the skeleton has a syntax error, parses the full text instead so the
 * reported error location and the recovered declarations are those of the real file. With a
 * `cacheKey` (the file path) the skeleton tree is kept for an incremental re-parse. Callers must
 * call `release()`.
 */
export function parseRuby(text: string, options: { skeleton?: boolean; cacheKey?: string; subsetParser?: boolean } = {}): ParsedRuby {
  if (options.skeleton === false) {
    const tree = requireParser().parse(text);
    if (tree === null) throw new Error('tree-sitter returned no tree');
    return owned(tree, undefined, text);
  }
  const skeleton = buildSkeleton(text);
  if (options.subsetParser !== false) {
    // Most skeletons are plain declarations: the subset parser builds tree-sitter's exact tree for
    // them ~20x faster (no wasm), and needs no cache for re-parsing.
    const subset = parseSubset(skeleton.text);
    if (subset !== undefined) return { tree: subset, lineMap: skeleton.lineMap, source: skeleton.text, release: () => undefined };
  }
  const p = requireParser();
  const tree = parseSkeletonCached(p, skeleton.text, options.cacheKey);
  if (tree !== null && !tree.rootNode.hasError) {
    if (options.cacheKey === undefined) return owned(tree, skeleton.lineMap, skeleton.text);
    return { tree, lineMap: skeleton.lineMap, source: skeleton.text, release: () => undefined };
  }
  tree?.delete();
  const full = p.parse(text);
  if (full === null) throw new Error('tree-sitter returned no tree');
  return owned(full, undefined, text);
}

/** 1-based line in the original file of a tree row. */
export function originalLine(parsed: ParsedRuby, row: number): number {
  return (parsed.lineMap === undefined ? row : (parsed.lineMap[row] ?? row)) + 1;
}
