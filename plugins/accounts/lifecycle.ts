import { errors, isPanelError, PanelError } from '../../sdk/index.js';
import { domainsOf } from './account-domains.js';
import type { AccountDeps } from './create.js';
import { removeHome } from './home-removal.js';
import { toInfo, type AccountRow } from './store.js';
import { passwdEntry } from './system-users.js';
import { removeAccountLeftovers, removeSystemUser, stopAccount } from './teardown.js';

type Undo = () => Promise<unknown> | unknown;
const running = new WeakMap<AccountDeps, Set<number>>();

/** Failure injection (test mode): the first delete that passes the configured step fails there, a retry goes on. */
function injected(d: AccountDeps, step: string): void {
  if (d.settings.failDeleteAt !== step) return;
  d.settings.failDeleteAt = '';
  throw errors.internal(`Injected failure after delete step '${step}'`);
}

/** Lock or unlock the system user, if there is one (a vanished user must not block a delete). */
async function setLocked(d: AccountDeps, username: string, locked: boolean): Promise<void> {
  if (d.settings.mode === 'linux' && !passwdEntry(username)) return;
  await (locked ? d.users.lock(username) : d.users.unlock(username));
}

/**
 * The undoable half: status `deleting` (the prior one kept in `pre_delete_status`), panel login
 * disabled, system user locked, vhosts off the web server (a `deleting` account renders none),
 * then the `account.delete` before-hooks. Any failure or veto puts the account back as it was,
 * vhosts included. What other plugins' hooks already removed (databases, pools) is theirs to keep
 * consistent: a veto comes from the plugin that could not finish.
 */
async function withdraw(d: AccountDeps, row: AccountRow, prior: 'active' | 'suspended'): Promise<void> {
  const domains = domainsOf(d.ctx);
  const undo: Undo[] = [];
  const step = async (name: string, run: () => Promise<unknown>, revert?: Undo) => {
    await run();
    if (revert) undo.push(revert);
    injected(d, name);
  };
  try {
    await step(
      'mark',
      async () => {
        const n = await d.store
          .q()
          .where({ id: row.id, status: row.status })
          .update({ status: 'deleting', pre_delete_status: prior });
        if (!n) throw errors.conflict(`Account ${row.id} changed while it was being deleted; try again`);
      },
      async () => {
        await d.store.update(row.id, { status: prior, pre_delete_status: null });
        await domains.regenerate(row.id);
      },
    );
    await step(
      'login-off',
      () => d.logins.setDisabled(row.user_id, true),
      () => d.logins.setDisabled(row.user_id, prior === 'suspended'),
    );
    await step(
      'lock',
      () => setLocked(d, row.username, true),
      () => (prior === 'active' ? setLocked(d, row.username, false) : undefined),
    );
    await step('vhosts', () => domains.regenerate(row.id));
    await step('hooks', () => d.ctx.hooks.runBefore('account.delete', { account: toInfo({ ...row, status: prior }) }));
  } catch (e) {
    for (const fn of undo.reverse()) {
      try {
        await fn();
      } catch (err) {
        d.ctx.logger.error('account delete: undo failed', { id: row.id, error: err });
      }
    }
    throw e;
  }
}

/**
 * The final half, past the point of no return: domain rows, panel login, the account's processes
 * and shared temp files, system user, home, row.
 * Every step accepts an earlier partial run. A failure leaves the account `deleting` and says
 * which step failed; a repeated DELETE runs this half again and finishes.
 */
async function finish(d: AccountDeps, row: AccountRow): Promise<void> {
  const steps: [string, () => Promise<unknown> | unknown][] = [
    ['domains', () => domainsOf(d.ctx).removeForAccount(row.id)],
    [
      'login',
      async () => {
        await d.logins.remove(row.user_id);
        if (row.user_id !== null) await d.store.update(row.id, { user_id: null });
      },
    ],
    // Logins were closed in withdraw (locked and expired); nothing of the account runs past here.
    ['processes', () => stopAccount(d, row)],
    ['files', () => removeAccountLeftovers(d, row)],
    ['user', () => removeSystemUser(d, row)],
    ['home', () => removeHome(d.ctx.exec, d.settings.homeBase, row.home_dir, row)],
  ];
  for (const [name, run] of steps) {
    try {
      await run();
      injected(d, name);
    } catch (e) {
      const failed = `Deleting account '${row.username}' failed at step '${name}'`;
      const retry = "The account is marked 'deleting'; repeat the DELETE to finish it.";
      d.ctx.logger.error('account delete failed past the point of no return', { id: row.id, step: name, error: e });
      // The step's own server detail (a tool's words) stays with admins, as on the failing step; so
      // does a plain error's text (a Node error naming the home's path): a reseller runs this too.
      throw isPanelError(e)
        ? new PanelError(e.code, `${failed}: ${e.message}. ${retry}`).withAdminDetail(e.adminDetail ?? '')
        : errors.internal(`${failed}. ${retry}`).withAdminDetail((e as Error)?.message ?? String(e));
    }
  }
  await d.store.q().where({ id: row.id }).delete();
}

