// Community licence limits (5 accounts, 10 domains) with the seed's messages, race-free under 50
// concurrent creates, and the same create sent 50 times at once.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

describe('licence limits on a Community panel', () => {
  let h: HostingPanel;
  beforeAll(async () => { h = await startHostingPanel({ engine: 'nginx', tier: 'none', extra: ['system'] }); });
  afterAll(async () => { await h?.stop(); });

  it('lets exactly one of 50 identical creates through', async () => {
    const body = accountBody({ username: 'twin', domain: 'twin.test' });
    const results = await Promise.all(Array.from({ length: 50 }, () => h.panel.request('POST', '/api/accounts', { body })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(readdirSync(h.homeBase)).toEqual(['twin']);
    expect(readdirSync(h.nginx!.sitesDir)).toEqual(['twin.test.conf']);
    await h.panel.request('DELETE', `/api/accounts/${results.find((r) => r.status === 200)!.body.data.id}`);
  });

  it('holds the account limit under 50 concurrent creates, with the seed message', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => h.panel.request('POST', '/api/accounts', { body: accountBody() })));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 403);
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(45);
    for (const r of refused) expect(r.body).toMatchObject({ ok: false, error: 'Account limit reached (5/5). Upgrade your license for more.' });
    expect(readdirSync(h.homeBase).sort()).toEqual(ok.map((r) => r.body.data.username).sort());
    expect(readdirSync(h.nginx!.sitesDir)).toHaveLength(5);
    const stats = (await h.panel.request('GET', '/api/system/stats')).body.data;
    expect(stats.accounts).toEqual({ count: 5, limit: 5 });
    expect(stats.domains).toEqual({ count: 5, limit: 10 });
  });

  it('holds the domain limit under concurrent creates, with the seed message', async () => {
    const accounts = (await h.panel.request('GET', '/api/accounts')).body.data;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => h.panel.request('POST', '/api/domains', {
      body: { account_id: accounts[i % accounts.length].id, domain_name: `extra${i}.test`, domain_type: 'addon' },
    })));
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
  beforeAll(async () => { h = await startHostingPanel({ engine: 'nginx' }); });
  afterAll(async () => { await h?.stop(); });

  it('hold for the reseller\'s accounts and domains, also under concurrent creates', async () => {
    const resellerId = (await h.panel.kernel.users!.findByUsername('panel-reseller'))!.id;
    expect((await h.panel.request('PATCH', `/api/resellers/${resellerId}`, { body: { max_accounts: 2, max_domains: 3 } })).status).toBe(200);
    const results = await Promise.all(Array.from({ length: 6 }, () => h.panel.request('POST', '/api/accounts', { body: accountBody(), as: 'reseller' })));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(2);
    for (const r of results.filter((x) => x.status !== 200)) expect({ status: r.status, error: r.body.error }).toEqual({ status: 403, error: 'Reseller account limit reached (2/2).' });
    expect((await h.panel.request('POST', '/api/accounts', { body: accountBody() })).status).toBe(200);
    const addons = await Promise.all([0, 1, 2].map((i) => h.panel.request('POST', '/api/domains', {
      body: { account_id: ok[i % 2]!.body.data.id, domain_name: `capped${i}.test`, domain_type: 'addon' }, as: 'reseller',
    })));
    expect(addons.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of addons.filter((x) => x.status !== 200)) expect(r.body.error).toBe('Reseller domain limit reached (3/3).');
  });
});
