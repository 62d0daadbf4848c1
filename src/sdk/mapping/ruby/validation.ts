/**
 * Findings about declared values GitLab would reject on load: a feature category that is not in
 * the catalog (with a "did you mean"), and an urgency the component does not have.
 */
import { closestCategory } from '../../catalog/closestCategory';
import type { EndpointKind, Finding } from '../types';
import type { AttributeDeclaration, RubyClassFacts } from './types';
import { urgencyFor, urgencyNames } from './urgency';

/** Pseudo-categories of the `not_owned` group (domain.md section 1), valid whatever the catalog says. */
const PSEUDO_CATEGORIES = new Set(['not_owned', 'unknown']);

export function checkCategory(
  decl: AttributeDeclaration,
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
export function checkUrgency(decl: AttributeDeclaration, file: string, kind: EndpointKind | undefined, findings: Finding[]): void {
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

/**
 * Validates the declarations written in `cls` (a class or an EE module). Urgencies are checked
 * against the resolved component; for concerns and classes that map to no endpoint, against all.
 */
export function validateDeclarations(
  cls: RubyClassFacts,
  kind: EndpointKind | undefined,
  knownCategories: ReadonlySet<string>,
  findings: Finding[],
): void {
  for (const decl of cls.categories) checkCategory(decl, cls.file, knownCategories, findings);
  for (const route of cls.routes) if (route.category) checkCategory(route.category, cls.file, knownCategories, findings);
  for (const decl of cls.urgencies) checkUrgency(decl, cls.file, kind, findings);
  for (const route of cls.routes) if (route.urgency) checkUrgency(route.urgency, cls.file, kind, findings);
}
