import { chownSync } from 'node:fs';
import { errors, type AccountCgroups } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { applyLimits } from './limits.js';

/**
 * The account's groups for a process another plugin starts on its behalf (a per-account php-fpm
 * master, a cron job): the process writes its own pid into these files before it runs anything,
 * so what it forks is limited from birth. A group that went missing (removed by hand) is made
 * again first.
 */
export function createAccountCgroups(d: AccountDeps): AccountCgroups {
  const { cgroups } = d.limits;
  const entry = async (accountId: number): Promise<string[]> => {
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
  };
  return {
    kind: cgroups.kind,
    entry,
    parents: () => cgroups.parents(),
    async selfEntry(accountId) {
      // v1 checks the writer's uid against the moved process and the file's write permission; v2
      // wants write access where the process comes from too (the root group), so it cannot be handed out.
      if (cgroups.kind !== 'cgroup-v1') return [];
      const row = await d.store.row(accountId);
      if (!row || row.uid === null || row.gid === null) return [];
      const files = await entry(accountId);
      for (const f of files) chownSync(f, row.uid, row.gid);
      return files;
    },
  };
}
