// Shells in linux mode against a real sshd (the bed's, with the panel's Match file): chrooted
// sftp-only with the web server still serving the site, nologin, suspension, the plan's shell.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireRoot } from '../bed/index.js';
import { accountBody } from '../webserver/helpers.js';
import { getVia } from '../webserver/private-nginx.js';
import { canLogin, eventually, sshExec, withSftpSession } from './ssh-client.js';
import { sshSetup } from './ssh-setup.js';

const root = requireRoot();

describe.skipIf(root.skip)('shells (linux mode, real sshd)', () => {
  const s = sshSetup({ pro_shell: 'nologin' });

  it("logs in with a key under the plan's full shell", async () => {
    expect((await s.api('POST', `/api/accounts/${s.a.id}/ssh-keys`, { public_key: s.k1.publicKey })).status).toBe(201);
    expect((await sshExec(s.sshd, s.login(), 'id -un')).stdout.trim()).toBe(s.a.username);
  });

  it('chroots an sftp-only account to its home, with no shell, and the web server still serves the site', async () => {
    const res = await s.api('PUT', `/api/accounts/${s.a.id}/shell`, { shell: 'sftp-only' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ shell: 'sftp-only', source: 'admin' });
    const home = statSync(s.a.home_dir);
    expect([home.uid, home.mode & 0o7777]).toEqual([0, 0o751]);
    expect(readFileSync(s.sshd.matchFile, 'utf8')).toMatch(
      new RegExp(`Match User ${s.a.username}\\n    ChrootDirectory %h\\n    ForceCommand internal-sftp`),
    );
    const shellOutput = () =>
      sshExec(s.sshd, s.login(), 'id -un; echo shell-ran').then(
        (r) => r.stdout,
        () => null,
      );
    // sshd re-reads its configuration a moment after the SIGHUP (refusing connections meanwhile)
    expect(
      await eventually(async () => {
        const out = await shellOutput();
        return out !== null && !out.includes('shell-ran');
      }),
    ).toBe(true);
    await withSftpSession(s.sshd, s.login(), async (sftp) => {
      const call = <T>(fn: (cb: (e: Error | null | undefined, v?: T) => void) => void) =>
        new Promise<T>((ok, ko) => fn((e, v) => (e ? ko(e) : ok(v as T))));
      expect(await call<string>((cb) => sftp.realpath('.', cb))).toBe('/public_html');
      expect(await call<string>((cb) => sftp.realpath('/../..', cb))).toBe('/');
      await expect(call((cb) => sftp.stat('/etc/passwd', cb))).rejects.toThrow();
      await expect(call((cb) => sftp.stat(s.a.home_dir, cb))).rejects.toThrow();
      await call((cb) => sftp.writeFile('/public_html/up.txt', 'uploaded over sftp', cb));
    });
    expect(statSync(path.join(s.a.home_dir, 'public_html', 'up.txt')).uid).toBe(s.a.uid);
    expect(await getVia(s.h.nginx!.port, `${s.prefix}a.test`, '/up.txt')).toEqual({
      status: 200,
      body: 'uploaded over sftp',
    });
  });

  it("refuses every login of a nologin account, and gives the shell back on the plan's", async () => {
    expect((await s.api('PUT', `/api/accounts/${s.a.id}/shell`, { shell: 'nologin' })).status).toBe(200);
    expect(await eventually(async () => !(await canLogin(s.sshd, s.login())))).toBe(true);
    const back = await s.api('PUT', `/api/accounts/${s.a.id}/shell`, { shell: null });
    expect(back.body.data).toMatchObject({ shell: 'full', source: 'plan' });
    const home = statSync(s.a.home_dir);
    expect([home.uid, home.mode & 0o7777]).toEqual([s.a.uid, 0o750]);
    expect(
      await eventually(
        async () =>
          (await sshExec(s.sshd, s.login(), 'id -un').catch(() => ({ stdout: '' }))).stdout.trim() === s.a.username,
      ),
    ).toBe(true);
  });

  it('refuses SSH logins while the account is suspended', async () => {
    expect((await s.api('POST', `/api/accounts/${s.a.id}/suspend`)).status).toBe(200);
    expect(await eventually(async () => !(await canLogin(s.sshd, s.login())))).toBe(true);
    expect((await s.api('POST', `/api/accounts/${s.a.id}/unsuspend`)).status).toBe(200);
    expect(await eventually(() => canLogin(s.sshd, s.login()))).toBe(true);
  });

  it("gives a new account its plan's shell", async () => {
    const res = await s.api(
      'POST',
      '/api/accounts',
      accountBody({ username: `${s.prefix}b`, domain: `${s.prefix}b.test`, plan: 'pro' }),
    );
    expect(res.status).toBe(200);
    const b = res.body.data;
    try {
      expect((await s.api('GET', `/api/accounts/${b.id}/shell`)).body.data).toMatchObject({
        shell: 'nologin',
        source: 'plan',
        plan_shell: 'nologin',
      });
      // after-hooks run once the create answered
      expect(
        await eventually(
          async () =>
            readFileSync('/etc/passwd', 'utf8').includes(`${b.username}:`) &&
            readFileSync(s.sshd.matchFile, 'utf8').includes(b.username),
        ),
      ).toBe(true);
      expect(readFileSync('/etc/passwd', 'utf8')).toMatch(new RegExp(`^${b.username}:.*:/usr/sbin/nologin$`, 'm'));
    } finally {
      expect((await s.api('DELETE', `/api/accounts/${b.id}`)).status).toBe(200);
    }
    expect(readFileSync(s.sshd.matchFile, 'utf8')).not.toContain(b.username);
  });
});
