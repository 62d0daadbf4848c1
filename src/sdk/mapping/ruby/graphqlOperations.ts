/**
 * `graphql_known_operations.yml`: operation name -> `{ feature_category, urgency }`, one
 * `graphql:<Operation>` endpoint each (component graphql_query, request thresholds).
 *
 *   getPipelineDetails:
 *     feature_category: continuous_integration
 *     urgency: low
 */
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import type { Endpoint, FileMapping, Finding } from '../types';
import { defaultUrgency, thresholdFor, urgencyFor } from '../urgency';
import { checkCategory, checkUrgency } from '../validation';

const KIND = 'graphql';

interface Position {
  line: number;
  column: number;
}

function positionOf(node: YamlNode | null | undefined, lines: LineCounter): Position {
  const offset = node?.range?.[0] ?? 0;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function structureError(file: string, at: Position, message: string): Finding {
  return { code: 'parse_error', severity: 'error', message, file, line: at.line, column: at.column };
}

function readOperation(
  file: string,
  pair: Pair<unknown, unknown>,
  lines: LineCounter,
  knownCategories: ReadonlySet<string>,
  out: FileMapping,
): void {
  const keyNode = pair.key as YamlNode | null;
  const name = scalarString(keyNode);
  const at = positionOf(keyNode, lines);
  if (name === undefined || name === '') {
    out.findings.push(structureError(file, at, 'operation names must be non-empty strings'));
    return;
  }
  if (!isMap(pair.value)) {
    out.findings.push(structureError(file, at, `operation '${name}' must map to { feature_category, urgency }`));
    return;
  }
  let category: string | undefined;
  let urgencyName: string | undefined;
  for (const field of pair.value.items) {
    const fieldName = scalarString(field.key);
    const valueNode = field.value as YamlNode | null;
    const value = scalarString(valueNode);
    const valueAt = positionOf(valueNode ?? (field.key as YamlNode), lines);
    if (fieldName !== 'feature_category' && fieldName !== 'urgency') {
      out.findings.push(structureError(file, positionOf(field.key as YamlNode, lines), `unexpected key '${fieldName ?? '?'}' in operation '${name}'; expected feature_category, urgency`));
      continue;
    }
    if (value === undefined) {
      out.findings.push(structureError(file, valueAt, `${fieldName} of operation '${name}' must be a string`));
      continue;
    }
    const decl = { value, line: valueAt.line, column: valueAt.column, valueLine: valueAt.line, valueColumn: valueAt.column };
    if (fieldName === 'feature_category') {
      category = value;
      checkCategory(decl, file, knownCategories, out.findings);
    } else {
      urgencyName = value;
      checkUrgency(decl, file, KIND, out.findings);
    }
  }
  const urgency = (urgencyName === undefined ? undefined : urgencyFor(KIND, urgencyName)) ?? defaultUrgency(KIND);
  const endpoint: Endpoint = {
    id: `graphql:${name}`,
    kind: KIND,
    category: category ?? 'unknown',
    urgency,
    thresholdS: thresholdFor(KIND, urgency),
    file,
    line: at.line,
    attribution: category === undefined ? 'unknown' : 'declaration',
  };
  out.endpoints.push(endpoint);
}

/** graphql_known_operations.yml -> graphql:<Operation> endpoints; YAML errors become findings with line/col. */
export function parseGraphqlOperations(
  file: string,
  text: string,
  ctx: { knownCategories: ReadonlySet<string> },
): FileMapping {
  const out: FileMapping = { file, categories: [], endpoints: [], findings: [] };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const pos = lines.linePos(error.pos[0]);
      out.findings.push(structureError(file, { line: pos.line, column: pos.col }, `invalid YAML: ${error.message.split('\n')[0]}`));
    }
    return out;
  }
  if (doc.contents === null) return out;
  if (!isMap(doc.contents)) {
    out.findings.push(structureError(file, positionOf(doc.contents, lines), 'expected a mapping of operation name -> { feature_category, urgency }'));
    return out;
  }
  for (const pair of doc.contents.items) readOperation(file, pair, lines, ctx.knownCategories, out);
  return out;
}
