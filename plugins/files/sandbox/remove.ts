import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { errors } from '../../../sdk/errors.js';
import { TRASH_DIR } from '../paths.js';
import { type Dir, fsError, fstatFd, using } from './fd.js';
import { lstatAt, openDir, withHome, type HomeContext } from './walk.js';

// Removal without following links: in place (a file, a staging tree), or for a folder the user
// deletes, through the home's trash so the delete is all-or-nothing in the user's view.

const MAX_DEPTH = 256;
const { W_OK, X_OK } = fs.constants;

const cancelled = (signal?: AbortSignal) => {
  if (signal?.aborted) throw errors.conflict('Removal cancelled');
};

/** The refusal for a folder that is, or holds, a mount point: its files belong to another filesystem. */
function mountPoint(rel: string, holder?: string): Error {
  return errors.conflict(
    holder
      ? `'${rel}' is a mount point (another filesystem is mounted there): unmount it before deleting '${holder}'`
      : `'${rel}' is a mount point (another filesystem is mounted there); it cannot be deleted`,
  );
}

/**
 * Count the entries of a tree and check, before anything changes, that whoever runs the delete
 * (the account's own user in linux mode) can empty every folder in it: readable, writable and
 * searchable, and on the filesystem of the folder holding it (`parentDev`): a mount point in the
 * tree would have its files wiped by the purge, then refuse to go. A tree that passes can be
 * moved to the trash and removed from there; one that does not is refused whole instead of
 * being half deleted.
 */
export async function surveyTree(dir: Dir, parentDev: number, depth = 0): Promise<number> {
  if (depth > MAX_DEPTH) throw errors.conflict(`'${dir.rel}' is nested deeper than ${MAX_DEPTH} levels`);
  const dev = (await fstatFd(dir.fd)).dev;
  if (dev !== parentDev)
    throw mountPoint(dir.rel, depth === 0 ? undefined : dir.rel.split('/').slice(0, -depth).join('/') || '/');
  await fs.promises.access(dir.path, W_OK | X_OK).catch((e) => {
    throw fsError(e, dir.rel);
  });
  const entries = await fs.promises.readdir(dir.path, { withFileTypes: true }).catch((e) => {
    throw fsError(e, dir.rel);
  });
  let count = entries.length;
  for (const entry of entries) {
    if (entry.isDirectory())
      count += await using(await openDir(dir, entry.name), (sub) => surveyTree(sub, dev, depth + 1));
  }
  return count;
}

/** Remove everything inside `dir`, descending only through no-follow opens. */
export async function emptyTree(dir: Dir, depth = 0, signal?: AbortSignal): Promise<number> {
  if (depth > MAX_DEPTH) throw errors.conflict(`'${dir.rel}' is nested deeper than ${MAX_DEPTH} levels`);
  let removed = 0;
  const entries = await fs.promises.readdir(dir.path, { withFileTypes: true }).catch((e) => {
    throw fsError(e, dir.rel);
  });
  for (const entry of entries) {
    cancelled(signal);
    removed += await removeEntry(dir, entry.name, entry.isDirectory(), depth, signal);
  }
  return removed;
}

/**
 * Remove one entry: a file or link is unlinked (a link's target is never touched), a folder is
 * emptied first. An entry that is already gone counts as removed by someone else.
 */
export async function removeEntry(
  dir: Dir,
  name: string,
  looksLikeDir: boolean,
  depth: number,
  signal?: AbortSignal,
): Promise<number> {
  const rel = dir.relOf(name);
  if (!looksLikeDir) {
    try {
      await fs.promises.unlink(dir.at(name));
      return 1;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return 0;
      // Only a directory that appeared under that name meanwhile is removed as one.
      const st = code === 'EISDIR' || code === 'EPERM' ? await lstatAt(dir, name) : null;
      if (!st?.isDirectory()) throw fsError(e, rel);
    }
  }
  let sub: Dir;
  try {
    sub = await openDir(dir, name);
  } catch (e) {
    // Gone, or swapped for a link or a file since the listing: unlink that name, never descend.
    const st = await lstatAt(dir, name);
    if (!st) return 0;
    if (!st.isDirectory() && looksLikeDir) return removeEntry(dir, name, false, depth, signal);
    throw e;
  }
  const inner = await using(sub, (d) => emptyTree(d, depth + 1, signal));
  try {
    await fs.promises.rmdir(dir.at(name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(e, rel);
  }
  return inner + 1;
}

/**
 * Open the home's trash folder, creating it (0700, owned by whoever runs the operation: the
 * account's user in linux mode). Anything else under its name (a file or link the tenant made
 * over SSH) is not the panel's: it is removed and the folder made.
 */
async function openTrash(home: Dir): Promise<Dir> {
  for (let attempt = 0; ; attempt++) {
    await fs.promises.mkdir(home.at(TRASH_DIR), 0o700).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw fsError(e, `/${TRASH_DIR}`);
    });
    try {
      return await openDir(home, TRASH_DIR);
    } catch (e) {
      const st = await lstatAt(home, TRASH_DIR);
      if (attempt > 0 || !st || st.isDirectory()) throw e;
      await fs.promises.unlink(home.at(TRASH_DIR)).catch((u) => {
        throw fsError(u, `/${TRASH_DIR}`);
      });
    }
  }
}

/**
 * Delete the folder `dir/name` all-or-nothing for the user: survey the tree (count it, check it
 * can be emptied), then move it into the home's trash with one rename, the commit point. If
 * anything up to the rename fails, nothing changed; after it the folder is gone from every view,
 * and the trash is emptied later ({@link purgeTrash}). Returns the entries removed, itself included.
 */
export async function trashFolder(home: Dir, dir: Dir, name: string): Promise<{ removed: number; trashed: boolean }> {
  const parentDev = (await fstatFd(dir.fd)).dev;
  const count = await using(await openDir(dir, name), (sub) => surveyTree(sub, parentDev));
  const moved = await using(await openTrash(home), async (trash) => {
    const id = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
    try {
      await fs.promises.rename(dir.at(name), trash.at(id));
      return true;
    } catch (e) {
      // A folder inside another filesystem mounted in the home cannot be renamed into the trash:
      // it is removed in place, after the survey found it all on that one filesystem and emptiable.
      if ((e as NodeJS.ErrnoException).code === 'EXDEV') return false;
      throw fsError(e, dir.relOf(name));
    }
  });
  if (!moved) await removeEntry(dir, name, true, 0); // removed in place, as before the trash existed
  return { removed: count + 1, trashed: moved };
}

/**
 * Empty the home's trash: after a delete, and at start-up for what a crash or a failed purge
 * left. The trash folder itself stays (a delete may be renaming into it right now).
 */
export async function purgeTrash(ctx: HomeContext & { signal?: AbortSignal }): Promise<{ removed: number }> {
  return withHome(ctx, async (home) => {
    const st = await lstatAt(home, TRASH_DIR);
    if (!st?.isDirectory()) return { removed: 0 };
    return { removed: await using(await openDir(home, TRASH_DIR), (trash) => emptyTree(trash, 0, ctx.signal)) };
  });
}
