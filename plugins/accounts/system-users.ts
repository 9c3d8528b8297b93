import { readFileSync } from 'node:fs';
import type { ExecService } from '../../sdk/index.js';

/** A Linux user as /etc/passwd describes it. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
}

/** The comment (GECOS) of every user the panel makes: how start-up tells its own users apart. */
export const PANEL_USER_COMMENT = 'VeloPanel account';

function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return [];
  }
}

function entry(line: string): PasswdEntry {
  const f = line.split(':');
  return { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), comment: f[4] ?? '', home: f[5] ?? '' };
}

/** The passwd entry of a user, or null. */
export function passwdEntry(name: string): PasswdEntry | null {
  const line = lines('/etc/passwd').find((l) => l.startsWith(`${name}:`));
  return line ? entry(line) : null;
}

/** Every user in /etc/passwd. */
export function passwdEntries(): PasswdEntry[] {
  return lines('/etc/passwd')
    .filter((l) => l.includes(':'))
    .map(entry);
}

/** Whether a user or a group of that name exists on the system. */
export function systemNameTaken(name: string): boolean {
  return passwdEntry(name) !== null || lines('/etc/group').some((l) => l.startsWith(`${name}:`));
}

/** The gid of a group, or null. */
export function groupId(name: string): number | null {
  const line = lines('/etc/group').find((l) => l.startsWith(`${name}:`));
  return line ? Number(line.split(':')[2]) : null;
}

/** The user's /etc/shadow password field, or null when it has no shadow entry. */
export function shadowField(name: string): string | null {
  const line = lines('/etc/shadow').find((l) => l.startsWith(`${name}:`));
  return line ? (line.split(':')[1] ?? '') : null;
}

/** What start-up reconciliation compares with the account status. */
export interface LockState {
  /** The password is locked (`!` in /etc/shadow). */
  locked: boolean;
  /** An expiry day in /etc/shadow that has come. */
  expired: boolean;
  /** A password hash, locked or not (usermod refuses to unlock a user without one). */
  hasPassword: boolean;
}

/** The lock state a /etc/shadow line says (no line: nothing locked, expired or set). */
export function lockStateOf(line: string | undefined): LockState {
  const f = line?.split(':') ?? [];
  const field = f[1] ?? '';
  const day = f[7] ?? '';
  return {
    locked: line !== undefined && field.startsWith('!'),
    expired: day !== '' && Number(day) <= Math.floor(Date.now() / 86_400_000),
    hasPassword: field.replace(/^!+/, '').startsWith('$'),
  };
}

/** The user's lock state, read now. */
export function lockState(name: string): LockState {
  return lockStateOf(lines('/etc/shadow').find((l) => l.startsWith(`${name}:`)));
}

/**
 * /etc/passwd and /etc/shadow read once, by name: start-up looks at every account's user
 * without reading both files once per account (10,000 users made that quadratic).
 */
export function usersSnapshot(): { entry(name: string): PasswdEntry | null; lock(name: string): LockState } {
  // The first line of a name wins, as in a lookup by `find`.
  const byName = (file: string) => {
    const m = new Map<string, string>();
    for (const l of lines(file))
      if (l.includes(':') && !m.has(l.slice(0, l.indexOf(':')))) m.set(l.slice(0, l.indexOf(':')), l);
    return m;
  };
  const passwd = byName('/etc/passwd');
  const shadow = byName('/etc/shadow');
  return {
    entry: (name) => {
      const line = passwd.get(name);
      return line === undefined ? null : entry(line);
    },
    lock: (name) => lockStateOf(shadow.get(name)),
  };
}

/**
 * The system user behind an account. In `linux` mode these are real useradd/usermod/userdel
 * calls (names were validated before; `--` precedes them anyway); in `local` mode every method
 * is a no-op and the account has no uid.
 */
export interface SystemUsers {
  /** Make the user and its group with the given id as uid and gid (see `allocateId`); local mode ignores it. */
  create(name: string, home: string, id: number | null): Promise<{ uid: number | null; gid: number | null }>;
  setPassword(name: string, password: string): Promise<void>;
  /** The current shadow password field (to put back with {@link SystemUsers.setPasswordField}); null in local mode. */
  passwordField(name: string): string | null;
  /** Put a shadow password field back as it was (hash, `!`-locked hash or bare `!`), via stdin. */
  setPasswordField(name: string, field: string): Promise<void>;
  /**
   * Close every way in: the password locked and the account expired, which sshd refuses with
   * or without PAM (key logins included), as do PAM services such as cron and su.
   */
  lock(name: string): Promise<void>;
  /** Open them again: expiry cleared, then the password unlocked. */
  unlock(name: string): Promise<void>;
  /** Remove the user and its group (not its home); a user that is already gone is fine. */
  remove(name: string): Promise<void>;
  /**
   * Make a vanished user again, with its former uid/gid when they are still free (else new ones).
   * It gets no password: the old one cannot be recovered.
   */
  recreate(
    name: string,
    home: string,
    former: { uid: number | null; gid: number | null },
    fresh: () => Promise<number>,
  ): Promise<{ uid: number | null; gid: number | null }>;
}

