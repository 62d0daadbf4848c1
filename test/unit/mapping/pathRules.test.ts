import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { codeownersGlobs, compileGlobList, compilePathRules, normaliseWorkspacePath } from '../../../src/sdk/mapping/pathRules';

/** Category of `file` under a single rule `pattern` (or undefined). */
const one = (pattern: string, file: string): string | undefined => compilePathRules([{ pattern, category: 'x' }]).categoryFor(file);

describe('CODEOWNERS pattern semantics', () => {
  const cases: Array<[string, string, boolean]> = [
    // No '/': any depth.
    ['*.rb', 'app.rb', true],
    ['*.rb', 'app/models/issue.rb', true],
    ['*.rb', 'app/models/issue.rbx', false],
    ['docs', 'docs', true],
    ['docs', 'docs/readme.md', true],
    ['docs', 'guide/docs/a/b.md', true],
    ['docs', 'mydocs/a.md', false],
    // Trailing '/': a directory's contents, at any depth when nothing else anchors it.
    ['models/', 'app/models/issue.rb', true],
    ['models/', 'models/issue.rb', true],
    ['models/', 'models', false],
    // Leading '/': anchored at the root.
    ['/app/models/', 'app/models/issue.rb', true],
    ['/app/models/', 'app/models/concerns/a.rb', true],
    ['/app/models/', 'ee/app/models/issue.rb', false],
    ['/README.md', 'README.md', true],
    ['/README.md', 'doc/README.md', false],
    // An inner '/' anchors too.
    ['app/models/*.rb', 'app/models/issue.rb', true],
    ['app/models/*.rb', 'ee/app/models/issue.rb', false],
    ['app/models/*.rb', 'app/models/concerns/a.rb', false],
    // A literal last segment is a file or a directory.
    ['/apps/github', 'apps/github', true],
    ['/apps/github', 'apps/github/x.rb', true],
    ['/apps/github', 'apps/githubx/x.rb', false],
    // docs/* is one level only (GitHub's documented example).
    ['docs/*', 'docs/getting-started.md', true],
    ['docs/*', 'docs/build-app/troubleshooting.md', false],
    ['**/issues/**', 'app/services/issues/create.rb', true],
    // Dotfiles are ordinary files.
    ['.gitlab/', '.gitlab/ci/rules.yml', true],
    ['*.yml', '.gitlab-ci.yml', true],
  ];
  for (const [pattern, file, expected] of cases) {
    test(`${pattern} ${expected ? 'matches' : 'does not match'} ${file}`, () => {
      assert.equal(one(pattern, file), expected ? 'x' : undefined);
    });
  }

  test('translation to picomatch globs', () => {
    assert.deepEqual(codeownersGlobs('*.rb'), ['**/*.rb']);
    assert.deepEqual(codeownersGlobs('/app/models/'), ['app/models/**/*']);
    assert.deepEqual(codeownersGlobs('lib'), ['**/lib', '**/lib/**/*']);
    assert.deepEqual(codeownersGlobs('docs/*'), ['docs/*']);
  });
});

describe('last match wins', () => {
  const m = compilePathRules([
    { pattern: '*', category: 'not_owned' },
    { pattern: '/app/', category: 'team_planning' },
    { pattern: '/app/models/merge_request*.rb', category: 'code_review_workflow' },
    { pattern: '*.md', category: 'documentation' },
  ]);
  test('the later, more specific rule wins', () => {
    assert.equal(m.categoryFor('app/models/merge_request.rb'), 'code_review_workflow');
    assert.equal(m.categoryFor('app/models/issue.rb'), 'team_planning');
    assert.equal(m.categoryFor('lib/tasks/x.rake'), 'not_owned');
  });
  test('a later general rule beats an earlier specific one (order, not specificity)', () => {
    assert.equal(m.categoryFor('app/models/merge_request_readme.md'), 'documentation');
  });
  test('match reports the winning rule and its index', () => {
    assert.deepEqual(m.match('app/x.rb'), { category: 'team_planning', rule: { pattern: '/app/', category: 'team_planning' }, index: 1 });
  });
  test('order holds across top-level directories and unanchored rules', () => {
    const r = compilePathRules([
      { pattern: '/ap*', category: 'z' },
      { pattern: '/app/', category: 'a' },
      { pattern: '*.rb', category: 'b' },
      { pattern: '/app/models/', category: 'c' },
      { pattern: '/app/**/*.rb', category: 'd' },
      { pattern: '/lib/', category: 'e' },
    ]);
    assert.equal(r.categoryFor('app/models/x.rb'), 'd');
    assert.equal(r.categoryFor('app/models/x.js'), 'c');
    assert.equal(r.categoryFor('lib/x.rb'), 'e');
    assert.equal(r.categoryFor('vendor/x.rb'), 'b');
    assert.equal(r.categoryFor('x.rb'), 'b');
    // A wildcard last segment matches at its level only (CODEOWNERS `docs/*`): the root file
    // "apple", not the contents of a directory "apple".
    assert.equal(r.categoryFor('apple'), 'z');
    assert.equal(r.categoryFor('apple/y.js'), undefined);
    const s = compilePathRules([
      { pattern: '/app/', category: 'a' },
      { pattern: '*.rb', category: 'b' },
      { pattern: '/app/models/', category: 'c' },
    ]);
    assert.equal(s.categoryFor('app/models/x.js'), 'c');
    assert.equal(s.categoryFor('app/x.rb'), 'b'); // the later unanchored rule beats the earlier /app/
    assert.equal(s.categoryFor('app/x.js'), 'a');
  });

  test('no rule: undefined', () => {
    assert.equal(compilePathRules([{ pattern: '/app/', category: 'a' }]).categoryFor('lib/x.rb'), undefined);
    assert.equal(compilePathRules([]).categoryFor('lib/x.rb'), undefined);
  });
});

