import fs from 'node:fs';
import { promisify } from 'node:util';
import { HomeLinks } from './links.js';
import { ArchiveError } from './tar-decode.js';
import type { TarEntry } from './tar-reader.js';

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_DIRECTORY, O_NOFOLLOW } = fs.constants;
const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;
const open = promisify(fs.open) as (p: string, flags: number, mode?: number) => Promise<number>;
const close = (fd: number) => new Promise<void>((r) => fs.close(fd, () => r()));
const write = promisify(fs.write) as unknown as (fd: number, b: Buffer, off: number, len: number) => Promise<number>;
const fchmod = promisify(fs.fchmod);
const fchown = promisify(fs.fchown);
const futimes = promisify(fs.futimes);

/** Who restored files belong to: the account, whatever the archive says. */
export interface ExtractOwner {
  /** Null in local mode (no system users): ownership is left to the panel's user. */
  uid: number | null;
  gid: number | null;
  /** Groups an archived entry may keep (the account's and the home's own); others become `gid`. */
  keepGids: number[];
}

/**
 * Writes the home entries of a verified archive into a fresh staging directory that only the
 * panel can reach. Nothing is ever followed: each parent is opened with `O_NOFOLLOW|O_DIRECTORY`
 * below the staging fd, files are created with `O_EXCL|O_NOFOLLOW`, setuid/setgid bits are
 * dropped, owners are forced to the account, and written bytes are bounded by the quota.
 */
export class HomeExtractor {
  written = 0;
  /** Mode the archive gives the home directory itself (setuid/setgid dropped). */
  rootMode = 0o750;
  private readonly stack: { rel: string; fd: number }[] = [];
  private readonly dirs: { rel: string; mode: number; mtime: number; gid: number }[] = [];
  private readonly behind: Promise<void>[] = [];

  constructor(private readonly staging: string, private readonly owner: ExtractOwner, private readonly quota: number | null, private readonly homes: { from: string; to: string }) {}

  private gidFor(archived: number): number | null {
    if (this.owner.gid === null) return null;
    return this.owner.keepGids.includes(archived) ? archived : this.owner.gid;
  }

  /** Fd of the directory `rel`, opening each step below the deepest open one without following links. */
  private async dirFd(rel: string): Promise<number> {
    if (this.stack.length === 0) this.stack.push({ rel: '', fd: await open(this.staging, DIR_FLAGS) });
    while (this.stack.length > 1 && !(rel === this.stack.at(-1)!.rel || rel.startsWith(this.stack.at(-1)!.rel + '/'))) await close(this.stack.pop()!.fd);
    const top = this.stack.at(-1)!;
    const rest = rel.slice(top.rel.length).split('/').filter(Boolean);
    for (const name of rest) {
      const cur = this.stack.at(-1)!;
      const next = cur.rel ? `${cur.rel}/${name}` : name;
      try {
        this.stack.push({ rel: next, fd: await open(`/proc/self/fd/${cur.fd}/${name}`, DIR_FLAGS) });
      } catch (e) {
        throw new ArchiveError(`home/${next} is not a directory created earlier in the archive (${(e as NodeJS.ErrnoException).code})`);
      }
    }
    return this.stack.at(-1)!.fd;
  }

  /** Handle one home entry (the scan passes them in archive order). */
  async entry(rel: string, h: TarEntry, kind: 'file' | 'directory' | 'symlink', data: AsyncIterable<Buffer> | null): Promise<void> {
    if (rel === '') {
      this.rootMode = h.mode & 0o1777;
      return;
    }
    const slash = rel.lastIndexOf('/');
    const parent = await this.dirFd(slash === -1 ? '' : rel.slice(0, slash));
    const at = `/proc/self/fd/${parent}/${rel.slice(slash + 1)}`;
    try {
      if (kind === 'directory') {
        await fs.promises.mkdir(at, 0o700);
        this.dirs.push({ rel, mode: h.mode & 0o1777, mtime: h.mtime, gid: h.gid });
      } else if (kind === 'symlink') {
        await fs.promises.symlink(HomeLinks.rebase(h.linkname, this.homes.from, this.homes.to), at);
        if (this.owner.uid !== null) await fs.promises.lchown(at, this.owner.uid, this.gidFor(h.gid)!);
        await fs.promises.lutimes(at, h.mtime, h.mtime);
      } else {
        await this.file(at, h, data!);
      }
    } catch (e) {
      if (e instanceof ArchiveError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new ArchiveError(code === 'EEXIST' ? `home/${rel} appears twice in the archive` : `home/${rel} could not be written (${code ?? (e as Error).message})`);
    }
  }

  private async file(at: string, h: TarEntry, data: AsyncIterable<Buffer>): Promise<void> {
    const fd = await open(at, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    try {
      for await (const piece of data) {
        this.written += piece.length;
        if (this.quota !== null && this.written > this.quota) throw new ArchiveError(`the backup's files exceed the account's disk quota (${Math.ceil(this.quota / 1048576)} MB)`);
        for (let off = 0; off < piece.length; ) off += await write(fd, piece, off, piece.length - off);
      }
    } catch (e) {
      await close(fd);
      throw e;
    }
    // Nothing later depends on a file's mode, owner and time: settle them in the background
    // (bounded), so the next entry does not wait on these round trips.
    this.behind.push(this.settle(fd, h.mode & 0o777, h.gid, h.mtime).finally(() => close(fd)));
    if (this.behind.length >= 64) await this.drain();
  }

  private async drain(): Promise<void> {
    const batch = this.behind.splice(0);
    const failed = (await Promise.allSettled(batch)).find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (failed) throw new ArchiveError(`a restored file could not be finished (${(failed.reason as NodeJS.ErrnoException)?.code ?? failed.reason})`);
  }

  /** Final mode, owner (the account) and time of a file or directory, on its fd. */
  private async settle(fd: number, mode: number, archivedGid: number, mtime: number): Promise<void> {
    await fchmod(fd, mode);
    if (this.owner.uid !== null) await fchown(fd, this.owner.uid, this.gidFor(archivedGid)!);
    await futimes(fd, mtime, mtime);
  }

  /** Apply directory modes, owners and times (deepest first, after their content), then close. */
  async finish(): Promise<void> {
    await this.drain();
    while (this.stack.length) await close(this.stack.pop()!.fd);
    for (const d of this.dirs.reverse()) {
      const fd = await open(`${this.staging}/${d.rel}`, DIR_FLAGS);
      try {
        await this.settle(fd, d.mode, d.gid, d.mtime);
      } finally {
        await close(fd);
      }
    }
  }

  /** Close what is open after a failure (the caller removes the staging directory). */
  async abort(): Promise<void> {
    await this.drain().catch(() => undefined);
    while (this.stack.length) await close(this.stack.pop()!.fd);
  }
}
