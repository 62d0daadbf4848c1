/**
 * The `parse_error` finding: where tree-sitter first gave up, in words a developer can act on.
 */
import type { SyntaxNode as Node } from './syntaxNode';
import type { Finding } from '../types';
import { originalLine } from './parser';
import type { ParsedRuby } from './parser';

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

const OPENING_KEYWORDS = new Set(['class', 'module', 'def', 'do', 'if', 'unless', 'case', 'begin', 'while', 'until']);

function describeSyntaxError(error: Node): string {
  if (error.isMissing) return `missing "${error.type}"`;
  const opener = error.child(0)?.type;
  if (opener !== undefined && OPENING_KEYWORDS.has(opener) && error.endPosition.row > error.startPosition.row) {
    // tree-sitter could not close this construct at all: the cause is somewhere inside it.
    return `the ${opener} starting here does not parse: an unclosed bracket, string or block, or a missing end`;
  }
  return `unexpected ${JSON.stringify(error.text.split('\n')[0]!.slice(0, 40))}`;
}

export function parseErrorFinding(file: string, parsed: ParsedRuby, strayEnd: Node | undefined): Finding | undefined {
  let error = firstSyntaxError(parsed.tree.rootNode);
  let what = error === undefined ? '' : describeSyntaxError(error);
  if (strayEnd !== undefined && (error === undefined || strayEnd.startIndex < error.startIndex)) {
    error = strayEnd;
    what = 'unexpected "end" (more ends than openings)';
  }
  if (error === undefined) return undefined;
  return {
    code: 'parse_error',
    severity: 'error',
    message: `Ruby syntax error: ${what}; declarations after this point may be incomplete`,
    file,
    line: originalLine(parsed, error.startPosition.row),
    column: error.startPosition.column + 1,
  };
}
