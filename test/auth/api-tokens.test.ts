import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

const future = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

describe('API tokens for automation', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['system'] });
  });
  afterAll(async () => {
    await panel.stop();
  });

  const create = (body: unknown, as: 'admin' | 'reseller' | 'user' | { token: string } = 'admin') =>
    panel.request('POST', '/api/tokens', { body, as });

  it('returns the token once, stores only its hash and lists it without the secret', async () => {
    const res = await create({ name: 'billing', scopes: ['system:read'], expires_at: future() });
    expect(res.status).toBe(200);
    const token: string = res.body.data.token;
    expect(token).toMatch(/^vpt_[\w-]{43}$/);
    const rows = await panel.kernel.knex('core_api_tokens');
    expect(JSON.stringify(rows)).not.toContain(token.slice(12));
    const list = await panel.request('GET', '/api/tokens');
    expect(list.body.data.find((t: any) => t.id === res.body.data.id)).toMatchObject({
      name: 'billing',
      scopes: ['system:read'],
      prefix: token.slice(0, 12),
      expired: false,
    });
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect((await panel.request('GET', '/api/system/info', { as: { token } })).status).toBe(200);
  });

  it('limits a token to its scopes', async () => {
    const token = (await create({ name: 'reader', scopes: ['plugins:read'] })).body.data.token;
    expect((await panel.request('GET', '/api/plugins', { as: { token } })).status).toBe(200);
    const refused = await panel.request('POST', '/api/plugins/system/disable', { as: { token } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("This API token lacks the scope 'plugins:write'");
    expect((await panel.request('GET', '/api/system/info', { as: { token } })).status).toBe(403);
    expect((await panel.request('GET', '/api/audit', { as: { token } })).status).toBe(403);
    const writer = (await create({ name: 'writer', scopes: ['plugins:write'] })).body.data.token;
    expect((await panel.request('GET', '/api/plugins', { as: { token: writer } })).status).toBe(200);
  });

  it('is never wider than its owner', async () => {
    const token = (await create({ name: 'everything', scopes: ['*'] }, 'user')).body.data.token;
    expect((await panel.request('GET', '/api/auth/me', { as: { token } })).body.data).toMatchObject({
      role: 'user',
      scopes: ['*'],
      subject: 'account:1',
    });
    expect((await panel.request('POST', '/api/plugins/system/disable', { as: { token } })).status).toBe(403);
    expect((await panel.request('GET', '/api/resellers', { as: { token } })).status).toBe(403);
    expect(
      (await panel.request('POST', '/api/tokens', { as: { token }, body: { name: 'child', scopes: ['*'] } })).status,
    ).toBe(403);
    expect(
      (
        await panel.request('POST', '/api/auth/password', {
          as: { token },
          body: { current_password: 'Test-Password-123', new_password: 'Whatever-123' },
        })
      ).status,
    ).toBe(403);
  });

  it('stops working at its expiry', async () => {
    const res = await create({ name: 'short-lived', scopes: ['plugins:read'], expires_at: future() });
    await panel.kernel
      .knex('core_api_tokens')
      .where({ id: res.body.data.id })
      .update({ expires_at: '2020-01-01 00:00:00' });
    expect((await panel.request('GET', '/api/plugins', { as: { token: res.body.data.token } })).status).toBe(401);
    expect(
      (await panel.request('GET', '/api/tokens')).body.data.find((t: any) => t.id === res.body.data.id).expired,
    ).toBe(true);
  });

  it('refuses bad expiries, scopes, names and allow-lists, creating nothing', async () => {
    const before = (await panel.kernel.knex('core_api_tokens').count({ n: '*' }).first())!.n;
    const cases: [unknown, RegExp][] = [
      [{ name: 'x', scopes: ['plugins:read'], expires_at: '2001-01-01T00:00:00Z' }, /^expires_at: must be a future/],
      [{ name: 'x', scopes: ['plugins:read'], expires_at: 'tomorrow' }, /^expires_at: /],
      [{ name: 'x', scopes: ['plugins:read'], expires_at: '2999-01-01T00:00:00Z' }, /at most 5 years/],
      [{ name: 'x', scopes: ['root'] }, /^scopes\.0: must be a scope like/],
      [{ name: 'x', scopes: [] }, /^scopes: /],
      [{ name: 'x', scopes: 'plugins:read' }, /^scopes: /],
      [{ name: 'bad\nname', scopes: ['plugins:read'] }, /^name: /],
      [
        { name: 'x', scopes: ['plugins:read'], allowed_ips: ['10.0.0.0/33'] },
        /^allowed_ips\.0: '10\.0\.0\.0\/33' is not an IP/,
      ],
      [{ name: 'x', scopes: ['plugins:read'], allowed_ips: ['example.com'] }, /^allowed_ips\.0: /],
      [{ name: 'x', scopes: ['plugins:read'], owner: 1 }, /^owner: unknown field/],
    ];
    for (const [body, message] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatch(message);
    }
    expect((await panel.kernel.knex('core_api_tokens').count({ n: '*' }).first())!.n).toBe(before);
  });

  it('honours the IP allow-list with the resolved client address only (class 12)', async () => {
    const elsewhere = (
      await create({ name: 'office', scopes: ['plugins:read'], allowed_ips: ['10.1.2.0/24', '2001:db8::/32'] })
    ).body.data.token;
    const refused = await panel.request('GET', '/api/plugins', {
      as: { token: elsewhere },
      headers: { 'x-forwarded-for': '10.1.2.3', 'cf-connecting-ip': '10.1.2.3' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('This API token may not be used from 127.0.0.1');
    const here = (await create({ name: 'local', scopes: ['plugins:read'], allowed_ips: ['127.0.0.1'] })).body.data
      .token;
    expect((await panel.request('GET', '/api/plugins', { as: { token: here } })).status).toBe(200);
  });

  it('is revoked by its owner (or an admin), not by others', async () => {
    const mine = await create({ name: 'reseller-bot', scopes: ['plugins:read'] }, 'reseller');
    const token = mine.body.data.token;
    expect(
      (await panel.request('GET', '/api/tokens', { as: 'user' })).body.data.some(
        (t: any) => t.id === mine.body.data.id,
      ),
    ).toBe(false);
    expect((await panel.request('DELETE', `/api/tokens/${mine.body.data.id}`, { as: 'user' })).status).toBe(404);
    expect((await panel.request('GET', '/api/plugins', { as: { token } })).status).toBe(200);
    expect((await panel.request('DELETE', `/api/tokens/${mine.body.data.id}`, { as: 'reseller' })).status).toBe(200);
    expect((await panel.request('GET', '/api/plugins', { as: { token } })).status).toBe(401);
    expect((await panel.request('DELETE', `/api/tokens/${mine.body.data.id}`, { as: 'reseller' })).status).toBe(404);
  });

  it('stops working when its owner is disabled', async () => {
    const token = (await create({ name: 'owned', scopes: ['plugins:read'] }, 'user')).body.data.token;
    expect((await panel.request('GET', '/api/plugins', { as: { token } })).status).toBe(200);
    await panel.kernel.users!.setDisabled(3, true);
    try {
      expect((await panel.request('GET', '/api/plugins', { as: { token } })).status).toBe(401);
    } finally {
      await panel.kernel.users!.setDisabled(3, false);
    }
  });

  it('ends when its owner changes the password, or an admin resets it, and the answer counts it (issue 16)', async () => {
    const owner = { username: 'tokenowner', password: 'Owner-Pass-123' };
    const made = await panel.request('POST', '/api/resellers', { body: owner });
    expect(made.status).toBe(200);
    const loginAs = async (password: string) =>
      (await panel.request('POST', '/api/auth/login', { as: 'anon', body: { username: owner.username, password } }))
        .body.data.token as string;
    const session = await loginAs(owner.password);
    const token = (await create({ name: 'reader', scopes: ['plugins:read'] }, { token: session })).body.data.token;
    expect((await panel.request('GET', '/api/plugins', { as: { token } })).status).toBe(200);
    const changed = await panel.request('POST', '/api/auth/password', {
      as: { token: session },
      body: { current_password: owner.password, new_password: 'Owner-Pass-456' },
    });
    expect(changed.status).toBe(200);
    expect((await panel.request('GET', '/api/plugins', { as: { token } })).status).toBe(401);
    expect(changed.body.data).toMatchObject({ sessions_ended: true, api_tokens_revoked: 1 });

    const again = (await create({ name: 'reader-2', scopes: ['plugins:read'] }, { token: changed.body.data.token }))
      .body.data.token;
    expect((await panel.request('GET', '/api/plugins', { as: { token: again } })).status).toBe(200);
    const reset = await panel.request('PATCH', `/api/resellers/${made.body.data.id}`, {
      body: { password: 'Admin-Set-789' },
    });
    expect(reset.status).toBe(200);
    expect((await panel.request('GET', '/api/plugins', { as: { token: again } })).status).toBe(401);
    expect(reset.body.data.api_tokens_revoked).toBe(1);
    expect(
      (await panel.request('GET', '/api/tokens', { as: { token: await loginAs('Admin-Set-789') } })).body.data,
    ).toEqual([]);
  });
});
