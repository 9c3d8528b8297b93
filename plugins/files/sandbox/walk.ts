import fs from 'node:fs';
import { errors } from '../../../sdk/errors.js';
import {
  closeFd,
  Dir,
  DIR_FLAGS,
  fsError,
  fstatFd,
  O_DIRECTORY,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_PATH,
  O_RDONLY,
  openFd,
} from './fd.js';

const MAX_DEPTH = 256;

/** What an operation knows about the account whose home it works in. */
export interface HomeContext {
  /** Absolute home directory (from the account directory, trusted). */
  home: string;
  /** The account's uid: files of others with several hard links are refused. Null: owns none. */
  ownerUid: number | null;
  /**
   * True when this process runs as the account's own user (a linux-mode agent): the kernel then
   * bounds every lookup by the account's rights, so read-only metadata of entries already found
   * through the pinned walk may be looked up by plain path (faster than through /proc).
   */
  asAccount?: boolean;
}

/** Open the home itself. It must be a real directory, not a symlink. */
export async function openHome(home: string): Promise<Dir> {
  try {
    return new Dir(await openFd(home, DIR_FLAGS), '/');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw errors.notFound("The account's home directory does not exist");
    if (code === 'ENOTDIR' || code === 'ELOOP')
      throw errors.conflict("The account's home directory is not a real directory (a symbolic link?)");
    throw fsError(e, '/');
  }
}

/** Open a directory below `parent` without following a link, with a precise error. */
export async function openDir(parent: Dir, name: string): Promise<Dir> {
  const rel = parent.relOf(name);
  try {
    return new Dir(await openFd(parent.at(name), DIR_FLAGS), rel);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'ELOOP') {
      const st = await fs.promises.lstat(parent.at(name)).catch(() => null);
      if (st?.isSymbolicLink()) throw fsError({ code: 'ELOOP' }, rel);
    }
    throw fsError(e, rel);
  }
}

/** Walk from the home down `parts`, one no-follow directory open per name. Caller closes the result. */
export async function walk(home: Dir, parts: string[]): Promise<Dir> {
  if (parts.length > MAX_DEPTH) throw errors.validation(`path: deeper than ${MAX_DEPTH} levels`);
  // The magic link /proc/self/fd/<n> must be followed to reach the pinned directory itself.
  let dir = new Dir(await openFd(home.path, O_RDONLY | O_DIRECTORY), '/');
  for (const name of parts) {
    try {
      const next = await openDir(dir, name);
      await dir.close();
      dir = next;
    } catch (e) {
      await dir.close();
      throw e;
    }
  }
  return dir;
}

/** Run `fn` inside the home opened for this operation. */
export async function withHome<T>(ctx: HomeContext, fn: (home: Dir) => Promise<T>): Promise<T> {
  const home = await openHome(ctx.home);
  try {
    return await fn(home);
  } finally {
    await home.close();
  }
}

/** Stat a name without following it; null when it does not exist. */
export async function lstatAt(dir: Dir, name: string): Promise<fs.Stats | null> {
  try {
    return await fs.promises.lstat(dir.at(name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fsError(e, dir.relOf(name));
  }
}

/**
 * A hard link is another name for the same inode. A tenant can link a root-owned file into its
 * home (where `protected_hardlinks` is off), so content or modes of a multi-link file the account
 * does not own are never touched.
 */
export function refuseForeignHardlink(st: fs.Stats, ctx: HomeContext, rel: string): void {
  if (st.isFile() && st.nlink > 1 && (ctx.ownerUid === null || st.uid !== ctx.ownerUid))
    throw errors.forbidden(
      `'${rel}' has ${st.nlink} hard links and is not owned by the account; refusing to read or change it`,
    );
}

/** Pin the inode a name refers to (the link itself if it is one) for metadata operations. */
export async function pinEntry(dir: Dir, name: string): Promise<{ fd: number; st: fs.Stats; rel: string }> {
  const rel = dir.relOf(name);
  let fd: number;
  try {
    fd = await openFd(dir.at(name), O_PATH | O_NOFOLLOW);
  } catch (e) {
    throw fsError(e, rel);
  }
  try {
    return { fd, st: await fstatFd(fd), rel };
  } catch (e) {
    await closeFd(fd);
    throw fsError(e, rel);
  }
}

/** Open a regular file's content for reading, checked on the opened inode (no race with a swap). */
export async function openRegular(
  dir: Dir,
  name: string,
  ctx: HomeContext,
): Promise<{ fd: number; st: fs.Stats; rel: string }> {
  const rel = dir.relOf(name);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not hang the operation; the type check below refuses it.
    fd = await openFd(dir.at(name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (e) {
    throw fsError(e, rel);
  }
  try {
    const st = await fstatFd(fd);
    if (st.isDirectory()) throw errors.conflict(`'${rel}' is a directory; list it with GET /api/files/list`);
    if (!st.isFile()) throw errors.forbidden(`'${rel}' is not a regular file`);
    refuseForeignHardlink(st, ctx, rel);
    return { fd, st, rel };
  } catch (e) {
    await closeFd(fd);
    throw fsError(e, rel);
  }
}
