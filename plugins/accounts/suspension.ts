import { accountSuspension } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { setSuspended } from './lifecycle.js';
import { toInfo } from './store.js';

/** The `accounts.suspension` service: the suspend routes' path, with the plugin's reason audited. */
export function provideSuspension(d: AccountDeps): void {
  d.ctx.services.provide(accountSuspension, {
    async set(accountId, suspended, reason) {
      const row = await setSuspended(d, accountId, suspended, reason);
      d.ctx.audit({
        action: suspended ? 'account.suspend' : 'account.unsuspend',
        target: `account:${accountId}`,
        ok: true,
        detail: reason,
      });
      return toInfo(row);
    },
  });
}
