import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  assertBackupObjectName,
  errors,
  isPanelError,
  type BackupObject,
  type BackupScope,
  type BackupTarget,
  type BackupTargetHealth,
} from '../../sdk/index.js';
import { hostKeyMatcher, type SftpTargetConfig } from './config.js';

/** The parts of ssh2-sftp-client used here (the package ships no types). */
interface SftpClient {
  connect(options: Record<string, unknown>): Promise<unknown>;
  end(): Promise<unknown>;
  mkdir(p: string, recursive?: boolean): Promise<string>;
  put(src: Readable, p: string, options?: Record<string, unknown>): Promise<string>;
  posixRename(from: string, to: string): Promise<string>;
  delete(p: string, notFoundOK?: boolean): Promise<string>;
  list(p: string): Promise<{ type: string; name: string; size: number; modifyTime: number }[]>;
  stat(p: string): Promise<{ size: number; modifyTime: number; isFile: boolean }>;
  createReadStream(p: string, options?: Record<string, unknown>): Readable;
}
type SftpClientClass = new (name: string, callbacks: Record<string, () => void>) => SftpClient;
const SftpClientCtor = createRequire(import.meta.url)('ssh2-sftp-client') as SftpClientClass;

const quiet = () => undefined;
/** ssh2-sftp-client reports a missing path as ENOENT (stat) or SFTP status 2 (others). */
const missing = (e: unknown) => (e as { code?: unknown })?.code === 'ENOENT' || (e as { code?: unknown })?.code === 2;

/**
 * A directory on an SFTP server, with key or password login and a pinned host key. Uploads go
 * to a hidden temp name and are renamed into place (POSIX rename) only when complete.
 */
export class SftpTarget implements BackupTarget {
  readonly kind = 'sftp';

  constructor(
    readonly id: string,
    readonly scope: BackupScope,
    private readonly cfg: SftpTargetConfig,
  ) {}

  private at(name: string): string {
    assertBackupObjectName(name);
    return path.posix.join(this.cfg.path, name);
  }

  private fail(e: unknown, what: string): Error {
    if (isPanelError(e)) return e;
    const msg = ((e as Error)?.message ?? String(e)).split(this.cfg.password || '\0').join('***');
    return errors
      .unavailable(`Backup target '${this.id}': ${what} failed`)
      .withAdminDetail(`SFTP ${this.cfg.username}@${this.cfg.host}: ${msg.slice(0, 300)}`);
  }

  private async connect(): Promise<SftpClient> {
    const client = new SftpClientCtor(`velopanel-${this.id}`, { error: quiet, end: quiet, close: quiet });
    await client.connect({
      host: this.cfg.host,
      port: this.cfg.port,
      username: this.cfg.username,
      readyTimeout: 15_000,
      ...(this.cfg.private_key
        ? { privateKey: this.cfg.private_key, passphrase: this.cfg.passphrase || undefined }
        : { password: this.cfg.password }),
      hostVerifier: hostKeyMatcher(this.cfg.host_key),
    });
    return client;
  }

  private async session<T>(what: string, work: (c: SftpClient) => Promise<T>): Promise<T> {
    let client: SftpClient | null = null;
    try {
      client = await this.connect();
      return await work(client);
    } catch (e) {
      throw this.fail(e, what);
    } finally {
      await client?.end().catch(() => undefined);
    }
  }

  async test(): Promise<BackupTargetHealth> {
    try {
      await this.session('writing a probe file', async (c) => {
        await c.mkdir(this.cfg.path, true);
        const probe = path.posix.join(this.cfg.path, `.velopanel-probe-${randomBytes(6).toString('hex')}`);
        await c.put(Readable.from([Buffer.from('velopanel')]), probe);
        await c.delete(probe);
      });
      return { ok: true };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }

  async put(name: string, from: Readable): Promise<BackupObject> {
    const final = this.at(name);
    let sourceError: Error | null = null;
    from.once('error', (e) => {
      sourceError = e;
    });
    try {
      return await this.session(`uploading ${name}`, async (c) => {
        await c.mkdir(this.cfg.path, true);
        const temp = path.posix.join(this.cfg.path, `.${name}.part-${randomBytes(6).toString('hex')}`);
        try {
          await c.put(from, temp, { writeStreamOptions: { mode: 0o600 } });
          if (sourceError) throw sourceError;
          await c.posixRename(temp, final);
        } catch (e) {
          await c.delete(temp, true).catch(() => undefined);
          throw e;
        }
        const st = await c.stat(final);
        return { name, size: st.size, modified: new Date(st.modifyTime).toISOString() };
      });
    } catch (e) {
      throw sourceError ?? e;
    }
  }

  async get(name: string): Promise<Readable> {
    const file = this.at(name);
    let client: SftpClient | null = null;
    try {
      client = await this.connect();
      const st = await client.stat(file).catch((e: unknown) => (missing(e) ? null : Promise.reject(e)));
      if (!st || !st.isFile) throw errors.notFound(`Backup ${name} not found on target '${this.id}'`);
      const stream = client.createReadStream(file, { highWaterMark: 256 * 1024 });
      const c = client;
      stream.once('close', () => void c.end().catch(() => undefined));
      return stream;
    } catch (e) {
      await client?.end().catch(() => undefined);
      throw this.fail(e, `reading ${name}`);
    }
  }

  async list(prefix = ''): Promise<BackupObject[]> {
    assertBackupObjectName(prefix, 'prefix', true);
    return this.session('listing', async (c) => {
      const entries = await c.list(this.cfg.path).catch((e: unknown) => (missing(e) ? [] : Promise.reject(e)));
      return entries
        .filter((f) => f.type === '-' && !f.name.startsWith('.') && f.name.startsWith(prefix))
        .map((f) => ({ name: f.name, size: f.size, modified: new Date(f.modifyTime).toISOString() }));
    });
  }

  async stat(name: string): Promise<BackupObject | null> {
    const file = this.at(name);
    return this.session(`reading ${name}`, async (c) => {
      const st = await c.stat(file).catch((e: unknown) => (missing(e) ? null : Promise.reject(e)));
      return st?.isFile ? { name, size: st.size, modified: new Date(st.modifyTime).toISOString() } : null;
    });
  }

  async delete(name: string): Promise<boolean> {
    const file = this.at(name);
    return this.session(`deleting ${name}`, async (c) => {
      const st = await c.stat(file).catch((e: unknown) => (missing(e) ? null : Promise.reject(e)));
      if (!st?.isFile) return false;
      await c.delete(file);
      return true;
    });
  }
}
