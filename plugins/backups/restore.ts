import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  accountHomes,
  errors,
  failpoint,
  pausepoint,
  type AccountInfo,
  type BackupTarget,
  type JobHandle,
  type PluginContext,
  type Principal,
} from '../../sdk/index.js';
import type { BackupAccounts, KnownAccount } from './accounts.js';
import { HomeExtractor } from './archive/extract-home.js';
import { scanArchive, type FoundDatabase, type ScanHandlers, type ScannedArchive } from './archive/scan-archive.js';
import type { BackupsConfig } from './config.js';
import { DumpSpool } from './dump-spool.js';
import type { Manifest } from './manifest.js';
import { failure, refuse, type ItemFailure } from './failure.js';
import { claimRecreated, quotaBytes, recreateAccount } from './restore-account.js';
import type { ManifestSigner } from './signing.js';
import { swapHome, STAGING_PREFIX } from './home-swap.js';
import {
  planDatabases,
  restoreDomains,
  restoreSettings,
  type DatabasePlan,
  type RestoreItem,
} from './restore-items.js';
import { verifyScan, type VerifiedArchive } from './restore-verify.js';
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

/**
 * Restores a backup in one pass over the archive: its members are inflated in parallel, the home
 * is extracted into a staging directory beside it (made like a home, panel-only) and every dump
 * set aside, while the size and SHA-256 of every part are computed. Only when the whole archive
 * checks against its manifest (and its signature and owner) does anything change: the staging
 * directory is swapped in through the journal, the dumps go into their engines. Refused, the
 * staging directory and the dumps are removed, and nothing was changed. A deleted account is
 * verified in a pass of its own first, since it must be recreated before its home can be staged.
 */
export class RestoreRunner {
  constructor(
    private readonly ctx: PluginContext<BackupsConfig>,
    private readonly accounts: BackupAccounts,
    private readonly signer: ManifestSigner,
  ) {}

  /** One pass over the archive, within the limits for an account holding `fileBytes` (null: any). */
  private async pass(
    r: RestoreRequest,
    fileBytes: number | null,
    job: JobHandle,
    from: number,
    span: number,
    handlers?: ScanHandlers,
  ): Promise<ScannedArchive> {
    const total = (await r.target.stat(r.filename))?.size;
    if (total === undefined) throw errors.notFound(`Backup ${r.filename} not found on target '${r.targetId}'`);
    const onRead = (read: number) =>
      job.progress(from + (span * read) / Math.max(1, total), `${read} of ${total} bytes read`);
    return scanArchive(await r.target.get(r.filename), restoreLimits(this.ctx.config, fileBytes, total), {
      ...handlers,
      onRead,
    });
  }

  private verify(r: RestoreRequest, scan: ScannedArchive, live: AccountInfo | null): Promise<VerifiedArchive> {
    return verifyScan(
      this.ctx,
      this.signer,
      { ...r, allowOtherAccount: Boolean(r.allowOtherAccount && r.principal.role === 'admin') },
      scan,
      live,
    );
  }

  async run(r: RestoreRequest, job: JobHandle): Promise<RestoreReport> {
    // A delete may have run between the request's look-up and its claim: never restore into a deleted account's home.
    if (r.live && !(await this.accounts.live(r.accountId)))
      throw errors.conflict(`Account ${r.accountId} was deleted before its restore began; nothing was changed`);
    if (r.live) return this.restoreInto(r, r.live, null, [], job);
    const scan = await this.pass(r, null, job, 0, 40).catch((e) => Promise.reject(refuse(e)));
    const verified = await this.verify(r, scan, null);
    // The deleted account comes back as itself (its archives stay its own) only from a signed archive it made.
    const identity = verified.ours && verified.signed ? verified.manifest.account.identity : undefined;
    const live = await recreateAccount(this.ctx, verified.manifest, scan.home.fileBytes, r.principal, identity);
    const claimed = await claimRecreated(this.ctx, live, r.accountId, job.id);
    try {
      return await this.restoreInto(
        r,
        live,
        verified,
        [{ item: 'account', status: 'restored', detail: `recreated as account ${live.id}` }],
        job,
      );
    } finally {
      claimed?.release();
    }
  }

