/**
 * What the editor adapters say about a mapping, as plain strings: CodeLens titles, hover lines,
 * status bar text, the range a finding points at. No `vscode` import, so every wording is unit
 * tested in plain Node (test/unit/extension) and the adapters only place the text.
 */
import { NOT_OWNED_GROUP, thresholdFor, urgencyFor } from '../../sdk';
import type { CategoryRange, Endpoint, EndpointKind, GroupInfo, Urgency } from '../../sdk';
import { CONTRIBUTED_COMMANDS } from '../commandIds';
import { escapeMarkdown, inlineCode, oneLine, statusBarSafe } from './safeText';

/** The part of the catalog the texts need (GitLabCatalog satisfies it). */
export interface CategoryLookup {
  groupOf(category: string): GroupInfo;
  isValidCategory(category: string): boolean;
}

/**
 * True for a valid category that no group of the catalog's stages.yml lists: a GitLab checkout's
 * own feature_categories.yml may be newer than the bundled snapshot's groups.
 */
function withoutGroup(category: string, catalog: CategoryLookup): boolean {
  return category !== NOT_OWNED_GROUP && category !== 'unknown' && catalog.groupOf(category).key === NOT_OWNED_GROUP;
}

/**
 * `team_planning · Project Management · plan`; a category outside the catalog says so. On one line:
 * the catalog's names come from a file (a GitLab checkout's, a configured one).
 */
export function categoryLensTitle(category: string, catalog: CategoryLookup): string {
  if (!catalog.isValidCategory(category)) return oneLine(`${category} · not in the catalog`);
  if (withoutGroup(category, catalog)) return oneLine(`${category} · no group in the catalog`);
  const group = catalog.groupOf(category);
  return oneLine(`${category} · ${group.name} · ${group.stage}`);
}

/**
 * A CodeLens title: `team_planning · 4.03 of 20.16 budget-min (20 %) · 28 d` with figures, else
 * the mapping (categoryLensTitle), else the bare category. VS Code draws `$(name)` in a lens title
 * (and a quick pick label) as an icon, so `$(` is escaped as in the status bar.
 */
export function codeLensTitle(category: string, catalog: CategoryLookup | undefined, figuresText: string | undefined): string {
  if (figuresText !== undefined) return statusBarSafe(`${category} · ${figuresText}`);
  return statusBarSafe(catalog ? categoryLensTitle(category, catalog) : category);
}

/** The line tooltips and hovers end with: `Catalog: GitLab catalog snapshot 2025-04-04 (…), bundled`. */
export function catalogNote(label: string): string {
  return `Catalog: ${label}`;
}

/** The same note for a markdown hover, in italics; the label fully escaped (a path may hold `_` or `*`). */
export function catalogHoverLine(label: string): string {
  return `_${escapeMarkdown(catalogNote(label))}_`;
}

/** What a lens sits on: an endpoint definition, or a class / file that declares a category. */
export type LensSubject =
  | { kind: 'endpoint'; line: number; category: string; endpoint: Endpoint }
  | { kind: 'range'; line: number; category: string; range: CategoryRange };

/**
 * One lens per line: endpoints first (a Sidekiq worker's class line is also its endpoint), then
 * class- and file-scoped ranges on lines no endpoint took. Action and route ranges always come
 * with an endpoint on the same line, so they add nothing.
 */
