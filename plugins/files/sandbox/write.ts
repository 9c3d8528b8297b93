import fs from 'node:fs';
import { errors } from '../../../sdk/errors.js';
import { parseEntryPath } from '../paths.js';
import {
  closeFd,
  type Dir,
  fchmodFd,
  fsError,
  O_CREAT,
  O_EXCL,
  O_NOFOLLOW,
  O_WRONLY,
  openFd,
  tempName,
  using,
} from './fd.js';
import { checkFill, type Filler, type FillLimits, quotaExceeded } from './fill.js';
import { blockSize, freeBytes, inBlocks } from './measure.js';
import { lstatAt, openDir, walk, withHome, type HomeContext } from './walk.js';

/** How a new file may be placed: replace or not, and the quota and size budgets in bytes. */
export interface PlaceOptions {
  overwrite: boolean;
  /** Bytes still free in the account's quota; null when unlimited. */
  free: number | null;
  /** Largest accepted size (uploads); null when unlimited. */
  maxBytes?: number | null;
  /** Most bytes the source declares it brings (an upload's Content-Length, framing included). */
  declared?: number | null;
}

// Multipart framing around one file is a few hundred bytes; this much slack never refuses a file that fits.
const FRAMING_SLACK = 64 * 1024;

/**
 * Write a file atomically: into a temp file beside it (created with O_EXCL|O_NOFOLLOW), then
 * placed under the name whole. Replacing: renamed over the name; the rename replaces a directory
 * entry, so an old hard link to a foreign file is detached, never written through. Not replacing:
 * hard-linked to the name, which like O_EXCL fails when the name exists — a file that appears
 * after the check below still wins (409) and is never emptied, and no half-written file ever
 * carries the name. On any failure the temp file is removed.
 */
export async function placeFile(dir: Dir, name: string, opts: PlaceOptions, source: Buffer | Filler): Promise<number> {
  const rel = dir.relOf(name);
  const existing = await lstatAt(dir, name);
  let mode = 0o644;
  let oldDisk = 0;
  if (existing) {
    if (existing.isSymbolicLink()) throw fsError({ code: 'ELOOP' }, rel);
    if (existing.isDirectory()) throw errors.conflict(`'${rel}' is a directory`);
    if (!existing.isFile()) throw errors.forbidden(`'${rel}' is not a regular file`);
    if (!opts.overwrite) throw exists(rel);
    mode = existing.mode & 0o777;
    oldDisk = existing.nlink > 1 ? 0 : existing.blocks * 512; // a file still linked elsewhere frees nothing
  }
  // Quota in disk blocks, as the home is measured: the new file replaces the old one's blocks.
  const limits: FillLimits = {
    rel,
    max: opts.maxBytes ?? null,
    budget: opts.free === null ? null : opts.free + oldDisk,
    block: opts.free === null ? 1 : await blockSize(dir),
    oldDisk,
    free: opts.free ?? 0,
  };
  if (Buffer.isBuffer(source)) checkFill(source.length, limits);
  // Refused before a byte is written when the declared body alone cannot fit.
  if (
    opts.declared != null &&
    limits.budget !== null &&
    inBlocks(opts.declared, limits.block) > limits.budget + FRAMING_SLACK
  )
    throw quotaExceeded(rel, opts.declared, limits.free);
  const tmp = tempName('part');
  const fd = await openFd(dir.at(tmp), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode).catch((e) => {
    throw fsError(e, rel);
  });
  let open = true;
  let placed = false;
  try {
    let size = 0;
    if (Buffer.isBuffer(source)) {
      await new Promise<void>((resolve, reject) => fs.writeFile(fd, source, (e) => (e ? reject(e) : resolve())));
      size = source.length;
    } else {
      size = await source(fd, limits);
    }
    await fchmodFd(fd, mode); // the umask may have narrowed it; keep the replaced file's bits
    open = false;
    await closeFd(fd);
    const place = opts.overwrite ? fs.promises.rename : fs.promises.link;
    await place(dir.at(tmp), dir.at(name)).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EEXIST' && !opts.overwrite ? exists(rel) : fsError(e, rel);
    });
    placed = true;
    return size;
  } catch (e) {
    throw fsError(e, rel); // a full disk mid-write names the file (507), like any other system error
  } finally {
    if (open) await closeFd(fd);
    // After a link the temp name is a second name of the placed file: only the name goes.
    if (!placed || !opts.overwrite) await fs.promises.unlink(dir.at(tmp)).catch(() => undefined);
  }
}

const exists = (rel: string) => errors.conflict(`'${rel}' already exists; pass overwrite=true to replace it`);

/**
 * `POST /api/files/write`: create or overwrite a text file in an existing folder; with
 * `overwrite: false` only create it (409 when the name exists).
 */
export async function writeText(
  ctx: HomeContext,
  args: { path: string; content: string; quota: number | null; used?: number | null; overwrite?: boolean },
) {
  const p = parseEntryPath(args.path);
  const data = Buffer.from(args.content, 'utf8');
  return withHome(ctx, async (home) =>
    using(await walk(home, p.parent.parts), async (dir) => {
      const size = await placeFile(
        dir,
        p.name,
        { overwrite: args.overwrite ?? true, free: await freeBytes(ctx, args.quota, args.used) },
        data,
      );
      return { path: p.text, size };
    }),
  );
}

/** An upload: where, whether it may replace, the quota and size limits, the declared body size. */
export interface UploadArgs {
  folder: string;
  name: string;
  overwrite: boolean;
  quota: number | null;
  /** The account's usage as counted (see freeBytes); absent: measured. */
  used?: number | null;
  maxBytes: number;
  declared: number | null;
}

/** Stream an upload into `folder/name`. */
export async function receiveFile(ctx: HomeContext, args: UploadArgs, fill: Filler) {
  const p = parseEntryPath(`${args.folder}/${args.name}`);
  return withHome(ctx, async (home) =>
    using(await walk(home, p.parent.parts), async (dir) => {
      const free = await freeBytes(ctx, args.quota, args.used);
      const size = await placeFile(
        dir,
        p.name,
        { overwrite: args.overwrite, free, maxBytes: args.maxBytes, declared: args.declared },
        fill,
      );
      return { path: p.text, size };
    }),
  );
}

/** `POST /api/files/mkdir`: create a folder and any missing parents (mode 755). */
export async function makeDir(ctx: HomeContext, args: { path: string }) {
  const p = parseEntryPath(args.path);
  return withHome(ctx, async (home) => {
    let dir = await walk(home, []);
    try {
      for (const [i, name] of p.parts.entries()) {
        await fs.promises.mkdir(dir.at(name), 0o755).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST' || i === p.parts.length - 1) throw fsError(e, dir.relOf(name));
        });
        const next = await openDir(dir, name);
        await dir.close();
        dir = next;
      }
    } finally {
      await dir.close();
    }
    return { path: p.text };
  });
}
