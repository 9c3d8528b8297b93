// /api/plans (local mode): the three default plans exist with the settings' values, admins manage
// every plan, a reseller makes plans for their own accounts only and within the ceiling plan, a
// user sees their account's plan and changes none, bad input is a 4xx naming the field and changes
// nothing, and a plan in use cannot be deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

describe('plans as objects', () => {
  let h: HostingPanel;
  let other: { token: string };
  const req = (
    method: string,
    path: string,
    body?: unknown,
    as: 'admin' | 'reseller' | 'user' | { token: string } = 'admin',
  ) => h.panel.request(method, path, { body, as });
  const names = async (as: 'admin' | 'reseller' | 'user' | { token: string }) =>
    (await req('GET', '/api/plans', undefined, as)).body.data.map((p: any) => p.name);
  const gold = {
    name: 'gold',
    disk_quota_mb: 800,
    bandwidth_quota_mb: 9000,
    max_domains: 3,
    max_databases: 2,
    memory_mb: 256,
    php_modes: ['fpm'],
  };

  beforeAll(async () => {
    h = await startHostingPanel({
      engine: 'veloserve',
      plugins: {
        accounts: {
          free_disk_quota_mb: 100,
          business_disk_quota_mb: 9000,
          business_memory_mb: 1024,
          business_cpu_percent: 200,
        },
      },
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

  it('seeds free, pro and business from the settings', async () => {
    const list = (await req('GET', '/api/plans')).body.data;
    expect(list.map((p: any) => p.name)).toEqual(['free', 'pro', 'business']);
    expect(list[0]).toMatchObject({
      name: 'free',
      reseller_id: null,
      disk_quota_mb: 100,
      bandwidth_quota_mb: 10000,
      max_domains: null,
      php_modes: null,
      accounts: 0,
    });
    expect(list[2]).toMatchObject({
      name: 'business',
      disk_quota_mb: 9000,
      memory_mb: 1024,
      cpu_percent: 200,
      inodes: null,
    });
  });

  it('lets an admin create, read, edit and delete a plan, and accounts use it', async () => {
    const made = await req('POST', '/api/plans', gold);
    expect(made.status).toBe(200);
    expect(made.body.data).toMatchObject({ ...gold, reseller_id: null, inodes: null, accounts: 0 });
    expect((await req('POST', '/api/plans', gold)).body).toMatchObject({
      ok: false,
      error: "Plan 'gold' already exists",
    });
    const a = (await req('POST', '/api/accounts', accountBody({ plan: 'gold' }))).body.data;
    expect(a).toMatchObject({ plan: 'gold', disk_quota_mb: 800, bandwidth_quota_mb: 9000 });
    const patched = await req('PATCH', `/api/plans/${made.body.data.id}`, { disk_quota_mb: 900, max_domains: null });
    expect(patched.body.data).toMatchObject({
      name: 'gold',
      disk_quota_mb: 900,
      max_domains: null,
      accounts: 1,
      job_id: expect.any(String),
    });
    const job = (await req('GET', `/api/jobs/${patched.body.data.job_id}`)).body.data;
    expect(job.kind).toBe('accounts.plan-apply');
    expect((await req('GET', `/api/accounts/${a.id}`)).body.data).toMatchObject({ plan: 'gold', disk_quota_mb: 900 });
    const busy = await req('DELETE', `/api/plans/${made.body.data.id}`);
    expect({ status: busy.status, error: busy.body.error }).toEqual({
      status: 409,
      error: 'Plan gold is used by 1 account; move it to another plan first',
    });
    expect((await req('POST', `/api/accounts/${a.id}/plan`, { plan: 'pro' })).body.data).toMatchObject({
      plan: 'pro',
      disk_quota_mb: 5000,
    });
    expect((await req('DELETE', `/api/plans/${made.body.data.id}`)).body.data).toEqual({
      id: made.body.data.id,
      name: 'gold',
      deleted: true,
    });
    expect((await req('GET', `/api/plans/${made.body.data.id}`)).status).toBe(404);
    const gone = await req('POST', '/api/accounts', accountBody({ plan: 'gold' }));
    expect({ status: gone.status, error: gone.body.error }).toEqual({
      status: 400,
      error: 'plan: must be free, pro or business',
    });
  });

  it('names the field for bad input and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [
        { ...gold, name: 'Gold!' },
        'name: must be a plan name (2–16 lowercase letters, digits, _ or -, starting with a letter)',
      ],
      [
        { ...gold, name: 'a'.repeat(17) },
        'name: must be a plan name (2–16 lowercase letters, digits, _ or -, starting with a letter)',
      ],
      [{ ...gold, disk_quota_mb: 0 }, 'disk_quota_mb: must be a whole number from 1 to 100000000'],
      [{ ...gold, disk_quota_mb: null }, 'disk_quota_mb: must be a whole number from 1 to 100000000'],
      [{ ...gold, max_domains: 0 }, 'max_domains: must be a whole number from 1 to 1000000, or null (unlimited)'],
      [{ ...gold, memory_mb: 1.5 }, 'memory_mb: must be a whole number from 1 to 100000000, or null (unlimited)'],
      [
        { ...gold, php_modes: ['fpm', 'fpm'] },
        'php_modes: must be a list of cgi, fpm and lsapi (each once), or null (every mode)',
      ],
      [{ ...gold, php_modes: ['nodejs'] }, 'php_modes.0: must be cgi, fpm or lsapi'],
      [
        { ...gold, php_modes: 'fpm' },
        'php_modes: must be a list of cgi, fpm and lsapi (each once), or null (every mode)',
      ],
      [{ ...gold, colour: 'gold' }, 'colour: unknown field'],
      [{ name: 'gold' }, 'disk_quota_mb: is required'],
    ];
    for (const [body, error] of cases) {
      const res = await req('POST', '/api/plans', body);
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error });
    }
    const free = (await req('GET', '/api/plans')).body.data[0];
    for (const [body, error] of [
      [{}, 'body: must change at least one field'],
      [{ name: 'other' }, 'name: unknown field'],
      [{ inodes: -1 }, 'inodes: must be a whole number from 1 to 1000000000, or null (unlimited)'],
    ] as const) {
      const res = await req('PATCH', `/api/plans/${free.id}`, body);
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error });
    }
    expect((await req('GET', '/api/plans')).body.data.map((p: any) => p.name)).toEqual(['free', 'pro', 'business']);
    expect((await req('GET', `/api/plans/${free.id}`)).body.data).toEqual(free);
  });

  it("keeps a reseller's plans to them and their accounts, within the ceiling plan", async () => {
    const over = await req(
      'POST',
      '/api/plans',
      { name: 'big', disk_quota_mb: 9001, bandwidth_quota_mb: 10 },
      'reseller',
    );
    expect({ status: over.status, error: over.body.error }).toEqual({
      status: 403,
      error: "disk_quota_mb: 9001 exceeds what resellers may offer (9000, the business plan's)",
    });
    const unlimited = await req(
      'POST',
      '/api/plans',
      { name: 'big', disk_quota_mb: 10, bandwidth_quota_mb: 10 },
      'reseller',
    );
    expect({ status: unlimited.status, error: unlimited.body.error }).toEqual({
      status: 403,
      error: "cpu_percent: unlimited exceeds what resellers may offer (200, the business plan's)",
    });
    expect((await req('PATCH', '/api/resellers/2', { max_domains: 10 })).status).toBe(200);
    const domains = await req(
      'POST',
      '/api/plans',
      { name: 'big', disk_quota_mb: 10, bandwidth_quota_mb: 10, memory_mb: 512, cpu_percent: 100 },
      'reseller',
    );
    expect({ status: domains.status, error: domains.body.error }).toEqual({
      status: 403,
      error: 'max_domains: unlimited exceeds what resellers may offer (10, your domain cap)',
    });
    expect(await names('reseller')).not.toContain('big');
    const mine = await req(
      'POST',
      '/api/plans',
      {
        name: 'resold',
        disk_quota_mb: 300,
        bandwidth_quota_mb: 3000,
        memory_mb: 512,
        cpu_percent: 100,
        max_domains: 5,
      },
      'reseller',
    );
    expect(mine.body.data).toMatchObject({ name: 'resold', reseller_id: 2, disk_quota_mb: 300 });
    const id = mine.body.data.id;
    expect((await req('PATCH', `/api/plans/${id}`, { memory_mb: 2048 }, 'reseller')).status).toBe(403);

    expect(await names('reseller')).toEqual(['free', 'pro', 'business', 'resold']);
    expect(await names(other)).toEqual(['free', 'pro', 'business']);
    expect((await req('GET', `/api/plans/${id}`, undefined, other)).status).toBe(404);
    expect((await req('PATCH', `/api/plans/${id}`, { disk_quota_mb: 1 }, other)).status).toBe(404);
    expect((await req('DELETE', `/api/plans/${id}`, undefined, other)).status).toBe(404);
    const foreign = await req('POST', '/api/accounts', accountBody({ plan: 'resold' }), other);
    expect({ status: foreign.status, error: foreign.body.error }).toEqual({
      status: 400,
      error: 'plan: must be free, pro or business',
    });
    const byAdmin = await req('POST', '/api/accounts', accountBody({ plan: 'resold' }));
    expect(byAdmin.status).toBe(400);

    const acct = (await req('POST', '/api/accounts', accountBody({ plan: 'resold' }), 'reseller')).body.data;
    expect(acct).toMatchObject({ plan: 'resold', disk_quota_mb: 300 });
    const edited = await req('PATCH', '/api/plans/1', { disk_quota_mb: 1 }, 'reseller');
    expect({ status: edited.status, error: edited.body.error }).toEqual({
      status: 403,
      error: "Plan free is the admin's; resellers change only their own plans",
    });
    expect((await req('GET', '/api/plans?sort=-name&limit=2', undefined, 'reseller')).body).toMatchObject({
      data: [{ name: 'resold', accounts: 1 }, { name: 'pro' }],
      total: 4,
    });
    expect((await req('GET', '/api/plans?q=reso')).body.data.map((p: any) => p.name)).toEqual(['resold']);
    expect((await req('DELETE', `/api/plans/${id}`, undefined, 'reseller')).status).toBe(409);
    expect((await req('DELETE', `/api/accounts/${acct.id}`, undefined, 'reseller')).status).toBe(200);
    expect((await req('DELETE', `/api/plans/${id}`, undefined, 'reseller')).status).toBe(200);
  });

  it("shows a user their account's plan only, and lets them change none", async () => {
    const own = (await req('GET', '/api/accounts/1', undefined, 'user')).body.data;
    expect(await names('user')).toEqual([own.plan]);
    expect(
      (await req('POST', '/api/plans', { name: 'mine', disk_quota_mb: 1, bandwidth_quota_mb: 1 }, 'user')).status,
    ).toBe(403);
    expect((await req('PATCH', '/api/plans/1', { disk_quota_mb: 1 }, 'user')).status).toBe(403);
    expect((await req('DELETE', '/api/plans/1', undefined, 'user')).status).toBe(403);
    expect((await req('GET', '/api/plans/1')).body.data.disk_quota_mb).toBe(100);
  });

  it('refuses to delete the ceiling plan', async () => {
    const res = await req('DELETE', '/api/plans/3');
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 409,
      error: "Plan business bounds resellers' plans (reseller_plan_ceiling); it cannot be deleted",
    });
  });
});
