/** The walk: which files the index reads, and what it reports and skips instead of failing. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ignore from 'ignore';
import { classifyPath, ignoreLiterals, walkWorkspace } from '../../../../src/sdk/mapping/index/fileWalker';
import { seededRandom } from '../../../../src/sdk/store/seededRandom';

function write(root: string, rel: string, text = '# x\n'): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

describe('walkWorkspace', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'bl-walk-'));
    write(root, 'app/controllers/a_controller.rb');
    write(root, 'app/assets/javascripts/b.ts');
    write(root, 'scripts/c.py');
    write(root, 'README.md', '# not source\n');
    write(root, 'config/graphql_known_operations.yml', 'getX:\n  feature_category: wiki\n');
    write(root, 'config/settings.yml', 'a: 1\n');
    write(root, 'node_modules/pkg/index.js');
    write(root, 'vendor/gems/foo/lib/foo.rb');
    write(root, '.git/hooks/pre-commit.rb');
    write(root, '.gitignore', '/tmp/\n*.generated.rb\n');
    write(root, 'tmp/cache/x.rb');
    write(root, 'app/models/user.generated.rb');
    // A nested .gitignore applies relative to its own directory.
    write(root, 'ee/.gitignore', 'local/\n');
    write(root, 'ee/local/secret.rb');
    write(root, 'ee/app/workers/w.rb');
    write(root, 'excluded/legacy.rb');
    // A directory symlink pointing at its own ancestor: following it would never end.
    symlinkSync(join(root, 'app'), join(root, 'app/controllers/loop'));
    // A file symlink is followed; a dangling one is reported.
    symlinkSync(join(root, 'scripts/c.py'), join(root, 'scripts/alias.py'));
    symlinkSync(join(root, 'does-not-exist.rb'), join(root, 'app/dangling.rb'));
    // Two file symlinks pointing at each other: stat fails with ELOOP.
    symlinkSync(join(root, 'app/loop_b.rb'), join(root, 'app/loop_a.rb'));
    symlinkSync(join(root, 'app/loop_a.rb'), join(root, 'app/loop_b.rb'));
    // A FIFO would block a reader forever: it must be skipped without opening it.
    execFileSync('mkfifo', [join(root, 'app/pipe.rb')]);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('returns source files and the GraphQL operations file, sorted, honouring .gitignore and exclude', async () => {
    const result = await walkWorkspace(root, { exclude: ['excluded/'] });
    assert.deepEqual(
      result.files.map((f) => `${f.kind} ${f.file}`),
      [
        'source app/assets/javascripts/b.ts',
        'source app/controllers/a_controller.rb',
        'graphql config/graphql_known_operations.yml',
        'source ee/app/workers/w.rb',
        'source scripts/alias.py',
        'source scripts/c.py',
      ],
    );
  });

  test('onFiles hands over every walked file exactly once, per directory, before the walk returns', async () => {
    const batches: string[][] = [];
    const result = await walkWorkspace(root, { exclude: ['excluded/'], onFiles: (files) => batches.push(files.map((f) => f.file)) });
    const streamed = batches.flat();
    assert.equal(streamed.length, result.files.length);
    assert.deepEqual([...streamed].sort(), result.files.map((f) => f.file));
    // One batch per directory with files: scripts/ holds c.py and the followed symlink alias.py.
    assert.deepEqual(batches.find((b) => b.some((f) => f.startsWith('scripts/')))?.sort(), ['scripts/alias.py', 'scripts/c.py']);
    assert.ok(batches.every((b) => new Set(b.map((f) => f.slice(0, f.lastIndexOf('/')))).size === 1));
  });

  test('reports the directory symlink loop, dangling and looping file symlinks and the FIFO instead of failing', async () => {
    const result = await walkWorkspace(root, { exclude: ['excluded/'] });
    assert.deepEqual(
      result.findings.map((f) => `${f.file} ${f.code} ${f.severity} ${f.message}`),
      [
        'app/controllers/loop file_skipped info directory symlink not followed',
        'app/dangling.rb file_skipped warning file skipped: unreadable symlink (ENOENT)',
        'app/loop_a.rb file_skipped warning file skipped: unreadable symlink (ELOOP)',
        'app/loop_b.rb file_skipped warning file skipped: unreadable symlink (ELOOP)',
        'app/pipe.rb file_skipped info file skipped: not a regular file (FIFO, socket or device)',
      ],
    );
  });

  test('a configured GraphQL operations path replaces the basename rule', async () => {
    const result = await walkWorkspace(root, { graphqlOperations: 'config/settings.yml', exclude: ['excluded/'] });
    const graphql = result.files.filter((f) => f.kind === 'graphql').map((f) => f.file);
    assert.deepEqual(graphql, ['config/settings.yml']);
  });

  test('a pre-aborted signal rejects with AbortError', async () => {
    await assert.rejects(walkWorkspace(root, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });
});

describe('classifyPath', () => {
  test('source extensions, the GraphQL file, and everything else', () => {
    assert.equal(classifyPath('lib/api/tags.rb'), 'source');
    assert.equal(classifyPath('lib/tasks/gitlab.rake'), 'source');
    assert.equal(classifyPath('app/x.tsx'), 'source');
    assert.equal(classifyPath('config/graphql_known_operations.yml'), 'graphql');
    assert.equal(classifyPath('config/gitlab.yml'), undefined);
    assert.equal(classifyPath('Gemfile'), undefined);
    assert.equal(classifyPath('.rb'), undefined);
  });

  test('edge cases: dots outside the base name, hidden files, case, configured GraphQL path', () => {
    const cases: [string, string | undefined, ReturnType<typeof classifyPath>][] = [
      ['app/.rb', undefined, undefined], // a hidden file named '.rb'
      ['app/x.rb', undefined, 'source'],
      ['x.rb', undefined, 'source'],
      ['lib.rb/README', undefined, undefined], // the dot is in a directory name
      ['lib.rb/x', undefined, undefined],
      ['app/x.RB', undefined, undefined], // extensions are case-sensitive
      ['app/x.rb.orig', undefined, undefined],
      ['app/x.min.js', undefined, 'source'],
      ['app/.eslintrc.js', undefined, 'source'], // the last dot is not the first character
      ['graphql_known_operations.yml', undefined, 'graphql'],
      ['config/xgraphql_known_operations.yml', undefined, undefined],
      ['config/graphql_known_operations.yml', 'other/ops.yml', undefined], // only the configured path
      ['other/ops.yml', 'other/ops.yml', 'graphql'],
      ['other/ops.rb', 'other/ops.yml', 'source'],
    ];
    for (const [file, configured, expected] of cases) assert.equal(classifyPath(file, configured), expected, `${file} (${configured ?? 'default'})`);
  });
});

describe('ignoreLiterals: the quick test in front of the .gitignore rules', () => {
  test('every path a rule set ignores holds one of its literals (generated rules and paths)', () => {
    const r = seededRandom(20261205);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const parts = ['app', 'tmp', 'Log', 'cache', 'a.swp', 'x.LOG', 'config', 'gitlab.yml', 'node', 'spec', 'b.rb', 'foo.bar'];
    const patterns = ['*.log', '*.swp', '/tmp', 'tmp/', '/config/gitlab.yml', 'cache/**', '**/spec', 'app/*/b.rb', '!tmp/keep', 'foo.bar', '/a*', '?.rb', 'x.*', '# c', '', 'LOG  '];
    let ignored = 0;
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: 1 + Math.floor(r() * 5) }, () => pick(patterns)).join('\n');
      const literals = ignoreLiterals(text);
      const rules = ignore().add(text);
      for (let k = 0; k < 40; k++) {
        const path = Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(parts)).join('/') + (r() < 0.3 ? '/' : '');
        if (!rules.ignores(path)) continue;
        ignored++;
        assert.ok(literals === undefined || literals.test(path), `rules ${JSON.stringify(text)} ignore ${path}, literals ${String(literals)} do not match`);
      }
    }
    assert.ok(ignored > 500, `only ${ignored} ignored paths`);
  });

  test('rules it cannot read, or that match everything, leave every path to the rules', () => {
    assert.equal(ignoreLiterals('*\n!.gitignore\n'), undefined);
    assert.equal(ignoreLiterals('foo[ab]\n'), undefined);
    assert.equal(ignoreLiterals('\\#not-a-comment\n'), undefined);
    assert.equal(ignoreLiterals(' lead\n'), undefined);
    assert.equal(ignoreLiterals('# only a comment\n\n')?.test('anything'), false);
    assert.equal(ignoreLiterals('/config/gitlab.yml\n*.log\n')?.source, 'config\\/gitlab\\.yml|\\.log');
  });
});
