/**
 * First-contact wording (src/extension/text/firstContactText.ts): the once-per-workspace message
 * and the URL input box's check.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseUrl, nothingMappedMessage, urlProblem } from '../../../src/extension/text/firstContactText';

describe('the URL input box', () => {
  test('http(s) URLs pass, empty clears', () => {
    for (const ok of ['http://127.0.0.1:7464', 'https://budget.example.com/base/', '  http://localhost:9090  ', '']) assert.equal(urlProblem(ok), undefined, ok);
  });
  test('anything else says why', () => {
    assert.equal(urlProblem('127.0.0.1:7464'), 'Not a URL: enter e.g. http://127.0.0.1:7464');
    assert.equal(urlProblem('localhost:7464'), 'Only http:// and https:// URLs work (got localhost:)');
    assert.equal(urlProblem('localhost'), 'Not a URL: enter e.g. http://127.0.0.1:7464');
    assert.equal(urlProblem('ftp://x'), 'Only http:// and https:// URLs work (got ftp:)');
    assert.match(urlProblem('http://me:secret@host') ?? '', /^No credentials in the URL/);
  });
  test('written without spaces and trailing slashes', () => {
    assert.equal(normaliseUrl(' http://127.0.0.1:7464// '), 'http://127.0.0.1:7464');
  });
});

test('the nothing-mapped message names the folder, the file count and the catalog', () => {
  assert.equal(
    nothingMappedMessage('plain', 1, 'GitLab catalog snapshot 2025-04-04 (runbooks 8df1fb73), bundled'),
    'Budget Lens indexed plain (1 file) with the GitLab catalog snapshot 2025-04-04 (runbooks 8df1fb73), bundled and found no `feature_category` declaration or endpoint, so there is no lens or budget to show. Map its files with path rules in a .budgetlens.yml, or pick the stages.yml of your own catalog.',
  );
});
