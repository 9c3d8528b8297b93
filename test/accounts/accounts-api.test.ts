// The accounts API as the seed defines it: fields, validation messages, roles and ownership.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

describe('accounts API', () => {
  let h: HostingPanel;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx', extra: ['system'] });
  });
  afterAll(async () => {
    await h?.stop();
  });
  const post = (body: unknown, as: 'admin' | 'reseller' | 'user' = 'admin') =>
    h.panel.request('POST', '/api/accounts', { body, as });

  it('names the field for every invalid value', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ username: 'Ab' }, 'username: must be 3–16 alphanumeric characters, lowercase, starting with a letter'],
      [{ username: 'JohnDoe' }, 'username: must be 3–16 alphanumeric characters, lowercase, starting with a letter'],
      [{ username: '1john' }, 'username: must be 3–16 alphanumeric characters, lowercase, starting with a letter'],
      [
        { username: 'abcdefghijklmnopq' },
        'username: must be 3–16 alphanumeric characters, lowercase, starting with a letter',
      ],
      [{ username: 'root' }, "username: 'root' is reserved (a privileged system group or user name)"],
      [{ username: 'mysql' }, "username: 'mysql' is reserved (a service's or the panel's own name)"],
      [{ domain: 'localhost' }, 'domain: must be a fully qualified domain name'],
      [{ domain: '*.example.com' }, 'domain: must be a fully qualified domain name'],
      [{ domain: '127.0.0.1' }, 'domain: must be a fully qualified domain name'],
      [{ email: 'not-an-email' }, 'email: must be a valid email address'],
      [{ password: 'short' }, 'password: must be 8–128 characters without control characters'],
      [{ plan: 'gold' }, 'plan: must be free, pro or business'],
      [{ extra: 1 }, 'extra: unknown field'],
    ];
    for (const [override, message] of cases) {
      const res = await post(accountBody(override));
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: message });
    }
    const missing = accountBody() as Record<string, unknown>;
    delete missing.plan;
    expect((await post(missing)).body.error).toBe('plan: is required');
  });

  it('refuses privileged system group and user names even where no such group exists yet (a later package would reuse it)', async () => {
    for (const username of [
      'docker',
      'lxd',
      'kvm',
      'libvirt',
      'incus',
      'podman',
      'sudo',
      'adm',
      'wheel',
      'shadow',
      'disk',
    ]) {
      const res = await post(accountBody({ username }));
      expect({ status: res.status, error: res.body.error }, username).toEqual({
        status: 400,
        error: `username: '${username}' is reserved (a privileged system group or user name)`,
      });
    }
    expect((await h.panel.request('GET', '/api/accounts')).body.data.map((a: any) => a.username)).not.toContain(
      'docker',
    );
  });

  it('refuses names of existing system users and groups with 409', async () => {
    const res = await post(accountBody({ username: 'voice' }));
    expect(res.status).toBe(409);
    expect(res.body.error).toBe("username: a system user or group named 'voice' already exists");
  });

  it('answers the seed fields, stores IDN domains as punycode and takes plan quotas from the config', async () => {
    const res = await post(accountBody({ username: 'idnuser', domain: 'Bücher.Test', plan: 'pro' }));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data).sort()).toEqual(
      [
        'bandwidth_quota_mb',
        'created_at',
        'disk_quota_mb',
        'disk_used_mb',
        'email',
        'home_dir',
        'id',
        'plan',
        'primary_domain',
        'status',
        'updated_at',
        'username',
      ].sort(),
    );
    expect(res.body.data).toMatchObject({
      primary_domain: 'xn--bcher-kva.test',
      plan: 'pro',
      disk_quota_mb: 5000,
      bandwidth_quota_mb: 100000,
    });
    // Local mode runs no processes for accounts: nothing is measured, and the reads say so with null.
    expect((await h.panel.request('GET', `/api/accounts/${res.body.data.id}`)).body.data).toMatchObject({
      resource_usage: null,
    });
    expect((await h.panel.request('GET', '/api/accounts')).body.data.every((a: any) => a.resource_usage === null)).toBe(
      true,
    );
    const dup = await post(accountBody({ username: 'idnuser' }));
    expect({ status: dup.status, error: dup.body.error }).toEqual({
      status: 409,
      error: "Account 'idnuser' already exists",
    });
    const sameDomain = await post(accountBody({ domain: 'xn--bcher-kva.test' }));
    expect({ status: sameDomain.status, error: sameDomain.body.error }).toEqual({
      status: 409,
      error: 'Domain xn--bcher-kva.test already exists on this server',
    });
  });

  it('lets admins see every account, resellers their own and users only their bound account', async () => {
    const mine = await post(accountBody({ username: 'resold' }), 'reseller');
    expect(mine.status).toBe(200);
    const all = (await h.panel.request('GET', '/api/accounts')).body.data.map((a: any) => a.username);
    expect(all).toEqual(expect.arrayContaining(['idnuser', 'resold']));
    const resellers = (await h.panel.request('GET', '/api/accounts', { as: 'reseller' })).body.data.map(
      (a: any) => a.username,
    );
    expect(resellers).toEqual(['resold']);
    const adminOwned = (await h.panel.request('GET', '/api/accounts')).body.data.find(
      (a: any) => a.username === 'idnuser',
    );
    expect((await h.panel.request('GET', `/api/accounts/${adminOwned.id}`, { as: 'reseller' })).status).toBe(403);
    expect((await h.panel.request('POST', `/api/accounts/${adminOwned.id}/suspend`, { as: 'reseller' })).status).toBe(
      403,
    );
    expect((await h.panel.request('DELETE', `/api/accounts/${adminOwned.id}`, { as: 'reseller' })).status).toBe(403);
    expect((await post(accountBody(), 'user')).status).toBe(403);
    // The harness's user login is bound to account:1 (idnuser, the first account made here).
    const users = (await h.panel.request('GET', '/api/accounts', { as: 'user' })).body.data.map((a: any) => a.id);
    expect(users).toEqual([1]);
    expect((await h.panel.request('GET', `/api/accounts/${mine.body.data.id}`, { as: 'user' })).status).toBe(403);
    expect((await h.panel.request('POST', '/api/accounts/1/suspend', { as: 'user' })).status).toBe(403);
    expect((await h.panel.request('GET', '/api/accounts/999')).status).toBe(404);
    expect((await h.panel.request('GET', '/api/accounts/abc')).status).toBe(400);
    expect((await h.panel.request('GET', '/api/accounts', { as: 'anon' })).status).toBe(401);
  });

  it("creates the account's own panel login, refused while suspended and removed on delete", async () => {
    const body = accountBody({ username: 'selfserve', password: 'Self-Serve-123' });
    const created = (await post(body)).body.data;
    const login = () =>
      h.panel.request('POST', '/api/auth/login', {
        as: 'anon',
        body: { username: 'selfserve', password: 'Self-Serve-123' },
      });
    const first = await login();
    expect(first.status).toBe(200);
    const own = await h.panel.request('GET', '/api/accounts', { as: { token: first.body.data.token } });
    expect(own.body.data.map((a: any) => a.id)).toEqual([created.id]);
    await h.panel.request('POST', `/api/accounts/${created.id}/suspend`);
    expect((await login()).status).not.toBe(200);
    expect(
      (await h.panel.request('GET', `/api/accounts/${created.id}`, { as: { token: first.body.data.token } })).status,
    ).toBe(401);
    await h.panel.request('POST', `/api/accounts/${created.id}/unsuspend`);
    expect((await login()).status).toBe(200);
    await h.panel.request('DELETE', `/api/accounts/${created.id}`);
    expect((await login()).status).toBe(401);
    expect(await h.panel.kernel.users!.findByUsername('selfserve')).toBeNull();
    expect(await h.panel.kernel.users!.findByUsername(TEST_LOGINS.user)).not.toBeNull();
  });

  it('counts accounts and domains in /api/system/stats', async () => {
    const stats = (await h.panel.request('GET', '/api/system/stats')).body.data;
    const accounts = (await h.panel.request('GET', '/api/accounts')).body.data.length;
    const domains = (await h.panel.request('GET', '/api/domains')).body.data.length;
    expect(stats.accounts.count).toBe(accounts);
    expect(stats.domains.count).toBe(domains);
  });
});
