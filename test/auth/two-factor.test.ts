import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE } from '../../core/auth/login-throttle.js';
import { startTestPanel, TEST_LOGINS, type TestPanel } from '../../sdk/testing/index.js';
import { clearOfStepEdge, enrol, newReseller, totpAt } from './totp-helpers.js';

const password = TEST_LOGINS.password;

describe('two-factor login (TOTP, RFC 6238)', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel();
  });
  afterAll(async () => {
    await panel.stop();
  });
  const login = (body: Record<string, unknown>, headers?: Record<string, string>) =>
    panel.request('POST', '/api/auth/login', { as: 'anon', body, headers });
  const second = (challenge: string, code: string) =>
    panel.request('POST', '/api/auth/login/2fa', { as: 'anon', body: { challenge, code } });

  it('enrols with the password, a QR code and a first code; the secret and recovery codes are not stored in clear', async () => {
    const { id, token } = await newReseller(panel, 'tf-enrol');
    const wrong = await panel.request('POST', '/api/auth/2fa/setup', {
      as: { token },
      body: { password: 'not-my-password' },
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'password: is incorrect' } });
    const { secret, recovery, uri, qr } = await enrol(panel, token);
    expect(uri).toMatch(
      new RegExp(
        `^otpauth://totp/VeloPanel:tf-enrol\\?issuer=VeloPanel&secret=${secret}&algorithm=SHA1&digits=6&period=30$`,
      ),
    );
    expect(Buffer.from(qr.replace('data:image/svg+xml;base64,', ''), 'base64').toString()).toMatch(/^<svg /);
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    const row = await panel.kernel.knex('core_user_2fa').where({ user_id: id }).first();
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(secret);
    for (const code of recovery) expect(stored).not.toContain(code.replace('-', ''));
    expect(statSync(path.join(panel.dataDir, 'panel_key')).mode & 0o777).toBe(0o600);
    expect((await panel.request('GET', '/api/auth/2fa', { as: { token } })).body.data).toEqual({
      enabled: true,
      pending: false,
      recovery_codes_left: 10,
      required: false,
    });
    const again = await panel.request('POST', '/api/auth/2fa/setup', { as: { token }, body: { password } });
    expect(again.status).toBe(409);
  });

  it('a wrong code does not turn it on; an API token cannot enrol', async () => {
    const { token } = await newReseller(panel, 'tf-wrong');
    const setup = await panel.request('POST', '/api/auth/2fa/setup', { as: { token }, body: { password } });
    const step = await clearOfStepEdge();
    const bad = await panel.request('POST', '/api/auth/2fa/confirm', {
      as: { token },
      body: { code: totpAt(setup.body.data.secret, step + 3) },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: 'code: is incorrect (or already used)' } });
    expect((await panel.request('GET', '/api/auth/2fa', { as: { token } })).body.data).toMatchObject({
      enabled: false,
      pending: true,
    });
    const api = await panel.request('POST', '/api/tokens', { as: { token }, body: { name: 'ci', scopes: ['*'] } });
    const viaToken = await panel.request('POST', '/api/auth/2fa/setup', {
      as: { token: api.body.data.token },
      body: { password },
    });
    expect(viaToken.status).toBe(403);
  });

  it('login answers the same for a right and a wrong password until the code is checked', async () => {
    const { token } = await newReseller(panel, 'tf-login');
    const { secret } = await enrol(panel, token);
    const right = await login({ username: 'tf-login', password });
    const wrong = await login({ username: 'tf-login', password: 'wrong-password-1' });
    for (const r of [right, wrong]) {
      expect(r.status).toBe(401);
      expect(Object.keys(r.body).sort()).toEqual(['challenge', 'code', 'error', 'expires_at', 'ok', 'request_id']);
      expect(r.body).toMatchObject({ ok: false, code: 'TOTP_REQUIRED' });
      expect(r.headers.get('set-cookie')).toBeNull();
    }
    expect(wrong.body.error).toBe(right.body.error);
    expect(wrong.body.challenge.length).toBe(right.body.challenge.length);
    const step = await clearOfStepEdge();
    const code = totpAt(secret, step);
    // The wrong password's challenge fails with the right code, and does not spend it.
    expect(await second(wrong.body.challenge, code)).toMatchObject({
      status: 401,
      body: { error: 'Invalid username, password or code' },
    });
    expect(await login({ username: 'tf-login', password: 'wrong-password-1', code })).toMatchObject({
      status: 401,
      body: { error: 'Invalid username, password or code' },
    });
    const ok = await second(right.body.challenge, code);
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body.data).sort()).toEqual(['expires_at', 'role', 'token', 'username']);
    expect((await panel.request('GET', '/api/auth/me', { as: { token: ok.body.data.token } })).body.data.username).toBe(
      'tf-login',
    );
    // The same code again is a replay, in either form of the login.
    expect((await second(right.body.challenge, code)).status).toBe(401);
    expect((await login({ username: 'tf-login', password, code })).status).toBe(401);
    // The next step's code (within the ±1 window) works in the one-request form.
    expect((await login({ username: 'tf-login', password, code: totpAt(secret, step + 1) })).status).toBe(200);
    expect((await login({ username: 'tf-login', password, code: totpAt(secret, step + 2) })).status).toBe(401);
  });

  it('refuses forged or altered challenges', async () => {
    const right = await login({ username: 'tf-login', password });
    const c: string = right.body.challenge;
    const flipped = c.slice(0, -2) + (c.at(-2) === 'A' ? 'B' : 'A') + c.at(-1);
    for (const challenge of [flipped, 'k1:AAAA:BBBB:CCCC', 'garbage', c.replace(/^k1/, 'k2')]) {
      const res = await second(challenge, '123456');
      expect(res).toMatchObject({
        status: 401,
        body: {
          code: 'UNAUTHENTICATED',
          error: 'This login challenge is not valid or has expired; log in again with your password',
        },
      });
    }
    expect((await second('x'.repeat(3000), '123456')).status).toBe(400);
  });

  it('a password change between the steps voids the challenge', async () => {
    const { id, token } = await newReseller(panel, 'tf-changed');
    const { secret } = await enrol(panel, token);
    const challenge = (await login({ username: 'tf-changed', password })).body.challenge;
    expect(
      (await panel.request('PATCH', `/api/resellers/${id}`, { body: { password: 'Changed-Pass-99' } })).status,
    ).toBe(200);
    const step = await clearOfStepEdge();
    expect(await second(challenge, totpAt(secret, step))).toMatchObject({
      status: 401,
      body: { error: 'Invalid username, password or code' },
    });
    expect(
      (await login({ username: 'tf-changed', password: 'Changed-Pass-99', code: totpAt(secret, step) })).status,
    ).toBe(200);
  });

  it('a recovery code works once, in any case and spacing', async () => {
    const { token } = await newReseller(panel, 'tf-recover');
    const { recovery } = await enrol(panel, token);
    const typed = recovery[0]!.toLowerCase().replace('-', ' ');
    expect((await login({ username: 'tf-recover', password, code: typed })).status).toBe(200);
    expect((await login({ username: 'tf-recover', password, code: recovery[0]! })).status).toBe(401);
    const challenge = (await login({ username: 'tf-recover', password })).body.challenge;
    expect((await second(challenge, recovery[1]!)).status).toBe(200);
    expect((await second(challenge, recovery[1]!)).status).toBe(401);
    expect((await panel.request('GET', '/api/auth/2fa', { as: { token } })).body.data.recovery_codes_left).toBe(8);
  });

  it('code attempts are throttled like password attempts (per address and username)', async () => {
    const { token } = await newReseller(panel, 'tf-throttle');
    await enrol(panel, token);
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    const challenge = (await login({ username: 'tf-throttle', password })).body.challenge;
    const answers = await Promise.all(Array.from({ length: 20 }, () => second(challenge, '000000')));
    const statuses = answers.map((r) => r.status);
    // The password step counted too: the pair's allowance is shared between both steps.
    expect(statuses.filter((s) => s === 401).length).toBe(DEFAULT_THROTTLE.perPair - 1);
    expect(statuses.filter((s) => s === 429).length).toBe(20 - DEFAULT_THROTTLE.perPair + 1);
    expect((await login({ username: 'tf-throttle', password, code: '000000' }, headers)).status).toBe(429);
  });

  it('disabling needs the password and a code; then the password alone logs in', async () => {
    const { token } = await newReseller(panel, 'tf-off');
    const { secret } = await enrol(panel, token);
    const step = await clearOfStepEdge();
    const noPassword = await panel.request('POST', '/api/auth/2fa/disable', {
      as: { token },
      body: { password: 'wrong-password-1', code: totpAt(secret, step) },
    });
    expect(noPassword.status).toBe(400);
    const noCode = await panel.request('POST', '/api/auth/2fa/disable', {
      as: { token },
      body: { password, code: '000000' },
    });
    expect(noCode.status).toBe(400);
    expect(
      (
        await panel.request('POST', '/api/auth/2fa/disable', {
          as: { token },
          body: { password, code: totpAt(secret, step) },
        })
      ).status,
    ).toBe(200);
    const plain = await login({ username: 'tf-off', password });
    expect(plain.status).toBe(200);
    expect(Object.keys(plain.body.data).sort()).toEqual(['expires_at', 'role', 'token', 'username']);
  });
});
