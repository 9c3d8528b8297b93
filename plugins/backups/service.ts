import {
  accountOperations,
  accountRef,
  errors,
  type AccountOperationKind,
  type AccountInfo,
  type BackupTarget,
  type JobHandle,
  type JobRecord,
  type PluginContext,
  type Principal,
} from '../../sdk/index.js';
import type { BackupAccounts, KnownAccount } from './accounts.js';
import { ArchiveRecords, mayReach, type ArchiveOwner } from './archives.js';
import type { BackupsConfig } from './config.js';
import { BackupCreator, type BackupResult } from './create-backup.js';
import { parseBackupFileName } from './names.js';
import { RestoreRunner, type RestoreReport, type RestoreRequest } from './restore.js';
import type { ManifestSigner } from './signing.js';
import type { TargetRecord } from './targets/records.js';
import type { TargetRegistry } from './targets/registry.js';

/** A backup as the listing shows it. */
export interface BackupListing {
  filename: string;
  size: number;
  created_at: string;
  target: string;
  /** The account that made it; null when the panel does not know (shown to admins only). */
  account_id: number | null;
}

/**
 * Runs backups and restores as jobs serialised per account (`serialKey: account:<id>`), so two
 * operations on one account never overlap, each holding the account operation lock from the
 * request until its job has finished (a delete meanwhile stops a backup and is refused during a
 * restore), and finds which targets an account may use.
 */
export class BackupService {
  private readonly creator: BackupCreator;
  private readonly restorer: RestoreRunner;

  readonly records: ArchiveRecords;

  constructor(
    private readonly ctx: PluginContext<BackupsConfig>,
    readonly targets: TargetRegistry,
    readonly accounts: BackupAccounts,
    signer: ManifestSigner,
  ) {
    this.records = new ArchiveRecords(ctx);
    this.creator = new BackupCreator(ctx, accounts, this.records, signer);
    this.restorer = new RestoreRunner(ctx, accounts, signer);
  }

  /**
   * Start work as a job. Returns the job at once; `finished` resolves with the result or rejects
   * with the original error (its status and message intact) for callers that wait.
   */
  async job<R>(
    kind: string,
    accountId: number,
    owner: number | null,
    work: (h: JobHandle) => Promise<R>,
  ): Promise<{ job: JobRecord; finished: Promise<R> }> {
    let failure: unknown;
    let stopped: string | null = null;
    const operation: AccountOperationKind = kind === 'backup.restore' ? 'restore' : 'backup';
    const ticket = await this.ctx.services.find(accountOperations)?.acquire(accountId, operation);
    const run = (h: JobHandle) => (ticket ? ticket.run(() => work(h)) : work(h));
    let job: JobRecord;
    try {
      job = await this.ctx.jobs.start(
        { kind, target: accountRef(accountId), ownerUserId: owner, serialKey: accountRef(accountId) },
        async (h) => {
          try {
            return await run(h);
          } catch (e) {
            failure = e;
            throw e;
          }
        },
      );
    } catch (e) {
      ticket?.release();
      throw e;
    }
    ticket?.attach(job.id, (reason) => {
      stopped = reason;
      void this.ctx.jobs.cancel(job.id, reason);
    });
    const finished = this.ctx.jobs
      .wait(job.id)
      .finally(() => ticket?.release())
      .then((done) => {
        if (done.state === 'succeeded') return done.result as R;
        if (stopped) throw errors.conflict(stopped);
        throw (
          failure ??
          (done.state === 'cancelled'
            ? errors.conflict(`Job ${job.id} was cancelled`)
            : errors.internal(done.error ?? 'job failed'))
        );
      });
    finished.catch(() => undefined);
    return { job, finished };
  }

  /** Targets backups of this account may go to, as the principal sees them. */
  async usableTargets(account: Pick<AccountInfo, 'id' | 'reseller_id'>, p: Principal | null): Promise<TargetRecord[]> {
    return (await this.targets.records()).filter(
      (r) => this.targets.usableFor(r, account) && (!p || this.targets.visibleTo(r, p)),
    );
  }

  /** One target by id, checked to be usable for the account (403 otherwise, 403 licence, 503 down). */
  async target(
    id: string,
    account: Pick<AccountInfo, 'id' | 'reseller_id'>,
    p: Principal | null,
  ): Promise<BackupTarget> {
    const rec = await this.targets.record(id);
    if (!this.targets.usableFor(rec, account) || (p && !this.targets.visibleTo(rec, p)))
      throw errors.forbidden(`Backup target '${id}' may not be used for account ${account.id}`);
    return this.targets.resolve(id);
  }

  startBackup(
    account: AccountInfo,
    targetId: string,
    target: BackupTarget,
    owner: number | null,
    kind = 'backup.create',
  ) {
    return this.job<BackupResult>(kind, account.id, owner, (h) => this.creator.run(account, targetId, target, h));
  }

  startRestore(r: RestoreRequest) {
    return this.job<RestoreReport>('backup.restore', r.accountId, r.principal.userId, (h) => this.restorer.run(r, h));
  }

  /**
   * Backups of an account on the given targets that the principal may reach (see
   * {@link mayReach}; `null`: only those the account made), newest first; targets that fail are reported.
   */
  async list(
    known: KnownAccount,
    recs: TargetRecord[],
    p: Principal | null,
  ): Promise<{ backups: BackupListing[]; errors: string[] }> {
    const backups: BackupListing[] = [];
    const problems: string[] = [];
    for (const rec of recs) {
      try {
        const target = await this.targets.resolve(rec.id);
        const found = (await target.list(`${known.username}-`)).filter(
          (o) => parseBackupFileName(o.name)?.username === known.username,
        );
        const owners = await this.records.owners(
          rec.id,
          known.username,
          found.map((o) => o.name),
        );
        for (const o of found) {
          const owner = owners.get(o.name) ?? null;
          if (!mayReach(owner, known, p)) continue;
          backups.push({
            filename: o.name,
            size: o.size,
            created_at: parseBackupFileName(o.name)!.createdAt.toISOString(),
            target: rec.id,
            account_id: owner?.account_id ?? null,
          });
        }
      } catch (e) {
        problems.push(`${rec.id}: ${(e as Error).message}`);
      }
    }
    backups.sort((a, b) => b.created_at.localeCompare(a.created_at) || a.target.localeCompare(b.target));
    return { backups, errors: problems };
  }

  /**
   * The first of `recs` (in listing order: `local` first) holding the file as one the principal
   * may reach for this account. A file that is there but another account's is not found — except
   * for an admin, who is told whose it is (and restores it with `allow_other_account`).
   */
  async locate(
    filename: string,
    recs: TargetRecord[],
    known: KnownAccount,
    p: Principal,
    allowOther = false,
  ): Promise<{ id: string; target: BackupTarget }> {
    let other: ArchiveOwner | null = null;
    for (const rec of recs) {
      const target = await this.targets.resolve(rec.id).catch(() => null);
      if (!target || !(await target.stat(filename).catch(() => null))) continue;
      const owner = await this.records.owner(rec.id, filename);
      if (mayReach(owner, known, p) || (allowOther && p.role === 'admin')) return { id: rec.id, target };
      other = owner;
    }
    if (other && p.role === 'admin')
      throw errors.forbidden(
        `Backup ${filename} was made by account ${other.account_id}, not account ${known.id}; an administrator may restore it into this account with allow_other_account=true`,
      );
    throw errors.notFound(`Backup ${filename} not found on any target this account may use`);
  }
}
