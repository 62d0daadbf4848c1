/**
 * A parser for the small subset of Ruby that declaration skeletons are made of. Work in progress:
 * accepts nothing yet (every caller falls back to tree-sitter).
 */
import type { SyntaxNode, SyntaxTree } from './syntaxNode';

export type SubsetNode = SyntaxNode;

export interface SubsetTree extends SyntaxTree {
  readonly rootNode: SubsetNode;
}

/** The tree tree-sitter-ruby would build for `source`, or undefined when `source` is outside the subset. */
export function parseSubset(source: string): SubsetTree | undefined {
  void source;
  return undefined;
}
