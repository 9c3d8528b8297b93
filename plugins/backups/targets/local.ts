import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  assertBackupObjectName,
  errors,
  failpoint,
  Type,
  type BackupObject,
  type BackupScope,
  type BackupTarget,
  type BackupTargetFactory,
} from '../../../sdk/index.js';

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;

/** Settings of a local target: one absolute directory. */
export interface LocalTargetConfig {
  path: string;
}

/**
 * A directory on this server (the built-in `local` target is the panel's backup directory).
 * Objects are files named exactly as given; writes go to a hidden temp file that is renamed into
 * place only when complete; no name is ever followed through a symlink.
 */
export class LocalTarget implements BackupTarget {
  readonly kind = 'local';

  constructor(
    readonly id: string,
    readonly scope: BackupScope,
    private readonly dir: string,
  ) {}

  private async ensureDir(): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  private at(name: string): string {
    assertBackupObjectName(name);
    return path.join(this.dir, name);
  }

  async test() {
    try {
      await this.ensureDir();
      const probe = path.join(this.dir, `.probe-${randomBytes(6).toString('hex')}`);
      await fs.promises.writeFile(probe, 'velopanel', { mode: 0o600, flag: 'wx' });
      await fs.promises.unlink(probe);
      return { ok: true };
    } catch (e) {
      return {
        ok: false,
        error: `Backup target '${this.id}': ${this.dir} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      };
    }
  }

  async put(name: string, from: Readable): Promise<BackupObject> {
    const final = this.at(name);
    await this.ensureDir();
    const temp = path.join(this.dir, `.${name}.part-${randomBytes(6).toString('hex')}`);
    const fd = await fs.promises.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    try {
      for await (const chunk of from) {
        const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        for (let off = 0; off < b.length; ) off += (await fd.write(b, off, b.length - off)).bytesWritten;
        failpoint('backups.local.part-written');
      }
      await fd.sync();
      await fd.close();
      await fs.promises.rename(temp, final);
    } catch (e) {
      await fd.close().catch(() => undefined);
      await fs.promises.unlink(temp).catch(() => undefined);
      throw e;
    }
    return (await this.stat(name))!;
  }

  /** Temp files of writes in this directory (at start-up, before any runs: those a kill interrupted). */
  async unfinished(): Promise<string[]> {
    const names = await fs.promises.readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => /^\..+\.part-[0-9a-f]{12}$/.test(n)).map((n) => path.join(this.dir, n));
  }

  async get(name: string): Promise<Readable> {
    const file = this.at(name);
    let fd: fs.promises.FileHandle;
    try {
      fd = await fs.promises.open(file, O_RDONLY | O_NOFOLLOW);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP')
        throw errors.notFound(`Backup ${name} not found on target '${this.id}'`);
      throw e;
    }
    if (!(await fd.stat()).isFile()) {
      await fd.close();
      throw errors.notFound(`Backup ${name} not found on target '${this.id}'`);
    }
    // Node's default 64 KiB reads: a restore copies each into a member buffer it reuses, and a
    // fresh 1 MiB buffer per read (above glibc's mmap threshold once it adapts) raised its peak RSS.
    return fd.createReadStream();
  }

  async list(prefix = ''): Promise<BackupObject[]> {
    assertBackupObjectName(prefix, 'prefix', true);
    let names: fs.Dirent[];
    try {
      names = await fs.promises.readdir(this.dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: BackupObject[] = [];
    for (const d of names) {
      if (!d.isFile() || d.name.startsWith('.') || !d.name.startsWith(prefix)) continue;
      const o = await this.stat(d.name).catch(() => null);
      if (o) out.push(o);
    }
    return out;
  }

  async stat(name: string): Promise<BackupObject | null> {
    const st = await fs.promises.lstat(this.at(name)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    return st?.isFile() ? { name, size: st.size, modified: st.mtime.toISOString() } : null;
  }

  async delete(name: string): Promise<boolean> {
    const st = await this.stat(name);
    if (!st) return false;
    await fs.promises.unlink(this.at(name));
    return true;
  }
}

const FORBIDDEN = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/run',
  '/sbin',
  '/sys',
  '/usr',
  '/var/lib',
  '/var/log',
  '/var/run',
  '/var/spool',
  '/var/www',
];

/** Refuse directories where backups would overwrite or be executed as system files. */
export function checkLocalDir(dir: string, alsoForbidden: string[] = []): void {
  if (
    typeof dir !== 'string' ||
    !path.isAbsolute(dir) ||
    path.normalize(dir) !== dir.replace(/\/+$/, '') ||
    dir.includes('\0')
  )
    throw errors.validation('path: must be an absolute, normalised directory path');
  const inside = (root: string) => dir === root || dir.startsWith(root.endsWith('/') ? root : root + '/');
  const bad = [...FORBIDDEN, ...alsoForbidden].find(inside);
  if (dir === '/' || bad)
    throw errors.validation(`path: backups may not be written under ${bad ?? '/'} (system or tenant files)`);
}

/** Factory of local-directory targets (Community). */
export const localTargetFactory: BackupTargetFactory<LocalTargetConfig> = {
  kind: 'local',
  name: 'Local directory',
  configSchema: Type.Object({
    path: Type.String({
      minLength: 2,
      maxLength: 1024,
      pattern: '^/[^\\x00-\\x1f\\x7f]*$',
      'x-error': 'must be an absolute directory path',
    }),
  }),
  secretFields: [],
  create(s) {
    checkLocalDir(s.config.path);
    return new LocalTarget(s.id, s.scope, s.config.path);
  },
};
