import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { accountHomes, errors, failpoint, isPanelError, pausepoint, type AccountInfo, type AccountOperationTicket, type BackupTarget, type JobHandle, type PluginContext, type Principal } from '../../sdk/index.js';
import type { BackupAccounts, KnownAccount } from './accounts.js';
import { madeBy } from './archives.js';
import { HomeExtractor } from './archive/extract-home.js';
import { scanArchive, type ScanHandlers, type ScannedArchive } from './archive/scan-archive.js';
import { checkScan } from './archive/verify.js';
import type { BackupsConfig } from './config.js';
import { checkCredentials } from './credentials.js';
import type { Manifest } from './manifest.js';
import { claimRecreated, quotaBytes, recreateAccount, refuse } from './restore-account.js';
import type { ManifestSigner } from './signing.js';
import { swapHome, STAGING_PREFIX } from './home-swap.js';
import { planDatabases, reason, restoreDomains, restoreSettings, validateSettings, type DatabasePlan, type RestoreItem } from './restore-items.js';
import { backupsJournal } from './unfinished-archives.js';
import { restoreLimits } from './restore-limits.js';

/** What a restore answers: one line per item, never a blanket success. */
export interface RestoreReport {
  filename: string;
  target: string;
  account_id: number;
  account_created: boolean;
  /** `complete`: every item restored; `partial`: some failed; `failed`: none restored. */
  status: 'complete' | 'partial' | 'failed';
  items: RestoreItem[];
  setuid_stripped: number;
}

/** One restore request, resolved by the route. */
export interface RestoreRequest {
  accountId: number;
  known: KnownAccount;
  live: AccountInfo | null;
  filename: string;
  targetId: string;
  target: BackupTarget;
  principal: Principal;
  /** Admin only (the route checks): restore an archive this panel did not sign. */
  allowUnsigned?: boolean;
  /** Admin only (the route checks): restore an archive another account made into this one. */
  allowOtherAccount?: boolean;
}

const MiB = 1024 * 1024;

/**
 * Restores a backup in two passes over the archive. Pass 1 reads it whole and checks every
 * header, every checksum and the manifest; only then does anything change. Pass 2 extracts the
 * home into a staging directory (swapped in at the end) and streams each dump into its engine,
 * checking the same checksums again on the way.
 */
export class RestoreRunner {
  constructor(private readonly ctx: PluginContext<BackupsConfig>, private readonly accounts: BackupAccounts, private readonly signer: ManifestSigner) {}

  /** One pass over the archive, within the limits for an account holding `fileBytes` (null: any). */
  private async pass(r: RestoreRequest, fileBytes: number | null, job: JobHandle, from: number, span: number, handlers?: ScanHandlers): Promise<ScannedArchive> {
    const total = (await r.target.stat(r.filename))?.size;
    if (total === undefined) throw errors.notFound(`Backup ${r.filename} not found on target '${r.targetId}'`);
    const onRead = (read: number) => job.progress(from + (span * read) / Math.max(1, total), `${read} of ${total} bytes read`);
    return scanArchive(await r.target.get(r.filename), restoreLimits(this.ctx.config, fileBytes, total), { ...handlers, onRead });
  }

  async run(r: RestoreRequest, job: JobHandle): Promise<RestoreReport> {
    // A delete may have run between the request's look-up and its claim: never restore into a deleted account's home.
    if (r.live && !(await this.accounts.live(r.accountId))) throw errors.conflict(`Account ${r.accountId} was deleted before its restore began; nothing was changed`);
    let live = r.live;
    const scan = await this.pass(r, live ? quotaBytes(live) : null, job, 0, 40).catch((e) => Promise.reject(refuse(e)));
    let manifest: Manifest;
    try {
      manifest = checkScan(scan, r.known.username);
      checkCredentials(this.ctx, manifest);
      await validateSettings(this.ctx, manifest);
    } catch (e) {
      throw refuse(e);
    }
    const signed = this.signer.check(manifest);
    if (signed.status !== 'valid' && !r.allowUnsigned) throw refuse(new Error(`${signed.reason}; an administrator may restore it with allow_unsigned=true`));
    const ours = madeBy({ account_id: manifest.account.id, identity: manifest.account.identity ?? null }, live ? { id: live.id, identity: live.identity ?? null } : r.known);
    if (!ours && !(r.allowOtherAccount && r.principal.role === 'admin'))
      throw errors.forbidden(`Backup ${r.filename} was made by another account (${manifest.account.id}); only an administrator may restore it into account ${r.accountId}, with allow_other_account=true`);
    const items: RestoreItem[] = [];
    let created = false;
    let claimed: AccountOperationTicket | undefined;
    if (!live) {
      // The deleted account comes back as itself (its archives stay its own) only from a signed archive it made.
      const identity = ours && signed.status === 'valid' ? manifest.account.identity : undefined;
      live = await recreateAccount(this.ctx, manifest, scan.home.fileBytes, r.principal, identity);
      created = true;
      items.push({ item: 'account', status: 'restored', detail: `recreated as account ${live.id}` });
      claimed = claimRecreated(this.ctx, live, r.accountId, job.id);
    }
    try {
      return await this.restoreInto(r, live, manifest, created, items, scan.home.setuid, job);
    } finally {
      claimed?.release();
    }
  }

