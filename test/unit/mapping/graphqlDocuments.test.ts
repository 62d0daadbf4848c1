/**
 * GraphQL operations from `.graphql` documents (test/fixtures/graphql-workspace, GitLab's layout):
 * `graphql:<Operation>` ids with the file's `# @feature_category:` / `# @urgency:` comments, the
 * graphql_query thresholds, the operation's line; fragments and anonymous operations are none;
 * only GitLab's registered file names (`*.query.graphql`, ...) give endpoints; the document beats
 * the generated graphql_known_operations.yml; with and without the ripgrep pre-filter.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { graphqlOperations, parseGraphqlDocument } from '../../../src/sdk/mapping/graphqlDocuments';
import { openWorkspace } from '../../../src/sdk/mapping/index/openWorkspace';
import { findRipgrep } from '../../../src/sdk/mapping/index/ripgrepPrefilter';
import { CATALOG_DIR, REPO_ROOT } from './index/exampleWorkspace';

const ROOT = join(REPO_ROOT, 'test/fixtures/graphql-workspace');
const PIPELINE = 'app/assets/javascripts/ci/pipeline_details/graphql/queries/get_pipeline_header.query.graphql';
const RETRY = 'app/assets/javascripts/ci/pipeline_details/graphql/mutations/retry_pipeline.mutation.graphql';
const BOARDS = 'app/assets/javascripts/boards/graphql/board_lists.query.graphql';
const WIKI = 'app/assets/javascripts/wiki/queries/get_wiki_page.graphql';
const SUBSCRIPTION = 'ee/app/assets/javascripts/security_dashboard/graphql/subscriptions/vulnerability_updated.subscription.graphql';

const EXPECTED_ENDPOINTS = [
  // The document wins over the stale yml (which says low): high, 0.25 s, the query's own line.
  `${PIPELINE}:8 graphql:getPipelineHeader continuous_integration high 0.25 annotation`,
  // Two mutations in one file share its comments; no @urgency: default, 1 s.
  `${RETRY}:2 graphql:retryPipeline continuous_integration default 1 annotation`,
  `${RETRY}:8 graphql:cancelPipeline continuous_integration default 1 annotation`,
  // Without the colon (a warning): still read; the anonymous `query {` is no operation.
  `${BOARDS}:3 graphql:boardLists portfolio_management medium 0.5 annotation`,
  // Only in the generated yml: kept from there.
  'config/graphql_known_operations.yml:4 graphql:getMergeRequestWidget code_review_workflow default 1 declaration',
  // No annotation at all: an endpoint of category unknown.
  `${SUBSCRIPTION}:1 graphql:vulnerabilityUpdated unknown default 1 unknown`,
];

describe('GraphQL operations in .graphql documents', () => {
  for (const ripgrep of [false, findRipgrep() ?? false] as const) {
    test(`the index finds every registered operation (ripgrep ${ripgrep === false ? 'off' : 'on'})`, async () => {
      const { index } = await openWorkspace({ root: ROOT, catalogDir: CATALOG_DIR, ripgrep });
      await index.build();
      const graphql = index
        .endpoints()
        .filter((e) => e.kind === 'graphql')
        .map((e) => `${e.file}:${e.line} ${e.id} ${e.category} ${e.urgency} ${e.thresholdS} ${e.attribution}`);
      assert.deepEqual(graphql.sort(), [...EXPECTED_ENDPOINTS].sort());
      // The document's own category covers the whole file (the lens and the hover read it).
      assert.equal(index.categoryAt(PIPELINE, 12)?.category, 'continuous_integration');
      assert.equal(index.categoryAt(WIKI, 3)?.category, 'wiki');
      const findings = index.findings().filter((f) => f.file.endsWith('.graphql')).map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.code}`);
      assert.deepEqual(findings, [
        `${BOARDS}:1:3 warning parse_error`,
        `${WIKI}:2:1 info parse_error`,
      ]);
      assert.match(index.findings().find((f) => f.file === WIKI)?.message ?? '', /query getWikiPage is not in a \*\.query\.graphql .* graphql:unknown/);
    });
  }

  test('an edit to a document (an unsaved buffer) re-maps its operations; the yml takes over when the document goes', async () => {
    const { index } = await openWorkspace({ root: ROOT, catalogDir: CATALOG_DIR, ripgrep: false });
    await index.build();
    await index.updateFile(PIPELINE, '# @feature_category: pipeline_composition\n# @urgency: low\n\nquery getPipelineHeader { x }\nquery getPipelineStages { y }\n');
    const ids = (): string[] => index.endpoints().filter((e) => e.id.startsWith('graphql:getPipeline')).map((e) => `${e.file}:${e.line} ${e.id} ${e.category} ${e.urgency}`);
    assert.deepEqual(ids(), [
      `${PIPELINE}:4 graphql:getPipelineHeader pipeline_composition low`,
      `${PIPELINE}:5 graphql:getPipelineStages pipeline_composition low`,
    ]);
    // Emptied: the generated yml's entry is what is left for getPipelineHeader.
    await index.updateFile(PIPELINE, '');
    assert.deepEqual(ids(), ['config/graphql_known_operations.yml:1 graphql:getPipelineHeader continuous_integration low']);
  });

  test('operations: top-level keywords only, outside strings, comments and selections; fragments are none', () => {
    const text = '# query commented { x }\nfragment F on T { query }\n"""\nquery inString\n"""\nquery a { b(q: "query c") { query } }\nmutation\n  d { e }\nsubscription { f }\n';
    assert.deepEqual(graphqlOperations(text), [
      { keyword: 'query', name: 'a', line: 6 },
      { keyword: 'mutation', name: 'd', line: 7 },
      { keyword: 'subscription', line: 9 },
    ]);
  });

  test('an unknown category and an urgency GitLab does not have are findings at the value', () => {
    const text = '# @feature_category: continous_integration\n# @urgency: urgent\nquery x { y }\n';
    const m = parseGraphqlDocument('a.query.graphql', text, { knownCategories: new Set(['continuous_integration']) });
    assert.deepEqual(m.findings.map((f) => [f.code, f.line, f.column, f.suggestion]), [
      ['unknown_category', 1, 22, 'continuous_integration'],
      ['unknown_urgency', 2, 13, undefined],
    ]);
    assert.deepEqual(m.endpoints.map((e) => [e.id, e.urgency, e.thresholdS, e.line]), [['graphql:x', 'default', 1, 3]]);
  });
});
