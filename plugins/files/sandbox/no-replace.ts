import fs from 'node:fs';
import type { Dir } from './fd.js';
import { closeFd, fsError, fstatFd, O_CREAT, O_EXCL, O_NOFOLLOW, O_WRONLY, openFd } from './fd.js';

/**
 * Move `from` in `src` to `to` in `dst`, never replacing a name that exists when the move lands.
 * A check before `rename(2)` is not enough: the account's own processes (PHP, SSH, cron) may
 * create the name in between, and rename replaces it (Node has no renameat2 RENAME_NOREPLACE).
 * So the name is taken atomically first:
 * - a non-folder is hard-linked to the new name (link fails with EEXIST, atomically), then its
 *   old name is unlinked: the same inode under the new name, as a rename leaves it;
 * - a folder (or a file the kernel will not hard-link: another owner's under protected_hardlinks)
 *   claims the name with an exclusive mkdir or create, and the rename replaces only that empty
 *   placeholder of its own. A folder is never renamed over a non-empty folder (ENOTEMPTY).
 * A crash between the two steps leaves both names (or the empty placeholder), never a loss.
 */
export async function renameNoReplace(
  src: Dir,
  from: string,
  dst: Dir,
  to: string,
  isDir: boolean,
  rel: string,
): Promise<void> {
  if (!isDir) {
    const linked = await fs.promises.link(src.at(from), dst.at(to)).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPERM' || e.code === 'ENOTSUP' || e.code === 'EOPNOTSUPP' || e.code === 'EMLINK') return false;
        throw fsError(e, rel);
      },
    );
    if (linked) {
      await fs.promises.unlink(src.at(from)).catch(async (e) => {
        await fs.promises.unlink(dst.at(to)).catch(() => undefined);
        throw fsError(e, rel);
      });
      return;
    }
  }
  const placeholder = await claim(dst, to, isDir, rel);
  await fs.promises.rename(src.at(from), dst.at(to)).catch(async (e: NodeJS.ErrnoException) => {
    // The placeholder is ours only while it is the same, still empty entry; anything put into it stays.
    const now = await fs.promises.lstat(dst.at(to)).catch(() => null);
    if (now && now.ino === placeholder.ino && now.dev === placeholder.dev && (isDir || now.size === 0))
      await (isDir ? fs.promises.rmdir(dst.at(to)) : fs.promises.unlink(dst.at(to))).catch(() => undefined);
    throw fsError(e.code === 'ENOTEMPTY' ? { code: 'EEXIST' } : e, rel);
  });
}

/** Take the name with an empty folder or file, failing with 409 when it exists; its identity, to remove only it. */
async function claim(dst: Dir, name: string, isDir: boolean, rel: string): Promise<fs.Stats> {
  if (isDir) {
    await fs.promises.mkdir(dst.at(name), { mode: 0o700 }).catch((e) => {
      throw fsError(e, rel);
    });
    return fs.promises.lstat(dst.at(name));
  }
  const fd = await openFd(dst.at(name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600).catch((e) => {
    throw fsError(e, rel);
  });
  try {
    return await fstatFd(fd);
  } finally {
    await closeFd(fd);
  }
}
