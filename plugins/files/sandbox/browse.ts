import fs from 'node:fs';
import { errors } from '../../../sdk/errors.js';
import { parseEntryPath, parseHomePath } from '../paths.js';
import { statAllWithFind } from './big-listing.js';
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

const STAT_BATCH = 128;
// Above this many entries one find process beats a /proc path resolution per entry.
const FIND_ABOVE = 1000;

/** Octal text of the permission bits (`755`, `4755`). */
export function permissionsOf(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(3, '0');
}

/** List a directory without following any link, in it or on the way to it. */
export async function listDir(ctx: HomeContext, args: { path: string }): Promise<{ path: string; entries: ListEntry[] }> {
  const p = parseHomePath(args.path);
  return withHome(ctx, async (home) => using(await walk(home, p.parts), async (dir) => {
    const names = await fs.promises.readdir(dir.path).catch((e) => { throw fsError(e, p.text); });
    const entries: ListEntry[] = [];
    // Without GNU find (or if it fails) the per-entry path below still answers, only slower.
    const found = names.length > FIND_ABOVE ? await statAllWithFind(dir).catch(() => null) : null;
    if (found) {
      for (const e of found)
        entries.push({ name: e.name, size: e.size, type: e.type, permissions: permissionsOf(e.mode), modified: new Date(e.mtimeMs).toISOString() });
    } else {
      for (let i = 0; i < names.length; i += STAT_BATCH) {
        const batch = await Promise.all(names.slice(i, i + STAT_BATCH).map(async (name) => {
          const st = await fs.promises.lstat(dir.at(name)).catch(() => null); // removed meanwhile
          return st && { name, size: st.size, type: kindOf(st), permissions: permissionsOf(st.mode), modified: st.mtime.toISOString() };
        }));
        for (const e of batch) if (e) entries.push(e);
      }
    }
    entries.sort((a, b) => Number(b.type === 'directory') - Number(a.type === 'directory') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { path: p.text, entries };
  }));
}

/** Read a text file, capped; larger or binary files point to the download route. */
export async function readText(ctx: HomeContext & { textLimit: number }, args: { path: string }) {
  const p = parseEntryPath(args.path);
  return withHome(ctx, async (home) => using(await walk(home, p.parent.parts), async (dir) => {
    const { fd, st, rel } = await openRegular(dir, p.name, ctx);
    try {
      const download = `download it with GET /api/files/download instead`;
      if (st.size > ctx.textLimit)
        throw tooLarge(`'${rel}' is ${st.size} bytes, over the ${ctx.textLimit}-byte limit for reading as text; ${download}`);
      const buf = Buffer.alloc(ctx.textLimit + 1);
      let length = 0;
      for (;;) {
        const n = await readFd(fd, buf, length, buf.length - length, null);
        if (n === 0 || (length += n) >= buf.length) break;
      }
      if (length > ctx.textLimit) throw tooLarge(`'${rel}' grew over the ${ctx.textLimit}-byte text limit; ${download}`);
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
  }));
}
