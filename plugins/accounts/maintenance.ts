import { existsSync } from 'node:fs';
import { accountRef, type AccountReconciliation } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { removeHome } from './home.js';
import { isLocked, passwdEntry } from './system-users.js';

/**
 * Start-up reconciliation of the database with the system: accounts whose creation a crash
 * interrupted are removed (login, system user, home, row; their domain rows go with the domains
 * plugin's own reconciliation), lock state follows the account status, and missing users or
 * homes are reported.
 */
export async function reconcileAccounts(d: AccountDeps): Promise<AccountReconciliation> {
  const report: AccountReconciliation = { rolled_back: [], locked: [], unlocked: [], missing_users: [], missing_homes: [] };
  for (const row of await d.store.q().where({ status: 'creating' })) {
    await d.logins.removeStale(row.username, accountRef(row.id));
    await d.users.remove(row.username);
    removeHome(d.settings.homeBase, row.home_dir);
    await d.store.q().where({ id: row.id }).delete();
    report.rolled_back.push(row.username);
  }
  for (const row of await d.store.list()) {
    if (!existsSync(row.home_dir)) report.missing_homes.push(row.username);
    if (d.settings.mode !== 'linux') continue;
    if (!passwdEntry(row.username)) {
      report.missing_users.push(row.username);
      continue;
    }
    const locked = isLocked(row.username);
    if (row.status === 'suspended' && !locked) {
      await d.users.lock(row.username);
      report.locked.push(row.username);
    } else if (row.status === 'active' && locked) {
      await d.users.unlock(row.username);
      report.unlocked.push(row.username);
    }
  }
  return report;
}

/** Measure every account's disk use (`du`, run as the account's user in linux mode) and store it. */
export async function measureDiskUsage(d: AccountDeps): Promise<number> {
  let updated = 0;
  for (const row of await d.store.list()) {
    if (!existsSync(row.home_dir)) continue;
    const asUser = d.settings.mode === 'linux' && row.uid !== null ? { uid: row.uid, gid: row.gid ?? row.uid } : {};
    // du exits non-zero when a tenant made a directory unreadable; the total it printed still counts.
    const r = await d.ctx.exec.run('du', ['-s', '-x', '-m', '--', row.home_dir], { ...asUser, allowFailure: true, timeoutMs: 300_000 });
    const mb = Number(/^(\d+)/.exec(r.stdout)?.[1]);
    if (Number.isFinite(mb) && mb !== row.disk_used_mb) {
      await d.store.update(row.id, { disk_used_mb: mb });
      updated++;
    }
  }
  return updated;
}
