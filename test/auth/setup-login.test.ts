import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBarePanel, type BarePanel } from './helpers.js';

const admin = { username: 'admin', password: 'MySecurePass123' };

describe('first-time setup', () => {
  it('creates exactly one admin from twenty simultaneous setups', async () => {
    const panel = await startBarePanel();
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          panel.call('POST', '/api/auth/setup', { body: { username: `admin${i}`, password: admin.password } }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200))
        expect(r.body).toMatchObject({ ok: false, error: 'Setup has already been completed; log in instead' });
      const admins = await panel.kernel.knex('core_users').where({ role: 'admin' });
      expect(admins).toHaveLength(1);
    } finally {
      await panel.stop();
    }
  });

  it('works once from loopback exactly as in the seed, then is refused', async () => {
    const panel = await startBarePanel();
    try {
      expect((await panel.call('GET', '/api/auth/setup')).body.data).toEqual({ required: true, code_required: false });
      const first = await panel.call('POST', '/api/auth/setup', { body: admin });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ ok: true, data: { id: 1, username: 'admin', role: 'admin' } });
      expect(JSON.stringify(first.body)).not.toContain(admin.password);
      const again = await panel.call('POST', '/api/auth/setup', {
        body: { username: 'other', password: 'AnotherPass123' },
      });
      expect(again.status).toBe(403);
      expect((await panel.call('GET', '/api/auth/setup')).body.data.required).toBe(false);
      expect(existsSync(path.join(panel.dataDir, 'setup-code'))).toBe(false);
      const row = await panel.kernel.knex('core_users').where({ username: 'admin' }).first();
      expect(row.password_hash).toMatch(/^scrypt\$/);
      expect(row.password_hash).not.toContain(admin.password);
    } finally {
      await panel.stop();
    }
  });

  it('names the problem in bad setup bodies and creates nothing', async () => {
    const panel = await startBarePanel();
    try {
      for (const [body, message] of [
        [{ username: 'admin', password: 'short' }, 'password: must be a string of 8–1024 characters'],
        [{ username: 'a', password: admin.password }, /^username: must be 3–64/],
        [{ username: 'admin; id #', password: admin.password }, /^username: /],
        [{ password: admin.password }, 'username: is required'],
        [{ ...admin, role: 'admin' }, 'role: unknown field'],
      ] as const) {
        const res = await panel.call('POST', '/api/auth/setup', { body });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatch(message);
      }
      expect(await panel.kernel.knex('core_users').count({ n: '*' }).first()).toEqual({ n: 0 });
    } finally {
      await panel.stop();
    }
  });
});

