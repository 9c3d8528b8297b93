import fs from 'node:fs';
import { errors } from '../../../sdk/errors.js';
import { isPanelName, parseEntryPath } from '../paths.js';
import { type Dir, fsError, using } from './fd.js';
import { lstatAt, openDir, refuseForeignHardlink, walk, withHome, type HomeContext } from './walk.js';

/** Size of a tree. */
export interface TreeSize {
  /** Apparent bytes of its regular files (what an archive of it holds). */
  bytes: number;
  entries: number;
  /** Disk space it takes now: st_blocks × 512 of every inode, a hard-linked inode once (as `du`). */
  allocated: number;
  /** Disk space a copy takes: files are written out in full (a sparse file's holes too), whole blocks. */
  copied: number;
}

/** How a walk measures: strict (before a copy or an archive) or the home's usage (stays on one filesystem). */
interface Measure {
  ctx: HomeContext;
  strict: boolean;
  block: number;
  seen: Set<string>;
  /** Usage only: the home's filesystem; folders on others are not counted (`du -x`). */
  dev: number | null;
  /** Usage only: the panel's own entries at the home's root (trash, upload temp files) count too. */
  panelEntries?: boolean;
}

const MAX_DEPTH = 256;
const BATCH = 64;
const empty = (): TreeSize => ({ bytes: 0, entries: 0, allocated: 0, copied: 0 });

/** `size` rounded up to whole blocks: the least a file of that size takes once written. */
export function inBlocks(size: number, block: number): number {
  return Math.ceil(size / block) * block;
}

/** Block size of the filesystem a directory is on (4096 when it cannot be told). */
export async function blockSize(dir: Dir): Promise<number> {
  const fsStat = await fs.promises.statfs(dir.path).catch(() => null);
  return fsStat && fsStat.bsize > 0 ? fsStat.bsize : 4096;
}

function add(total: TreeSize, st: fs.Stats, rel: string, m: Measure): void {
  const onDisk = st.blocks * 512;
  if (st.isFile()) {
    if (m.strict) refuseForeignHardlink(st, m.ctx, rel);
    total.bytes += st.size;
    total.copied += Math.max(inBlocks(st.size, m.block), onDisk);
  } else if (st.isDirectory()) {
    total.copied += Math.max(m.block, onDisk);
  } else if (m.strict && !st.isSymbolicLink()) {
    throw errors.forbidden(`'${rel}' is a special file (device, FIFO or socket); it cannot be copied or archived`);
  } else {
    total.copied += onDisk;
  }
  total.entries += 1;
  if (st.nlink > 1 && !st.isDirectory()) {
    const key = `${st.dev}:${st.ino}`;
    if (m.seen.has(key)) return;
    m.seen.add(key);
  }
  total.allocated += onDisk;
}

async function entry(dir: Dir, name: string, st: fs.Stats, m: Measure, depth: number, total: TreeSize): Promise<void> {
  if (m.dev !== null && st.dev !== m.dev) return;
  add(total, st, dir.relOf(name), m);
  if (!st.isDirectory()) return;
  if (depth > MAX_DEPTH) throw errors.conflict(`'${dir.relOf(name)}' is nested deeper than ${MAX_DEPTH} levels`);
  await using(await openDir(dir, name), (sub) => inside(sub, m, depth + 1, total));
}

/** Measure everything inside an open directory: stats in parallel batches, folders one at a time. */
async function inside(dir: Dir, m: Measure, depth: number, total: TreeSize): Promise<void> {
  const names = await fs.promises.readdir(dir.path).catch((e) => {
    throw fsError(e, dir.rel);
  });
  const folders: [string, fs.Stats][] = [];
  for (let i = 0; i < names.length; i += BATCH) {
    const stats = await Promise.all(names.slice(i, i + BATCH).map(async (n) => [n, await lstatAt(dir, n)] as const));
    for (const [n, st] of stats) {
      if (!st || (!m.panelEntries && depth === 0 && dir.rel === '/' && isPanelName(n))) continue;
      if (st.isDirectory()) folders.push([n, st]);
      else await entry(dir, n, st, m, depth, total);
    }
  }
  for (const [n, st] of folders) await entry(dir, n, st, m, depth, total);
}

/**
 * Measure `dir/name` without following links. `strict` (before a copy or an archive) refuses
 * what the operation would refuse later: special files and foreign hard links.
 */
export async function measureEntry(dir: Dir, name: string, ctx: HomeContext, strict: boolean): Promise<TreeSize> {
  const total = empty();
  const st = await lstatAt(dir, name);
  if (st)
    await entry(dir, name, st, { ctx, strict, block: await blockSize(dir), seen: new Set(), dev: null }, 0, total);
  return total;
}

/**
 * Disk space the account's home takes, counted as `du -s -x` counts it (the accounts plugin's
 * disk_used_mb): allocated blocks of every inode, the home's own included, hard links once, one
 * filesystem. What the trash still holds counts: it is on the disk until the purge frees it (the
 * quota-checked operations wait a little for a running purge, see FileRunner.withQuota).
 */
export async function diskUsage(ctx: HomeContext): Promise<TreeSize> {
  return withHome(ctx, async (home) => {
    const st = await fs.promises.stat(home.path).catch((e) => {
      throw fsError(e, '/');
    });
    const m: Measure = {
      ctx,
      strict: false,
      block: await blockSize(home),
      seen: new Set(),
      dev: st.dev,
      panelEntries: true,
    };
    const total = empty();
    add(total, st, '/', m);
    await inside(home, m, 0, total);
    return total;
  });
}

/**
 * Bytes of disk left under a quota (null: no quota). `used`: the account's usage as the panel
 * counts it (its counter or the OS quota), so the check costs nothing; absent, the home is walked.
 */
export async function freeBytes(ctx: HomeContext, quota: number | null, used?: number | null): Promise<number | null> {
  if (quota === null) return null;
  return Math.max(0, quota - (used ?? (await diskUsage(ctx)).allocated));
}

/** Total size of a selection of paths (to decide whether an archive operation runs as a job). */
export async function selectionSize(ctx: HomeContext, args: { paths: string[] }): Promise<TreeSize> {
  const total = empty();
  await withHome(ctx, async (home) => {
    for (const input of args.paths) {
      const p = parseEntryPath(input, 'paths');
      const size = await using(await walk(home, p.parent.parts), (d) => measureEntry(d, p.name, ctx, false));
      for (const k of ['bytes', 'entries', 'allocated', 'copied'] as const) total[k] += size[k];
    }
  });
  return total;
}
