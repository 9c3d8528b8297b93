import fs from 'node:fs';
import { errors } from '../../../sdk/errors.js';
import { isPanelName, parseEntryPath, parseHomePath } from '../paths.js';
import { closeFd, fsError, kindOf, readFd, tooLarge, using } from './fd.js';
import { openRegular, walk, withHome, type HomeContext } from './walk.js';

/** One row of a directory listing. */
export interface ListEntry {
  name: string;
  size: number;
  type: 'file' | 'directory' | 'symlink' | 'other';
  /** Octal permission bits, e.g. `644`. */
  permissions: string;
  modified: string;
}

/** A page of a listing: `offset` entries skipped, at most `limit` returned (no limit: all). */
export interface ListArgs {
  path: string;
  limit?: number;
  offset?: number;
}

// Entries stat'ed per event-loop turn: synchronous lstat skips the thread pool and a promise per
// entry (about three times faster here); the slices keep the loop answering other requests.
const SLICE = 256;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Octal text of the permission bits (`755`, `4755`). */
export function permissionsOf(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(3, '0');
}

/**
 * List a directory without following any link, in it or on the way to it: one readdir on the
 * pinned directory, folders first then names in code-unit order (one sort each, on the names,
 * before any stat), then one lstat per returned entry through the directory's fd. A page
 * (`limit`/`offset`) stats only its own entries and adds `total` to the answer.
 */
export async function listDir(
  ctx: HomeContext,
  args: ListArgs,
): Promise<{ path: string; entries: ListEntry[]; total?: number }> {
  const p = parseHomePath(args.path);
  return withHome(ctx, async (home) =>
    using(await walk(home, p.parts), async (dir) => {
      const found = await fs.promises.readdir(dir.path, { withFileTypes: true }).catch((e) => {
        throw fsError(e, p.text);
      });
      const folders: string[] = [];
      const others: string[] = [];
      for (const d of found)
        if (p.parts.length > 0 || !isPanelName(d.name)) (d.isDirectory() ? folders : others).push(d.name);
      const names = folders.sort().concat(others.sort());
      const paged = args.limit !== undefined || args.offset !== undefined;
      const from = Math.min(args.offset ?? 0, names.length);
      const to = args.limit === undefined ? names.length : Math.min(names.length, from + args.limit);
      const entries: ListEntry[] = [];
      // Names come from the pinned folder's readdir either way; as the account, lstat by plain path
      // can reach nothing the account could not stat itself (see HomeContext.asAccount).
      const plain = ctx.asAccount ? `${ctx.home}${p.parts.map((part) => `/${part}`).join('')}/` : null;
      for (let i = from; i < to; i++) {
        if (i > from && (i - from) % SLICE === 0) await nextTurn();
        const name = names[i]!;
        let st: fs.Stats | undefined;
        try {
          st = fs.lstatSync(plain ? plain + name : dir.at(name), { throwIfNoEntry: false });
        } catch {
          continue; // unreadable to the account: left out, as before
        }
        if (st)
          entries.push({
            name,
            size: st.size,
            type: kindOf(st),
            permissions: permissionsOf(st.mode),
            modified: st.mtime.toISOString(),
          });
      }
      return paged ? { path: p.text, entries, total: names.length } : { path: p.text, entries };
    }),
  );
}

/** Read a text file, capped; larger or binary files point to the download route. */
export async function readText(ctx: HomeContext & { textLimit: number }, args: { path: string }) {
  const p = parseEntryPath(args.path);
  return withHome(ctx, async (home) =>
    using(await walk(home, p.parent.parts), async (dir) => {
      const { fd, st, rel } = await openRegular(dir, p.name, ctx);
      try {
        const download = `download it with GET /api/files/download instead`;
        if (st.size > ctx.textLimit)
          throw tooLarge(
            `'${rel}' is ${st.size} bytes, over the ${ctx.textLimit}-byte limit for reading as text; ${download}`,
          );
        const buf = Buffer.alloc(ctx.textLimit + 1);
        let length = 0;
        for (;;) {
          const n = await readFd(fd, buf, length, buf.length - length, null);
          if (n === 0 || (length += n) >= buf.length) break;
        }
        if (length > ctx.textLimit)
          throw tooLarge(`'${rel}' grew over the ${ctx.textLimit}-byte text limit; ${download}`);
        const bytes = buf.subarray(0, length);
        let content: string;
        try {
          if (bytes.includes(0)) throw new Error('NUL');
          content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          throw errors.unsupportedMediaType(`'${rel}' is a binary file, not UTF-8 text; ${download}`);
        }
        return { path: p.text, content, size: length, modified: st.mtime.toISOString() };
      } finally {
        await closeFd(fd);
      }
    }),
  );
}
