// "Open as this account": who may open whose panel, what the opened session may not do (no
// admin routes, no password, two-factor or API token changes), the audit entry, and the way back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

describe('open as this account (impersonation)', () => {
  let h: HostingPanel;
  let own: any;
  let adminOwned: any;
  let siblings: any;
  const open = (id: number, as: 'admin' | 'reseller' | 'user' | 'anon' | { token: string } = 'admin') =>
    h.panel.request('POST', `/api/accounts/${id}/impersonate`, { as });
  const login = (username: string, password: string) =>
    h.panel.request('POST', '/api/auth/login', { body: { username, password }, as: 'anon' });
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx', extra: ['system'] });
    own = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'impown', password: 'Own-Pass-123' }),
        as: 'reseller',
      })
    ).body.data;
    adminOwned = (await h.panel.request('POST', '/api/accounts', { body: accountBody({ username: 'impadmin' }) })).body
      .data;
    await h.panel.request('POST', '/api/resellers', { body: { username: 'imp-sibling', password: 'Sibling-Pass-1' } });
    const sibling = (await login('imp-sibling', 'Sibling-Pass-1')).body.data.token;
    siblings = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'impsib' }),
        as: { token: sibling },
      })
    ).body.data;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("gives an admin a short session of the account's login that names who opened it", async () => {
    const res = await open(own.id);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      username: 'impown',
      role: 'user',
      impersonator: { id: 1, username: TEST_LOGINS.admin },
    });
    expect(Date.parse(res.body.data.expires_at) - Date.now()).toBeLessThanOrEqual(3600_000);
    const me = await h.panel.request('GET', '/api/auth/me', { as: { token: res.body.data.token } });
    expect(me.body.data).toMatchObject({
      username: 'impown',
      role: 'user',
      subject: `account:${own.id}`,
      impersonator: { id: 1, username: TEST_LOGINS.admin },
    });
    expect((await h.panel.request('GET', '/api/auth/me', { as: 'admin' })).body.data.impersonator).toBeNull();
  });

  it('keeps a reseller to its own accounts and refuses users, anonymous callers and API tokens', async () => {
    expect((await open(own.id, 'reseller')).status).toBe(200);
    expect((await open(siblings.id, 'reseller')).status).toBe(403);
    expect((await open(adminOwned.id, 'reseller')).status).toBe(403);
    expect((await open(own.id, 'user')).status).toBe(403);
    expect((await open(own.id, 'anon')).status).toBe(401);
    expect((await open(999999)).status).toBe(404);
    const token = (await h.panel.request('POST', '/api/tokens', { body: { name: 'auto', scopes: ['*'] } })).body.data
      .token;
    const byToken = await open(own.id, { token });
    expect({ status: byToken.status, error: byToken.body.error }).toEqual({
      status: 403,
      error: "An API token cannot open an account's panel; do it from a login session",
    });
  });

  it('cannot escalate: no admin routes, no password, two-factor or API token changes, no second hop', async () => {
    const token = (await open(own.id)).body.data.token;
    const as = { token };
    expect((await h.panel.request('GET', `/api/accounts/${own.id}`, { as })).status).toBe(200);
    expect((await h.panel.request('GET', '/api/resellers', { as })).status).toBe(403);
    expect((await h.panel.request('POST', '/api/plugins/system/disable', { as })).status).toBe(403);
    expect((await h.panel.request('GET', `/api/accounts/${adminOwned.id}`, { as })).status).toBe(403);
    const refused: [string, string, unknown][] = [
      ['POST', `/api/accounts/${own.id}/password`, { password: 'Taken-Over-1', current_password: 'Own-Pass-123' }],
      ['POST', '/api/auth/password', { current_password: 'Own-Pass-123', new_password: 'Taken-Over-1' }],
      ['POST', '/api/tokens', { name: 'keep', scopes: ['*'] }],
      ['POST', '/api/auth/2fa/setup', {}],
      ['POST', `/api/accounts/${own.id}/impersonate`, undefined],
    ];
    for (const [method, path, body] of refused)
      expect((await h.panel.request(method, path, { as, body })).status, `${method} ${path}`).toBe(403);
    expect((await h.panel.request('GET', '/api/tokens', { as })).body.data).toEqual([]);
    expect((await login('impown', 'Own-Pass-123')).status).toBe(200);
    expect((await login('impown', 'Taken-Over-1')).status).toBe(401);
  });

  it('audits the opening as the opener on the account', async () => {
    await open(own.id, 'reseller');
    const entries = (await h.panel.request('GET', '/api/audit?limit=50')).body.data as any[];
    const entry = entries.find(
      (e) => e.route === '/api/accounts/:id/impersonate' && e.username === TEST_LOGINS.reseller && e.ok,
    );
    expect(entry).toMatchObject({
      method: 'POST',
      path: `/api/accounts/${own.id}/impersonate`,
      target: 'account:impown',
      status: 200,
      role: 'reseller',
    });
    expect(
      entries.some((e) => e.path === `/api/accounts/${siblings.id}/impersonate` && !e.ok && e.status === 403),
    ).toBe(true);
  });

  it('audits what the opened session does with who opened it', async () => {
    const token = (await open(own.id, 'reseller')).body.data.token;
    expect(
      (await h.panel.request('POST', '/api/tokens', { as: { token }, body: { name: 'x', scopes: ['*'] } })).status,
    ).toBe(403);
    const entries = (await h.panel.request('GET', '/api/audit?limit=20')).body.data as any[];
    expect(entries.find((e) => e.route === '/api/tokens')).toMatchObject({
      username: 'impown',
      impersonator: TEST_LOGINS.reseller,
      status: 403,
    });
    expect(entries.find((e) => e.route === '/api/accounts/:id/impersonate')).toMatchObject({
      username: TEST_LOGINS.reseller,
      impersonator: null,
    });
  });

  it("ends when the opener's password changes", async () => {
    await h.panel.request('POST', '/api/resellers', { body: { username: 'imp-short', password: 'Short-Pass-12' } });
    const r = (await login('imp-short', 'Short-Pass-12')).body.data.token;
    const acct = (
      await h.panel.request('POST', '/api/accounts', { body: accountBody({ username: 'impshort' }), as: { token: r } })
    ).body.data;
    const token = (await open(acct.id, { token: r })).body.data.token;
    expect((await h.panel.request('GET', '/api/auth/me', { as: { token } })).status).toBe(200);
    const rid = (await h.panel.request('GET', '/api/auth/me', { as: { token: r } })).body.data.id;
    await h.panel.request('PATCH', `/api/resellers/${rid}`, { body: { password: 'Reset-Pass-123' } });
    expect((await h.panel.request('GET', '/api/auth/me', { as: { token } })).status).toBe(401);
  });

  it('returns a cookie session to the session it was opened from, and the opened one ends', async () => {
    const adminToken = (await login(TEST_LOGINS.admin, TEST_LOGINS.password)).body.data.token;
    const same = { origin: h.panel.url };
    const opened = await fetch(`${h.panel.url}/api/accounts/${own.id}/impersonate`, {
      method: 'POST',
      headers: { ...same, cookie: `velopanel_token=${adminToken}` },
    });
    const set = opened.headers.getSetCookie();
    expect(set.find((c) => c.startsWith('velopanel_return='))).toContain('Path=/api/auth/impersonation/end;');
    const asToken = (await opened.json()).data.token;
    const back = await fetch(`${h.panel.url}/api/auth/impersonation/end`, {
      method: 'POST',
      headers: { ...same, cookie: `velopanel_token=${asToken}; velopanel_return=${adminToken}` },
    });
    expect((await back.json()).data).toEqual({
      ended: true,
      returned_to: { id: 1, username: TEST_LOGINS.admin, role: 'admin' },
    });
    expect(back.headers.getSetCookie()[0]).toMatch(new RegExp(`^velopanel_token=${adminToken};`));
    expect((await h.panel.request('GET', '/api/auth/me', { as: { token: asToken } })).status).toBe(401);
    // A forged way back (another login's token) is not honoured.
    const again = (await open(own.id)).body.data.token;
    const forged = await fetch(`${h.panel.url}/api/auth/impersonation/end`, {
      method: 'POST',
      headers: {
        ...same,
        cookie: `velopanel_token=${again}; velopanel_return=${(await login('impown', 'Own-Pass-123')).body.data.token}`,
      },
    });
    expect((await forged.json()).data.returned_to).toBeNull();
  });
});
