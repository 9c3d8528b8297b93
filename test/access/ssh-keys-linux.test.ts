// SSH keys in linux mode against a real sshd (the bed's): key login, a removed key, hostile key
// lines, a symlinked ~/.ssh, passwords, and who may manage keys and shells.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireRoot } from '../bed/index.js';
import { canLogin, sshExec } from './ssh-client.js';
import { keypair, sshSetup } from './ssh-setup.js';

const root = requireRoot();
const shadow = (name: string) =>
  readFileSync('/etc/shadow', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
    ?.split(':')[1];

describe.skipIf(root.skip)('SSH keys (linux mode, real sshd)', () => {
  const s = sshSetup();
  const authorized = () => readFileSync(path.join(s.a.home_dir, '.ssh', 'authorized_keys'), 'utf8');

  it('adds a key as the account, and the key logs in', async () => {
    const res = await s.api('POST', `/api/accounts/${s.a.id}/ssh-keys`, { public_key: s.k1.publicKey });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ type: 'ssh-ed25519', bits: 256, comment: 'one@test' });
    expect(res.body.data.fingerprint).toMatch(/^SHA256:/);
    const dir = statSync(path.join(s.a.home_dir, '.ssh'));
    const file = statSync(path.join(s.a.home_dir, '.ssh', 'authorized_keys'));
    expect([dir.uid, dir.mode & 0o7777, file.uid, file.mode & 0o7777]).toEqual([s.a.uid, 0o700, s.a.uid, 0o600]);
    expect(authorized()).toContain(`${s.k1.publicKey}\n`);
    expect((await sshExec(s.sshd, s.login(), 'id -un')).stdout.trim()).toBe(s.a.username);
    expect((await s.api('GET', `/api/accounts/${s.a.id}/ssh-keys`)).body.data.keys).toHaveLength(1);
  });

  it("takes the account's password, and refuses every password once it has none", async () => {
    expect(await canLogin(s.sshd, { username: s.a.username, password: 'UserPass123' })).toBe(true);
    // As start-up reconciliation leaves a lost user it makes again: no password, a bare `!`
    // (PAM, as on Debian, lets keys past that but no password).
    execFileSync('usermod', ['-p', '!', '--', s.a.username]);
    expect(shadow(s.a.username)).toBe('!');
    expect(await canLogin(s.sshd, s.login())).toBe(true);
    for (const password of ['', '!', '*', 'UserPass123'])
      expect(await canLogin(s.sshd, { username: s.a.username, password })).toBe(false);
  });

  it('refuses options, extra lines, weak and malformed keys, and changes nothing', async () => {
    const before = authorized();
    const [type, blob] = s.k2.publicKey.split(' ');
    const weak = keypair(s.keys, 'weak', ['-t', 'rsa', '-b', '1024']);
    const cases: [string, RegExp][] = [
      [`command="/bin/sh -c id" ${s.k2.publicKey}`, /options/],
      [`no-pty,from="*" ${s.k2.publicKey}`, /options/],
      [`${s.k2.publicKey}\n${type} ${blob} second`, /single line/],
      [`${s.k2.publicKey}\ncommand="id" ${type} ${blob}`, /single line/],
      [`${type} ${blob} comment\rcommand=x`, /single line/],
      [`${type} ${blob} bell\x07`, /control characters/],
      [weak.publicKey, /at least 2048 bits/],
      ['ssh-dss AAAAB3NzaC1kc3MAAACBAP', /DSA/],
      [`ssh-rsa ${blob}`, /does not match its type/],
      [`${type} !!!notbase64`, /base64/],
    ];
    for (const [public_key, message] of cases) {
      const res = await s.api('POST', `/api/accounts/${s.a.id}/ssh-keys`, { public_key });
      expect(res.status, public_key).toBe(400);
      expect(res.body.error).toMatch(message);
    }
    expect(authorized()).toBe(before);
    expect((await s.api('GET', `/api/accounts/${s.a.id}/ssh-keys`)).body.data.keys).toHaveLength(1);
  });

  it('stops a removed key from logging in', async () => {
    const added = await s.api('POST', `/api/accounts/${s.a.id}/ssh-keys`, { public_key: s.k2.publicKey });
    expect(added.status).toBe(201);
    expect(await canLogin(s.sshd, { username: s.a.username, privateKey: s.k2.privateKey })).toBe(true);
    expect((await s.api('DELETE', `/api/accounts/${s.a.id}/ssh-keys/${added.body.data.id}`)).status).toBe(200);
    expect(authorized()).not.toContain(s.k2.publicKey.split(' ')[1]);
    expect(await canLogin(s.sshd, { username: s.a.username, privateKey: s.k2.privateKey })).toBe(false);
    expect(await canLogin(s.sshd, s.login())).toBe(true);
  });

  it('never writes through a ~/.ssh the tenant made a link', async () => {
    const ssh = path.join(s.a.home_dir, '.ssh');
    const elsewhere = mkdtempSync('/tmp/velopanel-access-target-');
    try {
      for (const target of [path.join(s.a.home_dir, 'public_html'), elsewhere]) {
        rmSync(ssh, { recursive: true, force: true });
        symlinkSync(target, ssh);
        const res = await s.api('POST', `/api/accounts/${s.a.id}/ssh-keys`, { public_key: s.k2.publicKey });
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
    const list = (await s.api('GET', `/api/accounts/${s.a.id}/ssh-keys`)).body.data.keys;
    expect(list).toHaveLength(1);
  });

  it("lets the account's own login manage its keys, and only an admin set the shell", async () => {
    expect(s.a.id).toBe(1); // the harness's `user` login is bound to account 1
    const res = await s.api('PUT', `/api/accounts/${s.a.id}/shell`, { shell: 'bash' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/shell/);
    const asUser = (method: string, p: string, body?: unknown) =>
      s.h.panel.request(method, p, { as: 'user', ...(body === undefined ? {} : { body }) });
    expect((await asUser('GET', `/api/accounts/${s.a.id}/ssh-keys`)).status).toBe(200);
    expect((await asUser('GET', `/api/accounts/${s.a.id}/shell`)).body.data.shell).toBe('full');
    expect((await asUser('PUT', `/api/accounts/${s.a.id}/shell`, { shell: 'full' })).status).toBe(403);
    expect((await asUser('GET', '/api/accounts/999/ssh-keys')).status).toBe(404);
  });
});
