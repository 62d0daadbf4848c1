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

export function checkUrgency(decl: AttributeDeclaration, file: string, kind: EndpointKind, findings: Finding[]): void {
  if (urgencyFor(kind, decl.value) !== undefined) return;
  findings.push({
    code: 'unknown_urgency',
    severity: 'error',
    message: `unknown urgency '${decl.value}' for ${kind === 'sidekiq' ? 'a Sidekiq worker' : 'a request'}; expected one of ${urgencyNames(kind).join(', ')}`,
    file,
    line: decl.valueLine,
    column: decl.valueColumn,
  });
}

/**
 * Validates the declarations written in `cls` (a class or an EE module). Urgencies are checked
 * against the resolved component; for classes that map to no endpoint, against request urgencies.
 */
export function validateDeclarations(
  cls: RubyClassFacts,
  kind: EndpointKind | undefined,
  knownCategories: ReadonlySet<string>,
  findings: Finding[],
): void {
  for (const decl of cls.categories) checkCategory(decl, cls.file, knownCategories, findings);
  for (const route of cls.routes) if (route.category) checkCategory(route.category, cls.file, knownCategories, findings);
  const urgencyKind = kind ?? 'rails';
  for (const decl of cls.urgencies) checkUrgency(decl, cls.file, urgencyKind, findings);
  for (const route of cls.routes) if (route.urgency) checkUrgency(route.urgency, cls.file, urgencyKind, findings);
}
