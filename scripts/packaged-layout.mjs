// The files a VSIX of this extension would hold, copied into a folder: what `vsce package` keeps
// under .vscodeignore (each pattern matched against the repo-relative path, dotfiles included, as
// vsce's minimatch does; `!` re-includes; the last pattern that matches a file decides). The
// extension-host tests run the extension from this folder (`npm run test:extension -- --packaged`)
// to prove the shipped files are enough: no node_modules (so no native tree-sitter: the wasm
// binding from dist/), no sources, no CLI.
//
// Usage: node scripts/packaged-layout.mjs <dest>   (prints the files it copied)
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';

const REPO = resolve(import.meta.dirname, '..');
/**
 * Never walked: none of their files can ship (the allowlist re-includes nothing under them;
 * packagedFiles checks that), and node_modules alone holds ~50,000 files.
 */
const NOT_WALKED = new Set(['node_modules', '.git', '.vscode-test', 'out', '.budgetlens']);

/** .vscodeignore as [negated, pattern] pairs, comments and blank lines dropped. */
function ignoreRules() {
  return readFileSync(join(REPO, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => (l.startsWith('!') ? [true, l.slice(1)] : [false, l]));
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (dir === REPO && NOT_WALKED.has(entry.name)) continue;
      yield* walk(abs);
    } else if (entry.isFile()) {
      yield relative(REPO, abs).split(sep).join('/');
    }
  }
}

/** Repo-relative paths of the files the package would hold, sorted. */
export function packagedFiles() {
  const rules = ignoreRules().map(([negated, pattern]) => [negated, pattern, picomatch(pattern, { dot: true })]);
  for (const [negated, pattern] of rules) {
    const top = pattern.split('/')[0];
    if (negated && NOT_WALKED.has(top)) throw new Error(`.vscodeignore re-includes ${pattern}, under a folder packaged-layout.mjs does not walk`);
  }
  const kept = [];
  for (const file of walk(REPO)) {
    let shipped = true;
    for (const [negated, , matches] of rules) if (matches(file)) shipped = negated;
    if (shipped) kept.push(file);
  }
  return kept.sort();
}

/** Copies the package's files into `dest` (emptied first); returns them. */
export function writePackagedLayout(dest) {
  rmSync(dest, { recursive: true, force: true });
  const files = packagedFiles();
  for (const file of files) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(join(REPO, file), join(dest, file));
  }
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const dest = process.argv[2];
  if (!dest) {
    console.error('usage: node scripts/packaged-layout.mjs <dest>');
    process.exit(2);
  }
  for (const file of writePackagedLayout(resolve(dest))) console.log(file);
}
