/**
 * The `.budgetlens.yml` template the editor writes (src/sdk/project/configTemplate.ts): it must
 * parse with the real config loader and change nothing until a line is uncommented.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configTemplate } from '../../../src/sdk/project/configTemplate';
import { parseProjectConfig } from '../../../src/sdk/config/projectConfig';

test('the template parses and means the defaults: no catalog (the bundled one applies), 99.95, 28 d', () => {
  const text = configTemplate();
  const c = parseProjectConfig(text, '/ws/.budgetlens.yml');
  assert.equal(c.catalog.stagesPath, undefined);
  assert.equal(c.defaultTarget, '99.95');
  // 28 d = 40320 minutes.
  assert.equal(c.window.minutes, 40320);
  assert.deepEqual(c.mapping.pathRules, []);
  assert.equal(c.backend, undefined);
  assert.match(text, /GitLab catalog snapshot 2025-04-04/);
});

test('with a picked stages.yml the catalog is written, and resolved against the file', () => {
  const c = parseProjectConfig(configTemplate('/catalogs/my stages.yml'), '/ws/.budgetlens.yml');
  assert.equal(c.catalog.stagesPath, '/catalogs/my stages.yml');
});
