import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  assertBackupObjectName,
  errors,
  isPanelError,
  type BackupObject,
  type BackupScope,
  type BackupTarget,
  type BackupTargetHealth,
  type PanelError,
} from '../../sdk/index.js';
import type { S3TargetConfig } from './config.js';

function status(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/**
 * An S3 bucket (AWS or any S3-compatible service) under an optional key prefix. Uploads stream
 * as multipart uploads (`partSize` × 2 bytes of memory at most); a failed upload is aborted, so
 * no partial object ever appears under a backup's name.
 */
export class S3Target implements BackupTarget {
  readonly kind = 's3';
  private readonly client: S3Client;

  constructor(
    readonly id: string,
    readonly scope: BackupScope,
    private readonly cfg: S3TargetConfig,
  ) {
    this.client = new S3Client({
      endpoint: cfg.endpoint || undefined,
      region: cfg.region,
      forcePathStyle: cfg.force_path_style,
      credentials: { accessKeyId: cfg.access_key_id, secretAccessKey: cfg.secret_access_key },
      maxAttempts: 3,
    });
  }

  private key(name: string): string {
    assertBackupObjectName(name);
    return this.cfg.prefix + name;
  }

  /** A client-safe error naming the target (SDK messages carry no secrets). */
  private fail(e: unknown, what: string): PanelError {
    if (isPanelError(e)) return e;
    const msg = (e as Error)?.message ?? String(e);
    return errors
      .unavailable(`Backup target '${this.id}': ${what} failed`)
      .withAdminDetail(`S3 bucket ${this.cfg.bucket}: ${msg.slice(0, 300)}`);
  }

  async test(): Promise<BackupTargetHealth> {
    const probe = `${this.cfg.prefix}.velopanel-probe-${randomBytes(6).toString('hex')}`;
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.cfg.bucket, Key: probe, Body: 'velopanel' }));
      await this.client.send(new DeleteObjectCommand({ Bucket: this.cfg.bucket, Key: probe }));
      return { ok: true };
    } catch (e) {
      return { ok: false, error: this.fail(e, 'writing a probe object').messageFor({ role: 'admin' }) };
    }
  }

  async put(name: string, from: Readable): Promise<BackupObject> {
    const Key = this.key(name);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.cfg.bucket, Key, Body: from },
      partSize: this.cfg.part_size_mb * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    let sourceError: Error | null = null;
    from.once('error', (e) => {
      sourceError = e;
      void upload.abort().catch(() => undefined);
    });
    try {
      await upload.done();
    } catch (e) {
      throw sourceError ?? this.fail(e, `uploading ${name}`);
    }
    if (sourceError) {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.cfg.bucket, Key })).catch(() => undefined);
      throw sourceError;
    }
    const st = await this.stat(name);
    if (!st) throw errors.unavailable(`Backup target '${this.id}': ${name} is missing right after its upload`);
    return st;
  }

  async get(name: string): Promise<Readable> {
    const Key = this.key(name);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.cfg.bucket, Key }));
      return res.Body as Readable;
    } catch (e) {
      if (status(e) === 404 || (e as Error)?.name === 'NoSuchKey')
        throw errors.notFound(`Backup ${name} not found on target '${this.id}'`);
      throw this.fail(e, `reading ${name}`);
    }
  }

  async list(prefix = ''): Promise<BackupObject[]> {
    assertBackupObjectName(prefix, 'prefix', true);
    const out: BackupObject[] = [];
    let token: string | undefined;
    try {
      for (let page = 0; page < 10_000; page++) {
        const res = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.cfg.bucket,
            Prefix: this.cfg.prefix + prefix,
            ContinuationToken: token,
          }),
        );
        for (const o of res.Contents ?? []) {
          const name = (o.Key ?? '').slice(this.cfg.prefix.length);
          if (name.includes('/') || name.startsWith('.') || !name) continue;
          out.push({ name, size: Number(o.Size ?? 0), modified: (o.LastModified ?? new Date(0)).toISOString() });
        }
        if (!res.IsTruncated) break;
        token = res.NextContinuationToken;
      }
    } catch (e) {
      throw this.fail(e, 'listing');
    }
    return out;
  }

  async stat(name: string): Promise<BackupObject | null> {
    const Key = this.key(name);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.cfg.bucket, Key }));
      return { name, size: Number(res.ContentLength ?? 0), modified: (res.LastModified ?? new Date(0)).toISOString() };
    } catch (e) {
      if (status(e) === 404 || (e as Error)?.name === 'NotFound') return null;
      throw this.fail(e, `reading ${name}`);
    }
  }

  async delete(name: string): Promise<boolean> {
    if (!(await this.stat(name))) return false;
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(name) }));
      return true;
    } catch (e) {
      throw this.fail(e, `deleting ${name}`);
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
