import { errors } from '../../sdk/index.js';

/** `<username>-YYYYMMDD-HHMMSS.tar.gz`, as the contract names backups. */
export const BACKUP_FILE = /^([a-z][a-z0-9]{2,15})-(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)\.tar\.gz$/;

/** Pattern for route params (same as {@link BACKUP_FILE}, as a string). */
export const BACKUP_FILE_PATTERN = BACKUP_FILE.source;

/** File name of a backup made at `when` (UTC). */
export function backupFileName(username: string, when: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const date = `${when.getUTCFullYear()}${p(when.getUTCMonth() + 1)}${p(when.getUTCDate())}`;
  const time = `${p(when.getUTCHours())}${p(when.getUTCMinutes())}${p(when.getUTCSeconds())}`;
  return `${username}-${date}-${time}.tar.gz`;
}

/** Username and time a backup file name carries, or null when it is not one. */
export function parseBackupFileName(name: string): { username: string; createdAt: Date } | null {
  const m = BACKUP_FILE.exec(name);
  if (!m) return null;
  const [, username, y, mo, d, h, mi, s] = m;
  const createdAt = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (Number.isNaN(createdAt.getTime()) || createdAt.getUTCDate() !== Number(d)) return null;
  return { username: username!, createdAt };
}

/** The backup file named in a request, checked to belong to the account (400 otherwise). */
export function requireBackupOf(filename: string, username: string): Date {
  const parsed = parseBackupFileName(filename);
  if (!parsed) throw errors.validation('filename: must be a backup file name <username>-YYYYMMDD-HHMMSS.tar.gz');
  if (parsed.username !== username)
    throw errors.validation(`filename: ${filename} is not a backup of account ${username}`);
  return parsed.createdAt;
}
