import os from 'node:os';
import {
  errors,
  failpoint,
  isPanelError,
  noSpaceCause,
  pausepoint,
  type AccountInfo,
  type BackupTarget,
  type JobHandle,
  type PluginContext,
} from '../../sdk/index.js';
import { scanArchive } from './archive/scan-archive.js';
import { ArchiveError } from './archive/tar-decode.js';
import { checkScan } from './archive/verify.js';
import { writeArchive } from './archive/write-archive.js';
import type { BackupAccounts } from './accounts.js';
import type { ArchiveRecords } from './archives.js';
import type { BackupsConfig } from './config.js';
import { readCredentials } from './credentials.js';
import { parseManifest, type Manifest } from './manifest.js';
import { backupFileName } from './names.js';
import type { ManifestSigner } from './signing.js';
import { estimateHomeBytes, snapshotAccount } from './snapshot.js';
import { homeChanges, homeIdentity } from './tree-changes.js';
import { backupsJournal, pendingArchive } from './unfinished-archives.js';

/** What a finished backup answers. */
export interface BackupResult {
  filename: string;
  target: string;
  account_id: number;
  size: number;
  created_at: string;
  verified: boolean;
  files: { entries: number; bytes: number; skipped_count: number; skipped: { path: string; reason: string }[] };
  databases: { engine: string; database: string; bytes: number; sha256: string }[];
  warnings: string[];
  /** Home entries that vanished while they were being read (listed in `files.skipped`); 0 for a still tree. */
  changed_during_backup: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes one backup: gathers the account's parts, streams the archive straight to the target
 * (no temporary copy), then reads it back and checks every checksum against its manifest
 * (unless `verify_after_create` is off). A backup that cannot be verified is removed and fails.
 */
export class BackupCreator {
  constructor(
    private readonly ctx: PluginContext<BackupsConfig>,
    private readonly accounts: BackupAccounts,
    private readonly records: ArchiveRecords,
    private readonly signer: ManifestSigner,
  ) {}

  async run(account: AccountInfo, targetId: string, target: BackupTarget, job: JobHandle): Promise<BackupResult> {
    try {
      return await this.make(account, targetId, target, job);
    } catch (e) {
      // The account's own job and answer say what failed; the target's paths and hosts go to admins
      if (isPanelError(e)) throw e;
      throw errors
        .externalCommand(`Backup of ${account.username} to target '${targetId}' failed`)
        .withAdminDetail(String((e as Error)?.message ?? e));
    }
  }

