// Throwaway Linux accounts (root only): `vpt` + random hex, removed with userdel -r.
// Shared by the sshd service (main process) and helpers/linux-user.ts (test files).
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isRoot, onEmergency, run, runSync } from './proc.js';

export interface ThrowawayUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  /** plaintext login password, when one was asked for (set hashed via chpasswd -e, never in argv) */
  password?: string;
  remove(): Promise<void>;
}

export interface UserOptions {
  /** set a login password; otherwise the account is unlocked with `*` (key-only login works) */
  password?: string;
  shell?: string;
  home?: string;
}

export async function createThrowawayUser(opts: UserOptions = {}): Promise<ThrowawayUser> {
  if (!isRoot) throw new Error('throwaway Linux users need root');
  const name = `vpt${randomBytes(5).toString('hex')}`;
  const homeArgs = opts.home ? ['-d', opts.home] : [];
  const sys = { uninterruptible: true };
  // registered before useradd: an emergency stop waits for useradd, then removes the user
  const forget = onEmergency(() => removeUserSync(name));
  try {
    await run('useradd', ['-m', ...homeArgs, '-s', opts.shell ?? '/bin/bash', '--', name], sys);
    if (opts.password !== undefined) {
      const { stdout: hash } = await run('openssl', ['passwd', '-6', '-stdin'], { input: `${opts.password}\n` });
      await run('chpasswd', ['-e'], { ...sys, input: `${name}:${hash.trim()}\n` });
    } else {
      // useradd leaves the account locked (`!`), which sshd refuses even for key logins
      await run('usermod', ['-p', '*', '--', name], sys);
    }
    const entry = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    const [, , uid, gid, , home] = entry?.split(':') ?? [];
    if (!uid || !gid || !home) throw new Error(`useradd ${name}: no passwd entry`);
    let removed = false;
    const remove = async () => {
      if (removed) return;
      removed = true;
      forget();
      killUserProcesses(Number(uid));
      await run('userdel', ['-r', '-f', '--', name], sys).catch((e: Error) => {
        if (!/does not exist/.test(e.message)) throw e;
      });
    };
    return { name, uid: Number(uid), gid: Number(gid), home, password: opts.password, remove };
  } catch (e) {
    forget();
    removeUserSync(name);
    throw e;
  }
}

/** SIGKILL every process owned by this (throwaway) uid, e.g. sftp sessions, before userdel. */
export function killUserProcesses(uid: number): void {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* process gone meanwhile */
    }
  }
}

export function removeUserSync(name: string): void {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const uid = entry?.split(':')[2];
  if (uid) killUserProcesses(Number(uid));
  runSync('userdel', ['-r', '-f', '--', name]);
}
