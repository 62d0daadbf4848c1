/**
 * The repository stands on its own: no tracked file outside .ci/ names a folder beside the clone
 * (the reference material the project was started from lives in a sibling `shared/` folder that
 * users never have). The catalog is the repository's copy in catalog/gitlab, the domain
 * reference is docs/domain.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// The sibling folder by relative path, by absolute path, and built from path.join segments.
export const OUTSIDE = /\.\.\/shared\b|\/work\/shared\b|['"]\.\.['"]\s*,\s*['"]shared['"]/;

function tracked(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter((f) => f !== '' && !f.startsWith('.ci/'));
}

test('no tracked file outside .ci/ points at the folder beside the clone', () => {
  const files = tracked();
  assert.ok(files.length > 100, `git ls-files listed ${files.length} files; run the tests from a git clone`);
  const offenders: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue; // a tracked file deleted in the work tree
    }
    if (text.includes('\0')) continue; // binary (screenshots, wasm)
    text.split('\n').forEach((line, i) => {
      if (OUTSIDE.test(line)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});

test('the check itself catches each way of naming the folder beside the clone', () => {
  // Built from pieces, so this file does not name the folder itself.
  const up = '..';
  const name = 'shared';
  const sibling = `${up}/${name}`;
  assert.ok(OUTSIDE.test(`const C = '${sibling}/fixtures/gitlab';`));
  assert.ok(OUTSIDE.test(`  stages: ../../${sibling}/fixtures/gitlab/stages.yml`));
  assert.ok(OUTSIDE.test(`join(__dirname, '${up}', '${up}', '${name}', 'fixtures')`));
  assert.ok(OUTSIDE.test(`# Recipe: /work/${'shared'}/docs/x.md`));
  // The webview protocol is src/shared/protocol.ts, imported through the @shared alias.
  assert.ok(!OUTSIDE.test("import type { X } from '@shared/protocol';"));
  assert.ok(!OUTSIDE.test("join(REPO, 'src', 'shared', 'protocol.ts')"));
});

test('no tracked file is a symbolic link (a link to a folder outside the clone dangles there, and a linked cache dir breaks CI)', () => {
  const links = execFileSync('git', ['ls-files', '-s', '-z'], { encoding: 'utf8' })
    .split('\0')
    .filter((row) => row.startsWith('120000 '))
    .map((row) => row.split('\t')[1]);
  assert.deepEqual(links, []);
});
