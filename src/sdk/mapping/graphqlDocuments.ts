/**
 * GraphQL operations from the workspace's `.graphql` documents, the way GitLab's build registers
 * them (config/plugins/graphql_known_operations_plugin.js, which writes the
 * `graphql_known_operations.yml` the Rails side loads; the eslint rules graphql_require_* check
 * the same comments):
 *
 *   # @feature_category: continuous_integration
 *   # @urgency: high
 *   #import "~/graphql_shared/fragments/user.fragment.graphql"
 *
 *   query getPipelineDetails($fullPath: ID!) { ... }     -> graphql:getPipelineDetails
 *
 * - Only files whose name ends in `query.graphql`, `mutation.graphql` or `subscription.graphql`
 *   are registered (the plugin's `(query|mutation|subscription)\.graphql$`); a named operation in
 *   any other `.graphql` file reaches the backend as `graphql:unknown`, so it is no endpoint here
 *   (an info finding says so).
 * - Every named `query`/`mutation`/`subscription` definition of the file is one operation;
 *   fragments and anonymous operations are none.
 * - The first `# @feature_category: x` and the first `# @urgency: y` comment of the file apply to
 *   all its operations; no urgency means `default`; no category leaves the operation `unknown`.
 *   As everywhere in Budget Lens an annotation is a comment whose text starts with the tag; the
 *   form without the colon is read too, with a warning, because GitLab's plugin reads only
 *   `@feature_category:` and would register no category.
 * Thresholds are the graphql_query column of domain.md section 1 (the request thresholds).
 */
import type { CategoryRange, Endpoint, FileMapping } from './types';
import { defaultUrgency, thresholdFor, urgencyFor } from './urgency';
import { checkCategory, checkUrgency } from './validation';

/** GitLab's plugin registers operations only from these files. */
export const REGISTERED_GRAPHQL_FILE = /(query|mutation|subscription)\.graphql$/;

const OPERATION_KEYWORDS = new Set(['query', 'mutation', 'subscription']);
const NAME = /[_A-Za-z][_0-9A-Za-z]*/y;

interface Operation {
  keyword: string;
  name?: string;
  line: number;
}

interface Directive {
  value: string;
  line: number;
  column: number;
  valueColumn: number;
  colon: boolean;
}

/** Top-level operation definitions: keywords at brace and paren depth 0, outside strings and comments. */
export function graphqlOperations(text: string): Operation[] {
  const ops: Operation[] = [];
  let depth = 0;
  let line = 1;
  let expectName: Operation | undefined;
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if (c === '"') {
      const block = text.startsWith('"""', i);
      const close = block ? '"""' : '"';
      let j = i + close.length;
      for (; j < text.length; j++) {
        if (text[j] === '\\') j++;
        else if (text.startsWith(close, j)) break;
        else if (!block && text[j] === '\n') break;
      }
      for (let k = i; k < j && k < text.length; k++) if (text[k] === '\n') line++;
      i = Math.min(text.length, j + close.length);
    } else if (c === '{' || c === '(' || c === '[') {
      expectName = undefined;
      depth++;
      i++;
    } else if (c === '}' || c === ')' || c === ']') {
      depth = Math.max(0, depth - 1);
      i++;
    } else {
      NAME.lastIndex = i;
      const m = NAME.exec(text);
      if (!m) {
        if (c !== ' ' && c !== '\t' && c !== '\r' && c !== ',') expectName = undefined;
        i++;
        continue;
      }
      const word = m[0];
      if (depth === 0) {
        if (expectName) {
          expectName.name = word;
          expectName = undefined;
        } else if (OPERATION_KEYWORDS.has(word)) {
          expectName = { keyword: word, line };
          ops.push(expectName);
        }
      }
      i += word.length;
    }
  }
  return ops;
}

/** The first comment line of the file whose text starts with `@<tag>`. */
function directive(lines: readonly string[], tag: 'feature_category' | 'urgency'): Directive | undefined {
  const re = new RegExp(`^(\\s*#\\s*)@${tag}(?:(\\s*:\\s*)|\\s+)([^\\s#]+)`);
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i]!);
    if (!m) continue;
    const valueColumn = m[0].length - m[3]!.length + 1;
    return { value: m[3]!, line: i + 1, column: m[1]!.length + 1, valueColumn, colon: m[2] !== undefined };
  }
  return undefined;
}

const KIND = 'graphql';

/** A `.graphql` document -> its registered operations (graphql:<Name>), a file category range and findings. */
export function parseGraphqlDocument(file: string, text: string, ctx: { knownCategories: ReadonlySet<string> }): FileMapping {
  const out: FileMapping = { file, categories: [], endpoints: [], findings: [] };
  const lines = text.split(/\r?\n/);
  const lineCount = Math.max(1, lines.length - (lines.at(-1) === '' ? 1 : 0));
  const category = directive(lines, 'feature_category');
  const urgencyDecl = directive(lines, 'urgency');
  for (const d of [category, urgencyDecl]) {
    if (d && !d.colon) {
      const tag = d === category ? 'feature_category' : 'urgency';
      out.findings.push({
        code: 'parse_error',
        severity: 'warning',
        message: `GitLab's build reads only "# @${tag}: ${d.value}" (with the colon); without it GitLab registers no ${tag === 'urgency' ? 'urgency' : 'category'} for these operations`,
        file,
        line: d.line,
        column: d.column,
      });
    }
  }
  const asDecl = (d: Directive) => ({ value: d.value, line: d.line, column: d.column, valueLine: d.line, valueColumn: d.valueColumn });
  if (category) checkCategory(asDecl(category), file, ctx.knownCategories, out.findings);
  let urgency = defaultUrgency(KIND);
  if (urgencyDecl) {
    const before = out.findings.length;
    checkUrgency(asDecl(urgencyDecl), file, KIND, out.findings);
    if (out.findings.length === before) urgency = urgencyFor(KIND, urgencyDecl.value) ?? urgency;
  }
  if (category) {
    const range: CategoryRange = { category: category.value, scope: 'file', name: file, startLine: 1, endLine: lineCount, attribution: 'annotation' };
    out.categories.push(range);
  }
  const named = graphqlOperations(text).filter((op) => op.name !== undefined);
  if (!REGISTERED_GRAPHQL_FILE.test(file)) {
    for (const op of named) {
      out.findings.push({
        code: 'parse_error',
        severity: 'info',
        message: `${op.keyword} ${op.name} is not in a *.query.graphql / *.mutation.graphql / *.subscription.graphql file: GitLab's build does not register it, so the backend reports it as graphql:unknown`,
        file,
        line: op.line,
        column: 1,
      });
    }
    return out;
  }
  const seen = new Set<string>();
  for (const op of named) {
    const id = `graphql:${op.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const endpoint: Endpoint = {
      id,
      kind: KIND,
      category: category?.value ?? 'unknown',
      urgency,
      thresholdS: thresholdFor(KIND, urgency),
      file,
      line: op.line,
      attribution: category ? 'annotation' : 'unknown',
    };
    out.endpoints.push(endpoint);
  }
  out.findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return out;
}
