import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../sdk/index.js';
import { startTestPanel, TEST_LOGINS, type TestPanel } from '../../sdk/testing/index.js';

const probe = definePlugin({
  manifest: { id: 'audit-probe', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.route({
      method: 'POST',
      path: '/api/audit-probe/:id',
      access: {},
      handler: (req) => {
        req.auditTarget = `thing:${req.params.id}`;
        return { done: true };
      },
    });
  },
});

describe('audit log', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ inline: [probe], config: { trusted_proxies: ['127.0.0.1'] } });
  });
  afterAll(async () => {
    await panel.stop();
  });

  const latest = async (as: 'admin' | 'reseller' = 'admin', query = '') =>
    (await panel.request('GET', `/api/audit${query}`, { as })).body.data;

  it('records who, role, route, target, result, time and client IP of every mutating request', async () => {
    await panel.request('POST', '/api/audit-probe/42', { as: 'user', headers: { 'x-forwarded-for': '198.51.100.23' } });
    const [entry] = await latest();
    expect(entry).toMatchObject({
      user_id: 3,
      username: TEST_LOGINS.user,
      role: 'user',
      reseller_id: 2,
      method: 'POST',
      route: '/api/audit-probe/:id',
      path: '/api/audit-probe/42',
      target: 'thing:42',
      status: 200,
      ok: true,
      ip: '198.51.100.23',
      plugin: 'audit-probe',
    });
    expect(Date.now() - Date.parse(entry.time)).toBeLessThan(3_600_000);
  });

  it('records refused and anonymous attempts too, but no reads', async () => {
    await panel.request('POST', '/api/auth/login', {
      as: 'anon',
      body: { username: 'intruder', password: 'guessing-123' },
    });
    await panel.request('GET', '/api/plugins');
    const [entry] = await latest();
    expect(entry).toMatchObject({
      user_id: null,
      role: null,
      route: '/api/auth/login',
      target: 'login:intruder',
      status: 401,
      ok: false,
    });
    await panel.request('POST', '/api/plugins/system/disable', { as: 'reseller' });
    expect((await latest())[0]).toMatchObject({ username: TEST_LOGINS.reseller, status: 403, ok: false });
  });

  it('never stores request bodies or secrets', async () => {
    await panel.request('POST', '/api/auth/login', {
      as: 'anon',
      body: { username: TEST_LOGINS.admin, password: TEST_LOGINS.password },
    });
    const rows = await panel.kernel.knex('core_audit');
    expect(JSON.stringify(rows)).not.toContain(TEST_LOGINS.password);
  });

  it('shows admins everything and resellers only their side; users not at all', async () => {
    await panel.request('POST', '/api/audit-probe/1', { as: 'admin' });
    const all = await latest('admin', '?limit=500');
    expect(new Set(all.map((e: any) => e.role))).toEqual(new Set(['admin', 'reseller', 'user', null]));
    const own = await latest('reseller', '?limit=500');
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e: any) => e.reseller_id === 2)).toBe(true);
    expect((await panel.request('GET', '/api/audit', { as: 'user' })).status).toBe(403);
  });

  it('pages and filters', async () => {
    const page = await latest('admin', '?limit=2');
    expect(page).toHaveLength(2);
    const next = await latest('admin', `?limit=2&before_id=${page[1].id}`);
    expect(next[0].id).toBeLessThan(page[1].id);
    expect((await latest('admin', '?user_id=3')).every((e: any) => e.user_id === 3)).toBe(true);
    expect((await latest('admin', '?ok=false')).every((e: any) => e.ok === false)).toBe(true);
    expect((await panel.request('GET', '/api/audit?limit=100000')).status).toBe(400);
    expect((await panel.request('GET', '/api/audit?user_id=1%20OR%201=1')).status).toBe(400);
  });
});
