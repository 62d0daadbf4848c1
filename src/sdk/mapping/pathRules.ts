/**
 * Path rules: `.budgetlens.yml` `mapping.pathRules`, an ordered list of CODEOWNERS-style globs
 * mapping files to a feature category; the last matching rule wins, as in CODEOWNERS.
 *
 * Pattern semantics (GitHub/GitLab CODEOWNERS, which follow .gitignore):
 * - no '/' except a trailing one: matches at any depth (`*.rb`, `docs`, `models/`);
 * - a leading or inner '/': anchored at the workspace root (`/app/models`, `app/models/*.rb`);
 * - a trailing '/': the directory's contents at any depth (`app/models/`);
 * - a last segment without wildcards also matches the directory of that name and its contents
 *   (`/apps/github` owns `apps/github/x.rb`); `docs/*` matches only files directly in docs/.
 * Each rule compiles to one regular expression (picomatch), so matching is a handful of regex
 * tests per file: fast enough for the 25,000 files of a workspace index.
 */
import picomatch from 'picomatch';
import type { ObjectivePathRule, PathRule } from '../config/types';

export interface PathRuleMatch {
  category: string;
  rule: PathRule;
  /** Index of the winning rule in the configured list. */
  index: number;
}

const GLOB_CHARS = /[*?[\]{}]/;
const PICOMATCH_OPTIONS = { dot: true } as const;

/** The picomatch globs (relative to the workspace root) that a CODEOWNERS pattern stands for. */
export function codeownersGlobs(pattern: string): string[] {
  let p = pattern.trim().replace(/\\/g, '/');
  const directoryOnly = p.endsWith('/');
  p = p.replace(/\/+$/, '');
  const anchored = p.startsWith('/') || p.includes('/');
  p = p.replace(/^\/+/, '');
  if (p === '') return directoryOnly ? ['**/*'] : [];
  const body = anchored || p.startsWith('**') ? p : `**/${p}`;
  // `dir/**/*`, not `dir/**`: picomatch's `dir/**` also matches a *file* named `dir`.
  const contents = `${body}/**/*`;
  if (directoryOnly) return [contents];
  const last = p.slice(p.lastIndexOf('/') + 1);
  return GLOB_CHARS.test(last) ? [body] : [body, contents];
}

/** A workspace-relative path with '/' separators and no leading './' or '/'. */
export function normaliseWorkspacePath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

/** Characters that end a glob's literal prefix/suffix (wildcards, classes, braces, extglobs, escapes). */
const SPECIAL = /[*?[\]{}()!+@\\]/;

/**
 * One pattern as a regex plus literal prefix/suffix filters. The filters are exact consequences of
 * the glob (a literal head must start the path, a literal tail must end it), so checking them
 * first only skips regex tests that would fail: a rule like `/app/models/` costs a startsWith for
 * files elsewhere.
 */
interface CompiledPattern {
  re: RegExp;
  prefix: string;
  suffix: string;
}

function literalPrefix(glob: string): string {
  const i = glob.search(SPECIAL);
  return i < 0 ? glob : glob.slice(0, i);
}

