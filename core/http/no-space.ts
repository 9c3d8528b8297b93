import { errors, noSpaceCause, type PanelError } from '../errors.js';

/**
 * A full disk is not a fault of the panel: a request that failed on one answers 507 saying so
 * instead of a bare 500. Which device (the path written, or the panel database) is named to
 * administrators only — to anyone else a server's layout is none of their business. Looks through
 * `cause` chains, since stores and plugins wrap what the system said. Null: not a full disk.
 */
export function noSpaceError(e: unknown, admin: boolean, store: string): PanelError | null {
  const full = noSpaceCause(e);
  if (!full) return null;
  const errno = full.code === 'ENOSPC' || full.code === 'EDQUOT';
  const where = errno ? (full.path ?? 'a file the panel writes') : store;
  const quota = full.code === 'EDQUOT' ? ' (disk quota exceeded)' : '';
  return errors.noSpace(
    admin
      ? `No space left on the device holding ${where}${quota}`
      : "No space left on the server's disk; nothing was saved. Ask the administrator to free some space",
  );
}
