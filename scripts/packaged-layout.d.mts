// Types for the unit tests that import packaged-layout.mjs (test/unit/extension-manifest).
/** Repo-relative paths of the files the .vsix would hold (.vscodeignore's rules), sorted. */
export function packagedFiles(): string[];
/** Copies the package's files into `dest` (emptied first); returns them. */
export function writePackagedLayout(dest: string): string[];
