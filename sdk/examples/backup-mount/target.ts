import { randomBytes } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertBackupObjectName,
  errors,
  type BackupObject,
  type BackupScope,
  type BackupTarget,
} from 'velopanel/sdk/index.js';
import { diskSpace, isMountedDisk } from './mounts.js';

/** Settings of one mounted-disk target (validated by the factory's schema). */
export interface MountedDiskSettings {
  mount_point: string;
  directory: string;
  keep: number;
  min_free_mb: number;
}

/** `<name>-YYYYMMDD-HHMMSS.tar.gz`, the panel's archive names: rotation works on these only. */
const ARCHIVE = /^(.+)-(\d{8}-\d{6})\.tar\.gz$/;

/**
 * Backups in `<mount_point>/<directory>` on a disk that must really be mounted: every operation
 * checks the mount first, so an unmounted disk fails loudly instead of filling the system disk.
 * Writes go to a hidden temp file renamed into place; no name is followed through a symlink.
 * After each archive, older archives of the same account beyond `keep` are removed.
 */
export class MountedDiskTarget implements BackupTarget {
  readonly kind = 'mounted-disk';
  private readonly dir: string;

  constructor(
    readonly id: string,
    readonly scope: BackupScope,
    private readonly s: MountedDiskSettings,
  ) {
    this.dir = path.join(s.mount_point, s.directory);
  }

  private async ready(): Promise<void> {
    if (!(await isMountedDisk(this.s.mount_point)))
      throw errors.unavailable(
        `Backup target '${this.id}': ${this.s.mount_point} is not a mounted disk (is it mounted?)`,
      );
    await mkdir(this.dir, { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    if (!(await lstat(this.dir)).isDirectory())
      throw errors.unavailable(`Backup target '${this.id}': ${this.dir} is not a directory`);
  }

  private at(name: string): string {
    assertBackupObjectName(name);
    return path.join(this.dir, name);
  }

  async test() {
    try {
      await this.ready();
      const probe = path.join(this.dir, `.probe-${randomBytes(6).toString('hex')}`);
      await (await open(probe, 'wx', 0o600)).close();
      await unlink(probe);
      return { ok: true };
    } catch (e) {
      return {
        ok: false,
        error: (e as Error).message.startsWith('Backup target')
          ? (e as Error).message
          : `Backup target '${this.id}': ${this.dir} is not writable (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      };
    }
  }

  async put(name: string, from: Readable, opts: { signal?: AbortSignal } = {}): Promise<BackupObject> {
    const final = this.at(name);
    await this.ready();
    const space = await diskSpace(this.dir);
    if (space && space.free_mb < this.s.min_free_mb)
      throw errors.unavailable(
        `Backup target '${this.id}': ${this.s.mount_point} has ${space.free_mb} MB free, below min_free_mb (${this.s.min_free_mb})`,
      );
    const temp = path.join(this.dir, `.${name}.part-${randomBytes(6).toString('hex')}`);
    try {
      // 'wx' is O_CREAT|O_EXCL: it fails on anything already there, a planted symlink included.
      await pipeline(from, createWriteStream(temp, { flags: 'wx', mode: 0o600 }), { signal: opts.signal });
      // On the disk before it carries the final name: a crash leaves an old archive or none, never half of one.
      const written = await open(temp, constants.O_RDONLY | constants.O_NOFOLLOW);
      await written.sync().finally(() => written.close());
      await rename(temp, final);
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw e;
    }
    await this.rotate(name);
    return (await this.stat(name))!;
  }

  /** Keep the newest `keep` archives of the account `name` belongs to (0: keep all). */
  private async rotate(name: string): Promise<void> {
    const account = ARCHIVE.exec(name)?.[1];
    if (!account || this.s.keep === 0) return;
    const same = (await this.list(`${account}-`)).filter((o) => ARCHIVE.exec(o.name)?.[1] === account);
    const newestFirst = same.sort((a, b) => ARCHIVE.exec(b.name)![2]!.localeCompare(ARCHIVE.exec(a.name)![2]!));
    for (const old of newestFirst.slice(this.s.keep)) await this.delete(old.name);
  }

  async get(name: string): Promise<Readable> {
    const file = this.at(name);
    await this.ready();
    const fh = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ELOOP')
        throw errors.notFound(`Backup ${name} not found on target '${this.id}'`);
      throw e;
    });
    if (!(await fh.stat()).isFile()) {
      await fh.close();
      throw errors.notFound(`Backup ${name} not found on target '${this.id}'`);
    }
    return fh.createReadStream();
  }

  async list(prefix = ''): Promise<BackupObject[]> {
    assertBackupObjectName(prefix, 'prefix', true);
    await this.ready();
    const out: BackupObject[] = [];
    for (const entry of await readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name.startsWith('.') || !entry.name.startsWith(prefix)) continue;
      const o = await this.statFile(entry.name).catch(() => null);
      if (o) out.push(o);
    }
    return out;
  }

  async stat(name: string): Promise<BackupObject | null> {
    this.at(name);
    await this.ready();
    return this.statFile(name);
  }

  private async statFile(name: string): Promise<BackupObject | null> {
    const st = await lstat(this.at(name)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    return st?.isFile() ? { name, size: st.size, modified: st.mtime.toISOString() } : null;
  }

  async delete(name: string): Promise<boolean> {
    if (!(await this.stat(name))) return false;
    await unlink(this.at(name));
    return true;
  }
}
