/**
 * The editor's wording, in plain Node: lens titles, which lines get a lens, the declarations a
 * hover recognises, hover lines, and the columns a finding underlines. Catalog facts come from
 * GitLab's real stages.yml (team_planning -> project_management "Project Management", stage plan);
 * thresholds from domain.md's urgency table.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadCatalog } from '../../../src/sdk/catalog/catalogParser';
import type { CategoryRange, Endpoint } from '../../../src/sdk/mapping/types';
import {
  catalogHoverLine,
  catalogNote,
  categoryHoverLines,
  categoryLensTitle,
  declarationAt,
  declarationsOnLine,
  endpointsCovered,
  findingColumns,
  goToEndpointLink,
  lensSubjects,
  statusBarText,
  urgencyHoverLines,
} from '../../../src/extension/text/mappingText';
import { renderMarkdown } from '../../support/markdownRender';

const fixtures = join(__dirname, '..', '..', '..', 'catalog', 'gitlab');
const catalogPromise = loadCatalog({ stagesPath: join(fixtures, 'stages.yml'), featureCategoriesPath: join(fixtures, 'feature_categories.yml') });

function endpoint(id: string, line: number, category: string, urgency: Endpoint['urgency'], thresholdS: number, kind: Endpoint['kind'] = 'rails'): Endpoint {
  return { id, kind, category, urgency, thresholdS, file: 'app/x.rb', line, attribution: 'declaration' };
}

function range(scope: CategoryRange['scope'], category: string, startLine: number, endLine: number): CategoryRange {
  return { category, scope, name: `${scope}@${startLine}`, startLine, endLine, attribution: scope === 'file' ? 'path_rule' : 'declaration' };
}

describe('categoryLensTitle', () => {
  test('category · group name · stage key', async () => {
    const catalog = await catalogPromise;
    assert.equal(categoryLensTitle('team_planning', catalog), 'team_planning · Project Management · plan');
    assert.equal(categoryLensTitle('continuous_integration', catalog), 'continuous_integration · Pipeline Execution · verify');
  });

  test('a name outside the catalog says so instead of pretending to have a group', async () => {
    assert.equal(categoryLensTitle('team_planing', await catalogPromise), 'team_planing · not in the catalog');
  });

  test('unknown belongs to the not_owned pseudo-group', async () => {
    assert.equal(categoryLensTitle('unknown', await catalogPromise), 'unknown · Not owned · not_owned');
  });
});

describe('lensSubjects', () => {
  test('one lens per line: endpoints win over the class line they share (Sidekiq workers)', () => {
    const subjects = lensSubjects([endpoint('MergeWorker', 3, 'code_review_workflow', 'high', 10, 'sidekiq')], [range('class', 'code_review_workflow', 3, 24)]);
    assert.deepEqual(subjects.map((s) => [s.kind, s.line]), [['endpoint', 3]]);
  });

  test('class and file ranges get lenses, action ranges do not (their endpoint has one)', () => {
    const subjects = lensSubjects(
      [endpoint('A#index', 16, 'team_planning', 'low', 5)],
      [range('file', 'source_code_management', 1, 40), range('class', 'team_planning', 4, 30), range('action', 'team_planning', 16, 20)],
    );
    assert.deepEqual(subjects.map((s) => [s.kind, s.line, s.category]), [
      ['range', 1, 'source_code_management'],
      ['range', 4, 'team_planning'],
      ['endpoint', 16, 'team_planning'],
    ]);
  });
});

describe('declarations', () => {
  test('class, per-action, parenthesised and Grape option forms', () => {
    assert.deepEqual(declarationsOnLine('  feature_category :team_planning, [:index]').map((d) => [d.attribute, d.value, d.start]), [['feature_category', 'team_planning', 2]]);
    assert.deepEqual(declarationsOnLine('feature_category(:service_desk)').map((d) => d.value), ['service_desk']);
    assert.deepEqual(
      declarationsOnLine("      get ':id/repository/tags', feature_category: :source_code_management, urgency: :low do").map((d) => [d.attribute, d.value]),
      [['feature_category', 'source_code_management'], ['urgency', 'low']],
    );
    assert.deepEqual(declarationsOnLine("  urgency 'high'").map((d) => d.value), ['high']);
  });

  test('declarationAt picks the declaration under the column and nothing elsewhere', () => {
    const line = "get 'x', feature_category: :a, urgency: :low do";
    // 'urgency' starts at 0-based column 31.
    assert.equal(declarationAt(line, 33)?.attribute, 'urgency');
    assert.equal(declarationAt(line, 12)?.value, 'a');
    assert.equal(declarationAt(line, 1), undefined);
    assert.equal(declarationAt('  # feature_category is great', 10), undefined);
  });

  test('endpointsCovered: the route on the same line, else every endpoint with the value', () => {
    const eps = [endpoint('A#index', 16, 'team_planning', 'low', 5), endpoint('A#show', 26, 'team_planning', 'default', 1), endpoint('A#sd', 55, 'service_desk', 'low', 5)];
    const fc = declarationAt('feature_category :team_planning', 20)!;
    assert.deepEqual(endpointsCovered(fc, 11, eps).map((e) => e.id), ['A#index', 'A#show']);
    const urg = declarationAt('urgency :low', 9)!;
    assert.deepEqual(endpointsCovered(urg, 13, eps).map((e) => e.id), ['A#index', 'A#sd']);
    assert.deepEqual(endpointsCovered(urg, 26, eps).map((e) => e.id), ['A#show']);
  });
});

describe('hover lines', () => {
  test('category -> group -> stage and the covered endpoints', async () => {
    const lines = categoryHoverLines('team_planning', await catalogPromise, [endpoint('A#create', 40, 'team_planning', 'high', 0.25)]);
    assert.deepEqual(lines, [
      '**Budget Lens** · feature category `team_planning`',
      '',
      '`team_planning` → group **Project Management** (`project_management`) → stage **Plan** (`plan`)',
      '',
      'Endpoints (1):',
      '- `A#create` (high, 0.25 s) [line 40](command:budgetLens.goToEndpoint?%5B%22A%23create%22%5D)',
    ]);
  });

  test('a misspelt category says it counts for no group and offers the suggestion', async () => {
    const lines = categoryHoverLines('team_planing', await catalogPromise, [], 'team_planning');
    assert.equal(lines[2], '`team_planing` is not in the catalog: its traffic counts for no group. Did you mean `team_planning`?');
    assert.equal(lines[4], 'No endpoint of this file uses it.');
  });

  test('urgency thresholds follow the component: requests 5 s for low, Sidekiq 300 s for low', () => {
    assert.match(urgencyHoverLines('low', [endpoint('A#index', 16, 'x', 'low', 5)], []).join('\n'), /\*\*5 s\*\* \(rails_request\)/);
    assert.match(urgencyHoverLines('low', [endpoint('W', 3, 'x', 'low', 300, 'sidekiq')], []).join('\n'), /\*\*300 s\*\* \(sidekiq_execution\)/);
    assert.match(urgencyHoverLines('high', [], [endpoint('W', 3, 'x', 'low', 300, 'sidekiq')]).join('\n'), /\*\*10 s\*\* \(sidekiq_execution\)/);
  });

  test('an urgency the component does not have is named as such (medium is not a worker urgency)', () => {
    assert.match(urgencyHoverLines('medium', [], [endpoint('W', 3, 'x', 'low', 300, 'sidekiq')]).join('\n'), /`medium` is not an urgency of sidekiq_execution/);
    assert.match(urgencyHoverLines('urgent', [], []).join('\n'), /`urgent` is not an urgency of rails_request/);
  });

  test('more than 12 endpoints are summarised', async () => {
    const many = Array.from({ length: 15 }, (_, i) => endpoint(`A#a${i}`, i + 1, 'team_planning', 'default', 1));
    const lines = categoryHoverLines('team_planning', await catalogPromise, many);
    assert.equal(lines.filter((l) => l.startsWith('- `')).length, 12);
    assert.equal(lines.at(-1), '- … and 3 more');
  });
});

describe('goToEndpointLink', () => {
  test('encodes the id as a one-element JSON argument list, parentheses included', () => {
    const link = goToEndpointLink('line 3', 'GET /api/:version/x (beta)');
    assert.equal(link, '[line 3](command:budgetLens.goToEndpoint?%5B%22GET%20%2Fapi%2F%3Aversion%2Fx%20%28beta%29%22%5D)');
    const target = /\]\(command:budgetLens\.goToEndpoint\?([^)]*)\)$/.exec(link)?.[1] ?? '';
    assert.deepEqual(JSON.parse(decodeURIComponent(target)), ['GET /api/:version/x (beta)']);
  });
});

describe('statusBarText', () => {
  test("the group's display name, or a note for a name outside the catalog", async () => {
    const catalog = await catalogPromise;
    assert.equal(statusBarText('code_review_workflow', catalog), 'Code Review');
    assert.equal(statusBarText('team_planing', catalog), 'team_planing (not in catalog)');
  });
});

describe('findingColumns', () => {
  test('underlines the symbol name after the colon (column 20 is the colon of :team_planing)', () => {
    assert.deepEqual(findingColumns('  feature_category :team_planing', 20), { start: 20, end: 32 });
  });

  test('underlines the keyword a finding points at', () => {
    assert.deepEqual(findingColumns('  feature_category :service_desk, [:index]', 3), { start: 2, end: 18 });
  });

  test('quoted names and out-of-range columns', () => {
    assert.deepEqual(findingColumns("  urgency 'urgent'", 11), { start: 11, end: 17 });
    assert.deepEqual(findingColumns('x', 40), { start: 1, end: 2 });
  });
});

describe('which catalog (tooltips and hovers)', () => {
  const label = 'GitLab catalog snapshot 2025-04-04 (runbooks 8df1fb73), bundled';
  test('the note and its markdown form (a path\'s _ and * escaped)', () => {
    assert.equal(catalogNote(label), `Catalog: ${label}`);
    // In italics, every punctuation escaped (safeText.ts): the reader sees the label as it is.
    assert.equal(renderMarkdown(catalogHoverLine(label)), `<p><em>Catalog: ${label}</em></p>\n`);
    assert.equal(catalogHoverLine('/my_cat/*.yml'), '_Catalog\\: \\/my\\_cat\\/\\*\\.yml_');
    assert.equal(renderMarkdown(catalogHoverLine('/my_cat/*.yml (budgetLens.catalogPath)')), '<p><em>Catalog: /my_cat/*.yml (budgetLens.catalogPath)</em></p>\n');
  });

  test('the category hover ends with it', async () => {
    const lines = categoryHoverLines('team_planning', await catalogPromise, [], undefined, [], label);
    assert.deepEqual(lines.slice(-2), ['', catalogHoverLine(label)]);
  });

  test('a category the checkout lists but no group of the snapshot owns: no group, not "Not owned"', async () => {
    // The valid categories come from a newer checkout list (brand_new_thing); the groups from the snapshot.
    const base = await catalogPromise;
    const lookup = {
      groupOf: (c: string) => base.groupOf(c),
      isValidCategory: (c: string) => c === 'brand_new_thing' || base.isValidCategory(c),
    };
    assert.equal(categoryLensTitle('brand_new_thing', lookup), 'brand_new_thing · no group in the catalog');
    assert.equal(categoryLensTitle('not_owned', lookup), 'not_owned · Not owned · not_owned');
    assert.match(categoryHoverLines('brand_new_thing', lookup, [])[2] ?? '', /is a valid category, but no group of the catalog lists it/);
  });
});
