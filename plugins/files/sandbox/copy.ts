import fs from 'node:fs';
import { errors } from '../../../sdk/errors.js';
import { pausepoint } from '../../../sdk/failpoint.js';
import { parseEntryPath } from '../paths.js';
import { closeFd, type Dir, fsError, tempName, using } from './fd.js';
import { freeBytes, measureEntry } from './measure.js';
import { renameNoReplace } from './no-replace.js';
import { emptyTree } from './remove.js';
import { lstatAt, openDir, openRegular, pinEntry, walk, withHome, type HomeContext } from './walk.js';
import { quotaExceeded } from './fill.js';

const MAX_DEPTH = 256;

/** Set permission bits through a pinned fd of the new entry (never through a name that could be swapped). */
export async function setModeAt(dir: Dir, name: string, mode: number): Promise<void> {
  const { fd } = await pinEntry(dir, name);
  try {
    await fs.promises.chmod(`/proc/self/fd/${fd}`, mode & 0o777);
  } finally {
    await closeFd(fd);
  }
}

/** Set the modification time (seconds; access time: now) through a pinned fd of the entry. */
export async function setTimesAt(dir: Dir, name: string, mtime: number): Promise<void> {
  const { fd } = await pinEntry(dir, name);
  try {
    // A Date: Node reads a negative number of seconds as now.
    await fs.promises.utimes(`/proc/self/fd/${fd}`, new Date(), new Date(mtime * 1000));
  } finally {
    await closeFd(fd);
  }
}

/** Copy one entry; every source is re-checked when opened (a swap after the measuring fails here). */
async function copyEntry(
  ctx: HomeContext,
  src: Dir,
  name: string,
  dst: Dir,
  dstName: string,
  depth: number,
): Promise<void> {
  const st = await lstatAt(src, name);
  if (!st) throw errors.notFound(`'${src.relOf(name)}' does not exist`);
  if (st.isSymbolicLink()) {
    // The link is copied as a link: its target is never opened.
    const target = await fs.promises.readlink(src.at(name)).catch((e: NodeJS.ErrnoException) => {
      // EINVAL: no longer a link (swapped back since the lstat)
      throw e.code === 'EINVAL'
        ? errors.conflict(`'${src.relOf(name)}' changed during the copy`)
        : fsError(e, src.relOf(name));
    });
    await fs.promises.symlink(target, dst.at(dstName)).catch((e) => {
      throw fsError(e, dst.relOf(dstName));
    });
  } else if (st.isFile()) {
    const file = await openRegular(src, name, ctx);
    try {
      await fs.promises.copyFile(`/proc/self/fd/${file.fd}`, dst.at(dstName), fs.constants.COPYFILE_EXCL).catch((e) => {
        throw fsError(e, dst.relOf(dstName));
      });
    } finally {
      await closeFd(file.fd);
    }
    await setModeAt(dst, dstName, file.st.mode);
  } else if (st.isDirectory()) {
    if (depth > MAX_DEPTH) throw errors.conflict(`'${src.relOf(name)}' is nested deeper than ${MAX_DEPTH} levels`);
    await fs.promises.mkdir(dst.at(dstName), 0o700).catch((e) => {
      throw fsError(e, dst.relOf(dstName));
    });
    await using(await openDir(src, name), async (from) =>
      using(await openDir(dst, dstName), async (to) => {
        for (const child of await fs.promises.readdir(from.path))
          await copyEntry(ctx, from, child, to, child, depth + 1);
      }),
    );
    await setModeAt(dst, dstName, st.mode);
  } else {
    throw errors.forbidden(`'${src.relOf(name)}' is a special file; it cannot be copied`);
  }
}

/** Remove a staging entry (file or tree) after a failure. */
export async function discard(dir: Dir, name: string): Promise<void> {
  const st = await lstatAt(dir, name).catch(() => null);
  if (!st) return;
  if (st.isDirectory()) {
    await using(await openDir(dir, name), (d) => emptyTree(d)).catch(() => undefined);
    await fs.promises.rmdir(dir.at(name)).catch(() => undefined);
  } else {
    await fs.promises.unlink(dir.at(name)).catch(() => undefined);
  }
}

/**
 * `POST /api/files/copy`: copy a file or folder inside the home. The source is measured first
 * (quota, special files, foreign hard links) so a refusal writes nothing; the copy is built
 * under a staging name and renamed into place only when complete.
 */
export async function copyPath(
  ctx: HomeContext,
  args: { from: string; to: string; quota: number | null; used?: number | null },
) {
  const from = parseEntryPath(args.from, 'from');
  const to = parseEntryPath(args.to, 'to');
  if (to.text === from.text || to.text.startsWith(from.text + '/'))
    throw errors.validation(`to: '${to.text}' is inside '${from.text}'; a folder cannot be copied into itself`);
  return withHome(ctx, async (home) =>
    using(await walk(home, from.parent.parts), async (src) =>
      using(await walk(home, to.parent.parts), async (dst) => {
        if (!(await lstatAt(src, from.name))) throw errors.notFound(`'${from.text}' does not exist`);
        if (await lstatAt(dst, to.name)) throw errors.conflict(`'${to.text}' already exists`);
        const size = await measureEntry(src, from.name, ctx, true);
        const free = await freeBytes(ctx, args.quota, args.used);
        if (free !== null && size.copied > free) throw quotaExceeded(to.text, size.copied, free);
        const staging = tempName('copy');
        try {
          await copyEntry(ctx, src, from.name, dst, staging, 0);
          // The copy is complete under its staging name; it takes the final name only if still free.
          await pausepoint('files.copy.staged'); // race tests create the destination here
          await renameNoReplace(
            dst,
            staging,
            dst,
            to.name,
            (await lstatAt(dst, staging))?.isDirectory() ?? false,
            to.text,
          );
        } catch (e) {
          await discard(dst, staging);
          throw e;
        }
        return { from: from.text, to: to.text, bytes: size.bytes, entries: size.entries };
      }),
    ),
  );
}
