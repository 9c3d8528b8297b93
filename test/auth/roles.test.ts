import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, TEST_LOGINS, type TestPanel } from '../../sdk/testing/index.js';

type Who = 'admin' | 'reseller' | 'user';

describe('roles', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['system'] });
  });
  afterAll(async () => {
    await panel.stop();
  });

  it('gives the harness real logins of each role', async () => {
    const me = async (as: Who) => (await panel.request('GET', '/api/auth/me', { as })).body.data;
    expect(await me('admin')).toMatchObject({ id: 1, username: TEST_LOGINS.admin, role: 'admin', scopes: null });
    expect(await me('reseller')).toMatchObject({
      id: 2,
      username: TEST_LOGINS.reseller,
      role: 'reseller',
      reseller_id: 2,
    });
    expect(await me('user')).toMatchObject({
      id: 3,
      username: TEST_LOGINS.user,
      role: 'user',
      reseller_id: 2,
      subject: 'account:1',
    });
  });

  it('enforces the role matrix over the kernel routes', async () => {
    // [method, path, body, admin, reseller, user]
    const matrix: [string, string, unknown, number, number, number][] = [
      ['GET', '/api/plugins', undefined, 200, 200, 200],
      ['POST', '/api/plugins/system/disable', undefined, 200, 403, 403],
      ['POST', '/api/plugins/system/enable', undefined, 200, 403, 403],
      ['GET', '/api/plugins/grants', undefined, 200, 200, 403],
      ['GET', '/api/jobs', undefined, 200, 200, 200],
      ['GET', '/api/audit', undefined, 200, 200, 403],
      ['GET', '/api/license', undefined, 200, 200, 200],
      ['POST', '/api/license', { license_key: 'x.y.z' }, 400, 403, 403],
      ['GET', '/api/tokens', undefined, 200, 200, 200],
      ['GET', '/api/resellers', undefined, 200, 403, 403],
      ['GET', '/api/resellers/2', undefined, 200, 200, 403],
      ['POST', '/api/resellers', { username: 'matrix-r', password: 'MatrixPass123' }, 200, 403, 403],
      ['PATCH', '/api/resellers/2', { email: 'reseller@example.test' }, 200, 403, 403],
      ['DELETE', '/api/resellers/999', undefined, 404, 403, 403],
      ['GET', '/api/system/info', undefined, 200, 200, 200],
    ];
    for (const [method, path, body, ...expected] of matrix) {
      const got: number[] = [];
      for (const as of ['admin', 'reseller', 'user'] as const)
        got.push((await panel.request(method, path, { as, body })).status);
      expect(got, `${method} ${path}`).toEqual(expected);
    }
  });

  it("lets admins create, list, change and delete resellers (caps are the plugins', see test/accounts/limits.test.ts)", async () => {
    const created = await panel.request('POST', '/api/resellers', {
      body: { username: 'acme-hosting', password: 'AcmePass12345', email: 'ops@acme.example' },
    });
    expect(created.body.data).toMatchObject({
      username: 'acme-hosting',
      email: 'ops@acme.example',
      disabled: false,
      user_logins: 0,
    });
    expect(created.body.data).not.toHaveProperty('max_accounts');
    const id = created.body.data.id;
    expect((await panel.request('GET', '/api/resellers')).body.data.map((r: any) => r.username)).toContain(
      'acme-hosting',
    );
    // No plugin here caps accounts: the field is nobody's, refused before anything changes.
    const capped = await panel.request('POST', '/api/resellers', {
      body: { username: 'capped-one', password: 'AcmePass12345', max_accounts: 10 },
    });
    expect({ status: capped.status, error: capped.body.error }).toEqual({
      status: 400,
      error: 'max_accounts: unknown field',
    });
    expect((await panel.request('GET', '/api/resellers')).body.data.map((r: any) => r.username)).not.toContain(
      'capped-one',
    );
    const changed = await panel.request('PATCH', `/api/resellers/${id}`, { body: { email: 'new@acme.example' } });
    expect(changed.body.data).toMatchObject({ email: 'new@acme.example' });
    expect(
      (await panel.request('POST', '/api/resellers', { body: { username: 'ACME-hosting', password: 'AcmePass12345' } }))
        .status,
    ).toBe(409);
    for (const body of [
      { max_accounts: -1 },
      { max_accounts: '5' },
      { max_accounts: 5 },
      { email: 'not-an-email' },
      {},
      { role: 'admin' },
    ])
      expect((await panel.request('PATCH', `/api/resellers/${id}`, { body })).status, JSON.stringify(body)).toBe(400);
    expect((await panel.request('DELETE', `/api/resellers/${id}`)).body.data).toEqual({ id, deleted: true });
    expect((await panel.request('GET', `/api/resellers/${id}`)).status).toBe(404);
  });

  it('refuses to delete a reseller that still owns accounts', async () => {
    const res = await panel.request('DELETE', '/api/resellers/2');
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/still owns 1 account login/);
  });

  it('ends a reseller sessions when the admin disables it or resets its password', async () => {
    const r = (
      await panel.request('POST', '/api/resellers', { body: { username: 'short-lived', password: 'ShortLived123' } })
    ).body.data;
    const login = async () =>
      (
        await panel.request('POST', '/api/auth/login', {
          as: 'anon',
          body: { username: 'short-lived', password: 'ShortLived123' },
        })
      ).body.data.token;
    let token = await login();
    await panel.request('PATCH', `/api/resellers/${r.id}`, { body: { password: 'ResetByAdmin123' } });
    expect((await panel.request('GET', '/api/auth/me', { as: { token } })).status).toBe(401);
    token = (
      await panel.request('POST', '/api/auth/login', {
        as: 'anon',
        body: { username: 'short-lived', password: 'ResetByAdmin123' },
      })
    ).body.data.token;
    await panel.request('PATCH', `/api/resellers/${r.id}`, { body: { disabled: true } });
    expect((await panel.request('GET', '/api/auth/me', { as: { token } })).status).toBe(401);
  });

  it('keeps resellers to themselves (hostile class 10)', async () => {
    const sibling = (
      await panel.request('POST', '/api/resellers', { body: { username: 'sibling', password: 'SiblingPass123' } })
    ).body.data;
    expect((await panel.request('GET', `/api/resellers/${sibling.id}`, { as: 'reseller' })).status).toBe(404);
    const siblingToken = (
      await panel.request('POST', '/api/auth/login', {
        as: 'anon',
        body: { username: 'sibling', password: 'SiblingPass123' },
      })
    ).body.data.token;
    const tokenOfSibling = (
      await panel.request('POST', '/api/tokens', { as: { token: siblingToken }, body: { name: 'sib', scopes: ['*'] } })
    ).body.data;
    expect((await panel.request('DELETE', `/api/tokens/${tokenOfSibling.id}`, { as: 'reseller' })).status).toBe(404);
    expect((await panel.request('GET', '/api/plugins', { as: { token: tokenOfSibling.token } })).status).toBe(200);
    await panel.request('POST', '/api/tokens', { as: 'reseller', body: { name: 'mine', scopes: ['*'] } });
    const audit = (await panel.request('GET', '/api/audit?limit=500', { as: 'reseller' })).body.data;
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((e: any) => e.reseller_id === 2)).toBe(true);
    expect(audit.some((e: any) => e.username === 'sibling')).toBe(false);
  });
});
