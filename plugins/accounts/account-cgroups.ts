import { errors, type AccountCgroups } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { applyLimits } from './limits.js';

/**
 * The account's groups for a process another plugin starts on its behalf (a per-account php-fpm
 * master): the process writes its own pid into these files before it runs anything, so what it
 * forks is limited from birth. A group that went missing (removed by hand) is made again first.
 */
export function createAccountCgroups(d: AccountDeps): AccountCgroups {
  const { cgroups } = d.limits;
  return {
    kind: cgroups.kind,
    async entry(accountId) {
      const row = await d.store.row(accountId);
      if (!row) throw errors.notFound(`Account ${accountId} not found`);
      if (cgroups.kind === 'none' || row.uid === null) return [];
      let files = cgroups.procsFiles(row.username);
      if (!files.length) {
        await applyLimits(d.limits, d.plans, row);
        files = cgroups.procsFiles(row.username);
      }
      if (!files.length) throw errors.internal(`the control groups of ${row.username} could not be made`);
      return files;
    },
  };
}
