import { errors, Type, type Static } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import type { AccountRow } from './store.js';
import { passwdEntry } from './system-users.js';

/** Body of `POST /api/accounts/:id/password`: the same rule as the password at creation. */
export const PasswordBody = Type.Object({
  password: Type.String({ pattern: '^[^\\x00-\\x1f\\x7f]{8,128}$', 'x-error': 'must be 8–128 characters without control characters' }),
});
export type PasswordBody = Static<typeof PasswordBody>;

/** Test mode only: make the password change fail at its panel-login step (after the system user's is set). */
function injected(d: AccountDeps): void {
  if (d.settings.failAt === 'password-login') throw errors.internal("Injected failure at password step 'login'");
}

/**
 * Set an account's password: first the system user's (linux mode; hashed, on stdin only), then
 * the panel login's, which ends every session of that login. The login goes last because its old
 * hash cannot be put back; a failure there puts the system user's former shadow field back, so a
 * change is complete or not made. A suspended account's system user stays locked.
 */
export async function changePassword(d: AccountDeps, id: number, password: string): Promise<AccountRow> {
  const row = await d.store.row(id);
  if (!row) throw errors.notFound(`Account ${id} not found`);
  if (row.status === 'creating' || row.status === 'deleting') throw errors.conflict(`Account ${id} is ${row.status}; its password cannot change now`);
  const linux = d.settings.mode === 'linux';
  if (linux && !passwdEntry(row.username))
    throw errors.conflict(`Account '${row.username}' has no system user; restart the panel so that start-up reconciliation makes it again`);
  if (!linux && row.user_id === null) throw errors.conflict(`Account '${row.username}' has no panel login whose password could be set`);
  const former = linux ? d.users.passwordField(row.username) : null;
  if (linux) {
    await d.users.setPassword(row.username, password);
    if (row.status === 'suspended') await d.users.lock(row.username);
  }
  try {
    injected(d);
    await d.logins.setPassword(row.user_id, password);
  } catch (e) {
    if (former !== null) {
      await d.users.setPasswordField(row.username, former).catch((err: Error) =>
        d.ctx.logger.error('password change: undo failed', { id, username: row.username, error: err.message }));
    }
    throw e;
  }
  return row;
}
