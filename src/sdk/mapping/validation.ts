/**
 * Findings about declared values GitLab would reject on load: a feature category that is not in
 * the catalog (with a "did you mean"), and an urgency the component does not have. Shared by every
 * language's extractor (mapping/ruby, graphqlDocuments.ts).
 */
import { closestCategory } from '../catalog/closestCategory';
import type { EndpointKind, Finding } from './types';
import { urgencyFor, urgencyNames } from './urgency';

/** Pseudo-categories of the `not_owned` group (domain.md section 1), valid whatever the catalog says. */
const PSEUDO_CATEGORIES = new Set(['not_owned', 'unknown']);

/** A declared value and where its literal starts (a Ruby AttributeDeclaration, a GraphQL comment). */
export interface DeclaredValue {
  /** The declared value: a category name or an urgency name, as written (without ':'). */
  value: string;
  valueLine: number;
  valueColumn: number;
}

export function checkCategory(
  decl: DeclaredValue,
  file: string,
  knownCategories: ReadonlySet<string>,
  findings: Finding[],
): void {
  if (knownCategories.has(decl.value) || PSEUDO_CATEGORIES.has(decl.value)) return;
  const suggestion = closestCategory(decl.value, knownCategories);
  const finding: Finding = {
    code: 'unknown_category',
    severity: 'error',
    message:
      `unknown feature category '${decl.value}'` +
      (suggestion === undefined ? ' (not in feature_categories.yml)' : `; did you mean '${suggestion}'?`),
    file,
    line: decl.valueLine,
    column: decl.valueColumn,
  };
  if (suggestion !== undefined) finding.suggestion = suggestion;
  findings.push(finding);
}

/** With `kind` undefined (a concern or a class of unknown kind), any urgency some component has is accepted. */
export function checkUrgency(decl: DeclaredValue, file: string, kind: EndpointKind | undefined, findings: Finding[]): void {
  const kinds: EndpointKind[] = kind === undefined ? ['rails', 'sidekiq'] : [kind];
  if (kinds.some((k) => urgencyFor(k, decl.value) !== undefined)) return;
  const names = [...new Set(kinds.flatMap(urgencyNames))].join(', ');
  const what = kind === undefined ? '' : kind === 'sidekiq' ? ' for a Sidekiq worker' : ' for a request';
  findings.push({
    code: 'unknown_urgency',
    severity: 'error',
    message: `unknown urgency '${decl.value}'${what}; expected one of ${names}`,
    file,
    line: decl.valueLine,
    column: decl.valueColumn,
  });
}