  private async make(
    account: AccountInfo,
    targetId: string,
    target: BackupTarget,
    job: JobHandle,
  ): Promise<BackupResult> {
    const cfg = this.ctx.config;
    // An archive must name the account that made it by an identity no later account gets.
    if (!account.identity)
      throw errors.unavailable(
        `Account ${account.id} has no identity (the accounts plugin in use predates it); backups are bound to it`,
      );
    job.progress(0, 'collecting databases, domains and settings');
    const snap = await snapshotAccount(this.ctx, account);
    const carried = await readCredentials(snap.databases, snap.warnings);
    const dbSizes = await Promise.all(
      snap.databases.map(({ db, engine }) =>
        engine.list([db.database]).then(
          (s) => s[0]?.size ?? 0,
          () => 0,
        ),
      ),
    );
    const estimate = Math.max(1, (await estimateHomeBytes(account.home_dir)) + dbSizes.reduce((a, b) => a + b, 0));
    const filename = await this.freeName(account.username, target);
    const createdAt = new Date();
    await this.accounts.remember(account);
    const base: Omit<Manifest, 'files' | 'databases'> = {
      format: 'velopanel-backup',
      format_version: 1,
      panel_version: this.ctx.settings.version,
      created_at: createdAt.toISOString(),
      server_hostname: this.ctx.settings.serverHostname,
      account: manifestAccount(account),
      domains: snap.domains,
      settings: snap.settings,
      warnings: snap.warnings,
    };
    // A manifest a restore would refuse makes a useless backup: check it before writing anything.
    parseManifest(
      JSON.stringify({
        ...base,
        files: { entries: 0, bytes: 0, content_bytes: 0, sha256: '0'.repeat(64), skipped: [], skipped_count: 0 },
        databases: [],
      }),
    );
    const home = await homeIdentity(account.home_dir);
    const out = writeArchive({
      account,
      databases: snap.databases.map((d, i) => ({ ...d, carried: carried[i] })),
      manifest: base,
      compression: {
        level: cfg.compression_level,
        threads: cfg.compression_threads || Math.min(4, os.availableParallelism()),
      },
      onProgress: (bytes) =>
        job.progress(Math.min(95, (bytes / estimate) * 95), `${bytes} of about ${estimate} bytes written`),
      sign: (m) => this.signer.sign(m),
      signal: job.signal,
    });
    // Until verified, the archive is journaled: a kill before then leaves it for start-up to remove.
    const journal = backupsJournal(this.ctx);
    await journal.put(pendingArchive(filename), { target: targetId, filename });
    await pausepoint('backups.create.writing'); // race tests hold the backup here, its walk begun
    const [put, written] = await Promise.allSettled([
      target.put(filename, out.stream, { signal: job.signal }),
      out.manifest,
    ]);
    if (written.status === 'rejected' || put.status === 'rejected') {
      await target.delete(filename).catch(() => undefined);
      await journal.remove(pendingArchive(filename));
      const e =
        written.status === 'rejected' && !/closed before the end/.test(String(written.reason?.message))
          ? written.reason
          : put.status === 'rejected'
            ? put.reason
            : (written as PromiseRejectedResult).reason;
      if (!isPanelError(e) && noSpaceCause(e))
        throw errors.noSpace(
          `Backup of ${account.username} failed: no space left on the device holding backup target '${targetId}'`,
        );
      throw e;
    }
    const manifest = written.value;
    const discard = async (e: Error) => {
      await target.delete(filename).catch(() => undefined);
      await this.records.forget(targetId, filename).catch(() => undefined);
      await journal.remove(pendingArchive(filename));
      throw e;
    };
    // A home removed or replaced under the walk leaves an archive of part of it: never a backup.
    const changes = await homeChanges(account.home_dir, home, manifest.files.skipped);
    if (changes.replaced)
      await discard(
        errors.conflict(
          `Backup of ${account.username} failed: ${changes.replaced}; the incomplete archive was removed`,
        ),
      );
    if (cfg.verify_after_create) {
      job.progress(96, 'verifying the stored archive');
      failpoint('backups.create.verifying');
      await this.verify(target, filename, account.username).catch(async (e: Error) => {
        await target.delete(filename).catch(() => undefined);
        await journal.remove(pendingArchive(filename));
        throw errors
          .externalCommand(`Backup ${filename} was written to '${targetId}' but failed verification and was removed`)
          .withAdminDetail(e.message);
      });
    }
    await this.records.record(targetId, filename, { account_id: account.id, identity: account.identity }, createdAt);
    await journal.remove(pendingArchive(filename));
    // Stopped (by the account's delete) after the archive was done: it goes too, as the job says.
    if (job.signal.aborted) await discard(new Error('Cancelled'));
    return {
      filename,
      target: targetId,
      account_id: account.id,
      size: put.value.size,
      created_at: createdAt.toISOString(),
      verified: cfg.verify_after_create,
      files: {
        entries: manifest.files.entries,
        bytes: manifest.files.content_bytes,
        skipped_count: manifest.files.skipped_count,
        skipped: manifest.files.skipped,
      },
      databases: manifest.databases.map((d) => ({
        engine: d.engine,
        database: d.database,
        bytes: d.bytes,
        sha256: d.sha256,
      })),
      warnings: changes.vanished ? [...manifest.warnings, changes.warning] : manifest.warnings,
      changed_during_backup: changes.vanished,
    };
  }

  private async verify(target: BackupTarget, filename: string, username: string): Promise<void> {
    const scan = await scanArchive(await target.get(filename), {
      expandBytes: Number.MAX_SAFE_INTEGER,
      fileBytes: null,
    });
    try {
      const check = this.signer.check(checkScan(scan, username));
      if (check.status !== 'valid') throw new ArchiveError(check.reason);
    } catch (e) {
      throw e instanceof ArchiveError ? e : new ArchiveError((e as Error).message);
    }
  }

  /** Names have one-second resolution: a second backup within the same second waits for the next. */
  private async freeName(username: string, target: BackupTarget): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const name = backupFileName(username, new Date());
      if (!(await target.stat(name))) return name;
      await sleep(1000 - (Date.now() % 1000) + 5);
    }
    throw errors.conflict(`Could not find a free backup name for ${username}`);
  }
}

/** The account as the manifest records it. */
export function manifestAccount(a: AccountInfo): Manifest['account'] {
  return {
    id: a.id,
    username: a.username,
    primary_domain: a.primary_domain,
    email: a.email,
    plan: a.plan,
    status: a.status,
    home_dir: a.home_dir,
    uid: a.uid,
    gid: a.gid,
    disk_quota_mb: a.disk_quota_mb,
    bandwidth_quota_mb: a.bandwidth_quota_mb,
    reseller_id: a.reseller_id,
    created_at: a.created_at,
    ...(a.identity ? { identity: a.identity } : {}),
  };
}
