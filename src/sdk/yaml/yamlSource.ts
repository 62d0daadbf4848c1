/**
 * A YAML file parsed with positions, so every complaint about it can say file:line:col.
 * Shared by the project config (.budgetlens.yml) and the catalog (stages.yml,
 * feature_categories.yml): both parse here, then validate with a JSON Schema whose errors are
 * mapped back to the offending node by `locatePath`.
 */
import { LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseAllDocuments, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { InputError } from '../contract/errors';
import type { SourceLocation } from '../contract/errors';

export interface YamlSource {
  file: string;
  text: string;
  doc: Document;
  lineCounter: LineCounter;
  /** The plain JS value of the document (null for an empty file). */
  value: unknown;
}

/** A path into the document: map keys and sequence indexes, as in a JSON pointer. */
export type YamlPath = ReadonlyArray<string | number>;

/**
 * Parses YAML text. Syntax errors (bad indentation, tabs, duplicate keys, unclosed flow
 * collections) become an InputError at the position the YAML parser reports.
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  // uniqueKeys (default) turns duplicate keys into errors: a silently overwritten key is a bug.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    // The pretty message repeats the position and adds a source excerpt; keep its first clause.
    const message = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(`invalid YAML: ${message}`, { file, line: pos?.line ?? 1, column: pos?.col ?? 1 });
  }
  let value: unknown;
  try {
    // maxAliasCount stops "billion laughs" alias expansion from eating the process.
    value = doc.toJS({ maxAliasCount: 100 }) ?? null;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new InputError(`invalid YAML: ${reason}`, { file, line: 1, column: 1 });
  }
  return { file, text, doc, lineCounter, value };
}

/** One document of a multi-document YAML file, or the syntax error that stopped it. */
export type YamlDocumentResult = { ok: true; source: YamlSource } | { ok: false; error: InputError };

/**
 * Parses every `---`-separated document of a file (OpenSLO files hold several). Each document is a
 * YamlSource of its own over the whole text and one shared LineCounter, so locatePath and
 * scalarSource answer with the file's real lines. A document with a syntax error is reported alone;
 * the others are still read. Empty documents (a trailing `---`) are dropped.
 */
export function parseYamlDocuments(text: string, file: string): YamlDocumentResult[] {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: true });
  // A stream that cannot be split into documents at all comes back as an EmptyStream.
  const docs = Array.isArray(parsed) ? parsed : [];
  const out: YamlDocumentResult[] = [];
  for (const doc of docs) {
    const first = doc.errors[0];
    if (first) {
      const pos = first.linePos?.[0];
      const message = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      out.push({ ok: false, error: new InputError(`invalid YAML: ${message}`, { file, line: pos?.line ?? 1, column: pos?.col ?? 1 }) });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 }) ?? null;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const at = doc.contents?.range?.[0] ?? 0;
      const pos = lineCounter.linePos(at);
      out.push({ ok: false, error: new InputError(`invalid YAML: ${reason}`, { file, line: pos.line, column: pos.col }) });
      continue;
    }
    if (value === null) continue;
    out.push({ ok: true, source: { file, text, doc: doc as Document, lineCounter, value } });
  }
  return out;
}

/** The location of a byte offset in the source. */
export function locationAt(src: YamlSource, offset: number): SourceLocation {
  const pos = src.lineCounter.linePos(offset);
  return { file: src.file, line: pos.line, column: pos.col };
}

/** The node at `path` (value node; or the key node when `key` is set), or the closest existing ancestor. */
export function findNode(src: YamlSource, path: YamlPath, key = false): YamlNode | null {
  let node: unknown = src.doc.contents;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return node;
      if (last && key && isNode(pair.key)) return pair.key;
      // `key:` with nothing after it has an empty (zero-width) value node; point at the key then.
      const value = pair.value;
      const empty = !value || (isScalar(value) && value.range != null && value.range[0] === value.range[1]);
      node = empty ? pair.key : value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) return node;
      node = item;
    } else {
      break;
    }
  }
  return isNode(node) ? node : null;
}

/** file:line:col of the node at `path` (of its key with `key`); 1:1 for an empty document. */
export function locatePath(src: YamlSource, path: YamlPath, key = false): SourceLocation {
  const node = findNode(src, path, key);
  const offset = node?.range?.[0];
  return offset === undefined ? { file: src.file, line: 1, column: 1 } : locationAt(src, offset);
}

/**
 * The source text of the scalar at `path`, exactly as written (`99.80` stays "99.80" even though
 * YAML parses it as the float 99.8). Undefined when there is no scalar there.
 */
export function scalarSource(src: YamlSource, path: YamlPath): string | undefined {
  const node = findNode(src, path);
  if (!isScalar(node) || !node.range) return undefined;
  if (typeof node.value === 'string') return node.value;
  return src.text.slice(node.range[0], node.range[1]).trim();
}

/** Dotted display form of a path: `groups.project_management.customTarget.target`, `mapping.pathRules[2]`. */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out === '' ? '(document)' : out;
}
