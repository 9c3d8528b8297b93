import { errors, type PanelError } from '../errors.js';

/** Codes stores and the kernel use for "the disk is full": errno, SQLite, PostgreSQL `disk_full`, MySQL/MariaDB. */
const ERRNO = new Set(['ENOSPC', 'EDQUOT']);
const STORE = new Set(['SQLITE_FULL', '53100', 'ER_RECORD_FILE_FULL', 'ER_DISK_FULL']);

/**
 * A full disk is not a fault of the panel: a request that failed on one answers 507 saying so
 * instead of a bare 500. Which device (the path written, or the panel database) is named to
 * administrators only — to anyone else a server's layout is none of their business. Looks through
 * `cause` chains, since stores and plugins wrap what the system said. Null: not a full disk.
 */
export function noSpaceError(e: unknown, admin: boolean, store: string): PanelError | null {
  for (let cur = e as { code?: unknown; path?: unknown; cause?: unknown } | undefined, depth = 0; cur && depth < 5; cur = cur.cause as typeof cur, depth++) {
    const code = typeof cur.code === 'string' ? cur.code : '';
    if (!ERRNO.has(code) && !STORE.has(code)) continue;
    const where = ERRNO.has(code) ? (typeof cur.path === 'string' ? cur.path : 'a file the panel writes') : store;
    const quota = code === 'EDQUOT' ? ' (disk quota exceeded)' : '';
    return errors.noSpace(admin
      ? `No space left on the device holding ${where}${quota}`
      : 'No space left on the server\'s disk; nothing was saved. Ask the administrator to free some space');
  }
  return null;
}