  private async restoreInto(r: RestoreRequest, live: AccountInfo, manifest: Manifest, created: boolean, items: RestoreItem[], setuid: number, job: JobHandle): Promise<RestoreReport> {
    await this.accounts.remember(live);
    const plan = await planDatabases(this.ctx, live, manifest);
    for (const [name, p] of plan) if ('error' in p) items.push({ item: `database:${name}`, status: 'failed', error: p.error });
    items.push(...(await this.filesAndDatabases(r, live, manifest, plan, job)));
    job.progress(92, 'settings and domains');
    items.push(...(await restoreSettings(this.ctx, live, manifest)), ...(await restoreDomains(this.ctx, live, manifest)));
    const failed = items.filter((i) => i.status === 'failed').length;
    return {
      filename: r.filename, target: r.targetId, account_id: live.id, account_created: created,
      status: failed === 0 ? 'complete' : failed === items.length ? 'failed' : 'partial', items, setuid_stripped: setuid,
    };
  }

  private async filesAndDatabases(r: RestoreRequest, live: AccountInfo, m: Manifest, plan: DatabasePlan, job: JobHandle): Promise<RestoreItem[]> {
    const items: RestoreItem[] = [];
    const parent = path.dirname(live.home_dir);
    await fs.promises.mkdir(parent, { recursive: true, mode: 0o755 });
    const staging = path.join(parent, `${STAGING_PREFIX}${live.username}-${randomBytes(6).toString('hex')}`);
    // Made like the account's homes (a btrfs subvolume where the quota lives on the home), limits set again once it is in.
    const homes = this.ctx.services.find(accountHomes);
    if (homes) await homes.makeHomeDir(live, staging);
    else await fs.promises.mkdir(staging, { mode: 0o700 });
    const homeGid = (await fs.promises.lstat(live.home_dir).catch(() => null))?.gid;
    const keepGids = [live.gid, homeGid].filter((g): g is number => typeof g === 'number');
    const extractor = new HomeExtractor(staging, { uid: live.uid, gid: live.gid, keepGids }, quotaBytes(live), { from: m.account.home_dir, to: live.home_dir });
    const runs = new Map<string, Promise<string | null>>();
    const expected = new Map(m.databases.map((d) => [d.database, d]));
    let filesOk = false;
    await pausepoint('backups.restore.extracting'); // race tests hold the restore here
    try {
      const scan = await this.pass(r, quotaBytes(live), job, 40, 50, {
        home: (rel, entry, kind, data) => extractor.entry(rel, entry, kind, data),
        databaseStart: (_engine, database) => {
          const p = plan.get(database);
          if (!p || 'error' in p) return null;
          const sink = new PassThrough({ highWaterMark: MiB });
          runs.set(database, p.engine.restore(p.names, sink).then(() => null, (e) => {
            sink.destroy();
            return reason(e);
          }));
          return sink;
        },
        databaseEnd: async (found, sink) => {
          sink?.end();
          const error = await runs.get(found.database);
          const p = plan.get(found.database);
          if (!p || 'error' in p) return;
          const changed = expected.get(found.database)?.sha256 !== found.sha256;
          const about = { item: `database:${found.database}`, credentials: p.credentials };
          items.push(error || changed
            ? { ...about, status: 'failed', error: error ?? 'the dump changed after verification; the database may hold part of it', detail: p.note }
            : { ...about, status: 'restored', detail: `${found.bytes} bytes (${p.note})` });
        },
      });
      if (scan.home.sha256 !== m.files.sha256) throw new Error('the home files changed after verification; the home was left as it was');
      await extractor.finish();
      failpoint('backups.restore.staged');
      await swapHome(this.ctx, backupsJournal(this.ctx), live, staging, extractor.rootMode);
      filesOk = true;
      await homes?.applyLimits(live.id).catch((e) => items.push({ item: 'limits', status: 'failed', error: `the restored home is in place but its disk quota could not be set again: ${reason(e)}` }));
      items.unshift({ item: 'files', status: 'restored', detail: `${scan.home.entries} entries, ${scan.home.fileBytes} bytes${scan.home.setuid ? `, setuid/setgid removed from ${scan.home.setuid}` : ''}` });
    } catch (e) {
      await extractor.abort();
      items.unshift({ item: 'files', status: 'failed', error: isPanelError(e) ? e.message : (e as Error).message });
      for (const [database, run] of runs) {
        const error = await run;
        if (!items.some((i) => i.item === `database:${database}`))
          items.push({ item: `database:${database}`, status: 'failed', error: error ?? 'the archive could not be read to the end of this dump', ...credentialsOf(plan, database) });
      }
    } finally {
      if (!filesOk) await fs.promises.rm(staging, { recursive: true, force: true });
    }
    for (const d of m.databases)
      if (!items.some((i) => i.item === `database:${d.database}`))
        items.push({ item: `database:${d.database}`, status: 'failed', error: 'not restored: the archive could not be read up to its dump', ...credentialsOf(plan, d.database) });
    return items;
  }
}

/** What a failed database's report line says about its user, when the restore got as far as planning it. */
function credentialsOf(plan: DatabasePlan, database: string): Partial<RestoreItem> {
  const p = plan.get(database);
  return p && !('error' in p) ? { credentials: p.credentials, detail: p.note } : {};
}
