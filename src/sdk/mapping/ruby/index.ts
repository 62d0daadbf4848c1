/**
 * The Ruby extractors' public surface (the contract with the workspace index).
 * Rails controllers, Grape APIs, Sidekiq workers and GraphQL operations -> FileMapping.
 */
import type { FileMapping } from '../types';
import type { RubyClassFacts, RubyFileFacts, RubyResolveContext } from './types';

export type {
  ActionFacts,
  AttributeDeclaration,
  RouteFacts,
  RubyClassFacts,
  RubyClassKind,
  RubyFileFacts,
  RubyResolveContext,
} from './types';

/** Loads web-tree-sitter + tree-sitter-ruby.wasm once. */
export function initRubyParser(): Promise<void> {
  return Promise.reject(new Error('not implemented yet'));
}

/** Cheap pre-filter: false means the file cannot declare or inherit anything we map. */
export function mightDeclare(text: string): boolean {
  return text.length > 0;
}

/** Per-file facts, cacheable; pure function of (file, text). Sync after initRubyParser(). */
export function parseRubyFile(file: string, text: string): RubyFileFacts {
  throw new Error(`not implemented yet: ${file} (${text.length} chars)`);
}

/** Resolve one file's facts into a FileMapping, using other files' classes for inheritance/prepend. */
export function resolveRubyFile(facts: RubyFileFacts, ctx: RubyResolveContext): FileMapping {
  const known: RubyClassFacts | undefined = ctx.lookupClass(facts.file);
  throw new Error(`not implemented yet: ${facts.file} ${known?.name ?? ''}`);
}

/** graphql_known_operations.yml -> graphql:<Operation> endpoints. */
export function parseGraphqlOperations(
  file: string,
  text: string,
  ctx: { knownCategories: ReadonlySet<string> },
): FileMapping {
  throw new Error(`not implemented yet: ${file} (${text.length} chars, ${ctx.knownCategories.size} categories)`);
}
