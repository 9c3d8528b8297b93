// GET /api/accounts with limit/offset/sort/q: paged in SQL, owner-scoped before counting, and
// exactly the contract's answer without those parameters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { insertAccounts } from './rows.js';

describe('accounts list paging', () => {
  let h: HostingPanel;
  const get = (q: string, as: 'admin' | 'reseller' | 'user' = 'admin') =>
    h.panel.request('GET', `/api/accounts${q}`, { as });
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx' });
    // 2,000 rows in bulk; every other one (id 1 included, the test user's account) belongs to reseller 2.
    await insertAccounts(h.panel.kernel.knex, 2000, { resellerId: 2, everyNth: 2 });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('answers the contract without the new parameters (no total, every account, by id), a stray parameter ignored as before', async () => {
    const res = await get('');
    expect(Object.keys(res.body)).toEqual(['ok', 'data']);
    expect(res.body.data).toHaveLength(2000);
    expect(res.body.data.map((a: any) => a.id)).toEqual([...res.body.data.map((a: any) => a.id)].sort((a, b) => a - b));
    // The contract's fields, in its order; after them only the additive `resource_usage` (null here: local mode)
    expect(Object.keys(res.body.data[0])).toEqual([
      'id',
      'username',
      'primary_domain',
      'email',
      'plan',
      'status',
      'disk_quota_mb',
      'bandwidth_quota_mb',
      'disk_used_mb',
      'created_at',
      'updated_at',
      'home_dir',
      'resource_usage',
    ]);
    expect(res.body.data[0].resource_usage).toBeNull();
    expect((await get('?_=123')).body).toEqual(res.body);
  });

  it('pages 2,000 rows in SQL: the page equals that slice of the fully sorted list, and total counts them all', async () => {
    const all = (await get('')).body.data;
    const res = await get('?limit=100&offset=1500');
    expect(Object.keys(res.body)).toEqual(['ok', 'data', 'total']);
    expect(res.body.total).toBe(2000);
    expect(res.body.data).toEqual(all.slice(1500, 1600));
    // Sorted by disk use descending, ties broken by id: compare with the same order computed here.
    const byDisk = [...all].sort((a, b) => b.disk_used_mb - a.disk_used_mb || a.id - b.id);
    expect((await get('?sort=-disk_used_mb&limit=100&offset=700')).body.data).toEqual(byDisk.slice(700, 800));
    const byName = [...all].sort((a, b) => (a.username < b.username ? 1 : -1));
    expect((await get('?sort=-username&limit=5')).body.data).toEqual(byName.slice(0, 5));
    const tail = await get('?offset=1990');
    expect({ n: tail.body.data.length, total: tail.body.total }).toEqual({ n: 10, total: 2000 });
    expect((await get('?offset=5000')).body).toEqual({ ok: true, data: [], total: 2000 });
  });

  it('searches username, domain and email case-insensitively; % and _ match only themselves', async () => {
    const res = await get('?q=BULK0012&sort=username');
    expect(res.body.total).toBe(10);
    expect(res.body.data.map((a: any) => a.username)).toEqual(Array.from({ length: 10 }, (_, i) => `bulk0012${i}`));
    expect((await get('?q=bulk01999.example')).body.data.map((a: any) => a.username)).toEqual(['bulk01999']);
    expect((await get('?q=%25')).body).toEqual({ ok: true, data: [], total: 0 });
    expect((await get('?q=bulk_')).body.total).toBe(0);
    expect((await get('?q=')).body.total).toBe(2000);
  });

  it('refuses bad values with a 400 naming the parameter, and unknown sort fields with the allowed list', async () => {
    const cases: [string, string][] = [
      ['?limit=0', 'limit: must be an integer from 1 to 10000'],
      ['?limit=abc', 'limit: must be an integer from 1 to 10000'],
      ['?limit=10001', 'limit: must be an integer from 1 to 10000'],
      ['?offset=-1', 'offset: must be an integer of 0 or more'],
      [
        '?sort=password_hash',
        'sort: must be one of id, username, primary_domain, email, plan, status, disk_used_mb, created_at, updated_at (a leading - sorts descending)',
      ],
      [
        '?sort=username;drop',
        'sort: must be one of id, username, primary_domain, email, plan, status, disk_used_mb, created_at, updated_at (a leading - sorts descending)',
      ],
      [`?q=${'x'.repeat(201)}`, 'q: must be text of at most 200 characters, without control characters'],
    ];
    for (const [q, error] of cases) {
      const res = await get(q);
      expect({ q, status: res.status, error: res.body.error }).toEqual({ q, status: 400, error });
    }
  });

  it('scopes before counting and paging: a reseller pages and counts only its own accounts, a user only its one', async () => {
    const mine = await get('?limit=100&offset=900&sort=username', 'reseller');
    expect(mine.body.total).toBe(1000);
    expect(mine.body.data).toHaveLength(100);
    const own = (await get('', 'reseller')).body.data;
    expect(own).toHaveLength(1000);
    expect(mine.body.data).toEqual([...own].sort((a, b) => (a.username < b.username ? -1 : 1)).slice(900, 1000));
    // bulk00001 belongs to no reseller: the search finds it for the admin only.
    expect((await get('?q=bulk00001.', 'admin')).body.total).toBe(1);
    expect((await get('?q=bulk00001.', 'reseller')).body).toEqual({ ok: true, data: [], total: 0 });
    const user = await get('?limit=10', 'user');
    expect({ total: user.body.total, ids: user.body.data.map((a: any) => a.id) }).toEqual({ total: 1, ids: [1] });
  });
});