describe('agrees with a plain last-match loop over picomatch', () => {
  test('300 mixed rules x 2,000 paths', () => {
    // Deterministic pseudo-random rules and paths (LCG), so a failure reproduces.
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const dirs = ['app', 'ee', 'lib', 'spec', 'app/models', 'app/services', 'ee/app/models', 'lib/gitlab', 'lib/gitlab/git'];
    const names = ['issue', 'merge_request', 'project', 'user', 'pipeline'];
    const exts = ['rb', 'js', 'ts', 'yml'];
    const shapes = [
      (): string => `/${dirs[rnd(dirs.length)]}/`,
      (): string => `*.${exts[rnd(exts.length)]}`,
      (): string => `/${dirs[rnd(dirs.length)]}/${names[rnd(names.length)]}*`,
      (): string => `${names[rnd(names.length)]}`,
      (): string => `${dirs[rnd(dirs.length)]}/**/*_${names[rnd(names.length)]}.rb`,
      (): string => `/${dirs[rnd(dirs.length)]}/*.${exts[rnd(exts.length)]}`,
    ];
    const rules = Array.from({ length: 300 }, (_v, i) => ({ pattern: shapes[rnd(shapes.length)]!(), category: `c${i}` }));
    const paths = Array.from({ length: 2000 }, () => {
      const sub = rnd(3) === 0 ? `/${names[rnd(names.length)]}` : '';
      // One path in five is under docs/ with a .md extension, which few rules can match.
      if (rnd(5) === 0) return `docs/${rnd(2) ? 'x_' : ''}${names[rnd(names.length)]}.md`;
      return `${dirs[rnd(dirs.length)]}${sub}/${rnd(2) ? 'x_' : ''}${names[rnd(names.length)]}.${exts[rnd(exts.length)]}`;
    });
    const reference = rules.map((r) => picomatch(codeownersGlobs(r.pattern), { dot: true }));
    const matcher = compilePathRules(rules);
    let matched = 0;
    for (const p of paths) {
      let expected: string | undefined;
      for (let i = rules.length - 1; i >= 0; i--) {
        if (reference[i]!(p)) {
          expected = rules[i]!.category;
          break;
        }
      }
      if (expected) matched++;
      assert.equal(matcher.categoryFor(p), expected, p);
    }
    // The comparison means something only if both matches and misses occur.
    assert.ok(matched > 100 && matched < paths.length, `matched ${matched}`);
  });
});

describe('paths', () => {
  test('Windows separators and leading ./ are normalised', () => {
    assert.equal(normaliseWorkspacePath('.\\app\\models\\issue.rb'), 'app/models/issue.rb');
    assert.equal(normaliseWorkspacePath('./app/x.rb'), 'app/x.rb');
    assert.equal(one('/app/models/', 'app\\models\\issue.rb'), 'x');
  });
  test('compileGlobList (mapping.exclude) is true when any glob matches', () => {
    const excluded = compileGlobList(['vendor/', '*.min.js']);
    assert.equal(excluded('vendor/gems/a.rb'), true);
    assert.equal(excluded('app/assets/x.min.js'), true);
    assert.equal(excluded('app/assets/x.js'), false);
    assert.equal(compileGlobList([])('anything'), false);
  });
});
