/**
 * Loads web-tree-sitter and the Ruby grammar once, and parses Ruby text into a tree whose rows can
 * be mapped back to the original file (skeleton parsing, see skeleton.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';
import { buildSkeleton } from './skeleton';

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/**
 * A wasm file next to the running bundle (dist/, where scripts/build.mjs copies both), else the
 * copy inside node_modules (tests and `tsx` runs).
 */
function locateWasm(fileName: string, packagePath: string): string {
  const bundled = typeof __dirname === 'string' ? join(__dirname, fileName) : '';
  if (bundled !== '' && existsSync(bundled)) return bundled;
  return require.resolve(packagePath);
}

/** Loads web-tree-sitter + tree-sitter-ruby.wasm once; later calls return the same promise. */
export function initRubyParser(): Promise<void> {
  loading ??= (async () => {
    const runtimeWasm = locateWasm('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtimeWasm });
    const ruby = await Language.load(locateWasm('tree-sitter-ruby.wasm', 'tree-sitter-ruby/tree-sitter-ruby.wasm'));
    const p = new Parser();
    p.setLanguage(ruby);
    parser = p;
  })().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

function requireParser(): Parser {
  if (parser === undefined) throw new Error('initRubyParser() must complete before parsing Ruby');
  return parser;
}

/** A parsed tree plus the map from its rows to the original file's 0-based rows. */
export interface ParsedRuby {
  tree: Tree;
  /** Original 0-based row of tree row `r`; undefined when the tree is of the full text. */
  lineMap: number[] | undefined;
}

/**
 * Parses the skeleton; if the skeleton has a syntax error, parses the full text instead so the
 * reported error location and the recovered declarations are those of the real file. Callers
 * must `tree.delete()` (wasm memory is not garbage collected).
 */
export function parseRuby(text: string, options: { skeleton?: boolean } = {}): ParsedRuby {
  const p = requireParser();
  if (options.skeleton === false) {
    const tree = p.parse(text);
    if (tree === null) throw new Error('tree-sitter returned no tree');
    return { tree, lineMap: undefined };
  }
  const skeleton = buildSkeleton(text);
  const tree = p.parse(skeleton.text);
  if (tree !== null && !tree.rootNode.hasError) return { tree, lineMap: skeleton.lineMap };
  tree?.delete();
  const full = p.parse(text);
  if (full === null) throw new Error('tree-sitter returned no tree');
  return { tree: full, lineMap: undefined };
}

/** 1-based line in the original file of a tree row. */
export function originalLine(parsed: ParsedRuby, row: number): number {
  return (parsed.lineMap === undefined ? row : (parsed.lineMap[row] ?? row)) + 1;
}

/**
 * The innermost first ERROR or MISSING node in document order. tree-sitter often wraps a whole
 * class in an ERROR node when one token is wrong, so an ERROR that contains a nested error is
 * descended into: the nested one is where the file actually went wrong.
 */
export function firstSyntaxError(root: Node): Node | undefined {
  if (!root.hasError) return undefined;
  let node: Node = root;
  for (;;) {
    if (node.isMissing) return node;
    let next: Node | undefined;
    for (let i = 0; i < node.childCount; i++) {
      const child = node.child(i);
      if (child !== null && (child.hasError || child.isMissing || child.isError)) {
        next = child;
        break;
      }
    }
    if (next === undefined) return node;
    node = next;
  }
}
