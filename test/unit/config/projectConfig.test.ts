import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../../src/sdk/contract/errors';
import { checkProjectConfig, loadProjectConfig, parseProjectConfig, parseWindowLabel } from '../../../src/sdk/config/projectConfig';
import { projectConfigSchema } from '../../../src/sdk/config/projectConfigSchema';

const FILE = '/ws/.budgetlens.yml';

/** The first error's message for a config text (asserting there is one). */
function firstError(text: string): string {
  const { errors } = checkProjectConfig(text, FILE);
  assert.ok(errors.length > 0, `expected an error for:\n${text}`);
  return errors[0]!.message;
}

describe('parseProjectConfig: defaults', () => {
  test('an empty file gives every default', () => {
    const c = parseProjectConfig('', FILE);
    assert.equal(c.defaultTarget, '99.95');
    // 28 d = 28 * 1440 = 40320 minutes (domain.md F3).
    assert.deepEqual(c.window, { label: '28d', minutes: 40320 });
    assert.equal(c.mapping.grapeMountPrefix, '/api/:version');
    assert.deepEqual(c.mapping.pathRules, []);
    assert.deepEqual(c.mapping.exclude, []);
    assert.equal(c.mapping.graphqlOperationsPath, undefined);
    assert.deepEqual(c.groups, {});
    assert.equal(c.backend, undefined);
    assert.deepEqual(c.catalog, { stagesPath: undefined, featureCategoriesPath: undefined });
    assert.equal(c.root, '/ws');
  });

  test('a prometheus backend gets mode recording_rules, no selectors and no prefix by default', () => {
    const c = parseProjectConfig('backend:\n  kind: prometheus\n  url: http://localhost:9090\n', FILE);
    assert.deepEqual(c.backend, { kind: 'prometheus', url: 'http://localhost:9090', mode: 'recording_rules', selectors: {}, metricPrefix: '' });
  });

  test('window labels convert to minutes', () => {
    assert.equal(parseWindowLabel('7d')?.minutes, 10080);
    assert.equal(parseWindowLabel('1h')?.minutes, 60);
    assert.equal(parseWindowLabel('4w')?.minutes, 40320);
    assert.equal(parseWindowLabel('30m')?.minutes, 30);
    assert.equal(parseWindowLabel('0d'), undefined);
  });
});

