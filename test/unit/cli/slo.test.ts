/**
 * `budget-lens slo lint|list` and the objectives' findings in `budget-lens lint`, run in-process
 * through main() over test/fixtures/openslo (docs/objectives.md).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { captureIo } from '../../support/cliIo';

const FIXTURES = join(__dirname, '../../fixtures/openslo');

async function run(args: string[], cwd = FIXTURES): Promise<{ code: number; out: string; err: string }> {
  const { io, out, err } = captureIo(cwd);
  const code = await main(args, io);
  return { code, out: out(), err: err() };
}

describe('budget-lens slo', () => {
  test('slo list: one line per objective, native first, exit 0', async () => {
    const r = await run(['slo', 'list', '--root', 'project']);
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out,
      [
        'name                     target  window       method       sli               category / group             defined at',
        'workspace-opens          99.5 %  rolling 7d   Occurrences  ratio good/total  workspace_start              .budgetlens.yml:7',
        'workspace-starts         99.8 %  rolling 28d  Occurrences  ratio bad/total   workspace_start / workspace  ../gitpod/workspaces.yaml:30',
        'workspace-start-time     95 %    rolling 4w   Occurrences  ratio good/total  workspace_start              ../gitpod/workspaces.yaml:85',
        'workspace-keeps-working  99.8 %  rolling 28d  Occurrences  ratio bad/total   -                            ../gitpod/workspaces.yaml:101',
        '',
      ].join('\n'),
    );
    assert.equal(r.err, '4 objectives; 0 errors, 0 warnings, 0 notes\n');
  });

  test('slo list --json: the ObjectiveSpecs with root-relative locations', async () => {
    const r = await run(['slo', 'list', '--json'], join(FIXTURES, 'project'));
    assert.equal(r.code, 0, r.err);
    const specs = JSON.parse(r.out) as Array<{ name: string; target: string; location: { file: string; line: number } }>;
    assert.deepEqual(
      specs.map((s) => [s.name, s.target, `${s.location.file}:${s.location.line}`]),
      [
        ['workspace-opens', '0.995', '.budgetlens.yml:7'],
        ['workspace-starts', '0.998', '../gitpod/workspaces.yaml:30'],
        ['workspace-start-time', '0.95', '../gitpod/workspaces.yaml:85'],
        ['workspace-keeps-working', '0.998', '../gitpod/workspaces.yaml:101'],
      ],
    );
  });

  test('slo lint on refused documents: composite SLO, unknown kind, missing reference at file:line:col, exit 1', async () => {
    const r = await run(['slo', 'lint', '--root', 'broken']);
    assert.equal(r.code, 1);
    assert.equal(
      r.out,
      [
        'slo/journey.yaml:11:7: error: SLO "checkout-journey": spec.objectives[0].indicatorRef: composite SLOs (an indicator per objective) are not supported: give the SLO one indicator or indicatorRef, or write one SLO per indicator [objective_unsupported]',
        'slo/journey.yaml:16:7: error: unknown kind "ServiceLevel": OpenSLO v1 kinds are SLO, SLI, DataSource, Service, AlertPolicy, AlertCondition, AlertNotificationTarget [objective_invalid]',
        'slo/journey.yaml:26:17: error: SLO "search": spec.indicatorRef: indicatorRef "search-success" names no SLI document (no SLI is defined) [objective_unresolved]',
        '',
      ].join('\n'),
    );
    assert.equal(r.err, '0 objectives; 3 errors, 0 warnings, 0 notes\n');
  });

  test('slo lint on the fixture project: nothing to say, exit 0', async () => {
    const r = await run(['slo', 'lint', '--root', 'project']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
  });

  test('a bad native objective fails the config: file:line:col on stderr, exit 1', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'slo-cli-'));
    writeFileSync(join(dir, '.budgetlens.yml'), 'objectives:\n  list:\n    - name: a\n      target: 100\n      good: g\n      total: t\n');
    const r = await run(['slo', 'lint', '--root', dir]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^budget-lens slo lint: .*\.budgetlens\.yml:4:15: objectives\.list\[0\]\.target: target "100" must be greater than 0 and less than 100/);
  });

  test('usage: no subcommand exits 2, an unknown one is a usage error, no .budgetlens.yml is said', async () => {
    assert.equal((await run(['slo'])).code, 2);
    const r = await run(['slo', 'check']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown subcommand 'check' \(lint, list or status\)/);
    const none = await run(['slo', 'lint', '--root', join(FIXTURES, 'gitlab')]);
    assert.equal(none.code, 2);
    assert.match(none.err, /no \.budgetlens\.yml in .*gitlab/);
  });

  test('budget-lens lint includes the objectives\' findings', async () => {
    const r = await run(['lint', '--root', 'broken']);
    assert.equal(r.code, 1);
    assert.match(r.out, /slo\/journey\.yaml:26:17: error: SLO "search": spec\.indicatorRef: indicatorRef "search-success" names no SLI document/);
    assert.match(r.err, /3 errors/);
  });
});
