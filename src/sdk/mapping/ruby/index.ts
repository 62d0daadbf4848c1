/**
 * The Ruby extractors' public surface (the contract with the workspace index): Rails controllers,
 * Grape APIs, Sidekiq workers and GraphQL operations -> FileMapping.
 *
 * Usage: `await initRubyParser()` once; then per file `mightDeclare(text)` (skip when false),
 * `parseRubyFile(file, text)` (cache the facts), and `resolveRubyFile(facts, ctx)` whenever the file
 * or one of `facts.dependsOn` changed.
 */
import type { FileMapping } from '../types';
import { extractRubyFacts } from './factsExtractor';
import { resolveFacts } from './resolveFile';
import type { RubyFileFacts, RubyResolveContext } from './types';

export type {
  ActionFacts,
  AttributeDeclaration,
  RouteFacts,
  RubyClassFacts,
  RubyClassKind,
  RubyFileFacts,
  RubyResolveContext,
} from './types';
export { initRubyParser } from './parser';
export { mightDeclare } from './prefilter';
export { parseGraphqlOperations } from './graphqlOperations';
export { grapeEndpointId, joinRoutePath } from './routePath';
export { thresholdFor, defaultUrgency } from '../urgency';

/** The mount prefix GitLab's API classes are served under (`mount ::API::API` at `/api/:version`). */
export const DEFAULT_GRAPE_MOUNT_PREFIX = '/api/:version';

/**
 * Per-file facts, cacheable; pure function of (file, text). Sync after initRubyParser().
 * Internally the last skeleton trees of a few files are kept, so re-parsing an edited file is
 * incremental; the result is identical to a fresh parse.
 */
export function parseRubyFile(file: string, text: string): RubyFileFacts {
  return extractRubyFacts(file, text);
}

/** Resolve one file's facts into a FileMapping, using other files' classes for inheritance/prepend. */
export function resolveRubyFile(facts: RubyFileFacts, ctx: RubyResolveContext): FileMapping {
  return resolveFacts(facts, ctx);
}
