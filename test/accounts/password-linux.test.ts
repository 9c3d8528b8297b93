// POST /api/accounts/:id/password in linux mode for real (root): the system user's shadow hash
// changes and verifies with the new password (set via stdin, never argv), a suspended user stays
// locked, and a failure at the panel-login step puts the former shadow field back.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { startPrivateNginx, type PrivateNginx } from '../webserver/private-nginx.js';
import { removeLeftoverUsers, shadowField } from './linux-users.js';

const prefix = `vpw${randomBytes(3).toString('hex')}`;

/** Whether a shadow field (a `!` lock stripped) is the SHA-512 hash of `password`. */
function verifies(field: string, password: string): boolean {
  const hash = field.replace(/^!+/, '');
  const salt = hash.split('$')[2] ?? '';
  const out = spawnSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: `${password}\n` })
    .stdout.toString()
    .trim();
  return /^\$6\$/.test(hash) && out === hash;
}

describe('account password change (linux mode)', () => {
  let nginx: PrivateNginx;
  let h: HostingPanel;
  let failing: HostingPanel;
  const login = (p: HostingPanel, username: string, password: string) =>
    p.panel.request('POST', '/api/auth/login', { body: { username, password }, as: 'anon' }).then((r) => r.status);
  beforeAll(async () => {
    nginx = await startPrivateNginx();
    h = await startHostingPanel({ engine: 'nginx', mode: 'linux', nginx });
    failing = await startHostingPanel({
      engine: 'nginx',
      mode: 'linux',
      nginx,
      plugins: { accounts: { fail_at: 'password-login' } },
    });
  });
  afterAll(async () => {
    await h?.stop();
    await failing?.stop();
    await nginx?.stop();
    removeLeftoverUsers(prefix);
  });

  it("sets the system user's hash and the panel login's password together", async () => {
    const a = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}a`, domain: `${prefix}a.test`, password: 'First-Pass-1' }),
      })
    ).body.data;
    const before = shadowField(a.username)!;
    expect(verifies(before, 'First-Pass-1')).toBe(true);
    const pass = 'New $(id) `x` "q" Pass';
    const res = await h.panel.request('POST', `/api/accounts/${a.id}/password`, { body: { password: pass } });
    expect(res.status).toBe(200);
    const after = shadowField(a.username)!;
    expect(after).not.toBe(before);
    expect(after).toMatch(/^\$6\$/);
    expect(verifies(after, pass)).toBe(true);
    expect(verifies(after, 'First-Pass-1')).toBe(false);
    expect(await login(h, a.username, pass)).toBe(200);
    expect(await login(h, a.username, 'First-Pass-1')).toBe(401);
  });

  it('keeps a suspended account locked, with the new hash behind the lock', async () => {
    const s = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}s`, domain: `${prefix}s.test` }),
      })
    ).body.data;
    expect((await h.panel.request('POST', `/api/accounts/${s.id}/suspend`)).status).toBe(200);
    expect(
      (await h.panel.request('POST', `/api/accounts/${s.id}/password`, { body: { password: 'Locked-Pass-1' } })).status,
    ).toBe(200);
    const field = shadowField(s.username)!;
    expect(field).toMatch(/^!\$6\$/);
    expect(verifies(field, 'Locked-Pass-1')).toBe(true);
    expect((await h.panel.request('POST', `/api/accounts/${s.id}/unsuspend`)).status).toBe(200);
    expect(shadowField(s.username)).toBe(field.slice(1));
  });

  it('gives a user without a password one (as start-up reconciliation leaves it), unlocking an active account', async () => {
    const r = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}r`, domain: `${prefix}r.test` }),
      })
    ).body.data;
    spawnSync('usermod', ['-p', '!', '--', r.username]);
    expect(shadowField(r.username)).toBe('!');
    expect(
      (await h.panel.request('POST', `/api/accounts/${r.id}/password`, { body: { password: 'Fresh-Pass-1' } })).status,
    ).toBe(200);
    expect(verifies(shadowField(r.username)!, 'Fresh-Pass-1')).toBe(true);
    expect(shadowField(r.username)).toMatch(/^\$6\$/);
  });

  it('puts the former shadow field back when the panel-login step fails', async () => {
    const f = (
      await failing.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}f`, domain: `${prefix}f.test`, password: 'Kept-Pass-1' }),
      })
    ).body.data;
    const before = shadowField(f.username);
    const res = await failing.panel.request('POST', `/api/accounts/${f.id}/password`, {
      body: { password: 'Lost-Pass-1' },
    });
    expect(res.status).toBe(500);
    expect(shadowField(f.username)).toBe(before);
    expect(await login(failing, f.username, 'Kept-Pass-1')).toBe(200);
    expect(await login(failing, f.username, 'Lost-Pass-1')).toBe(401);
  });
});
