// The kernel's lists — /api/audit, /api/jobs, /api/tokens, /api/resellers — with limit, offset,
// sort and q: paged in SQL, the caller's scope applied before counting, unchanged without them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

describe('kernel lists paging', () => {
  let panel: TestPanel;
  const get = (path: string, as: 'admin' | 'reseller' | 'user' = 'admin') => panel.request('GET', path, { as });
  const errorOf = async (path: string) => {
    const res = await get(path);
    return { status: res.status, error: res.body.error };
  };
  beforeAll(async () => {
    panel = await startTestPanel();
    const knex = panel.kernel.knex;
    // 300 audit entries: every third on reseller 2's side, the rest on another reseller's (99).
    const audit = Array.from({ length: 300 }, (_, i) => ({
      time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      user_id: 10 + (i % 5),
      username: `actor${i % 5}_${i % 3 === 0 ? 'mine' : 'other'}`,
      role: 'user',
      reseller_id: i % 3 === 0 ? 2 : 99,
      method: 'POST',
      route: '/api/things/:id',
      path: `/api/things/${i}`,
      target: `thing:${i}`,
      status: i % 4 === 0 ? 403 : 200,
      ok: i % 4 !== 0,
      ip: '127.0.0.1',
      request_id: `req-${i}`,
      plugin: 'things',
    }));
    for (let i = 0; i < audit.length; i += 100) await knex('core_audit').insert(audit.slice(i, i + 100));
    // 120 jobs: a third owned by the user login (id 3), the rest by the admin.
    const jobs = Array.from({ length: 120 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      kind: i % 2 ? 'backup' : 'restore',
      plugin: 'backups',
      state: 'succeeded',
      progress: 1,
      owner_user_id: i % 3 === 0 ? 3 : 1,
      target: `account:${i}`,
      created_at: new Date(Date.UTC(2026, 0, 2, 0, i)).toISOString(),
      updated_at: new Date(Date.UTC(2026, 0, 2, 0, i)).toISOString(),
      finished_at: null,
    }));
    await knex('core_jobs').insert(jobs);
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it('audit: newest first pages with total, sorts and searches; a plain or limit-only call answers as before', async () => {
    const plain = await get('/api/audit');
    expect(Object.keys(plain.body)).toEqual(['ok', 'data']);
    expect(plain.body.data).toHaveLength(100);
    expect(Object.keys((await get('/api/audit?limit=5')).body)).toEqual(['ok', 'data']);
    const all = (await get('/api/audit?limit=500')).body.data;
    const page = await get('/api/audit?offset=20&limit=10');
    expect({ total: page.body.total, data: page.body.data }).toEqual({ total: all.length, data: all.slice(20, 30) });
    const found = await get('/api/audit?q=THING:12&sort=id');
    expect(found.body.data.map((e: any) => e.target)).toEqual([
      'thing:12',
      ...Array.from({ length: 10 }, (_, i) => `thing:12${i}`),
    ]);
    // `_` is no wildcard (`actor_` would match every actorN… otherwise); q combines with the route's own filters.
    expect((await get('/api/audit?q=actor_')).body.total).toBe(0);
    expect((await get('/api/audit?q=_mine&ok=false')).body.total).toBe(25);
    expect((await get('/api/audit?sort=-status&limit=1')).body.data[0].status).toBe(403);
    expect(await errorOf('/api/audit?sort=ip')).toEqual({
      status: 400,
      error:
        'sort: must be one of id, time, username, role, method, route, status, plugin (a leading - sorts descending)',
    });
    expect(await errorOf('/api/audit?limit=501')).toEqual({ status: 400, error: 'limit: must be 1–500' });
    expect(await errorOf('/api/audit?stray=1')).toEqual({ status: 400, error: 'stray: unknown field' });
  });

  it('audit: a reseller counts and searches only its own side', async () => {
    const mine = await get('/api/audit?q=actor&limit=5', 'reseller');
    expect(mine.body.total).toBe(100);
    expect(mine.body.data.every((e: any) => e.reseller_id === 2)).toBe(true);
    expect((await get('/api/audit?q=_other', 'reseller')).body).toEqual({ ok: true, data: [], total: 0 });
    expect((await get('/api/audit?q=_other', 'admin')).body.total).toBe(200);
  });

  it('jobs: pages newest first with total; a user counts only its own', async () => {
    const plain = await get('/api/jobs');
    expect(Object.keys(plain.body)).toEqual(['ok', 'data']);
    expect(plain.body.data).toHaveLength(100);
    const page = await get('/api/jobs?offset=100');
    expect({ total: page.body.total, ids: page.body.data.map((j: any) => j.id) }).toEqual({
      total: 120,
      ids: Array.from({ length: 20 }, (_, i) => `00000000-0000-4000-8000-${String(19 - i).padStart(12, '0')}`),
    });
    expect((await get('/api/jobs?q=RESTORE&limit=1')).body.total).toBe(60);
    const own = await get('/api/jobs?limit=5&sort=created_at', 'user');
    expect({ total: own.body.total, targets: own.body.data.map((j: any) => j.target) }).toEqual({
      total: 40,
      targets: ['account:0', 'account:3', 'account:6', 'account:9', 'account:12'],
    });
    expect(await errorOf('/api/jobs?sort=owner_user_id')).toEqual({
      status: 400,
      error:
        'sort: must be one of created_at, updated_at, finished_at, kind, plugin, state (a leading - sorts descending)',
    });
  });

  it("tokens: pages and searches only the caller's tokens", async () => {
    for (const name of ['ci-deploy', 'ci-backup', 'billing'])
      expect(
        (await panel.request('POST', '/api/tokens', { as: 'reseller', body: { name, scopes: ['accounts:read'] } }))
          .status,
      ).toBe(200);
    expect(
      (await panel.request('POST', '/api/tokens', { as: 'admin', body: { name: 'ci-admin', scopes: ['*'] } })).status,
    ).toBe(200);
    expect(Object.keys((await get('/api/tokens', 'reseller')).body)).toEqual(['ok', 'data']);
    const ci = await get('/api/tokens?q=CI-&sort=-name', 'reseller');
    expect({ total: ci.body.total, names: ci.body.data.map((t: any) => t.name) }).toEqual({
      total: 2,
      names: ['ci-deploy', 'ci-backup'],
    });
    expect((await get('/api/tokens?offset=1&limit=1', 'reseller')).body).toMatchObject({
      total: 3,
      data: [{ name: 'ci-backup' }],
    });
    expect(await errorOf('/api/tokens?sort=token_hash')).toEqual({
      status: 400,
      error: 'sort: must be one of id, name, created_at, expires_at, last_used_at (a leading - sorts descending)',
    });
  });

  it('resellers: pages and searches with total (admin only)', async () => {
    for (const username of ['alpha-host', 'beta-host', 'gamma-web']) {
      expect(
        (
          await panel.request('POST', '/api/resellers', {
            body: { username, password: 'Reseller-Pass-1', email: `${username}@example.test` },
          })
        ).status,
      ).toBe(200);
    }
    const all = (await get('/api/resellers')).body;
    expect(Object.keys(all)).toEqual(['ok', 'data']);
    expect(all.data).toHaveLength(4);
    const hosts = await get('/api/resellers?q=-HOST&sort=-username');
    expect({ total: hosts.body.total, names: hosts.body.data.map((r: any) => r.username) }).toEqual({
      total: 2,
      names: ['beta-host', 'alpha-host'],
    });
    expect((await get('/api/resellers?limit=2&offset=2')).body).toEqual({
      ok: true,
      data: all.data.slice(2, 4),
      total: 4,
    });
    expect((await get('/api/resellers?limit=1', 'reseller')).status).toBe(403);
    expect(await errorOf('/api/resellers?offset=x')).toEqual({
      status: 400,
      error: 'offset: must be an integer of 0 or more',
    });
  });
});
