/**
 * CodeLens on GitLab-style `.graphql` documents (test/fixtures/graphql-workspace): one lens per
 * registered operation with its category, group and stage, and the file's category lens.
 */
import * as assert from 'node:assert/strict';
import { eventually, lensTitles } from './helpers';

const PIPELINE = 'app/assets/javascripts/ci/pipeline_details/graphql/queries/get_pipeline_header.query.graphql';
const RETRY = 'app/assets/javascripts/ci/pipeline_details/graphql/mutations/retry_pipeline.mutation.graphql';

describe('CodeLens on .graphql documents', () => {
  it('shows the operation lens at the query and the file category lens', async () => {
    const titles = await eventually('lenses on the query document', async () => {
      const t = await lensTitles(PIPELINE);
      return t.length > 0 ? t : undefined;
    }, 20_000);
    const ci = 'continuous_integration · Pipeline Execution · verify';
    assert.deepEqual(titles, [
      [1, ci],
      [8, ci],
    ]);
  });

  it('one lens per operation of a document with two mutations', async () => {
    const titles = await eventually('lenses on the mutation document', async () => {
      const t = await lensTitles(RETRY);
      return t.length > 0 ? t : undefined;
    }, 20_000);
    assert.deepEqual(titles.map(([line]) => line), [1, 2, 8]);
  });
});
