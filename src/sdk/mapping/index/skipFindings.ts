/**
 * The two helpers the walk and the file scanner share for files they skip. Kept apart from the
 * walker so the scan worker's bundle does not pull in the walker's dependencies (`ignore`,
 * picomatch): the worker starts on every cold build, and its bundle is parsed each time.
 */
import type { Finding } from '../types';

/** A `file_skipped` finding at line 1 of a workspace-relative path. */
export function skippedFinding(file: string, message: string, severity: Finding['severity'] = 'info'): Finding {
  return { code: 'file_skipped', severity, message, file, line: 1, column: 1 };
}

/** The errno code of a failed file operation (`ENOENT`), else its message. */
export function errorCode(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return e instanceof Error ? e.message : String(e);
}
