// Start-up reconciliation of the accounts' system users (linux mode): made again when they
// vanished, their lock state brought in line with the account status; and the cheap check that
// lets the steady state skip every per-account query and exec.
import { existsSync } from 'node:fs';
import type { AccountReconciliation } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { homeLooksComplete } from './home.js';
import { allocateId } from './ids.js';
import type { AccountRow } from './store.js';
import { lockState, type LockState, type usersSnapshot } from './system-users.js';

/**
 * Make a vanished system user again (former uid/gid when free). When the ids had to change, the
 * home's files move to the new ones (`chown --from`, never following links) and the row follows.
 */
export async function recreateUser(d: AccountDeps, row: AccountRow, report: AccountReconciliation): Promise<void> {
  const made = await d.users.recreate(row.username, row.home_dir, { uid: row.uid, gid: row.gid }, () =>
    allocateId(d.ctx.db, d.store.table),
  );
  const notes = [
    `${row.username}: system user made again (uid ${made.uid}) without a password, since the old one cannot be recovered;` +
      ` it cannot log in over SSH or SFTP until a password is set with POST /api/accounts/${row.id}/password`,
  ];
  if ((made.uid !== row.uid || made.gid !== row.gid) && existsSync(row.home_dir)) {
    if (row.uid !== null)
      await d.ctx.exec.run('chown', ['-R', '-h', `--from=+${row.uid}`, `+${made.uid}`, '--', row.home_dir]);
    if (row.gid !== null)
      await d.ctx.exec.run('chown', ['-R', '-h', `--from=:+${row.gid}`, `:+${made.gid}`, '--', row.home_dir]);
    notes.push(
      `${row.username}: the former uid/gid ${row.uid}/${row.gid} were taken; the home's files now belong to ${made.uid}/${made.gid}`,
    );
  }
  await d.store.update(row.id, { uid: made.uid, gid: made.gid });
  if (row.status === 'suspended') await d.users.lock(row.username);
  report.recreated_users.push(row.username);
  report.notes.push(...notes);
}

/**
 * What the lock and expiry state of an existing user needs to follow the account status (a user
 * without password stays locked, but not expired); all false when it is in step.
 */
function lockRepairs(status: AccountRow['status'], s: LockState) {
  const lock = status === 'suspended' && (!s.locked || !s.expired);
  return {
    unexpire: status === 'active' && s.expired && !(s.locked && s.hasPassword),
    lock,
    unlock: !lock && status === 'active' && s.locked && s.hasPassword,
  };
}

/** Bring an existing user's lock state in line with the account status, read afresh. */
export async function syncLock(d: AccountDeps, row: AccountRow, report: AccountReconciliation): Promise<void> {
  const todo = lockRepairs(row.status, lockState(row.username));
  if (todo.unexpire) {
    await d.ctx.exec.run('usermod', ['--expiredate', '', '--', row.username]);
    report.notes.push(`${row.username}: system user no longer expired, as the account is active`);
  }
  if (todo.lock) {
    await d.users.lock(row.username);
    report.locked.push(row.username);
    report.notes.push(`${row.username}: system user locked again, as the account is suspended`);
  } else if (todo.unlock) {
    await d.users.unlock(row.username);
    report.unlocked.push(row.username);
    report.notes.push(`${row.username}: system user unlocked again, as the account is active`);
  }
}

/**
 * Whether a listed row may need a repair, from one snapshot of the users and synchronous lstat
 * calls: the steady state (every row in step) costs no query and no exec per account. A row that
 * fails it is read again and repaired as before.
 */
export function mayNeedRepair(row: AccountRow, users: ReturnType<typeof usersSnapshot> | null): boolean {
  if (users) {
    if (!users.entry(row.username)) return true;
    const todo = lockRepairs(row.status, users.lock(row.username));
    if (todo.unexpire || todo.lock || todo.unlock) return true;
  }
  return !homeLooksComplete(row.home_dir);
}
