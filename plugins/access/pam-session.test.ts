// The panel's line in sshd's PAM stack: where it goes, that it is written once, and that a helper
// that cannot be trusted or run leaves no line (a line whose helper fails refuses every login).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecService, Logger } from '../../sdk/index.js';
import type { AccessConfig } from './config.js';
import { PamSession, withoutSessionLine, withSessionLine } from './pam-session.js';

const DEBIAN = `# PAM configuration for the Secure Shell service
@include common-auth
account    required     pam_nologin.so
@include common-account
session [success=ok ignore=ignore module_unknown=ignore default=bad]        pam_selinux.so close
session    required     pam_loginuid.so
session    optional     pam_keyinit.so force revoke
@include common-session
session    required     pam_env.so user_readenv=1 envfile=/etc/default/locale
session [success=ok ignore=ignore module_unknown=ignore default=bad]        pam_selinux.so open
@include common-password
`;
const HELPER = '/usr/local/lib/velopanel/ssh-session-cgroup';

describe('PAM session line', () => {
  it('goes right after common-session (pam_systemd would move the session on) and before pam_env', () => {
    const lines = withSessionLine(DEBIAN, HELPER).split('\n');
    const own = lines.indexOf(`session    required     pam_exec.so quiet ${HELPER}`);
    expect(lines[own - 2]).toBe('@include common-session');
    expect(lines[own + 1]).toMatch(/pam_env/);
  });

  it("goes after a pam_systemd line of the stack's own, else first among the session rules", () => {
    const own = (t: string) =>
      withSessionLine(t, HELPER).split('\n').indexOf(`session    required     pam_exec.so quiet ${HELPER}`);
    const systemd = 'auth required pam_unix.so\nsession optional pam_systemd.so\nsession required pam_env.so\n';
    expect(own(systemd)).toBe(3);
    const plain =
      'session [default=bad] pam_selinux.so close\nsession required pam_loginuid.so\nsession required pam_env.so\n';
    expect(own(plain)).toBe(2);
  });

  it('refuses a stack where pam_env comes before pam_systemd', () => {
    expect(() => withSessionLine('session required pam_env.so\n@include common-session\n', HELPER)).toThrow(
      /line 1: pam_env comes before pam_systemd/,
    );
  });

  it('is written once, follows a moved helper, and goes without a trace', () => {
    const once = withSessionLine(DEBIAN, HELPER);
    expect(withSessionLine(once, HELPER)).toBe(once);
    const moved = withSessionLine(once, '/opt/velopanel/helper');
    expect(moved.match(/pam_exec/g)).toHaveLength(1);
    expect(moved).toContain('pam_exec.so quiet /opt/velopanel/helper');
    expect(withoutSessionLine(once)).toBe(DEBIAN);
  });

  it('ends a stack with no session rules', () => {
    expect(withSessionLine('auth required pam_unix.so\n', HELPER)).toMatch(
      /pam_unix\.so\n# VeloPanel.*\nsession .*pam_exec/,
    );
  });
});

describe('PamSession.sync', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'access-pam-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pamFile = path.join(dir, 'sshd');
  const warned: string[] = [];
  const log = { warn: (m: string, f: { error?: string }) => warned.push(`${m}: ${f?.error}`) } as unknown as Logger;
  const exec = { run: async () => ({ code: 0, stdout: '', stderr: '' }) } as unknown as ExecService;
  const session = (over: Partial<AccessConfig>) =>
    new PamSession(
      {
        pam_file: pamFile,
        session_helper: path.join(dir, 'lib', 'helper'),
        session_cgroups: true,
        ...over,
      } as AccessConfig,
      exec,
      log,
    );

  it('removes its line when the helper would sit where others may write (here under /tmp)', async () => {
    writeFileSync(pamFile, withSessionLine(DEBIAN, path.join(dir, 'lib', 'helper')), { mode: 0o644 });
    expect(await session({}).sync(['/sys/fs/cgroup/memory/velopanel'])).toBe('sweep only');
    expect(readFileSync(pamFile, 'utf8')).toBe(DEBIAN);
    expect(statSync(pamFile).mode & 0o777).toBe(0o644);
    expect(warned.at(-1)).toMatch(/not root's alone/);
  });

  it('removes its line when turned off or when no groups are enforced, and leaves a stack without it alone', async () => {
    for (const [over, parents] of [
      [{ session_cgroups: false }, ['/sys/fs/cgroup/memory/velopanel']],
      [{}, []],
    ] as const) {
      writeFileSync(pamFile, withSessionLine(DEBIAN, HELPER));
      expect(await session(over).sync([...parents])).toBe('sweep only');
      expect(readFileSync(pamFile, 'utf8')).toBe(DEBIAN);
    }
    const before = statSync(pamFile).mtimeMs;
    expect(await session({ session_cgroups: false }).sync([])).toBe('sweep only');
    expect(statSync(pamFile).mtimeMs).toBe(before);
  });

  it('changes nothing when the PAM file is missing', async () => {
    expect(await session({ pam_file: path.join(dir, 'none') }).sync(['/x/velopanel'])).toBe('sweep only');
    expect(warned.at(-1)).toMatch(/cannot be read/);
  });
});