/**
 * Undo our own groupadd. groupdel refuses while another program holds /etc/group's lock (exit 10),
 * which happens when users are made in parallel; a group left behind would make the retry with the
 * next id fail on the name ("group … already exists") instead of trying the id.
 */
async function dropGroup(exec: ExecService, name: string): Promise<void> {
  for (let attempt = 1; attempt <= 10; attempt++) {
    const r = await exec.run('groupdel', ['--', name], { allowFailure: true });
    if (r.code === 0 || r.code === 6) return; // 6: no such group
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

/** Real Linux users (root only). */
export function linuxUsers(exec: ExecService, shell: string): SystemUsers {
  return {
    async create(name, home, id) {
      const ids = id === null ? ['--user-group'] : ['--uid', String(id), '--gid', String(id)];
      if (id !== null) await exec.run('groupadd', ['--gid', String(id), '--', name]);
      try {
        await exec.run('useradd', [
          '--home-dir',
          home,
          '--no-create-home',
          '--shell',
          shell,
          ...ids,
          '--comment',
          PANEL_USER_COMMENT,
          '--',
          name,
        ]);
      } catch (e) {
        if (id !== null) await dropGroup(exec, name);
        throw e;
      }
      const entry = passwdEntry(name);
      if (!entry) throw new Error(`useradd ${name}: no passwd entry afterwards`);
      return { uid: entry.uid, gid: entry.gid };
    },
    async setPassword(name, password) {
      // The password only ever travels on stdin: hashed by openssl, the hash handed to chpasswd -e.
      const { stdout } = await exec.run('openssl', ['passwd', '-6', '-stdin'], {
        input: `${password}\n`,
        secrets: [password],
      });
      const hash = stdout.trim();
      if (!/^\$6\$[A-Za-z0-9./]{1,16}\$[A-Za-z0-9./]{86}$/.test(hash))
        throw new Error('openssl passwd returned no SHA-512 hash');
      await exec.run('chpasswd', ['-e'], { input: `${name}:${hash}\n`, secrets: [hash] });
    },
    passwordField: shadowField,
    async setPasswordField(name, field) {
      if (/[:\s]/.test(field)) throw new Error(`shadow field of ${name} is malformed`);
      await exec.run('chpasswd', ['-e'], { input: `${name}:${field}\n`, secrets: field.length > 2 ? [field] : [] });
    },
    async lock(name) {
      // Expired on day 1 (1970-01-02): refused even where a locked password is not (sshd with PAM, key logins).
      await exec.run('usermod', ['-L', '--expiredate', '1', '--', name]);
    },
    async unlock(name) {
      await exec.run('usermod', ['--expiredate', '', '--', name]);
      await exec.run('usermod', ['-U', '--', name]);
    },
    async remove(name) {
      if (passwdEntry(name)) await exec.run('userdel', ['--', name]);
      if (groupId(name) !== null) await exec.run('groupdel', ['--', name]);
    },
    async recreate(name, home, former, fresh) {
      if (groupId(name) === null) {
        const gidFree = former.gid !== null && !lines('/etc/group').some((l) => l.split(':')[2] === String(former.gid));
        await exec.run('groupadd', ['--gid', String(gidFree ? former.gid : await fresh()), '--', name]);
      }
      const uidFree = former.uid !== null && !passwdEntries().some((e) => e.uid === former.uid);
      await exec.run('useradd', [
        '--home-dir',
        home,
        '--no-create-home',
        '--shell',
        shell,
        '--gid',
        String(groupId(name)),
        '--uid',
        String(uidFree ? former.uid : await fresh()),
        '--comment',
        PANEL_USER_COMMENT,
        '--',
        name,
      ]);
      const made = passwdEntry(name);
      if (!made) throw new Error(`useradd ${name}: no passwd entry afterwards`);
      return { uid: made.uid, gid: made.gid };
    },
  };
}

/** Local mode: no system users. */
export const localUsers: SystemUsers = {
  create: async () => ({ uid: null, gid: null }),
  setPassword: async () => undefined,
  passwordField: () => null,
  setPasswordField: async () => undefined,
  lock: async () => undefined,
  unlock: async () => undefined,
  remove: async () => undefined,
  recreate: async () => ({ uid: null, gid: null }),
};
