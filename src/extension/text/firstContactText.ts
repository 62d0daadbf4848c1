/**
 * The wording of a first contact: the once-per-workspace message for a folder where the bundled
 * catalog found nothing to map, and the URL input boxes' validation. No `vscode` import, so it is
 * unit tested in plain Node (test/unit/extension/firstContactText.test.ts).
 */

export const CREATE_CONFIG_ACTION = 'Create .budgetlens.yml';
export const PICK_CATALOG_ACTION = 'Pick a catalog file…';

/**
 * `folder` was indexed with the bundled catalog (no .budgetlens.yml, no budgetLens.catalogPath)
 * and nothing in it declares a feature category: say what is missing and what fixes it.
 */
export function nothingMappedMessage(folder: string, files: number, catalogLabel: string): string {
  return (
    `Budget Lens indexed ${folder} (${files} ${files === 1 ? 'file' : 'files'}) with the ${catalogLabel} and found no ` +
    '`feature_category` declaration or endpoint, so there is no lens or budget to show. ' +
    'Map its files with path rules in a .budgetlens.yml, or pick the stages.yml of your own catalog.'
  );
}

/**
 * The input box's check of a backend URL: undefined when fine, else why not. Empty is allowed
 * (it clears the setting: no budget figures).
 */
export function urlProblem(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return `Not a URL: enter e.g. http://127.0.0.1:7464`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Only http:// and https:// URLs work (got ${url.protocol})`;
  if (url.username !== '' || url.password !== '') return 'No credentials in the URL: run "Budget Lens: Set API Token" after a 401 instead';
  return undefined;
}

/** The value written: trimmed, without trailing slashes (what settings.ts reads back anyway). */
export function normaliseUrl(value: string): string {
  return value.trim().replace(/\/+$/, '');
}
