import { accountDirectory, errors, type AccountInfo } from '../../sdk/index.js';
import type { AccessService } from './service.js';

function audit(access: AccessService, action: string, a: AccountInfo, e?: unknown): void {
  access.ctx.audit({ action, target: `account:${a.id}`, ok: !e, ...(e ? { detail: (e as Error).message } : {}) });
}

/**
 * Account hooks (linux mode): a new account gets its plan's shell; a suspended one loses its
 * crontab (cron runs the jobs of a locked user) and its SSH logins (sshd with PAM lets keys in
 * past a locked password); unsuspending restores both; a delete removes crontab and rows.
 */
export function registerAccountHooks(access: AccessService): void {
  const { hooks } = access.ctx;
  if (!access.linux) {
    hooks.after('account.deleted', ({ account }) => access.store.forget(account.id));
    return;
  }
  hooks.after('account.created', ({ account }) =>
    access.exclusive(async () => {
      if ((await access.shell(account)).shell !== 'full') await access.syncShell(account);
    }),
  );
  // Cron and sshd are separate steps with an audit entry each: an sshd without the panel's
  // Include must not keep a suspended account's jobs running.
  const step = (action: string, a: AccountInfo, fn: () => Promise<void>) =>
    fn().then(
      () => audit(access, action, a),
      (e) => {
        audit(access, action, a, e);
        access.ctx.logger.error(`access: ${action} failed`, { account: a.username, error: e });
      },
    );
  // A plan's own shell follows the account to a new plan (an admin's choice for the account stays).
  hooks.after('account.plan_changed', ({ account }) =>
    access.exclusive(async () => {
      if ((await access.shell(account)).source === 'plan') await access.syncShell(account);
    }),
  );
  hooks.after('account.suspended', ({ account }) =>
    access.exclusive(async () => {
      const a = { ...account, status: 'suspended' as const };
      await step('access.cron.suspend', a, () => access.crontabs.remove(a.username));
      await step('access.ssh.suspend', a, () => access.syncSshd());
    }),
  );
  hooks.after('account.unsuspended', ({ account }) =>
    access.exclusive(async () => {
      const a = { ...account, status: 'active' as const };
      await step('access.cron.unsuspend', a, () => access.syncCron(a));
      await step('access.ssh.unsuspend', a, () => access.syncSshd());
    }),
  );
  // Before: the crontab goes while the user still exists (`crontab -u` needs it); the rows stay
  // until the delete is done, so a later plugin's veto loses nothing (start-up reinstalls the
  // crontab of an account that came back). Runs again when a failed delete is repeated.
  // A crontab that cannot go refuses the delete: the reseller reads what failed, an admin also crontab's words.
  hooks.before('account.delete', ({ account }) =>
    access
      .exclusive(() => access.crontabs.remove(account.username))
      .catch((e: unknown) => {
        throw errors.vetoed('access', `could not remove the crontab of ${account.username}`).withCause(e);
      }),
  );
  hooks.after('account.deleted', ({ account }) =>
    access.exclusive(async () => {
      await access.store.forget(account.id);
      await access
        .syncSshd()
        .catch((e: Error) => access.ctx.logger.warn('access: Match file not updated on delete', { error: e.message }));
    }),
  );
}

/**
 * Start-up: rows of accounts that no longer exist dropped, sshd's PAM session line, its Match file, login shells and
 * homes of the shell kinds, crontabs of accounts with jobs made again from the rows (none for
 * suspended ones). Failures are logged per
 * account; nothing is removed that rows do not name.
 */
export async function reconcile(access: AccessService): Promise<void> {
  // Runs after the accounts plugin's own start-up repairs (the kernel orders ready tasks).
  const accounts = await access.ctx.services.get(accountDirectory).list();
  // Rows of accounts deleted while their after-hook could not run.
  const known = new Set(accounts.map((a) => a.id));
  for (const id of await access.store.accountIds()) if (!known.has(id)) await access.store.forget(id);
  await access.syncPam();
  // sshd first, as in every change: the user is never restricted less than sshd says.
  await access
    .syncSshd()
    .catch((e: Error) => access.ctx.logger.warn('access: sshd Match file not reconciled', { error: e.message }));
  for (const a of accounts) {
    if (a.deleting) continue;
    const fail = (step: string) => (e: Error) =>
      access.ctx.logger.error(`access: ${step} not reconciled`, { account: a.username, error: e.message });
    // A change interrupted between sshd and the user (a crash) is finished from the rows.
    await access.applyShell(a, (await access.shell(a)).shell).catch(fail('shell'));
    if ((await access.store.listCron(a.id)).length) await access.syncCron(a).catch(fail('crontab'));
  }
}
