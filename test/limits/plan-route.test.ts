// POST /api/accounts/:id/plan in local mode: the stored quotas follow the new plan; a bad plan, an
// unknown field or account, and callers who do not manage the account are refused with a 4xx
// that names the problem, and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

describe('changing an account plan', () => {
  let h: HostingPanel;
  let a: any;
  const plan = (body: unknown, as: 'admin' | 'reseller' | 'user' = 'admin', id = a.id) =>
    h.panel.request('POST', `/api/accounts/${id}/plan`, { body, as });
  const stored = async () => (await h.panel.request('GET', `/api/accounts/${a.id}`)).body.data;
  beforeAll(async () => {
    h = await startHostingPanel({
      engine: 'veloserve',
      plugins: {
        accounts: { free_disk_quota_mb: 100, business_disk_quota_mb: 9000, business_bandwidth_quota_mb: 90000 },
      },
    });
    a = (await h.panel.request('POST', '/api/accounts', { body: accountBody() })).body.data;
  });
  afterAll(async () => h?.stop());

  it('refuses bad input and other tenants, changing nothing', async () => {
    const bad = await plan({ plan: 'gold' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('must be free, pro or business');
    const extra = await plan({ plan: 'pro', disk_quota_mb: 1 });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toContain('disk_quota_mb');
    expect((await plan({})).status).toBe(400);
    expect((await plan({ plan: 'pro' }, 'admin', 999999)).status).toBe(404);
    expect((await plan({ plan: 'business' }, 'reseller')).status).toBe(403);
    expect((await plan({ plan: 'business' }, 'user')).status).toBe(403);
    expect(await stored()).toMatchObject({ plan: 'free', disk_quota_mb: 100 });
  });

  it('moves the account to the new plan with its quotas', async () => {
    const res = await plan({ plan: 'business' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: a.id, plan: 'business', disk_quota_mb: 9000, bandwidth_quota_mb: 90000 });
    expect(await stored()).toMatchObject({ plan: 'business', disk_quota_mb: 9000 });
  });
});
