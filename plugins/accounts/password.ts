import { errors, Type, type Principal, type Static } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import type { AccountRow } from './store.js';
import { passwdEntry } from './system-users.js';

/**
 * Body of `POST /api/accounts/:id/password`: the same rule as the password at creation, and the
 * current password when the account's own login changes it.
 */
export const PasswordBody = Type.Object({
  password: Type.String({
    pattern: '^[^\\x00-\\x1f\\x7f]{8,128}$',
    'x-error': 'must be 8–128 characters without control characters',
  }),
  current_password: Type.Optional(
    Type.String({ minLength: 1, maxLength: 1024, 'x-error': 'must be a string of at most 1024 characters' }),
  ),
});
export type PasswordBody = Static<typeof PasswordBody>;

/** Who asks for the change: the account's own login is held to the rule of `/api/auth/password`. */
export interface PasswordCaller {
  principal: Principal | null;
  ip: string;
  currentPassword?: string;
}

/**
 * The account's own login must prove the current password, and never with an API token: else a
 * scoped token, or a stolen session, could turn itself into the password and a full login.
 * Admins and the owning reseller reset it without (they are not that login).
 */
async function checkOwnLogin(d: AccountDeps, row: AccountRow, caller: PasswordCaller): Promise<void> {
  const p = caller.principal;
  if (!p || row.user_id === null || p.userId !== row.user_id) return;
  if (p.scopes !== null)
    throw errors.forbidden(
      'An API token cannot set the password of its own login; change it from a login session, giving the current password',
    );
  if (caller.currentPassword === undefined)
    throw errors.validation('current_password: is required to change your own password');
  await d.logins.checkPassword(row.user_id, caller.currentPassword, caller.ip);
}

/** Test mode only: make the password change fail at its panel-login step (after the system user's is set). */
function injected(d: AccountDeps): void {
  if (d.settings.failAt === 'password-login') throw errors.internal("Injected failure at password step 'login'");
}

/**
 * Set an account's password: first the system user's (linux mode; hashed, on stdin only), then
 * the panel login's, which ends every session and API token of that login. The login goes last because its old
 * hash cannot be put back; a failure there puts the system user's former shadow field back, so a
 * change is complete or not made. A suspended account's system user stays locked.
 */
export async function changePassword(
  d: AccountDeps,
  id: number,
  password: string,
  caller: PasswordCaller,
): Promise<{ row: AccountRow; api_tokens_revoked: number }> {
  const row = await d.store.row(id);
  if (!row) throw errors.notFound(`Account ${id} not found`);
  await checkOwnLogin(d, row, caller);
  if (row.status === 'creating' || row.status === 'deleting')
    throw errors.conflict(`Account ${id} is ${row.status}; its password cannot change now`);
  const linux = d.settings.mode === 'linux';
  if (linux && !passwdEntry(row.username))
    throw errors.conflict(
      `Account '${row.username}' has no system user; restart the panel so that start-up reconciliation makes it again`,
    );
  if (!linux && row.user_id === null)
    throw errors.conflict(`Account '${row.username}' has no panel login whose password could be set`);
  const former = linux ? d.users.passwordField(row.username) : null;
  if (linux) {
    await d.users.setPassword(row.username, password);
    if (row.status === 'suspended') await d.users.lock(row.username);
  }
  try {
    injected(d);
    return { row, ...(await d.logins.setPassword(row.user_id, password)) };
  } catch (e) {
    if (former !== null) {
      await d.users
        .setPasswordField(row.username, former)
        .catch((err: Error) =>
          d.ctx.logger.error('password change: undo failed', { id, username: row.username, error: err.message }),
        );
    }
    throw e;
  }
}