function literalSuffix(glob: string): string {
  let i = glob.length;
  while (i > 0 && !SPECIAL.test(glob[i - 1]!)) i--;
  return glob.slice(i);
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

function compilePattern(pattern: string): CompiledPattern | undefined {
  const globs = codeownersGlobs(pattern);
  if (globs.length === 0) return undefined;
  const sources = globs.map((g) => picomatch.makeRe(g, PICOMATCH_OPTIONS).source);
  const re = new RegExp(sources.length === 1 ? sources[0]! : sources.map((s) => `(?:${s})`).join('|'));
  const prefix = globs.map(literalPrefix).reduce(commonPrefix);
  // A suffix filter is only exact for a single glob; the `/**/*` alternative may end anywhere.
  const suffix = globs.length === 1 ? literalSuffix(globs[0]!) : '';
  return { re, prefix, suffix };
}

function matches(c: CompiledPattern, path: string): boolean {
  return path.startsWith(c.prefix) && path.endsWith(c.suffix) && c.re.test(path);
}

interface CompiledRule<R> {
  rule: R;
  index: number;
  pattern: CompiledPattern;
}

/** Rules filed under the directory their literal prefix names (`app/models/` for `/app/models/`). */
interface DirectoryNode<R> {
  /** In ascending rule order. */
  rules: CompiledRule<R>[];
  children: Map<string, DirectoryNode<R>>;
}

const newNode = <R>(): DirectoryNode<R> => ({ rules: [], children: new Map() });

/**
 * Compiled path rules. Build once per config, then ask for as many files as needed.
 * Each rule is filed in a directory tree under the directories its pattern spells out literally
 * (`/app/models/` under app -> models; `*.rb` at the root). A file is tested only against the
 * rules on its own directory chain, so a lookup costs a few checks even with hundreds of rules
 * (CODEOWNERS files of that size are common in large monorepos).
 * Any rule with a `pattern` (mapping.pathRules -> categories, objectives.pathRules -> objectives).
 */
export class GlobRuleMatcher<R extends { pattern: string }> {
  private readonly root = newNode<R>();

  constructor(readonly rules: readonly R[]) {
    rules.forEach((rule, index) => {
      const pattern = compilePattern(rule.pattern);
      if (!pattern) return;
      const dirs = pattern.prefix.slice(0, pattern.prefix.lastIndexOf('/') + 1).split('/').filter((d) => d !== '');
      let node = this.root;
      for (const d of dirs) {
        let child = node.children.get(d);
        if (!child) node.children.set(d, (child = newNode()));
        node = child;
      }
      node.rules.push({ rule, index, pattern });
    });
  }

  /** The last rule matching `file` (workspace-relative) and its index, or undefined. */
  matchRule(file: string): { rule: R; index: number } | undefined {
    const path = normaliseWorkspacePath(file);
    let best: CompiledRule<R> | undefined;
    let node: DirectoryNode<R> | undefined = this.root;
    let start = 0;
    while (node) {
      // Last match wins: walk each list from its last rule, and only rules after the best so far.
      for (let i = node.rules.length - 1; i >= 0; i--) {
        const c: CompiledRule<R> = node.rules[i]!;
        if (best && c.index < best.index) break;
        if (matches(c.pattern, path)) {
          best = c;
          break;
        }
      }
      const slash = path.indexOf('/', start);
      if (slash < 0) break;
      node = node.children.get(path.slice(start, slash));
      start = slash + 1;
    }
    return best && { rule: best.rule, index: best.index };
  }
}

/** Compiled `mapping.pathRules`: file -> category, last match wins. */
export class PathRuleMatcher extends GlobRuleMatcher<PathRule> {
  /** The last rule matching `file` (workspace-relative), or undefined. */
  match(file: string): PathRuleMatch | undefined {
    const best = this.matchRule(file);
    return best && { category: best.rule.category, rule: best.rule, index: best.index };
  }

  /** The category of `file` by path rules, or undefined when no rule matches. */
  categoryFor(file: string): string | undefined {
    return this.match(file)?.category;
  }
}

export function compilePathRules(rules: readonly PathRule[]): PathRuleMatcher {
  return new PathRuleMatcher(rules);
}

/** Compiled `objectives.pathRules`: file -> objective names, last match wins (as mapping.pathRules). */
export function compileObjectivePathRules(rules: readonly ObjectivePathRule[]): GlobRuleMatcher<ObjectivePathRule> {
  return new GlobRuleMatcher(rules);
}

/**
 * A predicate for a list of CODEOWNERS-style globs (e.g. `mapping.exclude`): true when any
 * pattern matches the workspace-relative path.
 */
export function compileGlobList(patterns: readonly string[]): (file: string) => boolean {
  const compiled = patterns.map(compilePattern).filter((c): c is CompiledPattern => c !== undefined);
  return (file) => {
    const path = normaliseWorkspacePath(file);
    return compiled.some((c) => matches(c, path));
  };
}
