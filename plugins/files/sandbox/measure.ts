import fs from 'node:fs';
import { errors } from '../../../sdk/errors.js';
import { type Dir, fsError, using } from './fd.js';
import { parseEntryPath } from '../paths.js';
import { lstatAt, openDir, refuseForeignHardlink, walk, withHome, type HomeContext } from './walk.js';

/** Size of a tree: bytes of its regular files and number of entries. */
export interface TreeSize {
  bytes: number;
  entries: number;
}

const MAX_DEPTH = 256;
const BATCH = 64;

/**
 * Measure `dir/name` without following links. `strict` (before a copy or an archive) refuses
 * what the operation would refuse later: special files and foreign hard links.
 */
export async function measureEntry(dir: Dir, name: string, ctx: HomeContext, strict: boolean, depth = 0): Promise<TreeSize> {
  const st = await lstatAt(dir, name);
  if (!st) return { bytes: 0, entries: 0 };
  if (!st.isDirectory()) return { bytes: leafSize(st, dir.relOf(name), ctx, strict), entries: 1 };
  if (depth > MAX_DEPTH) throw errors.conflict(`'${dir.relOf(name)}' is nested deeper than ${MAX_DEPTH} levels`);
  const inner = await using(await openDir(dir, name), (sub) => measureInside(sub, ctx, strict, depth + 1));
  return { bytes: inner.bytes, entries: inner.entries + 1 };
}

function leafSize(st: fs.Stats, rel: string, ctx: HomeContext, strict: boolean): number {
  if (st.isFile()) {
    if (strict) refuseForeignHardlink(st, ctx, rel);
    return st.size;
  }
  if (strict && !st.isSymbolicLink()) throw errors.forbidden(`'${rel}' is a special file (device, FIFO or socket); it cannot be copied or archived`);
  return 0;
}

/** Measure everything inside an open directory: stats in parallel batches, folders one at a time. */
export async function measureInside(dir: Dir, ctx: HomeContext, strict: boolean, depth = 0): Promise<TreeSize> {
  const total: TreeSize = { bytes: 0, entries: 0 };
  const names = await fs.promises.readdir(dir.path).catch((e) => { throw fsError(e, dir.rel); });
  const folders: string[] = [];
  for (let i = 0; i < names.length; i += BATCH) {
    const stats = await Promise.all(names.slice(i, i + BATCH).map(async (n) => [n, await lstatAt(dir, n)] as const));
    for (const [n, st] of stats) {
      if (st?.isDirectory()) folders.push(n);
      else if (st) {
        total.bytes += leafSize(st, dir.relOf(n), ctx, strict);
        total.entries += 1;
      }
    }
  }
  for (const n of folders) {
    const s = await measureEntry(dir, n, ctx, strict, depth);
    total.bytes += s.bytes;
    total.entries += s.entries;
  }
  return total;
}

/** Bytes used by the account's home (regular files, apparent size), for the quota. */
export async function diskUsage(ctx: HomeContext): Promise<TreeSize> {
  return withHome(ctx, (home) => measureInside(home, ctx, false));
}

/** Bytes left under a quota (null: no quota), measured now in this process. */
export async function freeBytes(ctx: HomeContext, quota: number | null): Promise<number | null> {
  if (quota === null) return null;
  return Math.max(0, quota - (await diskUsage(ctx)).bytes);
}

/** Total size of a selection of paths (to decide whether an archive operation runs as a job). */
export async function selectionSize(ctx: HomeContext, args: { paths: string[] }): Promise<TreeSize> {
  const total: TreeSize = { bytes: 0, entries: 0 };
  await withHome(ctx, async (home) => {
    for (const input of args.paths) {
      const p = parseEntryPath(input, 'paths');
      const size = await using(await walk(home, p.parent.parts), (d) => measureEntry(d, p.name, ctx, false));
      total.bytes += size.bytes;
      total.entries += size.entries;
    }
  });
  return total;
}