describe('parseProjectConfig: every key', () => {
  const docsExample = (): string => {
    // The full example of docs/config.md must stay valid: parse it from the doc itself.
    const md = readFileSync(path.join(__dirname, '../../../docs/config.md'), 'utf8');
    const m = /## Full example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(md);
    assert.ok(m, 'docs/config.md has a full example');
    return m[1]!;
  };

  test('the docs/config.md full example parses to the documented values', () => {
    const c = parseProjectConfig(docsExample(), FILE);
    assert.equal(c.catalog.stagesPath, '/ws/gitlab/stages.yml');
    assert.equal(c.catalog.featureCategoriesPath, '/ws/gitlab/feature_categories.yml');
    assert.equal(c.defaultTarget, '99.95');
    assert.deepEqual(c.window, { label: '28d', minutes: 40320 });
    assert.deepEqual(c.groups.project_management, {
      ignoredComponents: ['graphql_query'],
      customTarget: { target: '99.80', reason: 'Issue board queries are being moved to a new index', reviewDate: '2026-12-31' },
    });
    assert.deepEqual(c.groups.not_owned, { ignoredComponents: ['sidekiq_execution'] });
    assert.deepEqual(c.mapping.pathRules, [
      { pattern: '*.rb', category: 'not_owned' },
      { pattern: '/app/models/issue*.rb', category: 'team_planning' },
      { pattern: '/lib/gitlab/git/', category: 'source_code_management' },
    ]);
    assert.equal(c.mapping.grapeMountPrefix, '/api/:version');
    assert.deepEqual(c.mapping.exclude, ['vendor/', '*.min.js']);
    assert.equal(c.mapping.graphqlOperationsPath, '/ws/config/graphql_known_operations.yml');
    assert.deepEqual(c.backend, {
      kind: 'prometheus',
      url: 'https://prometheus.example.com',
      mode: 'recording_rules',
      selectors: { environment: 'gprd', stage: 'main', monitor: 'global' },
      metricPrefix: '',
    });
  });

  test('locations point at group keys and path-rule categories', () => {
    const c = parseProjectConfig(docsExample(), FILE);
    // In the example, line 9 is "groups:", line 10 "  project_management:" (key at column 3).
    assert.deepEqual(c.locations.groups.project_management, { file: FILE, line: 10, column: 3 });
    // "      category: not_owned" is line 22; the value starts at column 17.
    assert.deepEqual(c.locations.pathRuleCategories[0], { file: FILE, line: 22, column: 17 });
  });

  test('store and api backends; store paths resolve against the config directory', () => {
    assert.deepEqual(parseProjectConfig('backend: { kind: store, path: .budgetlens/budget.db }\n', FILE).backend, {
      kind: 'store',
      path: '/ws/.budgetlens/budget.db',
    });
    assert.deepEqual(parseProjectConfig('backend: { kind: api, url: "http://127.0.0.1:7878" }\n', FILE).backend, {
      kind: 'api',
      url: 'http://127.0.0.1:7878',
    });
  });

  test('prometheus raw mode with a metric prefix', () => {
    const c = parseProjectConfig('backend:\n  kind: prometheus\n  url: http://p:9090/prom\n  mode: raw\n  metricPrefix: myapp_\n', FILE);
    assert.deepEqual(c.backend, { kind: 'prometheus', url: 'http://p:9090/prom', mode: 'raw', selectors: {}, metricPrefix: 'myapp_' });
  });

  test('a custom target may end by traffic share too (expiresWhen.trafficShareAbove, its text kept)', () => {
    const c = parseProjectConfig('groups:\n  ts:\n    customTarget: {target: 99.80, reason: r, reviewDate: 2025-01-31, expiresWhen: {trafficShareAbove: 5.0}}\n', FILE);
    assert.deepEqual(c.groups.ts?.customTarget, { target: '99.80', reason: 'r', reviewDate: '2025-01-31', expiresWhen: { trafficShareAbove: '5.0' } });
  });

  test('a target written as a YAML number keeps its decimal text', () => {
    // YAML reads 99.80 as the float 99.8; the config keeps what was written.
    const c = parseProjectConfig('defaultTarget: 99.90\ngroups:\n  g:\n    customTarget: {target: 99.80, reason: r, reviewDate: 2027-01-31}\n', FILE);
    assert.equal(c.defaultTarget, '99.90');
    assert.equal(c.groups.g?.customTarget?.target, '99.80');
  });
});

