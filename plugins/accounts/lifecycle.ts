import { domainDirectory, errors } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { removeHome } from './home.js';
import { toInfo, type AccountRow } from './store.js';

async function existing(d: AccountDeps, id: number): Promise<AccountRow> {
  const row = await d.store.row(id);
  if (!row) throw errors.notFound(`Account ${id} not found`);
  return row;
}

/**
 * Delete an account: `account.delete` before-hooks remove what other plugins own (databases,
 * pools, certificates; backups are kept) while the account's domains still exist, then its domains
 * and vhosts (reloaded), the panel login, the system user, the home and the row. Each step
 * tolerates an earlier partial run, so a retry completes.
 */
export async function deleteAccount(d: AccountDeps, id: number): Promise<AccountRow> {
  const row = await existing(d, id);
  const account = toInfo(row);
  await d.ctx.hooks.runBefore('account.delete', { account });
  await d.ctx.services.get(domainDirectory).removeForAccount(id);
  await d.logins.remove(row.user_id);
  if (row.user_id !== null) await d.store.update(id, { user_id: null });
  await d.users.remove(row.username);
  removeHome(d.settings.homeBase, row.home_dir);
  await d.store.q().where({ id }).delete();
  await d.ctx.hooks.runAfter('account.deleted', { account });
  return row;
}

/**
 * Suspend or unsuspend: the vhost switches to (or from) the suspended page, the system user is
 * locked (unlocked) and the account's panel login refused (allowed). A failing step puts the
 * earlier ones back. Repeating the current state changes nothing.
 */
export async function setSuspended(d: AccountDeps, id: number, suspended: boolean): Promise<AccountRow> {
  const row = await existing(d, id);
  const target = suspended ? 'suspended' : 'active';
  if (row.status === target) return row;
  const domains = d.ctx.services.get(domainDirectory);
  const done: (() => Promise<unknown>)[] = [];
  try {
    await d.store.update(id, { status: target });
    done.push(async () => {
      await d.store.update(id, { status: row.status });
      await domains.regenerate(id);
    });
    await domains.regenerate(id);
    await (suspended ? d.users.lock(row.username) : d.users.unlock(row.username));
    done.push(() => (suspended ? d.users.unlock(row.username) : d.users.lock(row.username)));
    await d.logins.setDisabled(row.user_id, suspended);
  } catch (e) {
    for (const fn of done.reverse()) await fn().catch((err: Error) => d.ctx.logger.error('suspend: undo failed', { id, error: err.message }));
    throw e;
  }
  const updated = (await d.store.row(id))!;
  await d.ctx.hooks.runAfter(suspended ? 'account.suspended' : 'account.unsuspended', { account: toInfo(updated) });
  return updated;
}
