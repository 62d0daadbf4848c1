/**
 * examples/gitpod-style (issue 13 item 7): `slo lint` is clean, each function line carries exactly
 * the objectives the README promises, and `budget-lens map` / `slo list --where` print them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { openWorkspace } from '../../../src/sdk/mapping/index/openWorkspace';
import { captureIo } from '../../support/cliIo';

const REPO = join(__dirname, '../../..');
const EXAMPLE = join(REPO, 'examples/gitpod-style');
const STARTS = 'workspace-starts, workspace-start-under-15s, workspace-start-under-2m';

async function run(args: string[], cwd = REPO): Promise<{ code: number; out: string; err: string }> {
  const { io, out, err } = captureIo(cwd);
  const code = await main(args, io);
  return { code, out: out(), err: err() };
}

describe('examples/gitpod-style', () => {
  test('slo lint is clean: four objectives, no finding', async () => {
    const r = await run(['slo', 'lint', '--root', 'examples/gitpod-style']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(r.out, '');
    assert.equal(r.err, '4 objectives; 0 errors, 0 warnings, 0 notes\n');
  });

  test('budget-lens lint is clean too (the @slo names and path rules all exist)', async () => {
    const r = await run(['lint', 'examples/gitpod-style']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(r.out, '');
  });

  test('the objectives of each function line, and why', async () => {
    const ws = await openWorkspace({ root: EXAMPLE, workers: 1, ripgrep: false });
    await ws.index.build();
    const at = (file: string, line: number): string => {
      const o = ws.index.objectivesAt(file, line);
      return o ? `${o.attribution}: ${o.objectives.join(', ')}` : 'none';
    };
    const wm = 'components/ws-manager/src/workspaceManager.ts';
    const lineOf = (text: string): number => {
      const found = ws.index.objectiveAnnotations().find((r) => r.name === text);
      assert.ok(found, text);
      return found.startLine;
    };
    // startWorkspace and the liveness probe by annotation; stopWorkspace by the ws-manager path rule.
    assert.equal(at(wm, lineOf('startWorkspace')), `annotation: ${STARTS}`);
    assert.equal(at(wm, lineOf('startWorkspace') + 5), `annotation: ${STARTS}`);
    assert.equal(at(wm, lineOf('checkLiveness')), 'annotation: workspace-keeps-working');
    const stop = ws.index.objectiveSegments(wm).find((s) => s.attribution === 'path_rule' && s.startLine > lineOf('startWorkspace'));
    assert.ok(stop);
    assert.equal(at(wm, stop.startLine + 1), 'path_rule: workspace-keeps-working');
    // The later, narrower rule wins for metrics.ts.
    assert.equal(at('components/ws-manager/src/metrics.ts', 1), `path_rule: ${STARTS}`);
    assert.equal(at('components/ws-manager/src/prometheus.ts', 1), 'path_rule: workspace-keeps-working');
    // No path rule: the category (annotation) and the group (supervisor's category's group).
    assert.equal(at('components/image-builder/src/imageBuilder.ts', 10), 'category: workspace-start-under-15s, workspace-start-under-2m, workspace-starts');
    assert.equal(at('components/supervisor/src/supervisor.ts', 10), 'category: workspace-keeps-working');
    assert.deepEqual(
      ws.index.objectiveAnnotations().map((r) => `${r.file}:${r.line} ${r.name}`),
      [`${wm}:21 startWorkspace`, `${wm}:50 checkLiveness`],
    );
    assert.deepEqual(ws.index.findings(), []);
  });

  test('budget-lens map prints the objectives of each range', async () => {
    const r = await run(['map', 'examples/gitpod-style/components/ws-manager/src/workspaceManager.ts']);
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out,
      [
        `catalog: ${join(EXAMPLE, 'catalog/stages.yml')} (.budgetlens.yml)`,
        'components/ws-manager/src/workspaceManager.ts',
        '  workspace_start  workspace_lifecycle  workspaces  (path_rule)',
        `  slo 1-21   workspace-keeps-working                                                (path rule components/ws-manager/**)`,
        `  slo 22-39  ${STARTS}  (@slo on startWorkspace, line 21)`,
        `  slo 40-50  workspace-keeps-working                                                (path rule components/ws-manager/**)`,
        `  slo 51-57  workspace-keeps-working                                                (@slo on checkLiveness, line 50)`,
        '',
        '1 file, 0 endpoints',
        '',
      ].join('\n'),
    );
  });

  test('map --json: the segments under objectives', async () => {
    const r = await run(['map', '--json', 'examples/gitpod-style/components/supervisor']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { files: Array<{ file: string; objectives: Array<{ startLine: number; endLine: number; objectives: string[]; attribution: string; category?: string }> }> };
    assert.deepEqual(json.files.map((f) => [f.file, f.objectives]), [
      ['components/supervisor/src/supervisor.ts', [{ objectives: ['workspace-keeps-working'], attribution: 'category', category: 'workspace_runtime', startLine: 1, endLine: 18 }]],
    ]);
  });

  test('slo list --where: each objective with its category/group, @slo places and path rules', async () => {
    const r = await run(['slo', 'list', '--where', '--root', 'examples/gitpod-style']);
    assert.equal(r.code, 0, r.err);
    // name | the last column (after the `defined at` file:line).
    const rows = r.out.trimEnd().split('\n').map((l) => `${l.split(' ')[0]} | ${l.replace(/^.*\.yaml:\d+\s+/, '')}`);
    assert.match(r.out.split('\n')[0]!, /defined at\s+attached$/);
    assert.deepEqual(rows.slice(1), [
      'workspace-keeps-working | group workspace_runtime; 1 @slo in components/ws-manager/src/workspaceManager.ts; 1 path rule',
      'workspace-start-under-15s | category workspace_start; 1 @slo in components/ws-manager/src/workspaceManager.ts; 1 path rule',
      'workspace-start-under-2m | category workspace_start; 1 @slo in components/ws-manager/src/workspaceManager.ts; 1 path rule',
      'workspace-starts | category workspace_start; 1 @slo in components/ws-manager/src/workspaceManager.ts; 1 path rule',
    ]);
  });
});
