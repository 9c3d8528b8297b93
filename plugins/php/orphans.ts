import { readdirSync, readFileSync } from 'node:fs';

// A master that died without its workers' help (SIGKILL, the OOM killer) leaves them running with
// the pool's listening socket: a new master would then refuse to start ("another FPM instance
// seems to already listen") and requests would reach workers nobody manages.

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** Kill the workers of `pool` running as `uid` whose parent is no php-fpm master; returns how many. */
export function killOrphanWorkers(pool: string, uid: number | null): number {
  let killed = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const title = read(`/proc/${pid}/cmdline`).replace(/\0+$/, '').trim();
    if (title !== `php-fpm: pool ${pool}`) continue;
    const status = read(`/proc/${pid}/status`);
    if (uid !== null && Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) !== uid) continue;
    const ppid = /^PPid:\s+(\d+)/m.exec(status)?.[1];
    if (ppid && read(`/proc/${ppid}/cmdline`).startsWith('php-fpm: master process')) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
      killed++;
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}
