// An account's SSH and SFTP sessions start inside its control groups (cgroup v1 here, linux mode,
// a real sshd with PAM under its own PAM service, whose stack the panel adds its session line
// to): the placement sweep is stretched to an hour so it plays no part, and the first command of
// a session already reads the account's group from /proc/self/cgroup.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requireRoot } from '../../../test/bed/index.js';
import { connect, sshExec, withSftpSession } from './ssh-client.js';
import { sshSetup } from './ssh-setup.js';

const root = requireRoot();
/**
 * /proc/<pid>/cgroup of every live sshd process whose real uid is this one (the account's FPM
 * workers wait for the sweep; an exited session's zombie, not reaped by this PID 1, is in no group).
 */
const sshdCgroupsOfUid = (uid: number) =>
  readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => {
      try {
        const status = readFileSync(`/proc/${p}/status`, 'utf8');
        const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
        const sshd = readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('sshd');
        return sshd && Number(real) === uid && !/^State:\s+Z/m.test(status)
          ? [readFileSync(`/proc/${p}/cgroup`, 'utf8')]
          : [];
      } catch {
        return []; // gone meanwhile
      }
    });
const inGroups = (cgroup: string, user: string) =>
  ['memory', 'cpu', 'pids'].every((c) =>
    new RegExp(`^\\d+:([^:]*,)?${c}(,[^:]*)?:/velopanel/${user}$`, 'm').test(cgroup),
  );

describe.skipIf(root.skip)("SSH sessions start in the account's cgroups (linux mode, real sshd and PAM)", () => {
  const s = sshSetup({}, { ownPam: true, plugins: { accounts: { limits_sweep_every: 'every 1h' } } });

  it('puts its line after common-session and before pam_env in the PAM stack, running a root-only helper', () => {
    const pam = readFileSync(s.sshd.pamFile!, 'utf8').split('\n');
    const own = pam.findIndex((l) => /^session\s+required\s+pam_exec\.so quiet \//.test(l));
    expect(own).toBeGreaterThan(0);
    const helper = pam[own]!.split(/\s+/).at(-1)!;
    expect(statSync(helper)).toMatchObject({ uid: 0 });
    expect(statSync(helper).mode & 0o777).toBe(0o700);
    // after pam_systemd's common-session (it would move the session on), before pam_env (it may read ~/.pam_environment)
    expect(pam[own - 2]).toBe('@include common-session');
    expect(own).toBeLessThan(pam.findIndex((l) => /^session\s.*pam_env\.so/.test(l)));
  });

  it("runs the first command of a key login in the account's groups", async () => {
    expect((await s.api('POST', `/api/accounts/${s.a.id}/ssh-keys`, { public_key: s.k1.publicKey })).status).toBe(201);
    const out = await sshExec(s.sshd, s.login(), 'cat /proc/self/cgroup');
    expect(out.code).toBe(0);
    expect(inGroups(out.stdout, s.a.username), out.stdout).toBe(true);
  });

  it("runs an SFTP session's server in the account's groups", async () => {
    const seen = await withSftpSession(s.sshd, s.login(), async () => sshdCgroupsOfUid(s.a.uid));
    expect(seen.length).toBeGreaterThan(0);
    for (const cg of seen) expect(inGroups(cg, s.a.username), cg).toBe(true);
  });

  it('leaves a user that is not a panel account where it was', async () => {
    const other = { username: s.sshd.username, privateKey: s.sshd.privateKey };
    const out = await sshExec(s.sshd, other, 'cat /proc/self/cgroup');
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain('/velopanel/');
  });

  it('refuses the session of an account whose group cannot be entered, rather than run it unlimited', async () => {
    const pids = `/sys/fs/cgroup/pids/velopanel/${s.a.username}`;
    const ran = () =>
      sshExec(s.sshd, s.login(), 'echo shell-ran').then(
        (r) => r.stdout.includes('shell-ran'),
        () => false,
      );
    rmdirSync(pids);
    try {
      // the key is accepted; sshd then fails to open the PAM session and drops the connection
      expect(await ran()).toBe(false);
    } finally {
      mkdirSync(pids);
    }
    expect(await ran()).toBe(true);
  });

  it("deletes an account with a session open, and its groups with it (sshd's root process in them goes with the session)", async () => {
    const open = await connect(s.sshd, s.login());
    try {
      expect((await s.api('DELETE', `/api/accounts/${s.a.id}`)).status).toBe(200);
    } finally {
      open.end();
    }
    for (const c of ['memory', 'cpu', 'pids'])
      expect(existsSync(`/sys/fs/cgroup/${c}/velopanel/${s.a.username}`)).toBe(false);
  });
});
