import { readFileSync } from 'node:fs';
import type { AccountDeps } from './create.js';
import { removeSharedTmpFiles } from './leftovers.js';
import { stopAccountProcesses } from './processes.js';
import type { AccountRow } from './store.js';
import { passwdEntries } from './system-users.js';

/** Whether a group other than the account's own now has this gid. */
function gidTakenByOther(gid: number, name: string): boolean {
  try {
    return readFileSync('/etc/group', 'utf8')
      .split('\n')
      .some((l) => l.split(':')[2] === String(gid) && l.split(':')[0] !== name);
  } catch {
    return false;
  }
}

/**
 * The account's system ids, when it has them (linux mode). Null, and logged, when another system
 * user now holds the uid (a panel older than the high-water mark let useradd hand it out again):
 * that user's processes and files are not the account's to stop or remove. A gid another group
 * now holds is likewise left out (processes are then matched by uid only).
 */
function systemIds(d: AccountDeps, row: AccountRow): { uid: number; gid: number | null } | null {
  if (d.settings.mode !== 'linux' || row.uid === null) return null;
  const holder = passwdEntries().find((e) => e.uid === row.uid && e.name !== row.username);
  if (!holder)
    return { uid: row.uid, gid: row.gid !== null && gidTakenByOther(row.gid, row.username) ? null : row.gid };
  d.ctx.logger.warn(
    'account: its uid now belongs to another system user; its processes and shared temp files are left alone',
    { username: row.username, uid: row.uid, holder: holder.name },
  );
  return null;
}

/** Stop every process the account runs (linux mode; see {@link stopAccountProcesses}). */
export async function stopAccount(d: AccountDeps, row: AccountRow): Promise<void> {
  const ids = systemIds(d, row);
  if (ids) await stopAccountProcesses(d.ctx.exec, ids.uid, ids.gid);
}

/**
 * Remove what a deleted account left in /tmp, /var/tmp and /dev/shm (its processes stopped first,
 * so nothing recreates them); what had to stay is logged.
 */
export async function removeAccountLeftovers(d: AccountDeps, row: AccountRow): Promise<void> {
  const ids = systemIds(d, row);
  if (!ids) return;
  await stopAccountProcesses(d.ctx.exec, ids.uid, ids.gid);
  const left = await removeSharedTmpFiles(d.ctx.exec, ids.uid, ids.gid);
  if (left.length)
    d.ctx.logger.warn('account delete: files of the account left in shared temp dirs (setuid/setgid bits removed)', {
      username: row.username,
      files: left.slice(0, 20),
    });
}

const USERDEL_TRIES = 3;

/**
 * Remove the system user once nothing of it runs. userdel refuses while a process of the user
 * lives (exit 8, naming the pid): the processes are stopped again and userdel retried; the last
 * failure, naming the blocking pid, is what the caller reports.
 */
export async function removeSystemUser(d: AccountDeps, row: AccountRow): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await stopAccount(d, row);
    try {
      await d.users.remove(row.username);
      return;
    } catch (e) {
      if (attempt >= USERDEL_TRIES) throw e;
      d.ctx.logger.warn('account delete: userdel refused, stopping processes again', {
        username: row.username,
        error: (e as Error).message,
      });
    }
  }
}
