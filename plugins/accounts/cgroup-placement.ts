import { existsSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Placement of an account's processes into its groups: one pass over /proc finds every process by
// real uid, and each not yet in the group is moved by writing its pid to the group's cgroup.procs.
// A process started since the last sweep runs unconfined until the next one (FPM workers the
// shared master forks, SSH and cron sessions): the sweep interval bounds that window. A per-account
// php-fpm master needs no sweep: it enters the groups itself before it starts (accountCgroups), and
// on cgroup v1 so does a cron job of the panel's crontab (the account may write its own group's procs).

/** Real uid of a process from /proc (null when it has gone). */
function realUid(pid: string): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Uid:'));
    return line ? Number(line.split(/\s+/)[1]) : null;
  } catch {
    return null;
  }
}

/** Every process by real uid, from one pass over /proc (the sweep reads it once for all accounts). */
export function processesByUid(): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const uid = realUid(pid);
    if (uid !== null) out.set(uid, [...(out.get(uid) ?? []), pid]);
  }
  return out;
}

/** Move each pid not yet `inGroup` into the group (one cgroup.procs per hierarchy); returns how many moved. */
export function movePids(pids: string[], inGroup: (pid: string) => boolean, procsFiles: string[]): number {
  let moved = 0;
  for (const pid of pids) {
    if (inGroup(pid)) continue;
    try {
      for (const f of procsFiles) writeFileSync(f, pid);
      moved++;
    } catch {
      // it exited meanwhile
    }
  }
  return moved;
}

/** /proc/<pid>/cgroup ('' when the process has gone). */
export const cgroupsOf = (pid: string) => {
  try {
    return readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return '';
  }
};

/**
 * Remove an account's group (rmdir) after moving out what is still in it into the hierarchy's
 * root group: the account's own processes are gone by then (the delete stops them), but a
 * root process may remain — sshd's per-connection process, which the PAM session hook puts in
 * the group and which exits only once it has closed the session — and v1/v2 refuse to remove a
 * group with a process in it (EBUSY), which would leave it behind for good.
 */
export function removeGroup(dir: string, rootProcs: string): void {
  if (!existsSync(dir)) return;
  for (const pid of readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
    try {
      writeFileSync(rootProcs, pid);
    } catch {
      // it exited meanwhile
    }
  }
  rmdirSync(dir);
}
