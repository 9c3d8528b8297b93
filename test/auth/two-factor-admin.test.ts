import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, TEST_LOGINS, type TestPanel } from '../../sdk/testing/index.js';
import { clearOfStepEdge, enrol, newReseller, totpAt } from './totp-helpers.js';

const password = TEST_LOGINS.password;

describe('two-factor login: the admin policy, the admin reset, API tokens', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel();
  });
  afterAll(async () => {
    await panel.stop();
  });
  const login = (username: string, code?: string) =>
    panel.request('POST', '/api/auth/login', { as: 'anon', body: { username, password, ...(code ? { code } : {}) } });

  it('API tokens keep working without codes once two-factor login is on', async () => {
    const { token } = await newReseller(panel, 'tf-tokens');
    const api = (await panel.request('POST', '/api/tokens', { as: { token }, body: { name: 'ci', scopes: ['*'] } }))
      .body.data.token;
    await enrol(panel, token);
    expect((await login('tf-tokens')).status).toBe(401);
    const me = await panel.request('GET', '/api/auth/me', { as: { token: api } });
    expect(me).toMatchObject({ status: 200, body: { data: { username: 'tf-tokens' } } });
    expect((await panel.request('GET', '/api/resellers/' + me.body.data.id, { as: { token: api } })).status).toBe(200);
  });

  it('only admins set the policy; bad roles are refused and change nothing', async () => {
    expect(
      (await panel.request('PUT', '/api/auth/2fa/policy', { as: 'reseller', body: { require_for: [] } })).status,
    ).toBe(403);
    for (const body of [{ require_for: ['user'] }, { require_for: 'admin' }, {}]) {
      const res = await panel.request('PUT', '/api/auth/2fa/policy', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatch(/^require_for(\.0)?: (must be|is required)/);
    }
    expect((await panel.request('GET', '/api/auth/2fa/policy')).body.data).toEqual({ require_for: [] });
  });

  it('a required role that has not enrolled may only enrol; its API tokens are unaffected', async () => {
    const { id, token: before } = await newReseller(panel, 'tf-required');
    const api = (
      await panel.request('POST', '/api/tokens', { as: { token: before }, body: { name: 'ci', scopes: ['*'] } })
    ).body.data.token;
    const own = await panel.request('PUT', '/api/auth/2fa/policy', { body: { require_for: ['admin'] } });
    expect(own).toMatchObject({
      status: 409,
      body: { error: 'Turn on your own two-factor login before requiring it of admins' },
    });
    await enrol(panel, panel.tokens.admin);
    expect(
      (await panel.request('PUT', '/api/auth/2fa/policy', { body: { require_for: ['reseller', 'admin'] } })).body.data,
    ).toEqual({ require_for: ['admin', 'reseller'] });
    try {
      const first = await login('tf-required');
      expect(first.status).toBe(200);
      expect(first.body.data.totp_setup_required).toBe(true);
      const session = first.body.data.token;
      for (const t of [session, before]) {
        const refused = await panel.request('GET', `/api/resellers/${id}`, { as: { token: t } });
        expect(refused).toMatchObject({
          status: 403,
          body: {
            error:
              'Your role requires two-factor login: enrol first (POST /api/auth/2fa/setup, then /api/auth/2fa/confirm)',
          },
        });
        expect(
          (await panel.request('POST', '/api/tokens', { as: { token: t }, body: { name: 'x', scopes: ['*'] } })).status,
        ).toBe(403);
      }
      expect((await panel.request('GET', '/api/auth/2fa', { as: { token: session } })).body.data).toMatchObject({
        enabled: false,
        required: true,
      });
      expect((await panel.request('GET', `/api/resellers/${id}`, { as: { token: api } })).status).toBe(200);
      const { secret } = await enrol(panel, session);
      expect((await panel.request('GET', `/api/resellers/${id}`, { as: { token: session } })).status).toBe(200);
      const step = await clearOfStepEdge();
      const again = await login('tf-required', totpAt(secret, step));
      expect(again.status).toBe(200);
      expect(again.body.data.totp_setup_required).toBeUndefined();
      // The seeded user role is never required.
      expect((await login(TEST_LOGINS.user)).body.data.totp_setup_required).toBeUndefined();
    } finally {
      await panel.request('PUT', '/api/auth/2fa/policy', { body: { require_for: [] } });
    }
  });

  it("an admin resets a login's two-factor login, audited; nobody else may", async () => {
    const { id, token } = await newReseller(panel, 'tf-reset');
    await enrol(panel, token);
    expect((await panel.request('DELETE', `/api/users/${id}/2fa`, { as: 'reseller' })).status).toBe(403);
    expect((await panel.request('DELETE', `/api/users/${id}/2fa`, { as: { token } })).status).toBe(403);
    expect((await panel.request('DELETE', '/api/users/99999/2fa')).status).toBe(404);
    expect((await panel.request('DELETE', '/api/users/abc/2fa')).status).toBe(400);
    const reset = await panel.request('DELETE', `/api/users/${id}/2fa`);
    expect(reset).toMatchObject({ status: 200, body: { data: { user_id: id, was_enabled: true } } });
    expect((await login('tf-reset')).status).toBe(200);
    const audit = (await panel.request('GET', '/api/audit?limit=20')).body.data;
    const entry = audit.find((e: any) => e.route === '/api/users/:id/2fa' && e.ok);
    expect(entry).toMatchObject({ method: 'DELETE', target: `user:${id}`, username: TEST_LOGINS.admin, status: 200 });
  });
});
