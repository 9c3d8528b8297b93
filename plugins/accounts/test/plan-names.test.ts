// Plan names are unique per owner (local mode): two resellers may each have a plan `secret`
// without either learning of the other's (no 409 that reveals it), each reseller's accounts get
// their own reseller's plan, an edit or delete of one touches only its owner's accounts, and names
// every reseller sees (the admin's plans, their own) are still refused with a 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../../../test/webserver/helpers.js';

describe('plan names per owner', () => {
  let h: HostingPanel;
  let other: { token: string };
  type As = 'admin' | 'reseller' | { token: string };
  const req = (method: string, path: string, body?: unknown, as: As = 'admin') =>
    h.panel.request(method, path, { body, as });
  const secret = (disk: number) => ({
    name: 'secret',
    disk_quota_mb: disk,
    bandwidth_quota_mb: 10,
    cpu_percent: 50,
    memory_mb: 128,
  });
  let mine: any;
  let theirs: any;
  let a: any;
  let b: any;

  beforeAll(async () => {
    h = await startHostingPanel({
      engine: 'veloserve',
      plugins: { accounts: { business_memory_mb: 1024, business_cpu_percent: 200 } },
    });
    expect((await req('POST', '/api/resellers', { username: 'other-reseller', password: 'OtherPass123' })).status).toBe(
      200,
    );
    const login = await h.panel.request('POST', '/api/auth/login', {
      as: 'anon',
      body: { username: 'other-reseller', password: 'OtherPass123' },
    });
    other = { token: login.body.data.token };
  });
  afterAll(async () => h?.stop());

  it("lets two resellers each name a plan alike, neither learning of the other's", async () => {
    mine = (await req('POST', '/api/plans', secret(100), 'reseller')).body.data;
    const res = await req('POST', '/api/plans', secret(200), other);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    theirs = res.body.data;
    expect(theirs).toMatchObject({ name: 'secret', disk_quota_mb: 200, reseller_id: expect.any(Number) });
    expect(theirs.id).not.toBe(mine.id);
    expect(
      (await req('GET', '/api/plans', undefined, 'reseller')).body.data
        .filter((p: any) => p.name === 'secret')
        .map((p: any) => p.id),
    ).toEqual([mine.id]);
    expect(
      (await req('GET', '/api/plans', undefined, other)).body.data
        .filter((p: any) => p.name === 'secret')
        .map((p: any) => p.id),
    ).toEqual([theirs.id]);
    expect((await req('GET', '/api/plans')).body.data.filter((p: any) => p.name === 'secret')).toHaveLength(2);
  });

  it('still refuses names the maker sees: its own, the admin plans, and for the admin any', async () => {
    for (const [body, as] of [
      [secret(1), 'reseller'],
      [{ ...secret(1), name: 'free' }, other],
      [secret(1), 'admin'],
    ] as [unknown, As][]) {
      const res = await req('POST', '/api/plans', body, as);
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 409,
        error: `Plan '${(body as { name: string }).name}' already exists`,
      });
    }
  });

  it("puts each reseller's accounts on their own plan of that name", async () => {
    a = (await req('POST', '/api/accounts', accountBody({ plan: 'secret' }), 'reseller')).body.data;
    b = (await req('POST', '/api/accounts', accountBody({ plan: 'secret' }), other)).body.data;
    expect(a).toMatchObject({ plan: 'secret', disk_quota_mb: 100 });
    expect(b).toMatchObject({ plan: 'secret', disk_quota_mb: 200 });
    expect((await req('GET', `/api/plans/${mine.id}`, undefined, 'reseller')).body.data.accounts).toBe(1);
    expect((await req('GET', `/api/plans/${theirs.id}`)).body.data.accounts).toBe(1);
    const byAdmin = await req('POST', '/api/accounts', accountBody({ plan: 'secret' }));
    expect({ status: byAdmin.status, error: byAdmin.body.error }).toEqual({
      status: 400,
      error: 'plan: must be free, pro or business',
    });
  });

  it("changes and deletes one reseller's plan without touching the other's accounts", async () => {
    expect((await req('PATCH', `/api/plans/${mine.id}`, { disk_quota_mb: 150 }, 'reseller')).body.data).toMatchObject({
      disk_quota_mb: 150,
      accounts: 1,
    });
    expect((await req('GET', `/api/accounts/${a.id}`)).body.data.disk_quota_mb).toBe(150);
    expect((await req('GET', `/api/accounts/${b.id}`)).body.data.disk_quota_mb).toBe(200);
    const busy = await req('DELETE', `/api/plans/${theirs.id}`, undefined, other);
    expect({ status: busy.status, error: busy.body.error }).toEqual({
      status: 409,
      error: 'Plan secret is used by 1 account; move it to another plan first',
    });
    expect((await req('DELETE', `/api/accounts/${a.id}`, undefined, 'reseller')).status).toBe(200);
    expect((await req('DELETE', `/api/plans/${mine.id}`, undefined, 'reseller')).status).toBe(200);
    expect((await req('GET', `/api/plans/${theirs.id}`, undefined, other)).body.data).toMatchObject({
      name: 'secret',
      accounts: 1,
    });
    expect((await req('GET', `/api/accounts/${b.id}`)).body.data).toMatchObject({ plan: 'secret', disk_quota_mb: 200 });
  });
});