describe('parseProjectConfig: validation errors carry file:line:col', () => {
  const cases: Array<[string, string, string]> = [
    // [config text, expected location, expected message fragment]
    ['foo: 1\n', '/ws/.budgetlens.yml:1:1', 'unknown key "foo" at the top level'],
    ['catalog:\n  stage: s.yml\n', '/ws/.budgetlens.yml:2:3', 'unknown key "stage" in catalog (expected one of: stages, featureCategories, history)'],
    ['defaultTarget: "100"\n', '/ws/.budgetlens.yml:1:16', 'defaultTarget: the string "100" is not valid'],
    ['defaultTarget: 99.9.5\n', '/ws/.budgetlens.yml:1:16', 'defaultTarget: the string "99.9.5" is not valid'],
    ['defaultTarget: 100\n', '/ws/.budgetlens.yml:1:16', 'defaultTarget: "100" is not valid'],
    ['defaultTarget: [1]\n', '/ws/.budgetlens.yml:1:16', 'defaultTarget: must be a string or number, got a list'],
    ['window: 28 days\n', '/ws/.budgetlens.yml:1:9', 'window: the string "28 days" is not valid'],
    ['groups:\n  pm:\n    ignoredComponent: [x]\n', '/ws/.budgetlens.yml:3:5', 'unknown key "ignoredComponent" in groups.pm'],
    ['groups:\n  pm:\n    ignoredComponents: graphql_query\n', '/ws/.budgetlens.yml:3:24', 'groups.pm.ignoredComponents: must be a list'],
    ['groups:\n  pm:\n    customTarget:\n      target: "99.8"\n      reason: r\n', '/ws/.budgetlens.yml:4:7', 'groups.pm.customTarget: missing required key "reviewDate"'],
    // `    customTarget: {target: "99.8", reason: r, reviewDate: ` is 58 characters: the date is at column 59.
    ['groups:\n  pm:\n    customTarget: {target: "99.8", reason: r, reviewDate: 2026-02-30}\n', '/ws/.budgetlens.yml:3:59', '"2026-02-30" is not a calendar date'],
    ['groups:\n  pm:\n    customTarget: {target: "99.8", reason: r, reviewDate: 31.12.2026}\n', '/ws/.budgetlens.yml:3:59', 'reviewDate: the string "31.12.2026" is not valid'],
    // `    customTarget: {target: "99.8", reason: r, reviewDate: 2026-12-31, expiresWhen: {trafficShareAbove: ` is 103 characters;
    // without `{trafficShareAbove: ` 83.
    ['groups:\n  pm:\n    customTarget: {target: "99.8", reason: r, reviewDate: 2026-12-31, expiresWhen: {trafficShareAbove: 150}}\n', '/ws/.budgetlens.yml:3:104', 'groups.pm.customTarget.expiresWhen.trafficShareAbove: "150" is not valid'],
    ['groups:\n  pm:\n    customTarget: {target: "99.8", reason: r, reviewDate: 2026-12-31, expiresWhen: {share: 5}}\n', '/ws/.budgetlens.yml:3:84', 'groups.pm.customTarget.expiresWhen: missing required key "trafficShareAbove"'],
    ['mapping:\n  pathRules:\n    - pattern: "*.rb"\n', '/ws/.budgetlens.yml:3:7', 'mapping.pathRules[0]: missing required key "category"'],
    ['mapping:\n  pathRules:\n    - { pattern: "*.rb", category: Team Planning }\n', '/ws/.budgetlens.yml:3:36', 'mapping.pathRules[0].category: the string "Team Planning" is not valid'],
    ['mapping:\n  grapeMountPrefix: api\n', '/ws/.budgetlens.yml:2:21', 'mapping.grapeMountPrefix'],
    ['mapping:\n  exclude: vendor/\n', '/ws/.budgetlens.yml:2:12', 'mapping.exclude: must be a list'],
    ['backend:\n  kind: influx\n', '/ws/.budgetlens.yml:2:9', 'backend.kind: must be one of store, prometheus, api'],
    ['backend:\n  url: http://x\n', '/ws/.budgetlens.yml:2:3', 'backend: missing required key "kind"'],
    ['backend:\n  kind: store\n', '/ws/.budgetlens.yml:2:3', 'backend: missing required key "path"'],
    ['backend:\n  kind: prometheus\n  url: ftp://x\n', '/ws/.budgetlens.yml:3:8', 'backend.url'],
    ['backend:\n  kind: prometheus\n  url: http://x\n  mode: fast\n', '/ws/.budgetlens.yml:4:9', 'backend.mode: must be one of recording_rules, raw'],
    // `  selectors: {environment: ` is 27 characters: the list starts at column 28.
    ['backend:\n  kind: prometheus\n  url: http://x\n  selectors: {environment: [gprd]}\n', '/ws/.budgetlens.yml:4:28', 'backend.selectors.environment: must be a string'],
    ['backend:\n  kind: prometheus\n  url: http://x\n  selectors:\n    env-name: gprd\n', '/ws/.budgetlens.yml:5:5', 'backend.selectors: key "env-name" is not valid: a Prometheus label name'],
    ['backend:\n  kind: api\n  url: http://x\n  mode: raw\n', '/ws/.budgetlens.yml:4:3', 'unknown key "mode" in backend (expected one of: kind, url)'],
    ['- a\n', '/ws/.budgetlens.yml:1:1', '(document): must be a mapping, got a list'],
    ['window: 7d\nwindow: 28d\n', '/ws/.budgetlens.yml:2:1', 'invalid YAML: Map keys must be unique'],
    ['groups:\n\tpm: {}\n', '/ws/.budgetlens.yml:2:1', 'invalid YAML: Tabs are not allowed as indentation'],
  ];
  for (const [text, at, fragment] of cases) {
    test(`${JSON.stringify(text)} -> ${at}`, () => {
      const msg = firstError(text);
      assert.ok(msg.startsWith(`${at}: `), `location: ${msg}`);
      assert.ok(msg.includes(fragment), `message: ${msg}`);
    });
  }

  test('an alias bomb is an InputError, not a hang or a crash', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]', ''].join('\n');
    assert.ok(firstError(bomb).startsWith('/ws/.budgetlens.yml:1:1: invalid YAML: Excessive alias count'));
  });

  test('parseProjectConfig throws an InputError with the location', () => {
    assert.throws(
      () => parseProjectConfig('catalog:\n  stages: 5\n', FILE),
      (e: unknown) => InputError.is(e) && e.location.line === 2 && e.location.column === 11 && e.message.includes('catalog.stages: must be a string'),
    );
  });

  test('checkProjectConfig reports every error, in source order', () => {
    const { errors, config } = checkProjectConfig('window: x\nfoo: 1\nbackend: {kind: api}\n', FILE);
    assert.equal(config, undefined);
    assert.deepEqual(
      errors.map((e) => `${e.location.line}:${e.location.column}`),
      ['1:9', '2:1', '3:10'],
    );
  });
});

