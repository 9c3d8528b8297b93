// Clean-up of throwaway system users a linux-mode test made (by name prefix), even when a test
// failed half-way: userdel -r -f for each user, groupdel for a group left alone.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmdirSync } from 'node:fs';

function names(file: string, prefix: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split(':')[0]!)
    .filter((n) => n.startsWith(prefix));
}

export function removeLeftoverUsers(prefix: string): string[] {
  if (!/^vp[a-z0-9]{3,}$/.test(prefix)) throw new Error(`refusing to remove users by prefix '${prefix}'`);
  const users = names('/etc/passwd', prefix);
  // userdel leaves the crontab behind (the access plugin's tests make some): it goes first.
  for (const u of users) spawnSync('crontab', ['-u', u, '-r'], { stdio: 'ignore' });
  for (const u of users) spawnSync('userdel', ['-r', '-f', '--', u], { stdio: 'ignore' });
  for (const g of names('/etc/group', prefix)) spawnSync('groupdel', ['--', g], { stdio: 'ignore' });
  // The accounts' cgroups (plugins/accounts/cgroups.ts) go with them; a group still holding a process stays.
  for (const u of users) {
    for (const dir of ['memory', 'cpu', 'cpuacct', 'pids']
      .map((c) => `/sys/fs/cgroup/${c}/velopanel/${u}`)
      .concat(`/sys/fs/cgroup/velopanel/${u}`)) {
      try {
        if (existsSync(dir)) rmdirSync(dir);
      } catch {
        // busy: left for the operator
      }
    }
  }
  return users;
}

/** The /etc/shadow password field of a user. */
export function shadowField(name: string): string | null {
  const line = readFileSync('/etc/shadow', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  return line ? line.split(':')[1]! : null;
}

/** Wait (bounded) until the account's `disk_used_mb` reaches `mb`; returns the last value seen. */
export async function waitForDiskUsage(
  panel: { request(m: string, p: string): Promise<any> },
  id: number,
  mb: number,
): Promise<number> {
  let used = 0;
  for (let i = 0; i < 100 && used < mb; i++) {
    await new Promise((r) => setTimeout(r, 100));
    used = (await panel.request('GET', `/api/accounts/${id}`)).body.data.disk_used_mb;
  }
  return used;
}
