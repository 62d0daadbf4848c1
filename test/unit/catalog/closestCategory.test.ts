import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { closestCategory, editDistance } from '../../../src/sdk/catalog/closestCategory';

const KNOWN: string[] = parse(readFileSync(path.join(__dirname, '../../../catalog/gitlab/feature_categories.yml'), 'utf8'));

describe('editDistance', () => {
  test('classic examples', () => {
    // kitten -> sitten (k->s) -> sittin (e->i) -> sitting (+g): 3
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', 'abc'), 0);
  });
  test('an adjacent swap costs 1', () => {
    assert.equal(editDistance('ab', 'ba'), 1);
    assert.equal(editDistance('team_plannign', 'team_planning'), 1);
  });
});

describe('closestCategory (against the real feature_categories.yml)', () => {
  test('suggests the intended name for typos', () => {
    assert.equal(closestCategory('team_plannign', KNOWN), 'team_planning');
    assert.equal(closestCategory('teamplanning', KNOWN), 'team_planning');
    assert.equal(closestCategory('sourcecode_management', KNOWN), 'source_code_management');
    // A prefix is not a typo: code_review -> code_review_workflow is 9 insertions, over the
    // limit of max(2, floor(20 / 3)) = 6, and no other name is within reach.
    assert.equal(closestCategory('code_review', KNOWN), undefined);
  });
  test('an exact name returns itself; nothing plausible returns undefined', () => {
    assert.equal(closestCategory('team_planning', KNOWN), 'team_planning');
    assert.equal(closestCategory('zzzzzzzzzzzz', KNOWN), undefined);
    assert.equal(closestCategory('x', []), undefined);
  });
  test('ties go to the alphabetically first candidate', () => {
    // "bat" is one substitution from both "bad" and "cat".
    assert.equal(closestCategory('bat', ['cat', 'bad']), 'bad');
  });
});
