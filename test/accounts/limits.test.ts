// Community licence limits (5 accounts, 10 domains) with the seed's messages, race-free under 50
// concurrent creates, and the same create sent 50 times at once.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, TEST_LOGINS } from '../../sdk/testing/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

describe('licence limits on a Community panel', () => {
  let h: HostingPanel;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx', tier: 'none', extra: ['system'] });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('lets exactly one of 50 identical creates through', async () => {
    const body = accountBody({ username: 'twin', domain: 'twin.test' });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => h.panel.request('POST', '/api/accounts', { body })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(readdirSync(h.homeBase)).toEqual(['twin']);
    expect(readdirSync(h.nginx!.sitesDir)).toEqual(['twin.test.conf']);
    await h.panel.request('DELETE', `/api/accounts/${results.find((r) => r.status === 200)!.body.data.id}`);
  });

  it('holds the account limit under 50 concurrent creates, with the seed message', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () => h.panel.request('POST', '/api/accounts', { body: accountBody() })),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 403);
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(45);
    for (const r of refused)
      expect(r.body).toMatchObject({ ok: false, error: 'Account limit reached (5/5). Upgrade your license for more.' });
    expect(readdirSync(h.homeBase).sort()).toEqual(ok.map((r) => r.body.data.username).sort());
    expect(readdirSync(h.nginx!.sitesDir)).toHaveLength(5);
    const stats = (await h.panel.request('GET', '/api/system/stats')).body.data;
    expect(stats.accounts).toEqual({ count: 5, limit: 5 });
    expect(stats.domains).toEqual({ count: 5, limit: 10 });
  });

  it('holds the domain limit under concurrent creates, with the seed message', async () => {
    const accounts = (await h.panel.request('GET', '/api/accounts')).body.data;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.panel.request('POST', '/api/domains', {
          body: { account_id: accounts[i % accounts.length].id, domain_name: `extra${i}.test`, domain_type: 'addon' },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    const refused = results.filter((r) => r.status === 403);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect(r.body.error).toBe('Domain limit reached (10/10). Upgrade your license for more.');
    expect(readdirSync(h.nginx!.sitesDir)).toHaveLength(10);
    expect((await h.panel.request('GET', '/api/system/stats')).body.data.domains).toEqual({ count: 10, limit: 10 });
  });
});

describe('caps an admin sets on a reseller', () => {
  let h: HostingPanel;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("are the accounts and domains plugins' fields of /api/resellers: set, shown, changed, refused when bad", async () => {
    const created = await h.panel.request('POST', '/api/resellers', {
      body: { username: 'capped-reseller', password: 'CappedPass123', max_accounts: 10, max_domains: 25 },
    });
    expect(created.body.data).toMatchObject({
      username: 'capped-reseller',
      max_accounts: 10,
      max_domains: 25,
      user_logins: 0,
    });
    const id = created.body.data.id;
    // Another plugin reads them through the user directory (a plugin checks its own in its table).
    expect(await h.panel.kernel.users!.resellerCaps(id)).toEqual({ max_accounts: 10, max_domains: 25 });
    expect(await h.panel.kernel.users!.resellerCaps(1)).toBeNull();
    const listed = (await h.panel.request('GET', '/api/resellers')).body.data;
    expect(listed.find((r: any) => r.id === id)).toMatchObject({ max_accounts: 10, max_domains: 25 });
    expect(listed.find((r: any) => r.username === TEST_LOGINS.reseller)).toMatchObject({
      max_accounts: null,
      max_domains: null,
    });
    expect(
      (await h.panel.request('PATCH', `/api/resellers/${id}`, { body: { max_accounts: null, max_domains: 3 } })).body
        .data,
    ).toMatchObject({ max_accounts: null, max_domains: 3 });
    for (const body of [{ max_accounts: -1 }, { max_domains: '5' }, { max_widgets: 2 }, { max_accounts: 1_000_001 }]) {
      const res = await h.panel.request('PATCH', `/api/resellers/${id}`, { body });
      expect({ status: res.status, error: res.body.error }, JSON.stringify(body)).toEqual({
        status: 400,
        error: expect.stringMatching(new RegExp(`^${Object.keys(body)[0]}: `)),
      });
    }
    expect((await h.panel.request('GET', `/api/resellers/${id}`)).body.data).toMatchObject({
      max_accounts: null,
      max_domains: 3,
    });
    expect((await h.panel.request('DELETE', `/api/resellers/${id}`)).body.data).toEqual({ id, deleted: true });
    const again = await h.panel.request('POST', '/api/resellers', {
      body: { username: 'capped-reseller', password: 'CappedPass123' },
    });
    expect(again.body.data).toMatchObject({ max_accounts: null, max_domains: null });
  });

  it("hold for the reseller's accounts and domains, also under concurrent creates", async () => {
    const resellerId = (await h.panel.kernel.users!.findByUsername('panel-reseller'))!.id;
    expect(
      (await h.panel.request('PATCH', `/api/resellers/${resellerId}`, { body: { max_accounts: 2, max_domains: 3 } }))
        .status,
    ).toBe(200);
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        h.panel.request('POST', '/api/accounts', { body: accountBody(), as: 'reseller' }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(2);
    for (const r of results.filter((x) => x.status !== 200))
      expect({ status: r.status, error: r.body.error }).toEqual({
        status: 403,
        error: 'Reseller account limit reached (2/2).',
      });
    expect((await h.panel.request('POST', '/api/accounts', { body: accountBody() })).status).toBe(200);
    const addons = await Promise.all(
      [0, 1, 2].map((i) =>
        h.panel.request('POST', '/api/domains', {
          body: { account_id: ok[i % 2]!.body.data.id, domain_name: `capped${i}.test`, domain_type: 'addon' },
          as: 'reseller',
        }),
      ),
    );
    expect(addons.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of addons.filter((x) => x.status !== 200))
      expect(r.body.error).toBe('Reseller domain limit reached (3/3).');
  });
});

describe('caps the kernel kept before the plugins owned them', () => {
  it("move into the accounts and domains plugins' tables at their first start, and still hold", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-caps-'));
    try {
      const before = await startTestPanel({ config: { data_dir: dataDir } as never });
      await before.kernel
        .knex('core_users')
        .where({ username: TEST_LOGINS.reseller })
        .update({ max_accounts: 1, max_domains: 2 });
      await before.stop();
      const h = await startHostingPanel({ engine: 'veloserve', config: { data_dir: dataDir } as never });
      try {
        const resellerId = (await h.panel.kernel.users!.findByUsername(TEST_LOGINS.reseller))!.id;
        expect((await h.panel.request('GET', `/api/resellers/${resellerId}`)).body.data).toMatchObject({
          max_accounts: 1,
          max_domains: 2,
        });
        expect((await h.panel.request('POST', '/api/accounts', { body: accountBody(), as: 'reseller' })).status).toBe(
          200,
        );
        const second = await h.panel.request('POST', '/api/accounts', { body: accountBody(), as: 'reseller' });
        expect({ status: second.status, error: second.body.error }).toEqual({
          status: 403,
          error: 'Reseller account limit reached (1/1).',
        });
      } finally {
        await h.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
