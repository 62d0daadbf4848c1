/**
 * Burn-alert episodes (src/extension/burnAlerts.ts) and their wording (text/burnAlertText.ts), in
 * plain Node: one notification per episode however many refreshes see it, an episode ends after
 * 30 min without a firing answer, escalation ticket -> page notifies once more, a stored book
 * survives a reload (JSON) and a damaged one is ignored.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EPISODE_QUIET_MS, emptyBook, observe, readBook } from '../../../src/extension/burnAlerts';
import type { EpisodeBook, Observation } from '../../../src/extension/burnAlerts';
import { burnAlertMessage, burnRateText, burnStatusBarText, burnTooltipLine, factorText } from '../../../src/extension/text/burnAlertText';
import { evaluateBurnAlert } from '../../../src/sdk/budget/burnAlert';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 2, 10, 0);
const G = 'http://127.0.0.1:7464 group:project_management';
const at = (scope: string, tier: Observation['tier'], minutes: number): Observation => ({ scope, tier, fetchedAt: T0 + minutes * MIN });

/** Refreshes every `every` minutes: each observes one answer fetched then. */
function run(book: EpisodeBook, tiers: Array<Observation['tier']>, every = 5, from = 0): { book: EpisodeBook; notices: number; ended: number } {
  let notices = 0;
  let ended = 0;
  tiers.forEach((tier, i) => {
    const minute = from + i * every;
    const step = observe(book, [at(G, tier, minute)], T0 + minute * MIN);
    book = step.book;
    notices += step.notices.length;
    ended += step.ended.length;
  });
  return { book, notices, ended };
}

describe('burn-alert episodes', () => {
  test('ten firing refreshes are one episode, one notification', () => {
    const r = run(emptyBook(), Array(10).fill('page'));
    assert.equal(r.notices, 1);
    assert.deepEqual(r.book.episodes[G], { tier: 'page', startedAt: T0, lastFiringAt: T0 + 45 * MIN, notified: 'page' });
  });

  test('observing the same answer again changes nothing (every onDidChange re-reads the cache)', () => {
    const first = observe(emptyBook(), [at(G, 'page', 0)], T0);
    const again = observe(first.book, [at(G, 'page', 0)], T0 + 2 * MIN);
    assert.deepEqual([first.notices.length, again.notices.length, again.changed], [1, 0, false]);
  });

  test('quiet answers within 30 min keep the episode: a dip does not re-notify', () => {
    // firing 0-10, quiet 15-35 (last firing 10: 25 min quiet at 35), firing again at 40 (30 min after 10: ended first).
    const dip = run(emptyBook(), ['page', 'page', 'page', null, null, null, null, null, 'page']);
    // At minute 40 the episode of minute 10 has been quiet 30 min: it ended and a new one starts.
    assert.deepEqual([dip.notices, dip.ended], [2, 1]);
    const shortDip = run(emptyBook(), ['page', 'page', 'page', null, null, null, null, 'page']);
    // At minute 35: 25 min quiet, same episode.
    assert.deepEqual([shortDip.notices, shortDip.ended], [1, 0]);
  });

  test('the episode ends on the first observation 30 min after the last firing answer', () => {
    const r = run(emptyBook(), ['ticket', null, null, null, null, null]);
    // minute 25: 25 min quiet, still open
    assert.ok(r.book.episodes[G]);
    const end = observe(r.book, [], T0 + EPISODE_QUIET_MS);
    assert.deepEqual([end.ended, end.changed, end.book.episodes], [[G], true, {}]);
  });

  test('ticket escalating to page notifies once more; page falling back to ticket does not', () => {
    const r = run(emptyBook(), ['ticket', 'ticket', 'page', 'page', 'ticket', 'page']);
    assert.equal(r.notices, 2);
    const steps = [observe(emptyBook(), [at(G, 'ticket', 0)], T0)];
    steps.push(observe(steps[0]!.book, [at(G, 'page', 5)], T0 + 5 * MIN));
    assert.deepEqual(steps[1]?.notices, [{ scope: G, tier: 'page', escalated: true }]);
  });

  test('an answer older than the quiet time (a failing backend keeps its last good one) starts nothing', () => {
    const step = observe(emptyBook(), [at(G, 'page', 0)], T0 + 31 * MIN);
    assert.deepEqual([step.notices, step.changed], [[], false]);
  });

  test('scopes are separate episodes', () => {
    const C = 'http://127.0.0.1:7464 category:team_planning';
    const step = observe(emptyBook(), [at(G, 'page', 0), at(C, 'ticket', 0)], T0);
    assert.deepEqual(step.notices.map((n) => [n.scope, n.tier]), [[G, 'page'], [C, 'ticket']]);
  });

  test('a reload: the stored book (JSON) keeps the episode, so the next refresh does not notify', () => {
    const before = run(emptyBook(), ['page', 'page']).book;
    const reloaded = readBook(JSON.parse(JSON.stringify(before)));
    assert.deepEqual(reloaded, before);
    assert.equal(observe(reloaded, [at(G, 'page', 12)], T0 + 12 * MIN).notices.length, 0);
  });

  test('a damaged or foreign stored value reads as no episodes', () => {
    for (const v of [undefined, null, 'x', { version: 2, episodes: {} }, { version: 1, episodes: { [G]: { tier: 'urgent' } } }]) {
      assert.deepEqual(readBook(v), emptyBook());
    }
  });
});

describe('burn-alert wording', () => {
  // domain.md F16's worked example: 99.95 %, 1 h 75 / 10000 -> 15x, 5 m 8 / 1000 -> 16x.
  const page = evaluateBurnAlert({ '1h': { failures: 75, measurements: 10_000 }, '5m': { failures: 8, measurements: 1000 } }, '99.95').tiers[0]!;
  // 6 h 240 / 60000 -> 8x, 30 m 7 / 2000 -> 7x.
  const ticket = evaluateBurnAlert({ '6h': { failures: 240, measurements: 60_000 }, '30m': { failures: 7, measurements: 2000 } }, '99.95').tiers[1]!;

  test('factors and rates', () => {
    assert.deepEqual([factorText(14.4), factorText(6), burnRateText(15), burnRateText(null)], ['14.4×', '6×', '15.0×', 'no data']);
  });

  test('the notification', () => {
    assert.equal(
      burnAlertMessage({ kind: 'group', name: 'Project Management' }, page, false),
      'Budget Lens: group Project Management is burning its error budget: 15.0× over 1 h and 16.0× over 5 m, both above 14.4× (page tier).',
    );
    assert.equal(
      burnAlertMessage({ kind: 'category', name: 'team_planning' }, ticket, false),
      'Budget Lens: category team_planning is burning its error budget: 8.0× over 6 h and 7.0× over 30 m, both above 6× (ticket tier).',
    );
    assert.match(burnAlertMessage({ kind: 'group', name: 'Project Management' }, page, true), /^Budget Lens: group Project Management is now burning/);
    // A group name from the backend offers no link of its own.
    assert.doesNotMatch(burnAlertMessage({ kind: 'group', name: '[x](command:evil)' }, page, false), /\]\(/);
  });

  test('the status bar tier and tooltip line', () => {
    assert.equal(burnStatusBarText(page), '$(flame) 14.4× burn');
    assert.equal(burnStatusBarText(ticket), '$(flame) 6× burn');
    assert.equal(burnTooltipLine({ kind: 'group', name: 'A\nB' }, page), 'Burn alert (group A B): 15.0× over 1 h and 16.0× over 5 m, both above 14.4× (page tier).');
  });
});
