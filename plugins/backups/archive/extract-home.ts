import fs from 'node:fs';
import { promisify } from 'node:util';
import { HomeLinks } from './links.js';
import { closeFd, DIR_FLAGS, openFd, StagingDirs, type DirRef } from './staging-dirs.js';
import { ArchiveError } from './tar-decode.js';
import type { TarEntry } from './tar-reader.js';

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
const FILE_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;
const write = promisify(fs.write) as unknown as (fd: number, b: Buffer, off: number, len: number) => Promise<number>;
const fchmod = promisify(fs.fchmod);
const fchown = promisify(fs.fchown);
const futimes = promisify(fs.futimes);
/** Files up to this size are written in the background, several at once. */
const SMALL = 256 * 1024;
const MAX_BEHIND = 32;

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
 * dropped, owners are forced to the account, and written bytes are bounded by the quota. Small
 * files are written in the background (bounded), so a restore does not wait on each round trip.
 */
export class HomeExtractor {
  written = 0;
  /** Mode the archive gives the home directory itself (setuid/setgid dropped). */
  rootMode = 0o750;
  private readonly dirs: { rel: string; mode: number; mtime: number; gid: number }[] = [];
  private readonly behind: Promise<void>[] = [];
  private readonly tree: StagingDirs;
  /** Symlinks with absolute targets: rebased at the end, once the manifest says where the home was. */
  private readonly absolute: { rel: string; target: string; gid: number; mtime: number }[] = [];

  constructor(
    private readonly staging: string,
    private readonly owner: ExtractOwner,
    private readonly quota: number | null,
  ) {
    this.tree = new StagingDirs(staging);
  }

  private gidFor(archived: number): number | null {
    if (this.owner.gid === null) return null;
    return this.owner.keepGids.includes(archived) ? archived : this.owner.gid;
  }

  private count(n: number): void {
    this.written += n;
    if (this.quota !== null && this.written > this.quota)
      throw new ArchiveError(
        `the backup's files exceed the account's disk quota (${Math.ceil(this.quota / 1048576)} MB)`,
      );
  }

  /** Handle one home entry (the scan passes them in archive order). */
  async entry(
    rel: string,
    h: TarEntry,
    kind: 'file' | 'directory' | 'symlink',
    data: AsyncIterable<Buffer> | null,
  ): Promise<void> {
    if (rel === '') {
      this.rootMode = h.mode & 0o1777;
      return;
    }
    const slash = rel.lastIndexOf('/');
    const parent = await this.tree.dir(slash === -1 ? '' : rel.slice(0, slash));
    const at = parent.at(rel.slice(slash + 1));
    try {
      if (kind === 'directory') {
        await fs.promises.mkdir(at, 0o700);
        this.dirs.push({ rel, mode: h.mode & 0o1777, mtime: h.mtime, gid: h.gid });
      } else if (kind === 'symlink') {
        await this.symlink(at, h.linkname, h.gid, h.mtime);
        if (h.linkname.startsWith('/')) this.absolute.push({ rel, target: h.linkname, gid: h.gid, mtime: h.mtime });
      } else if (h.size <= SMALL) {
        const pieces: Buffer[] = [];
        for await (const piece of data!) {
          this.count(piece.length);
          // Copied: a view would hold the whole inflated chunk (a member's worth) until written.
          pieces.push(Buffer.from(piece));
        }
        await this.later(parent, rel, this.smallFile(at, h, pieces));
      } else {
        await this.largeFile(parent, rel, at, h, data!);
      }
    } catch (e) {
      throw asArchiveError(e, rel);
    }
  }

  private async symlink(at: string, target: string, gid: number, mtime: number): Promise<void> {
    await fs.promises.symlink(target, at);
    if (this.owner.uid !== null) await fs.promises.lchown(at, this.owner.uid, this.gidFor(gid)!);
    await fs.promises.lutimes(at, asDate(mtime), asDate(mtime));
  }

