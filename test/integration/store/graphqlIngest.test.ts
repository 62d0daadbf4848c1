/**
 * GitLab's graphql_json.log into the store (test/fixtures/logs/graphql_json.log, GitLab's line
 * format): component graphql_query, counts computed by hand from the nine lines.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ingestFiles } from '../../../src/sdk/store/logIngest';

const LOG = join(__dirname, '../../fixtures/logs/graphql_json.log');

function rows(store: string, sql: string): unknown[] {
  const db = new Database(store, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

const PER_ENDPOINT = `SELECT e.endpoint_id AS id, e.component AS c, e.category AS cat, e.urgency AS u, SUM(h.s) AS s, SUM(h.w) AS w, SUM(h.o) AS o, SUM(h.e) AS e
  FROM hourly_endpoint h JOIN endpoints e ON e.id = h.endpoint GROUP BY e.id ORDER BY e.endpoint_id`;

describe('graphql_json.log ingest', () => {
  test('every execution line is a graphql_query event; timeouts and GLQL lines are ignored', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'bl-gql-')), 'store.db');
    const report = await ingestFiles(store, [LOG], { writer: 'main' });
    const file = report.files[0]!;
    assert.deepEqual([file.status, file.lines, file.accepted, file.ignored, file.malformed], ['ingested', 9, 7, 2, 0]);
    assert.deepEqual(rows(store, PER_ENDPOINT), [
      // 0.42 s and 1.0 s succeed (<= 1 s), 1.7 s does not; one line with a GraphQL error.
      { id: 'graphql:getPipelineHeader', c: 'graphql_query', cat: 'continuous_integration', u: 'default', s: 2, w: 3, o: 4, e: 1 },
      // An exception: an error whatever its duration.
      { id: 'graphql:retryPipeline', c: 'graphql_query', cat: 'continuous_integration', u: 'default', s: 0, w: 0, o: 1, e: 1 },
      // An unregistered operation: GitLab's caller id graphql:unknown, its request's category.
      { id: 'graphql:unknown', c: 'graphql_query', cat: 'team_planning', u: 'default', s: 1, w: 1, o: 1, e: 0 },
      // Only "Unauthorized subscription": an operation, neither an error nor an apdex measurement.
      { id: 'graphql:vulnerabilityUpdated', c: 'graphql_query', cat: 'vulnerability_management', u: 'default', s: 0, w: 0, o: 1, e: 0 },
    ]);
    assert.deepEqual(rows(store, "SELECT component AS c, SUM(s) AS s, SUM(w) AS w, SUM(o) AS o, SUM(e) AS e FROM hourly_category WHERE category = 'continuous_integration' GROUP BY component"), [
      { c: 'graphql_query', s: 2, w: 3, o: 5, e: 2 },
    ]);
  });

  test("with the operations' urgencies (from the index) the threshold follows them", async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'bl-gql-')), 'store.db');
    const urgencies = new Map([['getPipelineHeader', 'low']]);
    await ingestFiles(store, [LOG], { writer: 'main', graphqlUrgency: (op) => urgencies.get(op) });
    // low is 5 s: all three measured lines succeed.
    assert.deepEqual(rows(store, `${PER_ENDPOINT.replace('GROUP BY', "WHERE e.endpoint_id = 'graphql:getPipelineHeader' GROUP BY")}`), [
      { id: 'graphql:getPipelineHeader', c: 'graphql_query', cat: 'continuous_integration', u: 'low', s: 3, w: 3, o: 4, e: 1 },
    ]);
  });
});

describe('budget-lens ingest --root', () => {
  test("takes each GraphQL operation's urgency from the workspace's .graphql documents", async () => {
    const { run } = await import('../../../src/cli/commands/ingest');
    const dir = mkdtempSync(join(tmpdir(), 'bl-gql-cli-'));
    const store = join(dir, 'store.db');
    let out = '';
    const io = { cwd: dir, stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((out += s), true) }, env: {} };
    const root = join(__dirname, '../../fixtures/graphql-workspace');
    const code = await run([LOG, '--store', store, '--root', root], io as unknown as Parameters<typeof run>[1]);
    assert.equal(code, 0, out);
    // get_pipeline_header.query.graphql says `# @urgency: high` (0.25 s): 0.42, 1.0 and 1.7 s all miss it.
    assert.deepEqual(rows(store, `${PER_ENDPOINT.replace('GROUP BY', "WHERE e.endpoint_id = 'graphql:getPipelineHeader' GROUP BY")}`), [
      { id: 'graphql:getPipelineHeader', c: 'graphql_query', cat: 'continuous_integration', u: 'high', s: 0, w: 3, o: 4, e: 1 },
    ]);
  });
});
