/**
 * `objectives.files` in .budgetlens.yml: globs of OpenSLO files relative to the config's
 * directory (`slo/*.yaml`, `slo/**\/*.yml`, a plain path). Every matching file is read and all of
 * them go to readOpenSlo together, so a reference may point into another file. A pattern that
 * matches nothing, or names a file that cannot be read, is a finding at the pattern's line.
 */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { SourceLocation } from '../contract/errors';
import type { ObjectiveFinding } from './findings';
import { objectiveFinding, sortFindings } from './findings';
import { readOpenSlo } from './openslo';
import type { ObjectivesResult, OpenSloFile, ReadObjectivesOptions } from './openslo';

export interface ObjectiveFilePattern {
  /** As written in the config, relative to `root`. */
  pattern: string;
  /** Where it was written (for "matches no file"). */
  location: SourceLocation;
}

/** Directories never walked for a glob. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

async function walk(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) await walk(p, out);
    } else if (e.isFile()) out.push(p);
  }
}

/** The absolute paths a pattern matches, sorted. */
export async function matchObjectiveFiles(root: string, pattern: string): Promise<string[]> {
  const scan = picomatch.scan(pattern);
  if (!scan.isGlob) {
    const abs = resolve(root, pattern);
    return existsSync(abs) && statSync(abs).isFile() ? [abs] : [];
  }
  const base = resolve(root, scan.base);
  const files: string[] = [];
  await walk(base, files);
  const isMatch = picomatch(scan.glob, { dot: false });
  return files.filter((f) => isMatch(relative(base, f).split(sep).join('/'))).sort();
}

/** Reads every file the patterns match (each once) as OpenSLO v1, all together. */
export async function readObjectiveFiles(root: string, patterns: readonly ObjectiveFilePattern[], options: ReadObjectivesOptions = {}): Promise<ObjectivesResult> {
  const findings: ObjectiveFinding[] = [];
  const seen = new Set<string>();
  const files: OpenSloFile[] = [];
  for (const p of patterns) {
    const matched = await matchObjectiveFiles(root, p.pattern);
    if (matched.length === 0) {
      findings.push(objectiveFinding('objective_files', 'warning', `objectives.files: "${p.pattern}" matches no file under ${root}`, p.location));
      continue;
    }
    for (const file of matched) {
      if (seen.has(file)) continue;
      seen.add(file);
      try {
        files.push({ file, text: await readFile(file, 'utf8') });
      } catch (e) {
        findings.push(objectiveFinding('objective_files', 'error', `objectives.files: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, p.location));
      }
    }
  }
  const read = readOpenSlo(files, options);
  return { objectives: read.objectives, findings: sortFindings([...findings, ...read.findings]) };
}