describe('parseProjectConfig: no credentials', () => {
  test('a token key is refused with a message saying where tokens go', () => {
    const msg = firstError('backend:\n  kind: api\n  url: http://x\n  token: glpat-123\n');
    assert.ok(msg.startsWith('/ws/.budgetlens.yml:4:3: "token" is not allowed'), msg);
    assert.ok(msg.includes('SecretStorage'), msg);
    assert.ok(msg.includes('BUDGET_LENS_TOKEN'), msg);
    // Said once, not again as an "unknown key".
    assert.equal(checkProjectConfig('backend:\n  kind: api\n  url: http://x\n  token: glpat-123\n', FILE).errors.length, 1);
  });

  test('other credential-looking keys anywhere are refused too', () => {
    assert.ok(firstError('backend:\n  kind: prometheus\n  url: http://x\n  password: p\n').startsWith('/ws/.budgetlens.yml:4:3: "password" is not allowed'));
    assert.ok(firstError('apiKey: k\n').startsWith('/ws/.budgetlens.yml:1:1: "apiKey" is not allowed'));
  });

  test('a URL with user:password is refused', () => {
    const msg = firstError('backend:\n  kind: prometheus\n  url: https://user:secret@prom.example.com\n');
    assert.ok(msg.startsWith('/ws/.budgetlens.yml:3:8: backend.url'), msg);
    assert.ok(msg.includes('without credentials'), msg);
  });
});

describe('loadProjectConfig', () => {
  test('reads from disk and resolves paths against the file directory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'budgetlens-config-'));
    const file = path.join(dir, '.budgetlens.yml');
    writeFileSync(file, 'catalog:\n  stages: gitlab/stages.yml\n');
    const c = await loadProjectConfig(file);
    assert.equal(c.catalog.stagesPath, path.join(dir, 'gitlab/stages.yml'));
    assert.equal(c.file, file);
  });

  test('a missing file is an InputError naming it', async () => {
    const file = path.join(tmpdir(), 'budgetlens-no-such-dir', '.budgetlens.yml');
    await assert.rejects(loadProjectConfig(file), (e: unknown) => InputError.is(e) && e.message.startsWith(`${file}:1:1: cannot read config`));
  });
});

describe('projectConfigSchema', () => {
  test('is plain JSON (so it can be written out for yamlValidation)', () => {
    const roundTrip: unknown = JSON.parse(JSON.stringify(projectConfigSchema));
    assert.deepEqual(roundTrip, projectConfigSchema);
    assert.equal(projectConfigSchema.additionalProperties, false);
  });
});
