/**
 * Re-parsing an edited file reuses its cached skeleton tree (tree.edit + incremental parse); the
 * facts must be exactly those of a fresh parse, whatever the edit.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initRubyParser, parseRubyFile } from '../../../../src/sdk/mapping/ruby';
import { extractRubyFacts } from '../../../../src/sdk/mapping/ruby/factsExtractor';
import { readFixture } from './fixtureWorkspace';

const FILE = 'app/controllers/projects/issues_controller.rb';

before(async () => {
  await initRubyParser();
});

function fresh(file: string, text: string): ReturnType<typeof parseRubyFile> {
  return extractRubyFacts(file, text, { reuseTrees: false });
}

describe('incremental re-parse', () => {
  const original = readFixture(FILE);
  const edits: [string, (text: string) => string][] = [
    ['an edit inside a method body (skeleton unchanged, lines shift)', (t) => t.replace('    @issues = issuables_collection\n', '    @issues = issuables_collection\n    @extra = 1\n\n')],
    ['a new per-action declaration', (t) => t.replace("  urgency :low, [:index, :show]\n", "  urgency :low, [:index, :show]\n  urgency :medium, [:service_desk]\n")],
    ['a renamed action', (t) => t.replace('  def export_csv\n', '  def export_issues_csv\n')],
    ['a new private section', (t) => t.replace('  def service_desk\n', '  private\n\n  def service_desk\n')],
    ['a syntax error, then the fix', (t) => t.replace('  urgency :low, [:index, :show]', '  urgency :low, [:index, :show')],
  ];

  for (const [name, edit] of edits) {
    test(name, () => {
      parseRubyFile(FILE, original); // primes the cache with the original tree
      const edited = edit(original);
      assert.notEqual(edited, original);
      const incremental = parseRubyFile(FILE, edited);
      assert.deepEqual(incremental, fresh(FILE, edited));
      // And back again.
      assert.deepEqual(parseRubyFile(FILE, original), fresh(FILE, original));
    });
  }

  test('the edit is visible: a shifted body moves later actions, a new declaration is read', () => {
    parseRubyFile(FILE, original);
    const shifted = parseRubyFile(FILE, edits[0]![1](original));
    // Two lines were added inside `index` (line 19): `show` moves from line 33 to 35.
    assert.equal(shifted.classes[0]?.actions.find((a) => a.name === 'show')?.line, 35);
    const declared = parseRubyFile(FILE, edits[1]![1](original));
    // Inserted after line 15; the old line 16 (`urgency :high, ['create_merge_request']`) moves to 17.
    assert.deepEqual(
      declared.classes[0]?.urgencies.map((d) => [d.value, d.actions, d.line]),
      [
        ['low', ['index', 'show'], 15],
        ['medium', ['service_desk'], 16],
        ['high', ['create_merge_request'], 17],
      ],
    );
  });
});
