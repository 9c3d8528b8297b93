import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors, type ExecService } from '../../sdk/index.js';

/** A live process one of whose uids (real, effective, saved, fs) or gids is the account's. */
export interface AccountProcess {
  pid: number;
  command: string;
}

function ids(status: string, field: 'Uid' | 'Gid'): number[] {
  const line = new RegExp(`^${field}:\\s+(.*)$`, 'm').exec(status)?.[1] ?? '';
  return line.trim().split(/\s+/).map(Number);
}

/**
 * Every live process running with the account's uid (or, when given, its gid) in any of the four
 * slots, read from `/proc` of the initial namespaces, so processes inside another mount, PID or
 * user namespace, or a chroot, are found too. Zombies are skipped: they run nothing and go with
 * their parent.
 */
export function accountProcesses(uid: number, gid: number | null): AccountProcess[] {
  const found: AccountProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let status: string;
    try {
      status = readFileSync(`/proc/${name}/status`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (/^State:\s+Z/m.test(status)) continue;
    const mine = ids(status, 'Uid').includes(uid) || (gid !== null && ids(status, 'Gid').includes(gid));
    if (mine) found.push({ pid: Number(name), command: /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?' });
  }
  return found;
}

/** Write to a cgroup control file when it exists (cgroup v2 user slices, where systemd-logind makes them). */
function cgroupControl(uid: number, file: string, value: string): void {
  const p = `/sys/fs/cgroup/user.slice/user-${uid}.slice/${file}`;
  if (!existsSync(p)) return;
  try {
    writeFileSync(p, value);
  } catch {
    // an older kernel without cgroup.kill: the /proc rounds below do the work
  }
}

const ROUNDS = 50;

/**
 * Stop everything an account runs, wherever it runs. Its cgroup (if any) is frozen and killed;
 * then, round after round, a `kill -KILL -1` (procps) run as the account itself (the kernel picks every
 * process the account may signal, atomically, so a forking process cannot outrun it) and SIGKILL
 * from root to every process `/proc` still shows with the account's ids, until none is left.
 * A process that survives every round is named in a 409: the caller retries later.
 */
export async function stopAccountProcesses(exec: ExecService, uid: number, gid: number | null): Promise<void> {
  if (!Number.isSafeInteger(uid) || uid <= 0 || gid === 0)
    throw errors.internal(`Refusing to stop the processes of uid ${uid}`);
  cgroupControl(uid, 'cgroup.freeze', '1');
  cgroupControl(uid, 'cgroup.kill', '1');
  let left: AccountProcess[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    left = accountProcesses(uid, gid);
    if (!left.length) return;
    await exec.run('kill', ['-KILL', '-1'], { uid, gid: gid ?? uid, allowFailure: true, timeoutMs: 10_000 });
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    // A killed process stays in /proc until its parent reaps it; give the parents a moment.
    await sleep(Math.min(5 * (round + 1), 100));
  }
  left = accountProcesses(uid, gid);
  if (!left.length) return;
  const named = left
    .slice(0, 5)
    .map((p) => `${p.pid} (${p.command})`)
    .join(', ');
  throw errors.conflict(`Processes of uid ${uid} survived being killed: ${named}; try again`);
}