  /**
   * Stage, verify (unless `verified` by an earlier pass: then the pass must find the same
   * checksums), then swap the home in and load the dumps.
   */
  private async restoreInto(
    r: RestoreRequest,
    live: AccountInfo,
    verified: VerifiedArchive | null,
    items: RestoreItem[],
    job: JobHandle,
  ): Promise<RestoreReport> {
    const parent = path.dirname(live.home_dir);
    await fs.promises.mkdir(parent, { recursive: true, mode: 0o755 });
    const staging = path.join(parent, `${STAGING_PREFIX}${live.username}-${randomBytes(6).toString('hex')}`);
    // Made like the account's homes (a btrfs subvolume where the quota lives on the home), limits set again once it is in.
    const homes = this.ctx.services.find(accountHomes);
    if (homes) await homes.makeHomeDir(live, staging);
    else await fs.promises.mkdir(staging, { mode: 0o700 });
    const spool = await DumpSpool.open(this.ctx).catch(async (e) => {
      await fs.promises.rm(staging, { recursive: true, force: true });
      throw e;
    });
    let swapped = false;
    try {
      const homeGid = (await fs.promises.lstat(live.home_dir).catch(() => null))?.gid;
      const keepGids = [live.gid, homeGid].filter((g): g is number => typeof g === 'number');
      const extractor = new HomeExtractor(staging, { uid: live.uid, gid: live.gid, keepGids }, quotaBytes(live));
      await pausepoint('backups.restore.extracting'); // race tests hold the restore here
      let scan: ScannedArchive;
      try {
        scan = await this.pass(r, quotaBytes(live), job, verified ? 40 : 0, verified ? 50 : 90, {
          home: (rel, entry, kind, data) => extractor.entry(rel, entry, kind, data),
          databaseStart: (_engine, database) => spool.start(database),
          databaseEnd: (found) => spool.end(found),
        });
      } catch (e) {
        await extractor.abort();
        if (!verified) throw refuse(e);
        return await this.report(
          r,
          live,
          verified.manifest,
          [...items, { item: 'files', status: 'failed', ...failure(e) }, ...unread(verified.manifest)],
          0,
        );
      }
      const m = (
        verified ??
        (await this.verify(r, scan, live).catch(async (e) => {
          await extractor.abort();
          throw e;
        }))
      ).manifest;
      await this.accounts.remember(live);
      const found = new Map(scan.databases.map((d) => [d.database, d]));
      const plan = await planDatabases(this.ctx, live, m);
      for (const [name, p] of plan) if ('error' in p) items.push({ item: `database:${name}`, status: 'failed', ...p });
      job.progress(90, 'swapping in the home');
      try {
        if (scan.home.sha256 !== m.files.sha256)
          throw errors.conflict('the home files changed after verification; the home was left as it was');
        await extractor.finish({ from: m.account.home_dir, to: live.home_dir });
        failpoint('backups.restore.staged');
        await swapHome(this.ctx, backupsJournal(this.ctx), live, staging, extractor.rootMode);
        swapped = true;
        items.push({
          item: 'files',
          status: 'restored',
          detail: `${scan.home.entries} entries, ${scan.home.fileBytes} bytes${scan.home.setuid ? `, setuid/setgid removed from ${scan.home.setuid}` : ''}`,
        });
        await homes?.applyLimits(live.id).catch((e) =>
          items.push({
            item: 'limits',
            status: 'failed',
            ...failure(e, 'the restored home is in place but its disk quota could not be set again: '),
          }),
        );
      } catch (e) {
        await extractor.abort();
        items.push({ item: 'files', status: 'failed', ...failure(e) });
      }
      for (const d of m.databases) {
        const p = plan.get(d.database);
        if (p && !('error' in p))
          items.push(
            await loadDump(p, d.sha256, found.get(d.database), spool, (e) =>
              this.ctx.logger.warn('restore: a database could not be loaded', { database: d.database, error: e }),
            ),
          );
      }
      return await this.report(r, live, m, items, scan.home.setuid);
    } finally {
      if (!swapped) await fs.promises.rm(staging, { recursive: true, force: true });
      await spool.remove();
    }
  }

  /** Settings and domains, then the report. */
  private async report(
    r: RestoreRequest,
    live: AccountInfo,
    m: Manifest,
    items: RestoreItem[],
    setuid: number,
  ): Promise<RestoreReport> {
    items.push(...(await restoreSettings(this.ctx, live, m)), ...(await restoreDomains(this.ctx, live, m)));
    const failed = items.filter((i) => i.status === 'failed').length;
    return {
      filename: r.filename,
      target: r.targetId,
      account_id: live.id,
      account_created: items[0]?.item === 'account',
      status: failed === 0 ? 'complete' : failed === items.length ? 'failed' : 'partial',
      items,
      setuid_stripped: setuid,
    };
  }
}

type Planned = Exclude<DatabasePlan extends Map<string, infer P> ? P : never, ItemFailure>;

/** The databases of a manifest when the pass failed before their dumps. */
const unread = (m: Manifest): RestoreItem[] =>
  m.databases.map((d) => ({
    item: `database:${d.database}`,
    status: 'failed',
    error: 'not restored: the archive could not be read up to its dump',
  }));

/** Load one verified dump from the spool into its engine; a failure's server detail is the line's `error_detail` (admins only) and goes to `log`. */
async function loadDump(
  p: Planned,
  sha256: string,
  found: FoundDatabase | undefined,
  spool: DumpSpool,
  log: (e: unknown) => void,
): Promise<RestoreItem> {
  const about = { item: `database:${found?.database ?? p.names.database}`, credentials: p.credentials, detail: p.note };
  const from =
    found && found.sha256 === sha256
      ? spool.read(found)
      : 'the dump changed after verification; the database was left as it was';
  if (typeof from === 'string') return { ...about, status: 'failed', error: from };
  try {
    await p.engine.restore(p.names, from);
    return { ...about, status: 'restored', detail: `${found!.bytes} bytes (${p.note})` };
  } catch (e) {
    from.destroy();
    log(e);
    return { ...about, status: 'failed', ...failure(e) };
  }
}
