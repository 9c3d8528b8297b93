import { existsSync } from 'node:fs';
import { accountRef, homeCopiesBeside, type AccountReconciliation } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { repairHome, type HomeOwner } from './home.js';
import { removeHome } from './home-removal.js';
import { findOrphans } from './maintenance.js';
import { mayNeedRepair, recreateUser, syncLock } from './reconcile-users.js';
import type { AccountRow } from './store.js';
import { groupId, passwdEntry, usersSnapshot } from './system-users.js';
import { stopAccount } from './teardown.js';

function emptyReport(): AccountReconciliation {
  return {
    rolled_back: [],
    locked: [],
    unlocked: [],
    recreated_homes: [],
    recreated_users: [],
    restored_deletes: [],
    unfinished_deletes: [],
    missing_users: [],
    missing_homes: [],
    orphan_users: [],
    orphan_homes: [],
    failed: [],
    notes: [],
  };
}

/** Rows a crash left half-way, read before the panel serves requests (so none of a new request's rows is taken). */
export interface Interrupted {
  creating: AccountRow[];
  deleting: AccountRow[];
}

/** Read the interrupted creations and deletes; call in `start`, before any request is served. */
export async function interruptedAtStart(d: AccountDeps): Promise<Interrupted> {
  return {
    creating: await d.store.q().where({ status: 'creating' }).orderBy('id'),
    deleting: await d.store.q().where({ status: 'deleting' }).orderBy('id'),
  };
}

/** Interrupted deletes: before their point of no return they go back; after it they wait for a repeated DELETE. */
async function settleDeletes(d: AccountDeps, rows: AccountRow[], report: AccountReconciliation): Promise<void> {
  for (const row of rows) {
    const prior = row.pre_delete_status;
    if (!prior) {
      report.unfinished_deletes.push(row.username);
      report.notes.push(
        `${row.username}: a delete failed past its point of no return; DELETE /api/accounts/${row.id} finishes it`,
      );
      continue;
    }
    const n = await d.store
      .q()
      .where({ id: row.id, status: 'deleting', pre_delete_status: prior })
      .update({ status: prior, pre_delete_status: null });
    if (!n) continue; // a DELETE retried it meanwhile
    await d.logins.setDisabled(row.user_id, prior === 'suspended');
    report.restored_deletes.push(row.username);
    report.notes.push(`${row.username}: an interrupted delete was rolled back; the account is ${prior} again`);
  }
}

/**
 * Start-up reconciliation of the database with the system. Interrupted creations are removed
 * (login, user, home, row; their domain rows go with the domains plugin's own reconciliation);
 * interrupted deletes are settled; vanished system users (linux mode) and homes or skeleton
 * directories are made again; lock state follows the account status. Nothing the database does
 * not know is removed: such users and homes are reported. A repair that fails is reported and the
 * others go on. Runs once every plugin has started, off the start-up path (repairs can be slow).
 */
export async function reconcileAccounts(d: AccountDeps, interrupted: Interrupted): Promise<AccountReconciliation> {
  const report = emptyReport();
  const linux = d.settings.mode === 'linux';
  for (const row of interrupted.creating) {
    await d.logins.removeStale(row.username, accountRef(row.id));
    await stopAccount(d, row);
    await d.users.remove(row.username);
    await removeHome(d.ctx.exec, d.settings.homeBase, row.home_dir, row);
    await d.store.q().where({ id: row.id }).delete();
    report.rolled_back.push(row.username);
    report.notes.push(`${row.username}: an interrupted creation was rolled back`);
  }
  await settleDeletes(d, interrupted.deleting, report);
  const webGid = linux ? groupId(d.settings.webGroup) : null;
  const users = linux ? usersSnapshot() : null;
  let looked = 0;
  for (const listed of await d.store.list()) {
    // Requests are served meanwhile: the checks below are synchronous, so let them in now and then.
    if (++looked % 500 === 0) await new Promise((r) => setImmediate(r));
    if (listed.status === 'deleting' || !mayNeedRepair(listed, users)) continue;
    const row = await d.store.row(listed.id); // requests are served meanwhile: a delete may have begun
    if (!row || row.status === 'deleting') continue;
    const failed = (step: string, e: unknown, missing: string[]) => {
      report.failed.push({ username: row.username, step, error: (e as Error).message });
      missing.push(row.username);
    };
    let user = linux ? passwdEntry(row.username) : null;
    if (linux && !user) {
      try {
        await recreateUser(d, row, report);
        user = passwdEntry(row.username);
      } catch (e) {
        failed('user', e, report.missing_users);
        continue;
      }
    } else if (user) {
      await syncLock(d, row, report).catch((e) => failed('lock', e, []));
    }
    // A missing home with a restore's copy beside it is the backups plugin's to put back, never made again empty.
    const copies = existsSync(row.home_dir) ? [] : homeCopiesBeside(row.home_dir, row.username);
    if (copies.length) {
      report.missing_homes.push(row.username);
      report.notes.push(
        `${row.username}: home ${row.home_dir} is missing but ${copies.join(', ')} beside it hold a copy of it (a restore a crash interrupted);` +
          ' it is not made again empty: the backups plugin puts the copy back when it starts, or move it in place by hand',
      );
      continue;
    }
    try {
      const owner: HomeOwner = user ? { uid: user.uid, gid: user.gid, webGid } : { uid: null, gid: null, webGid: null };
      const made = await repairHome(row.home_dir, row.primary_domain, owner, d.settings.templatesDir);
      if (made.length) {
        report.recreated_homes.push(row.username);
        report.notes.push(
          made[0] === 'home'
            ? `${row.username}: home ${row.home_dir} was missing and is made again with an empty skeleton; lost files are not restored`
            : `${row.username}: missing ${made.join(', ')} made again in ${row.home_dir}`,
        );
      }
    } catch (e) {
      failed('home', e, report.missing_homes);
    }
  }
  const orphans = findOrphans(d, await d.store.q());
  report.orphan_users = orphans.users;
  report.orphan_homes = orphans.homes;
  if (orphans.users.length)
    report.notes.push(`system users made by the panel that no account knows (kept): ${orphans.users.join(', ')}`);
  if (orphans.homes.length)
    report.notes.push(`homes under ${d.settings.homeBase} that no account knows (kept): ${orphans.homes.join(', ')}`);
  return report;
}
