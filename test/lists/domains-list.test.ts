// GET /api/domains and /api/domains/account/:id with limit/offset/sort/q: paged in SQL, scoped to
// the caller's accounts before counting, and exactly the contract's answer without them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { insertAccounts, insertDomains } from './rows.js';

describe('domains list paging', () => {
  let h: HostingPanel;
  const get = (path: string, as: 'admin' | 'reseller' | 'user' = 'admin') => h.panel.request('GET', path, { as });
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx' });
    const knex = h.panel.kernel.knex;
    // 60 accounts, every third (id 1 included) the reseller's; 5 domains each = 300 rows.
    await insertAccounts(knex, 60, { prefix: 'dom', resellerId: 2, everyNth: 3 });
    await insertDomains(knex, await knex('accounts_accounts').select('id', 'username').orderBy('id'), 5);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('answers the contract without the new parameters: every domain, by id, no total', async () => {
    const res = await get('/api/domains');
    expect(Object.keys(res.body)).toEqual(['ok', 'data']);
    expect(res.body.data).toHaveLength(300);
    expect(Object.keys((await get('/api/domains/account/2')).body)).toEqual(['ok', 'data']);
  });

  it('pages, sorts and searches in SQL with total', async () => {
    const all = (await get('/api/domains')).body.data;
    const page = await get('/api/domains?limit=50&offset=100');
    expect({ total: page.body.total, data: page.body.data }).toEqual({ total: 300, data: all.slice(100, 150) });
    const byName = [...all].sort((a, b) => (a.domain_name < b.domain_name ? -1 : 1));
    expect((await get('/api/domains?sort=domain_name&limit=20&offset=40')).body.data).toEqual(byName.slice(40, 60));
    const found = await get('/api/domains?q=D3.DOM0001');
    expect(found.body.data.map((d: any) => d.domain_name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `d3.dom0001${i}.example.test`),
    );
    const one = await get('/api/domains/account/2?sort=-domain_name&limit=2');
    expect({ total: one.body.total, names: one.body.data.map((d: any) => d.domain_name) }).toEqual({
      total: 5,
      names: ['d4.dom00001.example.test', 'd3.dom00001.example.test'],
    });
  });

  it('refuses bad values with a 400 naming the parameter', async () => {
    const sort = await get('/api/domains?sort=alias_of');
    expect({ status: sort.status, error: sort.body.error }).toEqual({
      status: 400,
      error: 'sort: must be one of id, account_id, domain_name, domain_type, created_at (a leading - sorts descending)',
    });
    const limit = await get('/api/domains/account/2?limit=-5');
    expect({ status: limit.status, error: limit.body.error }).toEqual({
      status: 400,
      error: 'limit: must be an integer from 1 to 10000',
    });
  });

  it('a reseller counts and pages only the domains of its accounts; a user only those of its account', async () => {
    const mine = await get('/api/domains?limit=10&sort=domain_name', 'reseller');
    expect(mine.body.total).toBe(100);
    const ownIds = new Set((await get('/api/accounts', 'reseller')).body.data.map((a: any) => a.id));
    expect(mine.body.data.every((d: any) => ownIds.has(d.account_id))).toBe(true);
    // dom00001 (id 2) is not the reseller's: searching its names finds nothing and counts nothing.
    expect((await get('/api/domains?q=dom00001.', 'reseller')).body).toEqual({ ok: true, data: [], total: 0 });
    expect((await get('/api/domains/account/2?limit=1', 'reseller')).status).toBe(403);
    const user = await get('/api/domains?limit=2', 'user');
    expect({ total: user.body.total, accounts: [...new Set(user.body.data.map((d: any) => d.account_id))] }).toEqual({
      total: 5,
      accounts: [1],
    });
  });
});
