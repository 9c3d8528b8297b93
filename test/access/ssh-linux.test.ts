// SSH keys and shells in linux mode against the bed's real sshd: key login, a removed key,
// hostile key lines, a symlinked ~/.ssh, chrooted sftp-only, nologin, suspension.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot } from '../bed/index.js';
import { startSshd } from '../bed/services/sshd.js';
import type { SshdInfo } from '../bed/types.js';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { getVia } from '../webserver/private-nginx.js';
import { canLogin, eventually, sshExec, withSftpSession } from './ssh-client.js';

const root = requireRoot();
// AllowUsers vpt* in the bed's sshd: panel accounts of this file are named like its users.
const prefix = `vpt${randomBytes(2).toString('hex')}`;

const uidOf = (name: string) => Number(readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`))!.split(':')[2]);
const shadow = (name: string) => readFileSync('/etc/shadow', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`))?.split(':')[1];

function keypair(dir: string, name: string, args = ['-t', 'ed25519']) {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', ...args, '-N', '', '-C', `${name}@test`, '-f', file]);
  return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8').trim() };
}

// A private instance of the bed's sshd (its config includes the panel's Match file): the shell
// tests reload it, which must not drop the connections of other files using the shared one.
describe.skipIf(root.skip)('SSH keys and shells (linux mode, real sshd)', () => {
  let h: HostingPanel;
  let a: any;
  let sshd: SshdInfo;
  let stopSshd = async () => undefined as void;
  let keys: string;
  let homes: string;
  let k1: ReturnType<typeof keypair>;
  let k2: ReturnType<typeof keypair>;
  const login = () => ({ username: a.username, privateKey: k1.privateKey });
  const api = (method: string, p: string, body?: unknown) => h.panel.request(method as any, p, body === undefined ? {} : { body });
  const authorized = () => readFileSync(path.join(a.home_dir, '.ssh', 'authorized_keys'), 'utf8');

  beforeAll(async () => {
    const started = await startSshd();
    sshd = started.info;
    stopSshd = started.stop;
    keys = mkdtempSync('/tmp/velopanel-access-keys-');
    k1 = keypair(keys, 'one');
    k2 = keypair(keys, 'two');
    // sshd chroots only below root-owned, not group/world-writable directories: not under /tmp.
    homes = `/srv/velopanel-access-${randomBytes(4).toString('hex')}`;
    mkdirSync(homes, { mode: 0o755 });
    h = await startHostingPanel({
      engine: 'nginx', mode: 'linux', extra: ['access'], homeBase: homes,
      plugins: { access: { pro_shell: 'nologin', sshd_config: sshd.configPath, match_file: sshd.matchFile, sshd_pid_file: sshd.pidFile } },
    });
    const res = await api('POST', '/api/accounts', accountBody({ username: `${prefix}a`, domain: `${prefix}a.test` }));
    expect(res.status).toBe(200);
    a = res.body.data;
    a.uid = uidOf(a.username);
  });
  afterAll(async () => {
    if (a) await api('DELETE', `/api/accounts/${a.id}`);
    await h?.stop();
    await stopSshd();
    removeLeftoverUsers(prefix);
    rmSync(homes, { recursive: true, force: true });
    rmSync(keys, { recursive: true, force: true });
  });

  it('adds a key as the account, and the key logs in', async () => {
    const res = await api('POST', `/api/accounts/${a.id}/ssh-keys`, { public_key: k1.publicKey });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ type: 'ssh-ed25519', bits: 256, comment: 'one@test' });
    expect(res.body.data.fingerprint).toMatch(/^SHA256:/);
    const dir = statSync(path.join(a.home_dir, '.ssh'));
    const file = statSync(path.join(a.home_dir, '.ssh', 'authorized_keys'));
    expect([dir.uid, dir.mode & 0o7777, file.uid, file.mode & 0o7777]).toEqual([a.uid, 0o700, a.uid, 0o600]);
    expect(authorized()).toContain(`${k1.publicKey}\n`);
    expect((await sshExec(sshd, login(), 'id -un')).stdout.trim()).toBe(a.username);
    expect((await api('GET', `/api/accounts/${a.id}/ssh-keys`)).body.data.keys).toHaveLength(1);
  });

  it('takes the account\'s password, and refuses every password once it has none', async () => {
    expect(await canLogin(sshd, { username: a.username, password: 'UserPass123' })).toBe(true);
    // As start-up reconciliation leaves a lost user it makes again: no password, a bare `!`
    // (PAM, as on Debian, lets keys past that but no password).
    execFileSync('usermod', ['-p', '!', '--', a.username]);
    expect(shadow(a.username)).toBe('!');
    expect(await canLogin(sshd, login())).toBe(true);
    for (const password of ['', '!', '*', 'UserPass123']) expect(await canLogin(sshd, { username: a.username, password })).toBe(false);
  });

  it('refuses options, extra lines, weak and malformed keys, and changes nothing', async () => {
    const before = authorized();
    const [type, blob] = k2.publicKey.split(' ');
    const weak = keypair(keys, 'weak', ['-t', 'rsa', '-b', '1024']);
    const cases: [string, RegExp][] = [
      [`command="/bin/sh -c id" ${k2.publicKey}`, /options/],
      [`no-pty,from="*" ${k2.publicKey}`, /options/],
      [`${k2.publicKey}\n${type} ${blob} second`, /single line/],
      [`${k2.publicKey}\ncommand="id" ${type} ${blob}`, /single line/],
      [`${type} ${blob} comment\rcommand=x`, /single line/],
      [`${type} ${blob} bell\x07`, /control characters/],
      [weak.publicKey, /at least 2048 bits/],
      ['ssh-dss AAAAB3NzaC1kc3MAAACBAP', /DSA/],
      [`ssh-rsa ${blob}`, /does not match its type/],
      [`${type} !!!notbase64`, /base64/],
    ];
    for (const [public_key, message] of cases) {
      const res = await api('POST', `/api/accounts/${a.id}/ssh-keys`, { public_key });
      expect(res.status, public_key).toBe(400);
      expect(res.body.error).toMatch(message);
    }
    expect(authorized()).toBe(before);
    expect((await api('GET', `/api/accounts/${a.id}/ssh-keys`)).body.data.keys).toHaveLength(1);
  });

  it('stops a removed key from logging in', async () => {
    const added = await api('POST', `/api/accounts/${a.id}/ssh-keys`, { public_key: k2.publicKey });
    expect(added.status).toBe(201);
    expect(await canLogin(sshd, { username: a.username, privateKey: k2.privateKey })).toBe(true);
    expect((await api('DELETE', `/api/accounts/${a.id}/ssh-keys/${added.body.data.id}`)).status).toBe(200);
    expect(authorized()).not.toContain(k2.publicKey.split(' ')[1]);
    expect(await canLogin(sshd, { username: a.username, privateKey: k2.privateKey })).toBe(false);
    expect(await canLogin(sshd, login())).toBe(true);
  });

  it('never writes through a ~/.ssh the tenant made a link', async () => {
    const ssh = path.join(a.home_dir, '.ssh');
    const elsewhere = mkdtempSync('/tmp/velopanel-access-target-');
    try {
      for (const target of [path.join(a.home_dir, 'public_html'), elsewhere]) {
        rmSync(ssh, { recursive: true, force: true });
        symlinkSync(target, ssh);
        const res = await api('POST', `/api/accounts/${a.id}/ssh-keys`, { public_key: k2.publicKey });
        expect(res.status).toBe(409);
        expect(res.body.error).toMatch(/\.ssh/);
        expect(existsSync(path.join(target, 'authorized_keys'))).toBe(false);
        expect(lstatSync(ssh).isSymbolicLink()).toBe(true);
      }
    } finally {
      rmSync(ssh, { force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
    // The failed adds left no rows; a delete rewrites the file (and makes .ssh again).
    const list = (await api('GET', `/api/accounts/${a.id}/ssh-keys`)).body.data.keys;
    expect(list).toHaveLength(1);
  });

  it('chroots an sftp-only account to its home, with no shell, and the web server still serves the site', async () => {
    const res = await api('PUT', `/api/accounts/${a.id}/shell`, { shell: 'sftp-only' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ shell: 'sftp-only', source: 'admin' });
    const home = statSync(a.home_dir);
    expect([home.uid, home.mode & 0o7777]).toEqual([0, 0o751]);
    expect(readFileSync(sshd.matchFile, 'utf8')).toMatch(new RegExp(`Match User ${a.username}\\n    ChrootDirectory %h\\n    ForceCommand internal-sftp`));
    const shellOutput = () => sshExec(sshd, login(), 'id -un; echo shell-ran').then((r) => r.stdout, () => null);
    // sshd re-reads its configuration a moment after the SIGHUP (refusing connections meanwhile)
    expect(await eventually(async () => {
      const out = await shellOutput();
      return out !== null && !out.includes('shell-ran');
    })).toBe(true);
    await withSftpSession(sshd, login(), async (sftp) => {
      const call = <T>(fn: (cb: (e: Error | null | undefined, v?: T) => void) => void) => new Promise<T>((ok, ko) => fn((e, v) => (e ? ko(e) : ok(v as T))));
      expect(await call<string>((cb) => sftp.realpath('.', cb))).toBe('/public_html');
      expect(await call<string>((cb) => sftp.realpath('/../..', cb))).toBe('/');
      await expect(call((cb) => sftp.stat('/etc/passwd', cb))).rejects.toThrow();
      await expect(call((cb) => sftp.stat(a.home_dir, cb))).rejects.toThrow();
      await call((cb) => sftp.writeFile('/public_html/up.txt', 'uploaded over sftp', cb));
    });
    expect(statSync(path.join(a.home_dir, 'public_html', 'up.txt')).uid).toBe(a.uid);
    expect(await getVia(h.nginx!.port, `${prefix}a.test`, '/up.txt')).toEqual({ status: 200, body: 'uploaded over sftp' });
  });

  it('refuses every login of a nologin account, and gives the shell back on the plan\'s', async () => {
    expect((await api('PUT', `/api/accounts/${a.id}/shell`, { shell: 'nologin' })).status).toBe(200);
    expect(await eventually(async () => !(await canLogin(sshd, login())))).toBe(true);
    const back = await api('PUT', `/api/accounts/${a.id}/shell`, { shell: null });
    expect(back.body.data).toMatchObject({ shell: 'full', source: 'plan' });
    const home = statSync(a.home_dir);
    expect([home.uid, home.mode & 0o7777]).toEqual([a.uid, 0o750]);
    expect(await eventually(async () => (await sshExec(sshd, login(), 'id -un').catch(() => ({ stdout: '' }))).stdout.trim() === a.username)).toBe(true);
  });

  it('refuses SSH logins while the account is suspended', async () => {
    expect((await api('POST', `/api/accounts/${a.id}/suspend`)).status).toBe(200);
    expect(await eventually(async () => !(await canLogin(sshd, login())))).toBe(true);
    expect((await api('POST', `/api/accounts/${a.id}/unsuspend`)).status).toBe(200);
    expect(await eventually(() => canLogin(sshd, login()))).toBe(true);
  });

  it('lets the account\'s own login manage its keys, and only an admin set the shell', async () => {
    expect(a.id).toBe(1); // the harness's `user` login is bound to account 1
    const res = await api('PUT', `/api/accounts/${a.id}/shell`, { shell: 'bash' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/shell/);
    const asUser = (method: string, p: string, body?: unknown) => h.panel.request(method, p, { as: 'user', ...(body === undefined ? {} : { body }) });
    expect((await asUser('GET', `/api/accounts/${a.id}/ssh-keys`)).status).toBe(200);
    expect((await asUser('GET', `/api/accounts/${a.id}/shell`)).body.data.shell).toBe('full');
    expect((await asUser('PUT', `/api/accounts/${a.id}/shell`, { shell: 'full' })).status).toBe(403);
    expect((await asUser('GET', '/api/accounts/999/ssh-keys')).status).toBe(404);
  });

  it('gives a new account its plan\'s shell', async () => {
    const res = await api('POST', '/api/accounts', accountBody({ username: `${prefix}b`, domain: `${prefix}b.test`, plan: 'pro' }));
    expect(res.status).toBe(200);
    const b = res.body.data;
    try {
      expect((await api('GET', `/api/accounts/${b.id}/shell`)).body.data).toMatchObject({ shell: 'nologin', source: 'plan', plan_shell: 'nologin' });
      // after-hooks run once the create answered
      expect(await eventually(async () => readFileSync('/etc/passwd', 'utf8').includes(`${b.username}:`) && readFileSync(sshd.matchFile, 'utf8').includes(b.username))).toBe(true);
      expect(readFileSync('/etc/passwd', 'utf8')).toMatch(new RegExp(`^${b.username}:.*:/usr/sbin/nologin$`, 'm'));
    } finally {
      expect((await api('DELETE', `/api/accounts/${b.id}`)).status).toBe(200);
    }
    expect(readFileSync(sshd.matchFile, 'utf8')).not.toContain(b.username);
  });
});
