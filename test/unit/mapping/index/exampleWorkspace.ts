/** Test helpers: the example workspace (in place or as a scratch copy) and the real GitLab catalog. */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkspace } from '../../../../src/sdk/mapping/index/openWorkspace';
import type { OpenedWorkspace } from '../../../../src/sdk/mapping/index/openWorkspace';

export const REPO_ROOT = join(__dirname, '../../../..');
export const EXAMPLE_ROOT = join(REPO_ROOT, 'examples/gitlab-style');
/** The real catalog lives beside the repo (read-only fixtures shared by every engineer). */
export const CATALOG_DIR = join(REPO_ROOT, 'catalog/gitlab');

/** A scratch copy of the example workspace that a test may edit. */
export function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bl-example-'));
  cpSync(EXAMPLE_ROOT, dir, { recursive: true });
  return dir;
}

export async function openExample(root = EXAMPLE_ROOT, workers?: number): Promise<OpenedWorkspace> {
  return openWorkspace({ root, catalogDir: CATALOG_DIR, workers });
}
