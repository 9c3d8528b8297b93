import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgedTokens, jwtSecretOf, startBarePanel, type BarePanel } from './helpers.js';

const admin = { username: 'admin', password: 'MySecurePass123' };

describe('session tokens', () => {
  let panel: BarePanel;
  let token: string;
  beforeAll(async () => {
    panel = await startBarePanel();
    await panel.call('POST', '/api/auth/setup', { body: admin });
    token = (await panel.call('POST', '/api/auth/login', { body: admin })).body.data.token;
  });
  afterAll(async () => {
    await panel.stop();
  });

  it('accepts the genuine token', async () => {
    expect((await panel.call('GET', '/api/auth/me', { token })).status).toBe(200);
  });

  it('answers 401 to tampered, alg:none, expired, wrong-key, wrong issuer/audience/algorithm tokens', async () => {
    const forged = await forgedTokens(token, jwtSecretOf(panel.dataDir));
    expect(Object.keys(forged).length).toBeGreaterThanOrEqual(8);
    for (const [kind, bad] of Object.entries(forged)) {
      const carriers: Record<string, string>[] = [
        { authorization: `Bearer ${bad}` },
        { cookie: `velopanel_token=${bad}` },
      ];
      for (const headers of carriers) {
        const res = await panel.call('GET', '/api/auth/me', { headers });
        expect(res.status, `${kind} via ${Object.keys(headers)[0]}`).toBe(401);
        expect(res.body).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
      }
    }
  });

  it('refuses a token signed with the right key but for a deleted user', async () => {
    const { id } = await panel.kernel.users!.create({
      username: 'temp-user',
      password: 'TempUserPass1',
      role: 'user',
      subject: 'account:9',
    });
    const t = (
      await panel.call('POST', '/api/auth/login', { body: { username: 'temp-user', password: 'TempUserPass1' } })
    ).body.data.token;
    expect((await panel.call('GET', '/api/auth/me', { token: t })).status).toBe(200);
    await panel.kernel.users!.remove(id);
    expect((await panel.call('GET', '/api/auth/me', { token: t })).status).toBe(401);
  });

  it('ends the sessions of a disabled login at once and refuses its login', async () => {
    const { id } = await panel.kernel.users!.create({
      username: 'suspended',
      password: 'SuspendedPass1',
      role: 'user',
      subject: 'account:5',
    });
    const t = (
      await panel.call('POST', '/api/auth/login', { body: { username: 'suspended', password: 'SuspendedPass1' } })
    ).body.data.token;
    expect((await panel.call('GET', '/api/auth/me', { token: t })).body.data).toMatchObject({
      role: 'user',
      subject: 'account:5',
    });
    await panel.kernel.users!.setDisabled(id, true);
    expect((await panel.call('GET', '/api/auth/me', { token: t })).status).toBe(401);
    const login = await panel.call('POST', '/api/auth/login', {
      body: { username: 'suspended', password: 'SuspendedPass1' },
    });
    expect(login.status).toBe(403);
    expect(login.body.error).toBe('This login is disabled');
    await panel.kernel.users!.setDisabled(id, false);
    expect((await panel.call('GET', '/api/auth/me', { token: t })).status).toBe(401);
    expect(
      (await panel.call('POST', '/api/auth/login', { body: { username: 'suspended', password: 'SuspendedPass1' } }))
        .status,
    ).toBe(200);
  });

  it('revokes sessions when a plugin sets a new password', async () => {
    const { id } = await panel.kernel.users!.create({
      username: 'renamed',
      password: 'FirstPassword1',
      role: 'user',
      subject: 'account:6',
    });
    const t = (
      await panel.call('POST', '/api/auth/login', { body: { username: 'renamed', password: 'FirstPassword1' } })
    ).body.data.token;
    await panel.kernel.users!.setPassword(id, 'SecondPassword2');
    expect((await panel.call('GET', '/api/auth/me', { token: t })).status).toBe(401);
    await expect(panel.kernel.users!.setPassword(id, 'short')).rejects.toThrow(
      'password: must be at least 8 characters',
    );
  });

  it('keeps user directory input strict', async () => {
    const users = panel.kernel.users!;
    await expect(users.create({ username: 'ADMIN', password: 'SomePassword1', role: 'user' })).rejects.toThrow(
      "Username 'ADMIN' is already taken",
    );
    await expect(users.create({ username: 'x\nroot', password: 'SomePassword1', role: 'user' })).rejects.toThrow(
      /^username: /,
    );
    await expect(users.create({ username: 'hashy', passwordHash: 'plaintext', role: 'user' })).rejects.toThrow(
      /passwordHash/,
    );
    await expect(
      users.create({ username: 'orphan', password: 'SomePassword1', role: 'user', resellerId: 1 }),
    ).rejects.toThrow('resellerId: 1 is not a reseller');
    await expect(
      users.create({ username: 'subj', password: 'SomePassword1', role: 'user', subject: "account:1' OR 1=1" }),
    ).rejects.toThrow(/^subject: /);
    const hash = await users.hashPassword('PrehashedPass1');
    await users.create({ username: 'prehashed', passwordHash: hash, role: 'user', subject: 'account:7' });
    expect(
      (await panel.call('POST', '/api/auth/login', { body: { username: 'prehashed', password: 'PrehashedPass1' } }))
        .status,
    ).toBe(200);
  });
});