describe('setup from a non-loopback address', () => {
  let panel: BarePanel;
  // The panel sits behind a trusted proxy on loopback, so X-Forwarded-For names the real client.
  const remote = { 'x-forwarded-for': '203.0.113.7' };
  beforeAll(async () => {
    panel = await startBarePanel({ config: { trusted_proxies: ['127.0.0.1'] } });
  });
  afterAll(async () => {
    await panel.stop();
  });

  it('writes a one-time code to a 0600 file in the data dir', () => {
    const file = path.join(panel.dataDir, 'setup-code');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/);
  });

  it('requires the code and refuses a wrong one, creating nothing', async () => {
    expect((await panel.call('GET', '/api/auth/setup', { headers: remote })).body.data).toEqual({
      required: true,
      code_required: true,
    });
    const none = await panel.call('POST', '/api/auth/setup', { body: admin, headers: remote });
    expect(none.status).toBe(403);
    expect(none.body.error).toMatch(/needs the setup code: it is in the panel's log and in .*setup-code/);
    const wrong = await panel.call('POST', '/api/auth/setup', {
      body: { ...admin, setup_code: 'AAAA-BBBB-CCCC-DDDD-EEEE' },
      headers: remote,
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('Invalid setup code');
    expect(await panel.kernel.knex('core_users').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    const other = await startBarePanel();
    try {
      // No trusted proxies: the header is spoofed, the client is really loopback.
      const res = await other.call('POST', '/api/auth/setup', { body: admin, headers: remote });
      expect(res.status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  it('accepts the right code once and retires it', async () => {
    const code = readFileSync(path.join(panel.dataDir, 'setup-code'), 'utf8').trim();
    const ok = await panel.call('POST', '/api/auth/setup', {
      body: { ...admin, setup_code: code.toLowerCase() },
      headers: remote,
    });
    expect(ok.status).toBe(200);
    expect(existsSync(path.join(panel.dataDir, 'setup-code'))).toBe(false);
    const again = await panel.call('POST', '/api/auth/setup', {
      body: { ...admin, username: 'second', setup_code: code },
      headers: remote,
    });
    expect(again.status).toBe(403);
  });
});

describe('setup in linux mode', () => {
  // Tenants run code on the host, so loopback is not the admin: a local user racing the admin to
  // the panel must not be able to claim it.
  it('refuses a loopback client without the code, naming where it is, and accepts it with the code', async () => {
    const panel = await startBarePanel({ config: { mode: 'linux' } });
    try {
      const file = path.join(panel.dataDir, 'setup-code');
      expect((await panel.call('GET', '/api/auth/setup')).body.data).toEqual({ required: true, code_required: true });
      const none = await panel.call('POST', '/api/auth/setup', { body: admin });
      expect(none.status).toBe(403);
      expect(none.body.error).toBe(
        `Setup in linux mode (loopback included) needs the setup code: it is in the panel's log and in ${file}`,
      );
      const wrong = await panel.call('POST', '/api/auth/setup', {
        body: { ...admin, setup_code: 'AAAA-BBBB-CCCC-DDDD-EEEE' },
      });
      expect(wrong.status).toBe(403);
      expect(await panel.kernel.knex('core_users').count({ n: '*' }).first()).toEqual({ n: 0 });
      const ok = await panel.call('POST', '/api/auth/setup', {
        body: { ...admin, setup_code: readFileSync(file, 'utf8').trim() },
      });
      expect(ok.status).toBe(200);
      expect(existsSync(file)).toBe(false);
    } finally {
      await panel.stop();
    }
  });
});

describe('login, me, logout, password change', () => {
  let panel: BarePanel;
  beforeAll(async () => {
    panel = await startBarePanel({ config: { trusted_proxies: ['127.0.0.1'] } });
    await panel.call('POST', '/api/auth/setup', { body: admin });
  });
  afterAll(async () => {
    await panel.stop();
  });

  it('generates the JWT secret as a 0600 file', () => {
    const file = path.join(panel.dataDir, 'jwt_secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
  });

  it('returns data.token and sets an HttpOnly SameSite cookie (Secure only over TLS)', async () => {
    const res = await panel.call('POST', '/api/auth/login', { body: admin });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      username: 'admin',
      role: 'admin',
      token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^velopanel_token=${res.body.data.token.replace(/[.-]/g, '\\$&')};`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=86400/);
    expect(cookie).not.toMatch(/Secure/);
    const exp = JSON.parse(Buffer.from(res.body.data.token.split('.')[1], 'base64url').toString());
    expect(exp.exp - exp.iat).toBe(86400);
    expect(exp).toMatchObject({ iss: 'velopanel', aud: 'velopanel-api', sub: '1' });
    const tls = await panel.call('POST', '/api/auth/login', {
      body: admin,
      headers: { 'x-forwarded-for': '198.51.100.4', 'x-forwarded-proto': 'https' },
    });
    expect(tls.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('refuses wrong credentials with one message for both cases', async () => {
    const wrongPass = await panel.call('POST', '/api/auth/login', {
      body: { username: 'admin', password: 'WrongPassword1' },
    });
    const noUser = await panel.call('POST', '/api/auth/login', {
      body: { username: 'nobody', password: 'WrongPassword1' },
    });
    expect([wrongPass.status, noUser.status]).toEqual([401, 401]);
    expect(wrongPass.body.error).toBe('Invalid username or password');
    expect(noUser.body.error).toBe('Invalid username or password');
  });

  it('answers me with username and role, by Bearer and by cookie', async () => {
    const { token } = (await panel.call('POST', '/api/auth/login', { body: admin })).body.data;
    expect((await panel.call('GET', '/api/auth/me', { token })).body.data).toMatchObject({
      username: 'admin',
      role: 'admin',
    });
    const byCookie = await panel.call('GET', '/api/auth/me', {
      headers: { cookie: `theme=dark; velopanel_token=${token}` },
    });
    expect(byCookie.body.data).toMatchObject({ username: 'admin', role: 'admin' });
    expect((await panel.call('GET', '/api/auth/me')).status).toBe(401);
  });

  it('logout clears the cookie and revokes the token', async () => {
    const { token } = (await panel.call('POST', '/api/auth/login', { body: admin })).body.data;
    const other = (await panel.call('POST', '/api/auth/login', { body: admin })).body.data.token;
    expect((await panel.call('GET', '/api/auth/me', { token })).status).toBe(200);
    const out = await panel.call('POST', '/api/auth/logout', { token });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^velopanel_token=; .*Max-Age=0/);
    expect((await panel.call('GET', '/api/auth/me', { token })).status).toBe(401);
    expect((await panel.call('GET', '/api/auth/me', { token: other })).status).toBe(200);
    expect((await panel.call('POST', '/api/auth/logout')).status).toBe(200);
  });

  it('password change revokes every existing token and returns a new one', async () => {
    const { token } = (await panel.call('POST', '/api/auth/login', { body: admin })).body.data;
    const second = (await panel.call('POST', '/api/auth/login', { body: admin })).body.data.token;
    const wrong = await panel.call('POST', '/api/auth/password', {
      token,
      body: { current_password: 'not-the-password', new_password: 'NewSecurePass456' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('current_password: is incorrect');
    const short = await panel.call('POST', '/api/auth/password', {
      token,
      body: { current_password: admin.password, new_password: 'short' },
    });
    expect(short.body.error).toBe('new_password: must be a string of 8–1024 characters');
    const changed = await panel.call('POST', '/api/auth/password', {
      token,
      body: { current_password: admin.password, new_password: 'NewSecurePass456' },
    });
    expect(changed.status).toBe(200);
    expect((await panel.call('GET', '/api/auth/me', { token })).status).toBe(401);
    expect((await panel.call('GET', '/api/auth/me', { token: second })).status).toBe(401);
    expect((await panel.call('GET', '/api/auth/me', { token: changed.body.data.token })).status).toBe(200);
    expect((await panel.call('POST', '/api/auth/login', { body: admin })).status).toBe(401);
    expect(
      (await panel.call('POST', '/api/auth/login', { body: { username: 'admin', password: 'NewSecurePass456' } }))
        .status,
    ).toBe(200);
  });
});
