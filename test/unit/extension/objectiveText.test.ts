/**
 * What the editor says about objectives (issue 13 item 6), and the SDK's figure wording it shares
 * with `budget-lens slo status`. Figures come from the objective engine on counts computed by hand:
 *  - Occurrences, 99.8 %: 4,995 good of 5,000 -> bad 5, SLI 0.999 -> "99.90 %" (target 99.8 has one
 *    decimal, the SLI gets two); budget (1 - 0.998) * 5,000 = 10 events, left 10 - 5 = 5, remaining
 *    5 / 10 = 0.5 -> "50 % left", state fine (not under half).
 *  - Occurrences, 99.8 %: 4,985 good of 5,000 -> bad 15, left 10 - 15 = -5, remaining -0.5 ->
 *    "over budget (-50 %)", state exhausted.
 *  - Timeslices, the handbook's example: 99.95 % of 40,320 one-minute slices, 20 bad -> budget
 *    0.0005 * 40,320 = 20.16 slices, floor 20 allowed, 0 slices left, 20.16 - 20 = 0.16 minutes
 *    left; SLI 40,300 / 40,320 = 0.9995039... -> "99.950 %" (target 99.95: three decimals).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Known } from '../../../src/extension/budgetCache';
import {
  attributionText,
  localObjective,
  objectiveHoverLines,
  objectiveLensFigure,
  objectiveLensSubjects,
  objectiveState,
  objectiveTreeDescription,
  objectivesSummary,
  panelObjective,
  panelObjectiveOf,
} from '../../../src/extension/text/objectiveText';
import { budgetFormulaText, budgetLeftShareText, budgetLeftText, sliCountsText, sliFormulaText, sliPercentText, sliVsTargetText } from '../../../src/sdk';
import type { ObjectiveBudget } from '../../../src/sdk';
import { occurrenceFigures } from '../../../src/sdk/objectives/engine/occurrences';
import { timesliceFigures } from '../../../src/sdk/objectives/engine/timeslices';

function budget(figures: ObjectiveBudget['figures'], extra: Partial<ObjectiveBudget> = {}): ObjectiveBudget {
  return {
    name: 'workspace-starts',
    displayName: 'Workspaces start successfully',
    definedAt: { file: 'slo/workspace-starts.yaml', line: 7 },
    target: figures?.target ?? '0.998',
    method: figures?.method ?? 'Occurrences',
    window: '28d',
    sli: 'ratio bad/total',
    figures,
    range: { start: '2026-11-02T00:00:00.000Z', end: '2026-11-30T00:00:00.000Z', minutes: 40320 },
    burnRate1h: 0.4,
    burnAlerts: [],
    queries: [
      { role: 'bad', query: 'sum(increase(starts_failed_total[28d]))', kind: 'instant', window: '28d' },
      { role: 'total', query: 'sum(increase(starts_total[28d]))', kind: 'instant', window: '28d' },
      { role: 'bad', query: 'sum(increase(starts_failed_total[1h]))', kind: 'instant', window: '1h' },
    ],
    warnings: [],
    ...extra,
  };
}

const known = <T>(value: T | undefined, extra: Partial<Known<T>> = {}): Known<T> => ({ ...(value === undefined ? {} : { value, fetchedAt: 1 }), loading: false, ...extra });

const half = occurrenceFigures({ good: 4995, total: 5000 }, '0.998');
const over = occurrenceFigures({ good: 4985, total: 5000 }, '0.998');
const handbook = timesliceFigures({ good: 40300, bad: 20, empty: 0 }, { windowMinutes: 40320, sliceMinutes: 1, target: '0.9995' });

describe('objective figures in words (SDK, shared with slo status)', () => {
  test('SLI against the target with one decimal more than the target', () => {
    assert.equal(sliPercentText(0.999, '0.998'), '99.90 %');
    assert.equal(sliVsTargetText(half), '99.90 % ≥ 99.8 %');
    assert.equal(sliVsTargetText(over), '99.70 % < 99.8 %');
    assert.equal(sliVsTargetText(handbook), '99.950 % ≥ 99.95 %');
    assert.equal(sliVsTargetText(occurrenceFigures({ good: 0, total: 0 }, '0.998')), 'no events');
  });

  test('an SLI just under its target never rounds up to it', () => {
    // The gitpod sample: 80,207 good of 80,368 starts = 0.99799671... -> "99.80 %" at 2 decimals
    // and "99.800 %" at 3 would read as meeting 99.8 %; at 4, "99.7997 %".
    const edge = occurrenceFigures({ good: 80207, total: 80368 }, '0.998');
    assert.equal(sliVsTargetText(edge), '99.7997 % < 99.8 %');
    // At the target exactly (4,990 of 5,000 = 0.998): two decimals, and it meets it.
    assert.equal(sliVsTargetText(occurrenceFigures({ good: 4990, total: 5000 }, '0.998')), '99.80 % ≥ 99.8 %');
    // Over the target, rounding up is harmless: 0.999996 at 99.95 % (3 decimals) -> "100.000 %".
    assert.equal(sliPercentText(0.999996, '0.9995'), '100.000 %');
    // Budget: (1 − 0.998) × 80,368 = 160.736 events, bad 161 -> left −0.264, share −0.264 / 160.736
    // = −0.16 %: two decimals under 1 %, never "over budget (0 %)".
    assert.equal(budgetLeftShareText(edge), 'over budget (-0.16 %)');
    assert.equal(budgetLeftShareText({ remainingFraction: 0.004 }), '0.40 % left');
    assert.equal(budgetLeftShareText({ remainingFraction: 0 }), '0 % left');
  });

  test('budget left in the method unit, and its share', () => {
    assert.equal(budgetLeftText(half), '5 of 10 events (50.00 %)');
    assert.equal(budgetLeftShareText(half), '50 % left');
    assert.equal(budgetLeftShareText(over), 'over budget (-50 %)');
    assert.equal(budgetLeftText(handbook), '0 of 20 bad slices allowed; 0.16 of 20.16 bad minutes');
    assert.equal(sliCountsText(handbook), '99.950 % (40,300 good of 40,320 slices; 20 bad, 0 empty)');
  });

  test('formulas with their numbers', () => {
    assert.equal(sliFormulaText(half), 'SLI = good / total = 4,995 / 5,000');
    assert.equal(budgetFormulaText(half), 'budget = (1 − 0.998) × 5,000 events = 10 events');
    assert.equal(budgetFormulaText(handbook), 'budget = (1 − 0.9995) × 40,320 slices = 20.16 slices (20.16 min)');
  });
});

describe('objective lens, hover, tree and tile', () => {
  test('state follows the share of the budget left', () => {
    assert.equal(objectiveState(budget(half)), 'fine');
    assert.equal(objectiveState(budget(over)), 'exhausted');
    assert.equal(objectiveState(budget(occurrenceFigures({ good: 4992, total: 5000 }, '0.998'))), 'overHalf'); // 8 bad of 10: 0.2 left
    assert.equal(objectiveState(budget(null)), 'noData');
  });

  test('lens title: figures, warning when over budget, loading, failure, no backend', () => {
    assert.equal(objectiveLensFigure('workspace-starts', known(budget(half))).title, 'SLO workspace-starts · 99.90 % ≥ 99.8 % · 50 % left · burn 0.40x');
    const bad = objectiveLensFigure('workspace-starts', known(budget(over)));
    assert.equal(bad.warning, true);
    assert.match(bad.title, /^\$\(warning\) SLO workspace-starts · 99\.70 % < 99\.8 % · over budget \(-50 %\)/);
    assert.equal(objectiveLensFigure('x', known<ObjectiveBudget>(undefined, { loading: true })).title, 'SLO x · loading budget…');
    assert.equal(objectiveLensFigure('x', undefined).title, 'SLO x');
    const failure = { url: 'http://127.0.0.1:9/api/v1/objectives', status: 503, message: 'HTTP 503', unauthorized: false, at: 0 };
    const failing = objectiveLensFigure('x', known<ObjectiveBudget>(undefined, { failure }));
    assert.match(failing.title, /^SLO x · no data \(HTTP 503\)$/);
    assert.ok(failing.problem?.includes('503'));
    const stale = objectiveLensFigure('workspace-starts', known(budget(half), { failure }));
    assert.match(stale.title, /\(stale\)$/);
    assert.ok(stale.problem !== undefined);
  });

  test('an objective the backend cannot evaluate says so on the lens and in the hover', () => {
    const o = budget(null, { error: { code: 'unsupported_sli', message: 'the good query <b>x</b> has no source' } });
    assert.equal(objectiveLensFigure(o.name, known(o)).title, '$(warning) SLO workspace-starts · cannot evaluate (unsupported_sli)');
    const hover = objectiveHoverLines(o.name, known(o), 'test').join('\n');
    assert.ok(hover.includes('**cannot be evaluated**'));
    assert.ok(!hover.includes('<b>'), 'backend text is escaped');
  });

  test('hover explains the number: counts, formulas, range, queries, definition', () => {
    const lines = objectiveHoverLines('workspace-starts', known(budget(half)), '@slo annotation on line 21 (startWorkspace)');
    const text = lines.join('\n');
    assert.ok(text.includes('SLI 99.90 % (4,995 good of 5,000 events) vs target 99.8 %'));
    assert.ok(text.includes('budget left: 5 of 10 events (50.00 %)'));
    assert.ok(text.includes('`SLI = good / total = 4,995 / 5,000`'));
    assert.ok(text.includes('`budget = (1 − 0.998) × 5,000 events = 10 events`'));
    assert.ok(text.includes('`sum(increase(starts_failed_total[28d]))`'));
    assert.ok(text.includes('burn windows: the same over `1h`'));
    assert.ok(!text.includes('starts_failed_total[1h]'), 'burn-window queries are folded into one line');
    assert.ok(text.includes('`slo/workspace-starts.yaml:7`'));
  });

  test('without figures, the hover says what the workspace defines: name, definition, file:line', () => {
    const spec = {
      name: 'checkout-success',
      displayName: 'Checkouts *succeed*',
      target: '0.995',
      budgetingMethod: 'Occurrences',
      window: { kind: 'rolling', minutes: 10080, label: '7d' },
      sli: { kind: 'ratio', form: 'bad', bad: { sourceType: 'prometheus', spec: { query: 'sum(f_total)' } }, total: { sourceType: 'prometheus', spec: { query: 'sum(t_total)' } }, counter: true },
      location: { file: '/w/slo/checkout.yaml', line: 8, column: 1 },
    } as unknown as Parameters<typeof localObjective>[0];
    const local = localObjective(spec, 'slo/checkout.yaml');
    assert.deepEqual(local, { displayName: 'Checkouts *succeed*', definition: 'target 99.5 % over rolling 7d, Occurrences: ratio bad/total', definedAt: 'slo/checkout.yaml:8' });
    const text = objectiveHoverLines('checkout-success', undefined, 'the @slo annotation', local).join('\n');
    // The display name is the definition's text: escaped, not markup.
    assert.ok(text.startsWith('**Objective** Checkouts \\*succeed\\* (`checkout-success`)'), text);
    // (Markdown-escaped: the definition's words are the workspace's text.)
    assert.ok(text.includes('- target 99\\.5 \\% over rolling 7d\\, Occurrences\\: ratio bad\\/total\n- defined in `slo/checkout.yaml:8`'), text);
    assert.ok(text.endsWith('No budget backend: set `budgetLens.api.url` or `budgetLens.prometheus.url` to see its figures.'), text);
    // Loading: the same definition, then "Loading its figures…".
    assert.ok(objectiveHoverLines('checkout-success', known<ObjectiveBudget>(undefined, { loading: true }), undefined, local).join('\n').includes('defined in `slo/checkout.yaml:8`\n\nLoading its figures…'));
  });

  test('tree description and panel tile', () => {
    assert.equal(objectiveTreeDescription(known(budget(half))), '99.90 % ≥ 99.8 % · 50 % left · burn 0.40x');
    assert.equal(objectiveTreeDescription(known<ObjectiveBudget>(undefined, { loading: true })), 'loading…');
    const tile = panelObjective(budget(half), {
      ...budget(half),
      burnDown: [
        { day: '2026-11-28', end: '2026-11-29T00:00:00.000Z', remainingFraction: 0.7, spent: 3 },
        { day: '2026-11-29', end: '2026-11-30T00:00:00.000Z', remainingFraction: 0.5, spent: 2 },
      ],
    });
    assert.equal(tile.state, 'fine');
    assert.equal(tile.budgetLeftText, '5 of 10 events (50.00 %)');
    assert.deepEqual(tile.burnDown, [
      { day: '2026-11-28', remainingFraction: 0.7 },
      { day: '2026-11-29', remainingFraction: 0.5 },
    ]);
    assert.equal(panelObjectiveOf('x', known<ObjectiveBudget>(undefined, { loading: true }), undefined).sliVsTargetText, 'loading…');
  });

  test('lens subjects: one per objective and attachment, annotated function on its first line', () => {
    // The gitpod-style workspaceManager.ts as `budget-lens map` shows it: a path rule (1-21, 40-50) around two @slo functions.
    const range = (line: number, startLine: number, name: string) => ({ line, startLine, scope: 'action' as const, name });
    const subjects = objectiveLensSubjects(
      [
        { attribution: 'path_rule', objectives: ['workspace-keeps-working'], rule: { pattern: 'components/ws-manager/**', index: 0 }, startLine: 1 },
        { attribution: 'annotation', objectives: ['workspace-starts', 'workspace-start-under-15s'], range: range(21, 22, 'startWorkspace'), startLine: 22 },
        { attribution: 'path_rule', objectives: ['workspace-keeps-working'], rule: { pattern: 'components/ws-manager/**', index: 0 }, startLine: 40 },
        { attribution: 'annotation', objectives: ['workspace-keeps-working'], range: range(50, 51, 'checkLiveness'), startLine: 51 },
      ],
      57,
    );
    assert.deepEqual(
      subjects.map((s) => [s.line, s.name]),
      [
        [1, 'workspace-keeps-working'],
        [22, 'workspace-starts'],
        [22, 'workspace-start-under-15s'],
        [51, 'workspace-keeps-working'],
      ],
    );
    assert.equal(subjects[1]?.why, '@slo annotation on line 21 (startWorkspace)');
    assert.equal(attributionText({ attribution: 'category', category: 'workspace_start' }), 'the objectives of feature category workspace_start and its group');
  });

  test("a group's objectives in a few words: counts by state, the worst state, loading and stale", () => {
    // half: 50 % left -> fine; over: -50 % -> exhausted; 4,996 of 5,000: bad 4, left 6 of 10, 60 % -> fine.
    const underHalf = occurrenceFigures({ good: 4996, total: 5000 }, '0.998');
    assert.equal(budgetLeftShareText(underHalf), '60 % left');
    const overHalf = occurrenceFigures({ good: 4994, total: 5000 }, '0.998'); // bad 6, left 4 of 10: 40 %
    assert.deepEqual(objectivesSummary([known(budget(half)), known(budget(over)), known(budget(overHalf))]), { text: '3 SLOs · 1 over budget, 1 over half spent', state: 'exhausted', stale: false });
    assert.deepEqual(objectivesSummary([known(budget(half)), known(budget(underHalf))]), { text: '2 SLOs · within budget', state: 'fine', stale: false });
    assert.deepEqual(objectivesSummary([known(budget(half)), known(budget(occurrenceFigures({ good: 0, total: 0 }, '0.998')))]), { text: '2 SLOs · 1 within budget, 1 without events', state: 'fine', stale: false });
    const failure = { kind: 'unreachable', message: 'connect ECONNREFUSED', url: 'http://127.0.0.1:1/api/v1/objectives' } as unknown as NonNullable<Known<ObjectiveBudget>['failure']>;
    assert.deepEqual(objectivesSummary([known(budget(half), { failure }), undefined]), { text: '2 SLOs · 1 within budget, 1 loading', state: 'fine', stale: true });
    // Nothing known yet: no summary (the caller keeps its own words).
    assert.equal(objectivesSummary([undefined, known<ObjectiveBudget>(undefined)]), undefined);
  });
});