export function lensSubjects(endpoints: readonly Endpoint[], ranges: readonly CategoryRange[]): LensSubject[] {
  const byLine = new Map<number, LensSubject>();
  for (const endpoint of endpoints) {
    if (!byLine.has(endpoint.line)) byLine.set(endpoint.line, { kind: 'endpoint', line: endpoint.line, category: endpoint.category, endpoint });
  }
  for (const range of ranges) {
    if (range.scope !== 'class' && range.scope !== 'file') continue;
    // A path rule or annotation covers the whole file: its lens goes on the first line.
    const line = range.scope === 'file' ? 1 : range.startLine;
    if (!byLine.has(line)) byLine.set(line, { kind: 'range', line, category: range.category, range });
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

/** `5 s`, `0.25 s`, `300 s`. */
export function formatSeconds(seconds: number): string {
  return `${seconds} s`;
}

/** A declaration under the cursor: `feature_category :x`, `urgency :y`, or their Grape option forms. */
export interface Declaration {
  attribute: 'feature_category' | 'urgency';
  value: string;
  /** 0-based columns of the whole declaration, end exclusive. */
  start: number;
  end: number;
}

// `feature_category :x`, `feature_category(:x`, `feature_category: :x`, `feature_category => :x`,
// and the same for urgency. The value is a Ruby symbol or a quoted string.
const DECLARATION = /\b(feature_category|urgency)\s*(?:\(\s*|:\s+|=>\s*|\s+)(?::(\w+)|'(\w+)'|"(\w+)")/g;

/** Every declaration on one line of Ruby, in order. */
export function declarationsOnLine(lineText: string): Declaration[] {
  const found: Declaration[] = [];
  for (const m of lineText.matchAll(DECLARATION)) {
    const value = m[2] ?? m[3] ?? m[4];
    if (value === undefined || m.index === undefined) continue;
    found.push({ attribute: m[1] as Declaration['attribute'], value, start: m.index, end: m.index + m[0].length });
  }
  return found;
}

/** The declaration covering 0-based `column`, if any. */
export function declarationAt(lineText: string, column: number): Declaration | undefined {
  return declarationsOnLine(lineText).find((d) => column >= d.start && column <= d.end);
}

/**
 * The endpoints a declaration on `line` covers: the endpoint defined on that very line (a Grape
 * route's options), else every endpoint of the file with that value.
 */
export function endpointsCovered(decl: Declaration, line: number, fileEndpoints: readonly Endpoint[]): Endpoint[] {
  const own = fileEndpoints.filter((e) => e.line === line);
  if (own.length > 0) return own;
  return fileEndpoints.filter((e) => (decl.attribute === 'feature_category' ? e.category === decl.value : e.urgency === decl.value));
}

const MAX_LISTED_ENDPOINTS = 12;

/**
 * A markdown link that runs Go to Endpoint for one id (the hover must trust exactly this command).
 * Parentheses are escaped too: markdown would end the link target at the first `)`.
 */
export function goToEndpointLink(text: string, endpointId: string): string {
  const args = encodeURIComponent(JSON.stringify([endpointId])).replace(/\(/g, '%28').replace(/\)/g, '%29');
  return `[${text}](command:${CONTRIBUTED_COMMANDS.goToEndpoint}?${args})`;
}

function endpointLines(endpoints: readonly Endpoint[]): string[] {
  if (endpoints.length === 0) return ['No endpoint of this file uses it.'];
  const lines = [`Endpoints (${endpoints.length}):`];
  for (const e of endpoints.slice(0, MAX_LISTED_ENDPOINTS)) {
    lines.push(`- ${inlineCode(e.id)} (${escapeMarkdown(e.urgency)}, ${formatSeconds(e.thresholdS)}) ${goToEndpointLink(`line ${e.line}`, e.id)}`);
  }
  if (endpoints.length > MAX_LISTED_ENDPOINTS) lines.push(`- … and ${endpoints.length - MAX_LISTED_ENDPOINTS} more`);
  return lines;
}

/**
 * Markdown lines of the hover on `feature_category :x`. `budgetLines` (the Budget API's figures,
 * text/budgetText.ts) go between the group line and the endpoint list, where a short hover shows them.
 */
export function categoryHoverLines(
  category: string,
  catalog: CategoryLookup,
  covered: readonly Endpoint[],
  suggestion?: string,
  budgetLines: readonly string[] = [],
  catalogLabel?: string,
): string[] {
  const code = inlineCode(category);
  const lines = [`**Budget Lens** · feature category ${code}`, ''];
  if (!catalog.isValidCategory(category)) {
    const hint = suggestion !== undefined ? ` Did you mean ${inlineCode(suggestion)}?` : '';
    lines.push(`${code} is not in the catalog: its traffic counts for no group.${hint}`);
  } else if (withoutGroup(category, catalog)) {
    lines.push(`${code} is a valid category, but no group of the catalog lists it: its traffic counts for no group.`);
  } else {
    const group = catalog.groupOf(category);
    lines.push(`${code} → group **${escapeMarkdown(group.name)}** (${inlineCode(group.key)}) → stage **${escapeMarkdown(group.stageDisplayName)}** (${inlineCode(group.stage)})`);
  }
  lines.push(...budgetLines, '', ...endpointLines(covered));
  if (catalogLabel !== undefined) lines.push('', catalogHoverLine(catalogLabel));
  return lines;
}

/** The component a file's endpoints belong to, for the urgency table (workers differ). */
function componentKind(covered: readonly Endpoint[], fileEndpoints: readonly Endpoint[]): EndpointKind {
  return covered[0]?.kind ?? fileEndpoints[0]?.kind ?? 'rails';
}

function componentName(kind: EndpointKind): string {
  return kind === 'sidekiq' ? 'sidekiq_execution' : kind === 'graphql' ? 'graphql_query' : 'rails_request';
}

/** Markdown lines of the hover on `urgency :y`: the apdex threshold it sets and who uses it. */
export function urgencyHoverLines(urgency: string, covered: readonly Endpoint[], fileEndpoints: readonly Endpoint[]): string[] {
  const kind = componentKind(covered, fileEndpoints);
  const lines = [`**Budget Lens** · urgency ${inlineCode(urgency)}`, ''];
  const known: Urgency | undefined = urgencyFor(kind, urgency);
  if (known === undefined) {
    lines.push(`${inlineCode(urgency)} is not an urgency of ${componentName(kind)}.`);
  } else {
    const threshold = thresholdFor(kind, known);
    lines.push(`Apdex threshold **${formatSeconds(threshold)}** (${componentName(kind)}): a request is satisfactory if it takes less than ${formatSeconds(threshold)}.`);
  }
  lines.push('', ...endpointLines(covered));
  return lines;
}

/** Status bar text for a file's headline category. */
export function statusBarText(category: string, catalog: CategoryLookup): string {
  if (!catalog.isValidCategory(category)) return `${statusBarSafe(category)} (not in catalog)`;
  return statusBarSafe(catalog.groupOf(category).name);
}

/**
 * The 0-based [start, end) columns a finding at 1-based `column` should underline: the name
 * there (after a leading `:` or quote), else one character.
 */
export function findingColumns(lineText: string, column: number): { start: number; end: number } {
  let start = Math.max(0, column - 1);
  while (start < lineText.length && /[:'"@]/.test(lineText[start] ?? '')) start++;
  const word = /^\w+/.exec(lineText.slice(start));
  if (word) return { start, end: start + word[0].length };
  const at = Math.min(Math.max(0, column - 1), lineText.length);
  return { start: at, end: at + 1 };
}
