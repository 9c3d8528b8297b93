import { readFile, stat, statfs } from 'node:fs/promises';
import path from 'node:path';

/** Mount points listed in /proc/self/mountinfo (field 5, with its octal escapes undone). */
async function mountPoints(): Promise<Set<string>> {
  try {
    const text = await readFile('/proc/self/mountinfo', 'utf8');
    const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    return new Set(
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => unescape(line.split(' ')[4] ?? '')),
    );
  } catch {
    return new Set();
  }
}

/**
 * Whether `dir` is the root of a mounted filesystem other than `/`: listed in mountinfo, or on
 * another device than its parent. An unmounted disk leaves an empty directory on the root
 * filesystem behind, and backups written there would fill the system disk instead.
 */
export async function isMountedDisk(dir: string): Promise<boolean> {
  if (dir === '/') return false;
  if ((await mountPoints()).has(dir)) return true;
  try {
    const [self, parent] = await Promise.all([stat(dir), stat(path.dirname(dir))]);
    return self.isDirectory() && self.dev !== parent.dev;
  } catch {
    return false;
  }
}

/** Free and total space of the filesystem holding `dir`, in MB (null when it cannot be read). */
export async function diskSpace(dir: string): Promise<{ free_mb: number; total_mb: number } | null> {
  try {
    const s = await statfs(dir);
    return {
      free_mb: Math.floor((s.bavail * s.bsize) / 1048576),
      total_mb: Math.floor((s.blocks * s.bsize) / 1048576),
    };
  } catch {
    return null;
  }
}
