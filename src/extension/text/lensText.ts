/**
 * What the lenses of a document say, as plain strings: which lines get a lens (the file's
 * mapping from the index) and each lens's title from the figures known now. No `vscode` import:
 * mappingCodeLens.ts places these lenses, and `npm run bench:extension` drives the same code in
 * plain Node.
 */
import type { CategoryBudget, EndpointBudget, FileMapping } from '../../sdk';
import type { Known } from '../budgetCache';
import { endpointLensFigure, lensFigure } from './budgetText';
import type { LensFigure } from './budgetText';
import { codeLensTitle, lensSubjects } from './mappingText';
import type { CategoryLookup, LensSubject } from './mappingText';
import { statusBarSafe } from './safeText';

/** What a lens title reads of the budget data (BudgetData): the figures as known now. */
export interface LensFigures {
  /** Undefined without a backend; asking starts the fetch of an unknown or old category. */
  category(name: string): Known<CategoryBudget> | undefined;
  /** An endpoint's own figures (F15); asking batches the ids on screen into one request. */
  endpoint(id: string): Known<EndpointBudget> | undefined;
}

/** The lens subjects of a file's mapping that fall inside a document of `lineCount` lines. */
export function documentLensSubjects(mapping: Pick<FileMapping, 'endpoints' | 'categories'>, lineCount: number): LensSubject[] {
  return lensSubjects(mapping.endpoints, mapping.categories).filter((s) => s.line <= lineCount);
}

/**
 * A lens's title and figures: an endpoint's own figures (F15) above an endpoint, with
 * `$(warning)` below the target and the category named in front only when the figures do not
 * name it (loading, failing, no traffic); a class or file lens keeps its category's figures.
 * Pure apart from asking the budget seam (what is known now).
 */
export function lensTitleOf(
  subject: LensSubject,
  catalog: CategoryLookup | undefined,
  budget: LensFigures | undefined,
): { title: string; figures: LensFigure | undefined } {
  const valid = catalog?.isValidCategory(subject.category) === true;
  if (subject.kind === 'endpoint' && valid) {
    const figures = endpointLensFigure(budget?.endpoint(subject.endpoint.id));
    if (figures?.namesCategory) return { title: `${figures.warning ? '$(warning) ' : ''}${statusBarSafe(figures.text)}`, figures };
    return { title: codeLensTitle(subject.category, catalog, figures?.text), figures };
  }
  const figures = valid ? lensFigure(budget?.category(subject.category)) : undefined;
  return { title: codeLensTitle(subject.category, catalog, figures?.text), figures };
}

/** Every lens of a document with its title: what provideCodeLenses then resolveCodeLens compute for it. */
export function documentLensTitles(
  mapping: Pick<FileMapping, 'endpoints' | 'categories'>,
  lineCount: number,
  catalog: CategoryLookup | undefined,
  budget: LensFigures | undefined,
): Array<{ line: number; title: string }> {
  return documentLensSubjects(mapping, lineCount).map((s) => ({ line: s.line, title: lensTitleOf(s, catalog, budget).title }));
}
