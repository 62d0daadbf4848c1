/**
 * The part of a syntax tree node the Ruby extractor reads. web-tree-sitter's `Node` has it, and so
 * does the subset parser's `SubsetNode` (subsetParser.ts), which builds the same tree tree-sitter
 * would for the common shapes of a skeleton at a fraction of the cost; the extractor runs
 * unchanged on either.
 */
export interface Point {
  row: number;
  column: number;
}

export interface SyntaxNode {
  readonly type: string;
  readonly isNamed: boolean;
  readonly text: string;
  /** JS string indices (web-tree-sitter parses UTF-16, so its indices are the same units). */
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly children: SyntaxNode[];
  readonly childCount: number;
  readonly namedChildren: SyntaxNode[];
  readonly namedChildCount: number;
  child(index: number): SyntaxNode | null;
  namedChild(index: number): SyntaxNode | null;
  childForFieldName(fieldName: string): SyntaxNode | null;
  fieldNameForChild(index: number): string | null;
  readonly hasError: boolean;
  readonly isMissing: boolean;
  readonly isError: boolean;
}

export interface SyntaxTree {
  readonly rootNode: SyntaxNode;
}
