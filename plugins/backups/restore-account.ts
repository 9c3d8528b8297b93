import {
  accountOperations,
  accountProvisioner,
  errors,
  type AccountInfo,
  type AccountOperationTicket,
  type PluginContext,
  type Principal,
} from '../../sdk/index.js';
import { refuse } from './failure.js';
import type { Manifest } from './manifest.js';

/** An account's quota in bytes, null when unlimited (0). */
export const quotaBytes = (a: { disk_quota_mb: number }) =>
  a.disk_quota_mb > 0 ? a.disk_quota_mb * 1024 * 1024 : null;

/**
 * Bring a deleted account back from a verified manifest through the accounts plugin's
 * provisioner — validated like `POST /api/accounts`, within the licence's limits — and undo it
 * when the backup's files do not fit the quota of the account it got. `identity`: the deleted
 * account's, to carry over (else the new account gets its own).
 */
export async function recreateAccount(
  ctx: PluginContext,
  m: Manifest,
  fileBytes: number,
  p: Principal,
  identity?: string,
): Promise<AccountInfo> {
  const provisioner = ctx.services.find(accountProvisioner);
  if (!provisioner)
    throw errors.unavailable(
      `Account ${m.account.username} no longer exists and cannot be recreated: the accounts plugin provides no account provisioner`,
    );
  const q = quotaBytes(m.account);
  if (q !== null && fileBytes > q)
    throw refuse(
      errors.validation(`the backup's files exceed the account's disk quota (${m.account.disk_quota_mb} MB)`),
    );
  const a = m.account;
  const account = await provisioner.create({
    username: a.username,
    domain: a.primary_domain,
    email: a.email,
    plan: a.plan,
    reseller_id: p.role === 'reseller' ? p.userId : a.reseller_id,
    ...(identity ? { identity } : {}),
  });
  const real = quotaBytes(account);
  if (real !== null && fileBytes > real) {
    await provisioner.remove(account.id);
    throw refuse(
      errors.validation(
        `the backup's files exceed the disk quota of plan ${account.plan} (${account.disk_quota_mb} MB)`,
      ),
    );
  }
  return account;
}

/**
 * Hold an account a restore recreated under a new id until `release`, as that restore's: a delete
 * of it meanwhile answers 409 naming the restore job. Under the requested id it is claimed already.
 */
export async function claimRecreated(
  ctx: PluginContext,
  account: AccountInfo,
  requestedId: number,
  jobId: string,
): Promise<AccountOperationTicket | undefined> {
  if (account.id === requestedId) return undefined;
  const ticket = await ctx.services.find(accountOperations)?.acquire(account.id, 'restore');
  ticket?.attach(jobId, () => undefined);
  return ticket;
}
