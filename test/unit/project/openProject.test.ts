/**
 * Opening a project (src/sdk/project/openProject.ts): config, catalog and their findings, without
 * the index. openWorkspace opens the same project and adds the (unbuilt) index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFindings, openProject } from '../../../src/sdk/project/openProject';
import { openWorkspace } from '../../../src/sdk/mapping/index/openWorkspace';
import { CATALOG_DIR, EXAMPLE_ROOT, REPO_ROOT } from '../mapping/index/exampleWorkspace';

test('openProject: the config, its catalog and where the catalog came from', async () => {
  const project = await openProject(EXAMPLE_ROOT);
  assert.equal(project.root, EXAMPLE_ROOT);
  assert.equal(project.config?.file, join(EXAMPLE_ROOT, '.budgetlens.yml'));
  assert.equal(project.catalogOrigin.kind, 'config');
  assert.ok(project.catalog.isValidCategory('source_code_management'));
  assert.deepEqual(project.findings, []);
  assert.equal('index' in project, false);
});

test('openProject: a path rule naming a category the catalog lacks is a finding at its line', async () => {
  const root = mkdtempSync(join(tmpdir(), 'bl-project-'));
  writeFileSync(join(root, '.budgetlens.yml'), 'mapping:\n  pathRules:\n    - pattern: "lib/**"\n      category: source_code_managment\n');
  const project = await openProject(root, { catalogDir: CATALOG_DIR });
  assert.equal(project.catalogOrigin.kind, 'directory');
  assert.deepEqual(
    project.findings.map((f) => [f.code, f.file, f.line, f.suggestion]),
    [['unknown_category', '.budgetlens.yml', 4, 'source_code_management']],
  );
  assert.deepEqual(configFindings(project), project.findings);
});

test('openWorkspace is openProject plus an unbuilt index', async () => {
  const project = await openProject(EXAMPLE_ROOT, { catalogDir: CATALOG_DIR });
  const ws = await openWorkspace({ root: EXAMPLE_ROOT, catalogDir: CATALOG_DIR, ripgrep: false });
  try {
    assert.deepEqual(ws.config, project.config);
    assert.deepEqual(ws.catalogOrigin, project.catalogOrigin);
    assert.deepEqual(ws.findings, project.findings);
    assert.deepEqual([...ws.catalog.categories.keys()], [...project.catalog.categories.keys()]);
    assert.deepEqual(ws.index.files(), []);
  } finally {
    ws.index.dispose();
  }
});

test('opening a project loads no module of the index or the Ruby extractors', () => {
  const script = `
    const { openProject } = require('./src/sdk/project/openProject');
    openProject(${JSON.stringify(EXAMPLE_ROOT)}).then((p) => {
      const loaded = Object.keys(require.cache).filter((f) => /[\\\\/]src[\\\\/]sdk[\\\\/]mapping[\\\\/](index|ruby)[\\\\/]/.test(f));
      process.stdout.write(JSON.stringify({ groups: p.catalog.groups.size, loaded }));
    });
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { groups: number; loaded: string[] };
  assert.ok(out.groups > 10);
  assert.deepEqual(out.loaded, []);
});