/**
 * Delete an account, complete or rolled back as far as the system allows (see {@link withdraw}
 * and {@link finish}). A `deleting` account whose undoable half had finished goes straight to the
 * final half, so a retry completes what a failure left.
 */
export async function deleteAccount(d: AccountDeps, id: number): Promise<AccountRow> {
  const busy = running.get(d) ?? new Set<number>();
  running.set(d, busy);
  if (busy.has(id)) throw errors.conflict(`Account ${id} is already being deleted`);
  busy.add(id);
  try {
    const row = await d.store.row(id);
    if (!row) throw errors.notFound(`Account ${id} not found`);
    if (row.status !== 'deleting' || row.pre_delete_status !== null) {
      const prior = row.status === 'deleting' ? row.pre_delete_status! : (row.status as 'active' | 'suspended');
      await withdraw(d, row, prior);
      // The point of no return: from here on only a repeated DELETE moves the account on.
      await d.store.update(id, { pre_delete_status: null });
    }
    await finish(d, row);
    await d.ctx.hooks.runAfter('account.deleted', { account: toInfo(row) });
    return row;
  } finally {
    busy.delete(id);
  }
}

/**
 * Suspend or unsuspend: the vhost switches to (or from) the suspended page, the system user is
 * locked and expired (unlocked, expiry cleared) and the account's panel login refused (allowed).
 * A failing step puts the earlier ones back. Once suspended, and after the `account.suspended`
 * hooks took its PHP pool down (a live pool's master would start new workers), everything the
 * account still runs is stopped; a process that survives is a 409 naming it, and a repeated
 * suspend stops them again. Otherwise repeating the current state changes nothing; an account
 * being deleted is left alone (409). A plugin's `reason` reaches the hooks' payload.
 */
export async function setSuspended(
  d: AccountDeps,
  id: number,
  suspended: boolean,
  reason?: string,
): Promise<AccountRow> {
  const row = await d.store.row(id);
  if (!row) throw errors.notFound(`Account ${id} not found`);
  if (row.status === 'deleting')
    throw errors.conflict(`Account ${id} is being deleted; repeat the DELETE to finish it`);
  const target = suspended ? 'suspended' : 'active';
  if (row.status === target) {
    if (suspended) await stopAccount(d, row);
    return row;
  }
  const domains = domainsOf(d.ctx);
  const done: (() => Promise<unknown>)[] = [];
  try {
    // Conditional on the status read above, so a delete that started meanwhile is not overwritten.
    const n = await d.store.q().where({ id, status: row.status }).update({ status: target });
    if (!n) throw errors.conflict(`Account ${id} changed meanwhile; try again`);
    done.push(async () => {
      await d.store.update(id, { status: row.status });
      await domains.regenerate(id);
    });
    await domains.regenerate(id);
    await (suspended ? d.users.lock(row.username) : d.users.unlock(row.username));
    done.push(() => (suspended ? d.users.unlock(row.username) : d.users.lock(row.username)));
    await d.logins.setDisabled(row.user_id, suspended);
  } catch (e) {
    for (const fn of done.reverse())
      await fn().catch((err: Error) => d.ctx.logger.error('suspend: undo failed', { id, error: err.message }));
    throw e;
  }
  const updated = (await d.store.row(id))!;
  await d.ctx.hooks.runAfter(suspended ? 'account.suspended' : 'account.unsuspended', {
    account: toInfo(updated, await d.plans.accountLimits(updated)),
    ...(reason ? { reason } : {}),
  });
  // Logins are closed and the pool is down, so nothing new starts: what already runs ends.
  if (suspended) await stopAccount(d, updated);
  return updated;
}
