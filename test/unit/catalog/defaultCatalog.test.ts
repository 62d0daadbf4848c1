/**
 * The default catalog (src/sdk/catalog/defaultCatalog.ts): where the bundled snapshot is found in
 * each layout, which catalog wins (catalog directory > `.budgetlens.yml` catalog: > bundled, a
 * GitLab checkout's own config/feature_categories.yml for the valid categories), and the
 * tolerant reading of a stages.yml in the handbook website's layout (fixture written for this
 * test: test/fixtures/catalog/handbook/stages.yml).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after } from 'node:test';
import { ignoredFieldsNote, loadCatalog, parseCatalog } from '../../../src/sdk/catalog/catalogParser';
import {
  DEFAULT_CATALOG_NAME,
  DEFAULT_CATALOG_SNAPSHOT,
  MissingCatalogError,
  findDefaultCatalogDir,
  findGitLabCheckout,
  resolveCatalog,
} from '../../../src/sdk/catalog/defaultCatalog';
import { InputError } from '../../../src/sdk/contract/errors';
import { openWorkspace } from '../../../src/sdk/mapping/index/openWorkspace';

const REPO = resolve(__dirname, '../../..');
const BUNDLED = join(REPO, 'catalog/gitlab');
const HANDBOOK = join(REPO, 'test/fixtures/catalog/handbook/stages.yml');

const scratch = mkdtempSync(join(tmpdir(), 'bl-default-catalog-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
function folder(files: Record<string, string> = {}): string {
  const dir = join(scratch, `ws${n++}`);
  mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

describe('a stages.yml in the handbook website layout (many fields Budget Lens does not read)', () => {
  const c = parseCatalog(readFileSync(HANDBOOK, 'utf8'), HANDBOOK);

  test('groups, categories and stages come through; groups without categories have none', () => {
    assert.deepEqual([...c.groups.keys()], ['project_management', 'knowledge', 'source_code', 'code_review']);
    assert.deepEqual(c.categoriesOf('project_management'), ['team_planning', 'service_desk']);
    // `knowledge` has no categories key at all, `code_review` an empty one: both own nothing.
    assert.deepEqual(c.categoriesOf('knowledge'), []);
    assert.deepEqual(c.categoriesOf('code_review'), []);
    const g = c.groupOf('team_planning');
    assert.deepEqual([g.key, g.name, g.stage, g.stageDisplayName], ['project_management', 'Project Management', 'plan', 'Plan']);
    assert.equal(c.groupOf('source_code_management').stageDisplayName, 'Create');
    assert.equal(c.categories.size, 3);
    assert.deepEqual(c.warnings, []);
  });

  test('the unread fields are collected per level and named in one note', () => {
    // Stage keys besides display_name/groups, over plan, create and data_stores (12):
    // body description established horizon image lifecycle marketing pm related section slack tw.
    assert.deepEqual(c.ignoredFields.stage, ['body', 'description', 'established', 'horizon', 'image', 'lifecycle', 'marketing', 'pm', 'related', 'section', 'slack', 'tw']);
    // Group keys besides name/categories (12): be cs em fe focus gitlab_group label pdm pm slack tech_writer ux.
    assert.deepEqual(c.ignoredFields.group, ['be', 'cs', 'em', 'fe', 'focus', 'gitlab_group', 'label', 'pdm', 'pm', 'slack', 'tech_writer', 'ux']);
    assert.deepEqual(c.ignoredFields.top, []);
    // 12 + 12 = 24 fields in one line.
    assert.equal(
      ignoredFieldsNote('stages.yml', c.ignoredFields),
      'stages.yml: 24 fields Budget Lens does not use were ignored (stage: body, description, established, horizon, image, lifecycle, marketing, pm, related, section, slack, tw; group: be, cs, em, fe, focus, gitlab_group, label, pdm, pm, slack, tech_writer, ux)',
    );
  });

  test('the bundled snapshot has no unread field, so no note', async () => {
    const bundled = await loadCatalog({ stagesPath: join(BUNDLED, 'stages.yml') });
    assert.equal(ignoredFieldsNote('stages.yml', bundled.ignoredFields), undefined);
  });

  test('an unknown top-level key is ignored too; a known key of the wrong type is still an error at its line', () => {
    const extra = parseCatalog('version: 3\nstages:\n  plan:\n    groups:\n      pm:\n        name: PM\n', 's.yml');
    assert.deepEqual(extra.ignoredFields.top, ['version']);
    // "    display_name: " is 18 characters: the number is at line 3, column 19.
    assert.throws(
      () => parseCatalog('stages:\n  plan:\n    display_name: 7\n', 's.yml'),
      (e: unknown) => InputError.is(e) && e.message.startsWith('s.yml:3:19: ') && /display_name: must be a string/.test(e.message),
    );
  });
});

describe('finding the bundled snapshot', () => {
  test('from the sources (src/sdk/catalog under tsx): the repository catalog/gitlab', () => {
    assert.equal(findDefaultCatalogDir(join(REPO, 'src/sdk/catalog')), BUNDLED);
    // The default is the module's own folder, which is that one here.
    assert.equal(findDefaultCatalogDir(), BUNDLED);
  });

  test('from a bundle in dist/ (the .vsix and an installed CLI): ../catalog/gitlab', () => {
    const pkg = folder({ 'dist/cli.js': '', 'catalog/gitlab/stages.yml': 'stages: {}\n' });
    assert.equal(findDefaultCatalogDir(join(pkg, 'dist')), join(pkg, 'catalog/gitlab'));
  });

  test('nowhere near one: undefined, and resolveCatalog says what to do', async () => {
    const lone = folder({ 'dist/cli.js': '' });
    assert.equal(findDefaultCatalogDir(join(lone, 'dist')), undefined);
    await assert.rejects(resolveCatalog({ root: lone, defaultDir: join(lone, 'nothing') }), (e: unknown) => {
      // A defaultDir without stages.yml cannot load: the read error names the file.
      assert.ok(InputError.is(e), String(e));
      assert.ok(e.message.startsWith(join(lone, 'nothing/stages.yml')), e.message);
      return true;
    });
    assert.ok(new MissingCatalogError('x') instanceof Error);
  });
});

describe('which catalog a workspace uses', () => {
  const handbookDir = join(REPO, 'test/fixtures/catalog/handbook');

  test('nothing configured: the bundled snapshot, with its date in the label', async () => {
    const root = folder({ 'app/a.rb': '' });
    const { catalog, origin } = await resolveCatalog({ root });
    assert.equal(origin.kind, 'bundled');
    assert.equal(origin.label, `GitLab catalog snapshot ${DEFAULT_CATALOG_SNAPSHOT.date} (runbooks 8df1fb73), bundled`);
    assert.equal(DEFAULT_CATALOG_NAME, 'GitLab catalog snapshot 2025-04-04 (runbooks 8df1fb73)');
    assert.equal(origin.featureCategoriesPath, join(BUNDLED, 'feature_categories.yml'));
    assert.equal(catalog.groups.size, 81);
    assert.equal(catalog.groupOf('team_planning').name, 'Project Management');
  });

  test('.budgetlens.yml with catalog: wins over the bundled one', async () => {
    const root = folder({ '.budgetlens.yml': `catalog:\n  stages: ${HANDBOOK}\n` });
    const ws = await openWorkspace({ root, ripgrep: false });
    try {
      assert.equal(ws.catalogOrigin.kind, 'config');
      assert.equal(ws.catalogOrigin.label, `${HANDBOOK} (.budgetlens.yml)`);
      assert.equal(ws.catalog.groups.size, 4);
    } finally {
      ws.index.dispose();
    }
  });

  test('a .budgetlens.yml without catalog: still gets the bundled one (and its other settings)', async () => {
    const root = folder({ '.budgetlens.yml': 'defaultTarget: "99.90"\n' });
    const { catalog, origin } = await resolveCatalog({ root, config: (await openWorkspace({ root, ripgrep: false })).config });
    assert.equal(origin.kind, 'bundled');
    assert.equal(catalog.targetOf('project_management'), '99.90');
  });

  test('a catalog directory (budgetLens.catalogPath, --catalog) wins over the config', async () => {
    const root = folder({ '.budgetlens.yml': `catalog:\n  stages: ${join(BUNDLED, 'stages.yml')}\n` });
    const ws = await openWorkspace({ root, catalogDir: handbookDir, catalogDirSource: 'budgetLens.catalogPath', ripgrep: false });
    try {
      assert.equal(ws.catalogOrigin.kind, 'directory');
      assert.equal(ws.catalogOrigin.label, `${handbookDir} (budgetLens.catalogPath)`);
      assert.equal(ws.catalog.groups.size, 4);
    } finally {
      ws.index.dispose();
    }
  });

  test('a catalog directory without stages.yml is an error naming the file and the setting', async () => {
    const root = folder();
    await assert.rejects(resolveCatalog({ root, catalogDir: scratch, catalogDirSource: 'budgetLens.catalogPath' }), (e: unknown) => {
      assert.ok(InputError.is(e), String(e));
      assert.equal(e.message, `${join(scratch, 'stages.yml')}:1:1: no stages.yml in the catalog directory ${scratch} (budgetLens.catalogPath)`);
      return true;
    });
  });

  test("a GitLab checkout: its own config/feature_categories.yml gives the valid categories, the snapshot the groups", async () => {
    // A checkout newer than the snapshot: one category the snapshot lacks (brand_new_thing), and
    // it no longer lists most of the snapshot's (only 2 of its 139 are kept here).
    const root = folder({
      'config/feature_categories.yml': '# generated from stages.yml\n---\n- brand_new_thing\n- service_desk\n- team_planning\n',
      'app/controllers/x_controller.rb': '',
    });
    const { catalog, origin } = await resolveCatalog({ root: join(root, 'app') });
    assert.equal(origin.kind, 'bundled');
    assert.equal(origin.checkoutCategories, true);
    assert.equal(origin.featureCategoriesPath, join(root, 'config/feature_categories.yml'));
    assert.match(origin.label, /^GitLab catalog snapshot 2025-04-04 \(runbooks 8df1fb73\), bundled; valid categories from this checkout's config\/feature_categories\.yml$/);
    assert.deepEqual([...catalog.knownCategories].sort(), ['brand_new_thing', 'service_desk', 'team_planning']);
    assert.ok(catalog.isValidCategory('brand_new_thing'));
    // Groups still come from the snapshot: 81 of them, team_planning in Project Management.
    assert.equal(catalog.groups.size, 81);
    assert.equal(catalog.groupOf('team_planning').key, 'project_management');
  });

  test('the search stops at the repository the project is in: a checkout above its .git is not its checkout', async () => {
    // A repository cloned inside a GitLab checkout (say /tmp/gitlab/vendor/tool): its .git ends the search.
    const outer = folder({ 'config/feature_categories.yml': '---\n- brand_new_thing\n', 'vendor/tool/.git/HEAD': 'ref: refs/heads/main\n', 'vendor/tool/app/x.rb': '' });
    assert.equal(findGitLabCheckout(join(outer, 'vendor/tool/app')), undefined);
    const { origin } = await resolveCatalog({ root: join(outer, 'vendor/tool') });
    assert.equal(origin.checkoutCategories, false);
    // Without the .git the same folder is inside the checkout.
    const plain = folder({ 'config/feature_categories.yml': '---\n- brand_new_thing\n', 'vendor/tool/app/x.rb': '' });
    assert.equal(findGitLabCheckout(join(plain, 'vendor/tool/app')), plain);
    // The checkout's own .git does not hide its config (the search reaches it first).
    const checkout = folder({ '.git/HEAD': 'ref: refs/heads/master\n', 'config/feature_categories.yml': '---\n- x\n', 'app/y.rb': '' });
    assert.equal(findGitLabCheckout(join(checkout, 'app')), checkout);
  });

  test('the checkout list is read from a copy of a real-layout file too (comments, ---)', async () => {
    const root = folder();
    mkdirSync(join(root, 'config'));
    copyFileSync(join(BUNDLED, 'feature_categories.yml'), join(root, 'config/feature_categories.yml'));
    const { catalog } = await resolveCatalog({ root });
    assert.equal(catalog.knownCategories.size, 139);
    assert.deepEqual(catalog.warnings, []);
  });
});

describe('the packaged .vsix layout ships the snapshot', () => {
  test('.vscodeignore keeps catalog/gitlab/*.yml, and from that layout dist/ finds them', async () => {
    // scripts/packaged-layout.mjs applies .vscodeignore the way vsce does.
    const script = pathToFileURL(join(REPO, 'scripts/packaged-layout.mjs')).href;
    const { packagedFiles } = (await import(script)) as { packagedFiles(): string[] };
    const files = packagedFiles();
    assert.ok(files.includes('catalog/gitlab/stages.yml'), files.join(', '));
    assert.ok(files.includes('catalog/gitlab/feature_categories.yml'), files.join(', '));
    assert.ok(!files.includes('catalog/gitlab/README.md'));
    const pkg = folder();
    for (const f of files.filter((x) => x.startsWith('catalog/'))) {
      mkdirSync(join(pkg, f, '..'), { recursive: true });
      copyFileSync(join(REPO, f), join(pkg, f));
    }
    mkdirSync(join(pkg, 'dist'));
    assert.equal(findDefaultCatalogDir(join(pkg, 'dist')), join(pkg, 'catalog/gitlab'));
    const { catalog } = await resolveCatalog({ root: folder(), defaultDir: findDefaultCatalogDir(join(pkg, 'dist')) });
    assert.equal(catalog.groups.size, 81);
  });
});
