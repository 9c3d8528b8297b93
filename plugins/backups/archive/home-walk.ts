import fs from 'node:fs';
import { promisify } from 'node:util';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;
const FILE_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK;
const MAX_DEPTH = 128;
const PREFETCH = 16;

const open = promisify(fs.open) as (p: string, flags: number) => Promise<number>;
const fstat = promisify(fs.fstat) as (fd: number) => Promise<fs.Stats>;
const close = (fd: number) => new Promise<void>((r) => fs.close(fd, () => r()));

/** Reads a file by fd into a given buffer (for {@link TarWriter.addStreamed}). */
export function fdReader(fd: number): (buf: Buffer, offset: number, length: number) => Promise<number> {
  let position = 0;
  return (buf, offset, length) =>
    new Promise((resolve, reject) =>
      fs.read(fd, buf, offset, length, position, (e, n) => {
        if (e) return reject(e);
        position += n;
        resolve(n);
      }),
    );
}

/** What the walk hands over, in depth-first order with parents before children. */
export interface HomeVisitor {
  directory(rel: string, st: fs.Stats): Promise<void>;
  symlink(rel: string, st: fs.Stats, target: string): Promise<void>;
  /** `fd` is open for reading and closed by the walk afterwards. */
  file(rel: string, st: fs.Stats, fd: number): Promise<void>;
  skipped(rel: string, reason: string): void;
}

type Opened =
  | { kind: 'file'; fd: number; st: fs.Stats }
  | { kind: 'other'; st: fs.Stats | null; error?: NodeJS.ErrnoException };

/**
 * Walk an account's home without ever following a link: every directory is opened with
 * `O_NOFOLLOW | O_DIRECTORY` through its parent's fd (`/proc/self/fd/<fd>/<name>`), every file with
 * `O_NOFOLLOW` and checked on the opened inode, so a path swapped for a symlink mid-walk fails
 * instead of leading out. Skips (and reports) devices, FIFOs, sockets, other filesystems, and
 * hard links to files the account does not own (a tenant can link a root-owned file in).
 */
export async function walkHome(home: string, ownerUid: number | null, visit: HomeVisitor): Promise<void> {
  const rootFd = await open(home, DIR_FLAGS);
  try {
    const st = await fstat(rootFd);
    await visit.directory('', st);
    await walkDir(rootFd, '', st.dev, ownerUid, visit, 0);
  } finally {
    await close(rootFd);
  }
}

async function openEntry(at: string, dirent: fs.Dirent): Promise<Opened> {
  if (!dirent.isFile()) return { kind: 'other', st: await fs.promises.lstat(at).catch(() => null) };
  let fd: number;
  try {
    fd = await open(at, FILE_FLAGS);
  } catch (e) {
    return { kind: 'other', st: await fs.promises.lstat(at).catch(() => null), error: e as NodeJS.ErrnoException };
  }
  try {
    return { kind: 'file', fd, st: await fstat(fd) };
  } catch (e) {
    await close(fd);
    return { kind: 'other', st: null, error: e as NodeJS.ErrnoException };
  }
}

async function walkDir(
  dirFd: number,
  rel: string,
  dev: number,
  ownerUid: number | null,
  visit: HomeVisitor,
  depth: number,
): Promise<void> {
  const base = `/proc/self/fd/${dirFd}`;
  const entries = (await fs.promises.readdir(base, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  // Opens run ahead of the writer so small files do not wait on one round trip each.
  const pending: Promise<Opened>[] = [];
  const start = (i: number) => {
    if (i < entries.length) pending[i] = openEntry(`${base}/${entries[i]!.name}`, entries[i]!);
  };
  // Bounded fds: only shallow levels prefetch (PREFETCH × 8 levels at most).
  const ahead = depth < 8 ? PREFETCH : 0;
  for (let i = 0; i <= ahead; i++) start(i);
  for (let i = 0; i < entries.length; i++) {
    start(i + ahead + 1);
    const dirent = entries[i]!;
    const childRel = rel ? `${rel}/${dirent.name}` : dirent.name;
    const opened = await pending[i]!;
    delete pending[i];
    if (opened.kind === 'file') {
      try {
        const st = opened.st;
        if (!st.isFile()) visit.skipped(childRel, 'not a regular file');
        else if (st.dev !== dev) visit.skipped(childRel, 'on another filesystem');
        else if (st.nlink > 1 && ownerUid !== null && st.uid !== ownerUid)
          visit.skipped(childRel, 'hard link to a file the account does not own');
        else await visit.file(childRel, st, opened.fd);
      } finally {
        await close(opened.fd);
      }
      continue;
    }
    const st = opened.st;
    if (!st) visit.skipped(childRel, `vanished during the backup${opened.error ? ` (${opened.error.code})` : ''}`);
    else if (st.isSymbolicLink())
      await visit.symlink(childRel, st, await fs.promises.readlink(`${base}/${dirent.name}`));
    else if (st.isDirectory()) await descend(dirFd, dirent.name, childRel, dev, ownerUid, visit, depth);
    else visit.skipped(childRel, st.isFile() ? 'could not be opened' : 'device, FIFO or socket');
  }
}

async function descend(
  parentFd: number,
  name: string,
  rel: string,
  dev: number,
  ownerUid: number | null,
  visit: HomeVisitor,
  depth: number,
): Promise<void> {
  if (depth >= MAX_DEPTH) return visit.skipped(rel, `deeper than ${MAX_DEPTH} levels`);
  let fd: number;
  try {
    fd = await open(`/proc/self/fd/${parentFd}/${name}`, DIR_FLAGS);
  } catch (e) {
    return visit.skipped(rel, `could not be opened (${(e as NodeJS.ErrnoException).code})`);
  }
  try {
    const st = await fstat(fd);
    if (st.dev !== dev) return visit.skipped(rel, 'on another filesystem');
    await visit.directory(rel, st);
    await walkDir(fd, rel, dev, ownerUid, visit, depth + 1);
  } finally {
    await close(fd);
  }
}
