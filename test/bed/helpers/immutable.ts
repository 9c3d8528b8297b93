import { execFileSync } from 'node:child_process';

/**
 * Run `fn` while `path` is immutable (`chattr +i`, ext4 as root): nothing in a directory so marked
 * can be renamed or removed, by root either — the way tests make a real file or directory
 * operation fail (a pool that cannot be moved, a crontab or a home that cannot be deleted).
 * The flag is cleared again however `fn` ends.
 */
export async function whileImmutable<T>(path: string, fn: () => Promise<T>): Promise<T> {
  execFileSync('chattr', ['+i', path]);
  try {
    return await fn();
  } finally {
    execFileSync('chattr', ['-i', path]);
  }
}
