/**
 * The index's cheap pre-filter: most of a Rails monolith (models, services, specs) declares
 * nothing we map, and parsing costs ~2-3 MB/s in wasm, so files are skipped on a plain substring
 * test before any parsing.
 */

/**
 * Substrings one of which every mapped file contains: declarations, controller classes (also
 * unannotated ones, which inherit), Grape APIs, Sidekiq workers, EE modules prepended into them.
 */
const MARKERS = ['feature_category', 'urgency', 'Controller', 'API::Base', 'Grape::API', 'Worker', 'Sidekiq::Job'];

/** False means the file cannot declare or inherit anything we map, so it is skipped without parsing. */
export function mightDeclare(text: string): boolean {
  for (const marker of MARKERS) if (text.includes(marker)) return true;
  return false;
}
