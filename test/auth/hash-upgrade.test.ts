// Issue 24: panel passwords are hashed with Argon2id (OWASP m=19 MiB, t=2, p=1). Hashes stored by
// panels before it (scrypt) keep working and are replaced by Argon2id at the next login that
// proves the password — without ending the login's sessions (the password did not change).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPanel, TEST_LOGINS, type TestPanel } from '../../sdk/testing/index.js';
import { legacyScryptHash } from './legacy-hash.js';
import { clearOfStepEdge, enrol, newReseller, totpAt } from './totp-helpers.js';

const password = TEST_LOGINS.password;

describe('scrypt → Argon2id upgrade at login', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel();
  });
  afterAll(async () => {
    await panel.stop();
  });
  const row = (username: string) => panel.kernel.knex('core_users').where({ username }).first();
  const login = (body: Record<string, unknown>) => panel.request('POST', '/api/auth/login', { as: 'anon', body });
  /** Store an older panel's scrypt hash of the login's password, as if the login predates Argon2id. */
  const makeLegacy = async (username: string) => {
    const hash = legacyScryptHash(password);
    await panel.kernel.knex('core_users').where({ username }).update({ password_hash: hash });
    return hash;
  };

  it('logs in with a stored scrypt hash and replaces it with an Argon2id one; sessions stay', async () => {
    const { token } = await newReseller(panel, 'up-plain');
    const legacy = await makeLegacy('up-plain');
    const before = await row('up-plain');

    expect((await login({ username: 'up-plain', password: 'not-the-password' })).status).toBe(401);
    expect((await row('up-plain')).password_hash).toBe(legacy);

    const res = await login({ username: 'up-plain', password });
    expect(res.status).toBe(200);
    const after = await row('up-plain');
    expect(after.password_hash).toMatch(/^\$argon2id\$v=19\$m=4096,t=1,p=1\$/);
    expect(after.password_hash).not.toContain(password);
    expect(Number(after.token_version)).toBe(Number(before.token_version));
    expect((await panel.request('GET', '/api/auth/me', { as: { token } })).status).toBe(200);

    // The new hash logs in, refuses a wrong password, and is not rehashed again.
    expect((await login({ username: 'up-plain', password })).status).toBe(200);
    expect((await login({ username: 'up-plain', password: 'not-the-password' })).status).toBe(401);
    expect((await row('up-plain')).password_hash).toBe(after.password_hash);
  });

  it('a new login and a password change store Argon2id', async () => {
    const { token } = await newReseller(panel, 'up-new');
    expect((await row('up-new')).password_hash).toMatch(/^\$argon2id\$/);
    const changed = await panel.request('POST', '/api/auth/password', {
      as: { token },
      body: { current_password: password, new_password: 'Another-Pass-99' },
    });
    expect(changed.status).toBe(200);
    expect((await row('up-new')).password_hash).toMatch(/^\$argon2id\$/);
  });

  it('with two-factor login on: the proven password is rehashed, a wrong one is not, and the code step still decides', async () => {
    const { token } = await newReseller(panel, 'up-2fa');
    const { secret } = await enrol(panel, token);
    const legacy = await makeLegacy('up-2fa');

    const wrong = await login({ username: 'up-2fa', password: 'not-the-password' });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'TOTP_REQUIRED' } });
    expect((await row('up-2fa')).password_hash).toBe(legacy);

    const first = await login({ username: 'up-2fa', password });
    expect(first).toMatchObject({ status: 401, body: { code: 'TOTP_REQUIRED' } });
    // Not awaited by the answer (it must take as long as a wrong password's): wait for the row.
    await vi.waitFor(async () => expect((await row('up-2fa')).password_hash).toMatch(/^\$argon2id\$/), {
      timeout: 10_000,
      interval: 50,
    });

    const step = await clearOfStepEdge();
    const second = await panel.request('POST', '/api/auth/login/2fa', {
      as: 'anon',
      body: { challenge: first.body.challenge, code: totpAt(secret, step) },
    });
    expect(second.status).toBe(200);
  });
});
