import { chmod, mkdir } from 'node:fs/promises';
import type { AccountHomes } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { applyLimits } from './limits.js';

/**
 * Homes made for other plugins exactly as account creation makes them: where the disk quota is a
 * btrfs qgroup, a home is its own subvolume (a plain directory cannot carry a limit, and limiting
 * the directory would limit the subvolume holding every home), so a restore's staged home is one
 * too, and gets the account's limits again once it has been swapped in.
 */
export function createAccountHomes(d: AccountDeps): AccountHomes {
  return {
    async makeHomeDir(account, dir) {
      if (account.uid !== null && d.limits.disk.makeHome) {
        await d.limits.disk.makeHome(dir);
        await chmod(dir, 0o700);
      } else {
        await mkdir(dir, { mode: 0o700 });
      }
    },
    async applyLimits(accountId) {
      const row = await d.store.row(accountId);
      if (row) await applyLimits(d.limits, d.plans, row);
    },
  };
}
