// POST /api/accounts/:id/password in local mode: who may call it, validation naming the field,
// 404/409, the panel login's password really changing, and the login's old sessions ending.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

describe('account password change (local mode)', () => {
  let h: HostingPanel;
  let own: any;
  let other: any;
  const login = (username: string, password: string) =>
    h.panel.request('POST', '/api/auth/login', { body: { username, password }, as: 'anon' });
  const change = (
    id: number,
    body: unknown,
    as: 'admin' | 'reseller' | 'user' | 'anon' | { token: string } = 'admin',
  ) => h.panel.request('POST', `/api/accounts/${id}/password`, { body, as });
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx' });
    own = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'pwown', password: 'First-Pass-1' }),
        as: 'reseller',
      })
    ).body.data;
    other = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'pwother', password: 'Other-Pass-1' }),
      })
    ).body.data;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('names the field for a bad or missing password, and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ password: 'short' }, 'password: must be 8–128 characters without control characters'],
      [{ password: 'has\nnewline1' }, 'password: must be 8–128 characters without control characters'],
      [{ password: 'x'.repeat(129) }, 'password: must be 8–128 characters without control characters'],
      [{ password: 12345678 }, 'password: must be 8–128 characters without control characters'],
      [{}, 'password: is required'],
      [{ password: 'Good-Pass-1', extra: 1 }, 'extra: unknown field'],
    ];
    for (const [body, error] of cases)
      expect(await change(own.id, body).then((r) => ({ status: r.status, error: r.body.error }))).toEqual({
        status: 400,
        error,
      });
    expect((await login('pwown', 'First-Pass-1')).status).toBe(200);
  });

  it('answers 404 for an unknown account and a bad id', async () => {
    expect((await change(999999, { password: 'Good-Pass-1' })).status).toBe(404);
    const bad = await change(0, { password: 'Good-Pass-1' });
    expect({ status: bad.status, error: bad.body.error }).toEqual({
      status: 400,
      error: 'id: must be a positive integer',
    });
  });

  it('lets the owning reseller change it; the old password and the old sessions stop working', async () => {
    const session = (await login('pwown', 'First-Pass-1')).body.data.token;
    expect((await h.panel.request('GET', `/api/accounts/${own.id}`, { as: { token: session } })).status).toBe(200);
    const res = await change(own.id, { password: 'Second-Pass-2' }, 'reseller');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: own.id,
      username: 'pwown',
      password_changed: true,
      sessions_ended: true,
      api_tokens_revoked: 0,
    });
    expect((await h.panel.request('GET', `/api/accounts/${own.id}`, { as: { token: session } })).status).toBe(401);
    expect((await login('pwown', 'First-Pass-1')).status).toBe(401);
    expect((await login('pwown', 'Second-Pass-2')).status).toBe(200);
  });

  it("lets the account's own login change it, but no one else's", async () => {
    const session = (await login('pwown', 'Second-Pass-2')).body.data.token;
    expect((await change(other.id, { password: 'Hijack-Pass-1' }, { token: session })).status).toBe(403);
    expect(
      (await change(own.id, { password: 'Third-Pass-3', current_password: 'Second-Pass-2' }, { token: session }))
        .status,
    ).toBe(200);
    expect((await login('pwown', 'Third-Pass-3')).status).toBe(200);
    expect((await change(other.id, { password: 'Hijack-Pass-1' }, 'reseller')).status).toBe(403);
    expect((await change(other.id, { password: 'Hijack-Pass-1' }, 'user')).status).toBe(403);
    expect((await change(other.id, { password: 'Hijack-Pass-1' }, 'anon')).status).toBe(401);
    expect((await login('pwother', 'Other-Pass-1')).status).toBe(200);
  });

  it('works for the admin on a suspended account, whose login stays refused', async () => {
    expect((await h.panel.request('POST', `/api/accounts/${other.id}/suspend`)).status).toBe(200);
    expect((await change(other.id, { password: 'Admin-Set-Pass-1' })).status).toBe(200);
    expect((await login('pwother', 'Admin-Set-Pass-1')).status).not.toBe(200);
    expect((await h.panel.request('POST', `/api/accounts/${other.id}/unsuspend`)).status).toBe(200);
    expect((await login('pwother', 'Admin-Set-Pass-1')).status).toBe(200);
    expect((await login('pwother', 'Other-Pass-1')).status).toBe(401);
  });

  it('issue 16: a scoped API token of the login never sets its password, a session must give the current one', async () => {
    const mine = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'pwtoken', password: 'Token-First-1' }),
      })
    ).body.data;
    const session = (await login('pwtoken', 'Token-First-1')).body.data.token;
    const token = (
      await h.panel.request('POST', '/api/tokens', {
        body: { name: 'ci', scopes: ['accounts:write'] },
        as: { token: session },
      })
    ).body.data.token;
    const byToken = await change(mine.id, { password: 'Token-Set-Pass-1' }, { token });
    expect(byToken.status).toBe(403);
    expect(byToken.body.error).toBe(
      'An API token cannot set the password of its own login; change it from a login session, giving the current password',
    );
    expect(
      (await change(mine.id, { password: 'Token-Set-Pass-1', current_password: 'Token-First-1' }, { token })).status,
    ).toBe(403);
    const bare = await change(mine.id, { password: 'Stolen-Set-Pass-1' }, { token: session });
    expect({ status: bare.status, error: bare.body.error }).toEqual({
      status: 400,
      error: 'current_password: is required to change your own password',
    });
    const wrong = await change(
      mine.id,
      { password: 'Stolen-Set-Pass-1', current_password: 'a-guess-1' },
      { token: session },
    );
    expect({ status: wrong.status, error: wrong.body.error }).toEqual({
      status: 400,
      error: 'current_password: is incorrect',
    });
    expect((await login('pwtoken', 'Token-Set-Pass-1')).status).toBe(401);
    expect((await login('pwtoken', 'Stolen-Set-Pass-1')).status).toBe(401);
    expect((await login('pwtoken', 'Token-First-1')).status).toBe(200);
  });

  it("issue 16: a reset by the admin ends the login's API tokens, and the answer counts them", async () => {
    const mine = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'pwreset', password: 'Reset-First-1' }),
      })
    ).body.data;
    const session = (await login('pwreset', 'Reset-First-1')).body.data.token;
    const token = (
      await h.panel.request('POST', '/api/tokens', {
        body: { name: 'reader', scopes: ['files:read', 'accounts:read'] },
        as: { token: session },
      })
    ).body.data.token;
    expect((await h.panel.request('GET', `/api/accounts/${mine.id}`, { as: { token } })).status).toBe(200);
    const res = await change(mine.id, { password: 'Fourth-Pass-4' });
    expect(res.status).toBe(200);
    expect((await h.panel.request('GET', `/api/accounts/${mine.id}`, { as: { token } })).status).toBe(401);
    expect(res.body.data).toMatchObject({ password_changed: true, sessions_ended: true, api_tokens_revoked: 1 });
  });

  it('issue 16: a stolen session cannot guess the current password — parallel guesses past the allowance get 429', async () => {
    const mine = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'pwguess', password: 'Guess-First-1' }),
      })
    ).body.data;
    const session = (await login('pwguess', 'Guess-First-1')).body.data.token;
    const hash = () =>
      h.panel.kernel
        .knex('core_users')
        .where({ username: 'pwguess' })
        .first()
        .then((r: any) => r.password_hash);
    const before = await hash();
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        change(mine.id, { password: 'Taken-Over-1', current_password: `guess-${i}` }, { token: session }),
      ),
    );
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(30);
    expect(await hash()).toBe(before);
  });
});
