/**
 * `objectives:` in .budgetlens.yml (docs/objectives.md): the native list built with the config
 * (src/sdk/objectives/native.ts, its errors are config errors at file:line:col), the OpenSLO files
 * `objectives.files` names (objectiveFiles.ts), both together (config/projectObjectives.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkProjectConfig, loadProjectConfig, parseProjectConfig } from '../../../src/sdk/config/projectConfig';
import { loadProjectObjectives } from '../../../src/sdk/config/projectObjectives';
import { matchObjectiveFiles } from '../../../src/sdk/objectives/objectiveFiles';

const FILE = '/ws/.budgetlens.yml';
const FIXTURES = join(__dirname, '../../fixtures/openslo');

function configErrors(text: string): string[] {
  return checkProjectConfig(text, FILE).errors.map((e) => e.message);
}

describe('native objectives (objectives.list)', () => {
  test('a ratio good/total in percent over a rolling window -> its exact ObjectiveSpec', () => {
    const c = parseProjectConfig(
      'objectives:\n  list:\n    - name: workspace-starts\n      target: 99.8\n      window: 4w\n      category: workspace_start\n      group: workspace\n      service: workspaces\n      good: sum(ok)\n      total: sum(all)\n',
      FILE,
    );
    assert.deepEqual(c.objectives.list, [
      {
        name: 'workspace-starts',
        target: '0.998',
        budgetingMethod: 'Occurrences',
        window: { kind: 'rolling', minutes: 40320, label: '4w' },
        sli: {
          kind: 'ratio',
          form: 'good',
          good: { sourceType: 'prometheus', spec: { query: 'sum(ok)' } },
          total: { sourceType: 'prometheus', spec: { query: 'sum(all)' } },
          counter: true,
        },
        location: { file: FILE, line: 3, column: 7 },
        category: 'workspace_start',
        group: 'workspace',
        service: 'workspaces',
      },
    ]);
    assert.deepEqual(c.objectives.files, []);
  });

  test('bad over total, the project window by default, counter false, another source', () => {
    const c = parseProjectConfig('window: 7d\nobjectives:\n  list:\n    - name: a\n      target: "99.95"\n      bad: q1\n      total: q2\n      counter: false\n      source: VictoriaMetrics\n', FILE);
    const o = c.objectives.list[0]!;
    assert.equal(o.target, '0.9995');
    assert.deepEqual(o.window, { kind: 'rolling', minutes: 10080, label: '7d' });
    assert.deepEqual(o.sli, { kind: 'ratio', form: 'bad', bad: { sourceType: 'victoriametrics', spec: { query: 'q1' } }, total: { sourceType: 'victoriametrics', spec: { query: 'q2' } }, counter: false });
  });

  test('refused at file:line:col: target 100, both good and bad, neither, a bad name, an unknown key, a window in months', () => {
    assert.deepEqual(configErrors('objectives:\n  list:\n    - name: a\n      target: 100\n      good: g\n      total: t\n'), [
      '/ws/.budgetlens.yml:4:15: objectives.list[0].target: target "100" must be greater than 0 and less than 100 (percent): a target of 100 % or more leaves no error budget',
    ]);
    assert.deepEqual(configErrors('objectives:\n  list:\n    - name: a\n      target: 99\n      good: g\n      bad: b\n      total: t\n'), [
      '/ws/.budgetlens.yml:6:7: objectives.list[0].bad: give either good or bad over total, not both',
    ]);
    assert.deepEqual(configErrors('objectives:\n  list:\n    - name: a\n      target: 99\n      total: t\n'), [
      '/ws/.budgetlens.yml:3:7: objectives.list[0]: give good (or bad): the query of good (bad) events, over total',
    ]);
    assert.match(configErrors('objectives:\n  list:\n    - name: Workspace_Starts\n      target: 99\n      good: g\n      total: t\n')[0]!, /^\/ws\/\.budgetlens\.yml:3:13: objectives\.list\[0\]\.name: the string "Workspace_Starts" is not valid: a name of up to 63/);
    assert.match(configErrors('objectives:\n  list:\n    - name: a\n      target: 99\n      good: g\n      total: t\n      query: q\n')[0]!, /^\/ws\/\.budgetlens\.yml:7:7: unknown key "query" in objectives\.list\[0\] \(expected one of: name, displayName/);
    assert.match(configErrors('objectives:\n  list:\n    - name: a\n      target: 99\n      window: 1M\n      good: g\n      total: t\n')[0]!, /^\/ws\/\.budgetlens\.yml:5:15: objectives\.list\[0\]\.window: the string "1M" is not valid: a rolling window/);
    assert.match(configErrors('objectives:\n  files: [""]\n')[0]!, /objectives\.files\[0\]/);
  });
});

describe('OpenSLO files (objectives.files) and the whole project', () => {
  test('globs relative to the config, ../ allowed, a plain path, sorted', async () => {
    assert.deepEqual(
      (await matchObjectiveFiles(join(FIXTURES, 'project'), '../gitlab/*.yaml')).map((f) => f.slice(FIXTURES.length)),
      ['/gitlab/api-latency.yaml'],
    );
    assert.deepEqual((await matchObjectiveFiles(FIXTURES, '**/*.yaml')).map((f) => f.slice(FIXTURES.length)), [
      '/broken/slo/journey.yaml',
      '/gitlab/api-latency.yaml',
      '/gitpod/workspaces.yaml',
      '/kinds.yaml',
    ]);
    assert.deepEqual(await matchObjectiveFiles(FIXTURES, 'nope.yaml'), []);
  });

  test('the fixture project: the native objective and the three Gitpod ones, no finding', async () => {
    const config = await loadProjectConfig(join(FIXTURES, 'project', '.budgetlens.yml'));
    const r = await loadProjectObjectives(config);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.objectives.map((o) => [o.name, o.target, o.window.label]),
      [
        ['workspace-opens', '0.995', '7d'],
        ['workspace-starts', '0.998', '28d'],
        ['workspace-start-time', '0.95', '4w'],
        ['workspace-keeps-working', '0.998', '28d'],
      ],
    );
  });

  test('a pattern matching nothing is a warning at its line; a native and an OpenSLO objective of one name: the second refused', async () => {
    const root = join(FIXTURES, 'project');
    const config = parseProjectConfig('objectives:\n  files: [../gitpod/*.yaml, missing/*.yaml]\n  list:\n    - name: workspace-starts\n      target: 99\n      good: g\n      total: t\n', join(root, '.budgetlens.yml'));
    const r = await loadProjectObjectives(config);
    assert.deepEqual(
      r.findings.map((f) => [f.file.slice(FIXTURES.length), `${f.line}:${f.column}`, f.severity, f.code, f.message.replace(FIXTURES, '<fixtures>')]),
      [
        ['/gitpod/workspaces.yaml', '30:3', 'error', 'objective_duplicate', 'objective "workspace-starts" is defined twice (first at <fixtures>/project/.budgetlens.yml:4:7)'],
        ['/project/.budgetlens.yml', '2:29', 'warning', 'objective_files', 'objectives.files: "missing/*.yaml" matches no file under <fixtures>/project'],
      ],
    );
    assert.equal(r.objectives.filter((o) => o.name === 'workspace-starts').length, 1);
  });
});
