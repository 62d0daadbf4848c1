/**
 * What failed when the store failed (issue 12 item 9): SQLite and file-system error codes mapped
 * to words, so a full disk is not reported as "cannot read" and a read-only store not as "not a
 * Budget Lens store". Classifies an error someone else caught; the one look outside it: an I/O
 * error on a file system with no block left is a full disk (SQLite reports a -shm file it cannot
 * size on a full disk as SQLITE_IOERR_SHMSIZE, "disk I/O error").
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';

/** What the store was doing when it failed. */
export type StoreActivity = 'opening' | 'reading' | 'writing';

export type StoreFailureKind = 'disk_full' | 'read_only' | 'permission' | 'cannot_open' | 'not_a_store' | 'busy' | 'io' | 'other';

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True when the file system holding `path` has no block left for us (statfs; false when unknown). */
function noSpaceLeft(path: string): boolean {
  try {
    return statfsSync(dirname(path)).bavail === 0;
  } catch {
    return false;
  }
}

/**
 * SQLite's extended codes keep the primary one as a prefix (SQLITE_READONLY_DBMOVED, SQLITE_IOERR_WRITE).
 * With the store's path, an I/O error where the disk has no space left is `disk_full`.
 */
export function storeFailureKind(e: unknown, storePath?: string): StoreFailureKind {
  const kind = kindOfCode(e);
  return kind === 'io' && storePath !== undefined && noSpaceLeft(storePath) ? 'disk_full' : kind;
}

function kindOfCode(e: unknown): StoreFailureKind {
  const code = codeOf(e);
  const message = messageOf(e);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || /database or disk is full|no space left on device/i.test(message)) return 'disk_full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || /read-only file system|attempt to write a readonly database/i.test(message)) return 'read_only';
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return 'permission';
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return 'cannot_open';
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return 'not_a_store';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  return 'other';
}

/**
 * One line saying what failed, where, and the cause as the system gave it:
 * `disk full while writing /data/store.db (SQLITE_FULL: database or disk is full)`,
 * `store is read-only: /data/store.db (SQLITE_READONLY: attempt to write a readonly database)`.
 * Without a path (a StoreError, which names it first): `disk full while writing the store (…)`;
 * `probePath` is then the store's path, for the free-space look only.
 */
export function describeStoreFailure(e: unknown, storePath: string | undefined, activity: StoreActivity, probePath = storePath): string {
  const path = storePath ?? 'the store';
  const code = codeOf(e);
  const message = messageOf(e);
  const cause = ` (${code && !message.startsWith(code) ? `${code}: ` : ''}${message})`;
  switch (storeFailureKind(e, probePath)) {
    case 'disk_full':
      return `disk full while ${activity === 'reading' ? 'writing' : activity} ${path}${cause}`;
    case 'read_only':
      return storePath === undefined ? `store is read-only${cause}` : `store is read-only: ${path}${cause}`;
    case 'permission':
      return `permission denied ${activity} ${path}${cause}`;
    case 'cannot_open':
      return `cannot open ${path}: no such file or directory, or not a file${cause}`;
    case 'not_a_store':
      return `not a Budget Lens store (not an SQLite database, or damaged)${storePath === undefined ? '' : `: ${path}`}${cause}`;
    case 'busy':
      return `store is locked by another process${storePath === undefined ? '' : `: ${path}`}${cause}`;
    case 'io':
      return `I/O error while ${activity} ${path}${cause}`;
    default:
      return `failed while ${activity} ${path}${cause}`;
  }
}
