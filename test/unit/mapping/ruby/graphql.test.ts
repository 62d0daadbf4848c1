/**
 * graphql_known_operations.yml -> `graphql:<Operation>` endpoints (graphql_query thresholds:
 * high 0.25, medium 0.5, default 1, low 5), YAML and structure errors with line/col.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseGraphqlOperations } from '../../../../src/sdk/mapping/ruby';
import { knownCategories, readFixture } from './fixtureWorkspace';

const FILE = 'config/graphql_known_operations.yml';
const ctx = { knownCategories: knownCategories() };

describe('GraphQL known operations', () => {
  test('each operation becomes graphql:<Operation> with its category, urgency and threshold', () => {
    const m = parseGraphqlOperations(FILE, readFixture(FILE), ctx);
    assert.deepEqual(
      m.endpoints.map((e) => [e.id, e.kind, e.category, e.urgency, e.thresholdS, e.line, e.attribution]),
      [
        ['graphql:getPipelineDetails', 'graphql', 'continuous_integration', 'low', 5, 2, 'declaration'],
        ['graphql:getIssues', 'graphql', 'team_planning', 'high', 0.25, 5, 'declaration'],
        // no urgency -> default, 1 s
        ['graphql:searchProjects', 'graphql', 'global_search', 'default', 1, 8, 'declaration'],
        // no feature_category -> unknown
        ['graphql:unownedThing', 'graphql', 'unknown', 'medium', 0.5, 10, 'unknown'],
      ],
    );
    assert.deepEqual(m.findings, []);
  });

  test('an unknown category and an unknown urgency are findings at the value', () => {
    const text = 'getIssues:\n  feature_category: team_plannign\n  urgency: urgent\n';
    const m = parseGraphqlOperations(FILE, text, ctx);
    assert.deepEqual(
      m.findings.map((f) => [f.code, f.line, f.column, f.suggestion]),
      [
        ['unknown_category', 2, 21, 'team_planning'],
        ['unknown_urgency', 3, 12, undefined],
      ],
    );
    assert.equal(m.endpoints[0]?.urgency, 'default');
  });

  test('a YAML syntax error is a parse_error finding with line and column, and maps nothing', () => {
    const text = 'getIssues:\n  feature_category: team_planning\n  urgency: [low\n';
    const m = parseGraphqlOperations(FILE, text, ctx);
    assert.equal(m.endpoints.length, 0);
    // The unterminated `[low` is detected where the flow sequence should have ended: 4:1.
    assert.deepEqual(m.findings.map((f) => [f.code, f.file, f.line, f.column]), [['parse_error', FILE, 4, 1]]);
    assert.match(m.findings[0]?.message ?? '', /invalid YAML: Flow sequence/);
  });

  test('a duplicated operation is a YAML error at the second key', () => {
    const m = parseGraphqlOperations(FILE, 'getIssues:\n  urgency: low\ngetIssues:\n  urgency: high\n', ctx);
    assert.deepEqual(m.findings.map((f) => [f.code, f.line, f.column]), [['parse_error', 3, 1]]);
    assert.match(m.findings[0]?.message ?? '', /unique/);
  });

  test('an operation that is not a mapping is reported where it is', () => {
    const m = parseGraphqlOperations(FILE, 'getIssues: team_planning\nok:\n  feature_category: wiki\n', ctx);
    assert.deepEqual(m.findings.map((f) => [f.code, f.line, f.column]), [['parse_error', 1, 1]]);
    assert.deepEqual(m.endpoints.map((e) => e.id), ['graphql:ok']);
  });
});
