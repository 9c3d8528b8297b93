import type { BackupTarget } from '../../sdk/index.js';
import { parseBackupFileName } from './names.js';

const DAY = 24 * 60 * 60 * 1000;

/** Backups on a target, with the account and time their names carry (other objects are ignored). */
async function backupsOn(
  target: BackupTarget,
  username?: string,
): Promise<{ name: string; username: string; createdAt: Date }[]> {
  const out: { name: string; username: string; createdAt: Date }[] = [];
  for (const o of await target.list(username ? `${username}-` : '')) {
    const parsed = parseBackupFileName(o.name);
    if (parsed && (!username || parsed.username === username)) out.push({ name: o.name, ...parsed });
  }
  return out.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/**
 * Delete every backup on a target whose name says it is older than `days` (the contract's
 * cleanup). Only objects named like backups are ever considered.
 */
export async function deleteOlderThan(target: BackupTarget, days: number, now = new Date()): Promise<string[]> {
  const cutoff = now.getTime() - days * DAY;
  const deleted: string[] = [];
  for (const b of await backupsOn(target)) {
    if (b.createdAt.getTime() < cutoff && (await target.delete(b.name))) deleted.push(b.name);
  }
  return deleted;
}

/**
 * A schedule's retention for one account: keep the newest `keepCount` (0: no count limit) and
 * nothing older than `keepDays` (0: no age limit) — but never the newest backup, so a paused
 * schedule cannot age an account down to nothing. Only backups `owns` says the account made are
 * counted or deleted: the username in a name is no proof (it is reused after a delete).
 */
export async function applyRetention(
  target: BackupTarget,
  username: string,
  keepCount: number,
  keepDays: number,
  owns: (name: string) => boolean,
  now = new Date(),
): Promise<string[]> {
  const cutoff = now.getTime() - keepDays * DAY;
  const deleted: string[] = [];
  const list = (await backupsOn(target, username)).filter((b) => owns(b.name));
  for (const [i, b] of list.entries()) {
    if (i === 0) continue;
    const tooMany = keepCount > 0 && i >= keepCount;
    const tooOld = keepDays > 0 && b.createdAt.getTime() < cutoff;
    if ((tooMany || tooOld) && (await target.delete(b.name))) deleted.push(b.name);
  }
  return deleted;
}