  private async smallFile(at: string, h: TarEntry, pieces: Buffer[]): Promise<void> {
    const fd = await openFd(at, FILE_FLAGS, 0o600);
    try {
      for (const p of pieces) for (let off = 0; off < p.length; ) off += await write(fd, p, off, p.length - off);
      await this.settle(fd, h.mode & 0o777, h.gid, h.mtime);
    } finally {
      await closeFd(fd);
    }
  }

  private async largeFile(
    parent: DirRef,
    rel: string,
    at: string,
    h: TarEntry,
    data: AsyncIterable<Buffer>,
  ): Promise<void> {
    const fd = await openFd(at, FILE_FLAGS, 0o600);
    try {
      for await (const piece of data) {
        this.count(piece.length);
        for (let off = 0; off < piece.length; ) off += await write(fd, piece, off, piece.length - off);
      }
    } catch (e) {
      await closeFd(fd);
      throw e;
    }
    await this.later(
      parent,
      rel,
      this.settle(fd, h.mode & 0o777, h.gid, h.mtime).finally(() => closeFd(fd)),
    );
  }

  /** Let work finish in the background, holding its directory open; at most {@link MAX_BEHIND} at once. */
  private async later(parent: DirRef, rel: string, work: Promise<void>): Promise<void> {
    parent.hold();
    this.behind.push(work.catch((e) => Promise.reject(asArchiveError(e, rel))).finally(() => parent.release()));
    if (this.behind.length >= MAX_BEHIND) await this.drain();
  }

  private async drain(): Promise<void> {
    const failed = (await Promise.allSettled(this.behind.splice(0))).find((r) => r.status === 'rejected') as
      | PromiseRejectedResult
      | undefined;
    if (failed) throw failed.reason;
  }

  /** Final mode, owner (the account) and time of a file or directory, on its fd. */
  private async settle(fd: number, mode: number, archivedGid: number, mtime: number): Promise<void> {
    await fchmod(fd, mode);
    if (this.owner.uid !== null) await fchown(fd, this.owner.uid, this.gidFor(archivedGid)!);
    await futimes(fd, asDate(mtime), asDate(mtime));
  }

  /**
   * After a verified pass: absolute symlinks into the archived home (`homes.from`) point into the
   * home they are restored to; directory modes, owners and times are applied (deepest first,
   * after their content); all is closed. Paths from the staging root are safe here: no entry
   * lies under a symlink (the scan refuses that), and a symlink itself is never followed.
   */
  async finish(homes: { from: string; to: string }): Promise<void> {
    await this.drain();
    await this.tree.closeAll();
    for (const l of this.absolute) {
      const target = HomeLinks.rebase(l.target, homes.from, homes.to);
      if (target === l.target) continue;
      const at = `${this.staging}/${l.rel}`;
      await fs.promises.unlink(at);
      await this.symlink(at, target, l.gid, l.mtime);
    }
    for (const d of this.dirs.reverse()) {
      const fd = await openFd(`${this.staging}/${d.rel}`, DIR_FLAGS);
      try {
        await this.settle(fd, d.mode, d.gid, d.mtime);
      } finally {
        await closeFd(fd);
      }
    }
  }

  /** Close what is open after a failure (the caller removes the staging directory). */
  async abort(): Promise<void> {
    await this.drain().catch(() => undefined);
    await this.tree.closeAll();
  }
}

/** Seconds as a Date: Node takes a negative number of seconds (before 1970) for "now". */
function asDate(seconds: number): Date {
  return new Date(seconds * 1000);
}

/**
 * A write's failure, named by its member: an errno code says what went wrong without naming a
 * path. An error without one (the archive's source breaking off in its own words, which may name
 * the target's directory) is passed on as it is: a restore tells its text to admins only.
 */
function asArchiveError(e: unknown, rel: string): Error {
  if (e instanceof ArchiveError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return e as Error;
  return new ArchiveError(
    code === 'EEXIST' ? `home/${rel} appears twice in the archive` : `home/${rel} could not be written (${code})`,
  );
}
