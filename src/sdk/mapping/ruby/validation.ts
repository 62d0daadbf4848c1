/** The checks of mapping/validation.ts over one Ruby class's declarations. */
import type { EndpointKind, Finding } from '../types';
import { checkCategory, checkUrgency } from '../validation';
import type { RubyClassFacts } from './types';

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
