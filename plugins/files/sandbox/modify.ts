import fs from 'node:fs';
import { errors } from '../../../sdk/errors.js';
import { pausepoint } from '../../../sdk/failpoint.js';
import { parseEntryPath } from '../paths.js';
import { permissionsOf } from './browse.js';
import { closeFd, fsError, using } from './fd.js';
import { renameNoReplace } from './no-replace.js';
import { removeEntry, trashFolder } from './remove.js';
import { lstatAt, pinEntry, refuseForeignHardlink, walk, withHome, type HomeContext } from './walk.js';

/** `POST /api/files/chmod`: set 0–777 on a file or folder; links and foreign hard links refused. */
export async function changeMode(ctx: HomeContext, args: { path: string; mode: number }) {
  if (!Number.isInteger(args.mode) || args.mode < 0 || args.mode > 0o777)
    throw errors.validation('mode: must be an octal string from 0 to 777 (no setuid, setgid or sticky bits)');
  const p = parseEntryPath(args.path);
  return withHome(ctx, async (home) =>
    using(await walk(home, p.parent.parts), async (dir) => {
      const { fd, st, rel } = await pinEntry(dir, p.name);
      try {
        if (st.isSymbolicLink()) throw fsError({ code: 'ELOOP' }, rel);
        if (!st.isFile() && !st.isDirectory()) throw errors.forbidden(`'${rel}' is not a regular file or folder`);
        refuseForeignHardlink(st, ctx, rel);
        // The O_PATH fd pins the inode checked above; chmod through it cannot land on a swapped-in link.
        await fs.promises.chmod(`/proc/self/fd/${fd}`, args.mode).catch((e) => {
          throw fsError(e, rel);
        });
        return { path: p.text, permissions: permissionsOf(args.mode) };
      } finally {
        await closeFd(fd);
      }
    }),
  );
}

/**
 * `DELETE /api/files/delete`: a file or a link (the link only) is unlinked; a folder is moved to
 * the trash whole and emptied afterwards (`trashed`: the caller schedules the purge).
 */
export async function removePath(ctx: HomeContext, args: { path: string }) {
  const p = parseEntryPath(args.path);
  return withHome(ctx, async (home) =>
    using(await walk(home, p.parent.parts), async (dir) => {
      const st = await lstatAt(dir, p.name);
      if (!st) throw errors.notFound(`'${p.text}' does not exist`);
      if (!st.isDirectory()) return { path: p.text, removed: await removeEntry(dir, p.name, false, 0), trashed: false };
      return { path: p.text, ...(await trashFolder(home, dir, p.name)) };
    }),
  );
}

/** `POST /api/files/rename`: move or rename inside the home; never replaces an existing name. */
export async function movePath(ctx: HomeContext, args: { from: string; to: string }) {
  const from = parseEntryPath(args.from, 'from');
  const to = parseEntryPath(args.to, 'to');
  if (to.text === from.text || to.text.startsWith(from.text + '/'))
    throw errors.validation(`to: '${to.text}' is inside '${from.text}'; a folder cannot be moved into itself`);
  return withHome(ctx, async (home) =>
    using(await walk(home, from.parent.parts), async (src) =>
      using(await walk(home, to.parent.parts), async (dst) => {
        const st = await lstatAt(src, from.name);
        if (!st) throw errors.notFound(`'${from.text}' does not exist`);
        if (await lstatAt(dst, to.name)) throw errors.conflict(`'${to.text}' already exists`);
        await pausepoint('files.rename.checked'); // race tests create the destination here
        await renameNoReplace(src, from.name, dst, to.name, st.isDirectory(), to.text);
        return { from: from.text, to: to.text };
      }),
    ),
  );
}
